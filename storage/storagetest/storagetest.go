// Package storagetest opens real, throw-away storage databases for tests.
package storagetest

import (
	"path/filepath"
	"testing"

	"frontdesk/storage"
)

// MustOpen opens a new database in a file under tb.TempDir and closes it
// when the test ends. It stops the test if the database cannot be opened.
func MustOpen(tb testing.TB) *storage.DB {
	tb.Helper()
	db, err := storage.Open(filepath.Join(tb.TempDir(), "frontdesk.db"), storage.Options{})
	if err != nil {
		tb.Fatalf("open test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := db.Close(); err != nil {
			tb.Errorf("close test database: %v", err)
		}
	})
	return db
}
