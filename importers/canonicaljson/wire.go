package canonicaljson

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/chatferry/chatferry/model"
)

// The wire types mirror docs/schema/chatferry-1.json for one message.
type wireMessage struct {
	ID          string           `json:"id"`
	Time        string           `json:"time"`
	Sender      string           `json:"sender"`
	Kind        string           `json:"kind"`
	Text        *string          `json:"text"`
	Attachments []wireAttachment `json:"attachments"`
	ReplyTo     string           `json:"reply_to"`
	Quote       *wireQuote       `json:"quote"`
	Reactions   []wireReaction   `json:"reactions"`
	Edited      bool             `json:"edited"`
	EditedTime  string           `json:"edited_time"`
	Deleted     bool             `json:"deleted"`
	Forwarded   bool             `json:"forwarded"`
	Poll        *wirePoll        `json:"poll"`
	Location    *wireLocation    `json:"location"`
	Contacts    []wireContact    `json:"contacts"`
	Call        *wireCall        `json:"call"`
	Event       *wireEvent       `json:"event"`
	Source      string           `json:"source"`
}

type wireAttachment struct {
	Name       *string `json:"name"`
	Kind       string  `json:"kind"`
	MIME       string  `json:"mime"`
	Size       int64   `json:"size"`
	Path       string  `json:"path"`
	Omitted    bool    `json:"omitted"`
	Missing    bool    `json:"missing"`
	Width      int     `json:"width"`
	Height     int     `json:"height"`
	DurationMS int64   `json:"duration_ms"`
}

type wireQuote struct {
	Sender string `json:"sender"`
	Text   string `json:"text"`
}

type wireReaction struct {
	Emoji  string `json:"emoji"`
	Sender string `json:"sender"`
	Time   string `json:"time"`
}

type wirePoll struct {
	Question string `json:"question"`
	Multiple bool   `json:"multiple"`
	Options  []struct {
		Text   string   `json:"text"`
		Votes  int      `json:"votes"`
		Voters []string `json:"voters"`
	} `json:"options"`
}

type wireLocation struct {
	Latitude  *float64 `json:"latitude"`
	Longitude *float64 `json:"longitude"`
	Name      string   `json:"name"`
	Address   string   `json:"address"`
	URL       string   `json:"url"`
	Live      bool     `json:"live"`
}

type wireContact struct {
	Name   string   `json:"name"`
	Phones []string `json:"phones"`
	VCard  string   `json:"vcard"`
}

type wireCall struct {
	Video      bool  `json:"video"`
	Missed     bool  `json:"missed"`
	DurationMS int64 `json:"duration_ms"`
}

type wireEvent struct {
	Type    string   `json:"type"`
	Actor   string   `json:"actor"`
	Targets []string `json:"targets"`
	Subject string   `json:"subject"`
}

type wireParticipant struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
	Me    bool   `json:"me"`
}

type wireWarning struct {
	Code   string `json:"code"`
	Text   string `json:"text"`
	Source string `json:"source"`
}

// parsePos reads "file:line" or "file".
func parsePos(s string) model.Pos {
	if i := strings.LastIndexByte(s, ':'); i >= 0 {
		if n, err := strconv.Atoi(s[i+1:]); err == nil && n > 0 {
			return model.Pos{File: s[:i], Line: n}
		}
	}
	return model.Pos{File: s}
}

// toModel converts a decoded message; prec is the chat's time precision.
func (w *wireMessage) toModel(prec model.Precision) (*model.Message, error) {
	if w.ID == "" {
		return nil, errors.New(`message has no "id"`)
	}
	if w.Text == nil {
		return nil, fmt.Errorf(`message %s has no "text" (use "" for none)`, w.ID)
	}
	m := &model.Message{
		ID:        model.MessageID(w.ID),
		Sender:    model.ParticipantID(w.Sender),
		Kind:      model.MessageKind(w.Kind),
		Text:      *w.Text,
		ReplyTo:   model.MessageID(w.ReplyTo),
		Edited:    w.Edited,
		Forwarded: w.Forwarded,
		Source:    parsePos(w.Source),
	}
	var err error
	if m.Time, err = model.ParseTimestamp(w.Time); err != nil {
		return nil, err
	}
	if prec == model.PrecisionMinute && m.Time.Precision() == model.PrecisionSecond {
		m.Time = m.Time.WithPrecision(prec)
	}
	if m.EditedAt, err = model.ParseTimestamp(w.EditedTime); err != nil {
		return nil, err
	}
	if w.EditedTime != "" && !w.Edited {
		return nil, fmt.Errorf(`message %s has "edited_time" but not "edited": true`, w.ID)
	}
	if w.Deleted != (m.Kind == model.KindDeleted) {
		return nil, fmt.Errorf(`message %s: "deleted": true goes with "kind": "deleted" and only with it`, w.ID)
	}
	for _, a := range w.Attachments {
		if a.Name == nil {
			return nil, fmt.Errorf(`message %s: attachment has no "name"`, w.ID)
		}
		m.Attachments = append(m.Attachments, model.Attachment{
			Name: *a.Name, Kind: model.MediaKind(a.Kind), MIME: a.MIME, Size: a.Size, Path: a.Path,
			Omitted: a.Omitted, Missing: a.Missing, Width: a.Width, Height: a.Height,
			Duration: time.Duration(a.DurationMS) * time.Millisecond,
		})
	}
	if w.Quote != nil {
		m.Quote = &model.Quote{Sender: model.ParticipantID(w.Quote.Sender), Text: w.Quote.Text}
	}
	for _, r := range w.Reactions {
		t, err := model.ParseTimestamp(r.Time)
		if err != nil {
			return nil, err
		}
		m.Reactions = append(m.Reactions, model.Reaction{Emoji: r.Emoji, Sender: model.ParticipantID(r.Sender), Time: t})
	}
	if p := w.Poll; p != nil {
		m.Poll = &model.Poll{Question: p.Question, Multiple: p.Multiple}
		for _, o := range p.Options {
			opt := model.PollOption{Text: o.Text, Votes: o.Votes}
			for _, v := range o.Voters {
				opt.Voters = append(opt.Voters, model.ParticipantID(v))
			}
			m.Poll.Options = append(m.Poll.Options, opt)
		}
	}
	if l := w.Location; l != nil {
		if l.Latitude == nil || l.Longitude == nil {
			return nil, fmt.Errorf(`message %s: location needs "latitude" and "longitude"`, w.ID)
		}
		m.Location = &model.Location{Latitude: *l.Latitude, Longitude: *l.Longitude,
			Name: l.Name, Address: l.Address, URL: l.URL, Live: l.Live}
	}
	for _, c := range w.Contacts {
		m.Contacts = append(m.Contacts, model.Contact{Name: c.Name, Phones: c.Phones, VCard: c.VCard})
	}
	if c := w.Call; c != nil {
		m.Call = &model.Call{Video: c.Video, Missed: c.Missed, Duration: time.Duration(c.DurationMS) * time.Millisecond}
	}
	if e := w.Event; e != nil {
		m.Event = &model.Event{Type: model.EventType(e.Type), Actor: model.ParticipantID(e.Actor), Subject: e.Subject}
		for _, t := range e.Targets {
			m.Event.Targets = append(m.Event.Targets, model.ParticipantID(t))
		}
	}
	return m, nil
}
