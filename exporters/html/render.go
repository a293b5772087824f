package html

import (
	"strconv"
	"strings"
)

// The parts of a page written once per message — the message itself and
// its line on the search page — are appended by the functions of this
// file rather than executed as templates: html/template spends most of its
// time in reflection, and a long chat has hundreds of thousands of
// messages. They escape exactly as html/template escapes the same markup
// (text and attribute values by escapeHTML, addresses by appendURL), and a
// test renders every view of the test data and the corpus, and fuzzed
// ones, both ways and compares the bytes.

// htmlEscapes are the bytes that text and quoted attribute values escape,
// and their replacements: the set html/template escapes. NUL becomes
// U+FFFD; every other byte, invalid UTF-8 included, is kept.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// escapeHTML appends s escaped for HTML text or a quoted attribute value.
func escapeHTML(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); i++ {
		if r := htmlEscapes[s[i]]; r != "" {
			b = append(b, s[start:i]...)
			b = append(b, r...)
			start = i + 1
		}
	}
	return append(b, s[start:]...)
}

// safeURL reports whether s may be an address in the archive: a relative
// address, or one with the scheme http, https or mailto. Any other
// scheme (javascript:, data:…) is replaced, as html/template does.
func safeURL(s string) bool {
	scheme, _, ok := strings.Cut(s, ":")
	if !ok || strings.Contains(scheme, "/") {
		return true
	}
	return strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https") ||
		strings.EqualFold(scheme, "mailto")
}

// urlKeeps marks the bytes an address keeps as they are: letters, digits,
// the unreserved marks and the reserved delimiters. Every other byte is
// percent-encoded, except a '%' that already starts an escape.
var urlKeeps = func() (t [256]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for _, c := range "-._~!#$&*+,/:;=?@[]" {
		t[c] = true
	}
	return t
}()

// appendURL appends s as the value of an address attribute (href, src):
// an unsafe scheme is replaced by "#ZgotmplZ" unless trusted says the
// address was made by chatferry, the address is normalised
// (percent-encoding what an address may not hold) and then escaped for
// the attribute.
func appendURL(b []byte, s string, trusted bool) []byte {
	if !trusted && !safeURL(s) {
		return append(b, "#ZgotmplZ"...)
	}
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if urlKeeps[c] || c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			continue
		}
		b = escapeHTML(b, s[start:i])
		b = append(b, '%', hexDigits[c>>4], hexDigits[c&0xf])
		start = i + 1
	}
	return escapeHTML(b, s[start:])
}

