package storage_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// TestWriteTo copies a database into a stream: the bytes, saved to a
// file, open as a database with the same events, cards and audit trail.
func TestWriteTo(t *testing.T) {
	db := storagetest.MustOpen(t)
	fill(t, db)
	var buf bytes.Buffer
	n, err := db.WriteTo(&buf)
	if err != nil {
		t.Fatalf("write to: %v", err)
	}
	if n != int64(buf.Len()) || n == 0 {
		t.Errorf("got %d bytes counted, %d written, want the same, not 0", n, buf.Len())
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cp := openAt(t, path)
	r, err := cp.Verify()
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Problems) != 0 {
		t.Errorf("copy: got problems %q, want none", r.Problems)
	}
	events := func(db *storage.DB) []core.Event {
		var out []core.Event
		view(t, db, func(tx core.Tx) error {
			return tx.Events(core.EventQuery{}, func(e core.Event) error {
				out = append(out, e)
				return nil
			})
		})
		return out
	}
	if got, want := events(cp), events(db); len(want) == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("copy: got events %v, want %v", got, want)
	}
}

// TestWriteToStopsOnWriterError: the writer's error is returned, wrapped.
func TestWriteToStopsOnWriterError(t *testing.T) {
	db := storagetest.MustOpen(t)
	fill(t, db)
	broken := errors.New("disk full")
	if _, err := db.WriteTo(failingWriter{broken}); !errors.Is(err, broken) {
		t.Errorf("got %v, want the writer's error", err)
	}
}

type failingWriter struct{ err error }

func (w failingWriter) Write([]byte) (int, error) { return 0, w.err }
