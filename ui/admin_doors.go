package ui

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
	"frontdesk/reader"
)

// doorsPage is the administration of doors, zones and devices.
func doorsPage() page {
	return page{id: "doors", title: lang.L("Doors and devices"), needs: []core.Permission{core.PermDoorsView},
		build: func(s *session) fyne.CanvasObject { return newDoorsScreen(s).build() }}
}

// doorsHealthEvery is how often the devices tab rereads the devices'
// health while it is shown, as the device strip does: the session's watch
// brings each report as it comes, the timer what a watch cannot.
const doorsHealthEvery = deviceBarEvery

// doorsScreen shows the doors, zones and devices, and lets those who may
// edit them, open a door now, or lock it down. Every change is a site file
// of one object given to Engine.PutObject, so the screen validates exactly as
// an import does; deletions go through Engine.DeleteObject, which refuses
// to delete what is in use.
type doorsScreen struct {
	s *session
	// serialPorts and usbDevices discover the hardware plugged in
	// (reader.System); tests replace them.
	serialPorts func() ([]reader.SerialPort, error)
	usbDevices  func() ([]reader.USBDevice, error)

	doors   []core.Door
	zones   []core.Zone
	devices []core.Device
	health  map[string]core.DeviceHealth
	ports   []reader.SerialPort
	usb     []reader.USBDevice

	content fyne.CanvasObject
	tabs    *container.AppTabs

	doorCat    *catalog
	doorID     *formEntry
	doorName   *formEntry
	doorFrom   *picker
	doorTo     *picker
	doorOwners *multiPick
	doorRelay  *picker
	doorChan   *formEntry
	doorPulse  *formEntry
	doorAPB    *widget.Check
	doorMode   *picker
	doorForm   *formGrid
	// open and lock act on the selected door: "Open now" (doors.open) and
	// "Lockdown"/"Release" (doors.lockdown); state says what was done.
	open  *widget.Button
	lock  *widget.Button
	state *widget.Label

	zoneCat  *catalog
	zoneID   *formEntry
	zoneName *formEntry
	zoneWork *widget.Check
	zoneForm *formGrid

	devCat     *catalog
	devID      *formEntry
	devKind    *widget.Select
	devRole    *widget.Select
	devDoor    *picker
	devDir     *widget.Select
	devPort    *widget.SelectEntry
	devPortIs  *widget.Label
	devPortBox *fyne.Container
	devBaud    *widget.Select
	devUSB     *widget.Select
	devVID     *formEntry
	devPID     *formEntry
	devSerial  *formEntry
	devAddress *formEntry
	devCoil    *formEntry
	devBits    *widget.Select
	devFormat  *widget.Select
	devHealth  *widget.Label
	devForm    *formGrid
}

func newDoorsScreen(s *session) *doorsScreen {
	return &doorsScreen{s: s, serialPorts: reader.System.SerialPorts, usbDevices: reader.System.USBDevices,
		health: map[string]core.DeviceHealth{}}
}

// The uses of a device as the form offers them.
func roleDoorReader() string { return lang.L("Door reader") }
func roleDeskReader() string { return lang.L("Desk reader") }
func roleRelay() string      { return lang.L("Relay") }

func (x *doorsScreen) build() fyne.CanvasObject {
	edit := x.s.can(core.PermDoorsEdit)
	x.buildDoorForm()
	x.buildZoneForm()
	x.buildDeviceForm()

	x.doorCat = &catalog{s: x.s, noun: lang.L("door"), editable: edit, form: x.doorForm,
		count: func() int { return len(x.doors) },
		row: func(i int) (string, string, widget.Importance) {
			d := x.doors[i]
			return d.Name, doorSummary(d), modeImportance(d.Mode)
		},
		show: x.showDoor, save: x.saveDoor,
		remove: func(i int) error { return x.s.engine.DeleteObject(x.s.actor, core.KindDoor, x.doors[i].ID) },
		elsewhere: func(i int) string {
			if site := x.doors[i].Site; site != "" {
				return fmt.Sprintf(lang.L("A door of site %s: it is changed there."), site)
			}
			return ""
		},
		name:   func(i int) string { return x.doors[i].Name },
		index:  func(id string) int { return slices.IndexFunc(x.doors, func(d core.Door) bool { return d.ID == id }) },
		reload: x.reload,
	}
	x.zoneCat = &catalog{s: x.s, noun: lang.L("zone"), editable: edit, form: x.zoneForm,
		count: func() int { return len(x.zones) },
		row: func(i int) (string, string, widget.Importance) {
			z := x.zones[i]
			detail := z.ID
			if z.Work {
				detail += " · " + lang.L("work zone")
			}
			return z.Name, detail, widget.MediumImportance
		},
		show: x.showZone, save: x.saveZone,
		remove: func(i int) error { return x.s.engine.DeleteObject(x.s.actor, core.KindZone, x.zones[i].ID) },
		name:   func(i int) string { return x.zones[i].Name },
		index:  func(id string) int { return slices.IndexFunc(x.zones, func(z core.Zone) bool { return z.ID == id }) },
		reload: x.reload,
	}
	x.devCat = &catalog{s: x.s, noun: lang.L("device"), editable: edit, form: x.devForm,
		count: func() int { return len(x.devices) },
		row: func(i int) (string, string, widget.Importance) {
			d := x.devices[i]
			state, imp := deviceState(d, x.health[d.ID])
			if _, rest, ok := strings.Cut(state, ": "); ok {
				state = rest
			} else {
				state = lang.L("working")
			}
			return d.ID, deviceSummary(d) + " · " + state, imp
		},
		show: x.showDevice, save: x.saveDevice,
		remove: func(i int) error { return x.s.engine.DeleteObject(x.s.actor, core.KindDevice, x.devices[i].ID) },
		name:   func(i int) string { return x.devices[i].ID },
		index: func(id string) int {
			return slices.IndexFunc(x.devices, func(d core.Device) bool { return d.ID == id })
		},
		reload: x.reload,
	}

	x.open = widget.NewButtonWithIcon(lang.L("Open now"), theme.LoginIcon(), x.openDoor)
	x.lock = widget.NewButtonWithIcon(lang.L("Lockdown"), theme.WarningIcon(), x.toggleLockdown)
	x.state = widget.NewLabel("")
	x.state.Wrapping = fyne.TextWrapWord
	actions := container.NewHBox()
	if x.s.can(core.PermDoorsOpen) {
		actions.Add(x.open)
	} else {
		x.open.Hide()
	}
	if x.s.can(core.PermDoorsLockdown) {
		actions.Add(x.lock)
	} else {
		x.lock.Hide()
	}
	doorTop := container.NewVBox(actions, x.state)
	if len(actions.Objects) == 0 {
		doorTop.Hide()
	}
	rescan := widget.NewButtonWithIcon(lang.L("Rescan ports"), theme.ViewRefreshIcon(), func() {
		x.scanPorts()
		x.updateDeviceFields()
	})
	if !edit {
		rescan.Hide()
	}

	x.reload()
	x.scanPorts()
	x.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("Doors"), x.doorCat.build(doorTop, x.doorForm.box)),
		container.NewTabItem(lang.L("Zones"), x.zoneCat.build(nil, x.zoneForm.box)),
		container.NewTabItem(lang.L("Devices"), x.devCat.build(container.NewVBox(x.devHealth), x.devForm.box, rescan)),
	)
	x.content = x.tabs
	x.doorCat.start()
	x.zoneCat.start()
	x.devCat.start()
	x.scheduleHealth()
	if x.s.listen != nil {
		x.s.listen(doorsHealth{x})
	}
	return x.content
}