const hexDigits = "0123456789abcdef"

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// appendMessage appends the markup of one message on a chat page.
func appendMessage(b []byte, v *messageView) []byte {
	if d := v.Day; d != nil {
		b = append(b, `<div class="day"><time datetime="`...)
		b = escapeHTML(b, d.DayKey)
		b = append(b, `">`...)
		b = escapeHTML(b, d.Day)
		b = append(b, "</time></div>\n"...)
	}
	if v.System {
		b = append(b, `<div class="msg system" id="`...)
		b = escapeHTML(b, v.Anchor)
		b = append(b, `"><div class="event"><span dir="auto">`...)
		for _, sg := range v.Text {
			b = escapeHTML(b, sg.Text)
		}
		b = append(b, "</span> "...)
		b = appendTime(b, &v.Time)
		return append(b, "</div></div>\n"...)
	}
	b = append(b, `<div class="msg`...)
	if v.Own {
		b = append(b, " own"...)
	}
	b = append(b, `" id="`...)
	b = escapeHTML(b, v.Anchor)
	b = append(b, `"><div class="bubble k-`...)
	b = escapeHTML(b, v.Kind)
	b = append(b, `">`...)
	if v.ShowSender {
		b = append(b, `<div class="sender `...)
		b = escapeHTML(b, v.Color)
		b = append(b, `" dir="auto">`...)
		b = escapeHTML(b, v.Sender)
		b = append(b, "</div>"...)
	}
	if v.Forwarded {
		b = append(b, `<div class="flag">↪ Forwarded</div>`...)
	}
	if q := v.Quote; q != nil {
		if q.Href != "" {
			b = append(b, `<a class="quote `...)
			b = escapeHTML(b, q.Color)
			b = append(b, `" href="`...)
			b = appendURL(b, q.Href, false)
			b = append(b, `">`...)
			b = appendQuoteBody(b, q)
			b = append(b, "</a>"...)
		} else {
			b = append(b, `<div class="quote `...)
			b = escapeHTML(b, q.Color)
			b = append(b, `">`...)
			b = appendQuoteBody(b, q)
			b = append(b, "</div>"...)
		}
	}
	for i := range v.Attach {
		b = appendAttachment(b, &v.Attach[i])
	}
	if v.Poll != nil {
		b = appendPoll(b, v.Poll)
	}
	if v.Location != nil {
		b = appendLocation(b, v.Location)
	}
	for i := range v.Contacts {
		b = appendContact(b, &v.Contacts[i])
	}
	if c := v.Call; c != nil {
		b = append(b, `<div class="call`...)
		if c.Missed {
			b = append(b, " missed"...)
		}
		b = append(b, `">`...)
		b = escapeHTML(b, c.Icon)
		b = append(b, ` <span dir="auto">`...)
		b = escapeHTML(b, c.Label)
		b = append(b, "</span>"...)
		if c.Duration != "" {
			b = append(b, " · "...)
			b = escapeHTML(b, c.Duration)
		}
		b = append(b, "</div>"...)
	}
	switch {
	case v.Deleted:
		b = append(b, `<div class="text deleted" dir="auto">🚫 `...)
		for _, sg := range v.Text {
			b = escapeHTML(b, sg.Text)
		}
		b = append(b, "</div>"...)
	case v.ViewOnce:
		b = append(b, `<div class="text viewonce">👁️ View-once media: the export does not hold it`...)
		if v.Muted != "" {
			b = append(b, ` <span class="muted" dir="auto">(`...)
			b = escapeHTML(b, v.Muted)
			b = append(b, ")</span>"...)
		}
		b = append(b, "</div>"...)
	case len(v.Text) > 0:
		b = append(b, `<div class="text" dir="auto">`...)
		for _, sg := range v.Text {
			if sg.URL == "" {
				b = escapeHTML(b, sg.Text)
				continue
			}
			b = append(b, `<a href="`...)
			b = appendURL(b, sg.URL, false)
			b = append(b, `" rel="noopener noreferrer" target="_blank">`...)
			b = escapeHTML(b, sg.Text)
			b = append(b, "</a>"...)
		}
		b = append(b, "</div>"...)
	}
	b = append(b, "\n<div class=\"meta\">"...)
	if v.Edited != "" {
		b = append(b, `<span class="edited" title="`...)
		b = escapeHTML(b, v.Edited)
		b = append(b, `">edited</span> `...)
	}
	b = appendTime(b, &v.Time)
	b = append(b, "</div>"...)
	if len(v.Reactions) > 0 {
		b = append(b, `<div class="reactions">`...)
		for _, r := range v.Reactions {
			b = append(b, `<span class="reaction" title="`...)
			b = escapeHTML(b, r.Who)
			b = append(b, `">`...)
			b = escapeHTML(b, r.Emoji)
			if r.Count > 1 {
				b = append(b, ' ')
				b = strconv.AppendInt(b, int64(r.Count), 10)
			}
			b = append(b, "</span>"...)
		}
		b = append(b, "</div>"...)
	}
	return append(b, "</div></div>\n"...)
}

// appendTime appends a message's time, or a note that it is unknown.
func appendTime(b []byte, t *timeView) []byte {
	if t.Attr == "" {
		return append(b, `<span class="when">time unknown</span>`...)
	}
	b = append(b, `<time datetime="`...)
	b = escapeHTML(b, t.Attr)
	b = append(b, `" title="`...)
	b = escapeHTML(b, t.Title)
	b = append(b, `">`...)
	b = escapeHTML(b, t.Short)
	return append(b, "</time>"...)
}

