package ui

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// memFile is a file the fake file dialogs hand out.
type memFile struct {
	bytes.Buffer
	uri    fyne.URI
	closed bool
}

func (f *memFile) URI() fyne.URI { return f.uri }
func (f *memFile) Close() error  { f.closed = true; return nil }

func newSettings(t *testing.T, s *session, backup func(io.Writer) error, restore func(io.Reader) error) (*settingsScreen, uiThread) {
	t.Helper()
	x := newSettingsScreen(s)
	x.backup, x.restore = backup, restore
	ui := make(uiThread, 8)
	x.do = ui.do
	showIn(t, s, x.build())
	return x, ui
}

func TestSettingsSave(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "chief", "", core.PermSettingsEdit)
	x, _ := newSettings(t, s, nil, nil)
	if x.backupBtn != nil {
		t.Error("backup offered without backup.run")
	}
	if x.noon.Text != "13:00" || x.deskZone.id() != "lobby" || x.outsideZone.id() != "outside" {
		t.Fatalf("form shows noon %q, desk zone %q, outside %q", x.noon.Text, x.deskZone.id(), x.outsideZone.id())
	}

	x.noon.SetText("12:75")
	test.Tap(x.save)
	if p := x.spots.shownText("noon"); p != "Noon: '12:75' is not a time such as 08:30" {
		t.Errorf("problem %q, want the bad noon", p)
	}
	x.noon.SetText("07:30")
	test.Tap(x.save)
	if p := x.spots.shownText("noon"); p != "Noon: 07:30 is not after 08:00" {
		t.Errorf("problem %q, want the engine's refusal", p)
	}
	if site := e.Site(); site.Noon.String() != "13:00" {
		t.Fatalf("a refused save changed noon to %s", site.Noon)
	}

	x.name.SetText("Head office")
	x.noon.SetText("12:30")
	x.lateGrace.SetText("10m")
	x.deskMode.setID(string(core.DeskCheckinOnly))
	test.Tap(x.save)
	if x.problem.Importance != widget.SuccessImportance {
		t.Fatalf("save refused: %s", x.problem.Text)
	}
	site := e.Site()
	if site.Name != "Head office" || site.Noon.String() != "12:30" || time.Duration(site.LateGrace) != 10*time.Minute ||
		site.DeskMode != core.DeskCheckinOnly || site.DeskZone != "lobby" || site.Timezone != "Europe/Paris" {
		t.Errorf("site %+v, want the new name, noon, grace and desk mode, the rest kept", site)
	}
}

// TestSettingsKeepPayroll: saving the settings form keeps the payroll
// rules the site file set.
func TestSettingsKeepPayroll(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	hour := core.Duration(time.Hour)
	rules := &core.SiteSettings{HalfDayBelow: new(4 * hour), AbsentBelow: new(2 * hour), MaxPresence: new(12 * hour),
		Overtime: &core.OvertimePolicy{DailyAfter: 8 * hour, WeeklyAfter: 35 * hour}, Night: &core.NightHours{From: 21 * 60, To: 6 * 60}}
	if err := e.PutObject(testCLI, &core.SiteFile{Site: rules}); err != nil {
		t.Fatal(err)
	}
	want := e.Site().Payroll
	s := staffSession(t, e, "chief", "", core.PermSettingsEdit)
	x, _ := newSettings(t, s, nil, nil)
	x.name.SetText("Head office")
	test.Tap(x.save)
	if x.problem.Importance != widget.SuccessImportance {
		t.Fatalf("save refused: %s", x.problem.Text)
	}
	site := e.Site()
	if site.Name != "Head office" || site.HalfDayBelow != want.HalfDayBelow || site.AbsentBelow != want.AbsentBelow ||
		site.MaxPresence != want.MaxPresence || site.Overtime == nil || *site.Overtime != *want.Overtime ||
		site.Night == nil || *site.Night != *want.Night {
		t.Errorf("site %+v, want the new name and the payroll rules kept (%+v)", site, want)
	}
}

