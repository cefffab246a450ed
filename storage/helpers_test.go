package storage_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage"
)

// update runs fn in a write transaction and stops the test on error.
func update(t testing.TB, db *storage.DB, fn func(core.Tx) error) {
	t.Helper()
	if err := db.Update(fn); err != nil {
		t.Fatalf("update: %v", err)
	}
}

// view runs fn in a read transaction and stops the test on error.
func view(t testing.TB, db *storage.DB, fn func(core.Tx) error) {
	t.Helper()
	if err := db.View(fn); err != nil {
		t.Fatalf("view: %v", err)
	}
}

// put stores each value of kind under its id.
func put(t testing.TB, db *storage.DB, kind core.Kind, objs map[string]any) {
	t.Helper()
	update(t, db, func(tx core.Tx) error {
		for id, v := range objs {
			if err := tx.Put(kind, id, v); err != nil {
				return err
			}
		}
		return nil
	})
}

// jsonOf encodes v for comparisons that should not care about nil versus
// empty slices.
func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode %T: %v", v, err)
	}
	return string(b)
}

// openAt opens the database at path and closes it when the test ends.
func openAt(t testing.TB, path string) *storage.DB {
	t.Helper()
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// tempPath returns a database path in a new temporary folder.
func tempPath(t testing.TB) string {
	return filepath.Join(t.TempDir(), "frontdesk.db")
}

// rawUpdate closes db and changes its file with bbolt directly, as an
// intruder or a bug would.
func rawUpdate(t testing.TB, db *storage.DB, fn func(*bolt.Tx) error) {
	t.Helper()
	if err := db.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	bdb, err := bolt.Open(db.Path(), 0o600, nil)
	if err != nil {
		t.Fatalf("bolt open: %v", err)
	}
	defer bdb.Close()
	if err := bdb.Update(fn); err != nil {
		t.Fatalf("bolt update: %v", err)
	}
}

func jsonDecode(b []byte, v any) error { return json.Unmarshal(b, v) }

func jsonEncode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
