package core_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

// justifFixture is a site with four accounts: desk and desk2 may create
// and edit justifications, boss may also see and validate them, clerk
// sees attendance only.
type justifFixture struct {
	e                         *core.Engine
	clock                     *steppedClock
	desk, desk2, boss, clerk  core.Actor
	nobody                    core.Actor
	dayStart, noon, dayEnd    time.Time
	nextDayStart, nextDayNoon time.Time
}

func newJustifFixture(t *testing.T) *justifFixture {
	e, c := staffEngine(t)
	return &justifFixture{
		e: e, clock: c,
		desk:         staffAccount(t, e, "desk", "ann", core.PermJustifEdit),
		desk2:        staffAccount(t, e, "desk2", "bob", core.PermJustifEdit),
		boss:         staffAccount(t, e, "boss", "bob", core.PermJustifEdit, core.PermJustifView, core.PermJustifValidate),
		clerk:        staffAccount(t, e, "clerk", "bob", core.PermAttendanceView),
		nobody:       staffAccount(t, e, "nobody", "bob", core.PermPeopleView),
		dayStart:     siteAt(t, e, "2026-11-24T08:00"),
		noon:         siteAt(t, e, "2026-11-24T13:00"),
		dayEnd:       siteAt(t, e, "2026-11-24T18:00"),
		nextDayStart: siteAt(t, e, "2026-11-25T08:00"),
		nextDayNoon:  siteAt(t, e, "2026-11-25T13:00"),
	}
}

func (f *justifFixture) add(t *testing.T, a core.Actor, reason string) core.Justification {
	t.Helper()
	j, err := f.e.AddJustification(a, core.Justification{Person: "ann", From: f.dayStart, Until: f.dayEnd, Reason: reason})
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func (f *justifFixture) list(t *testing.T, a core.Actor) []core.Justification {
	t.Helper()
	js, err := f.e.Justifications(a, "", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return js
}

func TestJustificationVisibility(t *testing.T) {
	f := newJustifFixture(t)
	j := f.add(t, f.desk, "flu, doctor's note")
	if j.ID != "j1" || j.State != core.JustifPending || j.DepositedBy != "desk" {
		t.Fatalf("added: got %+v, want j1, pending, deposited by desk", j)
	}
	file, err := f.e.AttachFile(f.desk, j.ID, "certificat médical.pdf", []byte("%PDF-1.4 note"))
	if err != nil {
		t.Fatal(err)
	}
	if file.ID != "f1" || file.ServerName != "f1-certificat_medical.pdf" || file.Size != 13 || len(file.SHA256) != 64 {
		t.Errorf("attached: got %+v", file)
	}

	// The depositor sees her reason and file.
	got := f.list(t, f.desk)
	if len(got) != 1 || got[0].Reason != "flu, doctor's note" || len(got[0].Files) != 1 || got[0].Withheld {
		t.Errorf("depositor sees %+v, want the reason and the file", got)
	}
	if data, _, err := f.e.FileContent(f.desk, "j1", "f1"); err != nil || string(data) != "%PDF-1.4 note" {
		t.Errorf("depositor's file: %q %v", data, err)
	}
	// Another account with justif.edit sees neither; so does one with
	// attendance.view.
	for _, a := range []core.Actor{f.desk2, f.clerk} {
		got := f.list(t, a)
		if len(got) != 1 || got[0].Reason != "" || len(got[0].Files) != 0 || !got[0].Withheld {
			t.Errorf("%s sees %+v, want no reason, no file, withheld", a, got)
		}
		if got[0].State != core.JustifPending || !got[0].From.Equal(f.dayStart) {
			t.Errorf("%s: the period and state should show: %+v", a, got[0])
		}
		if _, _, err := f.e.FileContent(a, "j1", "f1"); !errors.Is(err, core.ErrForbidden) {
			t.Errorf("%s reads the file: %v, want forbidden", a, err)
		}
	}
	// justif.view sees everything.
	got = f.list(t, f.boss)
	if len(got) != 1 || got[0].Reason == "" || len(got[0].Files) != 1 || got[0].Withheld {
		t.Errorf("justif.view sees %+v, want everything", got)
	}
	if data, tr, err := f.e.FileContent(f.boss, "j1", "f1"); err != nil || string(data) != "%PDF-1.4 note" || tr.Name != "certificat médical.pdf" {
		t.Errorf("justif.view reads the file: %q %+v %v", data, tr, err)
	}
	// None of the three: refused.
	if _, err := f.e.Justifications(f.nobody, "", time.Time{}, time.Time{}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("list without any permission: %v, want forbidden", err)
	}
	if _, _, err := f.e.FileContent(f.nobody, "j1", "f1"); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("file without any permission: %v, want forbidden", err)
	}

	// desk2 attaches a file to desk's justification: each sees their own.
	if _, err := f.e.AttachFile(f.desk2, "j1", "scan.png", []byte{0x89, 'P', 'N', 'G'}); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		a     core.Actor
		files string
	}{{f.desk, "f1"}, {f.desk2, "f2"}, {f.boss, "f1,f2"}, {f.clerk, ""}} {
		var ids []string
		for _, fl := range f.list(t, tt.a)[0].Files {
			ids = append(ids, fl.ID)
		}
		if strings.Join(ids, ",") != tt.files {
			t.Errorf("%s sees files %v, want %s", tt.a, ids, tt.files)
		}
	}
	if _, err := f.e.DeleteFile(f.desk2, "j1", "f1"); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("desk2 deletes desk's file: %v, want forbidden", err)
	}

	// Filters: person and period.
	if js, _ := f.e.Justifications(f.boss, "bob", time.Time{}, time.Time{}); len(js) != 0 {
		t.Errorf("bob's justifications: %+v, want none", js)
	}
	if js, _ := f.e.Justifications(f.boss, "ann", f.dayEnd, f.nextDayStart); len(js) != 0 {
		t.Errorf("ann's after the day: %+v, want none", js)
	}
	if js, _ := f.e.Justifications(f.boss, "ann", f.noon, f.nextDayStart); len(js) != 1 {
		t.Errorf("ann's from noon: %+v, want j1", js)
	}
}

