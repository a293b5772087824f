package html_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/importers/importertest"
	"github.com/chatferry/chatferry/model"
)

// pwn is what every hostile payload below would run: it records that it
// ran, so the test sees it even where no dialog opens.
const pwn = "window.__pwned=(window.__pwned||[]).concat"

// evil is text that tries to run a script named by tag, from an element
// or from an attribute it breaks out of.
func evil(tag string) string {
	return `"><script>` + pwn + `('` + tag + `')</script><img src=x onerror="` + pwn + `('` + tag + `-img')">`
}

// hostileChat is a chat whose every field a page shows tries to run a
// script, break out of an attribute, or point a link at javascript:.
func hostileChat(t testing.TB) []model.Item {
	root := importertest.ModuleRoot(t)
	c := &model.Chat{ID: "h", Title: "Hostile " + evil("title"), Kind: model.Group, Format: "whatsapp",
		Participants: []model.Participant{
			{ID: "a", Name: "Mallory " + evil("name")},
			{ID: "b", Name: "Ben Sample", Me: true},
		},
		Meta:     map[string]string{"note": evil("meta")},
		Warnings: []model.Warning{{Code: "x", Text: evil("warning"), Pos: model.Pos{File: "/home/mallory/" + evil("file"), Line: 1}}},
		Media:    os.DirFS(mediaFolder(t, filepath.Join(root, "testdata", "json", "media", "IMG-20240301-WA0001.png"))),
	}
	ts := func(min int) model.Timestamp { return model.Floating(2024, 4, 1, 10, min, 0, 0, model.PrecisionMinute) }
	msgs := []*model.Message{
		{ID: "h1", Time: ts(0), Sender: "a", Kind: model.KindText, Text: "<script>" + pwn + "('script')</script>"},
		{ID: "h2", Time: ts(1), Sender: "a", Kind: model.KindText, Text: `<img src=x onerror="` + pwn + `('img')"> <svg onload="` + pwn + `('svg')"></svg>`},
		{ID: "h3", Time: ts(2), Sender: "a", Kind: model.KindText, Text: `javascript:` + pwn + `('bare') <a href="javascript:` + pwn + `('link')">click</a> JAVASCRIPT://%0a` + pwn + `('x') https://example.org/a?b=1&c=<x>`},
		{ID: "h4", Time: ts(3), Sender: "b", Kind: model.KindText, Text: "quoting", ReplyTo: "h1",
			Quote: &model.Quote{Sender: "a", Text: evil("quote")}},
		{ID: "h5", Time: ts(4), Sender: "a", Kind: model.KindLocation, Text: "",
			Location: &model.Location{Latitude: 1, Longitude: 2, Name: evil("place"), URL: "javascript:" + pwn + "('loc')"}},
		{ID: "h6", Time: ts(5), Sender: "a", Kind: model.KindMedia, Text: evil("caption"),
			Attachments: []model.Attachment{{Name: evil("file") + ".png", Kind: model.MediaImage, MIME: "image/png",
				Path: "IMG-20240301-WA0001.png"}}},
		{ID: "h7", Time: ts(6), Sender: "a", Kind: model.KindContact, Contacts: []model.Contact{{Name: evil("contact"),
			Phones: []string{"javascript:" + pwn + "('tel')"}, VCard: evil("vcard")}}},
		{ID: "h8", Time: ts(7), Sender: "a", Kind: model.KindPoll, Text: "q", Poll: &model.Poll{Question: evil("poll"),
			Options: []model.PollOption{{Text: evil("option"), Votes: 1, Voters: []model.ParticipantID{"a"}}}}},
		{ID: "h9", Time: ts(8), Kind: model.KindSystem, Text: evil("event"), Event: &model.Event{Type: model.EventOther}},
		{ID: "h11", Time: ts(9), Sender: "b", Kind: model.KindMedia, Attachments: []model.Attachment{
			{Name: "PTT-20240401-WA0001.wav", Kind: model.MediaVoice, MIME: "audio/wav", Path: "voice.wav"}}},
		{ID: "h10", Time: ts(9), Sender: "b", Kind: model.KindText, Text: "<style>body{display:none}</style>",
			Reactions: []model.Reaction{{Emoji: evil("emoji"), Sender: "a"}}},
		{ID: "h12", Time: ts(10), Sender: "a", Kind: model.KindText,
			Text: "*bold " + evil("bold") + "* _it_ ~st~ `" + evil("code") + "` ```" + evil("mono") + "```"},
	}
	items := []model.Item{c}
	for _, m := range msgs {
		if err := m.Check(c); err != nil {
			t.Fatal(err)
		}
		items = append(items, m)
	}
	return items
}

