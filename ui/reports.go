package ui

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
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
	"frontdesk/core/report"
)

// reportsPage is the page of PDF reports. With attendance.view alone it
// offers only the muster list, which the engine lets whoever sees the
// attendance sheet print in an evacuation.
func reportsPage() page {
	return page{
		id:    "reports",
		title: lang.L("Reports"),
		needs: []core.Permission{core.PermReportsPrint, core.PermAttendanceView},
		build: func(s *session) fyne.CanvasObject { return newReportsScreen(s).build() },
	}
}

// reportField is one filter of a report's form.
type reportField string

// The filters of ReportQuery, by the names core's errors use.
const (
	fieldFrom       reportField = "from"
	fieldTo         reportField = "to"
	fieldAt         reportField = "at"
	fieldPerson     reportField = "person"
	fieldDepartment reportField = "department"
	fieldDoor       reportField = "door"
	// fieldSite is whose events count, at the central site of a company
	// only (sitePicker): elsewhere the form leaves it out.
	fieldSite reportField = "site"
)

// reportFields are the filters each kind takes, in the form's order (see
// core.ReportQuery).
var reportFields = map[core.ReportKind][]reportField{
	core.ReportAttendance: {fieldAt, fieldDepartment},
	core.ReportTimesheet:  {fieldFrom, fieldTo, fieldPerson, fieldDepartment, fieldSite},
	core.ReportAbsences:   {fieldFrom, fieldTo, fieldPerson, fieldDepartment, fieldSite},
	core.ReportDoorLog:    {fieldFrom, fieldTo, fieldDoor, fieldPerson},
	core.ReportMuster:     {},
	core.ReportAccess:     {fieldDoor, fieldPerson, fieldDepartment},
}

// label is the field's label on the form, which error messages use too.
func (f reportField) label() string {
	switch f {
	case fieldFrom:
		return lang.L("From")
	case fieldTo:
		return lang.L("To")
	case fieldAt:
		return lang.L("At")
	case fieldPerson:
		return lang.L("Person")
	case fieldDepartment:
		return lang.L("Department")
	case fieldDoor:
		return lang.L("Door")
	case fieldSite:
		return lang.L("Site")
	}
	return string(f)
}

// reportAbout says in a line what a kind of report holds.
func reportAbout(k core.ReportKind) string {
	switch k {
	case core.ReportAttendance:
		return lang.L("Who is in, since when and their phone; who is expected and not in. Leave At empty for now.")
	case core.ReportTimesheet:
		return lang.L("Scheduled, worked and overtime hours, lateness and early leaves, per person and day.")
	case core.ReportAbsences:
		return lang.L("Late and absent records, their justifications and the metrics of the period.")
	case core.ReportDoorLog:
		return lang.L("The events of a door or of a person over a period: choose a door, a person, or both.")
	case core.ReportMuster:
		return lang.L("Who is inside now, by zone, for an evacuation. It is always of this instant.")
	case core.ReportAccess:
		return lang.L("Who may open each door, how, and until when.")
	}
	return ""
}

// reportAllowed reports whether s may print reports of kind k: the engine
// wants reports.print (but for the muster list) and the permission to see
// the report's data.
func reportAllowed(s *session, k core.ReportKind) bool {
	if k == core.ReportMuster {
		return s.can(core.PermAttendanceView)
	}
	if !s.can(core.PermReportsPrint) {
		return false
	}
	switch k {
	case core.ReportAttendance, core.ReportTimesheet, core.ReportAbsences:
		return s.can(core.PermAttendanceView)
	case core.ReportDoorLog:
		return s.canAny(core.PermLogsViewAny, core.PermLogsViewOwn)
	case core.ReportAccess:
		return s.can(core.PermDoorsView) && s.can(core.PermPeopleView)
	}
	return false
}

// builtReport is a report built and printed, kept to be saved or opened.
type builtReport struct {
	report core.Report
	pdf    []byte
	pages  int
	// name is the file's default name.
	name string
}

