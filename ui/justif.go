package ui

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
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

// justificationsPage lists the justifications of absences and lateness,
// for whoever may see them (the engine hides reasons and files from those
// without justif.view).
func justificationsPage() page {
	return page{
		id:    "justifications",
		title: lang.L("Justifications"),
		needs: []core.Permission{core.PermJustifView, core.PermJustifEdit, core.PermAttendanceView},
		build: func(s *session) fyne.CanvasObject { return newJustifScreen(s).build() },
	}
}

// justifScreen is the list of justifications with the selected one's
// details, state and files beside it.
type justifScreen struct {
	s *session
	// do runs a function on the UI thread (fyne.Do; tests queue it).
	do func(func())
	// openURL opens a file in the desktop's viewer (the app's OpenURL).
	openURL func(*url.URL) error

	filter *widget.Select
	who    *attPicker
	newBtn *widget.Button
	status *widget.Label
	saved  *widget.Label // "Saved …" after the form saved
	table  *widget.Table

	all      []core.Justification // as read, for the person chosen
	rows     []core.Justification // filtered and ordered
	names    map[string]string
	selected string // the id of the justification shown beside
	gen      int
	busy     bool

	detail      *fyne.Container
	dName       *widget.Label
	dPeriod     *widget.Label
	dState      *widget.Label
	dReason     *widget.Label
	dDeposit    *widget.Label
	stateBox    *fyne.Container
	stateBtns   map[core.JustifState]*widget.Button
	editBtn     *widget.Button
	deleteBtn   *widget.Button
	attachBtn   *widget.Button
	files       *fyne.Container
	fileRows    []*justifFileRow
	fileProblem *widget.Label

	form *justifForm
	// side holds the form and the details; it is laid out again when
	// they show or hide.
	side       *fyne.Container
	sideScroll *container.Scroll
}

// justifFileRow is one line of the file trace with its actions.
type justifFileRow struct {
	file  core.JustifFile
	name  *widget.Label
	trace *widget.Label
	open  *widget.Button
	del   *widget.Button
}

// Columns of the list that tests read.
const (
	justifColState  = 3
	justifColFiles  = 4
	justifColReason = 5
)

// Filter choices: every justification with the pending ones first, or
// one state.
const justifAllPendingFirst = 0

func newJustifScreen(s *session) *justifScreen {
	x := &justifScreen{s: s, do: s.onUI, names: map[string]string{}}
	x.openURL = func(u *url.URL) error {
		if a := fyne.CurrentApp(); a != nil {
			return a.OpenURL(u)
		}
		return errors.New("no app to open files with")
	}
	return x
}

// async runs job off the UI thread, then what it returns on the UI thread.
func (x *justifScreen) async(job func() func()) {
	do := x.do
	go func() { do(job()) }()
}

func (x *justifScreen) build() fyne.CanvasObject {
	s := x.s
	options := []string{lang.L("All, pending first")}
	for _, st := range core.JustifStates {
		text, _ := justifStateStyle(st)
		options = append(options, text)
	}
	x.filter = newSelect(options, nil)
	x.filter.SetSelectedIndex(justifAllPendingFirst)
	x.filter.OnChanged = func(string) { x.applyFilter() }
	x.who = newAttPicker(s, x.async, lang.L("Everyone"), x.load)
	x.newBtn = widget.NewButtonWithIcon(lang.L("New…"), theme.ContentAddIcon(), func() { x.form.open(nil) })
	if !s.can(core.PermJustifEdit) {
		x.newBtn.Hide()
	}
	x.status = widget.NewLabel("")
	x.status.Wrapping = fyne.TextWrapWord
	x.table = newAttTable([]attColumn{
		{lang.L("Person"), 150}, {lang.L("From"), 135}, {lang.L("To"), 135}, {lang.L("State"), 85},
		{lang.L("Files"), 50}, {lang.L("Reason"), 240},
	}, func() int { return len(x.rows) }, x.cell)
	x.table.OnSelected = func(id widget.TableCellID) {
		if id.Row >= 0 && id.Row < len(x.rows) {
			x.show(x.rows[id.Row].ID)
		}
	}

	x.buildDetail()
	x.form = newJustifForm(x)
	// Two rows, to fit a small screen in every language.
	bar := container.NewVBox(
		container.NewHBox(widget.NewLabel(lang.L("State")), attSized(wholeChoices(x.filter, 0), 170),
			layout.NewSpacer(), x.newBtn),
		container.NewHBox(widget.NewLabel(lang.L("Person")), x.who.build()),
	)
	x.side = container.NewVBox(x.form.box, x.detail)
	x.sideScroll = container.NewVScroll(container.NewPadded(x.side))
	split := container.NewHSplit(x.table, x.sideScroll)
	split.Offset = 0.64
	x.load()
	x.saved = newSavedNote()
	return borderInTabOrder(container.NewVBox(bar, x.status, x.saved), nil, nil, nil, split)
}

