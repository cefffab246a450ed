package ui

import (
	"errors"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// Sizes and timings of the self-view.
const (
	// selfViewFor is how long the self-view stays after a desk tap.
	selfViewFor = 8 * time.Second
	// selfViewDoors bounds the doors listed; a master's thousand doors
	// are summed up.
	selfViewDoors = 8
)

// selfView shows a person who tapped their badge at the desk who they are
// to the site (DESIGN §2.1): checked in or out, the doors they may open
// and how (a level's schedule, a grant's end or uses left), and their
// hours this month, worked against scheduled. It hides again after
// selfViewFor. It is a listener: it reacts to desk taps of known people
// itself, except those an enrolment waiting at the desk takes.
//
// The data comes from core.Engine.SelfView, which needs no permission:
// the tap recorded in the log is the credential, and the view holds only
// the tapper's own data. So it shows whoever is logged in, or nobody.
type selfView struct {
	s   *session
	gen int // the tap shown; an older timer does not hide a newer tap

	shown bool
	event core.Event // the tap shown

	name   *widget.Label
	dept   *widget.Label
	state  *widget.Label
	doors  *fyne.Container
	hours  *widget.Label
	panel  fyne.CanvasObject
	popup  *widget.PopUp
	closer *widget.Button
}

// newSelfView builds the self-view of s; attach it to the bridge with
// s.listen (attachSelfView does both).
func newSelfView(s *session) *selfView {
	v := &selfView{s: s}
	v.name = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.name.SizeName = theme.SizeNameHeadingText
	v.name.Truncation = fyne.TextTruncateEllipsis
	v.dept = widget.NewLabel("")
	v.state = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.state.SizeName = theme.SizeNameSubHeadingText
	v.doors = container.NewVBox()
	v.hours = widget.NewLabel("")
	v.hours.Wrapping = fyne.TextWrapWord
	v.closer = widget.NewButtonWithIcon(lang.L("Close"), theme.CancelIcon(), v.hide)
	doorsTitle := widget.NewLabelWithStyle(lang.L("Your doors"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	hoursTitle := widget.NewLabelWithStyle(lang.L("This month"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.panel = container.NewPadded(container.NewVBox(
		container.NewBorder(nil, nil, nil, v.closer, v.name),
		v.dept,
		v.state,
		widget.NewSeparator(),
		doorsTitle,
		v.doors,
		widget.NewSeparator(),
		hoursTitle,
		v.hours,
	))
	return v
}

// attachSelfView makes the self-view of s and registers it for engine
// events.
func attachSelfView(s *session) *selfView {
	v := newSelfView(s)
	if s.listen != nil {
		s.listen(v)
	}
	return v
}

// addEvents shows the last desk tap of a known person in evs.
func (v *selfView) addEvents(evs []core.Event) {
	for i := len(evs) - 1; i >= 0; i-- {
		if v.wants(evs[i]) {
			v.show(evs[i])
			return
		}
	}
}

// addDeskTaps takes the desk taps outside the actor's log as the log's:
// the tap, not the actor, opens the self-view.
func (v *selfView) addDeskTaps(evs []core.Event) { v.addEvents(evs) }

// reload does nothing: a self-view is for a tap as it happens.
func (v *selfView) reload() {}

// wants reports whether ev opens the self-view.
func (v *selfView) wants(ev core.Event) bool {
	switch ev.Result {
	case core.CheckedIn, core.CheckedOut, core.AlreadyCheckedIn:
	default:
		return false
	}
	// A desk tap while a card is enrolled is card_read, never a check-in:
	// the engine's enrolment mode keeps it from the self-view.
	return ev.Person != "" && v.s.engine.DeskReader(ev.Reader)
}

// show reads and shows the self-view of desk tap ev for selfViewFor.
func (v *selfView) show(ev core.Event) {
	data, err := v.s.engine.SelfView(v.s.actor, ev)
	if err != nil {
		if !errors.Is(err, core.ErrForbidden) {
			v.s.log.Error("self-view", "err", err, "person", ev.Person)
		}
		return
	}
	v.fill(ev, data)
	v.event, v.shown = ev, true
	v.gen++
	if v.s.window != nil {
		c := v.s.window.Canvas()
		if v.popup == nil {
			v.popup = widget.NewPopUp(v.panel, c)
		}
		size := fyne.NewSize(min(560, c.Size().Width-40), v.panel.MinSize().Height)
		v.popup.Resize(size)
		v.popup.ShowAtPosition(fyne.NewPos((c.Size().Width-size.Width)/2, max(20, (c.Size().Height-size.Height)/3)))
	}
	if v.s.after != nil {
		gen := v.gen
		v.s.after(selfViewFor, func() {
			if gen == v.gen {
				v.hide()
			}
		})
	}
}

// hide takes the self-view away.
func (v *selfView) hide() {
	v.shown = false
	if v.popup != nil {
		v.popup.Hide()
	}
}

// fill writes data into the panel.
func (v *selfView) fill(ev core.Event, data core.SelfView) {
	loc := v.s.engine.Location()
	v.name.SetText(data.Person.Name)
	if data.Department != "" {
		v.dept.SetText(data.Department)
		v.dept.Show()
	} else {
		v.dept.Hide()
	}
	since := ""
	if !data.Since.IsZero() {
		since = data.Since.In(loc).Format("15:04")
	}
	switch ev.Result {
	case core.CheckedIn:
		v.state.SetText(fmt.Sprintf(lang.L("Checked in at %s — welcome"), since))
		v.state.Importance = widget.SuccessImportance
	case core.AlreadyCheckedIn:
		v.state.SetText(fmt.Sprintf(lang.L("Already checked in since %s"), since))
		v.state.Importance = widget.HighImportance
	default:
		v.state.SetText(fmt.Sprintf(lang.L("Checked out at %s — goodbye"), since))
		v.state.Importance = widget.WarningImportance
	}
	var rows []fyne.CanvasObject
	for i, d := range data.Doors {
		if i == selfViewDoors {
			rows = append(rows, widget.NewLabel(fmt.Sprintf(lang.L("and %d more doors"), len(data.Doors)-i)))
			break
		}
		l := widget.NewLabel(d.Name + " — " + doorRightWords(d, loc))
		l.Truncation = fyne.TextTruncateEllipsis
		rows = append(rows, l)
	}
	if len(rows) == 0 {
		rows = append(rows, widget.NewLabel(lang.L("No door: ask the reception.")))
	}
	v.doors.Objects = rows
	v.doors.Refresh()
	v.hours.SetText(fmt.Sprintf(lang.L("Worked %s of %s scheduled, %s to %s"),
		hoursMinutes(data.Month.Worked), hoursMinutes(data.Month.Scheduled),
		data.From.At(0, loc).Format("2 Jan"), data.To.At(0, loc).Format("2 Jan")))
}

// doorRightWords says how a person may open a door: "at any time",
// "Staff, during Office hours", "until 2026-12-01 18:00", "3 uses left".
func doorRightWords(d core.DoorRight, loc *time.Location) string {
	switch d.Via {
	case core.AccessViaMaster:
		return lang.L("every door, at any time (master)")
	case core.AccessViaLevel:
		if d.Schedule == "" {
			return fmt.Sprintf(lang.L("%s, at any time"), d.Level)
		}
		return fmt.Sprintf(lang.L("%s, during %s"), d.Level, d.Schedule)
	}
	return grantWords(d.GrantKind, d.From, d.Until, d.UsesLeft, loc)
}

// hoursMinutes writes minutes as h:mm, "136:00".
func hoursMinutes(m int) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d:%02d", sign, m/60, m%60)
}
