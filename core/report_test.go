package core_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

func date(t *testing.T, s string) core.Date {
	t.Helper()
	d, err := core.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func buildReport(t *testing.T, e *core.Engine, a core.Actor, q core.ReportQuery) core.Report {
	t.Helper()
	r, err := e.Report(a, q)
	if err != nil {
		t.Fatalf("report %s: %v", q.Kind, err)
	}
	if !strings.HasPrefix(r.Fingerprint, "sha256:") || len(r.Fingerprint) != len("sha256:")+64 {
		t.Fatalf("fingerprint %q", r.Fingerprint)
	}
	return r
}

func sheetAt(t *testing.T, e *core.Engine, at string) *core.SheetReport {
	t.Helper()
	return buildReport(t, e, cli, core.ReportQuery{Kind: core.ReportAttendance, At: local(t, at, e.Location())}).Attendance
}

func names[T any](vs []T, name func(T) string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = name(v)
	}
	return strings.Join(out, ",")
}

// TestReportAttendanceSheet: the sheet at several instants of a day and
// of a night, read from the taps alone.
func TestReportAttendanceSheet(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	loc := e.Location()
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-24 09:10"}, {"out", "2026-11-24 11:00"}})
	tapAll(t, e, "nick", []tapAt{{"in", "2026-11-23 21:55"}, {"out", "2026-11-24 06:05"}})
	justify(t, e, "ann", "2026-11-24 11:00", "2026-11-24 12:00", core.JustifValid)

	s := sheetAt(t, e, "2026-11-24 09:05")
	if len(s.In) != 0 || names(s.Expected, func(x core.ExpectedEntry) string { return x.Person }) != "ann" {
		t.Fatalf("09:05: in %v, expected %v", s.In, s.Expected)
	}
	ann := s.Expected[0]
	if !ann.Left.IsZero() || !ann.ShiftStart.Equal(local(t, "2026-11-24 09:00", loc)) ||
		!ann.ShiftEnd.Equal(local(t, "2026-11-24 17:30", loc)) || ann.Justified || ann.Department != "Staff" {
		t.Errorf("09:05: ann expected as %+v", ann)
	}

	s = sheetAt(t, e, "2026-11-24 10:00")
	if len(s.In) != 1 || s.In[0].Person != "ann" || s.In[0].Zone != "Office" || !s.In[0].Since.Equal(local(t, "2026-11-24 09:10", loc)) {
		t.Fatalf("10:00: in %+v", s.In)
	}
	if len(s.Expected) != 0 {
		t.Errorf("10:00: expected %+v", s.Expected)
	}

	s = sheetAt(t, e, "2026-11-24 11:30")
	if len(s.Expected) != 1 || !s.Expected[0].Left.Equal(local(t, "2026-11-24 11:00", loc)) || !s.Expected[0].Justified {
		t.Fatalf("11:30: expected %+v, want ann, left 11:00, justified", s.Expected)
	}

	// 02:00 on Tuesday: Nick's Monday night shift is under way and he is
	// in since Monday 21:55; Nina, every night, is expected and not in.
	s = sheetAt(t, e, "2026-11-24 02:00")
	if len(s.In) != 1 || s.In[0].Person != "nick" || !s.In[0].Since.Equal(local(t, "2026-11-23 21:55", loc)) {
		t.Fatalf("02:00: in %+v", s.In)
	}
	if names(s.Expected, func(x core.ExpectedEntry) string { return x.Person }) != "nina" ||
		!s.Expected[0].ShiftStart.Equal(local(t, "2026-11-23 22:00", loc)) {
		t.Errorf("02:00: expected %+v, want nina since Monday 22:00", s.Expected)
	}

	// Without --at the sheet is now (Monday 30, 13:00 in Paris): ann's
	// shift is under way and she is not in.
	now := buildReport(t, e, cli, core.ReportQuery{Kind: core.ReportAttendance})
	if !now.Attendance.At.Equal(clock.read()) || !strings.HasPrefix(now.Period, "at 2026-11-30 13:00") {
		t.Errorf("sheet now: at %v, period %q", now.Attendance.At, now.Period)
	}
	if _, err := e.Report(cli, core.ReportQuery{Kind: core.ReportAttendance, Department: "nope"}); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("unknown department: %v", err)
	}
}