// buildDetail makes the panel of the selected justification.
func (x *justifScreen) buildDetail() {
	s := x.s
	x.dName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	x.dName.SizeName = theme.SizeNameSubHeadingText
	x.dPeriod = widget.NewLabel("")
	x.dState = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	x.dReason = widget.NewLabel("")
	x.dReason.Wrapping = fyne.TextWrapWord
	x.dDeposit = widget.NewLabel("")
	x.dDeposit.SizeName = theme.SizeNameCaptionText
	x.dDeposit.Wrapping = fyne.TextWrapWord

	x.stateBtns = map[core.JustifState]*widget.Button{}
	x.stateBox = container.NewHBox()
	if s.can(core.PermJustifValidate) {
		for _, st := range []core.JustifState{core.JustifValid, core.JustifInvalid, core.JustifPending, core.JustifModified} {
			text, imp := justifStateStyle(st)
			b := widget.NewButton(text, func() { x.setState(st) })
			if imp == widget.SuccessImportance || imp == widget.DangerImportance {
				b.Importance = imp
			}
			x.stateBtns[st] = b
			x.stateBox.Add(b)
		}
	} else {
		x.stateBox.Hide()
	}

	x.editBtn = widget.NewButtonWithIcon(lang.L("Edit…"), theme.DocumentCreateIcon(), func() {
		if j, ok := x.current(); ok {
			x.form.open(&j)
		}
	})
	x.deleteBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), x.confirmDelete)
	x.attachBtn = widget.NewButtonWithIcon(lang.L("Attach file…"), theme.FileIcon(), x.chooseFile)
	actions := container.NewHBox(x.editBtn, x.deleteBtn, x.attachBtn)
	if !s.can(core.PermJustifEdit) {
		actions.Hide()
	}
	x.files = container.NewVBox()
	x.fileProblem = problemLabel()
	x.detail = container.NewVBox(
		x.dName, x.dPeriod, x.dState, x.stateBox, x.dReason, x.dDeposit, actions,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Files"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		x.fileProblem, x.files,
	)
	x.detail.Hide()
}

// justifStateStyle gives a state in words and colour.
func justifStateStyle(st core.JustifState) (string, widget.Importance) {
	switch st {
	case core.JustifPending:
		return lang.L("Pending"), widget.WarningImportance
	case core.JustifValid:
		return lang.L("Valid"), widget.SuccessImportance
	case core.JustifInvalid:
		return lang.L("Invalid"), widget.DangerImportance
	case core.JustifModified:
		return lang.L("Modified"), widget.HighImportance
	}
	return string(st), widget.MediumImportance
}

// load reads the justifications of the person chosen, or everyone's, off
// the UI thread.
func (x *justifScreen) load() {
	s := x.s
	person := x.who.id
	x.gen++
	gen := x.gen
	x.busy = true
	x.async(func() func() {
		js, err := s.engine.Justifications(s.actor, person, time.Time{}, time.Time{})
		var names map[string]string
		if err == nil {
			ids := make([]string, 0, len(js))
			for _, j := range js {
				ids = append(ids, j.Person)
			}
			names, err = s.engine.AttendanceNames(s.actor, ids)
		}
		return func() {
			if gen != x.gen {
				return
			}
			x.busy = false
			if err != nil {
				s.fail(lang.L("Read the justifications"), err)
				return
			}
			x.all, x.names = js, names
			x.applyFilter()
		}
	})
}

