package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// attendancePage is the attendance sheet, the timesheet, the records and
// the metrics, for holders of attendance.view.
func attendancePage() page {
	return page{
		id:    "attendance",
		title: lang.L("Attendance"),
		needs: []core.Permission{core.PermAttendanceView},
		build: func(s *session) fyne.CanvasObject { return newAttendanceScreen(s).build() },
	}
}

// Layouts of the dates and times the attendance screens show and read.
const (
	attDateLayout = "2006-01-02"
	attTimeLayout = "2006-01-02 15:04"
)

// attLiveEvery is how often the sheet of "now" is read again when no event
// comes: people become expected as their shifts begin.
const attLiveEvery = time.Minute

// attLiveDelay gathers the events of a busy minute into one reread of the
// sheet.
const attLiveDelay = 2 * time.Second

// attendanceScreen is the attendance page: four tabs on one session.
type attendanceScreen struct {
	s *session
	// do runs a function on the UI thread (fyne.Do; tests queue it).
	do func(func())

	tabs    *container.AppTabs
	today   *attTodayTab
	sheet   *attSheetTab
	records *attRecordsTab
	metrics *attMetricsTab
	root    fyne.CanvasObject
}

func newAttendanceScreen(s *session) *attendanceScreen {
	x := &attendanceScreen{s: s, do: s.onUI}
	x.today = &attTodayTab{x: x}
	x.sheet = &attSheetTab{x: x}
	x.records = &attRecordsTab{x: x, selected: -1}
	x.metrics = &attMetricsTab{x: x}
	return x
}

// async runs job off the UI thread, then what it returns on the UI thread.
// Engine reads that may take long (a timesheet of everyone) go through it.
func (x *attendanceScreen) async(job func() func()) {
	do := x.do
	go func() { do(job()) }()
}

func (x *attendanceScreen) build() fyne.CanvasObject {
	x.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Today"), theme.HomeIcon(), x.today.build()),
		container.NewTabItemWithIcon(lang.L("Timesheet"), theme.GridIcon(), x.sheet.build()),
		container.NewTabItemWithIcon(lang.L("Records"), theme.ListIcon(), x.records.build()),
		container.NewTabItemWithIcon(lang.L("Metrics"), theme.InfoIcon(), x.metrics.build()),
	)
	x.tabs.OnSelected = func(*container.TabItem) { x.shown() }
	x.root = x.tabs
	x.today.refresh()
	if x.s.listen != nil {
		x.s.listen(x)
	}
	x.today.schedule()
	return x.root
}

// shown computes what the selected tab shows the first time it is shown.
func (x *attendanceScreen) shown() {
	switch x.tabs.SelectedIndex() {
	case 0:
		x.today.refresh()
	case 1:
		if !x.sheet.computed {
			x.sheet.compute()
		}
	case 2:
		if !x.records.computed {
			x.records.load()
		}
	case 3:
		if !x.metrics.computed {
			x.metrics.compute()
		}
	}
}

// addEvents follows taps on the sheet of now: who is in changes with them.
func (x *attendanceScreen) addEvents(evs []core.Event) {
	if len(evs) > 0 {
		x.today.changed()
	}
}

func (x *attendanceScreen) reload() { x.today.changed() }

// presenceChanged: someone moved by an event this actor does not see in
// the log.
func (x *attendanceScreen) presenceChanged() { x.today.changed() }

// onScreen reports whether the page is shown: the shell may drop it, and
// its timers then have nothing to update.
func (x *attendanceScreen) onScreen() bool {
	if x.root == nil || !x.root.Visible() {
		return false
	}
	if a := fyne.CurrentApp(); a != nil {
		return a.Driver().CanvasForObject(x.root) != nil
	}
	return false
}

// attTodayTab is the day's sheet: who is in since when, who is expected and
// not in, at now (following the taps) or at a chosen date and time.
type attTodayTab struct {
	x *attendanceScreen

	dept     *attDeptSelect
	date     *formEntry
	clock    *formEntry
	nowBtn   *widget.Button
	showBtn  *widget.Button
	status   *widget.Label
	problem  *widget.Label
	in       *widget.Table
	expected *widget.Table
	inTitle  *widget.Label
	expTitle *widget.Label

	sheet *core.SheetReport
	// live: the sheet is of now and follows the taps.
	live    bool
	pending bool // a reread is scheduled
	gen     int
	busy    bool
}

func (t *attTodayTab) build() fyne.CanvasObject {
	s := t.x.s
	t.live = true
	t.dept = newAttDeptSelect(s, func() { t.refresh() })
	t.date = newFormEntry()
	t.date.SetPlaceHolder(lang.L("Date (today)"))
	t.clock = newFormEntry()
	t.clock.SetPlaceHolder(lang.L("HH:MM (now)"))
	t.date.OnSubmitted = func(string) { t.showAt() }
	t.clock.OnSubmitted = func(string) { t.showAt() }
	t.showBtn = widget.NewButtonWithIcon(lang.L("Show"), theme.SearchIcon(), t.showAt)
	t.nowBtn = widget.NewButtonWithIcon(lang.L("Now"), theme.ViewRefreshIcon(), func() {
		t.date.SetText("")
		t.clock.SetText("")
		t.showAt()
	})
	t.status = widget.NewLabel("")
	t.status.Wrapping = fyne.TextWrapWord
	t.problem = problemLabel()

	t.in = newAttTable([]attColumn{
		{lang.L("Name"), 200}, {lang.L("Department"), 150}, {lang.L("Zone"), 130},
		{lang.L("In since"), 150}, {lang.L("Phone"), 170},
	}, func() int { return t.inCount() }, t.inCell)
	t.expected = newAttTable([]attColumn{
		{lang.L("Name"), 200}, {lang.L("Department"), 150}, {lang.L("Phone"), 170},
		{lang.L("Shift"), 130}, {lang.L("Status"), 200},
	}, func() int { return t.expectedCount() }, t.expectedCell)
	t.inTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	t.expTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})

	// Two rows, to fit a small screen in every language.
	bar := container.NewVBox(
		container.NewHBox(widget.NewLabel(lang.L("Department")), attSized(wholeChoices(t.dept.sel, 300), 180)),
		container.NewHBox(widget.NewLabel(lang.L("At")), attSized(withCalendar(t.date, t.x.s.engine.Now), 170), attSized(t.clock, 140),
			t.showBtn, t.nowBtn),
	)
	split := container.NewVSplit(
		container.NewBorder(t.inTitle, nil, nil, nil, t.in),
		container.NewBorder(t.expTitle, nil, nil, nil, t.expected),
	)
	split.Offset = 0.55
	return borderInTabOrder(container.NewVBox(bar, t.problem, t.status), nil, nil, nil, split)
}

func (t *attTodayTab) inCount() int {
	if t.sheet == nil {
		return 0
	}
	return len(t.sheet.In)
}

func (t *attTodayTab) expectedCount() int {
	if t.sheet == nil {
		return 0
	}
	return len(t.sheet.Expected)
}

func (t *attTodayTab) inCell(row, col int) attCell {
	if row >= t.inCount() {
		return attCell{}
	}
	e := t.sheet.In[row]
	loc := t.x.s.engine.Location()
	switch col {
	case 0:
		return attCell{text: e.Name, bold: true}
	case 1:
		return attCell{text: e.Department}
	case 2:
		return attCell{text: e.Zone}
	case 3:
		return attCell{text: attSince(e.Since, t.sheet.At, loc)}
	case 4:
		return attCell{text: e.Phone}
	}
	return attCell{}
}

