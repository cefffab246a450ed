package ui

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// bankView is a person's time bank at the end of the month the timesheet
// shows: its opening, the corrections inside the month and its closing,
// the person's corrections, and a form that enters one. Holders of
// attendance.edit open it from the timesheet; it lives in a dialog.
type bankView struct {
	x        *attendanceScreen
	person   core.PersonRef
	from, to core.Date

	title       string
	status      *widget.Label
	opening     *widget.Label
	adjustments *widget.Label
	closing     *widget.Label
	figures     *fyne.Container
	list        *widget.List
	del         *widget.Button

	sign    *widget.Select
	hours   *formEntry
	minutes *formEntry
	date    *formEntry
	reason  *formEntry
	add     *widget.Button
	problem *widget.Label
	spots   *problemSpots
	saved   *widget.Label

	box fyne.CanvasObject
	dlg dialog.Dialog

	bank     core.TimeBank
	kept     bool
	adjs     []core.BalanceAdjustment
	selected int
	busy     bool
}

// bankSigns are the two ways a correction goes, in the order of the sign
// choice: hours added to the bank, or taken off it (paid out).
func bankSigns() []string {
	return []string{lang.L("Add to the bank"), lang.L("Take off the bank (paid out)")}
}

func newBankView(x *attendanceScreen, person core.PersonRef, from, to core.Date) *bankView {
	b := &bankView{x: x, person: person, from: from, to: to, selected: -1}
	b.title = fmt.Sprintf(lang.L("Time bank of %s"), attOr(person.Name, person.ID))
	b.status = widget.NewLabel("")
	b.status.Wrapping = fyne.TextWrapWord
	b.opening = widget.NewLabel("")
	b.adjustments = widget.NewLabel("")
	b.closing = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	b.list = widget.NewList(func() int { return len(b.adjs) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < len(b.adjs) {
				o.(*widget.Label).SetText(b.describe(b.adjs[id]))
			}
		})
	b.list.OnSelected = func(id widget.ListItemID) { b.selectRow(id) }
	b.list.OnUnselected = func(widget.ListItemID) { b.selectRow(-1) }
	b.del = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), b.confirmDelete)
	b.del.Disable()

	b.sign = newSelect(bankSigns(), nil)
	b.sign.SetSelectedIndex(1)
	b.hours = newFormEntry()
	b.hours.SetPlaceHolder("0")
	b.minutes = newFormEntry()
	b.minutes.SetPlaceHolder("0")
	b.date = newFormEntry()
	b.date.SetText(core.DateOf(x.s.engine.Now(), x.s.engine.Location()).String())
	b.reason = newFormEntry()
	b.reason.SetPlaceHolder(lang.L("Paid out with the salary, carried over…"))
	b.problem = problemLabel()
	b.saved = newSavedNote()
	b.spots = newProblemSpots(b.problem)
	b.add = widget.NewButtonWithIcon(lang.L("Add the correction"), theme.ContentAddIcon(), b.submit)
	b.add.Importance = widget.HighImportance

	amount := container.NewHBox(wholeChoices(b.sign, 0),
		attSized(b.hours, 60), widget.NewLabel(lang.L("h")), attSized(b.minutes, 60), widget.NewLabel(lang.L("min")))
	form := widget.NewForm(
		b.spots.item(lang.L("Correction"), amount, "minutes"),
		b.spots.item(lang.L("Date"), withCalendar(b.date, x.s.engine.Now), "date"),
		b.spots.item(lang.L("Reason"), b.reason, "reason"),
	)
	// One row of figures and room for a few corrections: the whole
	// fits a 1024x600 screen.
	b.figures = container.NewHBox(
		widget.NewLabel(lang.L("Opening")), b.opening, widget.NewLabel("·"),
		widget.NewLabel(lang.L("Corrections in the month")), b.adjustments, widget.NewLabel("·"),
		widget.NewLabel(lang.L("Closing")), b.closing)
	top := container.NewVBox(b.status, b.figures, widget.NewSeparator(),
		container.NewBorder(nil, nil, widget.NewLabelWithStyle(lang.L("Corrections"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), b.del))
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(0, 110))
	bottom := container.NewVBox(widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("New correction"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		form, b.problem, container.NewBorder(nil, nil, nil, b.add, b.saved))
	b.box = container.NewBorder(top, bottom, nil, nil, container.NewStack(room, b.list))
	x.s.formKeys(b.box, b.submit, nil, b.hours, b.minutes, b.date, b.reason)
	return b
}

// show opens the view in a dialog over the window, sized for 1024x600,
// and reads the bank.
func (b *bankView) show() {
	if b.x.s.window != nil {
		close := widget.NewButtonWithIcon(lang.L("Close"), theme.CancelIcon(), nil)
		d := dialog.NewCustomWithoutButtons(b.title, b.box, b.x.s.window)
		close.OnTapped = d.Hide
		d.SetButtons([]fyne.CanvasObject{close})
		d.Resize(fyne.NewSize(720, 560))
		d.Show()
		b.dlg = d
	}
	b.load()
}

// describe is a correction as the list shows it.
func (b *bankView) describe(a core.BalanceAdjustment) string {
	return fmt.Sprintf("%s   %s   %s   (%s)", a.Date, attHM(a.Minutes), strings.ReplaceAll(a.Reason, "\n", " "), actorName(a.By))
}

