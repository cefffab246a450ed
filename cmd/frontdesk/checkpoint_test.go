package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"frontdesk/core"
	"frontdesk/storage/anchor"
)

// ownConfig gives the test a config folder of its own, for the checkpoint
// key and files, and returns it.
func ownConfig(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	return dir
}

// checkpointFile is the checkpoint file of db in the config folder config.
func checkpointFile(config, db string) string {
	return anchor.FileFor(filepath.Join(config, "frontdesk"), db)
}

// tapDay taps cards at the main door on 24 November from 08:00, one a
// minute from minute first on, n taps.
func tapDay(t *testing.T, db string, first, n int) {
	t.Helper()
	cards := []string{"em:0102B0A5FD", "uid:04A22B1A", "w26:12:345"}
	var b strings.Builder
	for i := first; i < first+n; i++ {
		fmt.Fprintf(&b, "main-in,%s,2026-11-24T%02d:%02d\n", cards[i%len(cards)], 8+i/60, i%60)
	}
	path := filepath.Join(t.TempDir(), "taps.csv")
	os.WriteFile(path, []byte(b.String()), 0o600)
	mustCLI(t, db, "tap", "--from-file", path)
}

// anchoredSite is a site with 8 events, anchored by a checkpoint made
// with `frontdesk checkpoint`, which it returns with the database.
func anchoredSite(t *testing.T) (db, checkpoint string) {
	t.Helper()
	db = newSite(t)
	tapDay(t, db, 0, 8)
	var out checkpointJSON
	if err := json.Unmarshal([]byte(mustCLI(t, db, "checkpoint", "--json")), &out); err != nil {
		t.Fatal(err)
	}
	if out.Events.Seq != 8 || !out.New {
		t.Fatalf("checkpoint of 8 events: got %+v", out)
	}
	return db, out.Checkpoint
}

// intruder changes the file at path with bbolt directly, as someone who
// can write it would, leaving everything `frontdesk verify` checks
// consistent.
type intruder struct {
	t    *testing.T
	path string
}

func (in intruder) update(fn func(*bolt.Tx) error) {
	in.t.Helper()
	bdb, err := bolt.Open(in.path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		in.t.Fatal(err)
	}
	defer bdb.Close()
	if err := bdb.Update(fn); err != nil {
		in.t.Fatal(err)
	}
}

func be(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// cut deletes the last n entries of the event log (with their index
// entries) or of the audit trail, and sets the last sequence and hash and
// the bucket's sequence to the entry now last.
func (in intruder) cut(bucket string, n int) {
	in.update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte(bucket))
		gone := map[uint64]bool{}
		for range n {
			k, _ := b.Cursor().Last()
			gone[binary.BigEndian.Uint64(k)] = true
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		if bucket == "events" {
			for _, ix := range []string{"events_by_time", "events_by_person", "events_by_door"} {
				ib := tx.Bucket([]byte(ix))
				var dead [][]byte
				ib.ForEach(func(k, _ []byte) error {
					if gone[binary.BigEndian.Uint64(k[len(k)-8:])] {
						dead = append(dead, bytes.Clone(k))
					}
					return nil
				})
				for _, k := range dead {
					ib.Delete(k)
				}
			}
		}
		seqKey, hashKey := "last_seq", "last_hash"
		if bucket == "audit" {
			seqKey, hashKey = "audit_last_seq", "audit_last_hash"
		}
		meta := tx.Bucket([]byte("meta"))
		k, v := b.Cursor().Last()
		if k == nil { // nothing left, as in a new database
			meta.Delete([]byte(seqKey))
			meta.Delete([]byte(hashKey))
			return b.SetSequence(0)
		}
		var last struct{ Hash string }
		json.Unmarshal(v, &last)
		meta.Put([]byte(seqKey), bytes.Clone(k))
		meta.Put([]byte(hashKey), []byte(last.Hash))
		return b.SetSequence(binary.BigEndian.Uint64(k))
	})
}