func TestReportTimesheetGroups(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-23 09:10"}, {"out", "2026-11-23 17:30"}})
	tapAll(t, e, "zed", []tapAt{{"in", "2026-11-24 10:00"}, {"out", "2026-11-24 12:00"}})
	q := core.ReportQuery{Kind: core.ReportTimesheet, From: date(t, "2026-11-23"), To: date(t, "2026-11-27")}
	r := buildReport(t, e, cli, q)
	ts := r.Timesheet
	if got := names(ts.Groups, func(g core.TimesheetGroup) string { return g.Name }); got != "Staff,No department" {
		t.Fatalf("groups %s", got)
	}
	if got := names(ts.Groups[0].People, func(p core.PersonTimesheet) string { return p.Name }); got != "Ann,Nick,Nina" {
		t.Errorf("staff %s", got)
	}
	want, err := e.Timesheet(cli, core.TimesheetQuery{From: q.From, To: q.To})
	if err != nil {
		t.Fatal(err)
	}
	var sum core.Minutes
	for _, p := range want.People {
		sum.Worked += p.Totals.Worked
		sum.Scheduled += p.Totals.Scheduled
	}
	if ts.Totals.Worked != sum.Worked || ts.Totals.Scheduled != sum.Scheduled || ts.Totals.Worked == 0 {
		t.Errorf("totals %+v, want worked %d scheduled %d", ts.Totals, sum.Worked, sum.Scheduled)
	}
	if zed := ts.Groups[1]; zed.Totals.Presence != 120 || zed.People[0].Person != "zed" {
		t.Errorf("no-department group %+v", zed)
	}
	if r.Period != "2026-11-23 to 2026-11-27" || r.Site != "Attendance HQ" || r.Zone != "Europe/Paris" {
		t.Errorf("header %q %q %q", r.Period, r.Site, r.Zone)
	}

	// The fingerprint is the data's: the same again, another when a tap
	// changes a day.
	again := buildReport(t, e, cli, q)
	if again.Fingerprint != r.Fingerprint {
		t.Errorf("same data, fingerprints %s and %s", r.Fingerprint, again.Fingerprint)
	}
	tapAll(t, e, "nina", []tapAt{{"in", "2026-11-24 22:00"}})
	if changed := buildReport(t, e, cli, q); changed.Fingerprint == r.Fingerprint {
		t.Error("a new tap in the period left the fingerprint unchanged")
	}
	before := buildReport(t, e, cli, q).Fingerprint
	if err := e.Import(cli, siteFile(t, `{"people": [{"id": "zed", "name": "Zed Renamed", "access_levels": ["all"]}]}`)); err != nil {
		t.Fatal(err)
	}
	if renamed := buildReport(t, e, cli, q); renamed.Fingerprint == before {
		t.Error("renaming a person left the timesheet's fingerprint unchanged")
	}
	dept := buildReport(t, e, cli, core.ReportQuery{Kind: core.ReportTimesheet, From: q.From, To: q.To, Department: "staff"})
	if len(dept.Timesheet.Groups) != 1 || dept.Filter != "department Staff" {
		t.Errorf("department: %d groups, filter %q", len(dept.Timesheet.Groups), dept.Filter)
	}
}