func TestJustificationStates(t *testing.T) {
	f := newJustifFixture(t)
	if _, err := f.e.AddJustification(f.desk, core.Justification{Person: "ann", From: f.dayStart, Until: f.dayEnd, State: core.JustifValid}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("desk creates a valid justification: %v, want forbidden", err)
	}
	if _, err := f.e.AddJustification(f.nobody, core.Justification{Person: "ann", From: f.dayStart, Until: f.dayEnd}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("create without justif.edit: %v, want forbidden", err)
	}
	for _, tt := range []struct {
		name string
		j    core.Justification
		want error
	}{
		{"unknown person", core.Justification{Person: "zed", From: f.dayStart, Until: f.dayEnd}, core.ErrNotFound},
		{"backwards", core.Justification{Person: "ann", From: f.dayEnd, Until: f.dayStart}, core.ErrInvalid},
		{"bad state", core.Justification{Person: "ann", From: f.dayStart, Until: f.dayEnd, State: "approved"}, core.ErrInvalid},
	} {
		if _, err := f.e.AddJustification(f.boss, tt.j); !errors.Is(err, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.want)
		}
	}
	if j, err := f.e.AddJustification(f.boss, core.Justification{Person: "ann", From: f.nextDayStart, Until: f.nextDayNoon, State: core.JustifValid}); err != nil || j.State != core.JustifValid {
		t.Errorf("validator creates a valid justification: %+v %v", j, err)
	}

	j := f.add(t, f.desk, "train strike")
	if _, err := f.e.SetJustificationState(f.desk, j.ID, core.JustifValid); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("set-state without justif.validate: %v, want forbidden", err)
	}
	if _, err := f.e.SetJustificationState(f.boss, j.ID, "approved"); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("set-state approved: %v, want invalid", err)
	}
	if _, err := f.e.SetJustificationState(f.boss, "j99", core.JustifValid); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("set-state j99: %v, want not found", err)
	}
	v, err := f.e.SetJustificationState(f.boss, j.ID, core.JustifValid)
	if err != nil || v.State != core.JustifValid {
		t.Fatalf("set-state valid: %+v %v", v, err)
	}

	// The same period and reason again: still valid.
	same, err := f.e.UpdateJustification(f.desk, v)
	if err != nil || same.State != core.JustifValid {
		t.Errorf("unchanged update: %+v %v, want still valid", same, err)
	}
	// Shortened: modified, to be validated again; its reason stays.
	shorter := core.Justification{ID: j.ID, From: f.dayStart, Until: f.noon, Reason: v.Reason}
	m, err := f.e.UpdateJustification(f.desk, shorter)
	if err != nil || m.State != core.JustifModified || !m.Until.Equal(f.noon) {
		t.Errorf("edited valid justification: %+v %v, want modified until noon", m, err)
	}
	// A pending one stays pending when edited.
	p := f.add(t, f.desk, "")
	p.Reason = "forgot"
	if got, err := f.e.UpdateJustification(f.desk, p); err != nil || got.State != core.JustifPending || got.Reason != "forgot" {
		t.Errorf("edited pending justification: %+v %v", got, err)
	}
	if _, err := f.e.UpdateJustification(f.clerk, p); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("update without justif.edit: %v, want forbidden", err)
	}
	bad := p
	bad.Until = bad.From
	if _, err := f.e.UpdateJustification(f.desk, bad); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("update to an empty period: %v, want invalid", err)
	}
}