// load reads the bank and the corrections off the UI thread.
func (b *bankView) load() {
	s := b.x.s
	b.busy = true
	b.status.SetText(lang.L("Computing the time bank…"))
	q := core.TimesheetQuery{From: b.from, To: b.to, Person: b.person.ID}
	b.x.async(func() func() {
		ts, err := s.engine.Timesheet(s.actor, q)
		var adjs []core.BalanceAdjustment
		if err == nil {
			adjs, err = s.engine.BalanceAdjustments(s.actor, b.person.ID, core.Date{}, core.Date{})
		}
		return func() {
			b.busy = false
			if err != nil {
				b.status.SetText(lang.L("The time bank could not be read."))
				s.fail(lang.L("Read the time bank"), err)
				return
			}
			b.kept = ts.Uses.Balance && len(ts.People) == 1
			b.bank = core.TimeBank{}
			if b.kept {
				b.bank = ts.People[0].Bank
			}
			b.adjs = adjs
			b.showBank()
			b.list.UnselectAll()
			b.selectRow(-1)
			b.list.Refresh()
		}
	})
}

// showBank writes the bank's figures.
func (b *bankView) showBank() {
	if !b.kept {
		b.status.SetText(lang.L("The site keeps no time bank yet: the first correction starts one, or the site's balance_from setting."))
	} else {
		b.status.SetText(fmt.Sprintf(lang.L("Counted from %s; the closing is at %s."), b.bank.From, b.to))
	}
	b.opening.SetText(attHM(b.bank.Opening))
	b.adjustments.SetText(attHM(b.bank.Adjustments))
	b.closing.SetText(attHM(b.bank.Closing))
	b.closing.Importance = widget.MediumImportance
	if b.bank.Closing < 0 {
		b.closing.Importance = widget.DangerImportance
	}
	b.closing.Refresh()
	b.figures.Refresh()
}

// selectRow makes row the selection, which can be deleted.
func (b *bankView) selectRow(row int) {
	b.selected = row
	setEnabled(row >= 0 && row < len(b.adjs), b.del)
}

// correction reads the form; the error names the field at fault.
func (b *bankView) correction() (core.BalanceAdjustment, error) {
	adj := core.BalanceAdjustment{Person: b.person.ID, Reason: strings.TrimSpace(b.reason.Text)}
	var ps core.Problems
	h, errH := strconv.Atoi(attOr(strings.TrimSpace(b.hours.Text), "0"))
	m, errM := strconv.Atoi(attOr(strings.TrimSpace(b.minutes.Text), "0"))
	switch {
	case errH != nil || errM != nil || h < 0 || m < 0:
		ps = append(ps, fieldError("minutes", lang.L("hours and minutes are whole numbers, such as 2 h 30 min")))
	case m > 59:
		ps = append(ps, fieldError("minutes", lang.L("minutes go from 0 to 59")))
	default:
		adj.Minutes = h*60 + m
		if b.sign.SelectedIndex() == 1 {
			adj.Minutes = -adj.Minutes
		}
	}
	d, err := core.ParseDate(strings.TrimSpace(b.date.Text))
	if err != nil {
		ps = append(ps, &core.FieldError{Field: "date", Problem: timeProblem(b.date.Text), Err: core.ErrInvalid})
	}
	adj.Date = d
	return adj, ps.Err()
}

// submit enters the correction; a mistake shows under its field.
func (b *bankView) submit() {
	s := b.x.s
	b.saved.Hide()
	adj, err := b.correction()
	if err == nil {
		_, err = s.engine.AdjustBalance(s.actor, adj)
	}
	if err != nil {
		if !b.spots.show(err) {
			s.fail(lang.L("Correct the time bank"), err)
		}
		b.relayout()
		return
	}
	b.spots.clear()
	b.hours.SetText("")
	b.minutes.SetText("")
	b.reason.SetText("")
	showSaved(b.saved, fmt.Sprintf(lang.L("the correction of %s"), attHM(adj.Minutes)))
	b.relayout()
	b.load()
}

// relayout lays the view out again after a note or a problem showed or
// hid: the list gives up the room.
func (b *bankView) relayout() {
	if c, ok := b.box.(*fyne.Container); ok {
		c.Refresh()
	}
}

// confirmDelete asks before deleting the selected correction.
func (b *bankView) confirmDelete() {
	if b.selected < 0 || b.selected >= len(b.adjs) {
		return
	}
	a := b.adjs[b.selected]
	if b.x.s.window == nil {
		b.deleteAdjustment(a.ID)
		return
	}
	msg := fmt.Sprintf(lang.L("Delete the correction of %s on %s (%s)?"), attHM(a.Minutes), a.Date, a.Reason)
	dialog.ShowConfirm(lang.L("Delete correction"), msg, func(ok bool) {
		if ok {
			b.deleteAdjustment(a.ID)
		}
	}, b.x.s.window)
}

// deleteAdjustment deletes correction id and reads the bank again.
func (b *bankView) deleteAdjustment(id string) {
	if _, err := b.x.s.engine.DeleteBalanceAdjustment(b.x.s.actor, id); err != nil {
		b.x.s.fail(lang.L("Delete the time bank correction"), err)
		return
	}
	b.saved.Hide()
	b.relayout()
	b.load()
}