// applyFilter shows the justifications of the state chosen, in order:
// the pending ones first when all are shown, then the latest first.
func (x *justifScreen) applyFilter() {
	mode := x.filter.SelectedIndex()
	rows := make([]core.Justification, 0, len(x.all))
	for _, j := range x.all {
		if mode <= justifAllPendingFirst || j.State == core.JustifStates[mode-1] {
			rows = append(rows, j)
		}
	}
	slices.SortStableFunc(rows, func(a, b core.Justification) int {
		if mode <= justifAllPendingFirst {
			ap, bp := a.State == core.JustifPending, b.State == core.JustifPending
			switch {
			case ap && !bp:
				return -1
			case bp && !ap:
				return 1
			}
		}
		if c := b.From.Compare(a.From); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	x.rows = rows
	x.table.UnselectAll()
	x.table.Refresh()
	pending := 0
	for _, j := range x.all {
		if j.State == core.JustifPending {
			pending++
		}
	}
	x.status.SetText(fmt.Sprintf(lang.L("%d justifications shown, %d pending in all"), len(rows), pending))
	// The one shown beside stays, with what was read of it.
	if j, ok := x.current(); ok {
		x.showDetail(j)
		if i := slices.IndexFunc(rows, func(r core.Justification) bool { return r.ID == j.ID }); i >= 0 {
			x.table.Select(widget.TableCellID{Row: i, Col: 0})
		}
	} else {
		x.selected = ""
		x.detail.Hide()
		x.relayout()
	}
}

// relayout lays the side panel out again after a part of it showed, hid
// or changed size.
func (x *justifScreen) relayout() {
	if x.side != nil {
		x.side.Refresh()
		x.sideScroll.Refresh()
	}
}

func (x *justifScreen) name(person string) string { return attOr(x.names[person], person) }

func (x *justifScreen) cell(row, col int) attCell {
	if row >= len(x.rows) {
		return attCell{}
	}
	j := x.rows[row]
	loc := x.s.engine.Location()
	switch col {
	case 0:
		return attCell{text: x.name(j.Person), bold: true}
	case 1:
		return attCell{text: attStartText(j.From, loc)}
	case 2:
		return attCell{text: attEndText(j.Until, loc)}
	case 3:
		text, imp := justifStateStyle(j.State)
		return attCell{text: text, imp: imp}
	case justifColReason:
		if j.Reason == "" && j.Withheld {
			return attCell{text: "—", imp: widget.LowImportance}
		}
		return attCell{text: strings.ReplaceAll(j.Reason, "\n", " ")}
	case justifColFiles:
		n := 0
		for _, f := range j.Files {
			if !f.Deleted() {
				n++
			}
		}
		return attCell{text: fmt.Sprint(n)}
	}
	return attCell{}
}

// current returns the justification shown beside, as last read.
func (x *justifScreen) current() (core.Justification, bool) {
	i := slices.IndexFunc(x.all, func(j core.Justification) bool { return j.ID == x.selected })
	if x.selected == "" || i < 0 {
		return core.Justification{}, false
	}
	return x.all[i], true
}

// show shows justification id beside the list.
func (x *justifScreen) show(id string) {
	x.selected = id
	x.fileProblem.Hide()
	if j, ok := x.current(); ok {
		x.showDetail(j)
	}
}

// showDetail fills the panel with j.
func (x *justifScreen) showDetail(j core.Justification) {
	s := x.s
	loc := s.engine.Location()
	x.dName.SetText(x.name(j.Person))
	x.dPeriod.SetText(fmt.Sprintf(lang.L("From %s to %s"), attStartText(j.From, loc), attEndText(j.Until, loc)))
	text, imp := justifStateStyle(j.State)
	x.dState.Importance = imp
	x.dState.SetText(text)
	reasonHidden := j.Reason == "" && j.Withheld
	switch {
	case reasonHidden:
		x.dReason.Importance = widget.LowImportance
		x.dReason.SetText(lang.L("The reason is seen only by whoever deposited it and by holders of justif.view."))
	case j.Reason == "":
		x.dReason.Importance = widget.LowImportance
		x.dReason.SetText(lang.L("No reason given."))
	default:
		x.dReason.Importance = widget.MediumImportance
		x.dReason.SetText(j.Reason)
	}
	x.dDeposit.SetText(fmt.Sprintf(lang.L("Deposited by %s at %s (%s)"), actorName(j.DepositedBy), j.DepositedAt.In(loc).Format(attTimeLayout), j.ID))
	for st, b := range x.stateBtns {
		if st == j.State {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	// Saving the form would erase a reason the actor cannot see.
	if reasonHidden {
		x.editBtn.Disable()
	} else {
		x.editBtn.Enable()
	}
	x.showFiles(j)
	x.detail.Show()
	x.relayout()
}

// showFiles lists j's file trace, deleted files included.
func (x *justifScreen) showFiles(j core.Justification) {
	loc := x.s.engine.Location()
	x.files.RemoveAll()
	x.fileRows = x.fileRows[:0]
	if len(j.Files) == 0 {
		none := lang.L("No files.")
		if j.Withheld {
			none = lang.L("No files you may see.")
		}
		l := widget.NewLabel(none)
		l.Importance = widget.LowImportance
		x.files.Add(l)
	}
	for _, f := range j.Files {
		r := &justifFileRow{file: f}
		r.name = widget.NewLabelWithStyle(f.Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		r.name.Truncation = fyne.TextTruncateEllipsis
		trace := fmt.Sprintf(lang.L("%s, deposited at %s by %s"), attSize(f.Size), f.DepositedAt.In(loc).Format(attTimeLayout), actorName(f.DepositedBy))
		if f.Deleted() {
			trace += "\n" + fmt.Sprintf(lang.L("Deleted at %s by %s"), f.DeletedAt.In(loc).Format(attTimeLayout), f.DeletedBy)
		}
		r.trace = widget.NewLabel(trace)
		r.trace.SizeName = theme.SizeNameCaptionText
		r.trace.Wrapping = fyne.TextWrapWord
		fid := f.ID
		r.open = widget.NewButtonWithIcon(lang.L("Open file"), theme.FileApplicationIcon(), func() { x.openFile(fid) })
		r.del = widget.NewButtonWithIcon(lang.L("Delete file"), theme.DeleteIcon(), func() { x.confirmDeleteFile(fid) })
		if f.Deleted() {
			r.name.Importance = widget.LowImportance
			r.trace.Importance = widget.LowImportance
			r.open.Hide()
			r.del.Hide()
		}
		if !x.s.can(core.PermJustifEdit) {
			r.del.Hide()
		}
		x.fileRows = append(x.fileRows, r)
		x.files.Add(container.NewVBox(
			container.NewBorder(nil, nil, nil, container.NewHBox(r.open, r.del), r.name),
			r.trace))
	}
	x.files.Refresh()
}

// attSize writes a file size for people.
func attSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf(lang.L("%d bytes"), n)
}

// setState changes the state of the justification shown.
func (x *justifScreen) setState(st core.JustifState) {
	j, ok := x.current()
	if !ok {
		return
	}
	if _, err := x.s.engine.SetJustificationState(x.s.actor, j.ID, st); err != nil {
		x.s.fail(lang.L("Change the state of the justification"), err)
		return
	}
	x.load()
}

// confirmDelete asks before deleting the justification shown.
func (x *justifScreen) confirmDelete() {
	j, ok := x.current()
	if !ok {
		return
	}
	if x.s.window == nil {
		x.deleteJustif(j.ID)
		return
	}
	msg := fmt.Sprintf(lang.L("Delete this justification of %s and its files? The audit trail keeps a trace."), x.name(j.Person))
	dialog.ShowConfirm(lang.L("Delete justification"), msg, func(ok bool) {
		if ok {
			x.deleteJustif(j.ID)
		}
	}, x.s.window)
}

func (x *justifScreen) deleteJustif(id string) {
	if _, err := x.s.engine.DeleteJustification(x.s.actor, id); err != nil {
		x.s.fail(lang.L("Delete the justification"), err)
		return
	}
	x.selected = ""
	x.form.close()
	x.load()
}

// chooseFile asks for a file to attach to the justification shown.
func (x *justifScreen) chooseFile() {
	if _, ok := x.current(); !ok || x.s.window == nil {
		return
	}
	dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			x.s.fail(lang.L("Choose a file"), err)
			return
		}
		if r == nil {
			return // cancelled
		}
		defer r.Close()
		name := r.URI().Name()
		if r.URI().Scheme() == "file" {
			if st, err := os.Stat(r.URI().Path()); err == nil {
				if err := core.CheckJustifFileSize(name, st.Size()); err != nil {
					attShowProblem(x.fileProblem, err)
					return
				}
			}
		}
		data, err := io.ReadAll(io.LimitReader(r, core.MaxJustifFileSize+1))
		if err != nil {
			x.s.fail(fmt.Sprintf(lang.L("Read the file %s"), name), err)
			return
		}
		if len(data) > core.MaxJustifFileSize {
			attShowProblem(x.fileProblem, fmt.Errorf(lang.L("File %s is larger than the %d MB allowed"), name, core.MaxJustifFileSize>>20))
			return
		}
		x.attachFile(name, data)
	}, x.s.window)
}

// attachFile attaches data as file name to the justification shown. The
// file dialog calls it; a file too large or empty is refused in words
// under the files.
func (x *justifScreen) attachFile(name string, data []byte) {
	j, ok := x.current()
	if !ok {
		return
	}
	if err := core.CheckJustifFileSize(name, int64(len(data))); err != nil {
		attShowProblem(x.fileProblem, err)
		x.relayout()
		return
	}
	if _, err := x.s.engine.AttachFile(x.s.actor, j.ID, name, data); err != nil {
		if errors.Is(err, core.ErrInvalid) {
			attShowProblem(x.fileProblem, err)
			return
		}
		x.s.fail(fmt.Sprintf(lang.L("Attach the file %s"), name), err)
		return
	}
	x.fileProblem.Hide()
	x.load()
}

// openFile writes file fid of the justification shown to a temporary file
// and opens it in the desktop's viewer.
func (x *justifScreen) openFile(fid string) {
	j, ok := x.current()
	if !ok {
		return
	}
	data, f, err := x.s.engine.FileContent(x.s.actor, j.ID, fid)
	if err != nil {
		x.s.fail(lang.L("Open the file"), err)
		return
	}
	dir, err := cacheFolder("files")
	if err == nil {
		var path string
		path, err = writeFileInto(dir, f.ServerName, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		})
		if err == nil {
			err = openPath(x.openURL, path)
		}
	}
	if err != nil {
		x.s.fail(lang.L("Open the file"), err)
	}
}