func (t *attTodayTab) expectedCell(row, col int) attCell {
	if row >= t.expectedCount() {
		return attCell{}
	}
	e := t.sheet.Expected[row]
	loc := t.x.s.engine.Location()
	switch col {
	case 0:
		return attCell{text: e.Name, bold: true}
	case 1:
		return attCell{text: e.Department}
	case 2:
		return attCell{text: e.Phone}
	case 3:
		return attCell{text: e.ShiftStart.In(loc).Format("15:04") + "–" + e.ShiftEnd.In(loc).Format("15:04")}
	case 4:
		switch {
		case e.Justified:
			return attCell{text: lang.L("Justified"), imp: widget.SuccessImportance}
		case !e.Left.IsZero():
			return attCell{text: fmt.Sprintf(lang.L("Left at %s"), attSince(e.Left, t.sheet.At, loc)), imp: widget.WarningImportance}
		}
		return attCell{text: lang.L("Not in"), imp: widget.DangerImportance}
	}
	return attCell{}
}

// attSince writes t as a time of day when it falls on the day of ref, else
// with its date.
func attSince(t, ref time.Time, loc *time.Location) string {
	if core.DateOf(t, loc) == core.DateOf(ref, loc) {
		return t.In(loc).Format("15:04")
	}
	return t.In(loc).Format(attTimeLayout)
}

// at returns the instant the date and time fields name: zero for now.
func (t *attTodayTab) at() (time.Time, error) {
	dateText, clockText := strings.TrimSpace(t.date.Text), strings.TrimSpace(t.clock.Text)
	if dateText == "" && clockText == "" {
		return time.Time{}, nil
	}
	loc := t.x.s.engine.Location()
	now := t.x.s.engine.Now().In(loc)
	day := core.DateOf(now, loc)
	if dateText != "" {
		d, err := core.ParseDate(dateText)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: %w", lang.L("Date"), err)
		}
		day = d
	}
	tod := core.TimeOfDay(now.Hour()*60 + now.Minute())
	if clockText != "" {
		v, err := core.ParseTimeOfDay(clockText)
		if err != nil {
			return time.Time{}, fmt.Errorf("%s: %w", lang.L("Time"), err)
		}
		tod = v
	}
	return day.At(tod, loc), nil
}

// showAt reads the fields and shows the sheet they name.
func (t *attTodayTab) showAt() {
	at, err := t.at()
	if err != nil {
		attShowProblem(t.problem, err)
		return
	}
	t.problem.Hide()
	t.live = at.IsZero()
	t.refresh()
}

// changed rereads the sheet of now soon after taps.
func (t *attTodayTab) changed() {
	if !t.live || t.pending {
		return
	}
	if t.x.s.after == nil {
		t.refresh()
		return
	}
	t.pending = true
	t.x.s.after(attLiveDelay, func() {
		t.pending = false
		if t.x.onScreen() && t.x.tabs.SelectedIndex() == 0 {
			t.refresh()
		}
	})
}

// schedule rereads the sheet of now every attLiveEvery while the page is
// on screen.
func (t *attTodayTab) schedule() {
	if t.x.s.after == nil {
		return
	}
	t.x.s.after(attLiveEvery, func() {
		if !t.x.onScreen() {
			return // the shell dropped the page
		}
		if t.live && t.x.tabs.SelectedIndex() == 0 {
			t.refresh()
		}
		t.schedule()
	})
}

// refresh reads the sheet off the UI thread.
func (t *attTodayTab) refresh() {
	at, err := t.at()
	if err != nil {
		attShowProblem(t.problem, err)
		return
	}
	if t.live {
		at = time.Time{}
	}
	s := t.x.s
	dept := t.dept.id()
	t.gen++
	gen := t.gen
	t.busy = true
	t.x.async(func() func() {
		sheet, err := s.engine.AttendanceSheet(s.actor, at, dept)
		return func() {
			if gen != t.gen {
				return
			}
			t.busy = false
			if err != nil {
				s.fail(lang.L("Read the attendance sheet"), err)
				return
			}
			t.show(sheet)
		}
	})
}

func (t *attTodayTab) show(sheet *core.SheetReport) {
	t.sheet = sheet
	loc := t.x.s.engine.Location()
	when := sheet.At.In(loc).Format(attTimeLayout)
	if t.live {
		t.status.SetText(fmt.Sprintf(lang.L("Now, %s: %d in, %d expected and not in"), when, len(sheet.In), len(sheet.Expected)))
	} else {
		t.status.SetText(fmt.Sprintf(lang.L("At %s: %d in, %d expected and not in"), when, len(sheet.In), len(sheet.Expected)))
	}
	t.inTitle.SetText(fmt.Sprintf(lang.L("In (%d)"), len(sheet.In)))
	t.expTitle.SetText(fmt.Sprintf(lang.L("Expected and not in (%d)"), len(sheet.Expected)))
	t.in.Refresh()
	t.expected.Refresh()
}

// attSheetTab is the timesheet of a month: one row per person and day,
// and a row of totals per person.
type attSheetTab struct {
	x *attendanceScreen

	// periodFilter chooses whose timesheet; the month buttons choose the
	// period, so its dates and Show button are not laid out.
	*periodFilter
	month     core.Date // its first day
	monthName *widget.Label
	prev      *widget.Button
	next      *widget.Button
	table     *attTable
	// shown are the ids of the columns shown (attShownColumns).
	shown []int
	// bankBtn opens the time bank of the person chosen, for holders of
	// attendance.edit; bank is the view it opened last.
	bankBtn *widget.Button
	bank    *bankView
	export  *attExport

	sheet core.Timesheet
	rows  []attSheetRow
}

// attSheetRow is one row of the timesheet table: a day of a person, or
// their totals (day -1).
type attSheetRow struct{ person, day int }

// Columns of the timesheet table.
const (
	attColPerson = iota
	attColDate
	attColStatus
	attColScheduled
	attColWorked
	attColPresence
	attColOvertime
	attColLate
	attColEarly
	attColIn
	attColOut
	attColNotes
	// The payroll columns, shown only when the site uses them
	// (core.TimesheetUses), between Presence and Late.
	attColPaid
	attColBreak
	attColNight
	attColBalance
)

// attSheetColumns are the timesheet's columns by id.
func attSheetColumns() []attColumn {
	return []attColumn{
		attColPerson: {lang.L("Person"), 170}, attColDate: {lang.L("Date"), 80}, attColStatus: {lang.L("Status"), 95},
		attColScheduled: {lang.L("Scheduled"), 0}, attColWorked: {lang.L("Worked"), 0}, attColPresence: {lang.L("Presence"), 0},
		attColOvertime: {lang.L("Overtime"), 0}, attColLate: {lang.L("Late"), 60}, attColEarly: {lang.L("Early leave"), 0},
		attColIn: {lang.L("In"), 60}, attColOut: {lang.L("Out"), 60}, attColNotes: {lang.L("Notes"), 150},
		attColPaid: {lang.L("Paid"), 0}, attColBreak: {lang.L("Break"), 0}, attColNight: {lang.L("Night"), 0},
		attColBalance: {lang.L("Balance"), 0},
	}
}