func (x *doorsScreen) buildDoorForm() {
	x.doorID = newFormEntry()
	x.doorID.SetPlaceHolder("main")
	x.doorName = newFormEntry()
	x.doorFrom = newPicker("")
	x.doorTo = newPicker("")
	people := peopleFinder(x.s)
	x.doorOwners = newMultiPick(people, true, func(id string) string { return nameOf(people, id) })
	x.doorRelay = newPicker(lang.L("(no relay)"))
	x.doorChan = newFormEntry()
	x.doorChan.SetPlaceHolder("1")
	x.doorPulse = newFormEntry()
	x.doorPulse.SetPlaceHolder("3s")
	x.doorAPB = widget.NewCheck(lang.L("Anti-passback"), nil)
	x.doorMode = newPicker("")
	x.doorMode.plain = true
	x.doorMode.setItems([]string{string(core.DoorNormal), string(core.DoorUnlocked), string(core.DoorLockdown)},
		[]string{lang.L("Normal: badges decide"), lang.L("Held unlocked"), lang.L("Lockdown: master badges only")})
	x.doorForm = newFormGrid()
	x.doorForm.add(lang.L("Identifier"), x.doorID)
	x.doorForm.add(lang.L("Name"), x.doorName)
	x.doorForm.add(lang.L("From zone"), x.doorFrom.Select)
	x.doorForm.add(lang.L("To zone"), x.doorTo.Select)
	x.doorForm.add(lang.L("Owners"), x.doorOwners.box)
	relay := container.NewBorder(nil, nil, nil,
		container.NewHBox(widget.NewLabel(lang.L("channel")), container.NewGridWrap(fyne.NewSize(60, x.doorChan.MinSize().Height), x.doorChan)),
		x.doorRelay.Select)
	x.doorForm.add(lang.L("Relay"), relay)
	x.doorForm.add(lang.L("Pulse"), x.doorPulse)
	x.doorForm.add("", x.doorAPB)
	x.doorForm.add(lang.L("Mode"), x.doorMode.Select)
	for _, f := range []struct {
		w      fyne.CanvasObject
		fields []string
	}{
		{x.doorID, []string{"id"}}, {x.doorName, []string{"name"}}, {x.doorFrom.Select, []string{"from"}},
		{x.doorTo.Select, []string{"to"}}, {x.doorOwners.box, []string{"owners"}}, {relay, []string{"relay"}},
		{x.doorPulse, []string{"pulse"}}, {x.doorAPB, []string{"anti_passback"}}, {x.doorMode.Select, []string{"mode"}},
	} {
		x.doorForm.field(f.w, f.fields...)
	}
}

func (x *doorsScreen) buildZoneForm() {
	x.zoneID = newFormEntry()
	x.zoneID.SetPlaceHolder("office")
	x.zoneName = newFormEntry()
	x.zoneWork = widget.NewCheck(lang.L("Work zone: time spent here counts as worked"), nil)
	x.zoneForm = newFormGrid()
	x.zoneForm.add(lang.L("Identifier"), x.zoneID)
	x.zoneForm.add(lang.L("Name"), x.zoneName)
	x.zoneForm.add("", x.zoneWork)
	x.zoneForm.field(x.zoneID, "id")
	x.zoneForm.field(x.zoneName, "name")
	x.zoneForm.field(x.zoneWork, "work")
}

