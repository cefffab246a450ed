package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// selfViewHarness is a self-view on a session of actor, in a test window,
// with a bridge through a test UI thread.
type selfViewHarness struct {
	v      *selfView
	w      fyne.Window
	ui     uiThread
	timers []func()
}

func newSelfViewHarness(t *testing.T, e *core.Engine, a core.Actor) *selfViewHarness {
	t.Helper()
	h := &selfViewHarness{ui: make(uiThread, 64)}
	s, b := bridgedSession(t, e, a, h.ui)
	s.after = func(_ time.Duration, fn func()) { h.timers = append(h.timers, fn) }
	h.w = test.NewWindow(widget.NewLabel("Reception"))
	h.w.Resize(fyne.NewSize(1100, 700))
	s.window = h.w
	h.v = attachSelfView(s)
	t.Cleanup(h.w.Close)
	startBridge(t, b)
	return h
}

// drain runs what the bridge queued for the UI thread, waiting a little
// for the bridge's goroutine.
func (h *selfViewHarness) drain() {
	deadline := time.After(200 * time.Millisecond)
	for {
		select {
		case fn := <-h.ui:
			fn()
		case <-deadline:
			return
		}
	}
}

func selfViewDoorTexts(v *selfView) []string {
	var out []string
	for _, o := range v.doors.Objects {
		out = append(out, o.(*widget.Label).Text)
	}
	return out
}

func TestSelfViewShowsDeskTap(t *testing.T) {
	test.NewTempApp(t)
	e, c := newPeopleEngine(t)
	// A receptionist without attendance or report permissions: the view
	// is the tapper's own, whoever is logged in.
	h := newSelfViewHarness(t, e, staffAccount(t, e, "desk", "", core.PermPeopleView))

	// Monday 09:00 to 17:00 at the office, replayed: too old to show.
	monday := c.now.AddDate(0, 0, -1)
	for _, at := range []time.Time{monday, monday.Add(8 * time.Hour)} {
		if _, err := e.Tap(core.Tap{Reader: "desk", Code: "em:0102B0A5FD", At: at}); err != nil {
			t.Fatal(err)
		}
	}
	h.drain()
	if h.v.shown {
		t.Fatal("an old tap opened the self-view")
	}

	// An unknown card and a door tap show nothing.
	tap(t, e, "desk", "em:0F0F0F0F0F")
	tap(t, e, "main-in", "em:0A00000001")
	h.drain()
	if h.v.shown {
		t.Fatal("a refused or door tap opened the self-view")
	}

	// Tuesday 09:00, Ann at the desk.
	tap(t, e, "desk", "em:0102B0A5FD")
	h.ui.until(t, "the self-view", func() bool { return h.v.shown })
	v := h.v
	if v.name.Text != "Ann Martin" || v.dept.Text != "Sales" {
		t.Errorf("name %q, department %q", v.name.Text, v.dept.Text)
	}
	if v.state.Text != "Checked in at 09:00 — welcome" {
		t.Errorf("state %q", v.state.Text)
	}
	want := []string{"Lab — 2 uses left", "Main entrance — Staff, during Office hours"}
	if got := selfViewDoorTexts(v); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("doors %q, want %q", got, want)
	}
	// Monday's 8 hours; 17 weekdays of 8 hours from 1 to 24 November.
	if v.hours.Text != "Worked 8:00 of 136:00 scheduled, 1 Nov to 24 Nov" {
		t.Errorf("hours %q", v.hours.Text)
	}
	if v.popup == nil || !v.popup.Visible() {
		t.Fatal("the self-view is not over the window")
	}

	// It hides after its time.
	if len(h.timers) != 1 {
		t.Fatalf("%d timers, want 1", len(h.timers))
	}
	h.timers[0]()
	if v.shown || v.popup.Visible() {
		t.Error("still shown after 8 seconds")
	}

	// A second tap checks her out.
	c.now = c.now.Add(5 * time.Second)
	tap(t, e, "desk", "em:0102B0A5FD")
	h.ui.until(t, "the check-out", func() bool { return v.shown })
	if v.state.Text != "Checked out at 09:00 — goodbye" {
		t.Errorf("state %q", v.state.Text)
	}
}

func TestSelfViewStepsAsideForEnrolment(t *testing.T) {
	test.NewTempApp(t)
	e, c := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
	v := attachSelfView(h.s)
	cards := h.cardsOf(t, "bob")
	test.Tap(cards.start)

	// Bob taps his own card, thinking it is new: the enrolment takes it,
	// the self-view stays away.
	c.now = c.now.Add(time.Second)
	tap(t, e, "desk", "em:0A00000001")
	h.ui.until(t, "the tap taken", func() bool { return cards.haveRead })
	for len(h.ui) > 0 {
		(<-h.ui)()
	}
	if v.shown {
		t.Error("the self-view opened for a tap the enrolment took")
	}
	if !strings.Contains(cards.holder.Text, "already Bob Stone's") || !cards.confirm.Disabled() {
		t.Errorf("holder %q", cards.holder.Text)
	}

	// Once the enrolment is over, a desk tap is a check-in again.
	test.Tap(cards.cancel)
	c.now = c.now.Add(5 * time.Second)
	tap(t, e, "desk", "em:0102B0A5FD")
	h.ui.until(t, "Ann's self-view", func() bool { return v.shown && v.name.Text == "Ann Martin" })
}

func TestHoursMinutes(t *testing.T) {
	for m, want := range map[int]string{0: "0:00", 59: "0:59", 61: "1:01", 8160: "136:00", -90: "-1:30"} {
		if got := hoursMinutes(m); got != want {
			t.Errorf("hoursMinutes(%d) = %q, want %q", m, got, want)
		}
	}
}

func TestSelfViewShot(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newSelfViewHarness(t, e, testCLI)
	tap(t, e, "desk", "em:0102B0A5FD")
	h.ui.until(t, "the self-view", func() bool { return h.v.shown })
	shot(t, h.w, "selfview")
}
