package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// cli runs the program in-process on db and returns its exit status,
// standard output and standard error.
func cli(t *testing.T, db string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{}, args...)
	if db != "" {
		full = append(full, "--db", db)
	}
	code := run(full, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// mustCLI runs the program and fails the test unless it exits 0.
func mustCLI(t *testing.T, db string, args ...string) string {
	t.Helper()
	code, out, errs := cli(t, db, args...)
	if code != 0 {
		t.Fatalf("frontdesk %s: exit %d: %s", strings.Join(args, " "), code, errs)
	}
	return out
}

// newSite imports testdata/site.json into a new database.
func newSite(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "frontdesk.db")
	mustCLI(t, db, "import", "testdata/site.json")
	return db
}

func TestImportExportRoundTrip(t *testing.T) {
	db := newSite(t)
	first := mustCLI(t, db, "export")
	file := filepath.Join(t.TempDir(), "export.json")
	if err := os.WriteFile(file, []byte(first), 0o600); err != nil {
		t.Fatal(err)
	}
	db2 := filepath.Join(t.TempDir(), "copy.db")
	mustCLI(t, db2, "import", file)
	if second := mustCLI(t, db2, "export"); second != first {
		t.Fatalf("export → import → export differs:\n%s\n---\n%s", first, second)
	}
	// Importing the same file again changes nothing either.
	mustCLI(t, db2, "import", file)
	if third := mustCLI(t, db2, "export"); third != first {
		t.Fatal("a second import of the same file changed the site")
	}
	// --out writes the same document.
	out := filepath.Join(t.TempDir(), "out.json")
	mustCLI(t, db, "export", "--out", out)
	if b, _ := os.ReadFile(out); string(b) != first {
		t.Fatal("export --out differs from standard output")
	}
}

