package report

import (
	"strconv"

	"frontdesk/core"
)

// absences is the §2.4 report: everyone's metrics, each person's
// metrics, then the late and absent records and the justifications of
// whoever has any.
type absences struct{ s *core.AbsencesReport }

func (absences) landscape() bool { return false }

func (a absences) covers(d *doc) string {
	records, justifs := 0, 0
	for _, p := range a.s.People {
		records += len(p.Records)
		justifs += len(p.Justifications)
	}
	return d.N("{{.Count}} person", "{{.Count}} people", len(a.s.People)) + ", " + d.N("{{.Count}} record", "{{.Count}} records", records) +
		", " + d.N("{{.Count}} justification", "{{.Count}} justifications", justifs)
}

func (a absences) draw(d *doc) {
	a.drawSummary(d)
	d.gap(4)
	a.drawPeople(d)
	d.gap(4)
	shown := 0
	for _, p := range a.s.People {
		if len(p.Records) > 0 || len(p.Justifications) > 0 {
			shown++
		}
	}
	if shown == 0 {
		d.caption(d.T("Records and justifications"), lineHeight(bodySize))
		d.note(d.T("No late or absent records in this period."))
		return
	}
	d.caption(d.T("Records and justifications"), lineHeight(personSize)+20)
	for _, p := range a.s.People {
		if len(p.Records) > 0 || len(p.Justifications) > 0 {
			a.drawPerson(d, p)
		}
	}
}

// drawSummary is the table of everyone's metrics: a row per state, the
// count, days, half-days and hours of each, in all and split justified
// and unjustified.
func (a absences) drawSummary(d *doc) {
	cols := []column{{title: "State", width: 16}}
	for range 4 {
		cols = append(cols,
			column{title: "all", width: 9, align: alignRight},
			column{title: "just.", width: 9, align: alignRight},
			column{title: "unjust.", width: 10, align: alignRight})
	}
	t := newTable(d, sheetSize, cols...)
	t.groups = []group{{"", 1}, {"Count", 3}, {"Days", 3}, {"Half-days", 3}, {"Hours", 3}}
	t.start(d.T("Summary"), 3)
	m := a.s.Metrics
	for _, s := range [...]struct {
		name string
		m    core.StateMetrics
	}{{"Present", m.Present}, {"Late", m.Late}, {"Absent", m.Absent}} {
		c := t.row()
		c[0].text = d.T(s.name)
		for i, v := range [...]core.MetricValues{s.m.MetricValues, s.m.Justified, s.m.Unjustified} {
			c[1+i].text = strconv.Itoa(v.Count)
			c[4+i].text = strconv.Itoa(v.Days)
			c[7+i].text = strconv.Itoa(v.HalfDays)
			c[10+i].text = hoursHM(v.Hours)
		}
		t.add(rowPlain)
	}
}

// drawPeople is the table of each person's metrics, one row each.
func (a absences) drawPeople(d *doc) {
	if len(a.s.People) == 0 {
		d.caption(d.T("By person"), lineHeight(bodySize))
		d.note(d.T("Nobody in this selection."))
		return
	}
	t := newTable(d, sheetSize,
		column{title: "Name", width: 28},
		column{title: "Department", width: 18},
		column{title: "days", width: 9, align: alignRight},
		column{title: "hours", width: 11, align: alignRight},
		column{title: "count", width: 9, align: alignRight},
		column{title: "hours", width: 10, align: alignRight},
		column{title: "unjust.", width: 10, align: alignRight},
		column{title: "days", width: 9, align: alignRight},
		column{title: "half-days", width: 14, align: alignRight},
		column{title: "hours", width: 11, align: alignRight},
		column{title: "unjust. days", width: 11, align: alignRight},
	)
	t.groups = []group{{"", 2}, {"Present", 2}, {"Late", 3}, {"Absent", 4}}
	t.start(d.T("By person"), keepFor(len(a.s.People)))
	for _, p := range a.s.People {
		c := t.row()
		m := p.Metrics
		c[0].text = p.Name
		c[1].text = p.Department
		c[2].text = strconv.Itoa(m.Present.Days)
		c[3].text = hoursHM(m.Present.Hours)
		c[4].text = strconv.Itoa(m.Late.Count)
		c[5].text = hoursHM(m.Late.Hours)
		c[6].text = strconv.Itoa(m.Late.Unjustified.Count)
		c[7].text = strconv.Itoa(m.Absent.Days)
		c[8].text = strconv.Itoa(m.Absent.HalfDays)
		c[9].text = hoursHM(m.Absent.Hours)
		c[10].text = strconv.Itoa(m.Absent.Unjustified.Days)
		if m.Late.Unjustified.Count > 0 {
			c[6].ink = darkRed
		}
		if m.Absent.Unjustified.Days > 0 {
			c[10].ink = darkRed
		}
		t.add(rowPlain)
	}
}

