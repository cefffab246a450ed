package ui

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// settingsPage is the site's settings, with backup and restore. The
// database belongs to the command that opened it, so the shell gives the
// page what copies it out and puts a copy back:
//   - backup writes a consistent copy of the database to w while it stays
//     in use (storage's Backup does it to a path, as `frontdesk backup`);
//   - restore replaces the database with the copy read from r; the shell
//     then reopens the site (and the window).
//
// Either may be nil where the command cannot do it: the page then says so.
func settingsPage(backup func(w io.Writer) error, restore func(r io.Reader) error) page {
	return page{id: "settings", title: lang.L("Site settings"),
		needs: []core.Permission{core.PermSettingsEdit, core.PermBackupRun},
		build: func(s *session) fyne.CanvasObject {
			x := newSettingsScreen(s)
			x.backup, x.restore = backup, restore
			return x.build()
		}}
}

// restoreWord() is what the admin types to confirm a restore.
func restoreWord() string { return lang.L("RESTORE") }

// settingsScreen edits the site settings (settings.edit), saved as a site
// file with only "site", and backs the database up or restores it
// (backup.run).
type settingsScreen struct {
	s *session
	// bar holds Save and the problems not under a field, under the
	// page's scroll.
	bar *fyne.Container
	// backup and restore are the shell's (see settingsPage).
	backup  func(w io.Writer) error
	restore func(r io.Reader) error
	// saveFile and openFile ask for the file to write or read
	// (dialog.ShowFileSave, dialog.ShowFileOpen); name is the file name
	// offered.
	saveFile func(name string, cb func(fyne.URIWriteCloser, error))
	openFile func(cb func(fyne.URIReadCloser, error))
	// do runs a function on the UI thread: fyne.Do; the backup runs in
	// its own goroutine.
	do func(func())

	name        *formEntry
	timezone    *searchPick
	dayCutoff   *formEntry
	dayStart    *formEntry
	noon        *formEntry
	dayEnd      *formEntry
	lateGrace   *formEntry
	debounce    *formEntry
	deskMode    *picker
	deskZone    *picker
	outsideZone *picker
	phonePrefix *formEntry
	payroll     payrollForm
	save        *widget.Button
	problem     *widget.Label
	spots       *problemSpots

	backupBtn  *widget.Button
	restoreBtn *widget.Button
	backupMsg  *widget.Label
}

func newSettingsScreen(s *session) *settingsScreen {
	x := &settingsScreen{s: s, do: s.onUI}
	x.saveFile = func(name string, cb func(fyne.URIWriteCloser, error)) {
		d := dialog.NewFileSave(cb, x.s.window)
		d.SetFileName(name)
		d.Show()
	}
	x.openFile = func(cb func(fyne.URIReadCloser, error)) { dialog.ShowFileOpen(cb, x.s.window) }
	return x
}

func (x *settingsScreen) build() fyne.CanvasObject {
	var parts []fyne.CanvasObject
	if x.s.can(core.PermSettingsEdit) {
		parts = append(parts, x.buildSettings())
	}
	if x.s.can(core.PermBackupRun) {
		if len(parts) > 0 {
			parts = append(parts, widget.NewSeparator())
		}
		parts = append(parts, x.buildBackup())
	}
	page := container.NewVScroll(container.NewPadded(container.NewVBox(parts...)))
	if x.bar == nil {
		return page
	}
	// Save, and what saving says, stay in sight under the form.
	return container.NewBorder(nil, container.NewPadded(x.bar), nil, nil, page)
}