// TestSettingsPayrollRules: the payroll rules are set, refused all at
// once when wrong (nothing changes), and turned off by emptying them,
// from the settings form.
func TestSettingsPayrollRules(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "chief", "", core.PermSettingsEdit)
	x, _ := newSettings(t, s, nil, nil)
	p := &x.payroll
	set := func(daily, weekly, half, absent, night, from string) {
		p.dailyAfter.SetText(daily)
		p.weeklyAfter.SetText(weekly)
		p.halfDayBelow.SetText(half)
		p.absentBelow.SetText(absent)
		p.night.SetText(night)
		p.balanceFrom.SetText(from)
	}
	hour := core.Duration(time.Hour)

	set("8h", "35h", "4h", "2h", "21:00-06:00", "2027-01-01")
	p.weekStart.setID("sun")
	test.Tap(x.save)
	if x.problem.Importance != widget.SuccessImportance {
		t.Fatalf("save refused: %s %s", x.problem.Text, x.spots.rest.Text)
	}
	site := e.Site()
	if site.Overtime == nil || *site.Overtime != (core.OvertimePolicy{DailyAfter: 8 * hour, WeeklyAfter: 35 * hour, WeekStart: "sun"}) ||
		site.HalfDayBelow != 4*hour || site.AbsentBelow != 2*hour || site.Night == nil || site.Night.String() != "21:00-06:00" ||
		site.BalanceFrom.String() != "2027-01-01" {
		t.Fatalf("payroll %+v", site.Payroll)
	}
	saved := site.Payroll

	// Every mistake at once, each under its field; nothing changes.
	set("-1h", "35h", "2h", "3h", "25:00-06:00", "someday")
	test.Tap(x.save)
	for _, field := range []string{"overtime.daily_after", "night", "balance_from"} {
		if sp := x.spots.fields[field]; sp == nil || !sp.text.Visible() {
			t.Errorf("no problem shown under %s", field)
		}
	}
	if got := e.Site().Payroll; got.Overtime == nil || *got.Overtime != *saved.Overtime || got.BalanceFrom != saved.BalanceFrom {
		t.Errorf("a refused form changed the rules: %+v", got)
	}
	set("8h", "35h", "2h", "3h", "", "")
	test.Tap(x.save)
	if sp := x.spots.fields["absent_below"]; sp == nil || !sp.text.Visible() {
		t.Error("absent below the half-day threshold's problem not shown under its field")
	}

	// Emptied, every rule is off.
	set("", "", "", "", "", "")
	test.Tap(x.save)
	if x.problem.Importance != widget.SuccessImportance {
		t.Fatalf("save refused: %s %s", x.problem.Text, x.spots.rest.Text)
	}
	if got := e.Site().Payroll; got != (core.Payroll{}) {
		t.Errorf("emptied form left %+v", got)
	}
}

func TestSettingsBackup(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "chief", "", core.PermBackupRun)
	backup := func(w io.Writer) error {
		_, err := w.Write([]byte("a copy of the database"))
		return err
	}
	x, ui := newSettings(t, s, backup, nil)
	if x.name != nil {
		t.Error("settings form shown without settings.edit")
	}
	if !x.restoreBtn.Disabled() {
		t.Error("restore offered with no restore hook")
	}
	file := &memFile{uri: storage.NewFileURI("/backups/fd.db")}
	var offered string
	x.saveFile = func(name string, cb func(fyne.URIWriteCloser, error)) {
		offered = name
		cb(file, nil)
	}
	test.Tap(x.backupBtn)
	ui.until(t, "the backup's end", func() bool { return x.backupMsg.Importance == widget.SuccessImportance })
	if file.String() != "a copy of the database" || !file.closed {
		t.Errorf("file holds %q (closed %v), want the backup, closed", file.String(), file.closed)
	}
	if offered != "frontdesk-2026-11-24-0900.db" {
		t.Errorf("file name offered %q", offered)
	}
	if !strings.Contains(x.backupMsg.Text, "/backups/fd.db") || x.backupBtn.Disabled() {
		t.Errorf("message %q (button disabled %v) after the backup", x.backupMsg.Text, x.backupBtn.Disabled())
	}

	x.backup = func(io.Writer) error { return errors.New("disk full") }
	test.Tap(x.backupBtn)
	ui.until(t, "the failure", func() bool { return x.backupMsg.Importance == widget.DangerImportance })
	if !strings.Contains(x.backupMsg.Text, "disk full") {
		t.Errorf("message %q, want the failure", x.backupMsg.Text)
	}
}

func TestSettingsRestoreNeedsTheWord(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	s := staffSession(t, e, "chief", "", core.PermBackupRun)
	var restored []string
	restore := func(r io.Reader) error {
		b, err := io.ReadAll(r)
		restored = append(restored, string(b))
		return err
	}
	x, ui := newSettings(t, s, func(io.Writer) error { return nil }, restore)
	opened := 0
	x.openFile = func(cb func(fyne.URIReadCloser, error)) {
		opened++
		cb(&memReader{Reader: strings.NewReader("old copy"), uri: storage.NewFileURI("/backups/old.db")}, nil)
	}
	test.Tap(x.restoreBtn)
	w := s.window
	if text := dialogText(w); !strings.Contains(text, "Everything recorded since that backup is lost") {
		t.Fatalf("dialog %q, want the warning", text)
	}
	choose := dialogButton(t, w, "Choose the backup…")
	word := dialogEntry(t, w)
	test.Tap(choose)
	if opened != 0 || !choose.Disabled() {
		t.Fatal("the backup could be chosen without typing the word")
	}
	test.Type(word, "restore")
	if !choose.Disabled() {
		t.Error("the word in lower case unlocked the restore")
	}
	word.SetText("RESTORE")
	test.Tap(choose)
	ui.until(t, "the restore's end", func() bool { return x.backupMsg.Importance == widget.SuccessImportance })
	if opened != 1 || len(restored) != 1 || restored[0] != "old copy" {
		t.Errorf("opened %d, restored %q, want the chosen copy once", opened, restored)
	}
}