// rewriteEvent changes event seq and chains every event from it on again
// with core.EventHash, as someone who read the code would.
func (in intruder) rewriteEvent(seq uint64, change func(*core.Event)) {
	in.update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("events"))
		prev := ""
		c := b.Cursor()
		for k, v := c.Seek(be(seq)); k != nil; k, v = c.Next() {
			var e core.Event
			json.Unmarshal(v, &e)
			if e.Seq == seq {
				change(&e)
			} else {
				e.PrevHash = prev
			}
			e.Hash = core.EventHash(e)
			prev = e.Hash
			data, _ := json.Marshal(e)
			b.Put(bytes.Clone(k), data)
		}
		return tx.Bucket([]byte("meta")).Put([]byte("last_hash"), []byte(prev))
	})
}

// rewriteAudit does rewriteEvent's work on the audit trail.
func (in intruder) rewriteAudit(seq uint64, change func(*core.AuditEntry)) {
	in.update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("audit"))
		prev := ""
		c := b.Cursor()
		for k, v := c.Seek(be(seq)); k != nil; k, v = c.Next() {
			var e core.AuditEntry
			json.Unmarshal(v, &e)
			if e.Seq == seq {
				change(&e)
			} else {
				e.PrevHash = prev
			}
			e.Hash = core.AuditHash(e)
			prev = e.Hash
			data, _ := json.Marshal(e)
			b.Put(bytes.Clone(k), data)
		}
		return tx.Bucket([]byte("meta")).Put([]byte("audit_last_hash"), []byte(prev))
	})
}

// verifyJSON is what `verify --json` prints.
type verifyJSON struct {
	OK         bool
	Problems   []string
	Checkpoint *checkpointReport
}

// failedChecks are the codes of the checks the checkpoints failed, sorted.
func (v verifyJSON) failedChecks() []string {
	var codes []string
	if v.Checkpoint == nil {
		return nil
	}
	for _, r := range v.Checkpoint.Results {
		for _, p := range r.Problems {
			if !slices.Contains(codes, p.Check) {
				codes = append(codes, p.Check)
			}
		}
	}
	slices.Sort(codes)
	return codes
}