func appendQuoteBody(b []byte, q *quoteView) []byte {
	if q.Sender != "" {
		b = append(b, `<span class="who" dir="auto">`...)
		b = escapeHTML(b, q.Sender)
		b = append(b, "</span>"...)
	} else {
		b = append(b, `<span class="who">↩ Reply</span>`...)
	}
	b = append(b, `<span class="said" dir="auto">`...)
	b = escapeHTML(b, q.Text)
	return append(b, "</span>"...)
}

// appendSize appends the width and height attributes of a picture or
// video whose size is known.
func appendSize(b []byte, a *attachmentView) []byte {
	if a.Width == 0 {
		return b
	}
	b = append(b, ` width="`...)
	b = strconv.AppendInt(b, int64(a.Width), 10)
	b = append(b, `" height="`...)
	b = strconv.AppendInt(b, int64(a.Height), 10)
	return append(b, '"')
}

// appendFileName appends the linked name shown under a player.
func appendFileName(b []byte, a *attachmentView) []byte {
	b = append(b, `<div class="file-name"><a href="`...)
	b = appendURL(b, a.Href, false)
	b = append(b, `" dir="auto">`...)
	b = escapeHTML(b, a.Name)
	return append(b, "</a></div>"...)
}

// appendInfo appends an attachment's size and type, when known.
func appendInfo(b []byte, a *attachmentView) []byte {
	if a.Info == "" {
		return b
	}
	b = append(b, ` <span class="info">`...)
	b = escapeHTML(b, a.Info)
	return append(b, "</span>"...)
}

func appendAttachment(b []byte, a *attachmentView) []byte {
	switch a.Show {
	case "image":
		b = append(b, `<a class="media" href="`...)
		b = appendURL(b, a.Href, false)
		b = append(b, `"><img class="`...)
		if a.Sticker {
			b = append(b, "sticker"...)
		} else {
			b = append(b, "photo"...)
		}
		b = append(b, `" src="`...)
		b = appendURL(b, a.Href, false)
		b = append(b, `" alt="`...)
		b = escapeHTML(b, a.Name)
		b = append(b, `" loading="lazy"`...)
		b = appendSize(b, a)
		return append(b, "></a>"...)
	case "video":
		b = append(b, `<video class="media" controls preload="metadata" src="`...)
		b = appendURL(b, a.Href, false)
		b = append(b, '"')
		b = appendSize(b, a)
		b = append(b, "></video>"...)
		return appendFileName(b, a)
	case "audio":
		b = append(b, `<audio controls preload="metadata" src="`...)
		b = appendURL(b, a.Href, false)
		b = append(b, `"></audio>`...)
		return appendFileName(b, a)
	case "file":
		b = append(b, `<a class="file" href="`...)
		b = appendURL(b, a.Href, false)
		b = append(b, `">`...)
		b = escapeHTML(b, a.Icon)
		b = append(b, ` <span dir="auto">`...)
		b = escapeHTML(b, a.Name)
		b = append(b, "</span>"...)
		b = appendInfo(b, a)
		return append(b, "</a>"...)
	}
	b = append(b, `<div class="file absent">`...)
	b = escapeHTML(b, a.Icon)
	b = append(b, ` <span dir="auto">`...)
	b = escapeHTML(b, a.Name)
	b = append(b, `</span> <span class="note">`...)
	b = escapeHTML(b, a.Note)
	b = append(b, "</span>"...)
	b = appendInfo(b, a)
	return append(b, "</div>"...)
}

