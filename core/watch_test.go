package core_test

import (
	"slices"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
)

// TestWatchDeliversByPermission: each actor hears the log it may read as
// events, the desk taps of a window at the desk as Desk updates, device
// health with doors.view, and with attendance.view that someone moved
// when the log does not tell them.
func TestWatchDeliversByPermission(t *testing.T) {
	clock := &steppedClock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	e := attendanceEngine(t, "Europe/Paris", clock)
	actors := map[string]core.Actor{
		"log":      staffAccount(t, e, "auditor", "", core.PermLogsViewAny),
		"own":      staffAccount(t, e, "owner", "", core.PermLogsViewOwn),
		"enrol":    staffAccount(t, e, "desk", "", core.PermCardsEnroll),
		"nothing":  staffAccount(t, e, "clerk", "", core.PermPeopleView),
		"doors":    staffAccount(t, e, "tech", "", core.PermDoorsView),
		"presence": staffAccount(t, e, "guard", "", core.PermAttendanceView),
		"both":     staffAccount(t, e, "chief", "", core.PermAttendanceView, core.PermLogsViewAny),
	}
	var mu sync.Mutex
	heard := map[string][]string{}
	for name, a := range actors {
		cancel, err := e.Watch(a, func(u core.Update) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case u.Event != nil:
				heard[name] = append(heard[name], "event "+string(u.Event.Result))
			case u.Desk != nil:
				heard[name] = append(heard[name], "desk "+string(u.Desk.Result))
			case u.Health != nil:
				heard[name] = append(heard[name], "health "+u.Health.Device)
			case u.Presence:
				heard[name] = append(heard[name], "presence")
			}
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		defer cancel()
	}
	tap := func(reader, code string) {
		t.Helper()
		clock.add(10 * time.Second)
		if _, err := e.Tap(core.Tap{Reader: reader, Code: code}); err != nil {
			t.Fatal(err)
		}
	}
	tap("desk", cards["ann"]) // checked in: her self-view
	tap("in", cards["zed"])   // a door
	release, err := e.CaptureDesk(cli)
	if err != nil {
		t.Fatal(err)
	}
	tap("desk", "em:0BADC0FFEE") // an enrolment's read of a new card
	release()
	e.ReportHealth(core.DeviceHealth{Device: "in", Connected: true})

	want := map[string][]string{
		"log":     {"event checked_in", "event granted", "event card_read"},
		"own":     {"desk checked_in"},
		"enrol":   {"desk checked_in", "desk card_read"},
		"nothing": {"desk checked_in"},
		"doors":   {"desk checked_in", "health in"},
		// Ann's check-in and Zed's entry moved them; the card read did not.
		"presence": {"desk checked_in", "presence", "presence"},
		// The log tells who moved already.
		"both": {"event checked_in", "event granted", "event card_read"},
	}
	mu.Lock()
	defer mu.Unlock()
	for name, w := range want {
		if got := heard[name]; !slices.Equal(got, w) {
			t.Errorf("%s heard %v, want %v", name, got, w)
		}
	}
}