func (x *doorsScreen) buildDeviceForm() {
	var kinds []string
	for _, k := range slices.Concat(core.ReaderKinds, core.RelayKinds) {
		if !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
		}
	}
	x.devID = newFormEntry()
	x.devID.SetPlaceHolder("main-in")
	x.devKind = newSelect(kinds, func(string) { x.updateDeviceFields() })
	x.devRole = newSelect(nil, func(string) { x.updateDeviceFields() })
	x.devDoor = newPicker("")
	x.devDir = newSelect([]string{string(core.In), string(core.Out)}, nil)
	x.devPort = widget.NewSelectEntry(nil)
	x.devPort.SetPlaceHolder("/dev/serial/by-id/...")
	x.devPort.OnChanged = func(string) { x.describePort() }
	x.devPortIs = widget.NewLabel("")
	x.devPortIs.Importance = widget.LowImportance
	x.devPortIs.Wrapping = fyne.TextWrapWord
	x.devBaud = newSelect([]string{"", "1200", "2400", "4800", "9600", "19200", "38400", "57600", "115200"}, nil)
	x.devBaud.PlaceHolder = lang.L("default (9600)")
	x.devUSB = newSelect(nil, x.pickUSB)
	x.devUSB.PlaceHolder = lang.L("choose a plugged-in device…")
	x.devVID = newFormEntry()
	x.devVID.SetPlaceHolder("ffff")
	x.devPID = newFormEntry()
	x.devPID.SetPlaceHolder("0035")
	x.devSerial = newFormEntry()
	x.devAddress = newFormEntry()
	x.devAddress.SetPlaceHolder("1")
	x.devCoil = newFormEntry()
	x.devCoil.SetPlaceHolder("0")
	x.devBits = newSelect([]string{"", "26", "34"}, func(string) { x.updateDeviceFields() })
	x.devBits.PlaceHolder = lang.L("default (26)")
	// The formats a wedge or Wiegand converter may be set to
	// (core.ReadFormats): the options follow the kind and the bits.
	x.devFormat = newSelect(nil, nil)
	x.devFormat.PlaceHolder = lang.L("auto (unambiguous lines only)")
	x.devHealth = widget.NewLabel("")
	x.devHealth.Wrapping = fyne.TextWrapWord

	x.devForm = newFormGrid()
	x.devForm.add(lang.L("Identifier"), x.devID)
	x.devForm.add(lang.L("Kind"), x.devKind)
	x.devForm.add(lang.L("Use"), x.devRole)
	x.devForm.add(lang.L("Door"), x.devDoor.Select)
	x.devForm.add(lang.L("Direction"), x.devDir)
	x.devPortBox = container.NewVBox(x.devPort, x.devPortIs)
	x.devForm.add(lang.L("Port"), x.devPortBox)
	x.devForm.add(lang.L("Baud"), x.devBaud)
	x.devForm.add(lang.L("USB device"), x.devUSB)
	x.devForm.add(lang.L("Vendor id"), x.devVID)
	x.devForm.add(lang.L("Product id"), x.devPID)
	x.devForm.add(lang.L("Board serial"), x.devSerial)
	x.devForm.add(lang.L("Modbus address"), x.devAddress)
	x.devForm.add(lang.L("First coil"), x.devCoil)
	x.devForm.add(lang.L("Wiegand bits"), x.devBits)
	x.devForm.add(lang.L("Number format"), x.devFormat)
	for _, f := range []struct {
		w      fyne.CanvasObject
		fields []string
	}{
		{x.devID, []string{"id"}}, {x.devKind, []string{"kind"}}, {x.devRole, []string{"desk"}},
		{x.devDoor.Select, []string{"door"}}, {x.devDir, []string{"direction"}}, {x.devPortBox, []string{"port"}},
		{x.devBaud, []string{"baud"}}, {x.devVID, []string{"vid"}}, {x.devPID, []string{"pid"}},
		{x.devSerial, []string{"serial"}}, {x.devAddress, []string{"address"}}, {x.devCoil, []string{"first_coil"}},
		{x.devBits, []string{"bits"}}, {x.devFormat, []string{"format"}},
	} {
		x.devForm.field(f.w, f.fields...)
	}
}

// reload rereads doors, zones, devices and health, and the choices that
// depend on them.
func (x *doorsScreen) reload() {
	e, a := x.s.engine, x.s.actor
	x.doors = e.Doors(a)
	x.devices = e.Devices(a)
	zones, err := e.Zones(a)
	if err != nil {
		x.s.fail(lang.L("Read zones"), err)
	}
	x.zones = zones
	x.readHealth()

	var zoneIDs, zoneNames []string
	for _, z := range x.zones {
		zoneIDs, zoneNames = append(zoneIDs, z.ID), append(zoneNames, z.Name)
	}
	x.doorFrom.setItems(zoneIDs, zoneNames)
	x.doorTo.setItems(zoneIDs, zoneNames)
	var relayIDs, doorIDs, doorNames []string
	for _, d := range x.devices {
		if d.IsRelay() {
			relayIDs = append(relayIDs, d.ID)
		}
	}
	x.doorRelay.setItems(relayIDs, relayIDs)
	for _, d := range x.doors {
		if d.Site != "" {
			continue // another site's readers serve it, none of this one's
		}
		doorIDs, doorNames = append(doorIDs, d.ID), append(doorNames, d.Name)
	}
	x.devDoor.setItems(doorIDs, doorNames)
	for _, c := range []*catalog{x.doorCat, x.zoneCat, x.devCat} {
		if c != nil && c.list != nil {
			c.list.Refresh()
		}
	}
}

func (x *doorsScreen) readHealth() {
	clear(x.health)
	for _, h := range x.s.engine.Health(x.s.actor) {
		x.health[h.Device] = h
	}
}

// doorsHealth is the doors screen as a listener of device health; the
// rest of the screen is read when it opens and after each change.
type doorsHealth struct{ x *doorsScreen }

// reload rereads the health: the watch missed reports, or the service is
// back.
func (h doorsHealth) reload() {
	h.x.readHealth()
	h.x.showAllHealth()
}

func (h doorsHealth) setHealth(hs []core.DeviceHealth) {
	for _, r := range hs {
		if forgotten(r) {
			delete(h.x.health, r.Device)
		} else {
			h.x.health[r.Device] = r
		}
	}
	h.x.showAllHealth()
}

// showAllHealth shows the health read last in the list of devices and
// for the device selected.
func (x *doorsScreen) showAllHealth() {
	if x.devCat.list != nil {
		x.devCat.list.Refresh()
	}
	x.showHealth()
}

// scheduleHealth rereads the devices' health every second while the
// screen is shown.
func (x *doorsScreen) scheduleHealth() {
	if x.s.after == nil {
		return
	}
	x.s.after(doorsHealthEvery, func() {
		if !shown(x.content) {
			return // the screen was left: let the timer go
		}
		x.readHealth()
		x.showAllHealth()
		x.scheduleHealth()
	})
}

// shown reports whether o is on a window's canvas.
func shown(o fyne.CanvasObject) bool {
	app := fyne.CurrentApp()
	return app != nil && app.Driver().CanvasForObject(o) != nil
}