// drawPerson is one person's records and justifications, the heading
// kept with the first rows.
func (a absences) drawPerson(d *doc, p core.PersonAbsences) {
	title := p.Name
	if p.Department != "" {
		title += " — " + p.Department
	}
	records, justifs := recordsTable(d), justificationsTable(d)
	first, n := records, len(p.Records)
	if n == 0 {
		first, n = justifs, len(p.Justifications)
	}
	first.measureHeader()
	d.gap(3)
	d.ensure(lineHeight(personSize) + 0.5 + first.headH + float64(min(n, 3))*first.rowHeight())
	d.line(title, "B", personSize, black)
	d.y += 0.5
	if len(p.Records) == 0 {
		d.note(d.T("No late or absent records."))
	} else {
		a.drawRecords(d, records, p)
	}
	if len(p.Justifications) == 0 {
		d.note(d.T("No justifications."))
		return
	}
	d.gap(1.5)
	a.drawJustifications(d, justifs, p)
}

func recordsTable(d *doc) *table {
	return newTable(d, sheetSize,
		column{title: "From", width: 20},
		column{title: "To", width: 20},
		column{title: "State", width: 11},
		column{title: "Source", width: 45},
		column{title: "Justified", width: 12, align: alignCenter},
	)
}

func (a absences) drawRecords(d *doc, t *table, p core.PersonAbsences) {
	t.start("", keepFor(len(p.Records)))
	t.caption = d.F("%s: records", p.Name)
	for _, r := range p.Records {
		c := t.row()
		c[0].text = d.clk.dateTime(r.From)
		c[1].text = d.clk.timeOn(r.Until, r.From)
		c[2].text = d.T(string(r.State))
		c[3].text = recordSource(d, r)
		if r.Justified {
			c[4].text, c[4].ink = d.T("yes"), darkGreen
		} else {
			c[4].text, c[4].ink = d.T("no"), darkRed
		}
		t.add(rowPlain)
	}
}

// recordSource says where a record comes from: "derived from taps", or
// "by hand: description (by NAME, 2026-11-24)".
func recordSource(d *doc, r core.AttendanceEntry) string {
	if r.Derived {
		return d.T("derived from taps")
	}
	s := d.T("by hand")
	if r.Description != "" {
		s += ": " + r.Description
	}
	switch {
	case r.EnteredBy != "" && !r.EnteredAt.IsZero():
		s += " (" + r.EnteredBy + ", " + d.clk.date(r.EnteredAt) + ")"
	case r.EnteredBy != "":
		s += " (" + r.EnteredBy + ")"
	}
	return s
}

func justificationsTable(d *doc) *table {
	return newTable(d, sheetSize,
		column{title: "Period", width: 40},
		column{title: "State", width: 12},
		column{title: "Reason", width: 44},
		column{title: "Files", width: 12, align: alignRight},
	)
}

func (a absences) drawJustifications(d *doc, t *table, p core.PersonAbsences) {
	t.start("", keepFor(len(p.Justifications)))
	t.caption = d.F("%s: justifications", p.Name)
	for _, j := range p.Justifications {
		c := t.row()
		c[0].text = d.clk.span(j.From, j.Until)
		c[1].text = d.T(string(j.State))
		switch j.State {
		case core.JustifValid:
			c[1].ink = darkGreen
		case core.JustifInvalid:
			c[1].ink = darkRed
		}
		switch {
		case a.s.ReasonsWithheld || (j.Withheld && j.Reason == ""):
			c[2].text, c[2].ink = d.T("withheld"), grey
		case j.Reason == "":
			c[2].text, c[2].ink = "—", grey
		default:
			c[2].text = j.Reason
		}
		c[3].text = a.files(d, j)
		t.add(rowPlain)
	}
}

// files says how many files a justification has: "2", "2 (1 deleted)",
// "withheld".
func (a absences) files(d *doc, j core.Justification) string {
	if a.s.ReasonsWithheld {
		return d.T("withheld")
	}
	deleted := 0
	for _, f := range j.Files {
		if f.Deleted() {
			deleted++
		}
	}
	s := strconv.Itoa(len(j.Files) - deleted)
	if deleted > 0 {
		s += " " + d.F("(%d deleted)", deleted)
	}
	if j.Withheld && j.Reason != "" {
		s += " + " + d.T("withheld")
	}
	return s
}