func TestServerName(t *testing.T) {
	long := strings.Repeat("rapport-", 20) + ".pdf"
	for _, tt := range []struct{ name, want string }{
		{"certificat médical.pdf", "f3-certificat_medical.pdf"},
		{"Straße Übung.PNG", "f3-Strasse_Ubung.PNG"},
		{"  arrêt   de travail (2).pdf ", "f3-arret_de_travail_2.pdf"},
		{"Œuvre çà.txt", "f3-OEuvre_ca.txt"},
		{"справка.pdf", "f3.pdf"},
		{"справка 2.pdf", "f3-2.pdf"},
		{"../../etc/passwd", "f3-passwd"},
		{`C:\Users\ann\scan.jpg`, "f3-scan.jpg"},
		{"..", "f3"},
		{"", "f3"},
		{".bashrc", "f3-bashrc"},
		{"archive.tar.gz", "f3-archive.tar.gz"},
		{"no-extension", "f3-no-extension"},
		{"name.with-a-very-long-extension", "f3-name.with-a-very-long-extension"},
		{long, "f3-" + long[:64-len("f3-")-len(".pdf")] + ".pdf"},
		{"日本語", "f3"},
		{"a\x00b\nc.pdf", "f3-a_b_c.pdf"},
	} {
		got := core.ServerName("f3", tt.name)
		if got != tt.want {
			t.Errorf("ServerName(%q) = %q, want %q", tt.name, got, tt.want)
		}
		if len(got) > 64 {
			t.Errorf("ServerName(%q) = %q: %d characters, more than 64", tt.name, got, len(got))
		}
		for _, c := range []byte(got) {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '_') {
				t.Errorf("ServerName(%q) = %q holds %q", tt.name, got, c)
			}
		}
	}
}

func TestAttachFileLimits(t *testing.T) {
	f := newJustifFixture(t)
	j := f.add(t, f.desk, "flu")
	big := make([]byte, 7549747) // 7.2 MB
	_, err := f.e.AttachFile(f.desk, j.ID, "x.pdf", big)
	if !errors.Is(err, core.ErrInvalid) || err.Error() != "invalid: file x.pdf is 7.2 MB, more than the 5 MB allowed" {
		t.Errorf("7.2 MB file: %v", err)
	}
	if _, err := f.e.AttachFile(f.desk, j.ID, "over.pdf", make([]byte, core.MaxJustifFileSize+1)); err == nil || !strings.Contains(err.Error(), "5.1 MB, more than the 5 MB allowed") {
		t.Errorf("a byte over the limit: %v", err)
	}
	if _, err := f.e.AttachFile(f.desk, j.ID, "empty.pdf", nil); !errors.Is(err, core.ErrInvalid) || !strings.Contains(err.Error(), "file empty.pdf is empty") {
		t.Errorf("empty file: %v", err)
	}
	if _, err := f.e.AttachFile(f.clerk, j.ID, "x.pdf", []byte("x")); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("attach without justif.edit: %v, want forbidden", err)
	}
	if _, err := f.e.AttachFile(f.desk, "j99", "x.pdf", []byte("x")); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("attach to j99: %v, want not found", err)
	}
	// Nothing was stored.
	if n, err := f.e.Count(cli, core.KindFile); err != nil || n != 0 {
		t.Errorf("files stored: %d %v, want 0", n, err)
	}
	if js := f.list(t, f.boss); len(js[0].Files) != 0 {
		t.Errorf("trace after refusals: %+v, want none", js[0].Files)
	}
	// Exactly the limit is accepted.
	fl, err := f.e.AttachFile(f.desk, j.ID, "max.bin", bytes.Repeat([]byte{7}, core.MaxJustifFileSize))
	if err != nil || fl.ID != "f1" {
		t.Errorf("file of exactly the limit: %+v %v", fl, err)
	}
}

