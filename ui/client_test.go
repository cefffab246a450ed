package ui

import (
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"frontdesk/core"
)

// apiOnly hides the implementation it wraps: only core.API's methods
// reach the window, as with a client of the service.
type apiOnly struct{ core.API }

// watchedAPI is a real engine whose watch the test drives: Watch records
// the function it is given, and nothing comes unless the test sends it.
type watchedAPI struct {
	core.API
	mu      sync.Mutex
	watches []*fakeWatch
}

// fakeWatch is one call of watchedAPI.Watch.
type fakeWatch struct {
	api       *watchedAPI
	actor     core.Actor
	fn        func(core.Update)
	cancelled bool
}

func (w *watchedAPI) Watch(a core.Actor, fn func(core.Update)) (func(), error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fw := &fakeWatch{api: w, actor: a, fn: fn}
	w.watches = append(w.watches, fw)
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		fw.cancelled = true
	}, nil
}

// last is the latest watch.
func (w *watchedAPI) last(t *testing.T) *fakeWatch {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.watches) == 0 {
		t.Fatal("no watch was started")
	}
	return w.watches[len(w.watches)-1]
}

// send gives u to the watch, as the engine or the service would.
func (fw *fakeWatch) send(u core.Update) { fw.fn(u) }

func (fw *fakeWatch) isCancelled() bool {
	fw.api.mu.Lock()
	defer fw.api.mu.Unlock()
	return fw.cancelled
}

// bannerText is the text of the lost link's banner, "" when hidden.
func bannerText(a *App) string {
	if !a.linkDown.Visible() {
		return ""
	}
	for _, o := range test.LaidOutObjects(a.linkDown) {
		if t, ok := o.(*canvas.Text); ok {
			return t.Text
		}
	}
	return ""
}

// TestAppOnAnAPIThatIsNotTheEngine: the window logs in, shows its pages
// and hears new events through core.API alone.
func TestAppOnAnAPIThatIsNotTheEngine(t *testing.T) {
	fa := test.NewTempApp(t)
	e, c := newEngine(t)
	roleAccount(t, e, "marie", core.RoleManager)
	tap(t, e, "main-in", "em:0102B0A5FD")
	ui := make(uiThread, 256)
	a := newApp(fa, apiOnly{e}, Options{Log: slog.New(slog.DiscardHandler)}, ui.do)
	t.Cleanup(a.bridge.close)
	a.window.Resize(fyne.NewSize(1100, 700))

	typeLogin(t, a, "marie", testPassword)
	if a.session == nil || a.session.actor.Name != "marie" {
		t.Fatal("marie is not logged in")
	}
	if got := a.header.today.Text; got != "1 event today" {
		t.Errorf("header %q, want 1 event today", got)
	}
	if n := len(shownRows(a.window)); n != 1 {
		t.Errorf("the reception feed shows %d rows, want 1", n)
	}
	c.now = c.now.Add(time.Minute)
	tap(t, e, "main-in", "em:0A00000001")
	ui.until(t, "Bob's tap in the feed", func() bool { return len(shownRows(a.window)) == 2 })

	a.shell.show("log")
	ui.until(t, "the event log's rows", func() bool {
		texts := shownTexts(a.window)
		return slices.Contains(texts, "Ann Martin") && slices.Contains(texts, "Bob Stone")
	})
}

// newWatchedApp is the app of the command line on a real engine whose
// watch the test drives, showing the reception page.
func newWatchedApp(t *testing.T, opts Options) (*App, *core.Engine, *clock, *watchedAPI, uiThread) {
	t.Helper()
	fa := test.NewTempApp(t)
	e, c := newEngine(t)
	api := &watchedAPI{API: e}
	ui := make(uiThread, 256)
	opts.Actor, opts.Log = testCLI, slog.New(slog.DiscardHandler)
	a := newApp(fa, api, opts, ui.do)
	t.Cleanup(a.bridge.close)
	a.window.Resize(fyne.NewSize(1100, 700))
	return a, e, c, api, ui
}

