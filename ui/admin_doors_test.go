package ui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
	"frontdesk/reader"
)

// adminSite is a small site for the administration screens: two doors on
// one relay board, bob owns main, a schedule, a shift and a holiday.
const adminSite = `{
  "site": {"name": "Test HQ", "timezone": "Europe/Paris", "desk_zone": "lobby"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lobby", "name": "Lobby", "work": true},
            {"id": "lab", "name": "Lab", "work": true}],
  "schedules": [{"id": "office-hours", "name": "Office hours", "holidays": "closed",
                 "week": {"mon": ["07:00-20:00"], "tue": ["07:00-20:00"], "wed": ["07:00-20:00"],
                          "thu": ["07:00-20:00"], "fri": ["07:00-20:00"]}}],
  "holidays": [{"date": "2026-12-25", "name": "Christmas"}],
  "shifts": [{"id": "day", "name": "Day", "week": {"tue": ["09:00-17:00"]}}],
  "devices": [
    {"id": "relay1", "kind": "sim"},
    {"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
    {"id": "lab-in", "kind": "sim", "door": "lab", "direction": "in"},
    {"id": "desk", "kind": "sim", "desk": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "lobby", "owners": ["bob"],
             "relay": "relay1:1", "pulse": "3s"},
            {"id": "lab", "name": "Lab", "from": "lobby", "to": "lab", "relay": "relay1:2"}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main", "lab"], "schedule": "office-hours"}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all", "shift": "day"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "department": "staff", "cards": ["em:0102B0A5FD"]},
    {"id": "bob", "name": "Bob Stone", "department": "staff", "cards": ["em:0A00000001"]},
    {"id": "carl", "name": "Carl Visitor", "cards": ["em:0C00000003"]}]
}`

// adminPassword passes the password rules.
const adminPassword = "a long enough password"

// newAdminEngine imports adminSite into a fresh store; the clock starts on
// Tuesday 2026-11-24 at 09:00:05 in Paris.
func newAdminEngine(t *testing.T) (*core.Engine, *clock) {
	t.Helper()
	return siteEngine(t, adminSite, time.Date(2026, 11, 24, 9, 0, 5, 0, paris))
}

// tapDialog taps the button labelled label in the dialog on top of w.
func tapDialog(t *testing.T, w fyne.Window, label string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatalf("no dialog to tap %q in", label)
	}
	for _, o := range test.LaidOutObjects(top) {
		if b, ok := o.(*widget.Button); ok && b.Text == label && b.Visible() {
			test.Tap(b)
			return
		}
	}
	t.Fatalf("no button %q in the dialog", label)
}

// dialogText returns the texts of the labels in the dialog on top of w.
func dialogText(w fyne.Window) string {
	top := w.Canvas().Overlays().Top()
	if top == nil {
		return ""
	}
	var texts []string
	for _, o := range test.LaidOutObjects(top) {
		switch o := o.(type) {
		case *widget.Label:
			texts = append(texts, o.Text)
		case *widget.RichText:
			texts = append(texts, o.String())
		}
	}
	return strings.Join(texts, "\n")
}

// fakePorts stands for a machine with one USB serial adapter and one
// wedge reader plugged in.
func fakePorts(x *doorsScreen) {
	x.serialPorts = func() ([]reader.SerialPort, error) {
		return []reader.SerialPort{{Path: "/dev/ttyUSB0", ByID: "/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0",
			Driver: "ch341-uart", VID: "1a86", PID: "7523", Known: "CH340 serial adapter (LCUS relay, RDM6300 adapters)"}}, nil
	}
	x.usbDevices = func() ([]reader.USBDevice, error) {
		return []reader.USBDevice{{Bus: 1, Address: 4, VID: "ffff", PID: "0035", Product: "RFID reader",
			Known: "USB keyboard-wedge reader (usb-wedge)"}}, nil
	}
}

func newDoors(t *testing.T, s *session) (*doorsScreen, fyne.Window) {
	t.Helper()
	x := newDoorsScreen(s)
	fakePorts(x)
	w := showIn(t, s, x.build())
	return x, w
}

