package report

import (
	"strconv"
	"strings"

	"frontdesk/core"
)

// timesheet is the §2.3 timesheet: by department, per person a table of
// days with its totals and a chart of scheduled against worked time; the
// totals by department at the end.
type timesheet struct{ s *core.TimesheetReport }

// landscape: the payroll columns a site uses need the page's width.
func (ts timesheet) landscape() bool {
	u := ts.s.Uses
	return u.Paid || u.Night || u.Balance
}

// minuteCol is one minute column of the timesheet's tables.
type minuteCol struct {
	title string
	width float64
	of    func(core.Minutes) int
	// signed writes a + before a positive value: a balance.
	signed bool
}

// minuteCols are the minute columns, the payroll ones only when the
// site uses them.
func (ts timesheet) minuteCols() []minuteCol {
	u := ts.s.Uses
	cols := []minuteCol{
		{title: "Scheduled", width: 14.5, of: func(m core.Minutes) int { return m.Scheduled }},
		{title: "Worked", width: 12, of: func(m core.Minutes) int { return m.Worked }},
		{title: "Presence", width: 13, of: func(m core.Minutes) int { return m.Presence }},
	}
	if u.Paid {
		cols = append(cols,
			minuteCol{title: "Paid", width: 12, of: func(m core.Minutes) int { return m.Paid }},
			minuteCol{title: "Break", width: 11, of: func(m core.Minutes) int { return m.Break }})
	}
	cols = append(cols, minuteCol{title: "Overtime", width: 13, of: func(m core.Minutes) int { return m.Overtime }})
	if u.Night {
		cols = append(cols, minuteCol{title: "Night", width: 11, of: func(m core.Minutes) int { return m.Night }})
	}
	if u.Balance {
		cols = append(cols, minuteCol{title: "Balance", width: 13, of: func(m core.Minutes) int { return m.Balance }, signed: true})
	}
	return append(cols,
		minuteCol{title: "Late", width: 10, of: func(m core.Minutes) int { return m.Late }},
		minuteCol{title: "Early leave", width: 11, of: func(m core.Minutes) int { return m.EarlyLeave }})
}

// signedHM is a balance as h:mm with its sign: "+1:30", "-0:45", "0:00".
func signedHM(m int) string {
	if m > 0 {
		return "+" + hm(m)
	}
	return hm(m)
}

func (ts timesheet) covers(d *doc) string {
	people, days := 0, 0
	for _, g := range ts.s.Groups {
		people += len(g.People)
		for _, p := range g.People {
			days += len(p.Days)
		}
	}
	return d.F("%s in %s", d.N("{{.Count}} person", "{{.Count}} people", people), d.N("{{.Count}} department", "{{.Count}} departments", len(ts.s.Groups))) +
		", " + d.N("{{.Count}} person-day", "{{.Count}} person-days", days)
}

// Sizes of the timesheet, in points and millimetres.
const (
	sheetSize   = 8.0
	personSize  = 10.5
	chartH      = 22.0 // the bars' area
	chartLegend = 4.5  // legend above the bars
	chartLabels = 3.5  // day numbers below
	chartGap    = 3.0
)

// Chart colours.
var (
	schedInk   = rgb{120, 120, 120}
	workedFill = rgb{66, 110, 170}
	overFill   = rgb{232, 150, 60}
	gridInk    = rgb{215, 215, 215}
)

func (ts timesheet) draw(d *doc) {
	cols := ts.minuteCols()
	days := newTimesheetTable(d, cols)
	if len(ts.s.Groups) == 0 {
		d.note(d.T("Nobody in this selection."))
		return
	}
	for _, g := range ts.s.Groups {
		ts.drawGroup(d, days, cols, g)
	}
	ts.drawTotals(d)
}

