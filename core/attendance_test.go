package core_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

// siteAt reads a local time of the engine's site.
func siteAt(t *testing.T, e *core.Engine, s string) time.Time {
	t.Helper()
	v, err := core.ParseTime(s, e.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func recordIDs(rs []core.AttendanceRecord) string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return strings.Join(ids, ",")
}

func TestAttendanceRecords(t *testing.T) {
	e, _ := staffEngine(t)
	viewer := staffAccount(t, e, "viewer", "ann", core.PermAttendanceView)
	editor := staffAccount(t, e, "editor", "bob", core.PermAttendanceEdit, core.PermAttendanceView)
	none := staffAccount(t, e, "none", "bob", core.PermPeopleView)

	absent := core.AttendanceRecord{Person: "ann", From: siteAt(t, e, "2026-11-24T09:00"), Until: siteAt(t, e, "2026-11-24T17:30"),
		State: core.AttendanceAbsent, Description: "sick, said her husband", EnteredBy: "someone else", ID: "x"}
	if _, err := e.AddAttendance(viewer, absent); !errors.Is(err, core.ErrForbidden) {
		t.Fatalf("add with attendance.view only: %v, want forbidden", err)
	}
	a1, err := e.AddAttendance(editor, absent)
	if err != nil {
		t.Fatal(err)
	}
	if a1.ID != "a1" || a1.EnteredBy != "editor" || !a1.EnteredAt.Equal(time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("added: got id %q by %q at %v, want a1 by editor at the clock's time", a1.ID, a1.EnteredBy, a1.EnteredAt)
	}
	late := core.AttendanceRecord{Person: "bob", From: siteAt(t, e, "2026-11-23T09:00"), Until: siteAt(t, e, "2026-11-23T09:20"), State: core.AttendanceLate}
	a2, err := e.AddAttendance(core.CommandLine("test"), late)
	if err != nil {
		t.Fatal(err)
	}
	if a2.ID != "a2" {
		t.Errorf("second record: id %q, want a2", a2.ID)
	}

	for _, tt := range []struct {
		name string
		rec  core.AttendanceRecord
		want error
		text string
	}{
		{"unknown person", core.AttendanceRecord{Person: "zed", From: late.From, Until: late.Until, State: core.AttendanceLate}, core.ErrNotFound, `no person "zed"`},
		{"no person", core.AttendanceRecord{From: late.From, Until: late.Until, State: core.AttendanceLate}, core.ErrInvalid, "person: required"},
		{"backwards", core.AttendanceRecord{Person: "ann", From: late.Until, Until: late.From, State: core.AttendanceLate}, core.ErrInvalid, "from must be before until"},
		{"empty", core.AttendanceRecord{Person: "ann", From: late.From, Until: late.From, State: core.AttendanceLate}, core.ErrInvalid, "from must be before until"},
		{"no until", core.AttendanceRecord{Person: "ann", From: late.From, State: core.AttendanceLate}, core.ErrInvalid, "until: required"},
		{"bad state", core.AttendanceRecord{Person: "ann", From: late.From, Until: late.Until, State: "sleepy"}, core.ErrInvalid, `attendance state "sleepy"`},
	} {
		if _, err := e.AddAttendance(editor, tt.rec); !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.text) {
			t.Errorf("%s: got %v, want %v saying %q", tt.name, err, tt.want, tt.text)
		}
	}

	// Listing: by From, filtered by person and by overlap with [from, to).
	all, err := e.AttendanceRecords(viewer, "", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if got := recordIDs(all); got != "a2,a1" {
		t.Errorf("all records: got %s, want a2,a1 (by From)", got)
	}
	if all[1].Description != "" {
		t.Errorf("viewer without justif.view sees the description %q", all[1].Description)
	}
	mine, err := e.AttendanceRecords(editor, "ann", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if recordIDs(mine) != "a1" || mine[0].Description != absent.Description {
		t.Errorf("who entered it: got %+v, want a1 with its description", mine)
	}
	for _, tt := range []struct {
		from, to string
		want     string
	}{
		{"2026-11-24", "2026-11-25", "a1"},
		{"2026-11-23", "2026-11-24", "a2"},
		{"2026-11-23T09:20", "2026-11-24T09:00", ""}, // both touch, neither overlaps
		{"2026-11-23T09:19", "2026-11-24T09:01", "a2,a1"},
		{"2026-11-25", "", ""},
		{"", "2026-11-24", "a2"},
	} {
		var from, to time.Time
		if tt.from != "" {
			from = siteAt(t, e, tt.from)
		}
		if tt.to != "" {
			to = siteAt(t, e, tt.to)
		}
		got, err := e.AttendanceRecords(viewer, "", from, to)
		if err != nil {
			t.Fatal(err)
		}
		if recordIDs(got) != tt.want {
			t.Errorf("records in [%s, %s): got %q, want %q", tt.from, tt.to, recordIDs(got), tt.want)
		}
	}
	if _, err := e.AttendanceRecords(none, "", time.Time{}, time.Time{}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("list without attendance.view: %v, want forbidden", err)
	}

	// Update keeps who entered the record.
	changed := a1
	changed.State, changed.Until = core.AttendanceLate, siteAt(t, e, "2026-11-24T10:00")
	changed.EnteredBy = "forged"
	if _, err := e.UpdateAttendance(viewer, changed); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("update with attendance.view only: %v, want forbidden", err)
	}
	got, err := e.UpdateAttendance(editor, changed)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != core.AttendanceLate || !got.Until.Equal(changed.Until) || got.EnteredBy != "editor" {
		t.Errorf("updated: got %+v", got)
	}
	if _, err := e.UpdateAttendance(editor, core.AttendanceRecord{ID: "a99", Person: "ann", From: late.From, Until: late.Until, State: core.AttendanceLate}); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("update of a99: %v, want not found", err)
	}

	if _, err := e.DeleteAttendance(viewer, "a1"); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("delete with attendance.view only: %v, want forbidden", err)
	}
	if old, err := e.DeleteAttendance(editor, "a1"); err != nil || old.ID != "a1" {
		t.Fatalf("delete a1: %+v %v", old, err)
	}
	if _, err := e.DeleteAttendance(editor, "a1"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("delete a1 again: %v, want not found", err)
	}
	all, _ = e.AttendanceRecords(viewer, "", time.Time{}, time.Time{})
	if recordIDs(all) != "a2" {
		t.Errorf("after delete: got %s, want a2", recordIDs(all))
	}
	// Ids are not reused after a delete.
	if r, err := e.AddAttendance(editor, late); err != nil || r.ID != "a3" {
		t.Errorf("next record: %q %v, want a3", r.ID, err)
	}
}

func TestParseStates(t *testing.T) {
	for _, s := range []string{"present", "late", "absent"} {
		if st, err := core.ParseAttendanceState(s); err != nil || string(st) != s {
			t.Errorf("ParseAttendanceState(%q) = %q, %v", s, st, err)
		}
	}
	for _, s := range []string{"pending", "valid", "invalid", "modified"} {
		if st, err := core.ParseJustifState(s); err != nil || string(st) != s {
			t.Errorf("ParseJustifState(%q) = %q, %v", s, st, err)
		}
	}
	for _, s := range []string{"", "Present", "justified"} {
		if _, err := core.ParseAttendanceState(s); !errors.Is(err, core.ErrInvalid) {
			t.Errorf("ParseAttendanceState(%q): %v, want invalid", s, err)
		}
		if _, err := core.ParseJustifState(s); !errors.Is(err, core.ErrInvalid) {
			t.Errorf("ParseJustifState(%q): %v, want invalid", s, err)
		}
	}
}
