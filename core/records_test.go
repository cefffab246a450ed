package core_test

import (
	"testing"
	"time"

	"frontdesk/core"
)

func justify(t *testing.T, e *core.Engine, person, from, until string, state core.JustifState) {
	t.Helper()
	loc := e.Location()
	if _, err := e.AddJustification(cli, core.Justification{Person: person, From: local(t, from, loc), Until: local(t, until, loc),
		Reason: "test", State: state}); err != nil {
		t.Fatal(err)
	}
}

func week(t *testing.T) core.TimesheetQuery {
	from, _ := core.ParseDate("2026-11-23")
	to, _ := core.ParseDate("2026-11-27")
	return core.TimesheetQuery{From: from, To: to}
}

func TestDerivedRecordsAndJustifiedDays(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	loc := e.Location()
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-23 09:10"}, {"out", "2026-11-23 17:30"},
		{"in", "2026-11-26 09:20"}, {"out", "2026-11-26 17:30"}})
	q := week(t)
	q.Person = "ann"
	recs, err := e.Attendance(cli, q)
	if err != nil {
		t.Fatal(err)
	}
	type rec struct {
		state    core.AttendanceState
		from, to string
	}
	var got []rec
	for _, r := range recs["ann"] {
		got = append(got, rec{r.State, r.From.In(loc).Format("01-02 15:04"), r.Until.In(loc).Format("01-02 15:04")})
	}
	want := []rec{
		{core.AttendanceLate, "11-23 09:00", "11-23 09:10"},
		{core.AttendancePresent, "11-23 09:10", "11-23 17:30"},
		{core.AttendanceAbsent, "11-24 09:00", "11-24 17:30"},
		// Wednesday is a holiday: no record.
		{core.AttendanceLate, "11-26 09:00", "11-26 09:20"},
		{core.AttendancePresent, "11-26 09:20", "11-26 17:30"},
		{core.AttendanceAbsent, "11-27 09:00", "11-27 17:30"},
	}
	if len(got) != len(want) {
		t.Fatalf("records %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("record %d: %v, want %v", i, got[i], want[i])
		}
	}

	justified := func() map[string]bool {
		ts, err := e.Timesheet(cli, q)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, d := range ts.People[0].Days {
			out[d.Date.String()] = d.Justified
		}
		return out
	}
	// Monday late, covered whole; Tuesday covered in part; Thursday by two
	// joined; Friday by a pending one.
	justify(t, e, "ann", "2026-11-23 08:00", "2026-11-23 10:00", core.JustifValid)
	justify(t, e, "ann", "2026-11-24 09:00", "2026-11-24 12:00", core.JustifValid)
	justify(t, e, "ann", "2026-11-26 09:00", "2026-11-26 09:10", core.JustifValid)
	justify(t, e, "ann", "2026-11-26 09:10", "2026-11-26 09:30", core.JustifValid)
	justify(t, e, "ann", "2026-11-27 00:00", "2026-11-28 00:00", core.JustifPending)
	j := justified()
	for date, want := range map[string]bool{"2026-11-23": true, "2026-11-24": false, "2026-11-25": false, "2026-11-26": true, "2026-11-27": false} {
		if j[date] != want {
			t.Errorf("%s justified %v, want %v", date, j[date], want)
		}
	}

	// A record by hand replaces the derived record of its state it
	// overlaps: Friday is half a day absent, entered by hand.
	if _, err := e.AddAttendance(cli, core.AttendanceRecord{Person: "ann", State: core.AttendanceAbsent,
		From: local(t, "2026-11-27 13:30", loc), Until: local(t, "2026-11-27 17:30", loc), Description: "dentist"}); err != nil {
		t.Fatal(err)
	}
	recs, _ = e.Attendance(cli, q)
	var friday []core.AttendanceEntry
	for _, r := range recs["ann"] {
		if r.From.In(loc).Day() == 27 {
			friday = append(friday, r)
		}
	}
	if len(friday) != 1 || friday[0].Derived || friday[0].Description != "dentist" {
		t.Errorf("Friday %+v, want only the record by hand", friday)
	}
}

func TestMetrics(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	loc := e.Location()
	add := func(person, from, until string, state core.AttendanceState) {
		t.Helper()
		if _, err := e.AddAttendance(cli, core.AttendanceRecord{Person: person, State: state,
			From: local(t, from, loc), Until: local(t, until, loc)}); err != nil {
			t.Fatal(err)
		}
	}
	// Zed has no shift, so no derived records: only these. A multi-day
	// absence Monday 08:00 to Thursday 18:00 over the Wednesday holiday,
	// justified; a late arrival Friday 09:00-09:30, not.
	add("zed", "2026-11-23 08:00", "2026-11-26 18:00", core.AttendanceAbsent)
	add("zed", "2026-11-27 09:00", "2026-11-27 09:30", core.AttendanceLate)
	justify(t, e, "zed", "2026-11-23 00:00", "2026-11-27 00:00", core.JustifValid)
	q := week(t)
	q.Person = "zed"
	m, err := e.Metrics(cli, q)
	if err != nil {
		t.Fatal(err)
	}
	absence := core.MetricValues{Count: 1, Days: 4, HalfDays: 8, Hours: 30} // Mon, Tue, Thu × 10 h; not the holiday
	if m.Absent.MetricValues != absence || m.Absent.Justified != absence || m.Absent.Unjustified != (core.MetricValues{}) {
		t.Errorf("absent %+v, want %+v all justified", m.Absent, absence)
	}
	late := core.MetricValues{Count: 1, Days: 1, HalfDays: 1, Hours: 0.5}
	if m.Late.MetricValues != late || m.Late.Unjustified != late || m.Late.Justified != (core.MetricValues{}) {
		t.Errorf("late %+v, want %+v unjustified", m.Late, late)
	}
	if m.Present != (core.StateMetrics{}) {
		t.Errorf("present %+v, want none", m.Present)
	}

	// A department adds its people: Ann's derived absences (4 working days,
	// Wednesday a holiday) and presence.
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-23 08:55"}, {"out", "2026-11-23 17:30"}})
	q = week(t)
	q.Department = "staff"
	m, err = e.Metrics(cli, q)
	if err != nil {
		t.Fatal(err)
	}
	if m.Present.Count != 1 || m.Present.Hours != 8.58 || m.Present.HalfDays != 2 {
		t.Errorf("department present %+v, want Ann's Monday", m.Present)
	}
	// Ann: Tue, Thu, Fri absent; Nick and Nina every night shift of the
	// week they were scheduled (Nick Mon, Tue, Thu, Fri; Nina Mon to Fri
	// but the holiday).
	if m.Absent.Count != 3+4+4 {
		t.Errorf("department absences %d, want 11", m.Absent.Count)
	}
	if _, err := e.Metrics(staffAccount(t, e, "boss2", "", core.PermDoorsView), q); err == nil {
		t.Error("metrics without attendance.view: allowed")
	}
}
