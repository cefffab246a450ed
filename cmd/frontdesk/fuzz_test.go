package main

import (
	"bytes"
	"io"
	"path/filepath"
	"testing"

	"frontdesk/core"
)

// FuzzReadTaps feeds arbitrary bytes to the parser of `tap --from-file`:
// it must never panic, and whatever it accepts must be taps the engine can
// take: a known reader and a well-formed code.
func FuzzReadTaps(f *testing.F) {
	for _, s := range []string{
		"reader,card,time\nmain-in,em:0102B0A5FD,2026-11-24T09:00\n",
		"# comment\nmain-in,dec:45131261,\n\nlab-in,uid:04a22b1a,2026-11-24T12:01:00+01:00\n",
		"main-in,\"em:01\n", "main-in\n", ",,,\n", "nowhere,em:0102B0A5FD,2026-11-24\n",
	} {
		f.Add([]byte(s))
	}
	db := filepath.Join(f.TempDir(), "fuzz.db")
	if code := run([]string{"import", "--db", db, "testdata/site.json"}, nil, io.Discard, io.Discard); code != 0 {
		f.Fatalf("import: exit %d", code)
	}
	c := &command{stdout: io.Discard, stderr: io.Discard, db: db}
	if err := c.open(); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(c.close)
	readers := map[string]bool{"main-in": true, "main-out": true, "lab-in": true, "desk": true}
	f.Fuzz(func(t *testing.T, data []byte) {
		taps, err := c.readTaps("fuzz.csv", bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, tap := range taps {
			if !readers[tap.Reader] {
				t.Fatalf("accepted unknown reader %q", tap.Reader)
			}
			if _, err := core.ParseCode(tap.Code); err != nil {
				t.Fatalf("accepted bad code %q: %v", tap.Code, err)
			}
		}
	})
}