// attShownColumns are the ids of the columns the timesheet shows, in
// their order, for a site that uses u.
func attShownColumns(u core.TimesheetUses) []int {
	ids := []int{attColPerson, attColDate, attColStatus, attColScheduled, attColWorked, attColPresence}
	if u.Paid {
		ids = append(ids, attColPaid, attColBreak)
	}
	ids = append(ids, attColOvertime)
	if u.Night {
		ids = append(ids, attColNight)
	}
	if u.Balance {
		ids = append(ids, attColBalance)
	}
	return append(ids, attColLate, attColEarly, attColIn, attColOut, attColNotes)
}

func (t *attSheetTab) build() fyne.CanvasObject {
	s := t.x.s
	loc := s.engine.Location()
	today := core.DateOf(s.engine.Now(), loc)
	t.month = core.Date{Year: today.Year, Month: today.Month, Day: 1}
	t.monthName = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	t.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { t.moveMonth(-1) })
	t.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { t.moveMonth(1) })
	t.periodFilter = newPeriodFilter(t.x, t.compute)
	t.site = newSitePicker(s, t.compute)
	t.shown = attShownColumns(core.TimesheetUses{})
	all := attSheetColumns()
	shown := func() []attColumn {
		cols := make([]attColumn, len(t.shown))
		for i, id := range t.shown {
			cols[i] = all[id]
		}
		return cols
	}
	t.table = newAttTableOf(shown, func() int { return len(t.rows) }, func(row, col int) attCell {
		if col < 0 || col >= len(t.shown) {
			return attCell{}
		}
		return t.cell(row, t.shown[col])
	})
	t.showMonth()
	t.bankBtn = widget.NewButtonWithIcon(lang.L("Time bank…"), theme.HistoryIcon(), t.openBank)
	t.bankBtn.Disable()
	if !s.can(core.PermAttendanceEdit) {
		t.bankBtn.Hide()
	}
	t.export = newAttExport(t)
	bar := container.NewVBox(
		container.NewHBox(t.prev, attSized(t.monthName, 150), t.next, t.export.bar()),
		container.NewHBox(widget.NewLabel(lang.L("Department")), attSized(wholeChoices(t.dept.sel, 300), 180),
			widget.NewLabel(lang.L("Person")), t.who.build(), t.bankBtn),
	)
	for _, row := range t.site.row() {
		bar.Add(row)
	}
	return borderInTabOrder(container.NewVBox(bar, t.progress, t.status), nil, nil, nil, t.table.Table)
}

func (t *attSheetTab) showMonth() {
	t.monthName.SetText(fmt.Sprintf("%s %d", lang.L(t.month.Month.String()), t.month.Year))
}