func TestDoorsOpenNow(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)

	viewer := staffSession(t, e, "viewer", "", core.PermDoorsView)
	x, _ := newDoors(t, viewer)
	if x.open.Visible() || x.lock.Visible() {
		t.Error("Open now or Lockdown offered without doors.open and doors.lockdown")
	}
	if x.doorCat.saveBtn.Visible() || !x.doorName.Disabled() {
		t.Error("door form editable without doors.edit")
	}

	guard := staffSession(t, e, "guard", "", core.PermDoorsView, core.PermDoorsOpen, core.PermLogsViewAny)
	x, _ = newDoors(t, guard)
	if !x.open.Visible() || x.lock.Visible() {
		t.Fatal("with doors.open only: want Open now and no Lockdown")
	}
	var opened []string
	defer e.OnOpenDoor(func(door string) { opened = append(opened, door) })()
	x.doorCat.list.Select(1) // main, after lab
	if x.doorID.Text != "main" {
		t.Fatalf("selected door %q, want main", x.doorID.Text)
	}
	test.Tap(x.open)
	var evs []core.Event
	if err := e.Events(guard.actor, core.EventQuery{Door: "main"}, func(ev core.Event) error {
		evs = append(evs, ev)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].Explanation != "door Main entrance opened from the screen by guard" {
		t.Fatalf("events on main %v, want the opening by guard", evs)
	}
	if len(opened) != 1 || opened[0] != "main" {
		t.Errorf("relay hook got %v, want main", opened)
	}
	if !strings.Contains(x.state.Text, "Main entrance opened at 09:00:05") {
		t.Errorf("state %q, want the opening", x.state.Text)
	}
}