// reportsScreen builds a report from a form and saves or opens its PDF.
// The report is built and printed in a goroutine: a month's timesheet of a
// thousand people takes seconds, and the window stays responsive.
type reportsScreen struct {
	s *session
	// do runs fn on the UI thread: fyne.Do, or the tests' UI thread.
	do func(fn func())
	// openURL opens a file in the desktop's viewer; cacheDir is the
	// folder of files opened so.
	openURL  func(*url.URL) error
	cacheDir func() (string, error)

	kinds []core.ReportKind
	kind  core.ReportKind
	// doors are the door select's choices after "All doors", and
	// doorIDs their ids.
	doorIDs map[string]string

	kindSelect *widget.Select
	about      *widget.Label
	from, to   *formEntry
	at         *formEntry
	person     *searchPick
	department *searchPick
	door       *widget.Select
	site       *sitePicker
	paper      *widget.RadioGroup
	form       *fyne.Container
	// body holds the form and the result: it is laid out again when
	// they change size.
	body *fyne.Container

	buildButton *widget.Button
	progress    *widget.ProgressBarInfinite
	problem     *widget.Label // what is wrong with the form, inline
	summary     *widget.Label
	fingerprint *widget.Label
	saveButton  *widget.Button
	openButton  *widget.Button
	printButton *widget.Button
	// printer prints the built report (CUPS).
	printer cups
	status  *widget.Label // where the PDF was saved or opened

	building bool
	built    *builtReport
}

func newReportsScreen(s *session) *reportsScreen {
	r := &reportsScreen{s: s, do: s.onUI, cacheDir: os.UserCacheDir, printer: systemCUPS}
	r.openURL = func(u *url.URL) error { return fyne.CurrentApp().OpenURL(u) }
	for _, k := range core.ReportKinds {
		if reportAllowed(s, k) {
			r.kinds = append(r.kinds, k)
		}
	}
	return r
}

// build makes the widgets. Call it on the UI thread.
func (r *reportsScreen) build() fyne.CanvasObject {
	if len(r.kinds) == 0 {
		msg := widget.NewLabel(lang.L("Your roles allow no report. Ask an administrator for one with the data you need."))
		msg.Wrapping = fyne.TextWrapWord
		return container.NewPadded(msg)
	}
	loc := r.s.engine.Location()
	today := core.DateOf(r.s.engine.Now(), loc)
	r.from = dateEntry(core.Date{Year: today.Year, Month: today.Month, Day: 1})
	r.to = dateEntry(today)
	r.at = newFormEntry()
	r.at.SetPlaceHolder(lang.L("now, or 2026-11-24 09:30"))
	r.person = newPeoplePick(peopleFinder(r.s))
	r.department = newSearchPick(departmentFinder(r.s), lang.L("a department's name; empty for all"))
	r.door = newSelect(nil, nil)
	r.site = newSitePicker(r.s, nil)
	r.paper = widget.NewRadioGroup([]string{"A4", "Letter"}, nil)
	r.paper.Horizontal = true
	r.paper.Required = true
	r.paper.SetSelected("A4")

	titles := make([]string, len(r.kinds))
	for i, k := range r.kinds {
		titles[i] = lang.L(k.Title())
	}
	r.about = widget.NewLabel("")
	r.about.Wrapping = fyne.TextWrapWord
	r.form = container.New(layout.NewFormLayout())
	r.kindSelect = newSelect(titles, func(title string) {
		for i, t := range titles {
			if t == title {
				r.setKind(r.kinds[i])
			}
		}
	})

	r.problem = problemLabel()
	r.buildButton = widget.NewButtonWithIcon(lang.L("Build PDF"), theme.DocumentCreateIcon(), r.startBuild)
	r.buildButton.Importance = widget.HighImportance
	r.progress = widget.NewProgressBarInfinite()
	r.progress.Stop()
	r.progress.Hide()
	r.summary = widget.NewLabel("")
	r.summary.Wrapping = fyne.TextWrapWord
	r.fingerprint = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	r.fingerprint.Wrapping = fyne.TextWrapBreak
	r.saveButton = widget.NewButtonWithIcon(lang.L("Save…"), theme.DocumentSaveIcon(), r.save)
	r.openButton = widget.NewButtonWithIcon(lang.L("Open"), theme.FileIcon(), r.open)
	r.printButton = widget.NewButtonWithIcon(lang.L("Print"), theme.DocumentPrintIcon(), r.print)
	r.saveButton.Disable()
	r.openButton.Disable()
	r.printButton.Disable()
	r.status = widget.NewLabel("")
	r.status.Wrapping = fyne.TextWrapWord

	r.kindSelect.SetSelectedIndex(0)

	kindRow := container.New(layout.NewFormLayout(), widget.NewLabel(lang.L("Report")), r.kindSelect)
	actions := container.NewHBox(r.buildButton, r.printButton, r.saveButton, r.openButton)
	result := container.NewVBox(r.progress, r.summary, r.fingerprint, r.status)
	r.body = container.NewVBox(
		kindRow,
		r.about,
		widget.NewSeparator(),
		r.form,
		r.problem,
		actions,
		result,
	)
	return container.NewVScroll(container.NewPadded(r.body))
}