// moveMonth shows the month n months away and computes it.
func (t *attSheetTab) moveMonth(n int) {
	m := time.Date(t.month.Year, t.month.Month+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	t.month = core.Date{Year: m.Year(), Month: m.Month(), Day: 1}
	t.showMonth()
	t.compute()
}

// lastDay is the month's last day.
func (t *attSheetTab) lastDay() core.Date {
	m := time.Date(t.month.Year, t.month.Month+1, 0, 0, 0, 0, 0, time.UTC)
	return core.Date{Year: m.Year(), Month: m.Month(), Day: m.Day()}
}

// compute computes the timesheet off the UI thread, with the progress bar
// running; a newer request makes an older result be dropped.
func (t *attSheetTab) compute() {
	s := t.x.s
	setEnabled(t.who.id != "", t.bankBtn)
	q := t.query(t.month, t.lastDay())
	gen := t.start()
	t.export.ready(false)
	t.status.SetText(lang.L("Computing the timesheet…"))
	t.x.async(func() func() {
		sheet, err := s.engine.Timesheet(s.actor, q)
		var rows []attSheetRow
		if err == nil {
			order := newAttNameOrder()
			slices.SortStableFunc(sheet.People, func(a, b core.PersonTimesheet) int {
				return order.compare(a.Name, a.Person, b.Name, b.Person)
			})
			for i, pt := range sheet.People {
				for j := range pt.Days {
					rows = append(rows, attSheetRow{i, j})
				}
				rows = append(rows, attSheetRow{i, -1})
			}
		}
		return func() {
			if !t.done(gen) {
				return
			}
			if err != nil {
				t.status.SetText(lang.L("The timesheet could not be computed."))
				s.fail(lang.L("Compute the timesheet"), err)
				return
			}
			t.sheet, t.rows = sheet, rows
			if shown := attShownColumns(sheet.Uses); !slices.Equal(shown, t.shown) {
				t.shown = shown
				attColumnWidths(t.table.Table, t.table.columns())
			}
			t.export.ready(true)
			t.status.SetText(attSheetSummary(sheet))
			t.table.Refresh()
			t.table.ScrollToTop()
		}
	})
}

// openBank shows the time bank of the person chosen at the end of the
// month shown.
func (t *attSheetTab) openBank() {
	if t.who.id == "" {
		return
	}
	t.bank = newBankView(t.x, core.PersonRef{ID: t.who.id, Name: t.who.name}, t.month, t.lastDay())
	t.bank.show()
}

// attSheetSummary says what the timesheet holds.
func attSheetSummary(sheet core.Timesheet) string {
	var total core.Minutes
	late, absent := 0, 0
	for _, pt := range sheet.People {
		total.Worked += pt.Totals.Worked
		total.Late += pt.Totals.Late
		for _, d := range pt.Days {
			switch d.Status {
			case core.DayLate:
				late++
			case core.DayAbsent:
				absent++
			}
		}
	}
	if len(sheet.People) == 0 {
		return lang.L("Nobody to show.")
	}
	return fmt.Sprintf(lang.L("%s: %s worked, %s (%s), %s"),
		plural("sheet.people", "{{.Count}} person", "{{.Count}} people", len(sheet.People)), attHM(total.Worked),
		plural("sheet.late", "{{.Count}} late day", "{{.Count}} late days", late), attHM(total.Late),
		plural("sheet.absent", "{{.Count}} absent day", "{{.Count}} absent days", absent))
}

// cell is the text and colour of a cell of the timesheet table.
func (t *attSheetTab) cell(row, col int) attCell {
	if row >= len(t.rows) {
		return attCell{}
	}
	r := t.rows[row]
	pt := t.sheet.People[r.person]
	if r.day < 0 {
		return t.totalCell(pt, col)
	}
	d := pt.Days[r.day]
	switch col {
	case attColPerson:
		switch r.day {
		case 0:
			return attCell{text: pt.Name, bold: true}
		case 1:
			return attCell{text: t.dept.name(pt.Department), imp: widget.LowImportance}
		}
		return attCell{}
	case attColDate:
		return attCell{text: attDayName(d.Date)}
	case attColStatus:
		text, imp := attDayStatus(d.Status)
		if d.Justified && (d.Status == core.DayLate || d.Status == core.DayAbsent || d.Status == core.DayHalfDay) {
			// As the PDF timesheet: a justified late or absent day is not
			// flagged; its note says it is justified.
			imp = widget.MediumImportance
		}
		return attCell{text: text, imp: imp}
	case attColIn:
		return attCell{text: d.FirstIn}
	case attColOut:
		return attCell{text: d.LastOut}
	case attColNotes:
		var notes []string
		imp := widget.MediumImportance
		if d.Justified {
			notes = append(notes, lang.L("Justified"))
			imp = widget.SuccessImportance
		}
		if d.AutoClosed {
			notes = append(notes, lang.L("Closed automatically"))
			imp = widget.WarningImportance
		}
		return attCell{text: strings.Join(notes, ", "), imp: imp}
	}
	return attMinutesCell(d.Minutes, col, false)
}

func (t *attSheetTab) totalCell(pt core.PersonTimesheet, col int) attCell {
	switch col {
	case attColPerson, attColStatus, attColIn, attColOut, attColNotes:
		return attCell{}
	case attColDate:
		return attCell{text: lang.L("Total"), bold: true}
	}
	return attMinutesCell(pt.Totals, col, true)
}

// attMinutesCell is a minute column as h:mm; overtime, late and early
// leave are left blank when zero, so that the days that have some stand
// out.
func attMinutesCell(m core.Minutes, col int, bold bool) attCell {
	// A day with nothing scheduled and nobody in shows no figures at all.
	hm := attHM
	if m.Scheduled == 0 && m.Presence == 0 {
		hm = attHMOrBlank
	}
	switch col {
	case attColScheduled:
		return attCell{text: hm(m.Scheduled), bold: bold}
	case attColWorked:
		return attCell{text: hm(m.Worked), bold: bold}
	case attColPresence:
		return attCell{text: hm(m.Presence), bold: bold}
	case attColOvertime:
		return attCell{text: attHMOrBlank(m.Overtime), bold: bold}
	case attColLate:
		return attCell{text: attHMOrBlank(m.Late), imp: widget.WarningImportance, bold: bold}
	case attColEarly:
		return attCell{text: attHMOrBlank(m.EarlyLeave), imp: widget.WarningImportance, bold: bold}
	case attColPaid:
		return attCell{text: hm(m.Paid), bold: bold}
	case attColBreak:
		return attCell{text: attHMOrBlank(m.Break), bold: bold}
	case attColNight:
		return attCell{text: attHMOrBlank(m.Night), bold: bold}
	case attColBalance:
		imp := widget.MediumImportance
		if m.Balance < 0 {
			imp = widget.WarningImportance
		}
		return attCell{text: attSignedHM(m.Balance), imp: imp, bold: bold}
	}
	return attCell{}
}

// attSignedHM writes a balance as h:mm with its sign, blank when zero:
// "+1:30", "-0:45".
func attSignedHM(minutes int) string {
	if minutes > 0 {
		return "+" + attHM(minutes)
	}
	return attHMOrBlank(minutes)
}

// attHM writes minutes as h:mm.
func attHM(minutes int) string {
	sign := ""
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	return fmt.Sprintf("%s%d:%02d", sign, minutes/60, minutes%60)
}

func attHMOrBlank(minutes int) string {
	if minutes == 0 {
		return ""
	}
	return attHM(minutes)
}

// attDayName writes a day of the month shown with its weekday: "Tue 24".
func attDayName(d core.Date) string {
	return fmt.Sprintf("%s %d", lang.L(d.Weekday().String()[:3]), d.Day)
}

// attDayStatus gives a day's status in words and colour.
func attDayStatus(st core.DayStatus) (string, widget.Importance) {
	switch st {
	case core.DayPresent:
		return lang.L("Present"), widget.SuccessImportance
	case core.DayLate:
		return lang.L("Late"), widget.WarningImportance
	case core.DayAbsent:
		return lang.L("Absent"), widget.DangerImportance
	case core.DayHalfDay:
		return lang.L("Half day"), widget.WarningImportance
	case core.DayOff:
		return lang.L("Off"), widget.LowImportance
	case core.DayHoliday:
		return lang.L("Holiday"), widget.HighImportance
	case core.DayUpcoming:
		return lang.L("Upcoming"), widget.LowImportance
	case core.DayNotEmployed:
		return lang.L("Not employed"), widget.LowImportance
	}
	return string(st), widget.MediumImportance
}

// attStateStyle gives a record's state in words and colour.
func attStateStyle(st core.AttendanceState) (string, widget.Importance) {
	switch st {
	case core.AttendancePresent:
		return lang.L("Present"), widget.SuccessImportance
	case core.AttendanceLate:
		return lang.L("Late"), widget.WarningImportance
	case core.AttendanceAbsent:
		return lang.L("Absent"), widget.DangerImportance
	case core.AttendanceHalfDay:
		return lang.L("Half day"), widget.WarningImportance
	}
	return string(st), widget.MediumImportance
}

// attRecordsTab lists the attendance records of a period, derived and by
// hand, and lets holders of attendance.edit enter, change and delete
// records by hand.
type attRecordsTab struct {
	x *attendanceScreen

	*periodFilter
	table *widget.Table
	add   *widget.Button
	edit  *widget.Button
	del   *widget.Button
	form  *attRecordForm
	body  *fyne.Container
	saved *widget.Label // "Saved …" after the form saved

	rows     []attRecordRow
	selected int
}

// attRecordRow is one record with its person's name.
type attRecordRow struct {
	name  string
	entry core.AttendanceEntry
}

func (t *attRecordsTab) build() fyne.CanvasObject {
	s := t.x.s
	t.periodFilter = newPeriodFilter(t.x, t.load)
	t.table = newAttTable([]attColumn{
		{lang.L("Person"), 180}, {lang.L("From"), 140}, {lang.L("To"), 140}, {lang.L("State"), 110},
		{lang.L("Justified"), 130}, {lang.L("Source"), 260}, {lang.L("Comment"), 260},
	}, func() int { return len(t.rows) }, t.cell)
	t.table.OnSelected = func(id widget.TableCellID) { t.selectRow(id.Row) }
	t.table.OnUnselected = func(widget.TableCellID) { t.selectRow(-1) }

	t.form = newAttRecordForm(t)
	t.add = widget.NewButtonWithIcon(lang.L("Add a record…"), theme.ContentAddIcon(), func() { t.form.open(nil) })
	t.edit = widget.NewButtonWithIcon(lang.L("Edit…"), theme.DocumentCreateIcon(), func() {
		if r, ok := t.current(); ok {
			t.form.open(&r.entry.AttendanceRecord)
		}
	})
	t.del = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), t.confirmDelete)
	t.edit.Disable()
	t.del.Disable()

	bar := t.bar()
	var actions fyne.CanvasObject = layout.NewSpacer()
	if s.can(core.PermAttendanceEdit) {
		actions = container.NewHBox(t.add, t.edit, t.del)
	} else {
		t.add.Hide()
		t.edit.Hide()
		t.del.Hide()
	}
	t.saved = newSavedNote()
	top := container.NewVBox(bar, t.problem, t.progress, t.saved, container.NewBorder(nil, nil, nil, actions, t.status))
	t.body = borderInTabOrder(top, nil, nil, t.form.box, t.table)
	return t.body
}

// attPeriod reads a period of dates, the end included.
func attPeriod(fromText, toText string) (core.Date, core.Date, error) {
	from, err := core.ParseDate(strings.TrimSpace(fromText))
	if err != nil {
		return core.Date{}, core.Date{}, fmt.Errorf("%s: %w", lang.L("From"), err)
	}
	to, err := core.ParseDate(strings.TrimSpace(toText))
	if err != nil {
		return core.Date{}, core.Date{}, fmt.Errorf("%s: %w", lang.L("To"), err)
	}
	if to.Before(from) {
		return core.Date{}, core.Date{}, errors.New(lang.L("The end of the period is before its start."))
	}
	return from, to, nil
}