// TestCheckpointCatchesWhatVerifyCannot rewrites a real database the ways
// someone who can write the file would: cutting the last events off,
// changing an event and recomputing the chain, cutting the log and
// tapping again past the checkpoint, and the same on the audit trail.
// `verify` alone finds nothing; `verify --checkpoint`, given the daily
// file or the checkpoint's text, fails with status 3 and says which
// check failed; and no new checkpoint is signed over the changed log.
func TestCheckpointCatchesWhatVerifyCannot(t *testing.T) {
	config := ownConfig(t)
	tests := []struct {
		name   string
		attack func(t *testing.T, in intruder, db string)
		want   []string // failed checks
		says   string
	}{
		{"last events cut off", func(t *testing.T, in intruder, db string) { in.cut("events", 3) },
			[]string{"events.complete"}, "event log cut off: it ends at event 5, the checkpoint saw event 8: 3 events missing"},
		{"an event changed and the chain recomputed", func(t *testing.T, in intruder, db string) {
			in.rewriteEvent(2, func(e *core.Event) { e.Result = core.DeniedNoAccess; e.Explanation = "no access" })
		}, []string{"events.unchanged"}, "event log changed up to event 8: its hash is"},
		{"cut off, then tapped past the checkpoint", func(t *testing.T, in intruder, db string) {
			in.cut("events", 4)
			tapDay(t, db, 20, 6)
		}, []string{"events.unchanged"}, "entries up to it were changed and the chain recomputed"},
		{"last audit entry cut off", func(t *testing.T, in intruder, db string) { in.cut("audit", 1) },
			[]string{"audit.complete"}, "audit trail cut off"},
		{"an audit entry changed and the trail recomputed", func(t *testing.T, in intruder, db string) {
			in.rewriteAudit(1, func(e *core.AuditEntry) { e.Actor = "nobody" })
		}, []string{"audit.unchanged"}, "audit trail changed up to audit entry"},
		{"both cut off", func(t *testing.T, in intruder, db string) {
			in.cut("events", 8)
			in.cut("audit", 1)
		}, []string{"audit.complete", "events.complete"}, "event log cut off: it ends at its start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, line := anchoredSite(t)
			file := checkpointFile(config, db)
			tt.attack(t, intruder{t, db}, db)

			if code, out, errs := cli(t, db, "verify"); code != 0 || !strings.Contains(out, "ok:") {
				t.Fatalf("verify alone: exit %d %s %s, want it fooled (exit 0)", code, out, errs)
			}
			for _, src := range []string{file, line} {
				code, out, errs := cli(t, db, "verify", "--checkpoint", src, "--json")
				var v verifyJSON
				if err := json.Unmarshal([]byte(out), &v); err != nil {
					t.Fatalf("verify --json: %v: %s", err, out)
				}
				if code != 3 || v.OK || !slices.Equal(v.failedChecks(), tt.want) {
					t.Fatalf("verify --checkpoint: exit %d ok %v checks %v, want exit 3 failing %v\n%s", code, v.OK, v.failedChecks(), tt.want, errs)
				}
				code, out, _ = cli(t, db, "verify", "--checkpoint", src)
				if code != 3 || !strings.Contains(out, tt.says) || !strings.Contains(out, "DOES NOT HOLD") {
					t.Fatalf("verify --checkpoint: exit %d\n%s\nwant exit 3 saying %q", code, out, tt.says)
				}
			}
			code, _, errs := cli(t, db, "checkpoint")
			if code != 3 || !strings.Contains(errs, "no checkpoint made") || !strings.Contains(errs, "no longer extends the checkpoint") {
				t.Fatalf("checkpoint over the changed log: exit %d %q, want exit 3 and a refusal", code, errs)
			}
			// The same report and refusal in French and Russian, with
			// the same exit status and no English left.
			english := []string{"DOES NOT HOLD", "cut off", "changed up to", "missing", "event ", "audit entry",
				"its hash", "recomputed", "does not hold", "no checkpoint made", "extends", "verify found"}
			for _, lang := range []struct{ locale, letters string }{
				{"fr_FR.UTF-8", "éèàùçêô"}, {"ru_RU.UTF-8", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"},
			} {
				t.Setenv("LC_ALL", lang.locale)
				vcode, out, verrs := cli(t, db, "verify", "--checkpoint", file)
				ccode, _, cerrs := cli(t, db, "checkpoint")
				t.Setenv("LC_ALL", "C")
				if vcode != 3 || ccode != 3 {
					t.Errorf("%s: exit %d and %d, want 3 and 3", lang.locale, vcode, ccode)
				}
				for _, text := range []string{out, verrs, cerrs} {
					for _, w := range english {
						if strings.Contains(text, w) {
							t.Errorf("%s: English %q left in\n%s", lang.locale, w, text)
						}
					}
					if !strings.ContainsAny(text, lang.letters) {
						t.Errorf("%s: nothing in the language in\n%s", lang.locale, text)
					}
				}
			}
			if entries, _ := anchor.ReadFile(file); len(entries) != 1 {
				t.Fatalf("the file has %d checkpoints, want the first only", len(entries))
			}
		})
	}
}

// TestCheckpointHoldsAsTheLogGrows: checkpoints made as the log grows all
// hold; after a cut, those past it fail and the latest that holds is
// named.
func TestCheckpointHoldsAsTheLogGrows(t *testing.T) {
	config := ownConfig(t)
	db := newSite(t)
	file := checkpointFile(config, db)
	mustCLI(t, db, "checkpoint") // an empty log: nothing to lose
	for i := range 4 {
		tapDay(t, db, 10*i, 5)
		mustCLI(t, db, "checkpoint")
	}
	mustCLI(t, db, "checkpoint") // nothing new: the same checkpoint
	entries, err := anchor.ReadFile(file)
	if err != nil || len(entries) != 5 {
		t.Fatalf("the file: %d checkpoints, %v; want 5 (identical ones written once)", len(entries), err)
	}
	out := mustCLI(t, db, "verify", "--checkpoint", file)
	if !strings.Contains(out, "ok: 5 of 5 checkpoints hold") || !strings.Contains(out, "event log: unchanged up to event 20, nothing cut off after it (it ends at event 20)") {
		t.Fatalf("verify of a growing log:\n%s", out)
	}

	intruder{t, db}.cut("events", 7) // to event 13: between the 2nd and 3rd
	code, out, _ := cli(t, db, "verify", "--checkpoint", file, "--json")
	var v verifyJSON
	json.Unmarshal([]byte(out), &v)
	if code != 3 || v.Checkpoint == nil || v.Checkpoint.Hold != 3 || v.Checkpoint.Latest == nil || v.Checkpoint.Latest.Events.Seq != 10 {
		t.Fatalf("after the cut: exit %d %+v, want 3 of 5 holding, the latest at event 10", code, v.Checkpoint)
	}
	_, out, _ = cli(t, db, "verify", "--checkpoint", file)
	if !strings.Contains(out, "\n3 of 5 checkpoints hold") || strings.Count(out, "DOES NOT HOLD") != 2 ||
		!strings.Contains(out, "event log: unchanged up to event 10, nothing cut off after it (it ends at event 13)") {
		t.Fatalf("after the cut:\n%s", out)
	}
}