func TestReportAbsences(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-23 09:10"}, {"out", "2026-11-23 17:30"},
		{"in", "2026-11-26 09:00"}, {"out", "2026-11-26 17:30"}})
	justify(t, e, "ann", "2026-11-24 00:00", "2026-11-25 00:00", core.JustifValid)
	justify(t, e, "ann", "2026-11-27 08:00", "2026-11-27 18:00", core.JustifPending)
	q := core.ReportQuery{Kind: core.ReportAbsences, From: date(t, "2026-11-23"), To: date(t, "2026-11-27"), Person: "ann"}
	r := buildReport(t, e, cli, q)
	if len(r.Absences.People) != 1 {
		t.Fatalf("people %d", len(r.Absences.People))
	}
	ann := r.Absences.People[0]
	// Monday late, Tuesday absent (justified), Wednesday a holiday,
	// Thursday present (not listed), Friday absent.
	var got []string
	for _, rec := range ann.Records {
		s := string(rec.State) + "@" + rec.From.In(e.Location()).Format("Mon")
		if rec.Justified {
			s += "(j)"
		}
		got = append(got, s)
	}
	if strings.Join(got, " ") != "late@Mon absent@Tue(j) absent@Fri" {
		t.Errorf("records %v", got)
	}
	if len(ann.Justifications) != 2 || ann.Justifications[0].Reason != "test" {
		t.Errorf("justifications %+v", ann.Justifications)
	}
	m, err := e.Metrics(cli, core.TimesheetQuery{From: q.From, To: q.To, Person: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if ann.Metrics != m || r.Absences.Metrics != m || m.Absent.Count != 2 || m.Absent.Justified.Count != 1 {
		t.Errorf("metrics %+v, engine %+v", ann.Metrics, m)
	}

	// A manager without justif.view sees the records but not the reasons.
	reader := staffAccount(t, e, "clerk", "", core.PermReportsPrint, core.PermAttendanceView)
	r = buildReport(t, e, reader, q)
	if !r.Absences.ReasonsWithheld || r.Absences.People[0].Justifications[0].Reason != "" || !r.Absences.People[0].Justifications[0].Withheld {
		t.Errorf("without justif.view: %+v", r.Absences.People[0].Justifications[0])
	}
}

func TestReportDoorLog(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-23 09:10"}, {"yard-out", "2026-11-23 10:00"}, {"out", "2026-11-24 17:30"}})
	if _, err := e.Tap(core.Tap{Reader: "in", Code: "em:0999999999", At: local(t, "2026-11-23 11:00", e.Location())}); err != nil {
		t.Fatal(err)
	}
	q := core.ReportQuery{Kind: core.ReportDoorLog, From: date(t, "2026-11-23"), To: date(t, "2026-11-23"), Door: "main"}
	r := buildReport(t, e, cli, q)
	log := r.DoorLog
	if len(log.Events) != 2 || log.Events[0].PersonName != "Ann" || log.Events[0].DoorName != "Main" || log.Events[1].Result != core.DeniedUnknownCard {
		t.Fatalf("events %+v", log.Events)
	}
	if len(log.Counts) != 2 || log.Counts[0].Count != 1 {
		t.Errorf("counts %+v", log.Counts)
	}
	byPerson := buildReport(t, e, cli, core.ReportQuery{Kind: core.ReportDoorLog, From: q.From, To: date(t, "2026-11-24"), Person: "ann"})
	if n := len(byPerson.DoorLog.Events); n != 3 {
		t.Errorf("ann's events: %d, want 3", n)
	}
	// logs.view.own: the boss of the yard door may print its log, not
	// the main door's.
	if err := e.Import(cli, siteFile(t, `{"doors": [{"id": "yard", "name": "Yard door", "from": "office", "to": "yard", "owners": ["zed"]}]}`)); err != nil {
		t.Fatal(err)
	}
	boss := staffAccount(t, e, "zedboss", "zed", core.PermReportsPrint, core.PermLogsViewOwn)
	if _, err := e.Report(boss, q); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("boss prints another door's log: %v", err)
	}
	q.Door = "yard"
	if got := buildReport(t, e, boss, q); len(got.DoorLog.Events) != 1 {
		t.Errorf("boss's own door: %d events", len(got.DoorLog.Events))
	}
}

func TestReportMuster(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-24 09:10"}, {"yard-out", "2026-11-24 10:00"}})
	tapAll(t, e, "zed", []tapAt{{"in", "2026-11-24 08:00"}})
	tapAll(t, e, "nina", []tapAt{{"in", "2026-11-20 22:00"}}) // never checked out
	tapAll(t, e, "nick", []tapAt{{"in", "2026-11-24 06:00"}, {"out", "2026-11-24 07:00"}})
	r := buildReport(t, e, cli, core.ReportQuery{Kind: core.ReportMuster})
	m := r.Muster
	if m.Total != 3 || names(m.Zones, func(z core.MusterZone) string { return z.Name }) != "Office,Yard" {
		t.Fatalf("muster %+v", m)
	}
	office := m.Zones[0]
	if names(office.People, func(p core.MusterEntry) string { return p.Person }) != "nina,zed" || !office.People[0].Stale || office.People[1].Stale {
		t.Errorf("office %+v", office.People)
	}
	if m.Zones[1].People[0].Person != "ann" || m.Zones[1].Work {
		t.Errorf("yard %+v", m.Zones[1])
	}
	// A receptionist with attendance.view alone prints the muster list,
	// but no other report.
	desk := staffAccount(t, e, "desk", "", core.PermAttendanceView)
	if _, err := e.Report(desk, core.ReportQuery{Kind: core.ReportMuster}); err != nil {
		t.Errorf("muster with attendance.view: %v", err)
	}
	if _, err := e.Report(desk, core.ReportQuery{Kind: core.ReportAttendance}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("attendance sheet without reports.print: %v", err)
	}
	printer := staffAccount(t, e, "printer", "", core.PermReportsPrint)
	if _, err := e.Report(printer, core.ReportQuery{Kind: core.ReportMuster}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("muster without attendance.view: %v", err)
	}
}