// scanPorts lists the serial ports and USB devices plugged in.
func (x *doorsScreen) scanPorts() {
	var err error
	if x.ports, err = x.serialPorts(); err != nil {
		x.s.log.Warn("doors: list serial ports", "err", err)
	}
	if x.usb, err = x.usbDevices(); err != nil {
		x.s.log.Warn("doors: list usb devices", "err", err)
	}
	var names []string
	for _, p := range x.ports {
		names = append(names, portName(p))
	}
	x.devPort.SetOptions(names)
	var usb []string
	for _, u := range x.usb {
		usb = append(usb, usbLabel(u))
	}
	x.devUSB.SetOptions(usb)
	x.describePort()
}

// portName is the name of a port to put in the site: its by-id link,
// which stays the same when adapters are plugged in another order.
func portName(p reader.SerialPort) string {
	if p.ByID != "" {
		return p.ByID
	}
	return p.Path
}

func usbLabel(u reader.USBDevice) string {
	what := strings.TrimSpace(u.Manufacturer + " " + u.Product)
	if u.Known != "" {
		what = u.Known
	}
	if what == "" {
		what = lang.L("unknown device")
	}
	return fmt.Sprintf("%s:%s %s", u.VID, u.PID, what)
}

// describePort says what the port typed or chosen is, when it is plugged
// in.
func (x *doorsScreen) describePort() {
	text := strings.TrimSpace(x.devPort.Text)
	x.devPortIs.SetText("")
	if text == "" {
		return
	}
	for _, p := range x.ports {
		if text == p.Path || text == p.ByID {
			what := p.Known
			if what == "" {
				what = strings.TrimSpace(p.Manufacturer + " " + p.Product)
			}
			if what == "" {
				what = p.Driver
			}
			x.devPortIs.SetText(fmt.Sprintf(lang.L("%s, plugged in: %s"), p.Path, what))
			return
		}
	}
	x.devPortIs.SetText(lang.L("Not plugged in now"))
}

// pickUSB fills the ids of the USB device chosen.
func (x *doorsScreen) pickUSB(label string) {
	i := slices.IndexFunc(x.usb, func(u reader.USBDevice) bool { return usbLabel(u) == label })
	if i < 0 {
		return
	}
	u := x.usb[i]
	if x.devKind.Selected == "usb-dcttech-relay" {
		x.devSerial.SetText(u.Serial)
		return
	}
	x.devVID.SetText(u.VID)
	x.devPID.SetText(u.PID)
}

// --- doors ---

func doorSummary(d core.Door) string {
	parts := []string{d.ID, d.From + " → " + d.To}
	if d.Relay != "" {
		parts = append(parts, d.Relay)
	}
	switch d.Mode {
	case core.DoorLockdown:
		parts = append(parts, lang.L("LOCKDOWN"))
	case core.DoorUnlocked:
		parts = append(parts, lang.L("held unlocked"))
	}
	return strings.Join(parts, " · ")
}