func TestImportBadFileChangesNothing(t *testing.T) {
	db := newSite(t)
	before := mustCLI(t, db, "export")
	tests := []struct {
		name, file, want string
	}{
		{"bad department", `{"people": [{"id": "new", "name": "New", "department": "salse"}]}`, `people[0].department: no department "salse"`},
		{"bad door zone", `{"doors": [{"id": "x", "name": "X", "from": "outside", "to": "roof"}]}`, `doors[0].to: no zone "roof"`},
		{"bad window", `{"schedules": [{"id": "s", "name": "S", "week": {"mon": ["25:00-26:00"]}}]}`, `schedules[0].week.mon[0]`},
		{"bad time", `{"grants": [{"person": "ann", "door": "lab", "kind": "temporary", "until": "tomorrow"}]}`, `grants[0].until`},
		{"card of another", `{"people": [{"id": "new", "name": "New", "cards": ["em:0102b0a5fd"]}]}`, `already belongs to "ann"`},
		{"unknown key", `{"peeple": []}`, `peeple`},
		{"not JSON", `{"people": [`, `line 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "bad.json")
			os.WriteFile(file, []byte(tt.file), 0o600)
			code, _, errs := cli(t, db, "import", file)
			if code != 1 || !strings.Contains(errs, tt.want) || strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Fatalf("got exit %d %q, want exit 1 with one line containing %q", code, errs, tt.want)
			}
			if after := mustCLI(t, db, "export"); after != before {
				t.Fatal("a refused import changed the site")
			}
		})
	}
}

// tapResult is what `tap --json` prints.
type tapResult struct {
	Result, Person, Door, Reader, At, Explanation, Card string
	Seq                                                 uint64
}

func TestTapJSON(t *testing.T) {
	db := newSite(t)
	var got tapResult
	out := mustCLI(t, db, "tap", "--reader", "main-in", "--card", "w26:176:42493", "--at", "2026-11-24T09:00", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	want := tapResult{Result: "granted", Person: "ann", Door: "main", Reader: "main-in", At: "2026-11-24T09:00:00+01:00",
		Explanation: "level Staff, schedule Office hours, Tue 07:00-20:00", Card: "em:0102B0A5FD", Seq: 1}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
	// The JSON carries the keys DESIGN §4 names.
	var keys map[string]any
	json.Unmarshal([]byte(out), &keys)
	for _, k := range []string{"result", "person", "door", "reader", "at", "explanation"} {
		if _, ok := keys[k]; !ok {
			t.Errorf("tap --json lacks %q: %s", k, out)
		}
	}
	// A refusal is a decision, not an error: exit 0.
	out = mustCLI(t, db, "tap", "--reader", "lab-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:01")
	if !strings.Contains(out, "denied_no_access") || !strings.Contains(out, "no access level or grant of Ann Martin covers Lab") {
		t.Fatalf("got %q, want the refusal and its explanation", out)
	}
}

func TestTapErrorsExitNonZero(t *testing.T) {
	db := newSite(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"tap", "--reader", "nowhere", "--card", "em:0102B0A5FD"}, 1, `no reader "nowhere"`},
		{[]string{"tap", "--reader", "relay1", "--card", "em:0102B0A5FD"}, 1, `not a reader`},
		{[]string{"tap", "--reader", "main-in", "--card", "em:12"}, 2, `em needs 10 hex digits`},
		{[]string{"tap", "--reader", "main-in"}, 2, `--reader and --card are required`},
		{[]string{"tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "yesterday"}, 2, `--at`},
		{[]string{"tap", "--from-file", "x.csv", "--reader", "main-in"}, 2, `takes no --reader`},
		{[]string{"tap", "--bogus"}, 2, `flag provided but not defined`},
	}
	for _, tt := range tests {
		code, _, errs := cli(t, db, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: got exit %d %q, want exit %d containing %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
	if out := mustCLI(t, db, "log"); out != "" {
		t.Fatalf("refused taps left events:\n%s", out)
	}
}

func TestTapFromFile(t *testing.T) {
	db := newSite(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "taps.csv")
	os.WriteFile(good, []byte("reader,card,time\n# the morning\nmain-in,dec:0045131261,2026-11-24T09:00\n"+
		"main-in,em:0102B0A5FD,2026-11-24T09:00:01\nmain-out,em:0102B0A5FD,2026-11-24T12:00\n"+
		"\nlab-in,uid:04a22b1a,2026-11-24T12:01:00+01:00\n"), 0o600)
	var got []tapResult
	if err := json.Unmarshal([]byte(mustCLI(t, db, "tap", "--from-file", good, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"granted", "ignored_duplicate", "granted", "granted"}
	if len(got) != len(want) {
		t.Fatalf("got %d decisions, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Result != w || got[i].Seq != uint64(i+1) {
			t.Errorf("tap %d: got %s seq %d, want %s seq %d", i, got[i].Result, got[i].Seq, w, i+1)
		}
	}

	// A bad line anywhere replays nothing.
	db2 := newSite(t)
	for _, tt := range []struct{ body, want string }{
		{"main-in,em:0102B0A5FD,2026-11-24T09:00\nnowhere,em:0102B0A5FD,2026-11-24T09:01\n", ":2: no reader \"nowhere\""},
		{"main-in,em:0102B0A5FD,2026-11-24T09:00\nmain-in,em:XYZ,2026-11-24T09:01\n", ":2: card code"},
		{"main-in,em:0102B0A5FD,2026-11-24T09:00\nmain-in,em:0102B0A5FD,noon\n", ":2:"},
		{"main-in\n", ":1: want reader,card,time"},
		{"main-in,\"em:01\n", "bad.csv"},
	} {
		bad := filepath.Join(dir, "bad.csv")
		os.WriteFile(bad, []byte(tt.body), 0o600)
		code, _, errs := cli(t, db2, "tap", "--from-file", bad)
		if code != 2 || !strings.Contains(errs, tt.want) {
			t.Errorf("got exit %d %q, want exit 2 containing %q", code, errs, tt.want)
		}
	}
	if out := mustCLI(t, db2, "log"); out != "" {
		t.Fatalf("a refused replay logged events:\n%s", out)
	}
}

func TestLogFilters(t *testing.T) {
	db := newSite(t)
	for _, tap := range [][]string{
		{"main-in", "em:0102B0A5FD", "2026-11-24T09:00"},
		{"main-in", "uid:04A22B1A", "2026-11-24T09:05"},
		{"lab-in", "uid:04A22B1A", "2026-11-24T10:00"},
		{"main-out", "em:0102B0A5FD", "2026-11-24T18:00"},
		{"main-in", "em:0102B0A5FD", "2026-11-25T09:00"},
	} {
		mustCLI(t, db, "tap", "--reader", tap[0], "--card", tap[1], "--at", tap[2])
	}
	count := func(args ...string) []tapResult {
		var got []tapResult
		out := mustCLI(t, db, append([]string{"log", "--json"}, args...)...)
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		return got
	}
	tests := []struct {
		args []string
		seqs []uint64
	}{
		{nil, []uint64{1, 2, 3, 4, 5}},
		{[]string{"--person", "bob"}, []uint64{2, 3}},
		{[]string{"--door", "main"}, []uint64{1, 2, 4, 5}},
		{[]string{"--from", "2026-11-24T09:05", "--to", "2026-11-24T18:00"}, []uint64{2, 3}},
		{[]string{"--from", "2026-11-25"}, []uint64{5}},
		{[]string{"--person", "ann", "--door", "main", "--to", "2026-11-24"}, []uint64{1, 4}},
		{[]string{"--to", "2026-11-25"}, []uint64{1, 2, 3, 4, 5}},
		{[]string{"--limit", "2"}, []uint64{4, 5}},
	}
	for _, tt := range tests {
		got := count(tt.args...)
		var seqs []uint64
		for _, e := range got {
			seqs = append(seqs, e.Seq)
		}
		if !equal(seqs, tt.seqs) {
			t.Errorf("log %v: got %v, want %v", tt.args, seqs, tt.seqs)
		}
	}
	if code, _, errs := cli(t, db, "log", "--from", "2026-11-25", "--to", "2026-11-24"); code != 2 || !strings.Contains(errs, "before") {
		t.Errorf("got exit %d %q, want a usage error", code, errs)
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGrantCommands(t *testing.T) {
	db := newSite(t)
	type grant struct {
		ID, Person, Door, Kind, From, Until, By string
		Uses                                    int
		UsesLeft                                *int `json:"uses_left"`
	}
	var g grant
	out := mustCLI(t, db, "grant", "add", "--person", "ann", "--door", "lab", "--kind", "once", "--uses", "2", "--json")
	if err := json.Unmarshal([]byte(out), &g); err != nil {
		t.Fatal(err)
	}
	if g.ID != "g1" || g.Kind != "once" || g.UsesLeft == nil || *g.UsesLeft != 2 || !strings.HasPrefix(g.By, "command line (") {
		t.Fatalf("got %+v, want g1, once, 2 uses left, by the command line", g)
	}
	if id := strings.TrimSpace(mustCLI(t, db, "grant", "add", "--person", "zoe", "--door", "lab", "--kind", "temporary",
		"--from", "2026-11-24T08:00", "--until", "2026-11-24T18:00")); id != "g2" {
		t.Fatalf("got id %q, want g2", id)
	}
	// The once grant opens twice, then is used up.
	for i, want := range []string{"granted", "granted", "denied_no_uses_left"} {
		out := mustCLI(t, db, "tap", "--reader", "lab-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T1"+string(rune('0'+i))+":00")
		if !strings.Contains(out, want) {
			t.Fatalf("tap %d: got %q, want %s", i, out, want)
		}
	}
	var list []grant
	json.Unmarshal([]byte(mustCLI(t, db, "grant", "list", "--json")), &list)
	if len(list) != 2 || *list[0].UsesLeft != 0 || list[1].Until != "2026-11-24T18:00:00+01:00" {
		t.Fatalf("got %+v, want g1 used up and g2 until 18:00", list)
	}
	json.Unmarshal([]byte(mustCLI(t, db, "grant", "list", "--person", "zoe", "--json")), &list)
	if len(list) != 1 || list[0].ID != "g2" {
		t.Fatalf("got %+v, want only g2", list)
	}
	mustCLI(t, db, "grant", "revoke", "g2")
	if out := mustCLI(t, db, "tap", "--reader", "lab-in", "--card", "w26:12:345", "--at", "2026-11-24T12:00"); !strings.Contains(out, "denied_no_access") {
		t.Fatalf("after revoke: got %q, want denied_no_access", out)
	}
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"grant", "add", "--person", "ann", "--door", "roof", "--kind", "permanent"}, 1, `no door "roof"`},
		{[]string{"grant", "add", "--person", "nobody", "--door", "lab", "--kind", "permanent"}, 1, `no person "nobody"`},
		{[]string{"grant", "add", "--person", "ann", "--door", "lab", "--kind", "temporary"}, 1, `needs until`},
		{[]string{"grant", "add", "--person", "ann", "--door", "lab", "--kind", "once"}, 1, `uses of at least 1`},
		{[]string{"grant", "add", "--person", "ann", "--door", "lab", "--kind", "forever"}, 1, `want permanent, temporary or once`},
		{[]string{"grant", "add", "--person", "ann", "--door", "lab", "--kind", "temporary", "--from", "2026-11-25", "--until", "2026-11-24"}, 1, `before until`},
		{[]string{"grant", "revoke", "g99"}, 1, `no grant "g99"`},
		{[]string{"grant", "revoke"}, 2, `wrong number of arguments`},
		{[]string{"grant", "give"}, 2, `unknown subcommand`},
	} {
		code, _, errs := cli(t, db, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: got exit %d %q, want exit %d containing %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
}

func TestBackupAndVerify(t *testing.T) {
	db := newSite(t)
	for _, at := range []string{"2026-11-24T09:00", "2026-11-24T09:30", "2026-11-24T10:00"} {
		mustCLI(t, db, "tap", "--reader", "desk", "--card", "em:0102B0A5FD", "--at", at)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	mustCLI(t, db, "backup", backup)
	if out := mustCLI(t, backup, "verify"); !strings.Contains(out, "ok: 3 events") {
		t.Fatalf("verify of the backup: got %q", out)
	}
	if mustCLI(t, backup, "export") != mustCLI(t, db, "export") {
		t.Fatal("the backup holds another site")
	}

	// Change one event's result behind Frontdesk's back.
	bdb, err := bolt.Open(db, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	err = bdb.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("events"))
		k, v := b.Cursor().Seek([]byte{0, 0, 0, 0, 0, 0, 0, 2})
		return b.Put(bytes.Clone(k), bytes.Replace(v, []byte("checked_out"), []byte("checked_in!"), 1))
	})
	bdb.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, _ := cli(t, db, "verify", "--json")
	var rep struct {
		OK       bool
		Problems []string
	}
	json.Unmarshal([]byte(out), &rep)
	if code != 3 || rep.OK || len(rep.Problems) == 0 || !strings.Contains(rep.Problems[0], "event 2") {
		t.Fatalf("got exit %d %+v, want exit 3 naming event 2", code, rep)
	}
}

func TestDatabaseInUse(t *testing.T) {
	db := newSite(t)
	m := &Main{DBPath: db}
	if err := m.Open(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	start := time.Now()
	code, _, errs := cli(t, db, "log")
	if code != 1 || !strings.Contains(errs, "already open by another Frontdesk") {
		t.Fatalf("got exit %d %q, want the database named as in use", code, errs)
	}
	if waited := time.Since(start); waited > 10*time.Second {
		t.Fatalf("waited %s for a locked database, want a few seconds", waited)
	}
}

func TestUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"import"}, 2, `wrong number of arguments`},
		{[]string{"import", "a.json", "b.json"}, 2, `wrong number of arguments`},
		{[]string{"backup"}, 2, `wrong number of arguments`},
		{[]string{"log", "--limit", "-1"}, 2, `--limit`},
	} {
		code, _, errs := cli(t, filepath.Join(t.TempDir(), "x.db"), tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("%v: got exit %d %q, want exit %d containing %q", tt.args, code, errs, tt.code, tt.want)
		}
	}
	code, out, _ := cli(t, "", "help")
	if code != 0 || !strings.Contains(out, "import FILE") {
		t.Errorf("help: got exit %d %q", code, out)
	}
}