// newTimesheetTable makes the table of a person's days, with the minute
// columns cols; it is reused for every person.
func newTimesheetTable(d *doc, cols []minuteCol) *table {
	all := []column{{title: "Date", width: 21}, {title: "Status", width: 13}}
	for _, c := range cols {
		all = append(all, column{title: c.title, width: c.width, align: alignRight})
	}
	all = append(all,
		column{title: "In", width: 10.5, align: alignRight},
		column{title: "Out", width: 10.5, align: alignRight},
		column{title: "Notes", width: 25.5})
	return newTable(d, sheetSize, all...)
}

func groupName(d *doc, g core.TimesheetGroup) string {
	if g.Name != "" {
		return g.Name
	}
	if g.Department != "" {
		return g.Department
	}
	return d.T("No department")
}

// drawGroup draws a department's heading, kept with its first person,
// then its people.
func (ts timesheet) drawGroup(d *doc, days *table, cols []minuteCol, g core.TimesheetGroup) {
	head := lineHeight(captionSize) + lineHeight(bodySize) + 4
	first := 0.0
	if len(g.People) > 0 {
		first = personHeight(days, g.People[0])
	}
	if first+head <= d.bottom-d.top {
		d.ensure(head + first)
	}
	d.caption(groupName(d, g)+" — "+d.N("{{.Count}} person", "{{.Count}} people", len(g.People)), lineHeight(bodySize))
	d.line(ts.minutesLine(d, g.Totals), "", bodySize, grey)
	d.y += 1.5
	if len(g.People) == 0 {
		d.note(d.T("Nobody in this department."))
	}
	for _, p := range g.People {
		ts.drawPerson(d, days, cols, p)
	}
}

// minutesLine sums up totals in one line, with the payroll figures the
// site uses.
func (ts timesheet) minutesLine(d *doc, m core.Minutes) string {
	line := d.F("Scheduled %s · worked %s · presence %s · overtime %s · late %s · early leave %s",
		hm(m.Scheduled), hm(m.Worked), hm(m.Presence), hm(m.Overtime), hm(m.Late), hm(m.EarlyLeave))
	u := ts.s.Uses
	if u.Paid {
		line += " · " + d.F("paid %s · break %s", hm(m.Paid), hm(m.Break))
	}
	if u.Night {
		line += " · " + d.F("night %s", hm(m.Night))
	}
	if u.Balance {
		line += " · " + d.F("balance %s", signedHM(m.Balance))
	}
	return line
}

// personHeight is the height of a person's block, assuming rows of one
// line (a note rarely wraps).
func personHeight(t *table, p core.PersonTimesheet) float64 {
	h := lineHeight(personSize) + 2
	if len(p.Days) == 0 {
		return h + lineHeight(bodySize) + 1
	}
	if t.headH == 0 {
		t.measureHeader()
	}
	h += t.headH + float64(len(p.Days)+1)*t.rowHeight()
	return h + chartGap + chartLegend + chartH + chartLabels + 3
}

// drawPerson draws one person's heading, days, totals and chart, on a
// new page when the block does not fit in what is left of this one but
// would fit on a page of its own.
func (ts timesheet) drawPerson(d *doc, t *table, cols []minuteCol, p core.PersonTimesheet) {
	h := personHeight(t, p)
	if h > d.room() && h <= d.bottom-d.top {
		d.newPage()
	}
	d.gap(3)
	d.ensure(lineHeight(personSize) + t.headH + 2*t.rowHeight())
	ts.personHeading(d, p)
	if len(p.Days) == 0 {
		d.note(d.T("No days in this period."))
		return
	}
	t.start("", len(p.Days)+1)
	t.caption = p.Name
	for _, day := range p.Days {
		fillDay(d, t.row(), cols, day)
		t.add(rowPlain)
	}
	c := t.row()
	c[0].text = d.T("Total")
	fillMinutes(c, cols, p.Totals)
	t.add(rowTotal)
	drawChart(d, p.Days)
}