func TestReportAccess(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	err := e.Import(cli, siteFile(t, `{
	  "schedules": [{"id": "office-hours", "name": "Office hours", "week": {"mon": ["08:00-19:00"]}}],
	  "access_levels": [{"id": "yard-hours", "name": "Yard in hours", "rules": [{"doors": ["yard"], "schedule": "office-hours"}]}],
	  "people": [
	    {"id": "vic", "name": "Вика Соколова", "cards": [{"code": "em:0100000010", "state": "lost"}]},
	    {"id": "max", "name": "Max Müller", "master": true, "cards": ["em:0100000011"]},
	    {"id": "old", "name": "Old Timer", "active": false, "access_levels": ["all"]},
	    {"id": "zed", "name": "Zed", "access_levels": ["all", "yard-hours"], "cards": ["em:0100000004"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	loc := e.Location()
	grant := func(g core.Grant) core.Grant {
		t.Helper()
		g, err := e.AddGrant(cli, g)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	once := grant(core.Grant{Person: "vic", Door: "yard", Kind: core.GrantOnce, Uses: 2})
	grant(core.Grant{Person: "vic", Door: "yard", Kind: core.GrantTemporary, Until: local(t, "2026-11-20 00:00", loc)}) // expired
	temp := grant(core.Grant{Person: "vic", Door: "main", Kind: core.GrantTemporary, Until: local(t, "2026-12-01 00:00", loc)})

	r := buildReport(t, e, cli, core.ReportQuery{Kind: core.ReportAccess, Door: "yard"})
	if len(r.Access.Doors) != 1 || r.Access.Doors[0].Name != "Yard door" {
		t.Fatalf("doors %+v", r.Access.Doors)
	}
	var got []string
	for _, en := range r.Access.Doors[0].Entries {
		s := en.Person + ":" + en.Via
		switch {
		case en.Level != "":
			s += "/" + en.Level
			if en.Inherited {
				s += "(dept)"
			}
			if en.Schedule != "" {
				s += "@" + en.Schedule
			}
		case en.Grant != "":
			s += "/" + string(en.GrantKind)
			if en.Grant != once.ID || en.UsesLeft != 2 {
				s += "?"
			}
		}
		if en.NoCard {
			s += "!nocard"
		}
		got = append(got, s)
	}
	want := "ann:level/All(dept) max:master nick:level/All(dept) nina:level/All(dept) " +
		"zed:level/All zed:level/Yard in hours@Office hours vic:grant/once!nocard"
	if strings.Join(got, " ") != want {
		t.Errorf("yard:\n got %s\nwant %s", strings.Join(got, " "), want)
	}
	all := buildReport(t, e, cli, core.ReportQuery{Kind: core.ReportAccess, Person: "vic"})
	if len(all.Access.Doors) != 2 {
		t.Fatalf("doors for vic: %+v", all.Access.Doors)
	}
	main := all.Access.Doors[0]
	if main.Door != "main" || len(main.Entries) != 1 || main.Entries[0].Grant != temp.ID || !main.Entries[0].Until.Equal(temp.Until) || main.Entries[0].UsesLeft != -1 {
		t.Errorf("vic on main: %+v", main)
	}
}

func TestReportQueryChecks(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	d := date(t, "2026-11-23")
	for _, c := range []struct {
		q    core.ReportQuery
		want string
	}{
		{core.ReportQuery{Kind: "payroll"}, `no report "payroll"`},
		{core.ReportQuery{Kind: core.ReportMuster, From: d}, "the muster report does not take --from (it takes no option)"},
		{core.ReportQuery{Kind: core.ReportTimesheet, From: d}, "needs --from and --to"},
		{core.ReportQuery{Kind: core.ReportTimesheet, From: d, To: d, Door: "main"}, "does not take --door"},
		{core.ReportQuery{Kind: core.ReportAbsences, From: d, To: d.AddDays(-1)}, "the end is before the start"},
		{core.ReportQuery{Kind: core.ReportDoorLog, From: d, To: d}, "needs --door or --person"},
		{core.ReportQuery{Kind: core.ReportAccess, Door: "nope"}, `no door "nope"`},
		{core.ReportQuery{Kind: core.ReportTimesheet, From: d, To: d, Person: "ann", Department: "staff"}, "not both"},
	} {
		_, err := e.Report(cli, c.q)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.q, err, c.want)
		}
	}
}

func TestAttendanceSheetForTheDesk(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	tapAll(t, e, "ann", []tapAt{{"in", "2026-11-24 09:10"}})
	desk := staffAccount(t, e, "desk", "", core.PermAttendanceView)
	s, err := e.AttendanceSheet(desk, time.Time{}, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.In) != 1 || s.In[0].Person != "ann" || !s.At.Equal(clock.read()) {
		t.Errorf("sheet now: %+v", s)
	}
	nobody := staffAccount(t, e, "nobody", "", core.PermDoorsView)
	if _, err := e.AttendanceSheet(nobody, time.Time{}, ""); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("without attendance.view: %v", err)
	}
	if _, err := e.AttendanceSheet(desk, time.Time{}, "nope"); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("unknown department: %v", err)
	}
}
