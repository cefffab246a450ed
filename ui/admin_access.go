package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// accessPage is the administration of schedules, shifts, holidays and
// access levels.
func accessPage() page {
	return page{id: "access", title: lang.L("Access rules"), needs: []core.Permission{core.PermAccessEdit},
		build: func(s *session) fyne.CanvasObject { return newAccessScreen(s).build() }}
}

// accessScreen edits the rules of time and access: schedules and shifts
// with a weekly editor, holidays, and access levels. As on the doors
// screen, each save is a site file of one object given to Engine.PutObject.
type accessScreen struct {
	s *session

	schedules []core.Schedule
	shifts    []core.Shift
	holidays  []core.Holiday
	levels    []core.AccessLevel

	tabs *container.AppTabs

	schedCat      *catalog
	schedID       *formEntry
	schedName     *formEntry
	schedHolidays *picker
	schedWeek     *weekEditor

	shiftCat  *catalog
	shiftID   *formEntry
	shiftName *formEntry
	shiftWeek *weekEditor
	// shiftPaid and shiftBreaks are the shift's paid_breaks and
	// auto_breaks (docs/payroll.md).
	shiftPaid   *widget.Check
	shiftBreaks *formEntry

	holCat    *catalog
	holDate   *formEntry
	holName   *formEntry
	holPublic *widget.Button
	public    *publicHolidays // the dialog last opened

	levelCat   *catalog
	levelID    *formEntry
	levelName  *formEntry
	rules      []*ruleRow
	rulesBox   *fyne.Container
	addRule    *widget.Button
	schedPicks []string // schedule ids and names for the rules' pickers
	schedNames []string
}

func newAccessScreen(s *session) *accessScreen { return &accessScreen{s: s} }