func modeImportance(m core.DoorMode) widget.Importance {
	switch m {
	case core.DoorLockdown:
		return widget.DangerImportance
	case core.DoorUnlocked:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}

func (x *doorsScreen) showDoor(i int) {
	d := core.Door{Mode: core.DoorNormal}
	if i >= 0 {
		d = x.doors[i]
	}
	x.doorID.SetText(d.ID)
	x.doorName.SetText(d.Name)
	x.doorFrom.setID(d.From)
	x.doorTo.setID(d.To)
	x.doorOwners.setIDs(d.Owners)
	dev, ch, _ := strings.Cut(d.Relay, ":")
	x.doorRelay.setID(dev)
	x.doorChan.SetText(ch)
	x.doorPulse.SetText("")
	if d.Pulse != 0 {
		x.doorPulse.SetText(d.Pulse.String())
	}
	x.doorAPB.SetChecked(d.AntiPassback)
	mode := d.Mode
	if mode == "" {
		mode = core.DoorNormal
	}
	x.doorMode.setID(string(mode))
	setEnabled(i < 0 && x.doorCat.editable, x.doorID)
	x.doorOwners.setEnabled(x.doorCat.editable)
	setEnabled(x.doorCat.editable, x.doorName, x.doorFrom.Select, x.doorTo.Select,
		x.doorRelay.Select, x.doorChan, x.doorPulse, x.doorAPB, x.doorMode.Select)
	x.state.SetText("")
	x.state.Hide()
	x.updateDoorActions(i)
}

// updateDoorActions offers Open now for a door with a relay (in
// lockdown, only to who may also lift it), and Lockdown or Release for
// the door's mode.
func (x *doorsScreen) updateDoorActions(i int) {
	if i < 0 {
		x.open.Disable()
		x.lock.Disable()
		return
	}
	d := x.doors[i]
	setEnabled(d.Relay != "" && (d.Mode != core.DoorLockdown || x.s.can(core.PermDoorsLockdown)), x.open)
	// Another site's door is locked down there.
	setEnabled(d.Site == "", x.lock)
	if d.Mode == core.DoorLockdown {
		x.lock.SetText(lang.L("Release"))
		x.lock.Importance = widget.HighImportance
	} else {
		x.lock.SetText(lang.L("Lockdown"))
		x.lock.Importance = widget.DangerImportance
	}
	x.lock.Refresh()
}

func (x *doorsScreen) saveDoor(isNew bool) (string, error) {
	d := core.Door{
		ID:           strings.TrimSpace(x.doorID.Text),
		Name:         strings.TrimSpace(x.doorName.Text),
		From:         x.doorFrom.id(),
		To:           x.doorTo.id(),
		AntiPassback: x.doorAPB.Checked,
		Mode:         core.DoorMode(x.doorMode.id()),
	}
	var ps core.Problems
	owners, err := x.doorOwners.chosen("owners")
	if err != nil {
		ps = append(ps, err)
	}
	d.Owners = owners
	if dev := x.doorRelay.id(); dev != "" {
		ch := strings.TrimSpace(x.doorChan.Text)
		if ch == "" {
			ps = append(ps, fieldError("relay", lang.L("give the relay's channel, from 1")))
		}
		d.Relay = dev + ":" + ch
	}
	if p := strings.TrimSpace(x.doorPulse.Text); p != "" {
		v, err := core.ParseDuration(p)
		switch {
		case err != nil:
			ps = append(ps, fieldError("pulse", fmt.Sprintf(lang.L("'%s' is not a duration such as 3s or 1m30s"), p)))
		case v == 0:
			ps = append(ps, fieldError("pulse", lang.L("leave it empty for the default, 3s")))
		}
		d.Pulse = v
	}
	if isNew && x.doorCat.index(d.ID) >= 0 {
		ps = append(ps, fieldError("id", fmt.Sprintf(lang.L("a door %q exists already"), d.ID)))
	}
	if len(ps) > 0 {
		return "", append(ps, required(d.ID, "id", d.Name, "name")...)
	}
	return d.ID, x.s.engine.PutObject(x.s.actor, &core.SiteFile{Doors: []core.Door{d}})
}

// openDoor opens the selected door now; a door in lockdown only once
// confirmed.
func (x *doorsScreen) openDoor() {
	i := x.doorCat.current
	if i < 0 {
		return
	}
	d := x.doors[i]
	if d.Mode == core.DoorLockdown {
		confirm(x.s, lang.L("Open a door in lockdown"),
			fmt.Sprintf(lang.L("%s is in lockdown: only master badges open it. Open it now anyway? The log will say it was opened during the lockdown, and by you."), d.Name),
			lang.L("Open anyway"), func() { x.openNow(d) })
		return
	}
	x.openNow(d)
}

// openNow opens door d.
func (x *doorsScreen) openNow(d core.Door) {
	ev, err := x.s.engine.OpenDoor(x.s.actor, d.ID)
	if err != nil {
		x.s.fail(fmt.Sprintf(lang.L("Open door %s"), d.Name), err)
		return
	}
	x.state.Importance = widget.SuccessImportance
	x.state.SetText(fmt.Sprintf(lang.L("%s opened at %s"), d.Name, ev.At.In(x.s.engine.Location()).Format("15:04:05")))
	x.state.Show()
}

// toggleLockdown locks the selected door down, or releases it.
func (x *doorsScreen) toggleLockdown() {
	i := x.doorCat.current
	if i < 0 {
		return
	}
	d := x.doors[i]
	mode, done := core.DoorLockdown, lang.L("%s is in lockdown: only master badges open it")
	title, question, yes := lang.L("Lockdown"), lang.L("Lock %s down? Only master badges open it until someone releases it."), lang.L("Lock down")
	if d.Mode == core.DoorLockdown {
		mode, done = core.DoorNormal, lang.L("%s is released: badges open it as usual")
		title, question, yes = lang.L("Release"), lang.L("Release %s? Every badge allowed there opens it again."), lang.L("Release")
	}
	confirm(x.s, title, fmt.Sprintf(question, d.Name), yes, func() {
		if _, err := x.s.engine.SetDoorMode(x.s.actor, d.ID, mode); err != nil {
			x.s.fail(fmt.Sprintf(lang.L("Change the mode of door %s"), d.Name), err)
			return
		}
		x.doorCat.refresh(d.ID)
		x.state.Importance = modeImportance(mode)
		x.state.SetText(fmt.Sprintf(done, d.Name))
		x.state.Show()
	})
}

// --- zones ---

func (x *doorsScreen) showZone(i int) {
	var z core.Zone
	if i >= 0 {
		z = x.zones[i]
	}
	x.zoneID.SetText(z.ID)
	x.zoneName.SetText(z.Name)
	x.zoneWork.SetChecked(z.Work)
	setEnabled(i < 0 && x.zoneCat.editable, x.zoneID)
	setEnabled(x.zoneCat.editable, x.zoneName, x.zoneWork)
}

func (x *doorsScreen) saveZone(isNew bool) (string, error) {
	z := core.Zone{ID: strings.TrimSpace(x.zoneID.Text), Name: strings.TrimSpace(x.zoneName.Text), Work: x.zoneWork.Checked}
	if isNew && x.zoneCat.index(z.ID) >= 0 {
		return "", append(core.Problems{fieldError("id", fmt.Sprintf(lang.L("a zone %q exists already"), z.ID))},
			required(z.Name, "name")...)
	}
	return z.ID, x.s.engine.PutObject(x.s.actor, &core.SiteFile{Zones: []core.Zone{z}})
}

// --- devices ---

func deviceSummary(d core.Device) string {
	switch {
	case d.Desk:
		return d.Kind + " · " + lang.L("desk")
	case d.Door != "":
		return fmt.Sprintf("%s · %s %s", d.Kind, d.Door, d.Direction)
	}
	return d.Kind + " · " + lang.L("relay")
}

func (x *doorsScreen) showDevice(i int) {
	d := core.Device{Kind: "sim"}
	if i >= 0 {
		d = x.devices[i]
	}
	x.devID.SetText(d.ID)
	x.devKind.SetSelected(d.Kind)
	switch {
	case d.Desk:
		x.devRole.SetSelected(roleDeskReader())
	case d.Door != "" || (i < 0 && slices.Contains(core.ReaderKinds, d.Kind)):
		x.devRole.SetSelected(roleDoorReader())
	default:
		x.devRole.SetSelected(roleRelay())
	}
	x.devDoor.setID(d.Door)
	x.devDir.SetSelected(string(d.Direction))
	x.devPort.SetText(d.Port)
	x.devBaud.SetSelected(intText(d.Baud))
	x.devUSB.ClearSelected()
	x.devVID.SetText(d.VID)
	x.devPID.SetText(d.PID)
	x.devSerial.SetText(d.Serial)
	x.devAddress.SetText(intText(d.Address))
	x.devCoil.SetText(intText(d.FirstCoil))
	x.devBits.SetSelected(intText(d.Bits))
	x.updateDeviceFields()
	if d.Format == "" {
		x.devFormat.ClearSelected()
	} else {
		x.devFormat.SetSelected(d.Format)
	}
	setEnabled(i < 0 && x.devCat.editable, x.devID)
	setEnabled(x.devCat.editable, x.devKind, x.devRole, x.devDoor.Select, x.devDir, x.devPort, x.devBaud, x.devUSB,
		x.devVID, x.devPID, x.devSerial, x.devAddress, x.devCoil, x.devBits, x.devFormat)
	x.updateDeviceFields()
	x.showHealth()
}

// updateDeviceFields shows the settings the chosen kind and use have.
func (x *doorsScreen) updateDeviceFields() {
	kind := x.devKind.Selected
	var roles []string
	if slices.Contains(core.ReaderKinds, kind) {
		roles = append(roles, roleDoorReader(), roleDeskReader())
	}
	if slices.Contains(core.RelayKinds, kind) {
		roles = append(roles, roleRelay())
	}
	if !slices.Equal(x.devRole.Options, roles) {
		x.devRole.SetOptions(roles)
	}
	if !slices.Contains(roles, x.devRole.Selected) && len(roles) > 0 {
		x.devRole.SetSelected(roles[0]) // calls back here
		return
	}
	serial := strings.HasPrefix(kind, "serial-")
	doorReader := x.devRole.Selected == roleDoorReader()
	f := x.devForm
	f.show(x.devRole, len(roles) > 1)
	f.show(x.devDoor.Select, doorReader)
	f.show(x.devDir, doorReader)
	f.show(x.devPortBox, serial)
	f.show(x.devBaud, serial)
	f.show(x.devUSB, kind == "usb-wedge" || kind == "usb-dcttech-relay")
	f.show(x.devVID, kind == "usb-wedge")
	f.show(x.devPID, kind == "usb-wedge")
	f.show(x.devSerial, kind == "usb-dcttech-relay")
	f.show(x.devAddress, kind == "serial-modbus-relay")
	f.show(x.devCoil, kind == "serial-modbus-relay")
	f.show(x.devBits, kind == "serial-wiegand")
	bits, _ := strconv.Atoi(x.devBits.Selected)
	formats := core.ReadFormats(kind, bits)
	if !slices.Equal(x.devFormat.Options, formats) {
		x.devFormat.SetOptions(formats)
	}
	if !slices.Contains(formats, x.devFormat.Selected) {
		x.devFormat.ClearSelected()
	}
	f.show(x.devFormat, formats != nil)
}

// showHealth says how the selected device is doing, as the supervisor
// last reported.
func (x *doorsScreen) showHealth() {
	i := x.devCat.current
	if x.devCat.list == nil || i < 0 || i >= len(x.devices) {
		x.devHealth.SetText("")
		return
	}
	d := x.devices[i]
	h, ok := x.health[d.ID]
	text, imp := deviceState(d, h)
	loc := x.s.engine.Location()
	if ok {
		if h.Connected {
			text = fmt.Sprintf(lang.L("Connected since %s"), h.Since.In(loc).Format("2006-01-02 15:04:05"))
		}
		if d.IsReader() {
			text += fmt.Sprintf(lang.L(" · %d frames read, %d rejected"), h.Frames, h.Rejected)
			if !h.LastFrame.IsZero() {
				text += fmt.Sprintf(lang.L(", last at %s"), h.LastFrame.In(loc).Format("15:04:05"))
			}
		}
		if h.LastError != "" {
			text += fmt.Sprintf(lang.L(" · last error at %s: %s"), h.ErrorAt.In(loc).Format("15:04:05"), h.LastError)
		}
	}
	x.devHealth.Importance = imp
	x.devHealth.SetText(text)
}

func (x *doorsScreen) saveDevice(isNew bool) (string, error) {
	kind := x.devKind.Selected
	d := core.Device{ID: strings.TrimSpace(x.devID.Text), Kind: kind}
	var ps core.Problems
	if kind == "" {
		ps = append(ps, fieldError("kind", lang.L("required")))
	}
	switch x.devRole.Selected {
	case roleDoorReader():
		d.Door, d.Direction = x.devDoor.id(), core.Direction(x.devDir.Selected)
	case roleDeskReader():
		d.Desk = true
	}
	if strings.HasPrefix(kind, "serial-") {
		d.Port = strings.TrimSpace(x.devPort.Text)
		d.Baud, _ = strconv.Atoi(x.devBaud.Selected)
	}
	switch kind {
	case "usb-wedge":
		d.VID, d.PID = strings.ToLower(strings.TrimSpace(x.devVID.Text)), strings.ToLower(strings.TrimSpace(x.devPID.Text))
		d.Format = x.devFormat.Selected
	case "usb-dcttech-relay":
		d.Serial = strings.TrimSpace(x.devSerial.Text)
	case "serial-modbus-relay":
		var err error
		if d.Address, err = optInt(x.devAddress.Text); err != nil {
			ps = append(ps, fieldError("address", err.Error()))
		}
		if d.FirstCoil, err = optInt(x.devCoil.Text); err != nil {
			ps = append(ps, fieldError("first_coil", err.Error()))
		}
	case "serial-wiegand":
		d.Bits, _ = strconv.Atoi(x.devBits.Selected)
		d.Format = x.devFormat.Selected
	}
	if isNew && x.devCat.index(d.ID) >= 0 {
		ps = append(ps, fieldError("id", fmt.Sprintf(lang.L("a device %q exists already"), d.ID)))
	}
	if len(ps) > 0 {
		return "", append(ps, required(d.ID, "id")...)
	}
	return d.ID, x.s.engine.PutObject(x.s.actor, &core.SiteFile{Devices: []core.Device{d}})
}

func intText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// optInt reads a whole number, "" as 0.
func optInt(s string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf(lang.L("%q is not a whole number"), s)
	}
	return n, nil
}

