package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// feedSite is a small site in Europe/Paris with a door, a desk reader and
// two people.
const feedSite = `{
  "site": {"name": "Test HQ", "timezone": "Europe/Paris", "desk_zone": "lobby"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lobby", "name": "Lobby", "work": true}],
  "doors": [{"id": "main", "name": "Main entrance", "from": "outside", "to": "lobby"}],
  "devices": [
    {"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
    {"id": "main-out", "kind": "sim", "door": "main", "direction": "out"},
    {"id": "desk", "kind": "sim", "desk": true}],
  "access_levels": [{"id": "all", "name": "All doors", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "department": "staff", "cards": ["em:0102B0A5FD"]},
    {"id": "bob", "name": "Bob Stone", "cards": ["em:0A00000001"]}]
}`

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err)
	}
	return loc
}()

// clock is a settable clock for the engine. Tests that move it while
// the screens read it off the UI thread call advance.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) read() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// advance moves the clock d forward.
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// newEngine imports feedSite into a fresh store; the clock starts on
// Tuesday 2026-11-24 at 09:00:05 in Paris.
func newEngine(t *testing.T) (*core.Engine, *clock) {
	t.Helper()
	return siteEngine(t, feedSite, time.Date(2026, 11, 24, 9, 0, 5, 0, paris))
}

