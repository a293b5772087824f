package exporters_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/exporters/exportertest"
	"github.com/chatferry/chatferry/model"
)

// Whatever keeps the input from giving a file is a *MediaError that
// matches ErrNoMedia and says why; nothing of the file is left in the
// output. A failure of the output is not one.
func TestMediaErrors(t *testing.T) {
	root := t.TempDir()
	c := &model.Chat{Media: exportertest.FailingMedia("broken.jpg", fstest.MapFS{
		"ok.jpg":        {Data: []byte("fine")},
		"album/in.jpg":  {Data: []byte("inside")},
		"album/sub.jpg": {Data: []byte("x")},
	})}
	d := &exporters.MediaDir{Root: root, Sub: "media"}
	for _, tc := range []struct{ path, why string }{
		{"", "the input does not hold it"},
		{"nope.jpg", "the input does not hold it"},
		{"../../etc/passwd", "its path is not a plain path inside the input"},
		{"/etc/hosts", "its path is not a plain path inside the input"},
		{"album", "it is a folder"},
		{"broken.jpg", "injected read error"},
	} {
		_, err := d.Copy(c, &model.Attachment{Name: "f.jpg", Path: tc.path})
		var me *exporters.MediaError
		if !errors.As(err, &me) || !errors.Is(err, exporters.ErrNoMedia) || !strings.HasSuffix(err.Error(), tc.why) {
			t.Errorf("%q: %v, want a media error saying %q", tc.path, err, tc.why)
		}
	}
	if got, err := d.Copy(c, &model.Attachment{Name: "f.jpg", Path: "ok.jpg"}); err != nil || got != "media/f.jpg" {
		t.Errorf("a readable file after the failures: %q, %v", got, err)
	}
	entries, _ := os.ReadDir(filepath.Join(root, "media"))
	if len(entries) != 1 {
		t.Errorf("the media folder holds %d files, want only the readable one", len(entries))
	}

	// The output's own failure is not the input's.
	gone := &exporters.MediaDir{Root: filepath.Join(root, "media", "f.jpg"), Sub: "media"}
	if _, err := gone.Copy(c, &model.Attachment{Name: "g.jpg", Path: "ok.jpg"}); err == nil || errors.Is(err, exporters.ErrNoMedia) {
		t.Errorf("an output that cannot be written: %v, want an error that is not ErrNoMedia", err)
	}
}