// --- what the administration screens share ---

// catalog is a list of objects of one kind beside the form of the one
// selected, or of a new one, with New, Save and Delete buttons for those
// who may edit. The screen that owns it holds the objects and the form;
// the catalog selects, saves, deletes and says what went wrong: a problem
// with the input under the form, anything else in a dialog.
type catalog struct {
	s        *session
	noun     string // "door", for messages
	editable bool
	count    func() int
	row      func(i int) (title, detail string, imp widget.Importance)
	// show fills the form with object i, or empties it for a new one (-1).
	show func(i int)
	// save stores the form as a new object or over the selected one and
	// returns its id.
	save func(isNew bool) (string, error)
	// remove deletes object i; nil when the kind cannot be deleted here.
	remove func(i int) error
	// elsewhere, when set, says why object i is shown and not changed:
	// another site of the company owns it (a door it published); "" for
	// one of this site's.
	elsewhere func(i int) string
	name      func(i int) string
	index     func(id string) int
	// reload rereads the objects after a change.
	reload func()

	// form is the form's grid, whose fields show their problems; nil
	// shows them all under the form.
	form *formGrid

	current int // the selected object, -1 for a new one
	list    *widget.List
	problem *widget.Label
	saved   *widget.Label // "Saved …" after a save
	owner   *widget.Label // elsewhere's sentence
	saveBtn *widget.Button
	delBtn  *widget.Button
	newBtn  *widget.Button
	// fields is the form built: a catalog not editable disables its
	// controls whatever the object shown (and hides the extra buttons).
	fields fyne.CanvasObject
}