func appendPoll(b []byte, p *pollView) []byte {
	b = append(b, `<div class="poll"><div class="question" dir="auto">📊 `...)
	b = escapeHTML(b, p.Question)
	b = append(b, "</div>"...)
	if p.Multiple {
		b = append(b, `<div class="flag">several answers allowed</div>`...)
	}
	b = append(b, "<ul>"...)
	for _, o := range p.Options {
		b = append(b, `<li><span class="option" dir="auto">`...)
		b = escapeHTML(b, o.Text)
		b = append(b, `</span> <span class="votes">`...)
		b = escapeHTML(b, o.Label)
		b = append(b, `</span><meter min="0" max="`...)
		b = strconv.AppendInt(b, int64(o.Max), 10)
		b = append(b, `" value="`...)
		b = strconv.AppendInt(b, int64(o.Votes), 10)
		b = append(b, `"></meter>`...)
		if o.Voters != "" {
			b = append(b, `<span class="voters" dir="auto">`...)
			b = escapeHTML(b, o.Voters)
			b = append(b, "</span>"...)
		}
		b = append(b, "</li>"...)
	}
	return append(b, "</ul></div>"...)
}

func appendLocation(b []byte, l *locationView) []byte {
	b = append(b, `<div class="location">📍 `...)
	if l.Live {
		b = append(b, `<span class="flag">live location</span> `...)
	}
	if l.Name != "" {
		b = append(b, `<strong dir="auto">`...)
		b = escapeHTML(b, l.Name)
		b = append(b, "</strong> "...)
	}
	if l.Address != "" {
		b = append(b, `<span class="address" dir="auto">`...)
		b = escapeHTML(b, l.Address)
		b = append(b, "</span> "...)
	}
	if l.Href != "" {
		b = append(b, `<a href="`...)
		b = appendURL(b, l.Href, false)
		b = append(b, `" rel="noopener noreferrer" target="_blank"`...)
		if l.Exact != "" {
			b = append(b, ` title="`...)
			b = escapeHTML(b, l.Exact)
			b = append(b, '"')
		}
		b = append(b, '>')
		b = escapeHTML(b, orDefault(l.Coords, "link"))
		b = append(b, "</a>"...)
	}
	if l.Geo != "" {
		b = append(b, ` <a class="geo" href="`...)
		b = appendURL(b, string(l.Geo), true)
		b = append(b, `">open in a map app</a>`...)
	}
	return append(b, "</div>"...)
}

func appendContact(b []byte, c *contactView) []byte {
	b = append(b, `<div class="contact">👤 <strong dir="auto">`...)
	b = escapeHTML(b, c.Name)
	b = append(b, "</strong>"...)
	for _, ph := range c.Phones {
		if ph.Href != "" {
			b = append(b, ` <a class="phone" href="`...)
			b = appendURL(b, string(ph.Href), true)
			b = append(b, `">`...)
			b = escapeHTML(b, ph.Number)
			b = append(b, "</a>"...)
		} else {
			b = append(b, ` <span class="phone">`...)
			b = escapeHTML(b, ph.Number)
			b = append(b, "</span>"...)
		}
	}
	if c.VCard != "" {
		b = append(b, `<details><summary>vCard</summary><pre dir="auto">`...)
		b = escapeHTML(b, c.VCard)
		b = append(b, "</pre></details>"...)
	}
	return append(b, "</div>"...)
}

// appendFound appends one message's line on a chat's search page.
func appendFound(b []byte, f *foundView) []byte {
	b = append(b, `<li class="found"><a href="`...)
	b = appendURL(b, f.Href, false)
	b = append(b, `">`...)
	if f.Time.Attr != "" {
		b = append(b, `<time datetime="`...)
		b = escapeHTML(b, f.Time.Attr)
		b = append(b, `">`...)
		b = escapeHTML(b, f.When)
		b = append(b, "</time>"...)
	} else {
		b = append(b, `<span class="when">time unknown</span>`...)
	}
	b = append(b, ' ')
	if !f.System {
		b = append(b, `<span class="sender `...)
		b = escapeHTML(b, f.Color)
		b = append(b, `" dir="auto">`...)
		b = escapeHTML(b, f.Sender)
		b = append(b, "</span> "...)
	}
	b = append(b, `<span class="said" dir="auto">`...)
	b = escapeHTML(b, f.Plain)
	return append(b, "</span></a></li>\n"...)
}
