// Package iosfixture builds the synthetic WhatsApp iPhone inputs that
// chatferry's tests read, from the SQL and media files committed in the
// module's testdata/whatsapp-ios folder: a ChatStorage.sqlite with its
// Message folder beside it, and an unencrypted iPhone backup folder that
// holds the same files under their hashed names with a Manifest.db.
package iosfixture

import (
	"archive/zip"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/mattn/go-sqlite3" // the SQLite driver
)

// Inputs are the paths Build made.
type Inputs struct {
	// Folder holds ChatStorage.sqlite and its Message folder, as in
	// WhatsApp's shared container.
	Folder string
	// Database is Folder's ChatStorage.sqlite.
	Database string
	// Backup is an iPhone backup folder with Manifest.db.
	Backup string
	// FolderZip and BackupZip hold the same files as Folder and Backup.
	FolderZip, BackupZip string
}

// Build writes the inputs into out, which it empties first. src is the
// testdata/whatsapp-ios folder.
func Build(src, out string) (Inputs, error) {
	in := Inputs{
		Folder:   filepath.Join(out, "container"),
		Database: filepath.Join(out, "container", "ChatStorage.sqlite"),
		Backup:   filepath.Join(out, "backup"),

		FolderZip: filepath.Join(out, "container.zip"),
		BackupZip: filepath.Join(out, "backup.zip"),
	}
	if err := os.RemoveAll(out); err != nil {
		return in, err
	}
	if err := os.MkdirAll(in.Backup, 0o755); err != nil {
		return in, err
	}
	if err := copyTree(filepath.Join(src, "Message"), filepath.Join(in.Folder, "Message")); err != nil {
		return in, err
	}
	if err := Exec(in.Database, filepath.Join(src, "ChatStorage.sql")); err != nil {
		return in, err
	}
	manifest := filepath.Join(in.Backup, "Manifest.db")
	if err := Exec(manifest, filepath.Join(src, "Manifest.sql")); err != nil {
		return in, err
	}
	if err := fillBackup(manifest, in); err != nil {
		return in, err
	}
	if err := zipTree(in.Folder, in.FolderZip); err != nil {
		return in, err
	}
	return in, zipTree(in.Backup, in.BackupZip)
}

// zipTree writes the files under dir into a new zip file, sorted by name.
func zipTree(dir, file string) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		_, err = io.Copy(w, in)
		return err
	})
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// Exec creates the database db and runs the SQL file script in it.
func Exec(db, script string) error {
	text, err := os.ReadFile(script)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(db), 0o755); err != nil {
		return err
	}
	d, err := sql.Open("sqlite3", db)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := d.Exec(string(text)); err != nil {
		return fmt.Errorf("%s: %w", script, err)
	}
	return d.Close()
}

// fillBackup stores each file the manifest lists under its hashed name:
// the database, the media of the container folder, or an empty file for
// what the fixture does not have.
func fillBackup(manifest string, in Inputs) error {
	d, err := sql.Open("sqlite3", "file:"+manifest+"?mode=ro")
	if err != nil {
		return err
	}
	defer d.Close()
	rows, err := d.Query("SELECT fileID, domain, relativePath FROM Files WHERE flags = 1 ORDER BY fileID")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, domain, rel string
		if err := rows.Scan(&id, &domain, &rel); err != nil {
			return err
		}
		dst := filepath.Join(in.Backup, id[:2], id)
		from := ""
		if strings.Contains(domain, "whatsapp") {
			from = filepath.Join(in.Folder, filepath.FromSlash(rel))
		}
		if err := copyFile(from, dst); err != nil {
			return err
		}
	}
	return rows.Err()
}

func copyTree(from, to string) error {
	return filepath.WalkDir(from, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		return copyFile(p, filepath.Join(to, rel))
	})
}

// copyFile copies from to to; from "" makes an empty file.
func copyFile(from, to string) error {
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if from != "" {
		in, err := os.Open(from)
		if err != nil {
			out.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		if err != nil {
			out.Close()
			return err
		}
	}
	return out.Close()
}