func (x *accessScreen) build() fyne.CanvasObject {
	x.schedID, x.schedName = newFormEntry(), newFormEntry()
	x.schedID.SetPlaceHolder("office-hours")
	x.schedHolidays = newPicker("")
	x.schedHolidays.plain = true
	x.schedHolidays.setItems([]string{string(core.HolidaysNormal), string(core.HolidaysClosed)},
		[]string{lang.L("Open on holidays as on other days"), lang.L("Closed on holidays")})
	x.schedWeek = newWeekEditor()
	schedForm := newFormGrid()
	schedForm.add(lang.L("Identifier"), x.schedID)
	schedForm.add(lang.L("Name"), x.schedName)
	schedForm.add(lang.L("Holidays"), x.schedHolidays.Select)
	schedForm.field(x.schedID, "id")
	schedForm.field(x.schedName, "name")
	schedForm.field(x.schedHolidays.Select, "holidays")

	x.shiftID, x.shiftName = newFormEntry(), newFormEntry()
	x.shiftID.SetPlaceHolder("day")
	x.shiftWeek = newWeekEditor()
	shiftForm := newFormGrid()
	shiftForm.add(lang.L("Identifier"), x.shiftID)
	shiftForm.add(lang.L("Name"), x.shiftName)
	x.shiftPaid = widget.NewCheck(lang.L("Breaks between the windows are paid"), nil)
	x.shiftBreaks = newFormEntry()
	x.shiftBreaks.SetPlaceHolder(lang.L("none, or such as 6h: 30m, 9h: 45m"))
	shiftForm.add(lang.L("Breaks"), x.shiftPaid)
	shiftForm.add(lang.L("Automatic breaks"), x.shiftBreaks)
	shiftForm.field(x.shiftID, "id")
	shiftForm.field(x.shiftName, "name")
	shiftForm.field(x.shiftBreaks, "auto_breaks", "auto_breaks.after", "auto_breaks.deduct")

	x.holDate, x.holName = newFormEntry(), newFormEntry()
	x.holDate.SetPlaceHolder("2026-12-25")
	holForm := newFormGrid()
	holForm.add(lang.L("Date"), withCalendar(x.holDate, x.s.engine.Now))
	holForm.add(lang.L("Name"), x.holName)
	holForm.field(x.holDate, "date")
	holForm.field(x.holName, "name")

	x.holPublic = widget.NewButtonWithIcon(lang.L("Add public holidays…"), theme.ContentAddIcon(), x.showPublicHolidays)

	x.levelID, x.levelName = newFormEntry(), newFormEntry()
	x.levelID.SetPlaceHolder("staff")
	x.rulesBox = container.NewVBox()
	x.addRule = widget.NewButtonWithIcon(lang.L("Add rule"), theme.ContentAddIcon(), func() { x.addRuleRow(core.Rule{}) })
	levelForm := newFormGrid()
	levelForm.add(lang.L("Identifier"), x.levelID)
	levelForm.add(lang.L("Name"), x.levelName)
	levelForm.field(x.levelID, "id")
	levelForm.field(x.levelName, "name")
	rulesHelp := widget.NewLabel(lang.L("Each rule opens its doors during its schedule: type a door's name and pick it."))
	rulesHelp.Importance = widget.LowImportance
	rulesHelp.Wrapping = fyne.TextWrapWord

	x.schedCat = &catalog{s: x.s, noun: lang.L("schedule"), editable: x.s.mayChange(core.KindSchedule), form: schedForm,
		count: func() int { return len(x.schedules) },
		row: func(i int) (string, string, widget.Importance) {
			sc := x.schedules[i]
			return sc.Name, sc.ID + " · " + weekSummary(sc.Week), widget.MediumImportance
		},
		show: x.showSchedule, save: x.saveSchedule,
		remove: func(i int) error { return x.s.engine.DeleteObject(x.s.actor, core.KindSchedule, x.schedules[i].ID) },
		name:   func(i int) string { return x.schedules[i].Name },
		index: func(id string) int {
			return slices.IndexFunc(x.schedules, func(sc core.Schedule) bool { return sc.ID == id })
		},
		reload: x.reload,
	}
	x.shiftCat = &catalog{s: x.s, noun: lang.L("shift"), editable: x.s.mayChange(core.KindShift), form: shiftForm,
		count: func() int { return len(x.shifts) },
		row: func(i int) (string, string, widget.Importance) {
			sh := x.shifts[i]
			return sh.Name, sh.ID + " · " + weekSummary(sh.Week), widget.MediumImportance
		},
		show: x.showShift, save: x.saveShift,
		remove: func(i int) error { return x.s.engine.DeleteObject(x.s.actor, core.KindShift, x.shifts[i].ID) },
		name:   func(i int) string { return x.shifts[i].Name },
		index: func(id string) int {
			return slices.IndexFunc(x.shifts, func(sh core.Shift) bool { return sh.ID == id })
		},
		reload: x.reload,
	}
	x.holCat = &catalog{s: x.s, noun: lang.L("holiday"), editable: x.s.mayChange(core.KindHoliday), form: holForm,
		count: func() int { return len(x.holidays) },
		row: func(i int) (string, string, widget.Importance) {
			h := x.holidays[i]
			return h.Name, h.Date.String() + " · " + dayName(h.Date.Weekday()), widget.MediumImportance
		},
		show: x.showHoliday, save: x.saveHoliday,
		remove: func(i int) error {
			return x.s.engine.DeleteObject(x.s.actor, core.KindHoliday, x.holidays[i].Date.String())
		},
		name: func(i int) string { return x.holidays[i].Date.String() },
		index: func(id string) int {
			return slices.IndexFunc(x.holidays, func(h core.Holiday) bool { return h.Date.String() == id })
		},
		reload: x.reload,
	}
	x.levelCat = &catalog{s: x.s, noun: lang.L("access level"), editable: x.s.mayChange(core.KindAccessLevel), form: levelForm,
		count: func() int { return len(x.levels) },
		row: func(i int) (string, string, widget.Importance) {
			l := x.levels[i]
			return l.Name, l.ID + " · " + plural("rules.count", "{{.Count}} rule", "{{.Count}} rules", len(l.Rules)), widget.MediumImportance
		},
		show: x.showLevel, save: x.saveLevel,
		remove: func(i int) error { return x.s.engine.DeleteObject(x.s.actor, core.KindAccessLevel, x.levels[i].ID) },
		name:   func(i int) string { return x.levels[i].Name },
		index: func(id string) int {
			return slices.IndexFunc(x.levels, func(l core.AccessLevel) bool { return l.ID == id })
		},
		reload: x.reload,
	}

	x.reload()
	weekHelp := func() fyne.CanvasObject {
		l := widget.NewLabel(lang.L("Windows per day, such as 09:00-12:30, 13:30-17:30. 22:00-06:00 runs past midnight; 24:00 may end a window."))
		l.Importance = widget.LowImportance
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	x.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Schedules"), x.schedCat.build(nil, container.NewVBox(schedForm.box, widget.NewSeparator(), weekHelp(), x.schedWeek.box))),
		container.NewTabItem(lang.L("Shifts"), x.shiftCat.build(nil, container.NewVBox(shiftForm.box, widget.NewSeparator(), weekHelp(), x.shiftWeek.box))),
		container.NewTabItem(lang.L("Holidays"), x.holCat.build(nil, holForm.box, x.holPublic)),
		container.NewTabItem(lang.L("Access levels"), x.levelCat.build(nil,
			container.NewVBox(levelForm.box, widget.NewSeparator(), rulesHelp,
				levelForm.spots.under(x.rulesBox, lang.L("Rules"), "rules", "rules.doors", "rules.schedule"), container.NewHBox(x.addRule)))),
	)
	for _, c := range []*catalog{x.schedCat, x.shiftCat, x.holCat, x.levelCat} {
		c.start()
	}
	return x.s.withCentralNote(core.KindAccessLevel, x.tabs)
}

