package ui

import (
	"net/url"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// receptionSite is a site in Europe/Paris with a day shift on Tuesdays,
// people with mobile numbers, and one whose name has accents.
const receptionSite = `{
  "site": {"name": "Test HQ", "timezone": "Europe/Paris", "desk_zone": "lobby"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lobby", "name": "Lobby", "work": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "lobby"}],
  "devices": [
    {"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
    {"id": "main-out", "kind": "sim", "door": "main", "direction": "out"},
    {"id": "desk", "kind": "sim", "desk": true}],
  "shifts": [{"id": "day", "name": "Day", "week": {"tue": ["09:00-12:30", "13:30-17:30"]}}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all", "shift": "day"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "department": "staff", "phone": "+33 6 12 34 56 78",
     "cards": ["em:0102B0A5FD"], "phone_checkin": true},
    {"id": "zoe", "name": "Zoé Légère", "department": "staff", "phone": "06 11 22 33 44",
     "cards": ["em:0A00000002"]},
    {"id": "carl", "name": "Carl Nash", "department": "staff", "phone": "06 99 88 77 66",
     "phone_checkin": false},
    {"id": "bob", "name": "Bob Stone", "cards": ["em:0A00000001"]}]
}`

// receptionEngine imports receptionSite; the clock starts on Tuesday
// 2026-11-24 at 09:30 in Paris, the shift under way.
func receptionEngine(t *testing.T) (*core.Engine, *clock) {
	t.Helper()
	return siteEngine(t, receptionSite, time.Date(2026, 11, 24, 9, 30, 0, 0, paris))
}

// receptionistPerms are what the desk's account holds in these tests.
var receptionistPerms = []core.Permission{core.PermLogsViewAny, core.PermAttendanceView,
	core.PermAttendanceCheck, core.PermPeopleView, core.PermDoorsView}

// newReception builds the reception screen for actor in a test window,
// with a bridge through a test UI thread, and waits for its first read of
// the presence lists when it shows them.
func newReception(t *testing.T, e *core.Engine, actor core.Actor) (*receptionScreen, fyne.Window, uiThread) {
	t.Helper()
	ui := make(uiThread, 64)
	s, b := bridgedSession(t, e, actor, ui)
	w := test.NewWindow(nil)
	s.window = w
	r := newReceptionScreen(s)
	r.do = ui.do
	r.musterDir = t.TempDir()
	r.printer = (&fakeCUPS{missing: true}).cups() // never a real printer
	w.SetContent(r.build())
	w.Resize(fyne.NewSize(1100, 700))
	t.Cleanup(w.Close)
	startBridge(t, b)
	if r.sections != nil {
		ui.until(t, "the presence lists", func() bool { return r.loaded })
	}
	return r, w, ui
}

// inNames and expectedNames are the names the lists show.
func inNames(r *receptionScreen) []string {
	var out []string
	for _, p := range r.inShown {
		out = append(out, p.Name)
	}
	return out
}

func expectedNames(r *receptionScreen) []string {
	var out []string
	for _, p := range r.expShown {
		out = append(out, p.Name)
	}
	return out
}

// shownSheetRows returns the texts of the presence rows laid out in w,
// one string per row: "name|state|detail|extra".
func shownSheetRows(w fyne.Window) []string {
	var out []string
	for _, o := range test.LaidOutObjects(w.Content()) {
		if row, ok := o.(*sheetRow); ok && row.Visible() && row.name.Text != "" {
			out = append(out, strings.Join([]string{row.name.Text, row.state.Text, row.detail.Text, row.extra.Text}, "|"))
		}
	}
	return out
}

func TestReceptionPresenceFollowsTaps(t *testing.T) {
	test.NewTempApp(t)
	e, c := receptionEngine(t)
	tap(t, e, "main-in", "em:0102B0A5FD") // Ann, 09:30
	desk := staffAccount(t, e, "desk", "", receptionistPerms...)
	r, w, ui := newReception(t, e, desk)

	if got := inNames(r); !slices.Equal(got, []string{"Ann Martin"}) {
		t.Fatalf("in: got %v, want [Ann Martin]", got)
	}
	if got := expectedNames(r); !slices.Equal(got, []string{"Carl Nash", "Zoé Légère"}) {
		t.Fatalf("expected: got %v, want [Carl Nash Zoé Légère]", got)
	}
	rows := shownSheetRows(w)
	for _, want := range []string{
		"Ann Martin|09:30|Lobby|+33 6 12 34 56 78",
		"Zoé Légère|Not arrived|Shift 09:00–17:30|06 11 22 33 44",
	} {
		if !slices.Contains(rows, want) {
			t.Errorf("rows %q, want one %q", rows, want)
		}
	}
	if got, want := r.sections.Items[0].Title, "In the building now (1)"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}

	// Zoé taps in at 09:42: she moves from one list to the other.
	c.now = c.now.Add(12 * time.Minute)
	tap(t, e, "main-in", "em:0A00000002")
	ui.until(t, "Zoé in", func() bool { return len(r.inShown) == 2 })
	if got := inNames(r); !slices.Equal(got, []string{"Ann Martin", "Zoé Légère"}) {
		t.Errorf("in: got %v, want [Ann Martin Zoé Légère]", got)
	}
	if got := expectedNames(r); !slices.Equal(got, []string{"Carl Nash"}) {
		t.Errorf("expected: got %v, want [Carl Nash]", got)
	}
	if rows := shownSheetRows(w); !slices.Contains(rows, "Zoé Légère|09:42|Lobby|06 11 22 33 44") {
		t.Errorf("rows %q, want Zoé in since 09:42", rows)
	}
	if got, want := r.sections.Items[0].Title, "In the building now (2)"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	// The feed beside shows the same tap.
	if len(r.feed.rows) == 0 || r.feed.rows[0].name != "Zoé Légère" {
		t.Errorf("feed does not show Zoé's tap on top")
	}

	// Ann leaves at 10:00: "left 10:00".
	c.now = c.now.Add(18 * time.Minute)
	tap(t, e, "main-out", "em:0102B0A5FD")
	ui.until(t, "Ann out", func() bool { return len(r.inShown) == 1 })
	if rows := shownSheetRows(w); !slices.Contains(rows, "Ann Martin|Left 10:00|Shift 09:00–17:30|+33 6 12 34 56 78") {
		t.Errorf("rows %q, want Ann expected, left at 10:00", rows)
	}

	// The filter ignores case and accents, and applies to both lists.
	r.filter.SetText("LEGERE")
	if got := inNames(r); !slices.Equal(got, []string{"Zoé Légère"}) {
		t.Errorf("filtered in: got %v, want [Zoé Légère]", got)
	}
	if got := expectedNames(r); len(got) != 0 {
		t.Errorf("filtered expected: got %v, want none", got)
	}
	if got, want := r.sections.Items[0].Title, "In the building now (1 / 1)"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if !r.expEmpty.Visible() || !strings.Contains(r.expEmpty.Text, "LEGERE") {
		t.Errorf("empty expected list says %q (visible %v), want no one matches", r.expEmpty.Text, r.expEmpty.Visible())
	}
	r.filter.SetText("")
	if len(r.inShown) != 1 || len(r.expShown) != 2 {
		t.Errorf("cleared filter: %d in, %d expected, want 1 and 2", len(r.inShown), len(r.expShown))
	}
}