// build lays the list beside top, the form and extra buttons.
func (c *catalog) build(top, form fyne.CanvasObject, extra ...fyne.CanvasObject) fyne.CanvasObject {
	c.list = widget.NewList(c.count, newListRow, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < c.count() {
			title, detail, imp := c.row(id)
			setListRow(o, title, detail, imp)
		}
	})
	c.list.OnSelected = func(id widget.ListItemID) { c.choose(id) }
	c.problem = problemLabel()
	c.saved = newSavedNote()
	c.owner = widget.NewLabel("")
	c.owner.Wrapping = fyne.TextWrapWord
	c.owner.Importance = widget.MediumImportance
	c.owner.Hide()
	if c.form != nil {
		c.form.spots.rest = c.problem
	}
	c.newBtn = widget.NewButtonWithIcon(fmt.Sprintf(lang.L("New %s"), c.noun), theme.ContentAddIcon(), func() {
		c.list.UnselectAll()
		c.choose(-1)
	})
	c.saveBtn = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), c.doSave)
	c.saveBtn.Importance = widget.HighImportance
	c.delBtn = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), c.doDelete)
	var buttons fyne.CanvasObject = container.NewHBox(c.newBtn, layout.NewSpacer(), c.delBtn, c.saveBtn)
	if len(extra) > 0 {
		// The extra buttons on a line of their own: all on one, they
		// are too wide for a small screen in French or Russian.
		buttons = container.NewVBox(container.NewHBox(append([]fyne.CanvasObject{c.newBtn}, extra...)...),
			container.NewHBox(layout.NewSpacer(), c.delBtn, c.saveBtn))
	}
	c.fields = form
	if !c.editable {
		c.newBtn.Hide()
		c.saveBtn.Hide()
		c.delBtn.Hide()
		for _, o := range extra {
			o.Hide()
		}
	}
	if c.remove == nil {
		c.delBtn.Hide()
	}
	var head fyne.CanvasObject
	if top != nil {
		head = container.NewVBox(top, widget.NewSeparator())
	}
	right := borderInTabOrder(head, container.NewVBox(c.owner, c.problem, c.saved, buttons), nil, nil, container.NewVScroll(form))
	split := container.NewHSplit(c.list, container.NewPadded(right))
	split.Offset = 0.35
	if c.editable {
		c.s.formKeys(split, c.doSave, func() { c.choose(c.current) }, form)
	}
	return split
}

// start selects the first object, or prepares a new one if there is none.
func (c *catalog) start() {
	if c.count() > 0 {
		c.list.Select(0)
		return
	}
	c.choose(-1)
}

// choose shows object i (-1: a new one).
func (c *catalog) choose(i int) {
	c.current = i
	c.problem.Hide()
	c.saved.Hide()
	if c.form != nil {
		c.form.spots.clear()
	}
	setEnabled(i >= 0, c.delBtn)
	c.show(i)
	other := ""
	if c.ownedElsewhere(i) {
		other = c.elsewhere(i)
	}
	if !c.editable || other != "" {
		disableAll(c.fields)
	}
	c.owner.SetText(other)
	c.owner.Hidden = other == ""
	if c.editable {
		c.saveBtn.Hidden = other != ""
		c.delBtn.Hidden = other != "" || c.remove == nil
	}
	c.owner.Refresh()
	c.saveBtn.Refresh()
	c.delBtn.Refresh()
}

func (c *catalog) doSave() {
	if c.ownedElsewhere(c.current) {
		return // Ctrl+S on what another site changes
	}
	id, err := c.save(c.current < 0)
	if err != nil {
		c.showProblem(fmt.Sprintf(lang.L("Save %s"), c.noun), err)
		return
	}
	c.problem.Hide()
	if c.form != nil {
		c.form.spots.clear()
	}
	c.refresh(id)
	if c.current >= 0 {
		showSaved(c.saved, c.name(c.current))
	}
}

// ownedElsewhere reports whether object i is another site's.
func (c *catalog) ownedElsewhere(i int) bool {
	return i >= 0 && i < c.count() && c.elsewhere != nil && c.elsewhere(i) != ""
}

// refresh rereads the objects and selects id.
func (c *catalog) refresh(id string) {
	c.reload()
	c.list.Refresh()
	if i := c.index(id); i >= 0 {
		c.list.UnselectAll() // so that Select shows i even if it was selected
		c.list.Select(i)
		return
	}
	c.start()
}