// relayout lays the page out again after the form or the result changed
// size.
func (r *reportsScreen) relayout() {
	if r.body != nil {
		r.body.Refresh()
	}
}

// dateEntry is an entry for a date, holding d.
func dateEntry(d core.Date) *formEntry {
	e := newFormEntry()
	e.SetPlaceHolder("YYYY-MM-DD")
	if d != (core.Date{}) {
		e.SetText(d.String())
	}
	return e
}

// setKind shows the form of kind k: only the filters it takes.
func (r *reportsScreen) setKind(k core.ReportKind) {
	r.kind = k
	r.about.SetText(reportAbout(k))
	r.fillDoors(k)
	if k == core.ReportDoorLog {
		r.person.SetPlaceHolder(lang.L("Type a name, then pick"))
	} else {
		r.person.SetPlaceHolder(lang.L("a name; empty for everyone"))
	}
	var objs []fyne.CanvasObject
	for _, f := range reportFields[k] {
		if f == fieldSite && r.site == nil {
			continue
		}
		objs = append(objs, widget.NewLabel(f.label()), r.fieldWidget(f))
	}
	objs = append(objs, widget.NewLabel(lang.L("Paper")), r.paper)
	r.form.Objects = objs
	r.form.Refresh()
	r.problem.Hide()
	r.relayout()
}

func (r *reportsScreen) fieldWidget(f reportField) fyne.CanvasObject {
	switch f {
	case fieldFrom:
		return withCalendar(r.from, r.s.engine.Now)
	case fieldTo:
		return withCalendar(r.to, r.s.engine.Now)
	case fieldAt:
		return withCalendar(r.at, r.s.engine.Now)
	case fieldPerson:
		return r.person.box
	case fieldDepartment:
		return r.department.box
	case fieldSite:
		return r.site.sel
	}
	return r.door
}

// fillDoors offers the doors of kind k's report: for the door log, those
// whose log the actor may see; for the access list, every door.
func (r *reportsScreen) fillDoors(k core.ReportKind) {
	var doors []core.Door
	switch k {
	case core.ReportDoorLog:
		doors = logDoors(r.s)
	case core.ReportAccess:
		doors = r.s.engine.Doors(r.s.actor)
	default:
		return
	}
	all := lang.L("All doors")
	if k == core.ReportDoorLog {
		all = lang.L("Any door (choose a person)")
	}
	options, ids := doorOptions(doors, all)
	keep := r.door.Selected
	r.doorIDs = ids
	r.door.SetOptions(options)
	if _, ok := ids[keep]; ok {
		r.door.SetSelected(keep)
	} else {
		r.door.SetSelectedIndex(0)
	}
}

// doorOptions returns a select's options for doors, after first (no door),
// and the door id of each option.
func doorOptions(doors []core.Door, first string) ([]string, map[string]string) {
	options := []string{first}
	ids := map[string]string{first: ""}
	for _, d := range doors {
		o := doorLabel(d)
		options = append(options, o)
		ids[o] = d.ID
	}
	return options, ids
}

// doorLabel names a door for a select: "Main entrance (main)".
func doorLabel(d core.Door) string {
	if d.Name == "" || d.Name == d.ID {
		return d.ID
	}
	return fmt.Sprintf("%s (%s)", d.Name, d.ID)
}

// query reads the form. Its error names the field, for the form.
func (r *reportsScreen) query() (core.ReportQuery, error) {
	q := core.ReportQuery{Kind: r.kind}
	loc := r.s.engine.Location()
	for _, f := range reportFields[r.kind] {
		var err error
		switch f {
		case fieldFrom:
			q.From, err = parseDay(r.from.Text)
		case fieldTo:
			q.To, err = parseDay(r.to.Text)
		case fieldAt:
			q.At, err = parseLocalTime(r.at.Text, loc)
		case fieldPerson:
			q.Person, err = r.person.value("")
		case fieldDepartment:
			q.Department, err = r.department.value("")
		case fieldDoor:
			q.Door = r.doorIDs[r.door.Selected]
		case fieldSite:
			q.Site = r.site.site()
		}
		if err != nil {
			return q, fmt.Errorf("%s: %w", f.label(), err)
		}
	}
	return q, nil
}