func tap(t *testing.T, e *core.Engine, reader, code string) core.Event {
	t.Helper()
	ev, err := e.Tap(core.Tap{Reader: reader, Code: code})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// uiThread stands for Fyne's UI thread in tests. The test app's fyne.Do
// runs its function at once on the calling goroutine (the bridge's), which
// would touch the widgets while the test reads them; the bridge is given
// uiThread.do instead, and the test goroutine runs what it queues.
type uiThread chan func()

func (u uiThread) do(fn func()) { u <- fn }

// until runs queued UI work until ok holds, for at most a few seconds.
func (u uiThread) until(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.After(3 * time.Second)
	for !ok() {
		select {
		case fn := <-u:
			fn()
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// shownRows returns the feed rows the list has laid out in w, top first.
func shownRows(w fyne.Window) []*feedRow {
	var rows []*feedRow
	for _, o := range test.LaidOutObjects(w.Content()) {
		if r, ok := o.(*feedRow); ok && r.Visible() && r.why.Visible() {
			rows = append(rows, r)
		}
	}
	// The list lays its rows out in order, but sort by position to be safe.
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].Position().Y < rows[j-1].Position().Y; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
	return rows
}

// newFeed builds the feed screen in a test window and starts a bridge to it
// through a test UI thread.
func newFeed(t *testing.T, e *core.Engine) (*feedScreen, fyne.Window, uiThread) {
	t.Helper()
	return newFeedBuffer(t, e, bridgeBuffer)
}

// newFeedBuffer is newFeed with a bridge queue of buffer events.
func newFeedBuffer(t *testing.T, e *core.Engine, buffer int) (*feedScreen, fyne.Window, uiThread) {
	t.Helper()
	ui := make(uiThread, 64)
	b := newBridge(ui.do)
	b.in = make(chan watched, buffer) // before any update is published
	if err := b.watch(e, core.CommandLine("test")); err != nil {
		t.Fatal(err)
	}
	f := newFeedScreen(e, core.CommandLine("test"), true, nil)
	b.add(f)
	w := test.NewWindow(f.build())
	w.Resize(fyne.NewSize(900, 600))
	t.Cleanup(w.Close)
	startBridge(t, b)
	return f, w, ui
}

func TestFeedShowsNewEvents(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newEngine(t)
	_, w, ui := newFeed(t, e)
	if n := len(shownRows(w)); n != 0 {
		t.Fatalf("empty log: got %d rows, want 0", n)
	}

	tap(t, e, "main-in", "em:0102B0A5FD")
	ui.until(t, "Ann's granted tap", func() bool { return len(shownRows(w)) == 1 })
	r := shownRows(w)[0]
	checkRow(t, r, "09:00:05", "Ann Martin", "main-in / main", "Granted", widget.SuccessImportance)
	if !strings.Contains(r.why.Text, "level All doors") {
		t.Errorf("explanation %q, want the rule that granted", r.why.Text)
	}

	tap(t, e, "main-in", "em:00DEADBEEF")
	ui.until(t, "the unknown card on top", func() bool { return len(shownRows(w)) == 2 })
	r = shownRows(w)[0]
	checkRow(t, r, "09:00:05", "Unknown card", "main-in / main", "Denied: unknown card", widget.DangerImportance)
	if !strings.Contains(r.why.Text, "em:00DEADBEEF") {
		t.Errorf("explanation %q, want the code read", r.why.Text)
	}

	tap(t, e, "main-in", "em:0102B0A5FD") // within the debounce interval
	tap(t, e, "desk", "em:0A00000001")
	ui.until(t, "four rows", func() bool { return len(shownRows(w)) == 4 })
	rows := shownRows(w)
	checkRow(t, rows[0], "09:00:05", "Bob Stone", "desk", "Checked in", widget.HighImportance)
	checkRow(t, rows[1], "09:00:05", "Ann Martin", "main-in / main", "Ignored (duplicate)", widget.LowImportance)
}

func checkRow(t *testing.T, r *feedRow, at, who, where, result string, imp widget.Importance) {
	t.Helper()
	if r.time.Text != at || r.who.Text != who || r.where.Text != where || r.result.Text != result {
		t.Errorf("row %q %q %q %q, want %q %q %q %q",
			r.time.Text, r.who.Text, r.where.Text, r.result.Text, at, who, where, result)
	}
	if r.result.Importance != imp {
		t.Errorf("%s: result importance %v, want %v", result, r.result.Importance, imp)
	}
}

func TestFeedLoadsLatestEvents(t *testing.T) {
	test.NewTempApp(t)
	e, c := newEngine(t)
	// 150 events, a minute apart, before the screen opens.
	for i := range 150 {
		c.now = c.now.Add(time.Minute)
		code := "em:0102B0A5FD"
		if i%2 == 1 {
			code = "em:0A00000001"
		}
		tap(t, e, "main-in", code)
	}
	f, w, _ := newFeed(t, e)
	if len(f.rows) != feedInitial {
		t.Fatalf("got %d rows, want the latest %d", len(f.rows), feedInitial)
	}
	for i := 1; i < len(f.rows); i++ {
		if f.rows[i].ev.Seq >= f.rows[i-1].ev.Seq {
			t.Fatalf("row %d has seq %d after %d, want newest first", i, f.rows[i].ev.Seq, f.rows[i-1].ev.Seq)
		}
	}
	if f.rows[0].ev.Seq != 150 {
		t.Errorf("top row seq %d, want 150", f.rows[0].ev.Seq)
	}
	top := shownRows(w)[0]
	// 09:00:05 + 150 min; ann taps on even i, so the last (i=149) is Bob.
	checkRow(t, top, "11:30:05", "Bob Stone", "main-in / main", "Denied: no access", widget.DangerImportance)
}

func TestFeedSkipsEventsItRead(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newEngine(t)
	ev1 := tap(t, e, "main-in", "em:0102B0A5FD")
	f, _, _ := newFeed(t, e)
	ev2 := tap(t, e, "main-out", "em:0102B0A5FD")
	// The bridge may hand over again an event the screen read from the
	// log, and events recorded together may come out of order.
	f.addEvents([]core.Event{ev2, ev1})
	f.addEvents([]core.Event{ev2})
	if len(f.rows) != 2 || f.rows[0].ev.Seq != ev2.Seq || f.rows[1].ev.Seq != ev1.Seq {
		var seqs []uint64
		for _, r := range f.rows {
			seqs = append(seqs, r.ev.Seq)
		}
		t.Errorf("rows have seqs %v, want [%d %d]", seqs, ev2.Seq, ev1.Seq)
	}
}

func TestFeedKeepsLatest(t *testing.T) {
	test.NewTempApp(t)
	e, c := newEngine(t)
	f, _, _ := newFeed(t, e)
	var evs []core.Event
	for i := range feedMax + 100 {
		evs = append(evs, core.Event{Seq: uint64(i + 1), At: c.now, Reader: "main-in", Door: "main",
			Person: "ann", Result: core.Granted})
	}
	f.addEvents(evs[:50])
	f.addEvents(evs[50:])
	if len(f.rows) != feedMax {
		t.Fatalf("got %d rows, want %d", len(f.rows), feedMax)
	}
	if top, last := f.rows[0].ev.Seq, f.rows[feedMax-1].ev.Seq; top != feedMax+100 || last != 101 {
		t.Errorf("rows from seq %d to %d, want %d to 101", top, last, feedMax+100)
	}
	if f.rows[0].name != "Ann Martin" {
		t.Errorf("name %q, want Ann Martin", f.rows[0].name)
	}
}

func TestFeedReloadsAfterDrops(t *testing.T) {
	// A UI thread that stalls: the bridge drops what does not fit in its
	// queue and the feed rereads the log when the UI thread runs again.
	test.NewTempApp(t)
	e, _ := newEngine(t)
	f, w, ui := newFeedBuffer(t, e, 4)
	tap(t, e, "main-in", "em:0102B0A5FD")
	var held func()
	select {
	case held = <-ui: // a stalled UI thread holds the first batch
	case <-time.After(3 * time.Second):
		t.Fatal("no batch from the bridge")
	}
	for range 20 {
		tap(t, e, "main-out", "em:0A00000001")
	}
	held()
	ui.until(t, "the reload", func() bool { return len(f.rows) == 21 && f.rows[0].ev.Seq == 21 })
	if rows := shownRows(w); len(rows) == 0 || rows[0].who.Text != "Bob Stone" {
		t.Errorf("top row after the reload is not Bob's last tap")
	}
}

func TestResultStyle(t *testing.T) {
	tests := []struct {
		result core.Result
		words  string
		imp    widget.Importance
	}{
		{core.Granted, "Granted", widget.SuccessImportance},
		{core.IgnoredDuplicate, "Ignored (duplicate)", widget.LowImportance},
		{core.DeniedUnknownCard, "Denied: unknown card", widget.DangerImportance},
		{core.DeniedAmbiguousCard, "Denied: ambiguous card", widget.DangerImportance},
		{core.DeniedCardBlocked, "Denied: card blocked", widget.DangerImportance},
		{core.DeniedDoorLocked, "Denied: door locked down", widget.DangerImportance},
		{core.DeniedAntipassback, "Denied: anti-passback", widget.DangerImportance},
		{core.DeniedNoUsesLeft, "Denied: no uses left", widget.DangerImportance},
		{core.DeniedGrantExpired, "Denied: grant not valid now", widget.DangerImportance},
		{core.DeniedOutsideSchedule, "Denied: outside schedule", widget.DangerImportance},
		{core.DeniedNoAccess, "Denied: no access", widget.DangerImportance},
		{core.CheckedIn, "Checked in", widget.HighImportance},
		{core.CheckedOut, "Checked out", widget.HighImportance},
		{core.AlreadyCheckedIn, "Already checked in", widget.HighImportance},
		{core.AutoCheckout, "Checked out automatically", widget.WarningImportance},
		{core.CardRead, "Card read for enrolment", widget.MediumImportance},
		{core.DeniedUnknownPhone, "Denied: unknown phone", widget.DangerImportance},
		{core.DeniedPhoneCheckin, "Denied: no phone check-in", widget.DangerImportance},
		// Codes this screen does not know yet still read as words.
		{core.Result("denied_visitor_expired"), "Denied: visitor expired", widget.DangerImportance},
		{core.Result("visitor_badge_returned"), "Visitor badge returned", widget.MediumImportance},
	}
	covered := map[core.Result]bool{}
	for _, tt := range tests {
		t.Run(string(tt.result), func(t *testing.T) {
			words, imp := resultStyle(tt.result)
			if words != tt.words || imp != tt.imp {
				t.Errorf("got %q, %v, want %q, %v", words, imp, tt.words, tt.imp)
			}
		})
		covered[tt.result] = true
	}
	// Every Result constant of core has its row above, so that a new one
	// gets its words and colour chosen rather than the fallback.
	for _, r := range resultConstants(t) {
		if !covered[r] {
			t.Errorf("core.Result %q has no case in resultStyle's test", r)
		}
	}
}

// resultConstants reads the constants of type Result declared in core's
// source.
func resultConstants(t *testing.T) []core.Result {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "core", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	var out []core.Result
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, s := range g.Specs {
				v := s.(*ast.ValueSpec)
				if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Result" {
					continue
				}
				for _, val := range v.Values {
					if lit, ok := val.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						out = append(out, core.Result(strings.Trim(lit.Value, "\"`")))
					}
				}
			}
		}
	}
	if len(out) < 14 {
		t.Fatalf("found %d Result constants in core, want at least the 14 of DESIGN §2.1–2.2", len(out))
	}
	return out
}
