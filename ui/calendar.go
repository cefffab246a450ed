package ui

import (
	"fmt"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// monthView is the calendar of a date field: one month, its weeks from
// Monday, in the window's language. Fyne's own calendar writes the month
// in English and, in Russian, swaps Tuesday and Thursday; this one says
// both in the words of the window's translations.
type monthView struct {
	month  time.Time // the first of the month shown
	chosen time.Time // the day the field holds, or zero
	today  time.Time
	onPick func(day time.Time)

	title *widget.Label
	prev  *widget.Button
	next  *widget.Button
	days  *fyne.Container
	// buttons are the month's days, by day of the month - 1.
	buttons []*widget.Button
	box     *fyne.Container
}

// newMonthView shows the month of start; today and chosen are marked.
func newMonthView(start, chosen, today time.Time, onPick func(time.Time)) *monthView {
	m := &monthView{chosen: chosen, today: today, onPick: onPick}
	m.month = time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
	m.title = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	m.prev = widget.NewButtonWithIcon("", theme.NavigateBackIcon(), func() { m.show(m.month.AddDate(0, -1, 0)) })
	m.next = widget.NewButtonWithIcon("", theme.NavigateNextIcon(), func() { m.show(m.month.AddDate(0, 1, 0)) })
	m.days = container.NewGridWithColumns(7)
	m.box = container.NewBorder(container.NewBorder(nil, nil, m.prev, m.next, m.title), nil, nil, nil, m.days)
	m.show(m.month)
	return m
}

// monthNames are the months in the window's language, January first.
func monthNames() [12]string {
	return [12]string{lang.L("January"), lang.L("February"), lang.L("March"), lang.L("April"), lang.L("May"),
		lang.L("June"), lang.L("July"), lang.L("August"), lang.L("September"), lang.L("October"),
		lang.L("November"), lang.L("December")}
}

// show lays out the month of first.
func (m *monthView) show(first time.Time) {
	m.month = first
	m.title.SetText(fmt.Sprintf("%s %d", monthNames()[first.Month()-1], first.Year()))
	var cells []fyne.CanvasObject
	for _, wd := range weekOrder {
		l := widget.NewLabelWithStyle(dayAbbrev(wd), fyne.TextAlignCenter, fyne.TextStyle{})
		l.Importance = widget.LowImportance
		cells = append(cells, l)
	}
	// Weeks start on Monday: Go's weeks start on Sunday.
	for range (int(first.Weekday()) + 6) % 7 {
		cells = append(cells, layout.NewSpacer())
	}
	m.buttons = nil
	for d := first; d.Month() == first.Month(); d = d.AddDate(0, 0, 1) {
		day := d
		b := widget.NewButton(strconv.Itoa(d.Day()), func() { m.onPick(day) })
		switch {
		case sameDay(d, m.chosen):
			b.Importance = widget.HighImportance
		case sameDay(d, m.today):
			b.Importance = widget.MediumImportance
		default:
			b.Importance = widget.LowImportance
		}
		m.buttons = append(m.buttons, b)
		cells = append(cells, b)
	}
	m.days.Objects = cells
	m.days.Refresh()
}

// sameDay reports whether a and b fall on the same date, as written.
func sameDay(a, b time.Time) bool {
	return !b.IsZero() && a.Year() == b.Year() && a.YearDay() == b.YearDay()
}