// confirmDeleteFile asks before deleting file fid's content.
func (x *justifScreen) confirmDeleteFile(fid string) {
	if x.s.window == nil {
		x.deleteFile(fid)
		return
	}
	dialog.ShowConfirm(lang.L("Delete file"), lang.L("Delete this file? Its trace stays: who deposited it and when, who deleted it and when."),
		func(ok bool) {
			if ok {
				x.deleteFile(fid)
			}
		}, x.s.window)
}

func (x *justifScreen) deleteFile(fid string) {
	j, ok := x.current()
	if !ok {
		return
	}
	if _, err := x.s.engine.DeleteFile(x.s.actor, j.ID, fid); err != nil {
		x.s.fail(lang.L("Delete the file"), err)
		return
	}
	x.load()
}

// justifForm creates a justification or changes its period and reason,
// above the details; its mistakes show under its fields.
type justifForm struct {
	x       *justifScreen
	editing string // the justification's id; "" for a new one

	title   *widget.Label
	who     *attPicker
	from    *formEntry
	to      *formEntry
	reason  *formEntry
	problem *widget.Label
	spots   *problemSpots
	save    *widget.Button
	cancel  *widget.Button
	box     *fyne.Container
	whoBox  fyne.CanvasObject
}

func newJustifForm(x *justifScreen) *justifForm {
	f := &justifForm{x: x}
	f.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	f.who = newAttPicker(x.s, x.async, lang.L("Choose a person"), nil)
	f.whoBox = f.who.build()
	f.from = newFormEntry()
	f.from.SetPlaceHolder("2026-11-24 09:00")
	f.to = newFormEntry()
	f.to.SetPlaceHolder("2026-11-25")
	f.reason = newMultiLineFormEntry()
	f.reason.SetMinRowsVisible(3)
	f.reason.Wrapping = fyne.TextWrapWord
	f.problem = problemLabel()
	f.save = widget.NewButtonWithIcon(lang.L("Save"), theme.ConfirmIcon(), f.submit)
	f.save.Importance = widget.HighImportance
	f.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), f.close)
	f.spots = newProblemSpots(f.problem)
	form := widget.NewForm(
		f.spots.item(lang.L("Person"), f.whoBox, "person"),
		f.spots.item(lang.L("From"), withCalendar(f.from, x.s.engine.Now), "from"),
		f.spots.item(lang.L("To"), withCalendar(f.to, x.s.engine.Now), "until"),
		f.spots.item(lang.L("Reason"), f.reason, "reason"),
	)
	f.box = container.NewVBox(f.title, form, f.problem,
		container.NewHBox(layout.NewSpacer(), f.cancel, f.save), widget.NewSeparator())
	f.box.Hide()
	x.s.formKeys(f.box, f.submit, f.close, f.from, f.to)
	return f
}

