package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/storage/storagetest"
)

// A damaged database file, or a file that is not one, must never make a
// command panic or hang: each ends with an exit status and a one-line
// error. The tests here damage a real database, made through the
// commands, in each way a disk, a crash or a person can, and run the
// commands on it in-process.

// damageFixture is a database made through the commands: the test site,
// a week of taps at every reader (several pages of events, so that the
// event buckets have branch pages), a grant, a justification with a file,
// and the audit entries of it all. It is made once and copied per case.
var damageFixture = sync.OnceValues(func() ([]byte, error) {
	dir, err := os.MkdirTemp("", "frontdesk-damage-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	db := filepath.Join(dir, "frontdesk.db")
	var stderr bytes.Buffer
	runOK := func(args ...string) error {
		if code := run(append(args, "--db", db), strings.NewReader(""), &bytes.Buffer{}, &stderr); code != 0 {
			return fmt.Errorf("frontdesk %s: exit %d: %s", strings.Join(args, " "), code, stderr.String())
		}
		return nil
	}
	if err := runOK("import", "testdata/site.json"); err != nil {
		return nil, err
	}
	var taps strings.Builder
	cards := []string{"em:0102B0A5FD", "uid:04A22B1A", "w26:12:345"}
	for day := range 5 {
		for i := range 60 {
			at := time.Date(2026, 11, 23+day, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 7 * time.Minute)
			reader := []string{"main-in", "lab-in", "main-out"}[i%3]
			fmt.Fprintf(&taps, "%s,%s,%s\n", reader, cards[(i/3)%3], at.Format(time.RFC3339))
		}
	}
	tapFile := filepath.Join(dir, "taps.csv")
	if err := os.WriteFile(tapFile, []byte(taps.String()), 0o600); err != nil {
		return nil, err
	}
	proof := filepath.Join(dir, "note.txt")
	if err := os.WriteFile(proof, []byte("a doctor's note"), 0o600); err != nil {
		return nil, err
	}
	for _, args := range [][]string{
		{"tap", "--from-file", tapFile},
		{"grant", "add", "--person", "ann", "--door", "lab", "--kind", "once", "--uses", "2"},
		{"justif", "add", "--person", "zoe", "--from", "2026-11-25T08:00", "--to", "2026-11-25T12:00", "--reason", "doctor"},
		{"justif", "attach", "j1", proof},
	} {
		if err := runOK(args...); err != nil {
			return nil, err
		}
	}
	return os.ReadFile(db)
})

// damageCommand is a command run on a damaged file.
type damageCommand struct {
	name string
	args func(dir string) []string
}

// damageCommands are the commands tried on each damaged file: those that
// read the log, write to it, read the site, copy the file and add up
// presence.
var damageCommands = []damageCommand{
	{"log", func(string) []string { return []string{"log"} }},
	{"verify", func(string) []string { return []string{"verify"} }},
	{"tap", func(string) []string {
		return []string{"tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-28T09:00"}
	}},
	{"export", func(string) []string { return []string{"export"} }},
	{"backup", func(dir string) []string { return []string{"backup", filepath.Join(dir, "backup.db")} }},
	{"timesheet", func(string) []string { return []string{"timesheet", "--from", "2026-11-23", "--to", "2026-11-27"} }},
	{"report", func(dir string) []string {
		return []string{"report", "attendance", "--at", "2026-11-25T10:00", "--out", filepath.Join(dir, "sheet.pdf")}
	}},
	{"muster", func(dir string) []string {
		return []string{"report", "muster", "--out", filepath.Join(dir, "muster.pdf")}
	}},
	{"audit", func(string) []string { return []string{"audit"} }},
}

// outcome is how a command ended.
type outcome struct {
	code           int
	stdout, stderr string
	panicked       any
	stack          string
}

// runContained runs the program in-process, as a user would run it, and
// catches what a user would see as a crash: a panic, or a memory fault
// (made a panic for this goroutine), on the goroutine that runs it. A
// panic on a goroutine of its own would end the test binary, which fails
// the test too. A command that does not end within a minute fails the
// test: a lock left held.
func runContained(t testing.TB, args []string) outcome {
	t.Helper()
	done := make(chan outcome, 1)
	go func() {
		var o outcome
		defer func() {
			if r := recover(); r != nil {
				o.panicked, o.stack = r, string(debug.Stack())
			}
			done <- o
		}()
		debug.SetPanicOnFault(true)
		var out, errb bytes.Buffer
		o.code = run(args, strings.NewReader(""), &out, &errb)
		o.stdout, o.stderr = out.String(), errb.String()
	}()
	select {
	case o := <-done:
		return o
	// A command on these small files takes under a second, but once,
	// under the race detector with every package's tests at once, an
	// export took over a minute: three catch a hang, not a busy machine.
	case <-time.After(3 * time.Minute):
		t.Fatalf("frontdesk %s: still running after three minutes", strings.Join(args, " "))
		return outcome{}
	}
}

// checkOutcome checks what every command must do on any file: no panic,
// and on failure one line on standard error that says what is wrong.
func checkOutcome(t testing.TB, args []string, o outcome) {
	t.Helper()
	cmd := strings.Join(args, " ")
	if o.panicked != nil {
		t.Fatalf("frontdesk %s: panicked: %v\n%s", cmd, o.panicked, o.stack)
	}
	if o.code == 0 {
		return
	}
	lines := strings.Split(strings.TrimSuffix(o.stderr, "\n"), "\n")
	if len(lines) != 1 || !strings.HasPrefix(lines[0], "frontdesk: ") || strings.Contains(o.stderr, "goroutine ") {
		t.Errorf("frontdesk %s: exit %d, got standard error %q, want one line", cmd, o.code, o.stderr)
	}
}

// damage is one way a file can be damaged, or not be a database.
type damage struct {
	name string
	// apply changes the sound file's bytes, given its page map.
	apply func(t *testing.T, data []byte, pages storagetest.Pages) []byte
	// want is the exit status of each command (by name); commands not
	// named exit with wantOther.
	want      map[string]int
	wantOther int
	// message is what the one-line error of a command exiting 3 holds.
	message string
	// untouched: no command may change the file.
	untouched bool
}

// overwrite returns a copy of data with the bytes of page id, after its
// 16-byte header when body is set, replaced by fill.
func overwrite(data []byte, pageSize int, id uint64, body bool, fill func(i int) byte) []byte {
	out := bytes.Clone(data)
	start := int(id) * pageSize
	if body {
		start += 16
	}
	for i := start; i < int(id+1)*pageSize; i++ {
		out[i] = fill(i)
	}
	return out
}

func ones(int) byte { return 0xFF }

// pointLastElement returns a copy of data where the last element of branch
// page id points to page to.
func pointLastElement(data []byte, pageSize int, id, to uint64) []byte {
	out := bytes.Clone(data)
	at := int(id) * pageSize
	last := int(binary.NativeEndian.Uint16(out[at+10:])) - 1
	binary.NativeEndian.PutUint64(out[at+16+last*16+8:], to)
	return out
}

// randomBytes is a fill with a fixed seed: the same damage every run.
func randomBytes(seed uint64) func(int) byte {
	r := rand.New(rand.NewPCG(seed, seed))
	return func(int) byte { return byte(r.Uint32()) }
}

// last returns the last of ids, failing the test if there is none.
func last(t *testing.T, what string, ids []uint64) uint64 {
	t.Helper()
	if len(ids) == 0 {
		t.Fatalf("the fixture has no %s", what)
	}
	return ids[len(ids)-1]
}

// foreignBolt returns the bytes of another program's bbolt file.
func foreignBolt(t *testing.T, opts *bolt.Options, fill func(*bolt.Tx) error) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "other.db")
	bdb, err := bolt.Open(path, 0o600, opts)
	if err != nil {
		t.Fatal(err)
	}
	if fill != nil {
		if err := bdb.Update(fill); err != nil {
			t.Fatal(err)
		}
	}
	if err := bdb.Close(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func widgets(tx *bolt.Tx) error {
	b, err := tx.CreateBucket([]byte("widgets"))
	if err != nil {
		return err
	}
	return b.Put([]byte("w1"), []byte("a widget"))
}

const (
	damagedMessage = "database damaged: "
	notDBMessage   = "is not a Frontdesk database: "
)

// damages are the kinds of damage tried, each with what every command
// does on it.
func damages() []damage {
	// What a damaged page of the log or its index does: what reads that
	// page is refused, what does not read it works; backup refuses to
	// put a copy with a damaged page in the place of the last backup.
	// The last page of the log holds the last day: taps append to it and
	// the attendance sheet of an earlier day does not read it; the first
	// holds the first day, which the sheet reads and taps do not.
	lastLogPage := map[string]int{"log": 3, "verify": 3, "tap": 3, "backup": 3, "timesheet": 3}
	firstLogPage := map[string]int{"log": 3, "verify": 3, "backup": 3, "timesheet": 3, "report": 3}
	logBranch := map[string]int{"log": 3, "verify": 3, "tap": 3, "backup": 3, "timesheet": 3, "report": 3}
	timeIndex := map[string]int{"log": 3, "verify": 3, "tap": 3, "backup": 3}
	cut := func(name string, size func(data []byte, p storagetest.Pages) int) damage {
		return damage{name: name, wantOther: 3, message: damagedMessage, untouched: true,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte { return data[:size(data, p)] }}
	}
	used := func(p storagetest.Pages) int { return int(p.Count) * p.PageSize }
	return []damage{
		{name: "events leaf page, elements 0xFF", want: lastLogPage, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return overwrite(data, p.PageSize, last(t, "events leaf", p.Leaves["events"]), true, ones)
			}},
		{name: "events leaf page, random bytes", want: lastLogPage, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return overwrite(data, p.PageSize, last(t, "events leaf", p.Leaves["events"]), true, randomBytes(1))
			}},
		{name: "events leaf page, header", want: firstLogPage, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return overwrite(data, p.PageSize, p.Leaves["events"][0], false, randomBytes(2))
			}},
		{name: "events branch page", want: logBranch, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return overwrite(data, p.PageSize, last(t, "events branch", p.Branches["events"]), true, ones)
			}},
		// A branch whose last element points back to itself: bbolt
		// would recurse until the Go stack overflows, which is fatal.
		{name: "events branch pointing to itself", want: logBranch, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				id := last(t, "events branch", p.Branches["events"])
				return pointLastElement(data, p.PageSize, id, id)
			}},
		{name: "events branch pointing to a free page", want: logBranch, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return pointLastElement(data, p.PageSize, last(t, "events branch", p.Branches["events"]), p.Freelist)
			}},
		{name: "time index branch page", want: timeIndex, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return overwrite(data, p.PageSize, last(t, "events_by_time branch", p.Branches["events_by_time"]), true, randomBytes(3))
			}},
		// One event whose record is not JSON: the log shows the others
		// and names it, the timesheet of its person refuses to count
		// without it, and what does not read it works. The third record
		// of the second leaf is event 9 since events carry their reason.
		{name: "one event's record", want: map[string]int{"log": 3, "verify": 3, "timesheet": 3, "report": 3}, message: "event 9",
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				_, value, _ := p.LeafValue(data, p.Leaves["events"][1], 2)
				data = bytes.Clone(data)
				data[value] = 'X' // was '{'
				return data
			}},
		{name: "free list page", wantOther: 3, message: damagedMessage, untouched: true,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return overwrite(data, p.PageSize, p.Freelist, false, ones)
			}},
		{name: "meta page 0", want: map[string]int{"verify": 3}, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return overwrite(data, p.PageSize, 0, true, randomBytes(4))
			}},
		{name: "meta page 1", want: map[string]int{"verify": 3}, message: damagedMessage,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				return overwrite(data, p.PageSize, 1, true, randomBytes(5))
			}},
		{name: "both meta pages", wantOther: 3, message: damagedMessage, untouched: true,
			apply: func(t *testing.T, data []byte, p storagetest.Pages) []byte {
				data = overwrite(data, p.PageSize, 0, true, randomBytes(6))
				return overwrite(data, p.PageSize, 1, true, randomBytes(7))
			}},
		cut("cut to 100 bytes", func([]byte, storagetest.Pages) int { return 100 }),
		cut("cut to one page", func(_ []byte, p storagetest.Pages) int { return p.PageSize }),
		cut("cut to two pages", func(_ []byte, p storagetest.Pages) int { return 2 * p.PageSize }),
		cut("cut in half", func(_ []byte, p storagetest.Pages) int { return used(p) / 2 }),
		cut("last page cut off", func(_ []byte, p storagetest.Pages) int { return used(p) - p.PageSize }),
		cut("last byte cut off", func(_ []byte, p storagetest.Pages) int { return used(p) - 1 }),
		{name: "empty file", wantOther: 3, message: notDBMessage, untouched: true,
			apply: func(*testing.T, []byte, storagetest.Pages) []byte { return []byte{} }},
		{name: "random bytes", wantOther: 3, message: notDBMessage, untouched: true,
			apply: func(*testing.T, []byte, storagetest.Pages) []byte {
				b := make([]byte, 64<<10)
				fill := randomBytes(8)
				for i := range b {
					b[i] = fill(i)
				}
				return b
			}},
		{name: "text file", wantOther: 3, message: notDBMessage, untouched: true,
			apply: func(*testing.T, []byte, storagetest.Pages) []byte {
				return []byte(strings.Repeat("name,card\nAnn,em:0102B0A5FD\n", 400))
			}},
		{name: "another program's bbolt file", wantOther: 3, message: notDBMessage, untouched: true,
			apply: func(t *testing.T, _ []byte, _ storagetest.Pages) []byte { return foreignBolt(t, nil, widgets) }},
		{name: "an empty bbolt file", wantOther: 3, message: notDBMessage, untouched: true,
			apply: func(t *testing.T, _ []byte, _ storagetest.Pages) []byte { return foreignBolt(t, nil, nil) }},
		{name: "a bbolt file without a free list", wantOther: 3, message: notDBMessage, untouched: true,
			apply: func(t *testing.T, _ []byte, _ storagetest.Pages) []byte {
				return foreignBolt(t, &bolt.Options{NoFreelistSync: true}, widgets)
			}},
	}
}