// parseDay reads a date; empty is the zero Date.
func parseDay(s string) (core.Date, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return core.Date{}, nil
	}
	d, err := core.ParseDate(s)
	if err != nil {
		return d, errors.New(lang.L("write the date as YYYY-MM-DD, such as 2026-11-24"))
	}
	return d, nil
}

// parseLocalTime reads "2026-11-24 09:30" (or with a T), or a date alone
// for its start, in loc, as core.ParseTime does; empty is the zero time.
func parseLocalTime(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := core.ParseTime(s, loc)
	if err != nil {
		return time.Time{}, errors.New(lang.L("write a date and time, such as 2026-11-24 09:30"))
	}
	return t, nil
}

// startBuild builds the report of the form in a goroutine.
func (r *reportsScreen) startBuild() {
	if r.building {
		return
	}
	q, err := r.query()
	if err != nil {
		r.showProblem(errorText(err))
		return
	}
	paper := r.paper.Selected
	r.problem.Hide()
	r.relayout()
	r.building = true
	r.built = nil
	r.buildButton.Disable()
	r.saveButton.Disable()
	r.openButton.Disable()
	r.printButton.Disable()
	r.summary.SetText(fmt.Sprintf(lang.L("Building the %s…"), strings.ToLower(lang.L(q.Kind.Title()))))
	r.fingerprint.SetText("")
	r.status.SetText("")
	r.progress.Show()
	r.progress.Start()
	r.relayout()
	engine, actor := r.s.engine, r.s.actor
	go func() {
		rep, err := engine.Report(actor, q)
		var buf bytes.Buffer
		if err == nil {
			err = report.Write(&buf, rep, r.s.printOptions(paper))
		}
		r.do(func() { r.finish(q, rep, buf.Bytes(), err) })
	}()
}

// finish shows the outcome of a build.
func (r *reportsScreen) finish(q core.ReportQuery, rep core.Report, pdf []byte, err error) {
	r.building = false
	r.progress.Stop()
	r.progress.Hide()
	r.buildButton.Enable()
	r.relayout()
	if err != nil {
		r.summary.SetText("")
		switch {
		case errors.Is(err, core.ErrInvalid), errors.Is(err, core.ErrNotFound):
			r.showProblem(reportProblem(err))
		default:
			r.showProblem(lang.L("The report could not be built."))
			r.s.fail(lang.L("Build the report"), err)
		}
		return
	}
	r.built = &builtReport{report: rep, pdf: pdf, pages: pdfPages(pdf), name: reportFileName(q, rep, r.s.engine.Location())}
	pages := lang.L("1 page")
	if r.built.pages != 1 {
		pages = fmt.Sprintf(lang.L("%d pages"), r.built.pages)
	}
	what := lang.L(rep.Kind.Title()) + ", " + rep.Period
	if rep.Filter != "" {
		what += ", " + rep.Filter
	}
	r.summary.SetText(fmt.Sprintf(lang.L("%s: %s, %d KB."), what, pages, (len(pdf)+1023)/1024))
	r.fingerprint.SetText(fmt.Sprintf(lang.L("Fingerprint %s"), rep.Fingerprint))
	r.saveButton.Enable()
	r.openButton.Enable()
	r.printButton.Enable()
	r.relayout()
}

func (r *reportsScreen) showProblem(text string) {
	r.problem.SetText(text)
	r.problem.Show()
	r.relayout()
}

// Words of core's report errors that mean something else on the form.
var (
	reportFlag = regexp.MustCompile(`--([a-z]+)`)
	// reportSentinel is the sentinel error's text before the message.
	reportSentinel = regexp.MustCompile(`^(invalid|not found|conflict): `)
)

