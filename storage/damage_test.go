package storage_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// TestMain runs the child processes of the tests that need conditions of
// their own (a file size limit), then the tests.
func TestMain(m *testing.M) {
	if runChild() {
		return
	}
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// filled returns the path of a closed database holding fill's site and
// enough events (200) that the event buckets have several pages.
func filled(t *testing.T) string {
	t.Helper()
	path := tempPath(t)
	db, err := storage.Open(path, storage.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db)
	update(t, db, func(tx core.Tx) error {
		for i := range 200 {
			e := core.Event{At: t0.Add(time.Duration(i) * time.Hour), Reader: "main-in", Door: "main",
				Card: annCard, Person: "ann", Result: core.Granted, Explanation: "level Staff", Zone: "office"}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// damagePage overwrites the body of page id (after its header) of the
// file at path with 0xFF.
func damagePage(t *testing.T, path string, pageSize int, id uint64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteAt(bytes.Repeat([]byte{0xFF}, pageSize-16), int64(id)*int64(pageSize)+16); err != nil {
		t.Fatal(err)
	}
}

func pagesOf(t *testing.T, path string) storagetest.Pages {
	t.Helper()
	p, err := storagetest.ReadPages(path)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestOpenMakesOnlyAMissingPath opens what is not a database, or not yet
// one: only a path where nothing exists becomes a new database; the rest
// gives a one-line error matching ErrDamaged and is left as it was.
func TestOpenMakesOnlyAMissingPath(t *testing.T) {
	for _, tt := range []struct {
		name     string
		content  []byte // nil: no file
		readOnly bool
		want     string // "" for a new database
	}{
		{name: "missing", want: ""},
		{name: "missing, read-only", readOnly: true, want: "does not exist"},
		{name: "empty", content: []byte{}, want: "is not a Frontdesk database: the file is empty"},
		{name: "empty, read-only", content: []byte{}, readOnly: true, want: "is not a Frontdesk database: the file is empty"},
		{name: "text", content: []byte("id,name\nann,Ann\n"), want: "is not a Frontdesk database: not a bbolt database file"},
		{name: "zeros", content: make([]byte, 16384), want: "is not a Frontdesk database: not a bbolt database file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := tempPath(t)
			if tt.content != nil {
				if err := os.WriteFile(path, tt.content, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			db, err := storage.Open(path, storage.Options{ReadOnly: tt.readOnly})
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want a new database", err)
				}
				db.Close()
				if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(leftovers) > 0 {
					t.Errorf("got leftovers %v, want none", leftovers)
				}
				return
			}
			if err == nil {
				db.Close()
				t.Fatalf("got a database, want an error saying %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %q, want one line saying %q", err, tt.want)
			}
			if tt.content != nil && !errors.Is(err, storage.ErrDamaged) {
				t.Errorf("got %v, want it to match ErrDamaged", err)
			}
			after, rerr := os.ReadFile(path)
			switch {
			case tt.content == nil && !errors.Is(rerr, os.ErrNotExist):
				t.Errorf("a read-only open made %s", path)
			case tt.content != nil && !bytes.Equal(after, tt.content):
				t.Errorf("the file was changed: %d bytes, was %d", len(after), len(tt.content))
			}
		})
	}
}

// TestOpenWritesNothing opens a current database for writing and for
// reading only: neither changes a byte of it, so that opening works on a
// full disk and read-only.
func TestOpenWritesNothing(t *testing.T) {
	path := filled(t)
	before, _ := os.ReadFile(path)
	stat, _ := os.Stat(path)
	for _, ro := range []bool{false, true} {
		db, err := storage.Open(path, storage.Options{ReadOnly: ro})
		if err != nil {
			t.Fatal(err)
		}
		view(t, db, func(tx core.Tx) error { _, err := tx.LastEvent(); return err })
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	after, _ := os.ReadFile(path)
	stat2, _ := os.Stat(path)
	if !bytes.Equal(before, after) || !stat.ModTime().Equal(stat2.ModTime()) {
		t.Errorf("opening changed the file")
	}
}

// TestReadOnly opens a database read-only: several such opens share it,
// a read-write open waits for them, writes fail, and an older file is
// brought up to date first when it can be written.
func TestReadOnly(t *testing.T) {
	path := filled(t)
	a, err := storage.Open(path, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := storage.Open(path, storage.Options{ReadOnly: true, Timeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatalf("a second read-only open: got %v, want it to share", err)
	}
	b.Close()
	if rw, err := storage.Open(path, storage.Options{Timeout: 200 * time.Millisecond}); !errors.Is(err, storage.ErrInUse) {
		if err == nil {
			rw.Close()
		}
		t.Errorf("a read-write open beside a read-only one: got %v, want %v", err, storage.ErrInUse)
	}
	err = a.Update(func(tx core.Tx) error { return tx.PutSite(core.Site{Name: "x"}) })
	if !errors.Is(err, berrors.ErrDatabaseReadOnly) {
		t.Errorf("write: got %v, want %v", err, berrors.ErrDatabaseReadOnly)
	}

	old := tempPath(t)
	writeV1(t, old, nil)
	db, err := storage.Open(old, storage.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open of a schema 1 file: %v", err)
	}
	defer db.Close()
	view(t, db, func(tx core.Tx) error {
		var ann core.Person
		return tx.Get(core.KindPerson, "ann", &ann)
	})
}

// errStop stops a walk.
var errStop = errors.New("stop")

// TestEventsSkipUnreadable damages two events of a log of five: one
// record is not JSON, one is gone while its index entries remain. Every
// walk delivers the three others and names the two.
func TestEventsSkipUnreadable(t *testing.T) {
	db := storagetest.MustOpen(t)
	fill(t, db)
	rawUpdate(t, db, func(btx *bolt.Tx) error {
		events := btx.Bucket([]byte("events"))
		if err := events.Put(seqKey(3), []byte("{not json")); err != nil {
			return err
		}
		return events.Delete(seqKey(4))
	})
	db = openAt(t, db.Path())
	for _, tt := range []struct {
		name  string
		q     core.EventQuery
		stop  int // stop the walk after this many events; 0: never
		want  []uint64
		named []uint64
	}{
		{name: "all", want: []uint64{1, 2, 5}, named: []uint64{3, 4}},
		{name: "by person", q: core.EventQuery{Person: "ann"}, want: []uint64{1, 2, 5}, named: []uint64{3, 4}},
		{name: "by door, newest first", q: core.EventQuery{Door: "main", Reverse: true}, want: []uint64{5, 2, 1}, named: []uint64{4, 3}},
		{name: "latest two", q: core.EventQuery{Reverse: true, Limit: 2}, want: []uint64{5, 2}, named: []uint64{4, 3}},
		{name: "first two", q: core.EventQuery{Limit: 2}, want: []uint64{1, 2}},
		{name: "stopped after three", stop: 3, want: []uint64{1, 2, 5}, named: []uint64{3, 4}},
		{name: "stopped after one", stop: 1, want: []uint64{1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []uint64
			err := db.View(func(tx core.Tx) error {
				return tx.Events(tt.q, func(e core.Event) error {
					got = append(got, e.Seq)
					if len(got) == tt.stop {
						return errStop
					}
					return nil
				})
			})
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("events: got %v, want %v", got, tt.want)
			}
			if tt.stop > 0 && !errors.Is(err, errStop) {
				t.Errorf("got %v, want the walk's own error kept", err)
			}
			checkNamed(t, err, tt.named)
		})
	}
	var moves int
	err := db.View(func(tx core.Tx) error {
		return tx.Moves("ann", t0.Add(-time.Hour), t0.Add(time.Hour), func(core.Move) error { moves++; return nil })
	})
	checkNamed(t, err, []uint64{3, 4})
}

// checkNamed checks that err names exactly the events seqs as skipped,
// with a reason each, and matches ErrDamaged; or is nil if seqs is.
func checkNamed(t *testing.T, err error, seqs []uint64) {
	t.Helper()
	var u *core.UnreadableEvents
	if !errors.As(err, &u) {
		if seqs != nil {
			t.Errorf("got %v, want events %v named", err, seqs)
		}
		return
	}
	var got []uint64
	for _, e := range u.Events {
		got = append(got, e.Seq)
		if e.Reason == "" {
			t.Errorf("event %d: no reason given", e.Seq)
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(seqs) || u.Count != len(seqs) || !errors.Is(err, storage.ErrDamaged) {
		t.Errorf("got %v (%d), want events %v named, matching ErrDamaged", got, u.Count, seqs)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") && !strings.Contains(msg, errStop.Error()) {
		t.Errorf("got %q, want one line", msg)
	}
}

// TestPanicsAreContained makes the code a transaction runs panic, in
// each kind of transaction: the caller gets an error, the database keeps
// working, and closing it does not hang. A panic in the code of the
// caller is an internal error, not a damaged file.
func TestPanicsAreContained(t *testing.T) {
	db := storagetest.MustOpen(t)
	fill(t, db)
	boom := func(core.Tx) error { panic("a bug") }
	for name, run := range map[string]func() error{
		"view":   func() error { return db.View(boom) },
		"update": func() error { return db.Update(boom) },
		"batch":  func() error { return db.Batch(boom) },
	} {
		err := run()
		if err == nil || errors.Is(err, storage.ErrDamaged) || !strings.Contains(err.Error(), "internal error") {
			t.Errorf("%s: got %v, want an internal error", name, err)
		}
	}
	// Calls sharing a commit with a panicking one still commit.
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Go(func() {
			errs[i] = db.Batch(func(tx core.Tx) error {
				if i == 3 {
					panic("a bug")
				}
				e := core.Event{At: t0, Door: "main", Result: core.DeniedUnknownCard}
				return tx.AppendEvent(&e)
			})
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 3) {
			t.Errorf("batch call %d: got %v", i, err)
		}
	}
	assertClean(t, db)
	closed := make(chan error)
	go func() { closed <- db.Close() }()
	select {
	case err := <-closed:
		if err != nil {
			t.Errorf("close: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("close hung after contained panics")
	}
}

// TestFileCutUnderTheMap cuts the file short while it is open, as a
// faulty disk or another program can: reading the missing pages through
// the memory map faults (SIGBUS), which must come back as ErrDamaged,
// from reads and writes alike, and leave nothing stuck.
func TestFileCutUnderTheMap(t *testing.T) {
	path := filled(t)
	db := openAt(t, path)
	if err := os.Truncate(path, 2*int64(os.Getpagesize())); err != nil {
		t.Fatal(err)
	}
	read := func() error {
		return db.View(func(tx core.Tx) error {
			return tx.Events(core.EventQuery{}, func(core.Event) error { return nil })
		})
	}
	write := func() error {
		return db.Batch(func(tx core.Tx) error {
			e := core.Event{At: t0, Door: "main", Result: core.DeniedUnknownCard}
			return tx.AppendEvent(&e)
		})
	}
	for name, f := range map[string]func() error{"read": read, "write": write, "read again": read} {
		if err := f(); !errors.Is(err, storage.ErrDamaged) || !strings.Contains(err.Error(), "restore a backup") {
			t.Errorf("%s: got %v, want ErrDamaged", name, err)
		}
	}
	done := make(chan struct{})
	go func() { db.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("close hung")
	}
}

// TestVerifyFindsDamagedPages damages pages of a file and verifies it,
// opened read-only (checked in place) and for writing (a copy is
// checked): each damage is reported, and bbolt is not let loose on a page
// structure that would lead it outside the file. A damaged branch page is
// found by Open already, since bbolt goes through branches to every
// record: reading its bucket is refused, other buckets still read.
func TestVerifyFindsDamagedPages(t *testing.T) {
	for _, tt := range []struct {
		name   string
		damage func(t *testing.T, path string, p storagetest.Pages)
		want   []string
	}{
		{"meta page 1", func(t *testing.T, path string, p storagetest.Pages) { damagePage(t, path, p.PageSize, 1) },
			[]string{"meta page 1 is unreadable (not a bbolt meta page): the file falls back to meta page 0"}},
		{"meta page 0", func(t *testing.T, path string, p storagetest.Pages) { damagePage(t, path, p.PageSize, 0) },
			[]string{"meta page 0 is unreadable (not a bbolt meta page): the file falls back to meta page 1"}},
		{"an events leaf", func(t *testing.T, path string, p storagetest.Pages) {
			damagePage(t, path, p.PageSize, p.Leaves["events"][1])
		}, []string{`page structure: bucket "events": page `, "the records were not checked"}},
		{"a time index branch", func(t *testing.T, path string, p storagetest.Pages) {
			damagePage(t, path, p.PageSize, p.Branches["events_by_time"][0])
		}, []string{`database damaged: `, `bucket "events_by_time": page `}},
		{"a branch pointing to itself", func(t *testing.T, path string, p storagetest.Pages) {
			// Its last element: bbolt would recurse until the stack
			// overflows, which no recover catches.
			id := p.Branches["events"][0]
			data, _ := os.ReadFile(path)
			last := int(binary.NativeEndian.Uint16(data[int(id)*p.PageSize+10:])) - 1
			binary.NativeEndian.PutUint64(data[int(id)*p.PageSize+16+last*16+8:], id)
			os.WriteFile(path, data, 0o600)
		}, []string{`database damaged: `, `bucket "events": page `, "which is used twice"}},
		{"a branch pointing to a free page", func(t *testing.T, path string, p storagetest.Pages) {
			id := p.Branches["events"][0]
			data, _ := os.ReadFile(path)
			last := int(binary.NativeEndian.Uint16(data[int(id)*p.PageSize+10:])) - 1
			binary.NativeEndian.PutUint64(data[int(id)*p.PageSize+16+last*16+8:], p.Freelist)
			os.WriteFile(path, data, 0o600)
		}, []string{`database damaged: `, `bucket "events": page `, "a free page"}},
	} {
		for _, ro := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, read-only %v", tt.name, ro), func(t *testing.T) {
				path := filled(t)
				tt.damage(t, path, pagesOf(t, path))
				db, err := storage.Open(path, storage.Options{ReadOnly: ro})
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if strings.HasPrefix(tt.want[0], "database damaged: ") {
					err := db.View(func(tx core.Tx) error {
						return tx.Events(core.EventQuery{}, func(core.Event) error { return nil })
					})
					for _, want := range tt.want {
						if err == nil || !strings.Contains(err.Error(), want) || !errors.Is(err, storage.ErrDamaged) {
							t.Errorf("events: got %v, want it to say %q", err, want)
						}
					}
					// Other buckets still read.
					view(t, db, func(tx core.Tx) error {
						var ann core.Card
						return tx.Get(core.KindCard, annCard, &ann)
					})
					return
				}
				r, err := db.Verify()
				if err != nil {
					t.Fatal(err)
				}
				if len(r.Problems) < len(tt.want) {
					t.Fatalf("got problems %q, want %q", r.Problems, tt.want)
				}
				for i, want := range tt.want {
					if !strings.HasPrefix(r.Problems[i], want) {
						t.Errorf("problem %d: got %q, want it to start with %q", i, r.Problems[i], want)
					}
				}
			})
		}
	}
}

// TestBackupRefusesDamagedPages backs up a database with a damaged page:
// the last good backup stays as it was, and nothing is left beside it.
func TestBackupRefusesDamagedPages(t *testing.T) {
	path := filled(t)
	backup := filepath.Join(t.TempDir(), "backup.db")
	db := openAt(t, path)
	if err := db.Backup(backup); err != nil {
		t.Fatal(err)
	}
	good, _ := os.ReadFile(backup)
	db.Close()
	damagePage(t, path, pagesOf(t, path).PageSize, pagesOf(t, path).Leaves["events"][0])
	db = openAt(t, path)
	err := db.Backup(backup)
	if !errors.Is(err, storage.ErrDamaged) || !strings.Contains(err.Error(), "the backup was not written") {
		t.Errorf("got %v, want ErrDamaged saying the backup was not written", err)
	}
	if now, _ := os.ReadFile(backup); !bytes.Equal(now, good) {
		t.Errorf("the last good backup was replaced")
	}
	if entries, _ := os.ReadDir(filepath.Dir(backup)); len(entries) != 1 {
		t.Errorf("got %d files beside the backup, want it alone", len(entries))
	}
}