// TestDoorsOpenNowInLockdown: Open now on a door in lockdown is offered
// only to who may also lift the lockdown, and opens only once confirmed;
// the log says it was opened during the lockdown, and by whom.
func TestDoorsOpenNowInLockdown(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	if _, err := e.SetDoorMode(testCLI, "main", core.DoorLockdown); err != nil {
		t.Fatal(err)
	}
	var opened []string
	defer e.OnOpenDoor(func(door string) { opened = append(opened, door) })()
	mainEvents := func() []core.Event {
		var evs []core.Event
		if err := e.Events(testCLI, core.EventQuery{Door: "main"}, func(ev core.Event) error {
			evs = append(evs, ev)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return evs
	}

	guard := staffSession(t, e, "guard", "", core.PermDoorsView, core.PermDoorsOpen)
	x, _ := newDoors(t, guard)
	x.doorCat.list.Select(1) // main, after lab
	if x.doorID.Text != "main" || !x.open.Visible() || !x.open.Disabled() {
		t.Fatalf("door %q, Open now visible %v disabled %v: want main, offered but disabled in lockdown without doors.lockdown",
			x.doorID.Text, x.open.Visible(), x.open.Disabled())
	}

	chief := staffSession(t, e, "chief", "", core.PermDoorsView, core.PermDoorsOpen, core.PermDoorsLockdown)
	x, w := newDoors(t, chief)
	x.doorCat.list.Select(1)
	if x.open.Disabled() {
		t.Fatal("Open now disabled for who may lift the lockdown")
	}
	test.Tap(x.open)
	if text := dialogText(w); !strings.Contains(text, "Main entrance is in lockdown") || !strings.Contains(text, "during the lockdown") {
		t.Fatalf("confirmation %q, want the lockdown named", text)
	}
	tapDialog(t, w, "Cancel")
	if evs := mainEvents(); len(evs) != 0 || len(opened) != 0 {
		t.Fatalf("cancelled: events %v, pulses %v, want none", evs, opened)
	}
	test.Tap(x.open)
	tapDialog(t, w, "Open anyway")
	evs := mainEvents()
	if len(evs) != 1 || evs[0].Explanation != "door Main entrance opened from the screen by chief during lockdown" || len(opened) != 1 {
		t.Fatalf("confirmed: events %v, pulses %v, want the opening during lockdown by chief", evs, opened)
	}

	// A door in normal mode opens at once, without a question.
	if _, err := e.SetDoorMode(testCLI, "main", core.DoorNormal); err != nil {
		t.Fatal(err)
	}
	x, w = newDoors(t, chief)
	x.doorCat.list.Select(1)
	test.Tap(x.open)
	if w.Canvas().Overlays().Top() != nil || len(opened) != 2 {
		t.Errorf("normal door: dialog %v, pulses %v, want opened at once", w.Canvas().Overlays().Top() != nil, opened)
	}
}

func TestDoorsLockdown(t *testing.T) {
	test.NewTempApp(t)
	e, c := newAdminEngine(t)
	s := staffSession(t, e, "guard", "", core.PermDoorsView, core.PermDoorsLockdown)
	x, w := newDoors(t, s)
	x.doorCat.list.Select(1)
	if x.lock.Text != "Lockdown" {
		t.Fatalf("button %q, want Lockdown", x.lock.Text)
	}
	// It asks first: Cancel changes nothing.
	test.Tap(x.lock)
	if text := dialogText(w); !strings.Contains(text, "Lock Main entrance down?") {
		t.Fatalf("question %q, want the door named", text)
	}
	tapDialog(t, w, "Cancel")
	if d, _ := e.Door(s.actor, "main"); d.Mode == core.DoorLockdown {
		t.Fatal("cancelled, yet in lockdown")
	}
	test.Tap(x.lock)
	tapDialog(t, w, "Lock down")
	if d, _ := e.Door(s.actor, "main"); d.Mode != core.DoorLockdown {
		t.Fatalf("main in mode %q, want lockdown", d.Mode)
	}
	if x.lock.Text != "Release" {
		t.Errorf("button %q after lockdown, want Release", x.lock.Text)
	}
	if got := tap(t, e, "main-in", "em:0102B0A5FD").Result; got != core.DeniedDoorLocked {
		t.Errorf("Ann's tap in lockdown: %s, want %s", got, core.DeniedDoorLocked)
	}
	test.Tap(x.lock)
	if text := dialogText(w); !strings.Contains(text, "Release Main entrance?") {
		t.Fatalf("question %q, want the door named", text)
	}
	tapDialog(t, w, "Release")
	c.now = c.now.Add(time.Minute)
	if got := tap(t, e, "main-in", "em:0102B0A5FD").Result; got != core.Granted {
		t.Errorf("Ann's tap after release: %s, want granted", got)
	}
}

// TestDoorsDeviceFormat checks the number format of wedges and Wiegand
// converters: offered for those kinds only, with the formats their bits
// allow, stored, shown again, and refused inline when the reader could not
// tell two people's cards apart.
func TestDoorsDeviceFormat(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	// Carl's new card agrees with Ann's on the low 32 bits: no reader of
	// the site (all simulated) reads fewer.
	if _, err := e.EnrollCard(testCLI, "carl", "em:FF02B0A5FD"); err != nil {
		t.Fatal(err)
	}
	s := staffSession(t, e, "tech", "", core.PermDoorsView, core.PermDoorsEdit)
	x, _ := newDoors(t, s)
	x.tabs.SelectIndex(2)

	test.Tap(x.devCat.newBtn)
	x.devKind.SetSelected("serial-rdm6300")
	if x.devFormat.Visible() {
		t.Error("an EM reader's form has a number format")
	}
	x.devID.SetText("desk2")
	x.devKind.SetSelected("usb-wedge")
	x.devRole.SetSelected(roleDeskReader())
	x.devVID.SetText("ffff")
	x.devPID.SetText("0035")
	if !x.devFormat.Visible() || !slices.Equal(x.devFormat.Options, core.ReadFormats("usb-wedge", 0)) {
		t.Fatalf("wedge formats: visible %v, options %q", x.devFormat.Visible(), x.devFormat.Options)
	}
	x.devFormat.SetSelected("dec32")
	test.Tap(x.devCat.saveBtn)
	if p := x.devCat.problem; !p.Visible() || !strings.Contains(p.Text, "could not tell apart") ||
		!strings.Contains(p.Text, `em:0102B0A5FD of "ann" and em:FF02B0A5FD of "carl"`) {
		t.Fatalf("problem %q, want the two cards the wedge could not tell apart", p.Text)
	}
	x.devFormat.SetSelected("dec40")
	test.Tap(x.devCat.saveBtn)
	if x.devCat.problem.Visible() {
		t.Fatalf("save refused: %s", x.devCat.problem.Text)
	}
	i := slices.IndexFunc(e.Devices(s.actor), func(d core.Device) bool { return d.ID == "desk2" })
	if i < 0 || e.Devices(s.actor)[i].Format != "dec40" {
		t.Fatalf("devices %+v, want desk2 with format dec40", e.Devices(s.actor))
	}
	x.devCat.list.Select(slices.IndexFunc(x.devices, func(d core.Device) bool { return d.ID == "desk2" }))
	if x.devFormat.Selected != "dec40" {
		t.Errorf("desk2 shown with format %q, want dec40", x.devFormat.Selected)
	}

	// A Wiegand converter's formats follow its bits.
	test.Tap(x.devCat.newBtn)
	x.devKind.SetSelected("serial-wiegand")
	if want := core.ReadFormats("serial-wiegand", 26); !slices.Equal(x.devFormat.Options, want) {
		t.Errorf("Wiegand 26 formats %q, want %q", x.devFormat.Options, want)
	}
	x.devFormat.SetSelected("fac3num5")
	x.devBits.SetSelected("34")
	if want := core.ReadFormats("serial-wiegand", 34); !slices.Equal(x.devFormat.Options, want) || x.devFormat.Selected != "" {
		t.Errorf("Wiegand 34 formats %q, selected %q, want %q and none", x.devFormat.Options, x.devFormat.Selected, want)
	}
}

func TestDoorsEditDevicesAndZones(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "tech", "", core.PermDoorsView, core.PermDoorsEdit)
	x, w := newDoors(t, s)

	x.tabs.SelectIndex(2)
	test.Tap(x.devCat.newBtn)
	x.devID.SetText("lab-out")
	x.devKind.SetSelected("serial-rdm6300")
	if !x.devPortBox.Visible() || x.devVID.Visible() {
		t.Fatal("a serial reader's form has no port, or has a USB vendor id")
	}
	if len(x.ports) != 1 {
		t.Fatalf("ports found %v, want the plugged-in adapter", x.ports)
	}
	x.devPort.SetText(portName(x.ports[0]))
	if !strings.Contains(x.devPortIs.Text, "/dev/ttyUSB0, plugged in: CH340") {
		t.Errorf("port described as %q", x.devPortIs.Text)
	}
	x.devRole.SetSelected(roleDoorReader())
	x.devDoor.setID("lab")
	test.Tap(x.devCat.saveBtn)
	if p := x.devForm.spots.shownText("direction"); p != "Direction: required" {
		t.Errorf("problem %q, want the missing direction", p)
	}
	x.devDir.SetSelected("out")
	x.devBaud.SetSelected("115200")
	test.Tap(x.devCat.saveBtn)
	if x.devCat.problem.Visible() {
		t.Fatalf("save refused: %s", x.devCat.problem.Text)
	}
	var dev core.Device
	for _, d := range e.Devices(s.actor) {
		if d.ID == "lab-out" {
			dev = d
		}
	}
	want := core.Device{ID: "lab-out", Kind: "serial-rdm6300", Port: "/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0",
		Baud: 115200, Door: "lab", Direction: core.Out}
	if dev != want {
		t.Errorf("device %+v, want %+v", dev, want)
	}

	// A USB wedge: the ids come from the device chosen.
	test.Tap(x.devCat.newBtn)
	x.devID.SetText("desk2")
	x.devKind.SetSelected("usb-wedge")
	x.devRole.SetSelected(roleDeskReader())
	x.devUSB.SetSelected(x.devUSB.Options[0])
	if x.devVID.Text != "ffff" || x.devPID.Text != "0035" {
		t.Errorf("vid:pid %s:%s after choosing the wedge", x.devVID.Text, x.devPID.Text)
	}
	test.Tap(x.devCat.saveBtn)
	if x.devCat.problem.Visible() {
		t.Fatalf("save refused: %s", x.devCat.problem.Text)
	}

	// The relay of two doors is not deleted.
	x.devCat.list.Select(slices.IndexFunc(x.devices, func(d core.Device) bool { return d.ID == "relay1" }))
	test.Tap(x.devCat.delBtn)
	tapDialog(t, w, "Delete")
	if p := x.devCat.problem; !strings.Contains(p.Text, "door lab (relay relay1:2), door main (relay relay1:1)") {
		t.Errorf("problem %q, want the doors that use relay1", p.Text)
	}

	x.tabs.SelectIndex(1)
	test.Tap(x.zoneCat.newBtn)
	x.zoneID.SetText("attic")
	x.zoneName.SetText("Attic")
	test.Tap(x.zoneCat.saveBtn)
	zones, _ := e.Zones(s.actor)
	if len(zones) != 4 || zones[0].ID != "attic" || zones[0].Work {
		t.Errorf("zones %v, want attic added, not a work zone", zones)
	}
	x.zoneCat.list.Select(slices.IndexFunc(x.zones, func(z core.Zone) bool { return z.ID == "lobby" }))
	test.Tap(x.zoneCat.delBtn)
	tapDialog(t, w, "Delete")
	if p := x.zoneCat.problem; !strings.Contains(p.Text, "used by the site's desk zone, door lab, door main") {
		t.Errorf("problem %q, want what uses the lobby", p.Text)
	}

	// A door: a relay channel already taken is refused inline.
	x.tabs.SelectIndex(0)
	test.Tap(x.doorCat.newBtn)
	x.doorID.SetText("store")
	x.doorName.SetText("Store room")
	x.doorFrom.setID("lobby")
	x.doorTo.setID("attic")
	x.doorRelay.setID("relay1")
	x.doorChan.SetText("1")
	test.Tap(x.doorCat.saveBtn)
	if p := x.doorForm.spots.shownText("relay"); p != "Relay: relay1:1 opens door 'main' already" {
		t.Errorf("problem %q, want the relay taken", p)
	}
	x.doorChan.SetText("3")
	x.doorPulse.SetText("5s")
	test.Tap(x.doorCat.saveBtn)
	d, ok := e.Door(s.actor, "store")
	if !ok || d.Relay != "relay1:3" || time.Duration(d.Pulse) != 5*time.Second || d.Mode != core.DoorNormal {
		t.Errorf("door %+v, want store on relay1:3 with a 5s pulse", d)
	}
}

func TestDoorsHealthFollows(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "tech", "", core.PermDoorsView)
	var tick func()
	s.after = func(_ time.Duration, fn func()) { tick = fn }
	x, _ := newDoors(t, s)
	x.tabs.SelectIndex(2)
	x.devCat.list.Select(slices.IndexFunc(x.devices, func(d core.Device) bool { return d.ID == "main-in" }))
	if x.devHealth.Text != "main-in: not running" {
		t.Errorf("health %q before any report", x.devHealth.Text)
	}
	e.ReportHealth(core.DeviceHealth{Device: "main-in", Kind: "sim", Connected: true, Frames: 3,
		Since: time.Date(2026, 11, 24, 8, 0, 0, 0, paris)})
	if tick == nil {
		t.Fatal("no timer set")
	}
	tick()
	if want := "Connected since 2026-11-24 08:00:00 · 3 frames read, 0 rejected"; x.devHealth.Text != want {
		t.Errorf("health %q, want %q", x.devHealth.Text, want)
	}
}