type memReader struct {
	io.Reader
	uri fyne.URI
}

func (r *memReader) URI() fyne.URI { return r.uri }
func (r *memReader) Close() error  { return nil }

// dialogButton returns the button labelled label in the dialog on top of w.
func dialogButton(t *testing.T, w fyne.Window, label string) *widget.Button {
	t.Helper()
	if top := w.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if b, ok := o.(*widget.Button); ok && b.Text == label {
				return b
			}
		}
	}
	t.Fatalf("no button %q in a dialog", label)
	return nil
}

// dialogEntry returns the entry of the dialog on top of w.
func dialogEntry(t *testing.T, w fyne.Window) *widget.Entry {
	t.Helper()
	if top := w.Canvas().Overlays().Top(); top != nil {
		for _, o := range test.LaidOutObjects(top) {
			if e := entryOf(o); e != nil {
				return e
			}
		}
	}
	t.Fatal("no entry in a dialog")
	return nil
}

func TestAdminPages(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newAdminEngine(t)
	all := []page{doorsPage(), accessPage(), grantsPage(), staffPage(), settingsPage(nil, nil)}
	ids := func(ps []page) string {
		var out []string
		for _, p := range ps {
			out = append(out, p.id)
		}
		return strings.Join(out, " ")
	}
	boss := staffSession(t, e, "bob", "bob", core.PermDoorsView, core.PermGrantsEditOwn, core.PermLogsViewOwn)
	if got := ids(pagesFor(boss, all)); got != "doors grants" {
		t.Errorf("a boss sees %q, want doors grants", got)
	}
	admin := staffSession(t, e, "root", "", core.PermAccountsEdit, core.PermBackupRun)
	if got := ids(pagesFor(admin, all)); got != "staff settings" {
		t.Errorf("accounts.edit and backup.run see %q, want staff settings", got)
	}
	// Every page builds for an actor holding everything.
	s := testSession(t, e, testCLI)
	for _, p := range all {
		w := showIn(t, s, p.build(s))
		if w.Content() == nil {
			t.Errorf("page %s built nothing", p.id)
		}
	}
}

// TestAdminShots renders the administration screens for people to look
// at.
func TestAdminShots(t *testing.T) {
	test.NewTempApp(t)
	e, c := newAdminEngine(t)
	e.ReportHealth(core.DeviceHealth{Device: "main-in", Kind: "sim", Connected: true, Frames: 12,
		Since: time.Date(2026, 11, 24, 8, 0, 0, 0, paris), LastFrame: time.Date(2026, 11, 24, 8, 59, 0, 0, paris)})
	e.ReportHealth(core.DeviceHealth{Device: "lab-in", Kind: "sim", LastError: "open /dev/ttyUSB1: no such file or directory",
		ErrorAt: time.Date(2026, 11, 24, 8, 30, 0, 0, paris)})
	for _, g := range []core.Grant{
		{Person: "carl", Door: "main", Kind: core.GrantTemporary, Until: c.now.Add(72 * time.Hour), By: "bob"},
		{Person: "ann", Door: "main", Kind: core.GrantOnce, Uses: 5, By: "bob"},
		{Person: "bob", Door: "main", Kind: core.GrantPermanent, By: "admin"},
	} {
		if _, err := e.AddGrant(testCLI, g); err != nil {
			t.Fatal(err)
		}
	}
	s := testSession(t, e, testCLI)

	d, w := newDoors(t, s)
	d.doorCat.list.Select(1)
	shot(t, w, "doors")
	d.tabs.SelectIndex(1)
	shot(t, w, "doors-zones")
	d.tabs.SelectIndex(2)
	d.devCat.list.Select(2)
	d.devKind.SetSelected("serial-rdm6300")
	d.devPort.SetText("/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0")
	shot(t, w, "doors-devices")

	a := newAccessScreen(s)
	w = showIn(t, s, a.build())
	a.schedWeek.days[5].SetText("25:00-26:00")
	shot(t, w, "access-schedules")
	a.tabs.SelectIndex(3)
	shot(t, w, "access-levels")

	g := newGrantsScreen(s)
	w = showIn(t, s, g.build())
	g.door.setID("main")
	shot(t, w, "grants")

	st := newStaffScreen(s)
	w = showIn(t, s, st.build())
	test.Tap(st.accCat.newBtn)
	st.password.SetText("short")
	shot(t, w, "staff-accounts")
	st.tabs.SelectIndex(1)
	shot(t, w, "staff-roles")

	se := newSettingsScreen(s)
	se.backup = func(io.Writer) error { return nil }
	w = showIn(t, s, se.build())
	shot(t, w, "settings")
	se.restore = func(io.Reader) error { return nil }
	se.confirmRestore()
	shot(t, w, "settings-restore")
}