// TestVerifyCheckpointRefusals: a checkpoint altered after signing, one
// signed by a key that is not trusted, one of another site, malformed
// text and missing keys each get their own clear message.
func TestVerifyCheckpointRefusals(t *testing.T) {
	config := ownConfig(t)
	db, line := anchoredSite(t)

	// Another PC's key signs a checkpoint of the same database.
	ownConfig(t)
	foreign := mustCLI(t, db, "checkpoint")
	otherKey := strings.TrimSpace(mustCLI(t, "", "checkpoint", "--public-key"))
	t.Setenv("XDG_CONFIG_HOME", config)
	keyFile := filepath.Join(t.TempDir(), "other.pub")
	os.WriteFile(keyFile, []byte(otherKey+"\n"), 0o600)

	// Another site's database, checkpointed with this PC's key.
	other := filepath.Join(t.TempDir(), "other.db")
	mustCLI(t, other, "import", "testdata/site.json")
	otherSite := strings.TrimSpace(mustCLI(t, other, "checkpoint"))

	altered := regexp.MustCompile(`events=8:`).ReplaceAllString(line, "events=7:")
	tests := []struct {
		name  string
		args  []string
		code  int
		check string
		says  string
	}{
		{"altered after signing", []string{"--checkpoint", altered}, 3, "signature", "bad signature: the checkpoint is not what key"},
		{"another PC's key", []string{"--checkpoint", foreign}, 3, "key", "which is not the trusted key"},
		{"another PC's key, trusted with --key", []string{"--checkpoint", foreign, "--key", otherKey}, 0, "", "ok: the checkpoint holds"},
		{"another PC's key in a file", []string{"--checkpoint", foreign, "--key", keyFile}, 0, "", "ok: the checkpoint holds"},
		{"another site", []string{"--checkpoint", otherSite}, 3, "site", "another site's checkpoint"},
		{"malformed text", []string{"--checkpoint", anchor.Prefix + " v1 site=12"}, 2, "", "--checkpoint: invalid: checkpoint: 1 fields, want 6"},
		{"no such file", []string{"--checkpoint", "/nonexistent/file"}, 2, "", "neither a checkpoint"},
		{"an empty file", []string{"--checkpoint", keyFile + ".none"}, 2, "", "neither a checkpoint"},
		{"a bad --key", []string{"--checkpoint", line, "--key", "ed25519:00"}, 2, "", "--key: invalid: public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := cli(t, db, append([]string{"verify"}, tt.args...)...)
			if code != tt.code || !strings.Contains(out+errs, tt.says) {
				t.Fatalf("got exit %d\n%s%s\nwant exit %d saying %q", code, out, errs, tt.code, tt.says)
			}
			if tt.code == 2 && strings.Count(strings.TrimSpace(errs), "\n") > 0 {
				t.Fatalf("bad usage takes more than one line: %q", errs)
			}
			if tt.check == "" {
				return
			}
			_, out, _ = cli(t, db, append([]string{"verify", "--json"}, tt.args...)...)
			var v verifyJSON
			json.Unmarshal([]byte(out), &v)
			if !slices.Equal(v.failedChecks(), []string{tt.check}) {
				t.Fatalf("failed checks %v, want [%s]", v.failedChecks(), tt.check)
			}
		})
	}

	empty := filepath.Join(t.TempDir(), "empty.txt")
	os.WriteFile(empty, []byte("# nothing yet\n"), 0o600)
	if code, _, errs := cli(t, db, "verify", "--checkpoint", empty); code != 2 || !strings.Contains(errs, "holds no checkpoint") {
		t.Errorf("a file without checkpoints: exit %d %q", code, errs)
	}
	ownConfig(t) // a PC without a key
	if code, _, errs := cli(t, db, "verify", "--checkpoint", line); code != 2 || !strings.Contains(errs, "no trusted key") {
		t.Errorf("no key at all: exit %d %q", code, errs)
	}
}