func TestDeleteFileKeepsTrace(t *testing.T) {
	f := newJustifFixture(t)
	j := f.add(t, f.desk, "flu")
	content := []byte("secret medical content")
	fl, err := f.e.AttachFile(f.desk, j.ID, "note.txt", content)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.add(time.Hour) // 10:00 UTC, 11:00 in Paris
	if _, err := f.e.DeleteFile(f.clerk, j.ID, fl.ID); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("delete without justif.edit: %v, want forbidden", err)
	}
	if _, err := f.e.DeleteFile(f.desk, j.ID, "f9"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("delete f9: %v, want not found", err)
	}
	del, err := f.e.DeleteFile(f.desk, j.ID, fl.ID)
	if err != nil {
		t.Fatal(err)
	}
	if del.DeletedBy != "desk" || !del.DeletedAt.Equal(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)) {
		t.Errorf("deleted: got %+v", del)
	}
	trace := f.list(t, f.boss)[0].Files
	if len(trace) != 1 || trace[0].ID != "f1" || trace[0].DeletedBy != "desk" || trace[0].SHA256 != fl.SHA256 || trace[0].Name != "note.txt" {
		t.Errorf("trace after delete: %+v, want f1 kept and marked deleted by desk", trace)
	}
	_, _, err = f.e.FileContent(f.boss, j.ID, fl.ID)
	if !errors.Is(err, core.ErrNotFound) || !strings.Contains(err.Error(), "deleted at 2026-11-24T11:00 by desk") {
		t.Errorf("content of a deleted file: %v, want not found saying when and by whom", err)
	}
	if _, err := f.e.DeleteFile(f.desk, j.ID, fl.ID); !errors.Is(err, core.ErrNotFound) || !strings.Contains(err.Error(), "was deleted") {
		t.Errorf("delete twice: %v, want not found", err)
	}
	if n, _ := f.e.Count(cli, core.KindFile); n != 0 {
		t.Errorf("files stored after delete: %d, want 0", n)
	}

	// Deleting the justification removes the content of its files.
	if _, err := f.e.AttachFile(f.desk, j.ID, "again.txt", content); err != nil {
		t.Fatal(err)
	}
	if _, err := f.e.DeleteJustification(f.clerk, j.ID); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("delete justification without justif.edit: %v", err)
	}
	if old, err := f.e.DeleteJustification(f.desk, j.ID); err != nil || len(old.Files) != 2 {
		t.Fatalf("delete justification: %+v %v", old, err)
	}
	if n, _ := f.e.Count(cli, core.KindFile); n != 0 {
		t.Errorf("files stored after deleting the justification: %d, want 0", n)
	}
	if _, _, err := f.e.FileContent(f.boss, j.ID, "f2"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("file of a deleted justification: %v, want not found", err)
	}
}