// open shows the form empty, or filled with j to change it.
func (f *justifForm) open(j *core.Justification) {
	loc := f.x.s.engine.Location()
	f.spots.clear()
	if f.x.saved != nil {
		f.x.saved.Hide()
	}
	if j == nil {
		f.editing = ""
		f.title.SetText(lang.L("New justification"))
		f.who.set(core.PersonRef{ID: f.x.who.id, Name: f.x.who.name})
		f.who.choose.Enable()
		f.from.SetText("")
		f.to.SetText("")
		f.reason.SetText("")
	} else {
		f.editing = j.ID
		f.title.SetText(fmt.Sprintf(lang.L("Justification %s"), j.ID))
		f.who.set(core.PersonRef{ID: j.Person, Name: f.x.name(j.Person)})
		// A justification stays with its person.
		f.who.choose.Disable()
		f.who.clear.Disable()
		f.from.SetText(attStartText(j.From, loc))
		f.to.SetText(attEndText(j.Until, loc))
		f.reason.SetText(j.Reason)
	}
	f.box.Show()
	f.x.relayout()
}

func (f *justifForm) close() {
	f.editing = ""
	f.spots.clear()
	f.box.Hide()
	f.x.relayout()
}

// justification reads the fields; the error names the field at fault. A
// date alone means that day's start as From and its end as To, so
// "2026-11-23" to "2026-11-24" covers both days.
func (f *justifForm) justification() (core.Justification, error) {
	loc := f.x.s.engine.Location()
	j := core.Justification{ID: f.editing, Person: f.who.id, Reason: strings.TrimSpace(f.reason.Text)}
	var err error
	j.From, j.Until, err = attSpan(j.Person, f.from.Text, f.to.Text, loc)
	return j, err
}

// submit saves the justification; a mistake shows under the fields.
func (f *justifForm) submit() {
	j, err := f.justification()
	s := f.x.s
	var saved core.Justification
	if err == nil {
		if f.editing == "" {
			saved, err = s.engine.AddJustification(s.actor, j)
		} else {
			saved, err = s.engine.UpdateJustification(s.actor, j)
		}
	}
	if err != nil {
		if !f.spots.show(err) {
			s.fail(lang.L("Save the justification"), err)
		}
		f.x.relayout()
		return
	}
	who := attOr(f.who.name, f.x.name(saved.Person))
	f.close()
	f.x.selected = saved.ID
	f.x.load()
	showSaved(f.x.saved, fmt.Sprintf(lang.L("the justification of %s"), who))
}