// reload rereads the rules from the engine.
func (x *accessScreen) reload() {
	e, a := x.s.engine, x.s.actor
	var errs []error
	var err error
	if x.schedules, err = e.Schedules(a); err != nil {
		errs = append(errs, err)
	}
	if x.shifts, err = e.Shifts(a); err != nil {
		errs = append(errs, err)
	}
	if x.holidays, err = e.Holidays(a); err != nil {
		errs = append(errs, err)
	}
	if x.levels, err = e.AccessLevels(a); err != nil {
		errs = append(errs, err)
	}
	if err := errors.Join(errs...); err != nil {
		x.s.fail(lang.L("Read the access rules"), err)
	}
	x.schedPicks, x.schedNames = nil, nil
	for _, sc := range x.schedules {
		x.schedPicks, x.schedNames = append(x.schedPicks, sc.ID), append(x.schedNames, sc.Name)
	}
	for _, r := range x.rules {
		r.schedule.setItems(x.schedPicks, x.schedNames)
	}
	for _, c := range []*catalog{x.schedCat, x.shiftCat, x.holCat, x.levelCat} {
		if c != nil && c.list != nil {
			c.list.Refresh()
		}
	}
}

// weekSummary writes the days a week has windows on: "Mon–Fri 07:00-20:00".
func weekSummary(wk core.Week) string {
	var parts []string
	for i := 0; i < 7; {
		day := weekOrder[i]
		text := windowsText(wk[day])
		j := i + 1
		for j < 7 && windowsText(wk[weekOrder[j]]) == text {
			j++
		}
		if text != "" {
			days := dayAbbrev(weekOrder[i])
			if j-i > 1 {
				days += "–" + dayAbbrev(weekOrder[j-1])
			}
			parts = append(parts, days+" "+text)
		}
		i = j
	}
	if len(parts) == 0 {
		return lang.L("no window")
	}
	return strings.Join(parts, "; ")
}

