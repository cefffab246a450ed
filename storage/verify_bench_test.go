package storage_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
)

// benchDir holds benchLog's file; TestMain removes it.
var benchDir string

// benchLog is a database of 100,000 events by 1,000 people, made once.
var benchLog = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "frontdesk-bench-")
	if err != nil {
		return "", err
	}
	benchDir = dir
	path := filepath.Join(dir, "bench.db")
	db, err := storage.Open(path, storage.Options{NoSync: true})
	if err != nil {
		return "", err
	}
	defer db.Close()
	for batch := range 100 {
		err := db.Update(func(tx core.Tx) error {
			for i := range 1000 {
				n := batch*1000 + i
				e := core.Event{At: t0.Add(time.Duration(n) * time.Second), Reader: "main-in", Door: "main",
					Card: "em:0102B0A5FD", Person: fmt.Sprintf("p%d", n%1000), Result: core.Granted, Zone: "office",
					Explanation: "level Staff, schedule Office hours, Tue 07:00-19:00"}
				if err := tx.AppendEvent(&e); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return "", err
		}
	}
	return path, nil
})

// BenchmarkVerify verifies a log of 100,000 events: read-only, in place
// (the command line), and open for writing, through a copy beside the
// file (the running program). Both read every page without bbolt first.
func BenchmarkVerify(b *testing.B) {
	path, err := benchLog()
	if err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	for _, ro := range []bool{true, false} {
		b.Run(fmt.Sprintf("read-only=%v", ro), func(b *testing.B) {
			db, err := storage.Open(path, storage.Options{ReadOnly: ro})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			for b.Loop() {
				r, err := db.Verify()
				if err != nil || r.Events != 100000 || len(r.Problems) > 0 {
					b.Fatalf("verify: %v %d %v", err, r.Events, r.Problems)
				}
			}
			b.ReportMetric(float64(st.Size())/(1<<20), "MB")
		})
	}
}

// BenchmarkOpen opens and closes a log of 100,000 events: what reading
// the meta pages and the free list without bbolt adds to every command.
func BenchmarkOpen(b *testing.B) {
	path, err := benchLog()
	if err != nil {
		b.Fatal(err)
	}
	for _, ro := range []bool{true, false} {
		b.Run(fmt.Sprintf("read-only=%v", ro), func(b *testing.B) {
			for b.Loop() {
				db, err := storage.Open(path, storage.Options{ReadOnly: ro})
				if err != nil {
					b.Fatal(err)
				}
				db.Close()
			}
		})
	}
}