// TestReceptionPresenceFollowsTapsWithoutTheLog: a guard who may see who
// is in but not the log sees a tap move someone at once, not at the next
// minute's reread.
func TestReceptionPresenceFollowsTapsWithoutTheLog(t *testing.T) {
	test.NewTempApp(t)
	e, c := receptionEngine(t)
	guard := staffAccount(t, e, "guard", "", core.PermAttendanceView)
	r, _, ui := newReception(t, e, guard)
	if r.feed != nil {
		t.Fatal("a guard without the log has a feed")
	}
	if len(r.inShown) != 0 {
		t.Fatalf("in: %v, want nobody", inNames(r))
	}
	c.now = c.now.Add(12 * time.Minute)
	tap(t, e, "main-in", "em:0A00000002")
	ui.until(t, "Zoé in", func() bool { return len(r.inShown) == 1 })
	if got := inNames(r); !slices.Equal(got, []string{"Zoé Légère"}) {
		t.Errorf("in: got %v, want [Zoé Légère]", got)
	}
}

func TestReceptionSinceShowsDateBeforeToday(t *testing.T) {
	test.NewTempApp(t)
	e, _ := receptionEngine(t)
	r := newReceptionScreen(&session{engine: e, actor: core.CommandLine("test")})
	if got := r.since(time.Date(2026, 11, 24, 8, 5, 0, 0, paris)); got != "08:05" {
		t.Errorf("today: got %q, want 08:05", got)
	}
	if got := r.since(time.Date(2026, 11, 23, 22, 5, 0, 0, paris)); got != "2026-11-23 22:05" {
		t.Errorf("yesterday: got %q, want 2026-11-23 22:05", got)
	}
}

