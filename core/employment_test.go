package core_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// employmentSite: a day shift on weekdays, in Paris; the engine's clock
// reads Tuesday 2026-11-24 12:00, the month under test November 2026.
const employmentSite = `{
  "site": {"name": "Employment HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-17:00"], "tue": ["09:00-17:00"],
              "wed": ["09:00-17:00"], "thu": ["09:00-17:00"], "fri": ["09:00-17:00"]}}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
  "devices": [{"id": "main-in", "kind": "sim", "door": "main", "direction": "in"}],
  "departments": [{"id": "staff", "name": "Staff", "shift": "day"}],
  "people": [{"id": "old", "name": "Old Timer", "department": "staff", "started": "2020-01-01"}]
}`

var (
	nov1      = core.Date{Year: 2026, Month: time.November, Day: 1}
	nov30     = core.Date{Year: 2026, Month: time.November, Day: 30}
	addedDay  = core.Date{Year: 2026, Month: time.November, Day: 24} // the clock's day
	noDate    = core.Date{}
	clockNoon = time.Date(2026, 11, 24, 12, 0, 0, 0, paris)
)

func employmentEngine(t *testing.T) *core.Engine {
	t.Helper()
	e, err := core.NewEngine(storagetest.MustOpen(t), func() time.Time { return clockNoon }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, siteFile(t, employmentSite)); err != nil {
		t.Fatal(err)
	}
	return e
}

// employmentPaths are the ways a person with started and left dates is
// added: the site file, a people CSV list and the person editor's call.
// A zero date is left out.
var employmentPaths = []struct {
	name string
	// left is how the path's errors name the left date.
	left string
	add  func(e *core.Engine, started, left core.Date) error
}{
	{"site file", "people[0].left:", func(e *core.Engine, started, left core.Date) error {
		p := `{"id": "new", "name": "New Hire", "department": "staff"`
		if started != noDate {
			p += fmt.Sprintf(`, "started": %q`, started)
		}
		if left != noDate {
			p += fmt.Sprintf(`, "left": %q`, left)
		}
		f, err := core.ReadSiteFile(strings.NewReader(`{"people": [` + p + `}]}`))
		if err != nil {
			return err
		}
		return e.Import(cli, f)
	}},
	{"people CSV", `column "Exit date":`, func(e *core.Engine, started, left core.Date) error {
		cell := func(d core.Date) string {
			if d == noDate {
				return ""
			}
			return d.String()
		}
		f, err := core.ReadPeopleCSV(strings.NewReader("id;name;dept;Start date;Exit date\nnew;New Hire;staff;" +
			cell(started) + ";" + cell(left) + "\n"))
		if err != nil {
			return err
		}
		_, err = e.ImportPeople(cli, f, false)
		return err
	}},
	{"PutPerson", "left:", func(e *core.Engine, started, left core.Date) error {
		_, err := e.AddPerson(cli, core.Person{ID: "new", Name: "New Hire", Department: "staff", Started: started, Left: left})
		return err
	}},
}

// TestNoDayOutsideEmployment adds a person by every path with started and
// left before, inside and after November, or none, and checks that
// November's timesheet, records, metrics, absences report and attendance
// sheet have no day outside their employment and every scheduled day
// inside it; a left before started is refused on every path, naming
// "left". A person without started starts the day they are added.
func TestNoDayOutsideEmployment(t *testing.T) {
	positions := []struct {
		name          string
		started, left core.Date
	}{
		{"none", noDate, noDate},
		{"before", core.Date{Year: 2026, Month: time.October, Day: 15}, core.Date{Year: 2026, Month: time.October, Day: 25}},
		{"inside", core.Date{Year: 2026, Month: time.November, Day: 10}, core.Date{Year: 2026, Month: time.November, Day: 18}},
		{"after", core.Date{Year: 2026, Month: time.December, Day: 5}, core.Date{Year: 2026, Month: time.December, Day: 15}},
	}
	for _, path := range employmentPaths {
		for _, s := range positions {
			for _, l := range positions {
				started, left := s.started, l.left
				t.Run(fmt.Sprintf("%s/started %s/left %s", path.name, s.name, l.name), func(t *testing.T) {
					e := employmentEngine(t)
					first := started
					if first == noDate {
						first = addedDay
					}
					err := path.add(e, started, left)
					if left != noDate && left.Before(first) {
						if !errors.Is(err, core.ErrInvalid) || !strings.Contains(err.Error(), path.left) {
							t.Fatalf("left %s before started %s: got %v, want an error naming %s", left, first, err, path.left)
						}
						if _, err := e.Person(cli, "new"); !errors.Is(err, core.ErrNotFound) {
							t.Fatal("a refused person was stored")
						}
						return
					}
					if err != nil {
						t.Fatal(err)
					}
					p, err := e.Person(cli, "new")
					if err != nil {
						t.Fatal(err)
					}
					if p.Started != first || p.Left != left {
						t.Fatalf("stored started %s left %s, want %s and %s", p.Started, p.Left, first, left)
					}
					checkMonth(t, e, core.Employment{From: first, To: left})
				})
			}
		}
	}
}

