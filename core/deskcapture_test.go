package core_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

func TestCaptureDeskReadsWithoutCheckingIn(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	tap := func(code string) core.Event {
		t.Helper()
		clock.add(10 * time.Second) // past the debounce
		ev, err := e.Tap(core.Tap{Reader: "desk", Code: code})
		if err != nil {
			t.Fatal(err)
		}
		return ev
	}
	release, err := e.CaptureDesk(cli)
	if err != nil {
		t.Fatal(err)
	}
	known := tap(cards["ann"])
	if known.Result != core.CardRead || known.Person != "ann" || known.Zone != "" || !strings.Contains(known.Explanation, "Ann's") {
		t.Errorf("known card while enrolling: %+v", known)
	}
	unknown := tap("em:0BADC0FFEE")
	if unknown.Result != core.CardRead || unknown.Person != "" || unknown.Card != "em:0BADC0FFEE" {
		t.Errorf("unknown card while enrolling: %+v", unknown)
	}
	if s, err := e.AttendanceSheet(cli, time.Time{}, ""); err != nil || len(s.In) != 0 {
		t.Errorf("someone checked in by an enrolment read: %+v %v", s, err)
	}
	// A second screen capturing keeps the mode until both release.
	other, _ := e.CaptureDesk(cli)
	release()
	release() // twice is once
	if ev := tap(cards["ann"]); ev.Result != core.CardRead {
		t.Errorf("with one capture left: %s", ev.Result)
	}
	other()
	if ev := tap(cards["ann"]); ev.Result != core.CheckedIn {
		t.Errorf("after the captures: %s, want checked_in", ev.Result)
	}
	// A door reader is never captured.
	release, _ = e.CaptureDesk(cli)
	defer release()
	clock.add(10 * time.Second)
	if ev, err := e.Tap(core.Tap{Reader: "in", Code: cards["zed"]}); err != nil || ev.Result != core.Granted {
		t.Errorf("door tap while enrolling: %v %v", ev.Result, err)
	}
	nobody := staffAccount(t, e, "nobody", "", core.PermPeopleView)
	if _, err := e.CaptureDesk(nobody); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("capture without cards.enroll: %v", err)
	}
}