// load reads the records of the period off the UI thread.
func (t *attRecordsTab) load() {
	from, to, ok := t.period()
	if !ok {
		return
	}
	s := t.x.s
	q := t.query(from, to)
	gen := t.start()
	t.x.async(func() func() {
		byPerson, err := s.engine.Attendance(s.actor, q)
		var rows []attRecordRow
		if err == nil {
			ids := make([]string, 0, len(byPerson))
			for id := range byPerson {
				ids = append(ids, id)
			}
			var names map[string]string
			names, err = s.engine.AttendanceNames(s.actor, ids)
			for id, entries := range byPerson {
				for _, en := range entries {
					rows = append(rows, attRecordRow{name: attOr(names[id], id), entry: en})
				}
			}
			order := newAttNameOrder()
			slices.SortStableFunc(rows, func(a, b attRecordRow) int {
				if c := order.compare(a.name, a.entry.Person, b.name, b.entry.Person); c != 0 {
					return c
				}
				return a.entry.From.Compare(b.entry.From)
			})
		}
		return func() {
			if !t.done(gen) {
				return
			}
			if err != nil {
				s.fail(lang.L("Read the attendance records"), err)
				return
			}
			t.rows = rows
			t.table.UnselectAll()
			t.selectRow(-1)
			t.table.Refresh()
			manual := 0
			for _, r := range rows {
				if !r.entry.Derived {
					manual++
				}
			}
			t.status.SetText(fmt.Sprintf(lang.L("%d records, %d entered by hand"), len(rows), manual))
		}
	})
}

// attOr is a, or b when a is empty.
func attOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func (t *attRecordsTab) cell(row, col int) attCell {
	if row >= len(t.rows) {
		return attCell{}
	}
	r := t.rows[row]
	loc := t.x.s.engine.Location()
	switch col {
	case 0:
		return attCell{text: r.name, bold: true}
	case 1:
		return attCell{text: r.entry.From.In(loc).Format(attTimeLayout)}
	case 2:
		return attCell{text: r.entry.Until.In(loc).Format(attTimeLayout)}
	case 3:
		text, imp := attStateStyle(r.entry.State)
		return attCell{text: text, imp: imp}
	case 4:
		switch {
		case !r.entry.State.Justifiable():
			return attCell{}
		case r.entry.Justified:
			return attCell{text: lang.L("Justified"), imp: widget.SuccessImportance}
		}
		return attCell{text: lang.L("Unjustified"), imp: widget.DangerImportance}
	case 5:
		if r.entry.Derived {
			return attCell{text: lang.L("From the taps"), imp: widget.LowImportance}
		}
		return attCell{text: fmt.Sprintf(lang.L("By hand: %s, %s"), actorName(r.entry.EnteredBy), r.entry.EnteredAt.In(loc).Format(attTimeLayout))}
	case 6:
		return attCell{text: r.entry.Description}
	}
	return attCell{}
}

// current returns the selected row.
func (t *attRecordsTab) current() (attRecordRow, bool) {
	if t.selected < 0 || t.selected >= len(t.rows) {
		return attRecordRow{}, false
	}
	return t.rows[t.selected], true
}

// selectRow makes row the selection: records by hand can be edited and
// deleted, derived ones cannot.
func (t *attRecordsTab) selectRow(row int) {
	t.selected = row
	r, ok := t.current()
	if ok && !r.entry.Derived {
		t.edit.Enable()
		t.del.Enable()
	} else {
		t.edit.Disable()
		t.del.Disable()
	}
}

// confirmDelete asks before deleting the selected record by hand.
func (t *attRecordsTab) confirmDelete() {
	r, ok := t.current()
	if !ok || r.entry.Derived {
		return
	}
	if t.x.s.window == nil {
		t.deleteRecord(r.entry.ID)
		return
	}
	loc := t.x.s.engine.Location()
	msg := fmt.Sprintf(lang.L("Delete the record of %s from %s to %s?"), r.name,
		r.entry.From.In(loc).Format(attTimeLayout), r.entry.Until.In(loc).Format(attTimeLayout))
	dialog.ShowConfirm(lang.L("Delete record"), msg, func(ok bool) {
		if ok {
			t.deleteRecord(r.entry.ID)
		}
	}, t.x.s.window)
}

// deleteRecord deletes record id and rereads the list.
func (t *attRecordsTab) deleteRecord(id string) {
	if _, err := t.x.s.engine.DeleteAttendance(t.x.s.actor, id); err != nil {
		t.x.s.fail(lang.L("Delete the attendance record"), err)
		return
	}
	t.form.close()
	t.load()
}

// attRecordForm enters or changes a record by hand, beside the list; its
// mistakes show under its fields, and change nothing.
type attRecordForm struct {
	t       *attRecordsTab
	editing string // the record's id; "" for a new one

	title   *widget.Label
	who     *attPicker
	from    *formEntry
	to      *formEntry
	state   *widget.Select
	desc    *formEntry
	problem *widget.Label
	spots   *problemSpots
	save    *widget.Button
	cancel  *widget.Button
	box     *fyne.Container
}

func newAttRecordForm(t *attRecordsTab) *attRecordForm {
	f := &attRecordForm{t: t}
	f.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.who = newAttPicker(t.x.s, t.x.async, lang.L("Choose a person"), nil)
	f.from = newFormEntry()
	f.from.SetPlaceHolder("2026-11-24 09:00")
	f.to = newFormEntry()
	f.to.SetPlaceHolder("2026-11-24 17:30")
	var states []string
	for _, st := range core.AttendanceStates {
		text, _ := attStateStyle(st)
		states = append(states, text)
	}
	f.state = newSelect(states, nil)
	f.desc = newMultiLineFormEntry()
	f.desc.SetMinRowsVisible(3)
	f.desc.Wrapping = fyne.TextWrapWord
	f.problem = problemLabel()
	f.save = widget.NewButtonWithIcon(lang.L("Save"), theme.ConfirmIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), f.close)
	f.spots = newProblemSpots(f.problem)
	form := widget.NewForm(
		f.spots.item(lang.L("Person"), f.who.build(), "person"),
		f.spots.item(lang.L("From"), withCalendar(f.from, t.x.s.engine.Now), "from"),
		f.spots.item(lang.L("To"), withCalendar(f.to, t.x.s.engine.Now), "until"),
		f.spots.item(lang.L("State"), wholeChoices(f.state, 0), "state"),
		f.spots.item(lang.L("Comment"), f.desc, "description"),
	)
	f.box = container.NewBorder(nil, nil, widget.NewSeparator(), nil, container.NewVBox(
		f.title, form, f.problem,
		container.NewHBox(layout.NewSpacer(), f.cancel, f.save),
	))
	f.box.Hide()
	t.x.s.formKeys(f.box, f.submit, f.close, f.from, f.to)
	return f
}