func TestReceptionPhoneCheckin(t *testing.T) {
	test.NewTempApp(t)
	e, _ := receptionEngine(t)
	desk := staffAccount(t, e, "desk", "", receptionistPerms...)
	r, _, ui := newReception(t, e, desk)
	if len(r.inShown) != 0 {
		t.Fatalf("in: got %v, want nobody", inNames(r))
	}
	checkin := func(number string) {
		t.Helper()
		r.phone.SetText("")
		test.Type(r.phone, number)
		test.Tap(r.checkin)
	}
	result := func(want string, imp widget.Importance) {
		t.Helper()
		if !strings.Contains(r.phoneResult.Text, want) || r.phoneResult.Importance != imp {
			t.Errorf("result %q (importance %v), want %q (%v)", r.phoneResult.Text, r.phoneResult.Importance, want, imp)
		}
	}
	countEvents := func() int {
		n := 0
		err := e.Events(core.CommandLine("test"), core.EventQuery{}, func(core.Event) error {
			n++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	checkin("06 12 34 56 78")
	result("Ann Martin is checked in", widget.SuccessImportance)
	if r.phone.Text != "" {
		t.Errorf("entry %q after a check-in, want it cleared", r.phone.Text)
	}
	ui.until(t, "Ann in the list", func() bool { return slices.Contains(inNames(r), "Ann Martin") })
	if in := r.inShown[0]; in.Zone != "Lobby" || r.since(in.Since) != "09:30" {
		t.Errorf("Ann in %q since %s, want Lobby since 09:30", in.Zone, r.since(in.Since))
	}

	checkin("+33612345678")
	result("Ann Martin was already in", widget.WarningImportance)

	checkin("06 99 88 77 66")
	result("Refused: phone check-in is off for Carl Nash", widget.DangerImportance)
	if r.phone.Text != "06 99 88 77 66" {
		t.Errorf("entry %q after a refusal, want the number kept", r.phone.Text)
	}

	checkin("07 00 00 00 00")
	result("Refused: no person has phone", widget.DangerImportance)

	before := countEvents()
	checkin("ann")
	result("Not checked in:", widget.DangerImportance)
	if after := countEvents(); after != before {
		t.Errorf("a malformed number logged %d events", after-before)
	}
	if got := inNames(r); !slices.Equal(got, []string{"Ann Martin"}) {
		t.Errorf("in: got %v, want [Ann Martin] only", got)
	}
}

func TestReceptionPartsFollowPermissions(t *testing.T) {
	test.NewTempApp(t)
	e, _ := receptionEngine(t)
	tests := []struct {
		name                          string
		perms                         []core.Permission
		feed, presence, phone, muster bool
	}{
		{"desk", receptionistPerms, true, true, true, true},
		{"manager", []core.Permission{core.PermLogsViewAny, core.PermAttendanceView, core.PermPeopleView}, true, true, false, true},
		{"boss", []core.Permission{core.PermDoorsView, core.PermLogsViewOwn}, true, false, false, false},
		{"checker", []core.Permission{core.PermAttendanceCheck}, false, false, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, w, _ := newReception(t, e, staffAccount(t, e, tt.name, "", tt.perms...))
			if got := r.feed != nil; got != tt.feed {
				t.Errorf("feed shown %v, want %v", got, tt.feed)
			}
			if got := r.sections != nil; got != tt.presence {
				t.Errorf("presence shown %v, want %v", got, tt.presence)
			}
			var phone, muster bool
			for _, o := range test.LaidOutObjects(w.Content()) {
				switch o := o.(type) {
				case *formEntry:
					phone = phone || o.PlaceHolder == "Mobile number"
				case *widget.Button:
					muster = muster || o.Text == "Muster list"
					phone = phone || o.Text == "Check in"
				}
			}
			if phone != tt.phone {
				t.Errorf("phone check-in shown %v, want %v", phone, tt.phone)
			}
			if muster != tt.muster {
				t.Errorf("muster button shown %v, want %v", muster, tt.muster)
			}
		})
	}
}

func TestReceptionMusterList(t *testing.T) {
	test.NewTempApp(t)
	e, _ := receptionEngine(t)
	tap(t, e, "main-in", "em:0102B0A5FD") // Ann
	tap(t, e, "desk", "em:0A00000001")    // Bob
	// A manager's account: the muster list needs attendance.view only.
	r, w, ui := newReception(t, e, staffAccount(t, e, "manager", "", core.PermAttendanceView))
	var opened *url.URL
	r.openURL = func(u *url.URL) error {
		opened = u
		return nil
	}
	test.Tap(r.muster)
	if !r.musterBusy.Visible() || !r.muster.Disabled() {
		t.Error("no progress shown while the list is made")
	}
	ui.until(t, "the muster list", func() bool { return r.musterPath != "" })
	if r.musterBusy.Visible() || r.muster.Disabled() {
		t.Error("progress still shown after the list is made")
	}

	want := filepath.Join(r.musterDir, "muster-20261124-0930.pdf")
	if r.musterPath != want {
		t.Errorf("path %q, want %q", r.musterPath, want)
	}
	if opened == nil || opened.Scheme != "file" || opened.Path != want {
		t.Errorf("opened %v, want file://%s", opened, want)
	}
	if !strings.Contains(r.musterShown, "2 people inside") || !strings.Contains(r.musterShown, want) {
		t.Errorf("dialog says %q, want the count and the path", r.musterShown)
	}
	if top := w.Canvas().Overlays().Top(); top == nil {
		t.Error("no dialog shown")
	}
	if left, _ := filepath.Glob(filepath.Join(r.musterDir, "*.pdf.*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}

	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) not installed: the PDF's text is not checked")
	}
	out, err := exec.Command("pdftotext", "-layout", r.musterPath, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := string(out)
	for _, name := range []string{"Ann Martin", "Bob Stone", "2 people inside"} {
		if !strings.Contains(text, name) {
			t.Errorf("the muster list does not name %q:\n%s", name, text)
		}
	}
	if strings.Contains(text, "Carl Nash") {
		t.Errorf("the muster list names Carl, who is not in:\n%s", text)
	}
}

// TestReceptionListsEveryoneInside: someone in the server room, which is
// not a work zone, is in the building on the screen as on the muster list,
// and the screen's count is the list's.
func TestReceptionListsEveryoneInside(t *testing.T) {
	test.NewTempApp(t)
	site := strings.Replace(receptionSite, `{"id": "lobby", "name": "Lobby", "work": true}]`,
		`{"id": "lobby", "name": "Lobby", "work": true}, {"id": "server", "name": "Server room"}]`, 1)
	site = strings.Replace(site, `"doors": [`, `"doors": [{"id": "server", "name": "Server room", "from": "lobby", "to": "server"},`, 1)
	site = strings.Replace(site, `"devices": [`, `"devices": [{"id": "server-in", "kind": "sim", "door": "server", "direction": "in"},`, 1)
	site = strings.Replace(site, `"rules": [{"doors": ["main"]}]`, `"rules": [{"doors": ["main", "server"]}]`, 1)
	e, _ := siteEngine(t, site, time.Date(2026, 11, 24, 9, 30, 0, 0, paris))
	tap(t, e, "main-in", "em:0102B0A5FD")   // Ann: the lobby
	tap(t, e, "main-in", "em:0A00000002")   // Zoé: the lobby, then the server room
	tap(t, e, "server-in", "em:0A00000002") //
	r, w, _ := newReception(t, e, staffAccount(t, e, "desk", "", receptionistPerms...))
	if got := inNames(r); !slices.Equal(got, []string{"Ann Martin", "Zoé Légère"}) {
		t.Fatalf("in: got %v, want Ann and Zoé", got)
	}
	if rows := shownSheetRows(w); !slices.Contains(rows, "Zoé Légère|09:30|Server room|06 11 22 33 44") {
		t.Errorf("rows %q, want Zoé in the server room since 09:30", rows)
	}
	if got, want := r.sections.Items[0].Title, "In the building now (2)"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if got := expectedNames(r); slices.Contains(got, "Zoé Légère") {
		t.Errorf("Zoé is expected and not in: %v", got)
	}
	rep, err := e.Report(testCLI, core.ReportQuery{Kind: core.ReportMuster})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Muster.Total != len(r.in) {
		t.Errorf("the muster list counts %d inside, the screen %d", rep.Muster.Total, len(r.in))
	}
}

// TestReceptionShot renders the screen to FRONTDESK_SHOTS/reception.png.
func TestReceptionShot(t *testing.T) {
	test.NewTempApp(t)
	e, c := receptionEngine(t)
	c.now = time.Date(2026, 11, 24, 8, 50, 0, 0, paris)
	tap(t, e, "main-in", "em:0102B0A5FD")
	c.now = c.now.Add(4 * time.Minute)
	tap(t, e, "desk", "em:0A00000001")
	tap(t, e, "main-in", "em:00DEADBEEF")
	c.now = time.Date(2026, 11, 24, 9, 20, 0, 0, paris)
	e.ReportHealth(core.DeviceHealth{Device: "desk", Kind: "sim", Connected: true})
	e.ReportHealth(core.DeviceHealth{Device: "main-in", Kind: "sim", Connected: true})
	e.ReportHealth(core.DeviceHealth{Device: "main-out", Kind: "sim", Connected: true})
	r, w, ui := newReception(t, e, staffAccount(t, e, "desk", "", receptionistPerms...))
	test.Type(r.phone, "06 99 88 77 66")
	test.Tap(r.checkin)
	ui.until(t, "the feed", func() bool { return len(r.feed.rows) == 4 })
	shot(t, w, "reception")
}

// fakeTimers stands for the bridge's after: the test fires the timers.
type fakeTimers struct {
	waits []time.Duration
	fns   []func()
}

func (f *fakeTimers) after(d time.Duration, fn func()) {
	f.waits = append(f.waits, d)
	f.fns = append(f.fns, fn)
}

func TestReceptionRereadsAtMostOncePerSecond(t *testing.T) {
	test.NewTempApp(t)
	e, _ := receptionEngine(t)
	ui := make(uiThread, 64)
	timers := &fakeTimers{}
	actor := staffAccount(t, e, "viewer", "", core.PermAttendanceView)
	s := testSession(t, e, actor)
	s.after = timers.after
	r := newReceptionScreen(s)
	r.do = ui.do
	w := test.NewWindow(r.build())
	defer w.Close()
	ui.until(t, "the first read", func() bool { return r.loaded && !r.sheetRunning })
	if len(timers.waits) != 1 || timers.waits[0] != sheetTick {
		t.Fatalf("timers %v after the first read, want the minute tick only", timers.waits)
	}

	// A burst of taps within the second: one read, scheduled.
	ev := tap(t, e, "main-in", "em:0102B0A5FD")
	for range 5 {
		r.addEvents([]core.Event{ev})
	}
	r.addEvents([]core.Event{{Seq: 99, Result: core.DeniedUnknownCard}}) // moves no one
	if len(timers.waits) != 2 || timers.waits[1] <= 0 || timers.waits[1] > sheetEvery {
		t.Fatalf("timers %v after a burst, want one read within %v", timers.waits, sheetEvery)
	}
	if len(r.in) != 0 {
		t.Fatalf("read before the timer fired: %v", inNames(r))
	}
	timers.fns[1]()
	ui.until(t, "Ann in", func() bool { return len(r.inShown) == 1 })

	// The filter waits for the typing to pause; only the last timer acts.
	r.filter.SetText("zz")
	r.filter.SetText("ann")
	n := len(timers.fns)
	if n != 4 || timers.waits[2] != filterDelay || timers.waits[3] != filterDelay {
		t.Fatalf("timers %v after typing, want two of %v", timers.waits, filterDelay)
	}
	timers.fns[2]()
	if len(r.inShown) != 1 {
		t.Errorf("an old filter timer applied the filter")
	}
	timers.fns[3]()
	if got := r.sections.Items[0].Title; got != "In the building now (1 / 1)" {
		t.Errorf("title %q after filtering, want (1 / 1)", got)
	}
}
