package ui

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/unicode/norm"

	"frontdesk/core"
	"frontdesk/core/report"
)

// Timings of the reception screen.
const (
	// sheetEvery bounds how often the presence lists are reread: a
	// queue of people tapping in at 8:55 gives one read a second, not one
	// per tap.
	sheetEvery = time.Second
	// sheetTick rereads the lists without events too: shifts start and
	// end with the clock, which changes who is expected.
	sheetTick = time.Minute
	// filterDelay lets the receptionist finish typing before the lists
	// are filtered again.
	filterDelay = 150 * time.Millisecond
	// phoneResultFor is how long the result of a phone check-in stays.
	phoneResultFor = 6 * time.Second
)

// receptionPage is the home screen: everyone logged in sees it, and each
// part shows by permission.
func receptionPage() page {
	return page{
		id:    "reception",
		title: lang.L("Reception"),
		build: func(s *session) fyne.CanvasObject { return newReceptionScreen(s).build() },
	}
}

// receptionScreen is the reception's home screen: the live feed of taps
// (logs.view.any or logs.view.own), beside it who is in the building and
// who is expected and not in (attendance.view), a check-in by mobile
// number for a forgotten badge (attendance.checkin), the muster list
// button (attendance.view) and the devices' health (doors.view).
type receptionScreen struct {
	s   *session
	log *slog.Logger
	// do runs fn on the UI thread from another goroutine: fyne.Do, or in
	// tests the test's UI thread.
	do func(fn func())
	// musterDir is where muster lists are written; "" means the user's
	// cache folder's frontdesk folder.
	musterDir string
	// openURL opens a written muster list in the desktop's viewer.
	openURL func(*url.URL) error
	// printer prints it (CUPS).
	printer cups

	feed *feedScreen

	// The presence lists. in and expected are the last sheet read, with
	// folded names for the filter; inShown and expShown are those the
	// filter keeps.
	in                []presenceItem
	expected          []expectedItem
	inShown           []presenceItem
	expShown          []expectedItem
	loaded            bool   // a sheet was read at least once
	query             string // the filter, folded
	filterGen         int
	sheetRunning      bool      // a read is under way in a goroutine
	sheetAgain        bool      // something changed during that read
	sheetPending      bool      // a read is scheduled by the debounce
	sheetStarted      time.Time // wall clock, for the debounce
	filter            *widget.Entry
	inList, expList   *widget.List
	inEmpty, expEmpty *widget.Label
	sections          *widget.Accordion
	sheetProblem      *widget.Label
	content           fyne.CanvasObject
	// sites picks, at the central site of a company, whose people the
	// lists show (reception_sites.go).
	sites siteState

	// The check-in by phone.
	phone       *formEntry
	checkin     *widget.Button
	phoneResult *widget.Label
	phoneGen    int

	// The muster list.
	muster      *widget.Button
	musterBusy  *fyne.Container
	musterPath  string // the last list written, for tests
	musterShown string // the text of the last dialog, for tests
}

// presenceItem is one person in, with their name folded for the filter.
type presenceItem struct {
	core.SheetEntry
	folded string
}

// expectedItem is one person expected and not in.
type expectedItem struct {
	core.ExpectedEntry
	folded string
}

func newReceptionScreen(s *session) *receptionScreen {
	log := s.log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &receptionScreen{
		s:       s,
		log:     log,
		do:      s.onUI,
		printer: systemCUPS,
		openURL: func(u *url.URL) error {
			if a := fyne.CurrentApp(); a != nil {
				return a.OpenURL(u)
			}
			return errors.New("no app to open it with")
		},
	}
}