// open shows the form empty, or filled with rec to change it.
func (f *attRecordForm) open(rec *core.AttendanceRecord) {
	loc := f.t.x.s.engine.Location()
	f.spots.clear()
	if f.t.saved != nil {
		f.t.saved.Hide()
	}
	if rec == nil {
		f.editing = ""
		f.title.SetText(lang.L("New record by hand"))
		f.who.set(core.PersonRef{})
		if r, ok := f.t.current(); ok {
			f.who.set(core.PersonRef{ID: r.entry.Person, Name: r.name})
		} else if f.t.who.id != "" {
			f.who.set(core.PersonRef{ID: f.t.who.id, Name: f.t.who.name})
		}
		f.from.SetText("")
		f.to.SetText("")
		f.state.SetSelectedIndex(slices.Index(core.AttendanceStates, core.AttendanceAbsent))
		f.desc.SetText("")
	} else {
		f.editing = rec.ID
		f.title.SetText(fmt.Sprintf(lang.L("Record %s"), rec.ID))
		name := rec.Person
		if r, ok := f.t.current(); ok && r.entry.Person == rec.Person {
			name = r.name
		}
		f.who.set(core.PersonRef{ID: rec.Person, Name: name})
		f.from.SetText(attStartText(rec.From, loc))
		f.to.SetText(attEndText(rec.Until, loc))
		f.state.SetSelectedIndex(slices.Index(core.AttendanceStates, rec.State))
		f.desc.SetText(rec.Description)
	}
	f.box.Show()
	f.relayout()
}

func (f *attRecordForm) close() {
	f.editing = ""
	f.spots.clear()
	f.box.Hide()
	f.relayout()
}

// relayout lays the tab out again after the form showed, hid or grew.
func (f *attRecordForm) relayout() {
	if f.t.body != nil {
		f.t.body.Refresh()
	}
}

// record reads the fields; the error names the field at fault.
func (f *attRecordForm) record() (core.AttendanceRecord, error) {
	loc := f.t.x.s.engine.Location()
	rec := core.AttendanceRecord{ID: f.editing, Person: f.who.id, Description: strings.TrimSpace(f.desc.Text)}
	var ps core.Problems
	var err error
	if rec.From, rec.Until, err = attSpan(rec.Person, f.from.Text, f.to.Text, loc); err != nil {
		ps = append(ps, err.(core.Problems)...)
	}
	i := f.state.SelectedIndex()
	if i < 0 || i >= len(core.AttendanceStates) {
		ps = append(ps, fieldError("state", lang.L("choose the state")))
	} else {
		rec.State = core.AttendanceStates[i]
	}
	return rec, ps.Err()
}

// attStartText writes the start of a period for a form to edit: the date
// alone when it is the start of a day, else the date and time.
func attStartText(t time.Time, loc *time.Location) string {
	if d := core.DateOf(t, loc); d.At(0, loc).Equal(t) {
		return d.String()
	}
	return t.In(loc).Format(attTimeLayout)
}

// attEndText writes the end of a period for a form to edit: the date
// alone when it is the end of a day, which attSpan reads back as that
// end, else the date and time.
func attEndText(t time.Time, loc *time.Location) string {
	if d, ok := core.EndDate(t, loc); ok {
		return d.String()
	}
	return t.In(loc).Format(attTimeLayout)
}

// attSpan reads the person and the times a form enters a record or a
// justification with; the error names the field at fault. A date alone is
// that day's start as From and the end of that day as To (core.ParseEnd),
// so "2026-11-02" to "2026-11-03" covers both days.
func attSpan(person, fromText, toText string, loc *time.Location) (from, until time.Time, err error) {
	var ps core.Problems
	if person == "" {
		ps = append(ps, fieldError("person", lang.L("choose the person")))
	}
	from, errFrom := core.ParseTime(fromText, loc)
	if errFrom != nil {
		ps = append(ps, fieldError("from", timeProblem(fromText)))
	}
	until, errUntil := core.ParseEnd(toText, loc)
	if errUntil != nil {
		ps = append(ps, fieldError("until", timeProblem(toText)))
	}
	if errFrom == nil && errUntil == nil && !from.Before(until) {
		ps = append(ps, fieldError("until", lang.L("must be after the start")))
	}
	return from, until, ps.Err()
}

// submit saves the record; a mistake shows under the fields.
func (f *attRecordForm) submit() {
	rec, err := f.record()
	s := f.t.x.s
	if err == nil {
		if f.editing == "" {
			_, err = s.engine.AddAttendance(s.actor, rec)
		} else {
			_, err = s.engine.UpdateAttendance(s.actor, rec)
		}
	}
	if err != nil {
		if !f.spots.show(err) {
			s.fail(lang.L("Save the attendance record"), err)
		}
		f.relayout()
		return
	}
	who := attOr(f.who.name, rec.Person)
	f.close()
	f.t.load()
	showSaved(f.t.saved, fmt.Sprintf(lang.L("the record of %s"), who))
}

// attMetricsTab shows the figures of a period for a person, a department
// or everyone.
type attMetricsTab struct {
	x *attendanceScreen

	*periodFilter
	// cells are the figures: rows present, late, late justified, late
	// unjustified, absent, absent justified, absent unjustified; columns
	// count, days, half-days, hours.
	cells [7][4]*widget.Label

	metrics core.Metrics
}