// TestDamagedDatabase runs every command on every kind of damage and
// checks its exit status and its one-line error: the class of test that
// finds a stack trace where a user should read what to do.
func TestDamagedDatabase(t *testing.T) {
	sound, err := damageFixture()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	soundPath := filepath.Join(dir, "sound.db")
	if err := os.WriteFile(soundPath, sound, 0o600); err != nil {
		t.Fatal(err)
	}
	pages, err := storagetest.ReadPages(soundPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range damages() {
		t.Run(d.name, func(t *testing.T) {
			damaged := d.apply(t, sound, pages)
			for _, c := range damageCommands {
				dir := t.TempDir()
				db := filepath.Join(dir, "frontdesk.db")
				if err := os.WriteFile(db, damaged, 0o600); err != nil {
					t.Fatal(err)
				}
				args := append(c.args(dir), "--db", db)
				o := runContained(t, args)
				checkOutcome(t, args, o)
				want, ok := d.want[c.name]
				if !ok {
					want = d.wantOther
				}
				t.Logf("%-9s exit %d %s", c.name, o.code, strings.TrimSpace(o.stderr))
				if o.code != want {
					t.Errorf("%s: got exit %d (%s), want %d", c.name, o.code, strings.TrimSpace(o.stderr), want)
				}
				// verify lists its problems on standard output.
				if said := o.stderr + o.stdout; o.code == 3 && !strings.Contains(said, d.message) {
					t.Errorf("%s: got %q, want it to say %q", c.name, said, d.message)
				}
				if d.untouched {
					if after, err := os.ReadFile(db); err != nil || !bytes.Equal(after, damaged) {
						t.Errorf("%s: the file was changed (%v)", c.name, err)
					}
					if leftovers, _ := filepath.Glob(filepath.Join(dir, ".*")); len(leftovers) > 0 {
						t.Errorf("%s: left %v", c.name, leftovers)
					}
				}
			}
		})
	}
}

// patchPages applies script to a copy of data: a list of patches, each
// a page number (2 bytes), an offset in the page (2 bytes), a length (1
// byte) and that many bytes, written over the page. Numbers wrap to the
// file's pages, so that every script damages something.
func patchPages(data []byte, pageSize int, script []byte) []byte {
	out := bytes.Clone(data)
	pages := len(data) / pageSize
	for len(script) >= 5 {
		page := int(script[0])<<8 | int(script[1])
		off := int(script[2])<<8 | int(script[3])
		n := int(script[4])
		script = script[5:]
		n = min(n, len(script))
		at := (page%pages)*pageSize + off%pageSize
		copy(out[at:min(at+n, len(out))], script[:n])
		script = script[n:]
	}
	return out
}

// patch is one patch of a patchPages script.
func patch(page uint64, off int, b ...byte) []byte {
	return append([]byte{byte(page >> 8), byte(page), byte(off >> 8), byte(off), byte(len(b))}, b...)
}

// FuzzDamagedDatabase damages pages of a real database with random
// patches and runs every command on the result: none may panic, hang, or
// end without an exit status and a one-line error. Run it with
// go test -run '^$' -fuzz FuzzDamagedDatabase ./cmd/frontdesk/.
func FuzzDamagedDatabase(f *testing.F) {
	sound, err := damageFixture()
	if err != nil {
		f.Fatal(err)
	}
	path := filepath.Join(f.TempDir(), "sound.db")
	if err := os.WriteFile(path, sound, 0o600); err != nil {
		f.Fatal(err)
	}
	p, err := storagetest.ReadPages(path)
	if err != nil {
		f.Fatal(err)
	}
	// Seeds: each kind of page, its header and its elements.
	ff := []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}
	seeds := [][]byte{
		patch(0, 16, ff...), patch(1, 16, ff...), patch(0, 72, 1), // meta pages, a checksum
		patch(p.Freelist, 0, ff...), patch(p.Freelist, 10, 0xFF, 0xFF), patch(p.Freelist, 16, ff...),
	}
	pick := func(ids []uint64) []uint64 {
		if len(ids) < 2 {
			return ids
		}
		return []uint64{ids[0], ids[len(ids)-1]}
	}
	var ids []uint64
	for _, bucket := range []string{"events", "events_by_time", "events_by_person"} {
		ids = append(ids, pick(p.Branches[bucket])...)
	}
	for _, bucket := range []string{"events", "events_by_person", "audit"} {
		ids = append(ids, pick(p.Leaves[bucket])...)
	}
	for _, id := range ids {
		// The page's number, its count, an element's position, a key.
		seeds = append(seeds, patch(id, 0, 7), patch(id, 10, 0xFF), patch(id, 20, 0, 0, 0x80), patch(id, 300, '}', '{'))
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, script []byte) {
		damaged := patchPages(sound, p.PageSize, script)
		for _, c := range damageCommands {
			dir := t.TempDir()
			db := filepath.Join(dir, "frontdesk.db")
			if err := os.WriteFile(db, damaged, 0o600); err != nil {
				t.Fatal(err)
			}
			args := append(c.args(dir), "--db", db)
			checkOutcome(t, args, runContained(t, args))
		}
	})
}