// reportProblem rewords an error of core's report builder for the form:
// it names the form's fields rather than the command line's options, and
// the reports by their titles.
func reportProblem(err error) string {
	msg := reportSentinel.ReplaceAllString(errorText(err), "")
	msg = reportFlag.ReplaceAllStringFunc(msg, func(flag string) string {
		return `"` + reportField(strings.TrimPrefix(flag, "--")).label() + `"`
	})
	for _, k := range core.ReportKinds {
		msg = strings.ReplaceAll(msg, string(k)+" report", strings.ToLower(lang.L(k.Title()))+" report")
	}
	if msg == "" {
		return msg
	}
	msg = strings.ToUpper(msg[:1]) + msg[1:]
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// pdfPage matches a page object of a PDF (and not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// pdfPages counts the pages of a PDF written by gofpdf, whose page objects
// are never compressed.
func pdfPages(pdf []byte) int { return len(pdfPage.FindAll(pdf, -1)) }

// reportFileName is a report's default file name: its kind, what it is
// restricted to, and its period, "timesheet-2026-11-01-2026-11-30.pdf".
func reportFileName(q core.ReportQuery, rep core.Report, loc *time.Location) string {
	parts := []string{string(q.Kind)}
	for _, id := range []string{q.Door, q.Person, q.Department} {
		if id != "" {
			parts = append(parts, id)
		}
	}
	switch {
	case q.From != (core.Date{}):
		parts = append(parts, q.From.String(), q.To.String())
	case !q.At.IsZero():
		parts = append(parts, q.At.In(loc).Format("2006-01-02-1504"))
	case q.Kind == core.ReportAccess:
		parts = append(parts, rep.Generated.In(loc).Format("2006-01-02"))
	default:
		parts = append(parts, rep.Generated.In(loc).Format("2006-01-02-1504"))
	}
	name := strings.Join(parts, "-")
	safe := strings.Map(func(c rune) rune {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
			return c
		}
		return '_'
	}, name)
	return safe + ".pdf"
}

// save asks where to save the PDF.
func (r *reportsScreen) save() {
	if r.built == nil || r.s.window == nil {
		return
	}
	built := r.built
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			r.s.fail(lang.L("Save the report"), err)
			return
		}
		if w == nil {
			return // cancelled
		}
		if err := writeReport(w, built.pdf); err != nil {
			r.s.fail(lang.L("Save the report"), err)
			return
		}
		r.status.SetText(fmt.Sprintf(lang.L("Saved to %s"), w.URI().Path()))
		r.relayout()
	}, r.s.window)
	d.SetFileName(built.name)
	d.Resize(fyne.NewSize(800, 560))
	d.Show()
}

// writeReport writes pdf to w and closes it.
func writeReport(w io.WriteCloser, pdf []byte) error {
	_, err := w.Write(pdf)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// open writes the PDF to the user's cache folder and opens it in the
// desktop's viewer.
func (r *reportsScreen) open() {
	path, ok := r.cached(lang.L("Open the report"))
	if !ok {
		return
	}
	if err := openPath(r.openURL, path); err != nil {
		r.s.fail(lang.L("Open the report"), err)
		return
	}
	r.status.SetText(fmt.Sprintf(lang.L("Opened %s"), path))
	r.relayout()
}

// print sends the PDF to the printer chosen in the preferences (the
// system's default one unless another is chosen), through CUPS.
func (r *reportsScreen) print() {
	path, ok := r.cached(lang.L("Print the report"))
	if !ok {
		return
	}
	r.printButton.Disable()
	printer := fyne.CurrentApp().Preferences().String(prefPrinter)
	go func() {
		used, job, err := r.printer.print(path, printer)
		r.do(func() {
			r.printButton.Enable()
			if err != nil {
				r.status.SetText(fmt.Sprintf(lang.L("Not printed: %v. Save it or open it to print it from elsewhere."), err))
			} else {
				r.status.SetText(printedWords(used, job))
			}
			r.relayout()
		})
	}()
}

// cached writes the built report to the cache folder for what (an
// action, for its failure) and returns its path; false when there is no
// report or it could not be written (the failure is shown).
func (r *reportsScreen) cached(what string) (string, bool) {
	if r.built == nil {
		return "", false
	}
	path, err := r.writeCached(r.built)
	if err != nil {
		r.s.fail(what, err)
		return "", false
	}
	return path, true
}

// writeCached writes b to the cache folder of reports and returns its path.
func (r *reportsScreen) writeCached(b *builtReport) (string, error) {
	base, err := r.cacheDir()
	if err != nil {
		return "", err
	}
	return writeFileInto(filepath.Join(base, "frontdesk", "reports"), b.name, func(w io.Writer) error {
		_, err := w.Write(b.pdf)
		return err
	})
}