func (x *settingsScreen) buildSettings() fyne.CanvasObject {
	entry := func(placeholder string) *formEntry {
		e := newFormEntry()
		e.SetPlaceHolder(placeholder)
		return e
	}
	x.name = entry("HQ")
	x.timezone = newSearchPick(zoneFinder(), lang.L("Type a city, such as Paris"))
	x.dayCutoff = entry("21:00")
	x.dayStart = entry("08:00")
	x.noon = entry("13:00")
	x.dayEnd = entry("18:00")
	x.lateGrace = entry("5m")
	x.debounce = entry("3s")
	x.deskMode = newPicker("")
	x.deskMode.plain = true
	x.deskMode.setItems([]string{string(core.DeskToggle), string(core.DeskCheckinOnly)},
		[]string{lang.L("A second tap checks out"), lang.L("Taps only check in")})
	x.deskZone = newPicker(lang.L("(no desk check-in)"))
	x.outsideZone = newPicker("")
	x.phonePrefix = entry(lang.L("from the time zone, such as +33"))
	x.problem = widget.NewLabel("")
	x.problem.Wrapping = fyne.TextWrapWord
	x.problem.Hide()
	x.save = widget.NewButtonWithIcon(lang.L("Save settings"), theme.DocumentSaveIcon(), x.saveSettings)
	x.save.Importance = widget.HighImportance

	form := newFormGrid()
	form.add(lang.L("Site name"), x.name)
	form.add(lang.L("Time zone"), x.timezone.box)
	form.add(lang.L("Close of the work day"), x.dayCutoff)
	form.add(lang.L("Day starts"), x.dayStart)
	form.add(lang.L("Noon"), x.noon)
	form.add(lang.L("Day ends"), x.dayEnd)
	form.add(lang.L("Late after"), x.lateGrace)
	form.add(lang.L("Ignore repeated taps for"), x.debounce)
	form.add(lang.L("Desk reader"), x.deskMode.Select)
	form.add(lang.L("Desk zone"), x.deskZone.Select)
	form.add(lang.L("Outside zone"), x.outsideZone.Select)
	form.add(lang.L("Phone prefix"), x.phonePrefix)
	for _, f := range []struct {
		w     fyne.CanvasObject
		field string
	}{
		{x.name, "name"}, {x.timezone.box, "timezone"}, {x.dayCutoff, "day_cutoff"}, {x.dayStart, "day_start"},
		{x.noon, "noon"}, {x.dayEnd, "day_end"}, {x.lateGrace, "late_grace"}, {x.debounce, "debounce"},
		{x.deskMode.Select, "desk_mode"}, {x.deskZone.Select, "desk_zone"}, {x.outsideZone.Select, "outside_zone"},
		{x.phonePrefix, "phone_prefix"},
	} {
		form.field(f.w, f.field)
	}
	x.payroll.build(form, x.s.engine.Now)
	x.spots = form.spots
	x.spots.rest = problemLabel()
	help := widget.NewLabel(lang.L("Times are HH:MM in the site's time zone; durations such as 5m or 3s. Whoever is still in at the close of the work day is checked out automatically; morning and afternoon split at noon."))
	help.Importance = widget.LowImportance
	help.Wrapping = fyne.TextWrapWord
	x.fill()
	title := widget.NewLabelWithStyle(lang.L("Site settings"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	box := container.NewVBox(title, form.box, help, payrollHelp())
	x.bar = container.NewVBox(x.spots.rest, x.problem, container.NewHBox(x.save))
	x.s.formKeys(box, x.saveSettings, x.fill, form.box)
	return box
}

// fill shows the stored settings.
func (x *settingsScreen) fill() {
	site := x.s.engine.Site()
	x.name.SetText(site.Name)
	x.timezone.setPicked(choice{id: site.Timezone})
	x.dayCutoff.SetText(site.DayCutoff.String())
	x.dayStart.SetText(site.DayStart.String())
	x.noon.SetText(site.Noon.String())
	x.dayEnd.SetText(site.DayEnd.String())
	x.lateGrace.SetText(site.LateGrace.String())
	x.debounce.SetText(site.Debounce.String())
	x.deskMode.setID(string(site.DeskMode))
	zones, err := x.s.engine.Zones(x.s.actor)
	if err != nil {
		x.s.fail(lang.L("Read zones"), err)
	}
	var work, workNames, other, otherNames []string
	for _, z := range zones {
		if z.Work {
			work, workNames = append(work, z.ID), append(workNames, z.Name)
		} else {
			other, otherNames = append(other, z.ID), append(otherNames, z.Name)
		}
	}
	x.deskZone.setItems(work, workNames)
	x.deskZone.setID(site.DeskZone)
	if site.OutsideZone != "" && !containsID(other, site.OutsideZone) {
		// The default "outside" needs no zone.
		other, otherNames = append(other, site.OutsideZone), append(otherNames, "")
	}
	x.outsideZone.setItems(other, otherNames)
	x.outsideZone.setID(site.OutsideZone)
	x.phonePrefix.SetText(site.PhonePrefix)
	x.payroll.fill(site)
}

func containsID(ids []string, id string) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// settings reads the form; the error holds every problem the form finds
// itself, each naming its field.
func (x *settingsScreen) settings() (*core.SiteSettings, error) {
	str := func(e *formEntry) *string {
		v := strings.TrimSpace(e.Text)
		return &v
	}
	var ps core.Problems
	timeOf := func(field string, e *formEntry) *core.TimeOfDay {
		t, err := core.ParseTimeOfDay(strings.TrimSpace(e.Text))
		if err != nil {
			ps = append(ps, fieldError(field, fmt.Sprintf(lang.L("'%s' is not a time such as 08:30"), strings.TrimSpace(e.Text))))
		}
		return &t
	}
	duration := func(field string, e *formEntry) *core.Duration {
		d, err := core.ParseDuration(strings.TrimSpace(e.Text))
		if err != nil {
			ps = append(ps, fieldError(field, fmt.Sprintf(lang.L("'%s' is not a duration such as 3s or 1m30s"), strings.TrimSpace(e.Text))))
		}
		return &d
	}
	tz, tzErr := x.timezone.value("timezone")
	if tzErr != nil {
		ps = append(ps, tzErr)
		tz = strings.TrimSpace(x.timezone.Text)
	}
	mode := core.DeskMode(x.deskMode.id())
	desk, outside := x.deskZone.id(), x.outsideZone.id()
	s := &core.SiteSettings{
		Name:        str(x.name),
		Timezone:    &tz,
		DayCutoff:   timeOf("day_cutoff", x.dayCutoff),
		DayStart:    timeOf("day_start", x.dayStart),
		Noon:        timeOf("noon", x.noon),
		DayEnd:      timeOf("day_end", x.dayEnd),
		LateGrace:   duration("late_grace", x.lateGrace),
		Debounce:    duration("debounce", x.debounce),
		DeskMode:    &mode,
		DeskZone:    &desk,
		OutsideZone: &outside,
		PhonePrefix: str(x.phonePrefix),
	}
	x.payroll.read(s, &ps)
	if len(ps) > 0 {
		// The engine is not asked: check what the form can itself, so
		// that every problem shows at once.
		if _, err := time.LoadLocation(*s.Timezone); tzErr == nil && (err != nil || *s.Timezone == "Local" || *s.Timezone == "") {
			ps = append(ps, &core.FieldError{Field: "timezone", Code: "bad_timezone", Args: map[string]string{"value": *s.Timezone},
				Err: core.ErrInvalid})
		}
		if err := core.CheckPhonePrefix(*s.PhonePrefix); err != nil {
			ps = append(ps, core.ProblemAt("phone_prefix", err))
		}
	}
	return s, ps.Err()
}

func (x *settingsScreen) saveSettings() {
	s, err := x.settings()
	if err == nil {
		err = x.s.engine.PutObject(x.s.actor, &core.SiteFile{Site: s})
	}
	if err != nil {
		x.problem.Hide()
		if !x.spots.show(err) {
			x.s.fail(lang.L("Save the settings"), err)
		}
		return
	}
	x.spots.clear()
	x.fill()
	x.showProblem(widget.SuccessImportance, lang.L("Settings saved."))
}

func (x *settingsScreen) showProblem(imp widget.Importance, text string) {
	x.problem.Importance = imp
	x.problem.SetText(text)
	x.problem.Show()
}

// --- backup and restore ---

func (x *settingsScreen) buildBackup() fyne.CanvasObject {
	x.backupBtn = widget.NewButtonWithIcon(lang.L("Back up now…"), theme.DownloadIcon(), x.startBackup)
	x.restoreBtn = widget.NewButtonWithIcon(lang.L("Restore a backup…"), theme.UploadIcon(), x.confirmRestore)
	x.restoreBtn.Importance = widget.DangerImportance
	x.backupMsg = widget.NewLabel("")
	x.backupMsg.Wrapping = fyne.TextWrapWord
	x.backupMsg.Hide()
	if x.backup == nil {
		x.backupBtn.Disable()
	}
	if x.restore == nil {
		x.restoreBtn.Disable()
	}
	help := widget.NewLabel(lang.L("A backup is a copy of the whole database (people, cards, events, accounts) taken while Frontdesk keeps running. Keep it on another disk."))
	help.Wrapping = fyne.TextWrapWord
	help.Importance = widget.LowImportance
	title := widget.NewLabelWithStyle(lang.L("Backup"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(title, help, container.NewHBox(x.backupBtn, x.restoreBtn), x.backupMsg)
}

func (x *settingsScreen) showBackupMsg(imp widget.Importance, text string) {
	x.backupMsg.Importance = imp
	x.backupMsg.SetText(text)
	x.backupMsg.Show()
}

// startBackup asks where to write the backup, then writes it.
func (x *settingsScreen) startBackup() {
	if x.backup == nil {
		return
	}
	name := fmt.Sprintf("frontdesk-%s.db", x.s.engine.Now().In(x.s.engine.Location()).Format("2006-01-02-1504"))
	x.saveFile(name, func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			x.s.fail(lang.L("Back up"), err)
			return
		}
		if w == nil {
			return // cancelled
		}
		x.runBackup(w)
	})
}

// runBackup writes the backup to w in its own goroutine: a large database
// takes a while.
func (x *settingsScreen) runBackup(w fyne.URIWriteCloser) {
	x.backupBtn.Disable()
	x.restoreBtn.Disable()
	x.showBackupMsg(widget.MediumImportance, fmt.Sprintf(lang.L("Backing up to %s…"), w.URI().Path()))
	backup := x.backup
	go func() {
		err := backup(w)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		x.do(func() {
			x.backupBtn.Enable()
			if x.restore != nil {
				x.restoreBtn.Enable()
			}
			if err != nil {
				x.showBackupMsg(widget.DangerImportance, fmt.Sprintf(lang.L("The backup failed: %s"), err))
				x.s.log.Error("backup", "err", err, "by", x.s.actor.String())
				return
			}
			x.showBackupMsg(widget.SuccessImportance, fmt.Sprintf(lang.L("Backup written to %s."), w.URI().Path()))
		})
	}()
}

// confirmRestore makes the admin type a word before choosing the backup
// to restore: a restore throws away everything recorded since.
func (x *settingsScreen) confirmRestore() {
	if x.restore == nil || x.s.window == nil {
		return
	}
	warn := widget.NewLabel(fmt.Sprintf(lang.L("Restoring replaces the whole database with the backup: people, cards, grants, accounts and the event log. Everything recorded since that backup is lost, and Frontdesk starts again on the backup. Back up now first if unsure.\n\nType %s to continue."), restoreWord()))
	warn.Wrapping = fyne.TextWrapWord
	word := newFormEntry()
	word.SetPlaceHolder(restoreWord())
	d := dialog.NewCustomWithoutButtons(lang.L("Restore a backup"), container.NewVBox(warn, word), x.s.window)
	cancel := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), d.Hide)
	choose := widget.NewButtonWithIcon(lang.L("Choose the backup…"), theme.UploadIcon(), func() {
		d.Hide()
		x.openFile(x.runRestore)
	})
	choose.Importance = widget.DangerImportance
	choose.Disable()
	word.OnChanged = func(s string) { setEnabled(strings.TrimSpace(s) == restoreWord(), choose) }
	word.OnSubmitted = func(string) {
		if !choose.Disabled() {
			choose.OnTapped()
		}
	}
	d.SetButtons([]fyne.CanvasObject{cancel, choose})
	d.Resize(fyne.NewSize(560, 320))
	d.Show()
}

// runRestore restores the backup r, in its own goroutine.
func (x *settingsScreen) runRestore(r fyne.URIReadCloser, err error) {
	if err != nil {
		x.s.fail(lang.L("Restore"), err)
		return
	}
	if r == nil {
		return // cancelled
	}
	x.backupBtn.Disable()
	x.restoreBtn.Disable()
	x.showBackupMsg(widget.MediumImportance, fmt.Sprintf(lang.L("Restoring %s…"), r.URI().Path()))
	restore := x.restore
	go func() {
		err := restore(r)
		if cerr := r.Close(); err == nil {
			err = cerr
		}
		x.do(func() {
			if x.backup != nil {
				x.backupBtn.Enable()
			}
			x.restoreBtn.Enable()
			if err != nil {
				if !errors.Is(err, core.ErrInvalid) {
					x.s.log.Error("restore", "err", err, "by", x.s.actor.String())
				}
				x.showBackupMsg(widget.DangerImportance, fmt.Sprintf(lang.L("Nothing restored: %s"), err))
				return
			}
			x.showBackupMsg(widget.SuccessImportance, lang.L("The backup is checked: Frontdesk starts again on it now."))
		})
	}()
}