// checkMonth checks November 2026 of person "new", employed em.
func checkMonth(t *testing.T, e *core.Engine, em core.Employment) {
	t.Helper()
	q := core.TimesheetQuery{From: nov1, To: nov30, Person: "new"}
	ts, err := e.Timesheet(cli, q)
	if err != nil {
		t.Fatal(err)
	}
	wantAbsent := 0
	for _, d := range ts.People[0].Days {
		weekday := d.Date.Weekday() != time.Saturday && d.Date.Weekday() != time.Sunday
		switch {
		case !em.Contains(d.Date):
			if d.Status != core.DayNotEmployed || d.Minutes != (core.Minutes{}) {
				t.Errorf("%s, not employed: status %s, minutes %+v", d.Date, d.Status, d.Minutes)
			}
		case d.Status == core.DayNotEmployed:
			t.Errorf("%s, employed: status %s", d.Date, d.Status)
		case weekday && d.Scheduled != 480:
			t.Errorf("%s, employed weekday: %d minutes scheduled, want 480", d.Date, d.Scheduled)
		case weekday && !addedDay.Before(d.Date):
			wantAbsent++
			if d.Status != core.DayAbsent {
				t.Errorf("%s: status %s, want absent", d.Date, d.Status)
			}
		}
	}
	loc := e.Location()
	from, to := em.From.At(0, loc), em.To.AddDays(1).At(0, loc)
	recs, err := e.Attendance(cli, q)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs["new"] {
		if r.From.Before(from) || (em.To != noDate && r.Until.After(to)) {
			t.Errorf("record %s %s to %s is outside the employment", r.State, r.From, r.Until)
		}
	}
	if len(recs["new"]) != wantAbsent {
		t.Errorf("%d records, want %d absences", len(recs["new"]), wantAbsent)
	}
	m, err := e.Metrics(cli, q)
	if err != nil {
		t.Fatal(err)
	}
	if m.Absent.Days != wantAbsent || m.Absent.Unjustified.Count != wantAbsent || m.Present.Count != 0 {
		t.Errorf("metrics: %d absent days (%d records), want %d", m.Absent.Days, m.Absent.Unjustified.Count, wantAbsent)
	}
	rep, err := e.Report(cli, core.ReportQuery{Kind: core.ReportAbsences, From: nov1, To: nov30, Person: "new"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(rep.Absences.People[0].Records); n != wantAbsent || rep.Absences.Metrics.Absent.Days != wantAbsent {
		t.Errorf("absences report: %d records, %d days, want %d", n, rep.Absences.Metrics.Absent.Days, wantAbsent)
	}
	// The department's sheet and timesheet list them only when employed.
	for d := nov1; !nov30.Before(d); d = d.AddDays(1) {
		if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday || addedDay.Before(d) {
			continue
		}
		sheet, err := e.AttendanceSheet(cli, d.At(10*60, loc), "staff")
		if err != nil {
			t.Fatal(err)
		}
		expected := false
		for _, x := range sheet.Expected {
			expected = expected || x.Person == "new"
		}
		if expected != em.Contains(d) {
			t.Errorf("%s 10:00: expected and not in %v, want %v", d, expected, em.Contains(d))
		}
	}
	dept, err := e.Timesheet(cli, core.TimesheetQuery{From: nov1, To: nov30, Department: "staff"})
	if err != nil {
		t.Fatal(err)
	}
	listed := false
	for _, pt := range dept.People {
		listed = listed || pt.Person == "new"
	}
	employedInNovember := (em.From == noDate || !nov30.Before(em.From)) && (em.To == noDate || !em.To.Before(nov1))
	if listed != employedInNovember {
		t.Errorf("department timesheet lists them %v, want %v", listed, employedInNovember)
	}
}

// TestEmploymentKeptAndChecked: an update that gives no started keeps the
// stored one on every path; a record by hand outside the employment is
// refused; export writes the dates and imports back to them.
func TestEmploymentKeptAndChecked(t *testing.T) {
	e := employmentEngine(t)
	started := core.Date{Year: 2026, Month: time.November, Day: 10}
	if _, err := e.AddPerson(cli, core.Person{ID: "new", Name: "New Hire", Department: "staff", Started: started}); err != nil {
		t.Fatal(err)
	}
	for _, path := range employmentPaths[:2] {
		if err := path.add(e, noDate, noDate); err != nil {
			t.Fatal(err)
		}
		if p, _ := e.Person(cli, "new"); p.Started != started {
			t.Errorf("%s without started: started %s, want %s kept", path.name, p.Started, started)
		}
	}
	p, _ := e.Person(cli, "new")
	p.Started = noDate
	if p, err := e.PutPerson(cli, p); err != nil || p.Started != started {
		t.Errorf("PutPerson without started: %v, started %s, want %s kept", err, p.Started, started)
	}
	p.Left = core.Date{Year: 2026, Month: time.November, Day: 9}
	var fe *core.FieldError
	if _, err := e.PutPerson(cli, p); !errors.As(err, &fe) || fe.Field != "left" {
		t.Errorf("left before started: got %v, want a FieldError on left", err)
	}

	for _, r := range []struct{ from, until string }{
		{"2026-11-09T09:00", "2026-11-09T17:00"}, // the day before
		{"2026-11-09T23:00", "2026-11-10T10:00"}, // across the first midnight
	} {
		_, err := e.AddAttendance(cli, core.AttendanceRecord{Person: "new", From: siteAt(t, e, r.from),
			Until: siteAt(t, e, r.until), State: core.AttendanceAbsent})
		if !errors.Is(err, core.ErrInvalid) || !strings.Contains(err.Error(), "started on 2026-11-10") {
			t.Errorf("record %s to %s: got %v, want refused: before started", r.from, r.until, err)
		}
	}
	if _, err := e.AddAttendance(cli, core.AttendanceRecord{Person: "new", From: siteAt(t, e, "2026-11-10T09:00"),
		Until: siteAt(t, e, "2026-11-10T17:00"), State: core.AttendanceAbsent}); err != nil {
		t.Errorf("a record on the first day: %v", err)
	}

	f, err := e.Export(cli)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := core.WriteSiteFile(&b, f); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), `"started": "2026-11-10"`) {
		t.Errorf("export lacks started:\n%s", b.String())
	}
	copyEngine, err := core.NewEngine(storagetest.MustOpen(t), func() time.Time { return clockNoon.AddDate(0, 1, 0) }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := copyEngine.Import(cli, siteFile(t, b.String())); err != nil {
		t.Fatal(err)
	}
	if got, _ := copyEngine.Person(cli, "new"); got.Started != started {
		t.Errorf("imported copy: started %s, want %s", got.Started, started)
	}
}

// TestEmploymentOfPeopleStoredBefore: people stored before started
// existed start the day the audit trail saw them created, else the day of
// their first event, else have no first day; export writes that day, so a
// copy of the site counts the same.
func TestEmploymentOfPeopleStoredBefore(t *testing.T) {
	db := storagetest.MustOpen(t)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, paris)
	e, err := core.NewEngine(db, func() time.Time { return now }, nil)
	if err != nil {
		t.Fatal(err)
	}
	site := strings.Replace(employmentSite, `"people": [`, `"people": [{"id": "audited", "name": "Audited", "department": "staff"},`, 1)
	if err := e.Import(cli, siteFile(t, site)); err != nil {
		t.Fatal(err)
	}
	// As a database from before the dates: the import's people lose
	// theirs (its audit entry stays); two more are written with the store
	// alone, so the trail never saw them created.
	err = db.Update(func(tx core.Tx) error {
		var p core.Person
		if err := tx.Get(core.KindPerson, "audited", &p); err != nil {
			return err
		}
		p.Started = noDate
		if err := tx.Put(core.KindPerson, "audited", p); err != nil {
			return err
		}
		for _, id := range []string{"tapped", "unseen"} {
			if err := tx.Put(core.KindPerson, id, core.Person{ID: id, Name: id, Department: "staff"}); err != nil {
				return err
			}
		}
		return tx.Put(core.KindCard, "em:0A00000001", core.Card{Code: "em:0A00000001", Person: "tapped", State: core.CardActive})
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Tap(core.Tap{Reader: "main-in", Code: "em:0A00000001", At: time.Date(2026, 11, 12, 9, 0, 0, 0, paris)}); err != nil {
		t.Fatal(err)
	}
	// The database opened again, by this version.
	e, err = core.NewEngine(db, func() time.Time { return now }, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]core.Date{
		"audited": {Year: 2026, Month: time.November, Day: 20}, // the import that created them
		"tapped":  {Year: 2026, Month: time.November, Day: 12}, // their first tap
		"unseen":  noDate,                                      // every day counts, as before
	}
	ts, err := e.Timesheet(cli, core.TimesheetQuery{From: nov1, To: nov30, Department: "staff"})
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, pt := range ts.People {
		w, ok := want[pt.Person]
		if !ok {
			continue
		}
		seen++
		for _, d := range pt.Days {
			if (d.Status == core.DayNotEmployed) != d.Date.Before(w) {
				t.Errorf("%s %s: status %s, want not employed exactly before %s", pt.Person, d.Date, d.Status, w)
			}
		}
	}
	if seen != len(want) {
		t.Fatalf("the timesheet lists %d of the %d people", seen, len(want))
	}
	f, err := e.Export(cli)
	if err != nil {
		t.Fatal(err)
	}
	for _, pf := range f.People {
		if w, ok := want[pf.ID]; ok && pf.Started != w {
			t.Errorf("export: %s started %s, want %s", pf.ID, pf.Started, w)
		}
	}
}