// TestCheckpointKeyFile: the key is made at first use with mode 0600 in a
// folder with mode 0700, and a key others may read is refused.
func TestCheckpointKeyFile(t *testing.T) {
	config := ownConfig(t)
	db := newSite(t)
	mustCLI(t, db, "checkpoint")
	dir := filepath.Join(config, "frontdesk")
	for path, want := range map[string]os.FileMode{dir: 0o700, anchor.KeyPath(dir): 0o600,
		checkpointFile(config, db): 0o600, filepath.Dir(checkpointFile(config, db)): 0o700} {
		if st, err := os.Stat(path); err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: %v, want mode %04o", path, err, want)
		}
	}
	os.Chmod(anchor.KeyPath(dir), 0o644)
	if code, _, errs := cli(t, db, "checkpoint"); code != 1 || !strings.Contains(errs, "chmod 600") {
		t.Errorf("a key others may read: exit %d %q, want a refusal", code, errs)
	}
}

// TestCheckpointWhileDatabaseInUse: while the running app holds the
// database, `checkpoint` prints the latest checkpoint it wrote and says
// so; with none, the database is in use.
func TestCheckpointWhileDatabaseInUse(t *testing.T) {
	ownConfig(t)
	db := newSite(t)
	m := &Main{DBPath: db}
	if err := m.Open(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if code, _, errs := cli(t, db, "checkpoint"); code != 1 || !strings.Contains(errs, "already open") {
		t.Fatalf("in use, no checkpoint yet: exit %d %q", code, errs)
	}
	made, _, err := m.checkpoints().make(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := cli(t, db, "checkpoint")
	if code != 0 || strings.TrimSpace(out) != made.String() || !strings.Contains(errs, "latest checkpoint the running app wrote") {
		t.Fatalf("in use: exit %d %q %q, want the running app's checkpoint", code, out, errs)
	}
}

// fakeClock is a clock a test moves.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// TestDailyCheckpointsOfTheRunningApp runs the devices as the window and
// `serve` do, with a clock the test moves: one checkpoint at start, one
// the first time it looks on each new day in the site's zone (none when
// the day has not changed), one at a clean stop; every one holds.
func TestDailyCheckpointsOfTheRunningApp(t *testing.T) {
	base := t.TempDir()
	config := filepath.Join(base, "frontdesk")
	db := newSite(t)
	tapDay(t, db, 0, 3)
	paris, _ := time.LoadLocation("Europe/Paris")
	clock := &fakeClock{t: time.Date(2026, 11, 24, 22, 30, 0, 0, paris)}
	m := &Main{DBPath: db, Now: clock.Now, ConfigDir: config, CheckpointEvery: 5 * time.Millisecond,
		Log: slog.New(slog.DiscardHandler)}
	if err := m.Open(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	file := anchor.FileFor(config, db)
	lines := func() []anchor.Entry {
		entries, _ := anchor.ReadFile(file)
		return entries
	}
	waitFor := func(n int, what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for len(lines()) < n {
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d checkpoints, want %d", what, len(lines()), n)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error)
	go func() { stopped <- runDevices(ctx, m, false, nil) }()
	waitFor(1, "at start")

	clock.Set(time.Date(2026, 11, 24, 23, 59, 0, 0, paris)) // the same day
	time.Sleep(100 * time.Millisecond)
	if n := len(lines()); n != 1 {
		t.Fatalf("the same day: %d checkpoints, want 1", n)
	}
	clock.Set(time.Date(2026, 11, 25, 0, 1, 0, 0, paris)) // 23:01 UTC: a new day in Paris
	waitFor(2, "the next day")
	clock.Set(time.Date(2026, 11, 27, 9, 0, 0, 0, paris)) // two days later
	waitFor(3, "two days later")
	clock.Set(time.Date(2026, 11, 27, 18, 0, 0, 0, paris))
	cancel()
	if err := <-stopped; err != nil {
		t.Fatal(err)
	}
	m.Close()

	got := lines()
	wantAt := []time.Time{
		time.Date(2026, 11, 24, 21, 30, 0, 0, time.UTC), time.Date(2026, 11, 24, 23, 1, 0, 0, time.UTC),
		time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC), time.Date(2026, 11, 27, 17, 0, 0, 0, time.UTC),
	}
	if len(got) != len(wantAt) {
		t.Fatalf("got %d checkpoints, want %d (start, two days, stop)", len(got), len(wantAt))
	}
	for i, e := range got {
		if e.Err != nil || !e.Checkpoint.At.Equal(wantAt[i]) {
			t.Errorf("checkpoint %d: %v at %s, want at %s", i+1, e.Err, e.Checkpoint.At, wantAt[i])
		}
	}
	t.Setenv("XDG_CONFIG_HOME", base)
	if out := mustCLI(t, db, "verify", "--checkpoint", file); !strings.Contains(out, "ok: 4 of 4 checkpoints hold") {
		t.Fatalf("verify of the daily file:\n%s", out)
	}
}

// footerCheckpoint is the checkpoint in a PDF's text, as a person would
// copy it from a footer: from its first word to its signature, across
// lines.
var footerCheckpoint = regexp.MustCompile(`frontdesk-checkpoint[\s\S]*?sig=[0-9a-f]{128}`)

// TestReportFooterCarriesTheCheckpoint prints reports through the command
// line, reads each back with pdftotext, and checks the checkpoint on
// every page against the database; after the log is cut, a report is
// still printed, with the last checkpoint that was made, and that one
// shows the cut.
func TestReportFooterCarriesTheCheckpoint(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext is not installed (poppler-utils; make deps installs it): cannot read the PDFs back")
	}
	config := ownConfig(t)
	db := newSite(t)
	tapDay(t, db, 0, 6)
	dir := t.TempDir()
	print := func(kind string, args ...string) (text, stderr string) {
		t.Helper()
		out := filepath.Join(dir, kind+".pdf")
		code, _, errs := cli(t, db, append([]string{"report", kind, "--out", out}, args...)...)
		if code != 0 {
			t.Fatalf("report %s: exit %d %s", kind, code, errs)
		}
		return pdfText(t, out), errs
	}
	for _, r := range []struct {
		kind string
		args []string
	}{
		{"doorlog", []string{"--from", "2026-11-24", "--to", "2026-11-24", "--door", "main"}}, // landscape
		{"muster", nil},
		{"access", []string{"--paper", "letter"}},
	} {
		text, _ := print(r.kind, r.args...)
		found := footerCheckpoint.FindAllString(text, -1)
		pages := strings.Count(text, "\f")
		if len(found) == 0 || len(found) != pages {
			t.Fatalf("%s: %d checkpoints on %d pages:\n%s", r.kind, len(found), pages, text)
		}
		if out := mustCLI(t, db, "verify", "--checkpoint", found[0]); !strings.Contains(out, "ok: the checkpoint holds") {
			t.Fatalf("%s: the footer's checkpoint does not hold:\n%s", r.kind, out)
		}
		last, _, _ := anchor.Latest(checkpointFile(config, db), func(anchor.Checkpoint) bool { return true })
		if c, _ := anchor.Parse(found[0]); c.String() != last.String() {
			t.Fatalf("%s: the footer's checkpoint is not the file's latest", r.kind)
		}
	}

	intruder{t, db}.cut("events", 2)
	text, errs := print("muster")
	if !strings.Contains(errs, "warning: no new checkpoint for the report") {
		t.Fatalf("report over a cut log: no warning: %q", errs)
	}
	found := footerCheckpoint.FindString(text)
	code, out, _ := cli(t, db, "verify", "--checkpoint", found)
	if code != 3 || !strings.Contains(out, "event log cut off: it ends at event 4, the checkpoint saw event 6") {
		t.Fatalf("the footer of a report printed after the cut: exit %d\n%s", code, out)
	}
}