// build makes the widgets and starts reading the presence lists. Call it
// on the UI thread.
func (r *receptionScreen) build() fyne.CanvasObject {
	s := r.s
	var middle []fyne.CanvasObject
	if s.canAny(core.PermLogsViewAny, core.PermLogsViewOwn) {
		r.feed = newFeedScreen(s.engine, s.actor, s.can(core.PermPeopleView), r.log)
		feed := r.feed.build()
		if s.listen != nil {
			s.listen(r.feed)
		}
		title := receptionHeading(lang.L("Latest taps"))
		middle = append(middle, container.NewBorder(container.NewVBox(title, feedHeadings()), nil, nil, nil, feed))
	}
	if s.can(core.PermAttendanceView) {
		middle = append(middle, r.buildPresence())
		if s.listen != nil {
			s.listen(r)
		}
	}
	var center fyne.CanvasObject
	switch len(middle) {
	case 2:
		split := container.NewHSplit(middle[0], middle[1])
		split.SetOffset(0.6)
		center = split
	case 1:
		center = middle[0]
	default:
		none := widget.NewLabelWithStyle(lang.L("Welcome. The pages your account may use are in the menu."),
			fyne.TextAlignCenter, fyne.TextStyle{})
		none.Wrapping = fyne.TextWrapWord
		center = container.NewCenter(none)
	}

	var top fyne.CanvasObject
	var left, right fyne.CanvasObject
	if s.can(core.PermAttendanceCheck) {
		left = r.buildPhone()
	}
	if s.can(core.PermAttendanceView) {
		right = r.buildMuster()
	}
	if left != nil || right != nil {
		var result fyne.CanvasObject
		if r.phoneResult != nil {
			result = container.NewVBox(layout.NewSpacer(), r.phoneResult, layout.NewSpacer())
		}
		top = container.NewVBox(
			container.NewBorder(nil, nil, left, right, result),
			widget.NewSeparator(),
		)
	}

	var bottom fyne.CanvasObject
	if s.can(core.PermDoorsView) {
		bar := newDeviceBar(s.engine, s.actor, s.after)
		if s.listen != nil {
			s.listen(bar)
		}
		bottom = container.NewVBox(widget.NewSeparator(), bar.build())
	}
	r.content = borderInTabOrder(top, bottom, nil, nil, center)
	if s.can(core.PermAttendanceView) {
		r.sheetChanged()
		r.scheduleTick()
	}
	return r.content
}

// receptionHeading is the heading of a part of the screen.
func receptionHeading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

// buildPresence makes the two lists: who is in, and who is expected and
// not in, under one filter by name.
func (r *receptionScreen) buildPresence() fyne.CanvasObject {
	r.filter = widget.NewEntry()
	r.filter.SetPlaceHolder(lang.L("Find a name"))
	r.s.searchField(r.filter)
	r.filter.ActionItem = widget.NewButtonWithIcon("", theme.ContentClearIcon(), func() { r.filter.SetText("") })
	r.filter.OnChanged = func(string) { r.filterChanged() }

	r.inList = widget.NewList(
		func() int { return len(r.inShown) },
		func() fyne.CanvasObject { return newSheetRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(r.inShown) {
				r.showIn(o.(*sheetRow), r.inShown[id])
			}
		},
	)
	r.expList = widget.NewList(
		func() int { return len(r.expShown) },
		func() fyne.CanvasObject { return newSheetRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(r.expShown) {
				r.showExpected(o.(*sheetRow), r.expShown[id])
			}
		},
	)
	r.inEmpty = emptyListNote()
	r.expEmpty = emptyListNote()
	r.sheetProblem = problemLabel()

	in := widget.NewAccordionItem(lang.L("In the building now"), container.NewStack(r.inList, r.inEmpty))
	in.Open = true
	exp := widget.NewAccordionItem(lang.L("Expected, not in"), container.NewStack(r.expList, r.expEmpty))
	exp.Open = true
	r.sections = widget.NewAccordion(in, exp)
	r.sections.MultiOpen = true
	r.showCounts()
	top := container.NewVBox(r.filter, r.sheetProblem)
	if pick := r.buildSitePick(); pick != nil {
		top = container.NewVBox(pick, r.filter, r.sheetProblem)
	}
	return borderInTabOrder(top, nil, nil, nil, r.sections)
}

