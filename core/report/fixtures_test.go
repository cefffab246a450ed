package report

import (
	"fmt"
	"time"
	_ "time/tzdata" // the tests use Europe/Paris wherever they run

	"frontdesk/core"
)

// Names in three scripts: the PDF must print them and pdftotext must find
// them.
const (
	nameFR = "Zoë Lefèvre"
	nameDE = "Jürgen Groß"
	nameRU = "Анна Кузнецова"
)

var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at is a local instant in Paris, "2006-01-02 15:04", read as the
// engine reads local times.
func at(s string) time.Time {
	t, err := core.ParseTime(s, paris)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func date(s string) core.Date {
	d, err := core.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// fingerprint is a made-up fingerprint of the right shape.
const fingerprint = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

// baseReport is the common part of every test report.
func baseReport(kind core.ReportKind, period string) core.Report {
	return core.Report{
		Kind:        kind,
		Site:        "HQ Paris",
		Zone:        "Europe/Paris",
		Location:    paris,
		Period:      period,
		Generated:   at("2026-11-24 09:31"),
		By:          "Maëlle Dupré",
		Fingerprint: fingerprint,
	}
}

func attendanceReport(in, expected int) core.Report {
	r := baseReport(core.ReportAttendance, "at 2026-11-24 09:30")
	s := &core.SheetReport{At: at("2026-11-24 09:30")}
	names := []string{nameFR, nameDE, nameRU}
	for i := range in {
		s.In = append(s.In, core.SheetEntry{
			Person: fmt.Sprintf("p%d", i), Name: names[i%3], Department: "Engineering",
			Phone: "+33 6 12 34 56 78", Zone: "Office", Since: at("2026-11-24 08:5" + fmt.Sprint(i%10)),
		})
	}
	for i := range expected {
		e := core.ExpectedEntry{
			Person: fmt.Sprintf("e%d", i), Name: fmt.Sprintf("Expected Person %d", i), Department: "Sales",
			Phone: "+49 30 1234567", ShiftStart: at("2026-11-24 09:00"), ShiftEnd: at("2026-11-24 17:30"),
			Justified: i%2 == 0,
		}
		if i%3 == 1 {
			e.Left = at("2026-11-24 09:12")
		}
		s.Expected = append(s.Expected, e)
	}
	r.Attendance = s
	return r
}

// dayOf makes a timesheet day: weekdays scheduled 09:00-17:00 with some
// variety, weekends off.
func dayOf(d core.Date, i int) core.TimesheetDay {
	td := core.TimesheetDay{Date: d}
	switch wd := d.Weekday(); {
	case wd == time.Saturday || wd == time.Sunday:
		td.Status = core.DayOff
	case i%9 == 4:
		td.Status = core.DayAbsent
		td.Scheduled = 480
		td.Justified = i%2 == 0
	case i%7 == 2:
		td.Status = core.DayLate
		td.Minutes = core.Minutes{Scheduled: 480, Worked: 455, Presence: 470, Overtime: 15, Late: 25}
		td.FirstIn, td.LastOut = "09:25", "17:15"
	default:
		td.Status = core.DayPresent
		td.Minutes = core.Minutes{Scheduled: 480, Worked: 425, Presence: 470, Overtime: 45}
		td.FirstIn, td.LastOut = "08:15", "16:05"
		td.AutoClosed = i%11 == 3
		if td.AutoClosed {
			td.LastOut = "21:00"
		}
		td.EarlyLeave = 55
	}
	return td
}

func personTimesheet(id, name, dept string, from core.Date, n int) core.PersonTimesheet {
	p := core.PersonTimesheet{Person: id, Name: name, Department: dept}
	for i := range n {
		td := dayOf(from.AddDays(i), i)
		p.Days = append(p.Days, td)
		p.Totals = addMinutes(p.Totals, td.Minutes)
	}
	return p
}

func addMinutes(a, b core.Minutes) core.Minutes {
	return core.Minutes{
		Scheduled: a.Scheduled + b.Scheduled, Worked: a.Worked + b.Worked, Presence: a.Presence + b.Presence,
		Overtime: a.Overtime + b.Overtime, Late: a.Late + b.Late, EarlyLeave: a.EarlyLeave + b.EarlyLeave,
	}
}

// timesheetReport has people people in departments of groupSize, over
// days days from 2026-11-01; the first three carry the three scripts'
// names.
func timesheetReport(people, groupSize, days int) core.Report {
	from := date("2026-11-01")
	r := baseReport(core.ReportTimesheet, fmt.Sprintf("%s to %s", from, from.AddDays(days-1)))
	ts := &core.TimesheetReport{From: from, To: from.AddDays(days - 1)}
	names := []string{nameFR, nameDE, nameRU}
	for i := range people {
		if i%groupSize == 0 {
			g := fmt.Sprintf("d%d", i/groupSize)
			ts.Groups = append(ts.Groups, core.TimesheetGroup{Department: g, Name: "Department " + g})
		}
		g := &ts.Groups[len(ts.Groups)-1]
		name := fmt.Sprintf("Person Number %04d", i)
		if i < len(names) {
			name = names[i]
		}
		p := personTimesheet(fmt.Sprintf("p%04d", i), name, g.Department, from, days)
		g.People = append(g.People, p)
		g.Totals = addMinutes(g.Totals, p.Totals)
		ts.Totals = addMinutes(ts.Totals, p.Totals)
	}
	r.Timesheet = ts
	return r
}

func metricValues(count int, hours float64) core.MetricValues {
	return core.MetricValues{Count: count, Days: count, HalfDays: 2 * count, Hours: hours}
}

func absencesReport(withRecords, withheld bool) core.Report {
	r := baseReport(core.ReportAbsences, "2026-11-01 to 2026-11-30")
	a := &core.AbsencesReport{From: date("2026-11-01"), To: date("2026-11-30"), ReasonsWithheld: withheld}
	for i, name := range []string{nameFR, nameDE, nameRU, "Nobody Special"} {
		p := core.PersonAbsences{Person: fmt.Sprintf("p%d", i), Name: name, Department: "Engineering"}
		p.Metrics.Present = core.StateMetrics{MetricValues: metricValues(18, 140.5)}
		if withRecords && i < 3 {
			p.Records = []core.AttendanceEntry{
				{AttendanceRecord: core.AttendanceRecord{Person: p.Person, From: at("2026-11-03 09:00"), Until: at("2026-11-03 09:25"), State: core.AttendanceLate}, Derived: true},
				{AttendanceRecord: core.AttendanceRecord{Person: p.Person, From: at("2026-11-05 09:00"), Until: at("2026-11-05 17:00"), State: core.AttendanceAbsent}, Derived: true, Justified: true},
				{AttendanceRecord: core.AttendanceRecord{ID: "a7", Person: p.Person, From: at("2026-11-12 00:00"), Until: at("2026-11-14 00:00"), State: core.AttendanceAbsent,
					Description: "Training course in Lyon, arranged with the manager weeks in advance; entered by hand because the badge stayed at home all week long",
					EnteredBy:   "manager:alice", EnteredAt: at("2026-11-15 10:00")}},
			}
			p.Justifications = []core.Justification{
				{ID: "j1", Person: p.Person, From: at("2026-11-05 00:00"), Until: at("2026-11-06 00:00"), State: core.JustifValid,
					Reason: "Médecin: rendez-vous à l'hôpital, certificat joint. Это причина отсутствия, длинная строка, которая должна переноситься внутри ячейки таблицы.",
					Files:  []core.JustifFile{{ID: "f1", Name: "certificat.pdf"}, {ID: "f2", Name: "old.pdf", DeletedAt: at("2026-11-07 10:00")}}},
				{ID: "j2", Person: p.Person, From: at("2026-11-12 00:00"), Until: at("2026-11-14 00:00"), State: core.JustifPending, Reason: "Training"},
			}
			p.Metrics.Late = core.StateMetrics{MetricValues: metricValues(1, 25.0/60), Unjustified: metricValues(1, 25.0/60)}
			p.Metrics.Absent = core.StateMetrics{MetricValues: metricValues(3, 24), Justified: metricValues(1, 8), Unjustified: metricValues(2, 16)}
		}
		a.People = append(a.People, p)
		a.Metrics.Present.MetricValues = addValues(a.Metrics.Present.MetricValues, p.Metrics.Present.MetricValues)
		a.Metrics.Late.MetricValues = addValues(a.Metrics.Late.MetricValues, p.Metrics.Late.MetricValues)
		a.Metrics.Late.Unjustified = addValues(a.Metrics.Late.Unjustified, p.Metrics.Late.Unjustified)
		a.Metrics.Absent.MetricValues = addValues(a.Metrics.Absent.MetricValues, p.Metrics.Absent.MetricValues)
		a.Metrics.Absent.Justified = addValues(a.Metrics.Absent.Justified, p.Metrics.Absent.Justified)
		a.Metrics.Absent.Unjustified = addValues(a.Metrics.Absent.Unjustified, p.Metrics.Absent.Unjustified)
	}
	r.Absences = a
	return r
}

func addValues(a, b core.MetricValues) core.MetricValues {
	return core.MetricValues{Count: a.Count + b.Count, Days: a.Days + b.Days, HalfDays: a.HalfDays + b.HalfDays, Hours: a.Hours + b.Hours}
}

// doorLogReport has n events cycling through results and people.
func doorLogReport(n int) core.Report {
	r := baseReport(core.ReportDoorLog, "2026-11-01 to 2026-11-30")
	r.Filter = "door Main entrance"
	l := &core.DoorLogReport{From: at("2026-11-01 00:00"), To: at("2026-12-01 00:00")}
	results := []core.Result{core.Granted, core.DeniedOutsideSchedule, core.Granted, core.DeniedUnknownCard, core.IgnoredDuplicate, core.Granted}
	names := []string{nameFR, nameDE, nameRU}
	counts := map[core.Result]int{}
	start := at("2026-11-02 07:00")
	for i := range n {
		res := results[i%len(results)]
		e := core.DoorLogEntry{
			Event: core.Event{Seq: uint64(i + 1), At: start.Add(time.Duration(i) * 7 * time.Minute), Reader: "main-in",
				Door: "main", Direction: core.In, Card: "em:0102B0A5FD", Person: fmt.Sprintf("p%d", i%3), Result: res},
			DoorName: "Main entrance", PersonName: names[i%3],
		}
		switch res {
		case core.Granted:
			e.Explanation = "level Staff, schedule Office hours, Tue 07:00-19:00"
		case core.DeniedOutsideSchedule:
			e.Explanation = "level Staff covers Main entrance with schedule Office hours, but not at this instant: the windows on Sunday are none, the next window opens Monday at 07:00 and closes at 19:00"
		case core.DeniedUnknownCard:
			e.Person, e.PersonName, e.Card = "", "", "em:00DEADBEEF"
			e.Explanation = "no card has this code"
		case core.IgnoredDuplicate:
			e.Explanation = "same card at the same reader within 3s"
		}
		counts[res]++
		l.Events = append(l.Events, e)
	}
	for _, res := range []core.Result{core.Granted, core.DeniedOutsideSchedule, core.DeniedUnknownCard, core.IgnoredDuplicate} {
		if counts[res] > 0 {
			l.Counts = append(l.Counts, core.ResultCount{Result: res, Count: counts[res]})
		}
	}
	r.DoorLog = l
	return r
}

func musterReport() core.Report {
	r := baseReport(core.ReportMuster, "now, 2026-11-24 09:31")
	m := &core.MusterReport{At: at("2026-11-24 09:31")}
	office := core.MusterZone{Zone: "office", Name: "Office", Work: true}
	for i, name := range []string{nameFR, nameDE, nameRU} {
		office.People = append(office.People, core.MusterEntry{Person: fmt.Sprintf("p%d", i), Name: name, Department: "Engineering",
			Phone: "+33 6 12 34 56 7" + fmt.Sprint(i), Since: at("2026-11-24 08:4" + fmt.Sprint(i))})
	}
	office.People = append(office.People, core.MusterEntry{Person: "p9", Name: "Stale Person", Department: "Sales",
		Since: at("2026-11-23 08:02"), Stale: true})
	lab := core.MusterZone{Zone: "lab", Name: "Laboratory", Work: true, People: []core.MusterEntry{
		{Person: "p4", Name: "Lab Worker", Phone: "+33 1 23 45 67 89", Since: at("2026-11-24 07:58")},
	}}
	m.Zones = []core.MusterZone{office, lab}
	m.Total = len(office.People) + len(lab.People)
	r.Muster = m
	return r
}

func accessReport() core.Report {
	r := baseReport(core.ReportAccess, "at 2026-11-24 09:31")
	a := &core.AccessReport{At: at("2026-11-24 09:31")}
	a.Doors = []core.DoorAccess{
		{Door: "main", Name: "Main entrance", Mode: core.DoorNormal, Owners: []string{"Bob Stone"}, Entries: []core.AccessEntry{
			{Person: "p0", Name: nameFR, Department: "Engineering", Via: core.AccessViaLevel, Level: "Staff", Inherited: true, Schedule: "Office hours"},
			{Person: "p1", Name: nameDE, Department: "Engineering", Via: core.AccessViaLevel, Level: "Staff"},
			{Person: "p2", Name: nameRU, Via: core.AccessViaGrant, Grant: "g12", GrantKind: core.GrantOnce, UsesLeft: 3, Until: at("2026-12-01 00:00"), NoCard: true},
			{Person: "p3", Name: "Bob Stone", Via: core.AccessViaMaster},
		}},
		{Door: "lab", Name: "Laboratory", Mode: core.DoorLockdown, Entries: []core.AccessEntry{
			{Person: "p4", Name: "Lab Worker", Via: core.AccessViaGrant, Grant: "g13", GrantKind: core.GrantTemporary, UsesLeft: -1,
				From: at("2026-11-25 08:00"), Until: at("2026-11-30 18:00")},
		}},
		{Door: "store", Name: "Store room", Mode: core.DoorNormal},
	}
	r.Access = a
	return r
}
