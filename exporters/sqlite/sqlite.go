// Package sqlite writes chatferry's SQLite archive (format "sqlite"): one
// database file that holds every chat, searchable with SQLite's full-text
// search (FTS5), with the media in a folder beside it or inside it.
//
// The schema is documented in docs/sqlite-schema.md; the database says
// what it is by PRAGMA application_id (ApplicationID) and user_version
// (SchemaVersion). An archive is updated in place: converting a newer
// export of a chat into it adds only the messages it does not have yet,
// recognised by a stable message key (see keyMaker). Each run is one
// transaction; a new archive is built under a temporary name and renamed
// into place, so an interrupted run leaves the archive as it was. A file
// that is not a chatferry archive, or one of a newer schema version, is
// refused without being changed.
//
// FTS5 is part of the SQLite that github.com/mattn/go-sqlite3 compiles
// only with the build tag sqlite_fts5; a chatferry built without it
// refuses to write archives and says how to rebuild.
package sqlite

import (
	"github.com/chatferry/chatferry/exporters"
	"github.com/chatferry/chatferry/model"
)

func init() {
	exporters.Register(exporters.Format{
		Name:     "sqlite",
		Summary:  "SQLite archive with full-text search; converting newer exports into it adds only new messages",
		Layout:   exporters.InPlaceLayout,
		Merges:   true,
		Instants: true,
		Ext:      ".db",
		Support:  support,
		Options: []exporters.Option{
			{Name: "embed-media", Bool: true,
				Help: "store media files inside the database instead of in a folder beside it"},
		},
		New: func(t *exporters.Target, opts exporters.Options) (exporters.Writer, error) {
			return Open(t.Path, opts)
		},
	})
}

// support: the archive has a place for every feature of the model.
var support = func() map[model.Feature]exporters.Support {
	m := map[model.Feature]exporters.Support{}
	for _, f := range model.Features {
		m[f] = exporters.Full
	}
	return m
}()