// emptyListNote is the line shown in place of an empty list.
func emptyListNote() *widget.Label {
	l := widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// buildPhone makes the check-in by mobile number.
func (r *receptionScreen) buildPhone() fyne.CanvasObject {
	r.phone = newFormEntry()
	r.phone.SetPlaceHolder(lang.L("Mobile number"))
	r.phone.OnSubmitted = func(string) { r.checkinPhone() }
	r.checkin = widget.NewButtonWithIcon(lang.L("Check in"), theme.LoginIcon(), r.checkinPhone)
	r.checkin.Importance = widget.HighImportance
	r.phoneResult = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.phoneResult.Wrapping = fyne.TextWrapWord
	label := widget.NewLabel(lang.L("No badge? Check in by phone:"))
	entry := container.NewGridWrap(fyne.NewSize(190, r.phone.MinSize().Height), r.phone)
	// The question above the field: side by side they are too wide for a
	// small screen in French or Russian.
	return container.NewCenter(container.NewVBox(label, container.NewHBox(entry, r.checkin)))
}

// buildMuster makes the muster list's button, large and red: in an
// evacuation it must be found at a glance.
func (r *receptionScreen) buildMuster() fyne.CanvasObject {
	r.muster = widget.NewButtonWithIcon(lang.L("Muster list"), theme.WarningIcon(), r.printMuster)
	r.muster.Importance = widget.DangerImportance
	busy := widget.NewProgressBarInfinite()
	r.musterBusy = container.NewHBox(
		container.NewGridWrap(fyne.NewSize(120, busy.MinSize().Height), busy),
		widget.NewLabel(lang.L("Preparing…")),
	)
	r.musterBusy.Hide()
	button := container.NewGridWrap(fyne.NewSize(200, 1.6*r.muster.MinSize().Height), r.muster)
	return container.NewHBox(container.NewCenter(r.musterBusy), button)
}

// addEvents rereads the presence lists when an event moved someone.
func (r *receptionScreen) addEvents(evs []core.Event) {
	for _, ev := range evs {
		if ev.Zone != "" {
			r.sheetChanged()
			return
		}
	}
}

// reload rereads the presence lists after the bridge dropped events.
func (r *receptionScreen) reload() { r.sheetChanged() }

// presenceChanged: someone moved by an event this actor does not see in
// the log; the lists read it again (at most once a second).
func (r *receptionScreen) presenceChanged() { r.sheetChanged() }

// sheetChanged rereads the attendance sheet, at most once per sheetEvery:
// at once when the last read is older, else when it is.
func (r *receptionScreen) sheetChanged() {
	if r.sheetPending {
		return
	}
	wait := sheetEvery - time.Since(r.sheetStarted)
	if r.s.after == nil || wait <= 0 {
		r.readSheet()
		return
	}
	r.sheetPending = true
	r.s.after(wait, func() {
		r.sheetPending = false
		r.readSheet()
	})
}

// scheduleTick rereads the sheet every sheetTick while the screen is
// shown.
func (r *receptionScreen) scheduleTick() {
	if r.s.after == nil {
		return
	}
	r.s.after(sheetTick, func() {
		if onCanvas(r.content) {
			r.sheetChanged()
		}
		r.scheduleTick()
	})
}

// onCanvas reports whether o is on a window's canvas.
func onCanvas(o fyne.CanvasObject) bool {
	a := fyne.CurrentApp()
	return a == nil || a.Driver().CanvasForObject(o) != nil
}

// readSheet reads the attendance sheet in a goroutine, a second one
// after it when asked again meanwhile: with 100,000 people the read takes
// longer than a frame.
func (r *receptionScreen) readSheet() {
	if r.sheetRunning {
		r.sheetAgain = true
		return
	}
	r.sheetRunning = true
	r.sheetStarted = time.Now()
	engine, actor := r.s.engine, r.s.actor
	site, central := r.sites.site, r.sites.pick != nil
	go func() {
		var sites []core.SitePresence
		var sheet *core.SheetReport
		var err error
		if central {
			sites, err = readSites(engine, actor)
		}
		if err == nil && site == "" {
			sheet, err = engine.AttendanceSheet(actor, time.Time{}, "")
		}
		var in []presenceItem
		var exp []expectedItem
		if err == nil && sheet != nil {
			in = make([]presenceItem, len(sheet.In))
			for i, e := range sheet.In {
				in[i] = presenceItem{SheetEntry: e, folded: foldForSearch(e.Name)}
			}
			exp = make([]expectedItem, len(sheet.Expected))
			for i, e := range sheet.Expected {
				exp[i] = expectedItem{ExpectedEntry: e, folded: foldForSearch(e.Name)}
			}
		}
		r.do(func() {
			r.sheetRunning = false
			if err != nil {
				r.log.Error("reception: read the attendance sheet", "err", err)
				r.sheetProblem.SetText(fmt.Sprintf(lang.L("Could not read who is in: %v"), err))
				r.sheetProblem.Show()
			} else if site == r.sites.site {
				r.sheetProblem.Hide()
				if central {
					r.sitesRead(sites)
				}
				if site == "" {
					r.in, r.expected, r.loaded = in, exp, true
				}
				r.applyFilter()
			}
			if r.sheetAgain {
				r.sheetAgain = false
				r.sheetChanged()
			}
		})
	}()
}

// filterChanged filters the lists once the typing pauses.
func (r *receptionScreen) filterChanged() {
	r.s.afterPause(&r.filterGen, filterDelay, r.applyFilter)
}

// applyFilter keeps the people whose name contains the filter.
func (r *receptionScreen) applyFilter() {
	r.query = foldForSearch(strings.TrimSpace(r.filter.Text))
	r.inShown = r.inShown[:0]
	for _, p := range r.in {
		if strings.Contains(p.folded, r.query) {
			r.inShown = append(r.inShown, p)
		}
	}
	r.expShown = r.expShown[:0]
	for _, p := range r.expected {
		if strings.Contains(p.folded, r.query) {
			r.expShown = append(r.expShown, p)
		}
	}
	r.inList.Refresh()
	r.expList.Refresh()
	r.showCounts()
}

// showCounts puts the counts in the sections' titles and says why a list
// is empty.
func (r *receptionScreen) showCounts() {
	in, exp := r.sections.Items[0], r.sections.Items[1]
	in.Title, exp.Title = lang.L("In the building now"), lang.L("Expected, not in")
	switch {
	case !r.loaded:
		r.inEmpty.SetText(lang.L("Reading…"))
		r.expEmpty.SetText("")
	case r.query == "":
		in.Title += fmt.Sprintf(" (%d)", len(r.in))
		exp.Title += fmt.Sprintf(" (%d)", len(r.expected))
		r.inEmpty.SetText(lang.L("Nobody is in the building."))
		r.expEmpty.SetText(lang.L("Everyone expected now is in."))
		if r.sites.site != "" {
			r.expEmpty.SetText(lang.L("Who is expected is shown for this site only."))
		}
	default:
		in.Title += fmt.Sprintf(" (%d / %d)", len(r.inShown), len(r.in))
		exp.Title += fmt.Sprintf(" (%d / %d)", len(r.expShown), len(r.expected))
		r.inEmpty.SetText(fmt.Sprintf(lang.L("No one in matches “%s”."), strings.TrimSpace(r.filter.Text)))
		r.expEmpty.SetText(fmt.Sprintf(lang.L("No one expected matches “%s”."), strings.TrimSpace(r.filter.Text)))
	}
	r.inEmpty.Hidden = len(r.inShown) > 0
	r.expEmpty.Hidden = len(r.expShown) > 0
	r.inEmpty.Refresh()
	r.expEmpty.Refresh()
	r.sections.Refresh()
}

// showIn fills a row with someone in: name and since when, then the zone
// and their phone.
func (r *receptionScreen) showIn(row *sheetRow, p presenceItem) {
	row.name.SetText(p.Name)
	row.state.Importance = widget.MediumImportance
	row.state.SetText(r.since(p.Since))
	row.detail.SetText(p.Zone)
	if p.Stale {
		// Their work day closed and no check-out was written: in, as far
		// as the log knows, as on the muster list.
		row.state.Importance = widget.WarningImportance
		row.detail.SetText(fmt.Sprintf(lang.L("%s, not checked out"), p.Zone))
	}
	row.state.Refresh()
	row.extra.Importance = widget.MediumImportance
	row.extra.SetText(p.Phone)
	row.relayout()
}

// showExpected fills a row with someone expected: name and "not arrived"
// or when they left, then their shift and whether they are justified.
func (r *receptionScreen) showExpected(row *sheetRow, p expectedItem) {
	loc := r.s.engine.Location()
	row.name.SetText(p.Name)
	if p.Left.IsZero() {
		row.state.SetText(lang.L("Not arrived"))
	} else {
		row.state.SetText(fmt.Sprintf(lang.L("Left %s"), p.Left.In(loc).Format("15:04")))
	}
	row.state.Importance = widget.WarningImportance
	row.detail.SetText(fmt.Sprintf(lang.L("Shift %s–%s"),
		p.ShiftStart.In(loc).Format("15:04"), p.ShiftEnd.In(loc).Format("15:04")))
	if p.Justified {
		row.state.Importance = widget.LowImportance
		row.extra.Importance = widget.SuccessImportance
		row.extra.SetText(lang.L("Justified"))
	} else {
		row.extra.Importance = widget.MediumImportance
		row.extra.SetText(p.Phone)
	}
	row.state.Refresh()
	row.relayout()
}

// since prints an instant as HH:MM today, with the date before today.
func (r *receptionScreen) since(t time.Time) string {
	loc := r.s.engine.Location()
	if core.DateOf(t, loc) == core.DateOf(r.s.engine.Now(), loc) {
		return t.In(loc).Format("15:04")
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

// foldForSearch writes a name the way the filter compares names: lower case,
// without accents, so that "jose" finds "José".
func foldForSearch(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, c := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, c) {
			continue
		}
		b.WriteRune(unicode.ToLower(c))
	}
	return b.String()
}

// checkinPhone checks in the person whose mobile number is typed.
func (r *receptionScreen) checkinPhone() {
	number := strings.TrimSpace(r.phone.Text)
	if number == "" {
		r.showPhoneResult(lang.L("Type the person's mobile number."), widget.WarningImportance)
		return
	}
	ev, err := r.s.engine.CheckinPhone(r.s.actor, number, time.Time{})
	switch {
	case errors.Is(err, core.ErrInvalid):
		r.showPhoneResult(fmt.Sprintf(lang.L("Not checked in: %s"), invalidReason(err)), widget.DangerImportance)
		return
	case err != nil:
		r.s.fail(lang.L("Check in by phone"), err)
		return
	}
	who := r.personName(ev)
	switch ev.Result {
	case core.CheckedIn:
		r.showPhoneResult(fmt.Sprintf(lang.L("✓ %s is checked in."), who), widget.SuccessImportance)
		r.phone.SetText("")
	case core.AlreadyCheckedIn:
		r.showPhoneResult(fmt.Sprintf(lang.L("%s was already in: %s."), who, explain(ev)), widget.WarningImportance)
		r.phone.SetText("")
	case core.DeniedUnknownPhone:
		r.showPhoneResult(fmt.Sprintf(lang.L("Refused: %s."), explain(ev)), widget.DangerImportance)
	case core.DeniedPhoneCheckin:
		r.showPhoneResult(fmt.Sprintf(lang.L("Refused: %s."), explain(ev)), widget.DangerImportance)
	default:
		words, imp := resultStyle(ev.Result)
		r.showPhoneResult(words+": "+explain(ev), imp)
	}
	if ev.Zone != "" {
		r.sheetChanged() // without waiting for the bridge
	}
}

// personName names the person of ev for the check-in's result.
func (r *receptionScreen) personName(ev core.Event) string {
	if ev.Person == "" {
		return lang.L("Unknown person")
	}
	if r.s.can(core.PermPeopleView) {
		if p, err := r.s.engine.Person(r.s.actor, ev.Person); err == nil && p.Name != "" {
			return p.Name
		}
	}
	// The reason names the person; an event logged before reasons
	// existed starts its explanation with the name.
	if name := ev.Why.Arg("person"); name != "" {
		return name
	}
	if name, ok := strings.CutSuffix(ev.Explanation, " checked in by phone"); ok {
		return name
	}
	if name, _, ok := strings.Cut(ev.Explanation, " already checked in"); ok {
		return name
	}
	return ev.Person
}

// invalidReason keeps the reason of an ErrInvalid for people: "phone "x":
// 3 digits, want at least 6".
func invalidReason(err error) string {
	msg := errorText(err)
	if i := strings.Index(msg, core.ErrInvalid.Error()+": "); i >= 0 {
		msg = msg[i+len(core.ErrInvalid.Error())+2:]
	}
	return msg
}

// showPhoneResult shows the outcome of a check-in for phoneResultFor. The
// label stays in place, empty in between, so the bar never jumps.
func (r *receptionScreen) showPhoneResult(text string, imp widget.Importance) {
	r.phoneGen++
	r.phoneResult.Text, r.phoneResult.Importance = text, imp
	r.phoneResult.Refresh()
	if r.s.after == nil {
		return
	}
	gen := r.phoneGen
	r.s.after(phoneResultFor, func() {
		if gen == r.phoneGen {
			r.phoneResult.SetText("")
		}
	})
}

// printMuster builds the muster list in a goroutine, writes it as PDF
// and opens it.
func (r *receptionScreen) printMuster() {
	r.muster.Disable()
	r.musterBusy.Show()
	engine, actor, dir, s, site := r.s.engine, r.s.actor, r.musterDir, r.s, r.sites.site
	go func() {
		out, err := musterOut(engine, actor, site, dir, s.printOptions, r.printer, r.openURL, r.log)
		r.do(func() {
			r.muster.Enable()
			r.musterBusy.Hide()
			if err != nil {
				r.s.fail(lang.L("Make the muster list"), err)
				return
			}
			r.musterPath, r.musterShown = out.path, out.message
			if r.s.window != nil {
				dialog.ShowInformation(lang.L("Muster list"), out.message, r.s.window)
			}
		})
	}()
}

// peopleInWords says how many people, in words.
func peopleInWords(n int) string {
	return plural("people.count", "{{.Count}} person", "{{.Count}} people", n)
}

// writeMuster writes the muster list of now as actor into dir ("" for
// the user's cache folder), printed with the options opts gives, and
// returns its path and how many people it lists. site is "" for this
// site's, or at the central site of a company a branch's latest.
func writeMuster(engine core.API, actor core.Actor, site, dir string, opts func(paper string) report.Options) (string, int, error) {
	rep, err := engine.Report(actor, core.ReportQuery{Kind: core.ReportMuster, Site: site})
	if err != nil {
		return "", 0, err
	}
	if dir == "" {
		if dir, err = cacheFolder(""); err != nil {
			return "", 0, err
		}
	}
	name := "muster-"
	if site != "" {
		name += site + "-"
	}
	name += rep.Generated.In(engine.Location()).Format("20060102-1504") + ".pdf"
	path, err := writeFileInto(dir, name, func(w io.Writer) error { return report.Write(w, rep, opts("")) })
	if err != nil {
		return "", 0, err
	}
	return path, rep.Muster.Total, nil
}

// musterResult is a muster list made: where it is saved, and what the
// window says about it.
type musterResult struct {
	path, message string
	printed       bool
}

// musterOut makes the muster list as actor and prints it on the printer
// chosen in the preferences, in one go: in an evacuation nobody has a
// second tap to spare. When it cannot print, it opens the list on the
// screen instead. The message says how many people it lists, where it
// went and where it is saved.
func musterOut(engine core.API, actor core.Actor, site, dir string, opts func(string) report.Options, pr cups,
	open func(*url.URL) error, log *slog.Logger) (musterResult, error) {
	path, total, err := writeMuster(engine, actor, site, dir, opts)
	if err != nil {
		return musterResult{}, err
	}
	out := musterResult{path: path}
	lines := []string{fmt.Sprintf(lang.L("%s inside."), peopleInWords(total))}
	printer := fyne.CurrentApp().Preferences().String(prefPrinter)
	used, job, perr := pr.print(path, printer)
	if perr == nil {
		out.printed = true
		lines = append(lines, printedWords(used, job))
	} else {
		log.Warn("muster list not printed", "printer", printer, "err", perr)
		lines = append(lines, fmt.Sprintf(lang.L("It was not printed: %v."), perr))
		if oerr := openPath(open, path); oerr != nil {
			log.Error("open the muster list", "path", path, "err", oerr)
			lines = append(lines, fmt.Sprintf(lang.L("It could not be opened either: %v. Open the file yourself."), oerr))
		} else {
			lines = append(lines, lang.L("It is open on the screen, to print from there."))
		}
	}
	lines = append(lines, "", fmt.Sprintf(lang.L("The list is saved as\n%s"), path))
	out.message = strings.Join(lines, "\n")
	return out, nil
}

// sheetRow is one person of the presence lists: name and state on the
// first line, details in smaller text below.
type sheetRow struct {
	widget.BaseWidget
	name, state, detail, extra *widget.Label
	// lines are the row's two lines, laid out again when the texts
	// change: the state and the phone take the width they need.
	lines [2]*fyne.Container
}

func newSheetRow() *sheetRow {
	r := &sheetRow{
		name:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		state:  widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
		detail: widget.NewLabel(""),
		extra:  widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{}),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.detail.Truncation = fyne.TextTruncateEllipsis
	r.detail.SizeName = theme.SizeNameCaptionText
	r.extra.SizeName = theme.SizeNameCaptionText
	r.lines = [2]*fyne.Container{
		container.NewBorder(nil, nil, nil, r.state, r.name),
		container.NewBorder(nil, nil, nil, r.extra, r.detail),
	}
	r.ExtendBaseWidget(r)
	return r
}

// relayout gives the texts of the lines the room they now need.
func (r *sheetRow) relayout() {
	for _, l := range r.lines {
		l.Refresh()
	}
}

// CreateRenderer lays the row out on two lines.
func (r *sheetRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(tightLines{}, r.lines[0], r.lines[1]))
}