// personHeading writes the name and id on the left, the month's worked
// and scheduled time on the right.
func (ts timesheet) personHeading(d *doc, p core.PersonTimesheet) {
	lh := lineHeight(personSize)
	base := baseline(d.y, lh, personSize)
	d.setFont(familySans, "B", personSize)
	d.setInk(black)
	name := clean(p.Name)
	if name == "" {
		name = clean(p.Person)
	}
	d.text(d.left, base, name)
	x := d.left + d.measure(name) + 2
	d.setFont(familySans, "", bodySize)
	d.setInk(grey)
	if p.Person != "" && p.Person != p.Name {
		d.text(x, base, clean(p.Person))
	}
	sum := d.F("worked %s of %s scheduled", hm(p.Totals.Worked), hm(p.Totals.Scheduled))
	if ts.s.Uses.Balance {
		sum += " · " + d.F("time bank %s", signedHM(p.Bank.Closing))
	}
	d.text(d.right-d.measure(sum), base, sum)
	d.y += lh + 1
}

// fillDay fills a row of the days' table.
func fillDay(d *doc, c []cell, cols []minuteCol, day core.TimesheetDay) {
	c[0].text = d.clk.weekdayDate(day.Date)
	c[1].text = d.T(string(day.Status))
	switch day.Status {
	case core.DayNotEmployed:
		c[1].text = d.T("not employed")
		c[0].ink, c[1].ink = grey, grey
	case core.DayAbsent, core.DayLate, core.DayHalfDay:
		if !day.Justified {
			c[1].ink = darkRed
		}
	case core.DayOff, core.DayHoliday, core.DayUpcoming:
		c[0].ink, c[1].ink = grey, grey
	}
	fillMinutes(c, cols, day.Minutes)
	in := 2 + len(cols)
	c[in].text = day.FirstIn
	c[in+1].text = day.LastOut
	var notes []string
	if day.Justified {
		notes = append(notes, d.T("justified"))
	}
	if day.AutoClosed {
		notes = append(notes, d.T("auto-closed"))
	}
	if day.FirstIn != "" && day.LastOut == "" && !day.AutoClosed {
		notes = append(notes, d.T("still in"))
	}
	c[in+2].text = strings.Join(notes, ", ")
}

// fillMinutes fills the minute columns cols, zeros in grey.
func fillMinutes(c []cell, cols []minuteCol, m core.Minutes) {
	for i, col := range cols {
		v := col.of(m)
		c[2+i].text = hm(v)
		if col.signed {
			c[2+i].text = signedHM(v)
		}
		if v == 0 {
			c[2+i].ink = lightGrey
		}
	}
}

// drawChart draws, per day, the scheduled time as an outline and the
// worked time as a bar filled inside it, with the overtime stacked on
// top, under a small legend.
func drawChart(d *doc, days []core.TimesheetDay) {
	d.ensure(chartGap + chartLegend + chartH + chartLabels)
	d.y += chartGap
	const axisW = 9.0
	x0, x1 := d.left+axisW, d.right
	legend(d, d.y)
	top := d.y + chartLegend
	bottom := top + chartH
	scale := chartScale(days)
	perMM := chartH / float64(scale)

	// Grid: every two hours, labelled on the left.
	d.setFont(familySans, "", 6)
	d.setInk(grey)
	d.pdf.SetLineWidth(0.15)
	d.pdf.SetDrawColor(int(gridInk.r), int(gridInk.g), int(gridInk.b))
	step := 120
	if scale > 16*60 {
		step = 240
	}
	for m := 0; m <= scale; m += step {
		y := bottom - float64(m)*perMM
		d.pdf.Line(x0, y, x1, y)
		label := strconv.Itoa(m/60) + "h"
		d.text(x0-1.2-d.measure(label), y+0.8, label)
	}

	slot := (x1 - x0) / float64(len(days))
	bar := min(slot*0.64, 7)
	every := 1
	if slot < 3.2 {
		every = int(3.2/slot) + 1
	}
	d.pdf.SetDrawColor(int(schedInk.r), int(schedInk.g), int(schedInk.b))
	d.pdf.SetLineWidth(0.25)
	d.setFont(familySans, "", 5.5)
	for i, day := range days {
		x := x0 + float64(i)*slot + (slot-bar)/2
		worked := float64(min(day.Worked, scale)) * perMM
		over := float64(min(day.Overtime, scale-min(day.Worked, scale))) * perMM
		if worked > 0 {
			d.box(x, bottom-worked, bar, worked, workedFill)
		}
		if over > 0 {
			d.box(x, bottom-worked-over, bar, over, overFill)
		}
		if day.Scheduled > 0 {
			h := float64(min(day.Scheduled, scale)) * perMM
			d.pdf.Rect(x, bottom-h, bar, h, "D")
		}
		if i%every == 0 {
			label := strconv.Itoa(day.Date.Day)
			ink := grey
			if wd := day.Date.Weekday(); wd == 0 || wd == 6 {
				ink = lightGrey
			}
			d.setInk(ink)
			d.text(x0+float64(i)*slot+(slot-d.measure(label))/2, bottom+2.6, label)
		}
	}
	d.pdf.SetDrawColor(0, 0, 0)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(x0, bottom, x1, bottom)
	d.y = bottom + chartLabels + 1
}