// weekOrder is the order people read a week in.
var weekOrder = [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

// dayName names a weekday for people.
func dayName(d time.Weekday) string {
	return [7]string{lang.L("Sunday"), lang.L("Monday"), lang.L("Tuesday"), lang.L("Wednesday"),
		lang.L("Thursday"), lang.L("Friday"), lang.L("Saturday")}[d]
}

// dayAbbrev names a weekday in short.
func dayAbbrev(d time.Weekday) string {
	return [7]string{lang.L("Sun"), lang.L("Mon"), lang.L("Tue"), lang.L("Wed"),
		lang.L("Thu"), lang.L("Fri"), lang.L("Sat")}[d]
}

// windowsText writes a day's windows as the weekly editor shows them.
func windowsText(ws []core.Window) string {
	parts := make([]string, len(ws))
	for i, w := range ws {
		parts[i] = w.String()
	}
	return strings.Join(parts, ", ")
}

// weekEditor is seven rows, Monday to Sunday, each a day's windows as
// text ("09:00-12:30, 13:30-17:30"), checked as they are typed.
type weekEditor struct {
	days     [7]*formEntry // in weekOrder
	problems [7]*widget.Label
	box      *fyne.Container
}

func newWeekEditor() *weekEditor {
	w := &weekEditor{box: container.New(layout.NewFormLayout())}
	for i, day := range weekOrder {
		e := newFormEntry()
		e.SetPlaceHolder(lang.L("closed"))
		p := problemLabel()
		e.OnChanged = func(string) { w.checkDay(i) }
		w.days[i], w.problems[i] = e, p
		w.box.Add(widget.NewLabelWithStyle(dayName(day), fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}))
		w.box.Add(container.New(layout.NewCustomPaddedVBoxLayout(0), e, p))
	}
	return w
}

// set shows wk.
func (w *weekEditor) set(wk core.Week) {
	for i, day := range weekOrder {
		w.days[i].SetText(windowsText(wk[day]))
		w.problems[i].Hide()
	}
}

// parseDay reads row i's windows.
func (w *weekEditor) parseDay(i int) ([]core.Window, error) {
	var out []core.Window
	for _, text := range splitList(w.days[i].Text) {
		win, err := core.ParseWindow(text)
		if err != nil {
			return nil, err
		}
		out = append(out, win)
	}
	return out, nil
}

// checkDay shows what is wrong with row i, if anything.
func (w *weekEditor) checkDay(i int) bool {
	ws, err := w.parseDay(i)
	if err == nil {
		var wk core.Week
		wk[weekOrder[i]] = ws
		err = wk.Validate()
	}
	w.showProblem(i, err)
	return err == nil
}

func (w *weekEditor) showProblem(i int, err error) {
	p := w.problems[i]
	if err == nil {
		if p.Visible() {
			p.Hide()
			w.box.Refresh()
		}
		return
	}
	p.SetText(errorText(err))
	if !p.Visible() {
		p.Show()
		w.box.Refresh()
	}
}

// week reads the whole week, or shows what is wrong by the rows at fault
// and returns an error.
func (w *weekEditor) week() (core.Week, error) {
	var wk core.Week
	bad := false
	for i, day := range weekOrder {
		ws, err := w.parseDay(i)
		w.showProblem(i, err)
		bad = bad || err != nil
		wk[day] = ws
	}
	if bad {
		return core.Week{}, fieldError("week", lang.L("correct the days shown in red"))
	}
	if err := wk.Validate(); err != nil {
		// "week.tue[1]: ..." names the row at fault.
		msg := err.Error()
		for i, day := range weekOrder {
			key := "week." + strings.ToLower(day.String()[:3])
			if strings.Contains(msg, key+"[") {
				w.showProblem(i, err)
				break
			}
		}
		return core.Week{}, fieldError("week", lang.L("correct the days shown in red"))
	}
	return wk, nil
}

// --- schedules ---

func (x *accessScreen) showSchedule(i int) {
	sc := core.Schedule{Holidays: core.HolidaysNormal}
	if i >= 0 {
		sc = x.schedules[i]
	}
	x.schedID.SetText(sc.ID)
	x.schedName.SetText(sc.Name)
	rule := sc.Holidays
	if rule == "" {
		rule = core.HolidaysNormal
	}
	x.schedHolidays.setID(string(rule))
	x.schedWeek.set(sc.Week)
	setEnabled(i < 0, x.schedID)
}