func (t *attMetricsTab) build() fyne.CanvasObject {
	t.periodFilter = newPeriodFilter(t.x, t.compute)
	t.site = newSitePicker(t.x.s, t.compute)

	heads := []string{"", lang.L("Count"), lang.L("Days"), lang.L("Half-days"), lang.L("Hours")}
	names := []string{lang.L("Present"), lang.L("Late"), "    " + lang.L("justified"), "    " + lang.L("unjustified"),
		lang.L("Absent"), "    " + lang.L("justified"), "    " + lang.L("unjustified")}
	imps := []widget.Importance{widget.SuccessImportance, widget.WarningImportance, widget.MediumImportance, widget.MediumImportance,
		widget.DangerImportance, widget.MediumImportance, widget.MediumImportance}
	grid := container.NewGridWithColumns(5)
	for _, h := range heads {
		grid.Add(widget.NewLabelWithStyle(h, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
	}
	for i, name := range names {
		l := widget.NewLabelWithStyle(name, fyne.TextAlignLeading, fyne.TextStyle{Bold: !strings.HasPrefix(name, " ")})
		l.Importance = imps[i]
		grid.Add(l)
		for j := range t.cells[i] {
			t.cells[i][j] = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
			grid.Add(t.cells[i][j])
		}
	}
	body := container.NewVBox(t.status, container.NewHBox(attSized(grid, 560)))
	return borderInTabOrder(container.NewVBox(t.bar(), t.problem, t.progress), nil, nil, nil, container.NewVScroll(body))
}

// compute computes the figures off the UI thread.
func (t *attMetricsTab) compute() {
	from, to, ok := t.period()
	if !ok {
		return
	}
	s := t.x.s
	q := t.query(from, to)
	gen := t.start()
	whom := lang.L("everyone")
	switch {
	case t.who.id != "":
		whom = t.who.name
	case t.dept.id() != "":
		whom = t.dept.sel.Selected
	}
	t.x.async(func() func() {
		m, err := s.engine.Metrics(s.actor, q)
		return func() {
			if !t.done(gen) {
				return
			}
			if err != nil {
				s.fail(lang.L("Compute the metrics"), err)
				return
			}
			t.show(m)
			t.status.SetText(fmt.Sprintf(lang.L("Records of %s from %s to %s"), whom, from, to))
		}
	})
}

func (t *attMetricsTab) show(m core.Metrics) {
	t.metrics = m
	rows := []core.MetricValues{m.Present.MetricValues, m.Late.MetricValues, m.Late.Justified, m.Late.Unjustified,
		m.Absent.MetricValues, m.Absent.Justified, m.Absent.Unjustified}
	for i, v := range rows {
		t.cells[i][0].SetText(fmt.Sprint(v.Count))
		t.cells[i][1].SetText(fmt.Sprint(v.Days))
		t.cells[i][2].SetText(fmt.Sprint(v.HalfDays))
		t.cells[i][3].SetText(fmt.Sprintf("%.2f", v.Hours))
	}
}

// periodFilter is the row of controls over the timesheet, the records and
// the metrics: a period (from the 1st of the month to today at first), a
// department or a person (choosing one clears the other) and a Show button;
// and under it a progress bar, a line for mistakes and a status line. It
// also keeps track of the read it starts: a newer read makes an older
// read's result be dropped.
type periodFilter struct {
	from, to *formEntry
	dept     *attDeptSelect
	who      *attPicker
	// site chooses whose events make the presence, at the central site
	// of a company; nil elsewhere, and on the tabs where the events do
	// not count (the records by hand).
	site     *sitePicker
	showBtn  *widget.Button
	progress *widget.ProgressBarInfinite
	problem  *widget.Label
	status   *widget.Label

	computed bool // a read was started
	busy     bool // the latest read has not ended
	gen      int
}

// newPeriodFilter makes the controls; apply reads what they choose.
func newPeriodFilter(x *attendanceScreen, apply func()) *periodFilter {
	s := x.s
	f := &periodFilter{}
	today := core.DateOf(s.engine.Now(), s.engine.Location())
	f.from = newFormEntry()
	f.from.SetText(core.Date{Year: today.Year, Month: today.Month, Day: 1}.String())
	f.to = newFormEntry()
	f.to.SetText(today.String())
	f.from.OnSubmitted = func(string) { apply() }
	f.to.OnSubmitted = func(string) { apply() }
	f.dept = newAttDeptSelect(s, func() {
		if f.dept.id() != "" {
			f.who.set(core.PersonRef{})
		}
		apply()
	})
	f.who = newAttPicker(s, x.async, lang.L("Everyone"), func() {
		if f.who.id != "" {
			f.dept.clear()
		}
		apply()
	})
	f.showBtn = widget.NewButtonWithIcon(lang.L("Show"), theme.SearchIcon(), apply)
	f.progress = widget.NewProgressBarInfinite()
	f.progress.Hide()
	f.problem = problemLabel()
	f.status = widget.NewLabel("")
	f.status.Wrapping = fyne.TextWrapWord
	return f
}

// bar lays the period, department, person and Show button out in a row.
func (f *periodFilter) bar() *fyne.Container {
	// Two rows, to fit a small screen in every language, and the site's.
	bar := container.NewVBox(
		container.NewHBox(
			widget.NewLabel(lang.L("From")), attSized(withCalendar(f.from, nil), 160),
			widget.NewLabel(lang.L("To")), attSized(withCalendar(f.to, nil), 160),
			f.showBtn),
		container.NewHBox(
			widget.NewLabel(lang.L("Department")), attSized(wholeChoices(f.dept.sel, 300), 180),
			widget.NewLabel(lang.L("Person")), f.who.build()),
	)
	for _, row := range f.site.row() {
		bar.Add(row)
	}
	return bar
}

// period reads the period fields; a mistake shows in the problem line.
func (f *periodFilter) period() (from, to core.Date, ok bool) {
	from, to, err := attPeriod(f.from.Text, f.to.Text)
	if err != nil {
		attShowProblem(f.problem, err)
		return core.Date{}, core.Date{}, false
	}
	f.problem.Hide()
	return from, to, true
}

// query asks for the days from and to of the person or department chosen.
func (f *periodFilter) query(from, to core.Date) core.TimesheetQuery {
	return core.TimesheetQuery{From: from, To: to, Person: f.who.id, Department: f.dept.id(), Site: f.site.site()}
}

// start begins a read with the progress bar running and returns its
// generation, for done.
func (f *periodFilter) start() int {
	f.computed = true
	f.gen++
	f.busy = true
	f.progress.Show()
	f.progress.Start()
	return f.gen
}

// done ends read gen and stops the progress bar; false means a newer read
// was started since, and gen's result is to be dropped.
func (f *periodFilter) done(gen int) bool {
	if gen != f.gen {
		return false
	}
	f.busy = false
	f.progress.Stop()
	f.progress.Hide()
	return true
}

// attColumn is a column of a table: its heading and width.
type attColumn struct {
	title string
	width float32
}

// attCell is what a table cell shows.
type attCell struct {
	text string
	imp  widget.Importance
	bold bool
}

// newAttTable returns a virtualised table with a heading row; cell gives
// each cell's content, rows the number of rows.
func newAttTable(cols []attColumn, rows func() int, cell func(row, col int) attCell) *widget.Table {
	return newAttTableOf(func() []attColumn { return cols }, rows, cell).Table
}

// attTable is a table whose columns may change: cols says them now.
type attTable struct {
	*widget.Table
	columns func() []attColumn
}

// newAttTableOf is newAttTable with columns that may change; after a
// change, attColumnWidths sets their widths.
func newAttTableOf(cols func() []attColumn, rows func() int, cell func(row, col int) attCell) *attTable {
	t := widget.NewTable(
		func() (int, int) { return rows(), len(cols()) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			l := o.(*widget.Label)
			c := cell(id.Row, id.Col)
			style := fyne.TextStyle{Bold: c.bold}
			if l.Text != c.text || l.Importance != c.imp || l.TextStyle != style {
				l.Text, l.Importance, l.TextStyle = c.text, c.imp, style
				l.Refresh()
			}
		},
	)
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if cs := cols(); id.Col >= 0 && id.Col < len(cs) {
			o.(*widget.Label).SetText(cs[id.Col].title)
		}
	}
	attColumnWidths(t, cols())
	return &attTable{Table: t, columns: cols}
}

// attColumnWidths sets the widths of t's columns cols.
func attColumnWidths(t *widget.Table, cols []attColumn) {
	for i, c := range cols {
		// Wide enough for the heading, whatever the language.
		head := widget.NewLabelWithStyle(c.title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}).MinSize().Width + 2*theme.Padding()
		t.SetColumnWidth(i, fyne.Max(c.width, head))
	}
	t.Refresh()
}

// problemLabel is a hidden red label for a form's mistakes, shared by
// the screens.
func problemLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// attShowProblem shows err in l, in words for people.
func attShowProblem(l *widget.Label, err error) {
	l.SetText(attErrText(err))
	l.Show()
}

// attErrText is err's message without the sentinel's name, which means
// nothing to people ("invalid: ...").
func attErrText(err error) string {
	msg := errorText(err)
	for _, sentinel := range []error{core.ErrInvalid, core.ErrNotFound} {
		msg = strings.ReplaceAll(msg, sentinel.Error()+": ", "")
	}
	if msg != "" {
		msg = strings.ToUpper(msg[:1]) + msg[1:]
	}
	return msg
}

// attSized gives o at least width, for entries and labels in a row of
// controls, where they would otherwise shrink to their text.
func attSized(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.New(attMinWidth(width), o)
}

type attMinWidth float32

