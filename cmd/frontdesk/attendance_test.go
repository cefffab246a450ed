package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAttendanceCommands(t *testing.T) {
	db := newSite(t)
	id := strings.TrimSpace(mustCLI(t, db, "attendance", "add", "--person", "ann", "--from", "2026-11-24T09:00",
		"--to", "2026-11-24T09:25", "--state", "late", "--description", "train strike"))
	if id != "a1" {
		t.Fatalf("attendance add printed %q, want a1", id)
	}
	// A DATE is that day's start.
	mustCLI(t, db, "attendance", "add", "--person", "bob", "--from", "2026-11-23", "--to", "2026-11-24", "--state", "absent")

	var recs []attendanceJSON
	if err := json.Unmarshal([]byte(mustCLI(t, db, "attendance", "list", "--json")), &recs); err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].ID != "a2" || recs[0].From != "2026-11-23T00:00:00+01:00" || recs[1].Description != "train strike" ||
		recs[1].State != "late" || !strings.HasPrefix(recs[1].EnteredBy, "command line (") {
		t.Errorf("attendance list --json: %+v", recs)
	}
	out := mustCLI(t, db, "attendance", "list", "--person", "ann", "--from", "2026-11-24", "--to", "2026-11-25")
	if !strings.Contains(out, "a1") || strings.Contains(out, "a2") || !strings.Contains(out, "2026-11-24 09:25:00") {
		t.Errorf("attendance list --person ann:\n%s", out)
	}
	if out := mustCLI(t, db, "attendance", "delete", "a2"); !strings.Contains(out, "deleted a2") {
		t.Errorf("attendance delete: %q", out)
	}
	if code, _, errs := cli(t, db, "attendance", "delete", "a2"); code != 1 || !strings.Contains(errs, `no attendance record "a2"`) {
		t.Errorf("delete a2 again: exit %d %q", code, errs)
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"attendance", "add", "--person", "ann", "--from", "2026-11-24T09:00", "--to", "2026-11-24T10:00", "--state", "asleep"}, "--state: "},
		{[]string{"attendance", "add", "--person", "ann", "--from", "yesterday", "--to", "2026-11-24T10:00", "--state", "late"}, "--from: "},
		{[]string{"attendance", "add", "--person", "ann", "--from", "2026-11-24T10:00", "--to", "2026-11-24T09:00", "--state", "late"}, "--to must be after --from"},
		{[]string{"attendance", "add", "--person", "ann", "--state", "late"}, "--person, --from, --to and --state are required"},
		{[]string{"attendance", "list", "--to", "2026-13-01"}, "--to: "},
		{[]string{"attendance", "frobnicate"}, `unknown subcommand "frobnicate"`},
		{[]string{"justif", "add", "--person", "ann", "--from", "2026-11-24", "--to", "2026-11-25", "--reason", "x", "--state", "approved"}, "--state: "},
		{[]string{"justif", "set-state", "j1", "approved"}, "STATE: "},
		{[]string{"justif", "get-file", "j1", "f1"}, "--out is required"},
		{[]string{"justif", "attach", "j1", "/no/such/file.pdf"}, "FILE: "},
	} {
		code, _, errs := cli(t, db, tt.args...)
		lines := strings.Split(strings.TrimSpace(errs), "\n")
		if code != 2 || !strings.Contains(lines[len(lines)-1], tt.want) {
			t.Errorf("%v: exit %d %q, want 2 and a last line with %q", tt.args, code, errs, tt.want)
		}
	}
}