func (x *accessScreen) saveSchedule(isNew bool) (string, error) {
	var ps core.Problems
	wk, err := x.schedWeek.week()
	if err != nil {
		ps = append(ps, err)
	}
	sc := core.Schedule{ID: strings.TrimSpace(x.schedID.Text), Name: strings.TrimSpace(x.schedName.Text),
		Holidays: core.HolidayRule(x.schedHolidays.id()), Week: wk}
	if isNew && x.schedCat.index(sc.ID) >= 0 {
		ps = append(ps, fieldError("id", fmt.Sprintf(lang.L("a schedule %q exists already"), sc.ID)))
	}
	if len(ps) > 0 {
		return "", append(ps, required(sc.ID, "id", sc.Name, "name")...)
	}
	return sc.ID, x.s.engine.PutObject(x.s.actor, &core.SiteFile{Schedules: []core.Schedule{sc}})
}

// --- shifts ---

func (x *accessScreen) showShift(i int) {
	var sh core.Shift
	if i >= 0 {
		sh = x.shifts[i]
	}
	x.shiftID.SetText(sh.ID)
	x.shiftName.SetText(sh.Name)
	x.shiftWeek.set(sh.Week)
	x.shiftPaid.SetChecked(sh.PaidBreaks)
	x.shiftBreaks.SetText(autoBreaksText(sh.AutoBreaks))
	setEnabled(i < 0, x.shiftID)
}

func (x *accessScreen) saveShift(isNew bool) (string, error) {
	var ps core.Problems
	wk, err := x.shiftWeek.week()
	if err != nil {
		ps = append(ps, err)
	}
	sh := core.Shift{ID: strings.TrimSpace(x.shiftID.Text), Name: strings.TrimSpace(x.shiftName.Text), Week: wk}
	if isNew && x.shiftCat.index(sh.ID) >= 0 {
		ps = append(ps, fieldError("id", fmt.Sprintf(lang.L("a shift %q exists already"), sh.ID)))
	}
	sh.PaidBreaks = x.shiftPaid.Checked
	if sh.AutoBreaks, err = parseAutoBreaks(x.shiftBreaks.Text); err != nil {
		ps = append(ps, err)
	}
	if len(ps) > 0 {
		return "", append(ps, required(sh.ID, "id", sh.Name, "name")...)
	}
	return sh.ID, x.s.engine.PutObject(x.s.actor, &core.SiteFile{Shifts: []core.Shift{sh}})
}

// autoBreaksText writes a shift's automatic breaks as the form reads
// them: "6h: 30m, 9h: 45m".
func autoBreaksText(rules []core.AutoBreak) string {
	parts := make([]string, len(rules))
	for i, r := range rules {
		parts[i] = r.After.String() + ": " + r.Deduct.String()
	}
	return strings.Join(parts, ", ")
}

// parseAutoBreaks reads "6h: 30m, 9h: 45m": after so long, at least so
// long a break. The engine checks the rules against each other.
func parseAutoBreaks(text string) ([]core.AutoBreak, error) {
	var rules []core.AutoBreak
	for part := range strings.SplitSeq(text, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		after, deduct, ok := strings.Cut(part, ":")
		a, aerr := core.ParseDuration(strings.TrimSpace(after))
		d, derr := core.ParseDuration(strings.TrimSpace(deduct))
		if !ok || aerr != nil || derr != nil {
			return nil, fieldError("auto_breaks", fmt.Sprintf(lang.L("'%s' is not a break rule such as 6h: 30m (after 6 hours, 30 minutes)"), part))
		}
		rules = append(rules, core.AutoBreak{After: a, Deduct: d})
	}
	return rules, nil
}

// --- holidays ---

func (x *accessScreen) showHoliday(i int) {
	var h core.Holiday
	date := ""
	if i >= 0 {
		h = x.holidays[i]
		date = h.Date.String()
	}
	x.holDate.SetText(date)
	x.holName.SetText(h.Name)
	setEnabled(i < 0, x.holDate)
}