func (w attMinWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (w attMinWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	s.Width = fyne.Max(s.Width, float32(w))
	return s
}

// attDeptSelect chooses a department, or all of them.
type attDeptSelect struct {
	sel *widget.Select
	ids []string // by option index; "" for all
	// quiet suppresses the change callback while the code sets the value.
	quiet bool
}

func newAttDeptSelect(s *session, onChanged func()) *attDeptSelect {
	d := &attDeptSelect{ids: []string{""}}
	options := []string{lang.L("All departments")}
	deps, err := s.engine.AttendanceDepartments(s.actor)
	if err != nil {
		s.log.Error("attendance: read departments", "err", err)
	}
	for _, dep := range deps {
		options = append(options, dep.Name)
		d.ids = append(d.ids, dep.ID)
	}
	d.sel = newSelect(options, func(string) {
		if !d.quiet && onChanged != nil {
			onChanged()
		}
	})
	d.quiet = true
	d.sel.SetSelectedIndex(0)
	d.quiet = false
	return d
}

// id is the chosen department's id; "" for all.
func (d *attDeptSelect) id() string {
	i := d.sel.SelectedIndex()
	if i < 0 || i >= len(d.ids) {
		return ""
	}
	return d.ids[i]
}

// name is the department's name, or its id if unknown.
func (d *attDeptSelect) name(id string) string {
	if i := slices.Index(d.ids, id); i > 0 {
		return d.sel.Options[i]
	}
	return id
}

// clear selects all departments without calling back.
func (d *attDeptSelect) clear() {
	d.quiet = true
	d.sel.SetSelectedIndex(0)
	d.quiet = false
}

// How many people the picker lists at once, and how long it waits after
// a keystroke before searching.
const (
	attPickerMax      = 50
	attPickerDebounce = 150 * time.Millisecond
)

// attPicker chooses a person by name: a label with the choice and a button
// that opens a search over the people. The search runs off the UI thread,
// a pause after the last keystroke, and lists at most attPickerMax people
// with a line saying how many more matched.
type attPicker struct {
	s     *session
	async func(job func() func())
	none  string // shown when nobody is chosen
	// onChanged, when set, is called after the user changes the choice.
	onChanged func()

	id, name string

	label  *widget.Label
	choose *widget.Button
	clear  *widget.Button

	search *widget.Entry
	list   *widget.List
	more   *widget.Label
	popup  *widget.PopUp
	found  []core.PersonRef
	gen    int
}

func newAttPicker(s *session, async func(func() func()), none string, onChanged func()) *attPicker {
	return &attPicker{s: s, async: async, none: none, onChanged: onChanged}
}

func (p *attPicker) build() fyne.CanvasObject {
	p.label = widget.NewLabel(p.none)
	p.label.Truncation = fyne.TextTruncateEllipsis
	p.choose = widget.NewButtonWithIcon("", theme.SearchIcon(), p.open)
	p.clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() {
		p.set(core.PersonRef{})
		if p.onChanged != nil {
			p.onChanged()
		}
	})
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder(lang.L("Name or id"))
	p.search.OnChanged = p.find
	// Enter takes the first person found.
	p.search.OnSubmitted = func(string) {
		if len(p.found) > 0 {
			p.pick(p.found[0])
		}
	}
	p.more = widget.NewLabel("")
	p.more.Importance = widget.LowImportance
	p.list = widget.NewList(
		func() int { return len(p.found) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(p.found) {
				o.(*widget.Label).SetText(p.describe(p.found[id]))
			}
		},
	)
	p.list.OnSelected = func(id widget.ListItemID) {
		if id < len(p.found) {
			p.pick(p.found[id])
		}
	}
	p.show()
	return container.NewBorder(nil, nil, nil, container.NewHBox(p.choose, p.clear), attSized(wholeLabel(p.label, 300), 160))
}

// describe is a person as the search lists them.
func (p *attPicker) describe(r core.PersonRef) string {
	text := r.Name + " (" + r.ID + ")"
	if r.Inactive {
		text += " — " + lang.L("inactive")
	}
	return text
}

// set chooses r (the zero PersonRef: nobody) without calling back.
func (p *attPicker) set(r core.PersonRef) {
	p.id, p.name = r.ID, attOr(r.Name, r.ID)
	p.show()
}

func (p *attPicker) show() {
	if p.label == nil {
		return
	}
	if p.id == "" {
		p.label.SetText(p.none)
		p.label.TextStyle = fyne.TextStyle{Italic: true}
		p.clear.Disable()
	} else {
		p.label.SetText(p.name)
		p.label.TextStyle = fyne.TextStyle{}
		p.clear.Enable()
	}
	p.label.Refresh()
}

// pick is the user's choice in the search.
func (p *attPicker) pick(r core.PersonRef) {
	if p.popup != nil {
		p.popup.Hide()
	}
	p.set(r)
	if p.onChanged != nil {
		p.onChanged()
	}
}

// open shows the search over the window.
func (p *attPicker) open() {
	var c fyne.Canvas
	if p.s.window != nil {
		c = p.s.window.Canvas()
	} else if a := fyne.CurrentApp(); a != nil {
		c = a.Driver().CanvasForObject(p.choose)
	}
	if c == nil {
		return
	}
	if p.popup == nil {
		title := widget.NewLabelWithStyle(lang.L("Choose a person"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		cancel := widget.NewButton(lang.L("Cancel"), func() { p.popup.Hide() })
		content := container.NewBorder(
			container.NewVBox(title, p.search),
			container.NewBorder(nil, nil, nil, cancel, p.more),
			nil, nil, p.list)
		p.popup = widget.NewModalPopUp(content, c)
		p.popup.Resize(fyne.NewSize(420, 440))
	}
	p.list.UnselectAll()
	p.search.SetText("")
	p.query("")
	p.popup.Show()
	c.Focus(p.search)
}

// find searches for text after a pause in the typing.
func (p *attPicker) find(text string) {
	p.s.afterPause(&p.gen, attPickerDebounce, func() { p.query(text) })
}

// query searches off the UI thread; only the latest search is shown.
func (p *attPicker) query(text string) {
	p.gen++
	gen := p.gen
	s := p.s
	p.async(func() func() {
		found, total, err := s.engine.AttendancePeople(s.actor, text, attPickerMax)
		return func() {
			if gen != p.gen {
				return
			}
			if err != nil {
				s.fail(lang.L("Search people"), err)
				return
			}
			p.found = found
			p.list.UnselectAll()
			p.list.Refresh()
			switch {
			case total > len(found):
				p.more.SetText(fmt.Sprintf(lang.L("%d more: type more of the name"), total-len(found)))
			case total == 0:
				p.more.SetText(lang.L("Nobody found"))
			default:
				p.more.SetText("")
			}
		}
	})
}

// attNameOrder sorts people by name, case ignored, then id.
type attNameOrder struct{ keys map[string]string }

func newAttNameOrder() *attNameOrder { return &attNameOrder{keys: map[string]string{}} }

func (o *attNameOrder) key(s string) string {
	k, ok := o.keys[s]
	if !ok {
		k = strings.ToLower(s)
		o.keys[s] = k
	}
	return k
}

func (o *attNameOrder) compare(nameA, idA, nameB, idB string) int {
	if c := strings.Compare(o.key(nameA), o.key(nameB)); c != 0 {
		return c
	}
	return strings.Compare(idA, idB)
}