// chartScale is the chart's full height in minutes: the longest day, at
// least ten hours, rounded up to two hours.
func chartScale(days []core.TimesheetDay) int {
	top := 10 * 60
	for _, day := range days {
		top = max(top, day.Scheduled, day.Worked+day.Overtime)
	}
	return (top + 119) / 120 * 120
}

// legend draws the chart's legend, right-aligned, at y.
func legend(d *doc, y float64) {
	d.setFont(familySans, "", 6.5)
	d.setInk(grey)
	items := [...]string{d.T("scheduled"), d.T("worked"), d.T("overtime")}
	const sq, gap = 2.4, 1.2
	w := 0.0
	for _, s := range items {
		w += sq + gap + d.measure(s) + 4
	}
	x := d.right - w + 4
	base := y + 2.6
	for i, s := range items {
		switch i {
		case 0:
			d.pdf.SetDrawColor(int(schedInk.r), int(schedInk.g), int(schedInk.b))
			d.pdf.SetLineWidth(0.25)
			d.pdf.Rect(x, base-sq+0.2, sq, sq, "D")
		case 1:
			d.box(x, base-sq+0.2, sq, sq, workedFill)
		case 2:
			d.box(x, base-sq+0.2, sq, sq, overFill)
		}
		x += sq + gap
		d.text(x, base, s)
		x += d.measure(s) + 4
	}
}

// drawTotals draws the totals by department and the grand total.
func (ts timesheet) drawTotals(d *doc) {
	d.gap(6)
	cols := ts.minuteCols()
	all := []column{{title: "Department", width: 30}, {title: "People", width: 10, align: alignRight}}
	for _, c := range cols {
		all = append(all, column{title: c.title, width: 14, align: alignRight})
	}
	t := newTable(d, bodySize, all...)
	t.start(d.T("Totals"), len(ts.s.Groups)+1)
	people := 0
	for _, g := range ts.s.Groups {
		c := t.row()
		c[0].text = groupName(d, g)
		c[1].text = d.num(len(g.People))
		totalsCells(c, cols, g.Totals)
		t.add(rowPlain)
		people += len(g.People)
	}
	c := t.row()
	c[0].text = d.T("All")
	c[1].text = d.num(people)
	totalsCells(c, cols, ts.s.Totals)
	t.add(rowTotal)
}

func totalsCells(c []cell, cols []minuteCol, m core.Minutes) {
	for i, col := range cols {
		c[2+i].text = hm(col.of(m))
		if col.signed {
			c[2+i].text = signedHM(col.of(m))
		}
	}
}