func (x *accessScreen) saveHoliday(isNew bool) (string, error) {
	d, err := core.ParseDate(strings.TrimSpace(x.holDate.Text))
	if err != nil {
		return "", fieldError("date", lang.L("want a date such as 2026-12-25"))
	}
	h := core.Holiday{Date: d, Name: strings.TrimSpace(x.holName.Text)}
	if isNew && x.holCat.index(d.String()) >= 0 {
		return "", fieldError("date", fmt.Sprintf(lang.L("%s is a holiday already"), d))
	}
	return d.String(), x.s.engine.PutObject(x.s.actor, &core.SiteFile{Holidays: []core.Holiday{h}})
}

// --- access levels ---

// ruleRow edits one rule of an access level.
type ruleRow struct {
	doors    *multiPick
	schedule *picker
	box      *fyne.Container
}

func (x *accessScreen) addRuleRow(r core.Rule) {
	doors := x.doorFinder()
	row := &ruleRow{schedule: newPicker(lang.L("Always")),
		doors: newMultiPick(doors, false, func(id string) string { return nameOf(doors, id) })}
	row.doors.setIDs(r.Doors)
	row.schedule.setItems(x.schedPicks, x.schedNames)
	row.schedule.setID(r.Schedule)
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), nil)
	sched := container.NewGridWrap(fyne.NewSize(220, row.schedule.MinSize().Height), row.schedule.Select)
	// The doors over their schedule: side by side, the doors' names
	// have no room on a small screen.
	row.box = container.NewVBox(
		container.NewBorder(nil, nil, widget.NewLabel(lang.L("Doors")), nil, row.doors.box),
		container.NewHBox(widget.NewLabel(lang.L("during")), sched, remove),
		widget.NewSeparator())
	remove.OnTapped = func() {
		x.rules = slices.DeleteFunc(x.rules, func(o *ruleRow) bool { return o == row })
		x.rulesBox.Remove(row.box)
	}
	x.rules = append(x.rules, row)
	x.rulesBox.Add(row.box)
}

// doorFinder searches the site's doors, which rules open. Without
// doors.view the doors are those the levels name, by id.
func (x *accessScreen) doorFinder() finder {
	return listFinder(func() []choice {
		var out []choice
		if x.s.can(core.PermDoorsView) {
			for _, d := range x.s.engine.Doors(x.s.actor) {
				out = append(out, choice{id: d.ID, name: d.Name})
			}
			return out
		}
		seen := map[string]bool{}
		for _, l := range x.levels {
			for _, r := range l.Rules {
				for _, id := range r.Doors {
					if !seen[id] {
						seen[id] = true
						out = append(out, choice{id: id})
					}
				}
			}
		}
		return out
	})
}

func (x *accessScreen) showLevel(i int) {
	var l core.AccessLevel
	if i >= 0 {
		l = x.levels[i]
	}
	x.levelID.SetText(l.ID)
	x.levelName.SetText(l.Name)
	x.rules = nil
	x.rulesBox.RemoveAll()
	for _, r := range l.Rules {
		x.addRuleRow(r)
	}
	if len(l.Rules) == 0 {
		x.addRuleRow(core.Rule{})
	}
	setEnabled(i < 0, x.levelID)
}

func (x *accessScreen) saveLevel(isNew bool) (string, error) {
	l := core.AccessLevel{ID: strings.TrimSpace(x.levelID.Text), Name: strings.TrimSpace(x.levelName.Text)}
	var ps core.Problems
	for _, r := range x.rules {
		doors, err := r.doors.chosen("rules")
		if err != nil {
			ps = append(ps, err)
			continue
		}
		if len(doors) == 0 && r.schedule.id() == "" {
			continue // an empty row
		}
		l.Rules = append(l.Rules, core.Rule{Doors: doors, Schedule: r.schedule.id()})
	}
	if isNew && x.levelCat.index(l.ID) >= 0 {
		ps = append(ps, fieldError("id", fmt.Sprintf(lang.L("an access level %q exists already"), l.ID)))
	}
	if len(ps) > 0 {
		return "", append(ps, required(l.ID, "id", l.Name, "name")...)
	}
	return l.ID, x.s.engine.PutObject(x.s.actor, &core.SiteFile{AccessLevels: []core.AccessLevel{l}})
}