func (c *catalog) doDelete() {
	i := c.current
	if i < 0 || c.remove == nil || c.ownedElsewhere(i) {
		return
	}
	name := c.name(i)
	confirm(c.s, fmt.Sprintf(lang.L("Delete %s"), c.noun), fmt.Sprintf(lang.L("Delete %s %s? This cannot be undone."), c.noun, name),
		lang.L("Delete"), func() {
			if err := c.remove(i); err != nil {
				c.showProblem(fmt.Sprintf(lang.L("Delete %s %s"), c.noun, name), err)
				return
			}
			c.reload()
			c.list.UnselectAll()
			c.list.Refresh()
			c.start()
		})
}

// showProblem shows err under the form when it is about the input, else
// in a dialog.
func (c *catalog) showProblem(what string, err error) {
	c.saved.Hide()
	if c.form != nil {
		if c.form.spots.show(err) {
			return
		}
		c.s.fail(what, err)
		return
	}
	if msg, ok := inputProblem(err); ok {
		c.problem.SetText(msg)
		c.problem.Show()
		return
	}
	c.problem.Hide()
	c.s.fail(what, err)
}

// inputProblem words err for the form it came from, when it is a problem
// with the input (invalid, in conflict, naming what does not exist): each
// problem in the window's language, after the field it is about (a site
// file's path loses its first part, "doors[0].relay" reads "relay").
func inputProblem(err error) (string, bool) {
	spots := newProblemSpots(widget.NewLabel(""))
	if !spots.show(err) {
		return "", false
	}
	return spots.rest.Text, true
}

// confirm asks before an action that cannot be undone, with yes as the
// label of the button that does it. Without a window (the command line's
// tests) there is nobody to ask and it does it.
func confirm(s *session, title, message, yes string, do func()) {
	if s.window == nil {
		do()
		return
	}
	d := dialog.NewConfirm(title, message, func(ok bool) {
		if ok {
			do()
		}
	}, s.window)
	d.SetConfirmText(yes)
	d.SetDismissText(lang.L("Cancel"))
	d.SetConfirmImportance(widget.DangerImportance)
	d.Show()
}

// newListRow is a row of two lines: a title and a detail in small print.
func newListRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	detail := widget.NewLabel("")
	detail.Truncation = fyne.TextTruncateEllipsis
	detail.SizeName = theme.SizeNameCaptionText
	return container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), title, detail)
}

func setListRow(o fyne.CanvasObject, title, detail string, imp widget.Importance) {
	c := o.(*fyne.Container)
	t, d := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Label)
	t.SetText(title)
	if d.Text != detail || d.Importance != imp {
		d.Text, d.Importance = detail, imp
		d.Refresh()
	}
}

// formGrid is a form of labelled rows that can be hidden, for settings
// that only some kinds of objects have.
type formGrid struct {
	box    *fyne.Container
	labels map[fyne.CanvasObject]*widget.Label
	// cells hold a widget over the problems of its field (field).
	cells map[fyne.CanvasObject]fyne.CanvasObject
	spots *problemSpots
}

func newFormGrid() *formGrid {
	return &formGrid{box: container.New(layout.NewFormLayout()), labels: map[fyne.CanvasObject]*widget.Label{},
		cells: map[fyne.CanvasObject]fyne.CanvasObject{}, spots: newProblemSpots(nil)}
}

// field shows the problems of the engine's fields named under the row of
// w, added before.
func (g *formGrid) field(w fyne.CanvasObject, fields ...string) {
	label := ""
	if l := g.labels[w]; l != nil {
		label = l.Text
	}
	cell := g.spots.under(w, label, fields...)
	for i, o := range g.box.Objects {
		if o == w {
			g.box.Objects[i] = cell
		}
	}
	g.cells[w] = cell
}

func (g *formGrid) add(label string, w fyne.CanvasObject) {
	l := widget.NewLabelWithStyle(label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
	g.labels[w] = l
	g.box.Add(l)
	g.box.Add(w)
}

// show shows or hides the row of w.
func (g *formGrid) show(w fyne.CanvasObject, on bool) {
	l := g.labels[w]
	if l == nil || w.Visible() == on {
		return
	}
	cell := g.cells[w]
	if cell == nil {
		cell = w
	}
	if on {
		l.Show()
		w.Show()
		cell.Show()
	} else {
		l.Hide()
		w.Hide()
		cell.Hide()
	}
	g.box.Refresh()
}

// picker is a Select of objects shown by name, "Main entrance (main)",
// that gives back their ids.
type picker struct {
	*widget.Select
	none string // the label of the empty choice, "" for none
	// plain shows the names alone: for choices whose ids are codes
	// ("toggle") rather than names people gave.
	plain  bool
	ids    []string
	labels []string
}

func newPicker(none string) *picker {
	p := &picker{Select: newSelect(nil, nil), none: none}
	if none != "" {
		p.PlaceHolder = none
	}
	return p
}

// setItems sets the choices, keeping the one selected if it is still there.
func (p *picker) setItems(ids, names []string) {
	cur := p.id()
	p.ids, p.labels = nil, nil
	if p.none != "" {
		p.ids, p.labels = append(p.ids, ""), append(p.labels, p.none)
	}
	for i, id := range ids {
		label := id
		if p.plain {
			label = names[i]
		} else if names[i] != "" && names[i] != id {
			label = fmt.Sprintf("%s (%s)", names[i], id)
		}
		p.ids, p.labels = append(p.ids, id), append(p.labels, label)
	}
	p.SetOptions(slices.Clone(p.labels))
	p.setID(cur)
}

// id returns the id chosen, "" for none.
func (p *picker) id() string {
	if i := slices.Index(p.labels, p.Selected); i >= 0 {
		return p.ids[i]
	}
	return ""
}

// setID chooses id; an id that is not a choice clears the choice.
func (p *picker) setID(id string) {
	if i := slices.Index(p.ids, id); i >= 0 {
		p.SetSelected(p.labels[i])
		return
	}
	p.ClearSelected()
}

// setEnabled enables or disables widgets.
func setEnabled(on bool, ws ...fyne.Disableable) {
	for _, w := range ws {
		if on {
			w.Enable()
		} else {
			w.Disable()
		}
	}
}

// splitList reads "a, b ,c" as [a b c], without empty items.
func splitList(s string) []string {
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}
