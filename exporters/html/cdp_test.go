package html_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"
)

// browser drives a headless Chromium over the DevTools protocol on a pipe
// (--remote-debugging-pipe): Chromium reads commands from its fd 3 and
// writes replies and events to its fd 4, each a JSON object ended by NUL.
type browser struct {
	t       testing.TB
	cmd     *exec.Cmd
	out     *os.File // our end of Chromium's fd 3
	msgs    chan cdpMessage
	nextID  int
	session string
	events  []cdpMessage // events seen so far, in order
}

type cdpMessage struct {
	ID     int             `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	SessionID string `json:"sessionId"`
}

// chromiumFlags are the flags the machine's notes give for headless
// Chromium on a closed network.
var chromiumFlags = []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
	"--disable-background-networking", "--disable-component-update", "--disable-sync",
	"--disable-quic", "--remote-debugging-pipe"}

// startBrowser starts Chromium with a fresh profile and opens one page.
func startBrowser(t testing.TB, chromium string) *browser {
	t.Helper()
	toChrome, ourOut, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	ourIn, fromChrome, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	args := append([]string{"--user-data-dir=" + t.TempDir()}, chromiumFlags...)
	cmd := exec.Command(chromium, append(args, "about:blank")...)
	cmd.ExtraFiles = []*os.File{toChrome, fromChrome} // fd 3, fd 4
	stderr := &limitedLog{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	toChrome.Close()
	fromChrome.Close()
	b := &browser{t: t, cmd: cmd, out: ourOut, msgs: make(chan cdpMessage, 64)}
	t.Cleanup(func() {
		b.close()
		if t.Failed() {
			t.Logf("Chromium's messages:\n%s", stderr)
		}
	})
	go b.read(ourIn)

	var target struct{ TargetID string }
	b.callBrowser("Target.createTarget", map[string]any{"url": "about:blank"}, &target)
	var att struct{ SessionID string }
	b.callBrowser("Target.attachToTarget", map[string]any{"targetId": target.TargetID, "flatten": true}, &att)
	b.session = att.SessionID
	b.call("Page.enable", nil, nil)
	b.call("Runtime.enable", nil, nil)
	return b
}

func (b *browser) read(in *os.File) {
	defer close(b.msgs)
	defer in.Close()
	r := bufio.NewReaderSize(in, 1<<20)
	for {
		line, err := r.ReadBytes(0)
		if err != nil {
			return
		}
		var m cdpMessage
		if err := json.Unmarshal(line[:len(line)-1], &m); err != nil {
			continue
		}
		b.msgs <- m
	}
}

func (b *browser) close() {
	b.send("", "Browser.close", nil, nil) // a quick exit; its answer may not come
	b.out.Close()                         // and Chromium exits when its pipe closes
	done := make(chan error, 1)
	go func() { done <- b.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		b.cmd.Process.Kill()
		<-done
	}
}

// call sends a command to the page's session and decodes its result.
func (b *browser) call(method string, params any, result any) {
	b.t.Helper()
	if err := b.send(b.session, method, params, result); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) callBrowser(method string, params any, result any) {
	b.t.Helper()
	if err := b.send("", method, params, result); err != nil {
		b.t.Fatal(err)
	}
}

func (b *browser) send(session, method string, params any, result any) error {
	b.nextID++
	id := b.nextID
	msg := map[string]any{"id": id, "method": method}
	if params != nil {
		msg["params"] = params
	}
	if session != "" {
		msg["sessionId"] = session
	}
	data, err := json.Marshal(msg)
	if err != nil {
		return err
	}
	if _, err := b.out.Write(append(data, 0)); err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	deadline := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-b.msgs:
			if !ok {
				return fmt.Errorf("%s: Chromium closed the pipe", method)
			}
			if m.ID != id {
				if m.Method != "" {
					b.events = append(b.events, m)
				}
				continue
			}
			if m.Error != nil {
				return fmt.Errorf("%s: %s", method, m.Error.Message)
			}
			if result != nil {
				return json.Unmarshal(m.Result, result)
			}
			return nil
		case <-deadline:
			return fmt.Errorf("%s: no answer from Chromium in 30 s", method)
		}
	}
}

// waitEvent waits for the named event, counting only events that arrive
// after the index from (see len(b.events)).
func (b *browser) waitEvent(method string, from int) {
	b.t.Helper()
	for _, e := range b.events[from:] {
		if e.Method == method {
			return
		}
	}
	deadline := time.After(30 * time.Second)
	for {
		select {
		case m, ok := <-b.msgs:
			if !ok {
				b.t.Fatalf("waiting for %s: Chromium closed the pipe", method)
			}
			if m.Method != "" {
				b.events = append(b.events, m)
				if m.Method == method {
					return
				}
			}
		case <-deadline:
			b.t.Fatalf("no %s from Chromium in 30 s", method)
		}
	}
}

// navigate opens url and waits for its load event.
func (b *browser) navigate(url string) {
	b.t.Helper()
	from := len(b.events)
	var res struct{ ErrorText string }
	b.call("Page.navigate", map[string]any{"url": url}, &res)
	if res.ErrorText != "" {
		b.t.Fatalf("navigate %s: %s", url, res.ErrorText)
	}
	b.waitEvent("Page.loadEventFired", from)
}

// eval evaluates a JavaScript expression in the page (awaiting a promise)
// and decodes its value into result.
func (b *browser) eval(expr string, result any) {
	b.t.Helper()
	var res struct {
		Result struct {
			Value json.RawMessage `json:"value"`
		} `json:"result"`
		ExceptionDetails *struct {
			Text      string `json:"text"`
			Exception struct {
				Description string `json:"description"`
			} `json:"exception"`
		} `json:"exceptionDetails"`
	}
	b.call("Runtime.evaluate", map[string]any{"expression": expr, "returnByValue": true,
		"awaitPromise": true}, &res)
	if res.ExceptionDetails != nil {
		b.t.Fatalf("evaluating %s: %s %s", expr, res.ExceptionDetails.Text, res.ExceptionDetails.Exception.Description)
	}
	if result != nil {
		if err := json.Unmarshal(res.Result.Value, result); err != nil {
			b.t.Fatalf("evaluating %s: %v (value %s)", expr, err, res.Result.Value)
		}
	}
}

// screenshot returns a PNG of the whole page.
func (b *browser) screenshot() []byte {
	b.t.Helper()
	var res struct{ Data []byte }
	b.call("Page.captureScreenshot", map[string]any{"format": "png", "captureBeyondViewport": true}, &res)
	if len(res.Data) == 0 {
		b.t.Fatal("empty screenshot")
	}
	return res.Data
}

// eventsNamed returns the events of the given method seen so far.
func (b *browser) eventsNamed(method string) []cdpMessage {
	var out []cdpMessage
	for _, e := range b.events {
		if e.Method == method {
			out = append(out, e)
		}
	}
	return out
}

// limitedLog keeps the start of Chromium's stderr for the log of a
// failed test.
type limitedLog struct {
	mu  sync.Mutex
	buf []byte
}

func (l *limitedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.buf) < 16<<10 {
		l.buf = append(l.buf, p...)
	}
	return len(p), nil
}

func (l *limitedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.buf)
}