// TestBridgeFollowsTheWatch: what the watch sends reaches the screens; a
// watch that missed updates, or a link that comes back, has them reread;
// while the link is down a banner says so and the screens keep what they
// show.
func TestBridgeFollowsTheWatch(t *testing.T) {
	a, e, c, api, ui := newWatchedApp(t, Options{})
	w := api.last(t)
	if w.actor != testCLI {
		t.Fatalf("watch as %v, want the session's actor %v", w.actor, testCLI)
	}
	rows := func() int { return len(shownRows(a.window)) }
	later := func(reader, code string) core.Event {
		c.now = c.now.Add(time.Minute)
		return tap(t, e, reader, code)
	}

	// An event sent reaches the feed and the header.
	ev := later("main-in", "em:0102B0A5FD")
	w.send(core.Update{Event: &ev})
	ui.until(t, "the event in the feed", func() bool { return rows() == 1 })
	if got := a.header.today.Text; got != "1 event today" {
		t.Errorf("header %q, want 1 event today", got)
	}

	// A desk tap outside the log is for the self-view, not for the feed
	// or the count of events.
	desk := later("desk", "em:0A00000001")
	w.send(core.Update{Desk: &desk})
	ui.until(t, "Bob's self-view", func() bool { return len(a.window.Canvas().Overlays().List()) > 0 })
	if got := a.header.today.Text; got != "1 event today" || rows() != 1 {
		t.Errorf("a desk tap outside the log was shown as one of it: header %q, %d rows", got, rows())
	}
	a.window.Canvas().Overlays().Top().Hide()

	// A health report reaches the device strip.
	w.send(core.Update{Health: &core.DeviceHealth{Device: "main-in", Kind: "sim", LastError: "device not found"}})
	ui.until(t, "main-in shown not found", func() bool { return slices.Contains(shownTexts(a.window), "main-in: not found") })

	// Updates missed: the screens reread the log, which has them.
	later("main-in", "em:0A00000001")
	w.send(core.Update{Missed: 3})
	ui.until(t, "the missed taps after the reload", func() bool { return rows() == 3 })
	if got := a.header.today.Text; got != "3 events today" {
		t.Errorf("header %q after the reload, want 3 events today", got)
	}

	// The link goes down: a banner at once, the rows stay.
	start := time.Now()
	w.send(core.Update{Link: core.LinkDown})
	ui.until(t, "the banner", func() bool { return bannerText(a) != "" })
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("the banner took %v, want under 2 s", d)
	}
	if got, want := bannerText(a), "Connection to the Frontdesk service lost — reconnecting…"; got != want {
		t.Errorf("banner %q, want %q", got, want)
	}
	if rows() != 3 {
		t.Errorf("the feed shows %d rows while the link is down, want the 3 it had", rows())
	}
	if a.linkDown.Position().Y > a.shell.content.Position().Y {
		t.Error("the banner is not above the pages")
	}

	// Back: the banner goes, and the screens reread what they show.
	later("main-out", "em:0102B0A5FD")
	w.send(core.Update{Link: core.LinkUp})
	ui.until(t, "the banner gone and the feed reread", func() bool { return bannerText(a) == "" && rows() == 4 })
	if got := a.header.today.Text; got != "4 events today" {
		t.Errorf("header %q after the link came back, want 4 events today", got)
	}
}

// TestSessionWatch: each login watches as its actor; logging out ends the
// watch, hides a banner nothing would take down, and what the old watch
// still sends reaches nobody.
func TestSessionWatch(t *testing.T) {
	fa := test.NewTempApp(t)
	e, c := newEngine(t)
	roleAccount(t, e, "marie", core.RoleManager)
	staffAccount(t, e, "boss", "", core.PermLogsViewOwn)
	api := &watchedAPI{API: e}
	ui := make(uiThread, 256)
	a := newApp(fa, api, Options{Log: slog.New(slog.DiscardHandler)}, ui.do)
	t.Cleanup(a.bridge.close)
	a.window.Resize(fyne.NewSize(1100, 700))
	api.mu.Lock()
	before := len(api.watches)
	api.mu.Unlock()
	if before != 0 {
		t.Fatalf("%d watches before any login", before)
	}

	typeLogin(t, a, "marie", testPassword)
	first := api.last(t)
	if first.actor.Name != "marie" {
		t.Fatalf("watch as %v, want marie", first.actor)
	}
	first.send(core.Update{Link: core.LinkDown})
	ui.until(t, "the banner", func() bool { return bannerText(a) != "" })

	a.logout()
	if !first.isCancelled() {
		t.Error("the watch of the session logged out still runs")
	}
	if bannerText(a) != "" {
		t.Error("the banner stays after the logout")
	}

	typeLogin(t, a, "boss", testPassword)
	second := api.last(t)
	if second == first || second.actor.Name != "boss" {
		t.Fatalf("watch as %v, want a new one as boss", second.actor)
	}
	if got := a.header.today.Text; got != "No events today yet" {
		t.Fatalf("boss's header %q", got)
	}
	// What the ended watch still sends is dropped. The bridge's queue is
	// in order, so once the new watch's update shows, the old one's before
	// it went through the bridge. Marie may see this tap; boss, who owns
	// no door, may not.
	c.now = c.now.Add(time.Minute)
	ev := tap(t, e, "main-in", "em:0102B0A5FD")
	first.send(core.Update{Event: &ev})
	second.send(core.Update{Link: core.LinkDown})
	ui.until(t, "the new watch's banner", func() bool { return bannerText(a) != "" })
	if got := a.header.today.Text; got != "No events today yet" {
		t.Errorf("boss's header %q: the ended watch's event was counted", got)
	}
	second.send(core.Update{Link: core.LinkUp})
	ui.until(t, "the banner gone", func() bool { return bannerText(a) == "" })
	first.send(core.Update{Link: core.LinkDown})
	c.now = c.now.Add(time.Minute)
	own := tap(t, e, "main-in", "em:0A00000001")
	second.send(core.Update{Event: &own})
	ui.until(t, "the new watch's event", func() bool { return a.header.today.Text == "1 event today" })
	if bannerText(a) != "" {
		t.Error("the ended watch's link news reached the new session")
	}
}