func TestJustificationCommands(t *testing.T) {
	db := newSite(t)
	j := strings.TrimSpace(mustCLI(t, db, "justif", "add", "--person", "ann", "--from", "2026-11-24", "--to", "2026-11-25", "--reason", "flu"))
	if j != "j1" {
		t.Fatalf("justif add printed %q, want j1", j)
	}
	dir := t.TempDir()
	content := []byte("%PDF-1.4\nmedical certificate\x00\xff")
	src := filepath.Join(dir, "certificat médical.pdf")
	if err := os.WriteFile(src, content, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustCLI(t, db, "justif", "attach", "j1", src); strings.TrimSpace(out) != "f1 f1-certificat_medical.pdf" {
		t.Errorf("justif attach printed %q, want the file id and server name", out)
	}

	list := func() []justifJSON {
		t.Helper()
		var js []justifJSON
		if err := json.Unmarshal([]byte(mustCLI(t, db, "justif", "list", "--person", "ann", "--json")), &js); err != nil {
			t.Fatal(err)
		}
		if len(js) != 1 || len(js[0].Files) != 1 {
			t.Fatalf("justif list --json: %+v, want j1 with one file", js)
		}
		return js
	}
	js := list()
	f := js[0].Files[0]
	if js[0].State != "pending" || js[0].Reason != "flu" || f.ID != "f1" || f.Name != "certificat médical.pdf" ||
		f.ServerName != "f1-certificat_medical.pdf" || f.Size != int64(len(content)) || len(f.SHA256) != 64 ||
		f.DepositedAt == "" || !strings.HasPrefix(f.DepositedBy, "command line (") || f.DeletedAt != "" {
		t.Errorf("justif list --json: %+v, file %+v", js[0], f)
	}

	if out := mustCLI(t, db, "justif", "set-state", "j1", "valid"); !strings.Contains(out, "j1 is valid") {
		t.Errorf("set-state: %q", out)
	}
	dst := filepath.Join(dir, "out.pdf")
	mustCLI(t, db, "justif", "get-file", "j1", "f1", "--out", dst)
	if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, content) {
		t.Errorf("get-file wrote %q %v, want the same bytes", got, err)
	}
	if out := mustCLI(t, db, "justif", "get-file", "j1", "f1", "--out", "-"); out != string(content) {
		t.Errorf("get-file --out -: %q", out)
	}

	// A receptionist may not validate, nor read files it did not deposit.
	t.Setenv("FRONTDESK_NEW_PASSWORD", bobPassword)
	mustCLI(t, db, "account", "add", "--username", "desk", "--roles", "receptionist")
	t.Setenv("FRONTDESK_PASSWORD", bobPassword)
	for _, args := range [][]string{
		{"justif", "set-state", "j1", "invalid"},
		{"justif", "get-file", "j1", "f1", "--out", filepath.Join(dir, "stolen.pdf")},
		{"justif", "add", "--person", "ann", "--from", "2026-11-24", "--to", "2026-11-25", "--reason", "x", "--state", "valid"},
	} {
		code, _, errs := cli(t, db, append(args, "--user", "desk")...)
		if code != 4 || !strings.Contains(errs, "forbidden") {
			t.Errorf("%v as desk: exit %d %q, want 4 and forbidden", args, code, errs)
		}
	}
	out := mustCLI(t, db, "justif", "list", "--user", "desk", "--json")
	if strings.Contains(out, "flu") || strings.Contains(out, "f1") || !strings.Contains(out, `"withheld": true`) {
		t.Errorf("desk's justif list shows what it should not:\n%s", out)
	}

	if out := mustCLI(t, db, "justif", "delete-file", "j1", "f1"); !strings.Contains(out, "deleted f1") {
		t.Errorf("delete-file: %q", out)
	}
	f = list()[0].Files[0]
	if f.DeletedAt == "" || !strings.HasPrefix(f.DeletedBy, "command line (") || f.SHA256 == "" {
		t.Errorf("after delete-file the trace is %+v, want deleted_at and deleted_by", f)
	}
	if text := mustCLI(t, db, "justif", "list"); !strings.Contains(text, "deleted ") || !strings.Contains(text, "certificat médical.pdf") {
		t.Errorf("justif list after delete-file:\n%s", text)
	}
	code, _, errs := cli(t, db, "justif", "get-file", "j1", "f1", "--out", dst)
	if code != 1 || !strings.Contains(errs, "was deleted at") {
		t.Errorf("get-file of a deleted file: exit %d %q", code, errs)
	}

	// Too large: refused before anything is stored.
	big := filepath.Join(dir, "big.pdf")
	if err := os.WriteFile(big, make([]byte, 7549747), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs = cli(t, db, "justif", "attach", "j1", big)
	if code != 2 || !strings.Contains(errs, "file big.pdf is 7.2 MB, more than the 5 MB allowed") {
		t.Errorf("attach 7.2 MB: exit %d %q", code, errs)
	}
	if len(list()[0].Files) != 1 {
		t.Error("a refused file is in the trace")
	}

	// Every change is in the audit trail.
	audit := mustCLI(t, db, "audit")
	for _, action := range []string{"justif.add", "justif.attach", "justif.set-state", "justif.delete-file"} {
		if !strings.Contains(audit, action) {
			t.Errorf("audit lacks %s:\n%s", action, audit)
		}
	}
}
