package storage

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
)

// scanFixture is a small sound database: people, cards and a few pages
// of events, whose event buckets have branch pages; the file ends at its
// last page used.
var scanFixture = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "frontdesk-scan-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "frontdesk.db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		return nil, err
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	err = db.Update(func(tx core.Tx) error {
		for _, p := range []string{"ann", "bob", "zoe"} {
			if err := tx.Put(core.KindPerson, p, core.Person{ID: p, Name: p, Phone: "+33 6 12 34 56 7" + p[:1]}); err != nil {
				return err
			}
		}
		if err := tx.Put(core.KindCard, "em:0102B0A5FD", core.Card{Code: "em:0102B0A5FD", Person: "ann"}); err != nil {
			return err
		}
		for i := range 150 {
			e := core.Event{At: at.Add(time.Duration(i) * time.Minute), Door: "main", Person: []string{"ann", "bob", "zoe"}[i%3],
				Result: core.Granted, Zone: "office", Explanation: "level Staff"}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	// The file grows ahead of its pages: the fixture is the pages used.
	var used int64
	bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	err = bdb.View(func(btx *bolt.Tx) error { used = btx.Size(); return nil })
	if cerr := bdb.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(path)
	return data[:min(int64(len(data)), used)], err
})

// FuzzScanPages damages a sound database with patches (page, offset,
// bytes) and checks the two promises of the page checks, whose breach
// would end the process rather than give an error: a file the full scan
// passes as walkable is checked by bbolt's Check (on a goroutine of its
// own, where a fault is fatal) to the end; and in a file the descent
// check passes, bbolt walks every bucket it did not put out of reach, in
// both directions and by seeking, without recursing for ever (a stack
// overflow is fatal too). The checks themselves never panic.
func FuzzScanPages(f *testing.F) {
	sound, err := scanFixture()
	if err != nil {
		f.Fatal(err)
	}
	const ps = 4096
	pages := len(sound) / ps
	for id := range pages {
		for _, off := range []int{0, 8, 10, 12, 16, 20, 24, 28, 40, 100} {
			f.Add(uint16(id), uint16(off), []byte{0xFF, 0xFF, 0xFF, 0x7F})
		}
	}
	f.Fuzz(func(t *testing.T, page, off uint16, patch []byte) {
		data := bytes.Clone(sound)
		at := int(page)%pages*ps + int(off)%ps
		copy(data[at:min(len(data), at+len(patch))], patch)
		path := filepath.Join(t.TempDir(), "frontdesk.db")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		db := &DB{path: path, log: slog.New(slog.DiscardHandler)}
		walkBuckets(t, db, path)
		scan, err := scanPages(path)
		if err != nil {
			t.Fatal(err)
		}
		if !scan.walkable {
			return
		}
		_ = db.contain(func() error {
			bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
			if err != nil {
				return err
			}
			defer bdb.Close()
			return bdb.View(func(btx *bolt.Tx) error {
				for range btx.Check() {
				}
				return nil
			})
		})
	})
}

// BenchmarkScanPages reads every page of a file of 20,000 events without
// bbolt, as Verify does before bbolt's Check: the cost of that promise.
func BenchmarkScanPages(b *testing.B) {
	path := filepath.Join(b.TempDir(), "frontdesk.db")
	db, err := Open(path, Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	err = db.Update(func(tx core.Tx) error {
		for i := range 20000 {
			e := core.Event{At: at.Add(time.Duration(i) * time.Second), Door: "main", Person: fmt.Sprintf("p%d", i%1000),
				Result: core.Granted, Zone: "office", Explanation: "level Staff, schedule Office hours, Tue 07:00-19:00"}
			if err := tx.AppendEvent(&e); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	for b.Loop() {
		scan, err := scanPages(path)
		if err != nil || !scan.walkable || len(scan.problems) > 0 {
			b.Fatalf("scan: %v %v", err, scan.problems)
		}
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "MB")
}

// walkBuckets runs the descent check on the file at path and, if it
// passes, walks with bbolt every bucket it did not put out of reach.
func walkBuckets(t *testing.T, db *DB, path string) {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := inspect(path, f)
	if err != nil {
		return
	}
	quarantine, err := checkDescent(path, f, l)
	if err != nil {
		return
	}
	_ = db.contain(func() error {
		bdb, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			return err
		}
		defer bdb.Close()
		return bdb.View(func(btx *bolt.Tx) error {
			for _, name := range buckets() {
				if quarantine[string(name)] != nil {
					continue
				}
				b := btx.Bucket(name)
				if b == nil {
					continue
				}
				c := b.Cursor()
				for k, _ := c.First(); k != nil; k, _ = c.Next() {
				}
				for k, _ := c.Last(); k != nil; k, _ = c.Prev() {
				}
				for _, key := range [][]byte{{0}, {0x41}, {0x80, 0, 0, 0, 0, 0, 0, 1}, {0xFF}} {
					c.Seek(key)
					b.Get(key)
				}
			}
			return nil
		})
	})
}

// TestDescentCheckPassesSoundFiles opens sound databases of every shape,
// from empty buckets held inside their parent's page to trees three
// levels deep, and checks that the descent check puts no bucket out of
// reach: a false alarm would refuse a healthy site its own data.
func TestDescentCheckPassesSoundFiles(t *testing.T) {
	at := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	for _, n := range []int{0, 1, 12, 60, 400, 3000, 30000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "frontdesk.db")
			db, err := Open(path, Options{NoSync: true})
			if err != nil {
				t.Fatal(err)
			}
			err = db.Update(func(tx core.Tx) error {
				for i := range n {
					id := fmt.Sprintf("p%d", i)
					if i < 2000 {
						if err := tx.Put(core.KindPerson, id, core.Person{ID: id, Name: "Person " + id, Phone: fmt.Sprintf("+33 6 %08d", i)}); err != nil {
							return err
						}
					}
					e := core.Event{At: at.Add(time.Duration(i) * time.Second), Door: "main", Person: id, Result: core.Granted, Zone: "office"}
					if err := tx.AppendEvent(&e); err != nil {
						return err
					}
				}
				return nil
			})
			if cerr := db.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{true, false} {
				db, err := Open(path, Options{ReadOnly: ro})
				if err != nil {
					t.Fatal(err)
				}
				if len(db.quarantine) > 0 {
					t.Errorf("read-only %v: got buckets put out of reach %v, want none", ro, db.quarantine)
				}
				events := 0
				err = db.View(func(tx core.Tx) error {
					return tx.Events(core.EventQuery{}, func(core.Event) error { events++; return nil })
				})
				if err != nil || events != n {
					t.Errorf("read-only %v: got %d events (%v), want %d", ro, events, err, n)
				}
				db.Close()
			}
		})
	}
}