func TestAttendanceAndJustificationAudit(t *testing.T) {
	f := newJustifFixture(t)
	e := f.e
	rec, err := e.AddAttendance(cli, core.AttendanceRecord{Person: "ann", From: f.dayStart, Until: f.dayEnd, State: core.AttendanceAbsent})
	if err != nil {
		t.Fatal(err)
	}
	rec.Description = "called in sick"
	content := []byte("file bytes that must not be in the trail")
	steps := []func() error{
		func() error { _, err := e.UpdateAttendance(cli, rec); return err },
		func() error { _, err := e.DeleteAttendance(cli, rec.ID); return err },
		func() error {
			_, err := e.AddJustification(f.desk, core.Justification{Person: "ann", From: f.dayStart, Until: f.dayEnd, Reason: "flu"})
			return err
		},
		func() error { _, err := e.AttachFile(f.desk, "j1", "note.txt", content); return err },
		func() error { _, err := e.SetJustificationState(f.boss, "j1", core.JustifValid); return err },
		func() error {
			_, err := e.UpdateJustification(f.desk, core.Justification{ID: "j1", From: f.dayStart, Until: f.noon, Reason: "flu"})
			return err
		},
		func() error { _, err := e.DeleteFile(f.desk, "j1", "f1"); return err },
		func() error { _, err := e.DeleteJustification(f.boss, "j1"); return err },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	var got []string
	var all strings.Builder
	err = e.Audit(cli, core.AuditQuery{}, func(en core.AuditEntry) error {
		if strings.HasPrefix(en.Action, "attendance.") || strings.HasPrefix(en.Action, "justif.") {
			got = append(got, en.Action+" "+en.Object+" by "+en.Actor)
			all.Write(en.Before)
			all.Write(en.After)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"attendance.add attendance/a1 by command line (test)",
		"attendance.update attendance/a1 by command line (test)",
		"attendance.delete attendance/a1 by command line (test)",
		"justif.add justifications/j1 by desk",
		"justif.attach justifications/j1 by desk",
		"justif.set-state justifications/j1 by boss",
		"justif.update justifications/j1 by desk",
		"justif.delete-file justifications/j1 by desk",
		"justif.delete justifications/j1 by boss",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("audit:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, s := range []string{string(content), base64.StdEncoding.EncodeToString(content)} {
		if strings.Contains(all.String(), s) {
			t.Errorf("the audit trail holds the file's content %q", s)
		}
	}
	for _, s := range []string{`"state":"modified"`, `"deleted_by":"desk"`, `"server_name":"f1-note.txt"`} {
		if !strings.Contains(all.String(), s) {
			t.Errorf("the audit trail lacks %s", s)
		}
	}
}

func TestCovered(t *testing.T) {
	base := time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)
	h := func(n int) time.Time { return base.Add(time.Duration(n) * time.Hour) }
	j := func(from, until int, st core.JustifState) core.Justification {
		return core.Justification{Person: "ann", From: h(from), Until: h(until), State: st}
	}
	v := core.JustifValid
	for _, tt := range []struct {
		name        string
		from, until int
		js          []core.Justification
		want        bool
	}{
		{"none", 0, 8, nil, false},
		{"whole", 0, 8, []core.Justification{j(0, 8, v)}, true},
		{"wider", 2, 4, []core.Justification{j(0, 8, v)}, true},
		{"partial start", 0, 8, []core.Justification{j(1, 8, v)}, false},
		{"partial end", 0, 8, []core.Justification{j(0, 7, v)}, false},
		{"joined", 0, 8, []core.Justification{j(4, 8, v), j(0, 4, v)}, true},
		{"overlapping", 0, 8, []core.Justification{j(3, 9, v), j(0, 5, v), j(1, 2, v)}, true},
		{"gap", 0, 8, []core.Justification{j(0, 3, v), j(4, 8, v)}, false},
		{"touching ends", 0, 8, []core.Justification{j(0, 2, v), j(2, 5, v), j(5, 8, v)}, true},
		{"pending ignored", 0, 8, []core.Justification{j(0, 8, core.JustifPending)}, false},
		{"invalid ignored", 0, 8, []core.Justification{j(0, 4, v), j(4, 8, core.JustifInvalid)}, false},
		{"modified ignored", 0, 8, []core.Justification{j(0, 4, v), j(3, 8, core.JustifModified)}, false},
		{"valid fills the gap of others", 0, 8, []core.Justification{j(0, 4, v), j(4, 8, core.JustifPending), j(4, 8, v)}, true},
		{"before", 4, 8, []core.Justification{j(0, 4, v)}, false},
		{"after", 0, 4, []core.Justification{j(4, 8, v)}, false},
		{"empty period", 4, 4, []core.Justification{j(0, 8, v)}, false},
	} {
		if got := core.Covered(h(tt.from), h(tt.until), tt.js); got != tt.want {
			t.Errorf("%s: Covered = %v, want %v", tt.name, got, tt.want)
		}
	}

	js := []core.Justification{j(0, 8, v)}
	rec := func(st core.AttendanceState, person string) core.AttendanceRecord {
		return core.AttendanceRecord{Person: person, From: h(1), Until: h(2), State: st}
	}
	for _, tt := range []struct {
		rec  core.AttendanceRecord
		want bool
	}{
		{rec(core.AttendanceAbsent, "ann"), true},
		{rec(core.AttendanceLate, "ann"), true},
		{rec(core.AttendancePresent, "ann"), false},
		{rec(core.AttendanceAbsent, "bob"), false},
	} {
		if got := core.Justified(tt.rec, js); got != tt.want {
			t.Errorf("Justified(%s of %s) = %v, want %v", tt.rec.State, tt.rec.Person, got, tt.want)
		}
	}
}
