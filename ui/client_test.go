package ui

import (
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

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

	// The service is back without the session (it restarted): the login,
	// and a word saying why.
	w.send(core.Update{Link: core.LinkDown})
	w.send(core.Update{Link: core.LinkEnded})
	ui.until(t, "the login after the session ended", func() bool { return a.session == nil && bannerText(a) == "" })
	top := a.window.Canvas().Overlays().Top()
	if top == nil || !slices.Contains(textsIn(top), "The Frontdesk service ended this session (it restarted, or the account changed). Log in again.") {
		t.Error("no word on why the session ended")
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

// trayApp is the test app with a desktop's system tray, whose windows
// record being hidden, shown and closed, and which records quitting and
// the files it opens.
type trayApp struct {
	fyne.App
	mu     sync.Mutex
	window *trackedWindow
	menu   *fyne.Menu
	quits  int
	opened []string
}

func (a *trayApp) NewWindow(title string) fyne.Window {
	a.window = &trackedWindow{Window: a.App.NewWindow(title)}
	return a.window
}

func (a *trayApp) Quit() { a.quits++ }

func (a *trayApp) OpenURL(u *url.URL) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.opened = append(a.opened, u.String())
	return nil
}

func (a *trayApp) SetSystemTrayMenu(m *fyne.Menu)  { a.menu = m }
func (a *trayApp) SetSystemTrayIcon(fyne.Resource) {}

// SetSystemTrayWindow hides w on close, as Fyne's desktop driver does.
func (a *trayApp) SetSystemTrayWindow(w fyne.Window) { w.SetCloseIntercept(w.Hide) }

// trayItem is the tray menu's item labelled label.
func (a *trayApp) trayItem(t *testing.T, label string) *fyne.MenuItem {
	t.Helper()
	if a.menu == nil {
		t.Fatal("no tray menu")
	}
	for _, it := range a.menu.Items {
		if it.Label == label {
			return it
		}
	}
	t.Fatalf("no %q in the tray menu", label)
	return nil
}

type trackedWindow struct {
	fyne.Window
	intercept      func()
	hidden, closed bool
}

func (w *trackedWindow) SetCloseIntercept(fn func()) {
	w.intercept = fn
	w.Window.SetCloseIntercept(fn)
}

func (w *trackedWindow) Hide() {
	w.hidden = true
	w.Window.Hide()
}

func (w *trackedWindow) Show() {
	w.hidden = false
	w.Window.Show()
}

func (w *trackedWindow) Close() {
	w.closed = true
	w.Window.Close()
}

// userCloses is the window's close button, as the desktop driver takes it.
func (w *trackedWindow) userCloses() {
	if w.intercept != nil {
		w.intercept()
		return
	}
	w.Close()
}

// newTrayApp is the app of the command line on a tray app.
func newTrayApp(t *testing.T, opts Options) (*App, *trayApp, uiThread) {
	t.Helper()
	ta := &trayApp{App: test.NewTempApp(t)}
	e, _ := newEngine(t)
	ui := make(uiThread, 256)
	opts.Actor, opts.Log = testCLI, slog.New(slog.DiscardHandler)
	a := newApp(ta, e, opts, ui.do)
	t.Cleanup(a.bridge.close)
	a.window.Resize(fyne.NewSize(1100, 700))
	return a, ta, ui
}

// closeDialog is the question asked on close, if shown: its text and
// buttons by label.
func closeDialog(a *App) (string, map[string]*widget.Button) {
	top := a.window.Canvas().Overlays().Top()
	if top == nil || !top.Visible() {
		return "", nil
	}
	text, buttons := "", map[string]*widget.Button{}
	for _, o := range test.LaidOutObjects(top) {
		switch x := o.(type) {
		case *widget.Label:
			if strings.HasPrefix(x.Text, "The doors") {
				text = x.Text
			}
		case *widget.Button:
			buttons[x.Text] = x
		}
	}
	return text, buttons
}

// TestCloseWhileRunningTheDoorsAsks: closing the window of the process
// that runs the doors asks; keeping it running hides the window, which the
// tray shows again; Cancel keeps it; Quit quits.
func TestCloseWhileRunningTheDoorsAsks(t *testing.T) {
	a, ta, _ := newTrayApp(t, Options{RunsDoors: true})
	w := ta.window
	ask := func() map[string]*widget.Button {
		t.Helper()
		w.userCloses()
		text, buttons := closeDialog(a)
		if text != "The doors stop while Frontdesk is closed." {
			t.Fatalf("closing shows %q, want the question", text)
		}
		for _, label := range []string{"Keep running in the tray", "Quit", "Cancel"} {
			if buttons[label] == nil {
				t.Fatalf("no %q in the question: %v", label, buttons)
			}
		}
		if w.hidden || w.closed || ta.quits != 0 {
			t.Fatalf("the window went before the answer: hidden %v, closed %v, quit %d", w.hidden, w.closed, ta.quits)
		}
		return buttons
	}
	buttons := ask()
	shot(t, a.window, "close-while-running-doors")
	test.Tap(buttons["Keep running in the tray"])
	if !w.hidden || w.closed || ta.quits != 0 {
		t.Errorf("keep running: hidden %v, closed %v, quit %d; want hidden only", w.hidden, w.closed, ta.quits)
	}
	if text, _ := closeDialog(a); text != "" {
		t.Error("the question stays after the answer")
	}
	ta.trayItem(t, "Show window").Action()
	if w.hidden {
		t.Error("Show window in the tray did not show it")
	}

	test.Tap(ask()["Cancel"])
	if w.hidden || w.closed || ta.quits != 0 {
		t.Errorf("cancel: hidden %v, closed %v, quit %d; want the window as it was", w.hidden, w.closed, ta.quits)
	}
	if text, _ := closeDialog(a); text != "" {
		t.Error("the question stays after Cancel")
	}

	test.Tap(ask()["Quit"])
	if ta.quits != 1 {
		t.Errorf("quit: the app quit %d times, want 1", ta.quits)
	}

	quit := ta.trayItem(t, "Quit")
	if !quit.IsQuit {
		t.Error("the tray's Quit is not marked as the menu's quit: the desktop adds another")
	}
	quit.Action()
	if ta.quits != 2 {
		t.Errorf("the tray's Quit: quit %d times, want 2", ta.quits)
	}
}

// TestCloseAsAClientCloses: a window that does not run the doors closes
// without asking, and has no tray.
func TestCloseAsAClientCloses(t *testing.T) {
	a, ta, _ := newTrayApp(t, Options{})
	ta.window.userCloses()
	if !ta.window.closed {
		t.Error("the window did not close")
	}
	if text, _ := closeDialog(a); text != "" {
		t.Error("the window asked before closing")
	}
	if ta.menu != nil {
		t.Error("a window of the service has a tray menu")
	}
}

// TestTrayMusterList: the tray writes the muster list as the process's
// owner and opens it, with nobody logged in.
func TestTrayMusterList(t *testing.T) {
	fa := &trayApp{App: test.NewTempApp(t)}
	e, _ := newEngine(t)
	tap(t, e, "main-in", "em:0102B0A5FD")
	ui := make(uiThread, 256)
	a := newApp(fa, e, Options{RunsDoors: true, Owner: testCLI, Log: slog.New(slog.DiscardHandler)}, ui.do)
	t.Cleanup(a.bridge.close)
	a.musterDir = t.TempDir()
	if a.session != nil {
		t.Fatal("a session before any login")
	}
	fa.trayItem(t, "Muster list").Action()
	opened := func() []string {
		fa.mu.Lock()
		defer fa.mu.Unlock()
		return slices.Clone(fa.opened)
	}
	ui.until(t, "the muster list opened", func() bool { return len(opened()) == 1 })
	files, _ := filepath.Glob(filepath.Join(a.musterDir, "muster-*.pdf"))
	if len(files) != 1 || !strings.HasSuffix(opened()[0], filepath.Base(files[0])) {
		t.Fatalf("written %v, opened %v", files, opened())
	}
	if b, err := os.ReadFile(files[0]); err != nil || !strings.HasPrefix(string(b), "%PDF") {
		t.Errorf("the muster list is not a PDF: %v", err)
	}
	if fa.window.hidden {
		t.Error("the window was hidden")
	}

	// Without an owner, the tray offers no muster list.
	fb := &trayApp{App: test.NewTempApp(t)}
	b := newApp(fb, e, Options{RunsDoors: true, Log: slog.New(slog.DiscardHandler)}, ui.do)
	t.Cleanup(b.bridge.close)
	for _, it := range fb.menu.Items {
		if it.Label == "Muster list" {
			t.Error("a muster list in the tray without an owner to act as")
		}
	}
}