// mediaFolder returns a folder with a copy of the picture and a short
// voice note (a WAV file of silence) as voice.wav.
func mediaFolder(t testing.TB, picture string) string {
	dir := t.TempDir()
	png, err := os.ReadFile(picture)
	if err != nil {
		t.Fatal(err)
	}
	const rate, samples = 8000, 4000 // half a second, 8-bit mono
	le := func(b []byte, v uint32, n int) []byte {
		for i := 0; i < n; i++ {
			b = append(b, byte(v>>(8*i)))
		}
		return b
	}
	wav := append([]byte("RIFF"), 0, 0, 0, 0)
	wav = le(wav[:4], 36+samples, 4)
	wav = append(wav, "WAVEfmt "...)
	wav = le(wav, 16, 4)
	wav = le(wav, 1, 2) // PCM
	wav = le(wav, 1, 2) // mono
	wav = le(wav, rate, 4)
	wav = le(wav, rate, 4) // bytes per second
	wav = le(wav, 1, 2)    // block align
	wav = le(wav, 8, 2)    // bits per sample
	wav = append(wav, "data"...)
	wav = le(wav, samples, 4)
	for i := 0; i < samples; i++ {
		wav = append(wav, 128)
	}
	for name, data := range map[string][]byte{"IMG-20240301-WA0001.png": png, "voice.wav": wav} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestBrowser opens the archive of the sample and of a hostile chat in
// headless Chromium: nothing injected runs, the hostile text shows as
// text, the policy lets the archive's own style and script through, images
// load, search filters, paging links work, dark mode applies; and it saves
// screenshots a person can look at.
func TestBrowser(t *testing.T) {
	chromium := importertest.Tool(t, "chromium")
	f, err := exporters.Lookup("html")
	if err != nil {
		t.Fatal(err)
	}
	items := exportertest.Input(t, exportertest.Sample(t), "json")
	items = append(items, hostileChat(t)...)
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	out, _ := exportertest.Write(t, f, items, exporters.Options{Me: "Ben Sample", TZ: berlin,
		Values: exporters.Values{"page-size": "12", "search-size": "10"}})

	b := startBrowser(t, chromium)
	b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 820, "height": 1000,
		"deviceScaleFactor": 1, "mobile": false}, nil)
	// Record policy violations and dialogs; both would mean the archive is
	// broken or something ran.
	b.call("Page.addScriptToEvaluateOnNewDocument", map[string]any{"source": recordViolations}, nil)

	pages := []string{"index.html"}
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") && filepath.Base(p) != "index.html" {
			rel, _ := filepath.Rel(out, p)
			pages = append(pages, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 5 {
		t.Fatalf("the archive has only %v", pages)
	}
	for _, page := range pages {
		t.Run(page, func(t *testing.T) {
			b.t = t
			b.navigate("file://" + filepath.Join(out, filepath.FromSlash(page)))
			checkInert(t, b)
			checkImages(t, b)
		})
	}
	b.t = t

	t.Run("hostile text shows as text", func(t *testing.T) {
		b.t = t
		hostile, _ := filepath.Glob(filepath.Join(out, "chat-003-*", "page-0001.html"))
		if len(hostile) != 1 {
			t.Fatalf("the hostile chat's first page: %v", hostile)
		}
		b.navigate("file://" + hostile[0])
		var text string
		b.eval(`document.body.innerText`, &text)
		for _, want := range []string{"<script>" + pwn + "('script')</script>", `<svg onload="`,
			`<a href="javascript:`, "<style>body{display:none}</style>", `"><script>` + pwn + `('quote')</script>`} {
			if !strings.Contains(text, want) {
				t.Errorf("the page does not show %q as text", want)
			}
		}
		var links []string
		b.eval(`Array.from(document.links, a => a.href)`, &links)
		for _, l := range links {
			if !strings.HasPrefix(l, "file://") && !strings.HasPrefix(l, "https://") &&
				!strings.HasPrefix(l, "geo:") && !strings.HasPrefix(l, "tel:") {
				t.Errorf("link to %s", l)
			}
		}
		if n := checkPlayers(t, b); n != 1 {
			t.Errorf("the hostile chat has %d players, want the voice note's", n)
		}
		var styled map[string][]string
		b.eval(`Object.fromEntries(["strong", "em", "s", "code:not(.block)", "code.block"].map(sel =>
			[sel, Array.from(document.querySelectorAll(".text " + sel), e => e.textContent)]))`, &styled)
		for sel, want := range map[string]string{"strong": "bold " + evil("bold"), "em": "it", "s": "st",
			"code:not(.block)": evil("code"), "code.block": evil("mono")} {
			if got := styled[sel]; len(got) != 1 || got[0] != want {
				t.Errorf("WhatsApp's markup: %s holds %q, want %q", sel, got, want)
			}
		}
		var linked bool
		b.eval(`Array.from(document.links).some(a => a.href === "https://example.org/a?b=1&c=")`, &linked)
		if !linked {
			t.Errorf("the https address in a message is not a link; links: %q", links)
		}
	})

	chat1 := "file://" + filepath.Join(out, "chat-001-ann-example", "page-0001.html")
	t.Run("search", func(t *testing.T) {
		b.t = t
		b.navigate(chat1)
		var res struct {
			Before, After, Days, Cleared int
			Hits                         string
		}
		b.eval(`(async () => {
			const visible = () => document.querySelectorAll("#messages .msg:not([hidden])").length;
			const before = visible();
			const q = document.getElementById("q");
			const until = async (ok) => {
				for (let i = 0; i < 100 && !ok(); i++) await new Promise(r => setTimeout(r, 50));
			};
			q.value = "BEACH";
			q.dispatchEvent(new Event("input"));
			await until(() => visible() < before);
			const after = visible(), hits = document.getElementById("hits").textContent;
			const days = document.querySelectorAll("#messages .day:not([hidden])").length;
			q.value = "";
			q.dispatchEvent(new Event("input"));
			await until(() => visible() === before);
			return {before, after, days, hits, cleared: visible()};
		})()`, &res)
		// "The beach" is a caption, and the reply quoting it shows it too.
		if res.Before != 12 || res.After != 2 || res.Cleared != 12 || res.Days != 1 || res.Hits != "2 of 12" {
			t.Errorf("search for beach: %+v, want 12 messages, then 2 (\"2 of 12\") under 1 day, then 12", res)
		}
		var found int
		b.navigate(chat1 + "?q=" + "see%20station")
		b.eval(`document.querySelectorAll("#messages .msg:not([hidden])").length`, &found)
		if found != 1 {
			t.Errorf("a search given in the address shows %d messages, want 1", found)
		}
		// Styled text is found as it is shown, without WhatsApp's marks.
		b.navigate("file://" + filepath.Join(out, "chat-002-trip-2024", "page-0001.html") + "?q=" + "all%20%F0%9F%91%8B%20bold%20italic")
		b.eval(`document.querySelectorAll("#messages .msg:not([hidden])").length`, &found)
		if found != 1 {
			t.Errorf("a search for styled text as shown finds %d messages, want 1", found)
		}
		b.navigate(chat1 + "?q=" + "see%20station")
		var next string
		b.eval(`document.querySelector("a[rel=next]").getAttribute("href")`, &next)
		if next != "page-0002.html?q=see%20station" {
			t.Errorf("the next page link is %q, want it to carry the search", next)
		}
		// The chat's search pages list every message of every page, ten
		// to a search page here: the search carries on to the next one.
		shown := func() []string {
			var results []string
			b.eval(`Array.from(document.querySelectorAll("#all .found"), li => li.offsetParent ? li.firstChild.getAttribute("href") : "").filter(Boolean)`, &results)
			return results
		}
		b.navigate("file://" + filepath.Join(out, "chat-001-ann-example", "search.html") + "?q=report")
		if results := shown(); len(results) != 0 {
			t.Errorf("the first search page finds %q for report, want nothing (it is message 15)", results)
		}
		b.eval(`document.querySelector("a[rel=next]").getAttribute("href")`, &next)
		if next != "search-0002.html?q=report" {
			t.Fatalf("the next search page link is %q, want it to carry the search", next)
		}
		b.navigate("file://" + filepath.Join(out, "chat-001-ann-example", next))
		if results := shown(); len(results) != 1 || results[0] != "page-0002.html#m15" {
			t.Errorf("the second search page finds %q for report, want the message on page 2", results)
		}
		var prev string
		b.eval(`document.querySelector("a[rel=prev]").getAttribute("href")`, &prev)
		if prev != "search.html?q=report" {
			t.Errorf("the previous search page link is %q, want it to carry the search", prev)
		}
		b.navigate("file://" + filepath.Join(out, "chat-001-ann-example", "search.html"))
		if results := shown(); len(results) != 0 {
			t.Errorf("the search page shows %d messages before a search, want none", len(results))
		}
		b.navigate("file://" + filepath.Join(out, "index.html"))
		b.eval(`(async () => {
			const q = document.getElementById("q");
			q.value = "trip";
			q.dispatchEvent(new Event("input"));
			for (let i = 0; i < 100 && !document.querySelector("#chats > li[hidden]"); i++) {
				await new Promise(r => setTimeout(r, 50));
			}
			return document.querySelectorAll("#chats > li:not([hidden])").length;
		})()`, &found)
		if found != 1 {
			t.Errorf("searching the index for trip shows %d chats, want 1", found)
		}
	})

	t.Run("paging", func(t *testing.T) {
		b.t = t
		b.navigate(chat1)
		var next string
		b.eval(`document.querySelector("a[rel=next]").href`, &next)
		b.navigate(next)
		var res struct {
			First string
			Prev  bool
			Next  bool
		}
		b.eval(`({first: document.querySelector("#messages .msg").id,
			prev: !!document.querySelector("a[rel=prev]"), next: !!document.querySelector("a[rel=next]")})`, &res)
		if res.First != "m13" || !res.Prev || res.Next {
			t.Errorf("page 2 of 15 messages by 12: %+v, want it to start at m13 with only a link back", res)
		}
	})

	shots := screenshotDir(t)
	t.Run("screenshots", func(t *testing.T) {
		b.t = t
		for _, scheme := range []string{"light", "dark"} {
			b.call("Emulation.setEmulatedMedia", map[string]any{"features": []map[string]string{
				{"name": "prefers-color-scheme", "value": scheme}}}, nil)
			for _, p := range []struct{ name, url string }{
				{"chat", chat1},
				{"group", "file://" + filepath.Join(out, "chat-002-trip-2024", "page-0001.html")},
				{"index", "file://" + filepath.Join(out, "index.html")},
			} {
				b.navigate(p.url)
				var bg string
				b.eval(`getComputedStyle(document.documentElement).backgroundColor`, &bg)
				if dark := bg == "rgb(11, 20, 26)"; dark != (scheme == "dark") {
					t.Errorf("%s in %s mode has the background %s", p.name, scheme, bg)
				}
				checkImages(t, b)
				name := filepath.Join(shots, p.name+"-"+scheme+".png")
				if err := os.WriteFile(name, b.screenshot(), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Logf("screenshot: %s", name)
			}
		}
		// The print style sheet leaves out the controls and keeps the
		// page white.
		b.call("Emulation.setEmulatedMedia", map[string]any{"media": "print", "features": []map[string]string{
			{"name": "prefers-color-scheme", "value": "dark"}}}, nil)
		b.navigate(chat1)
		var print struct {
			Search, Background string
		}
		b.eval(`({search: getComputedStyle(document.querySelector(".search")).display,
			background: getComputedStyle(document.body).backgroundColor})`, &print)
		if print.Search != "none" || print.Background != "rgb(255, 255, 255)" {
			t.Errorf("printing shows the search box (%s) or a background %s", print.Search, print.Background)
		}
		name := filepath.Join(shots, "chat-print.png")
		if err := os.WriteFile(name, b.screenshot(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", name)
		b.call("Emulation.setEmulatedMedia", map[string]any{"media": ""}, nil)
	})
}

// recordViolations is run in every page before the page's own script:
// it records what the content policy blocked.
const recordViolations = `window.__csp = [];
	document.addEventListener("securitypolicyviolation", e => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`

// checkPlayers waits for every video and audio player of the open page to
// read its file's duration, and returns how many there are.
func checkPlayers(t *testing.T, b *browser) int {
	t.Helper()
	var res struct {
		Players int
		Broken  []string
	}
	b.eval(`(async () => {
		const players = Array.from(document.querySelectorAll("video, audio"));
		for (const p of players) {
			if (p.readyState < 1 && !p.error) {
				await Promise.race([new Promise(r => { p.addEventListener("loadedmetadata", r); p.addEventListener("error", r); }),
					new Promise(r => setTimeout(r, 5000))]);
			}
		}
		return {players: players.length, broken: players.filter(p => !(p.duration > 0)).map(p => p.src)};
	})()`, &res)
	for _, src := range res.Broken {
		t.Errorf("the player of %s does not read it", src)
	}
	return res.Players
}

// checkInert checks the open page: nothing injected ran, the only script
// is the archive's own, no element carries an event handler or a
// javascript: link, and the policy blocked nothing of the archive's own
// (its style applies, its script ran).
func checkInert(t *testing.T, b *browser) {
	t.Helper()
	var res struct {
		Pwned      []string
		Scripts    int
		Handlers   []string
		Violations []string
		Styled     bool
		Dialogs    int
	}
	b.eval(`({
		pwned: window.__pwned || [],
		scripts: document.scripts.length,
		handlers: Array.from(document.querySelectorAll("*")).flatMap(el =>
			Array.from(el.attributes).filter(a => /^on/i.test(a.name) ||
				/^\s*javascript:/i.test(a.value) && /^(href|src|action|formaction)$/i.test(a.name))
			.map(a => el.tagName + " " + a.name + "=" + a.value)),
		violations: window.__csp,
		styled: getComputedStyle(document.querySelector("header")).position === "sticky",
	})`, &res)
	if len(res.Pwned) > 0 {
		t.Errorf("injected code ran: %v", res.Pwned)
	}
	if res.Scripts != 1 {
		t.Errorf("the page has %d scripts, want only the archive's own", res.Scripts)
	}
	for _, h := range res.Handlers {
		t.Errorf("element with a handler or javascript: link: %s", h)
	}
	for _, v := range res.Violations {
		t.Errorf("the content policy blocked %s", v)
	}
	if !res.Styled {
		t.Error("the archive's style sheet does not apply")
	}
	var hits string
	b.eval(`(() => {
		const q = document.getElementById("q");
		q.value = "zzz-nothing";
		q.form.requestSubmit();
		const hits = document.getElementById("hits").textContent;
		q.value = "";
		q.form.requestSubmit();
		return hits;
	})()`, &hits)
	if !strings.HasPrefix(hits, "0 of ") {
		t.Errorf("the archive's script did not run: the search shows %q", hits)
	}
	if n := len(b.eventsNamed("Page.javascriptDialogOpening")); n > 0 {
		t.Errorf("%d dialogs opened", n)
	}
}

// checkImages scrolls every image into view (they load lazily) and checks
// that each decoded.
func checkImages(t *testing.T, b *browser) {
	t.Helper()
	var broken []string
	b.eval(`(async () => {
		const imgs = Array.from(document.images);
		for (const img of imgs) {
			img.scrollIntoView();
			if (!img.complete || img.naturalWidth === 0) {
				await Promise.race([img.decode().catch(() => {}), new Promise(r => setTimeout(r, 3000))]);
			}
		}
		window.scrollTo(0, 0);
		return imgs.filter(img => img.naturalWidth === 0).map(img => img.src);
	})()`, &broken)
	for _, src := range broken {
		t.Errorf("image %s did not load", src)
	}
}

// screenshotDir is where the browser test saves its screenshots:
// $CHATFERRY_SCREENSHOTS, or a folder in the system's temporary folder.
func screenshotDir(t *testing.T) string {
	dir := os.Getenv("CHATFERRY_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "chatferry-html-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}
