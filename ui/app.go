// Package ui is Frontdesk's desktop app: the Fyne screens. It is the only
// package that imports Fyne widgets; every read and change goes through
// core.API (the engine in this process, or the service), and the live
// updates of the session's watch reach the screens through one bridge to
// the UI thread (bridge.go).
package ui

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/assets"
	"frontdesk/core"
	"frontdesk/core/report"
)

// AppID is the application id, as in FyneApp.toml: it names the folder of
// the app's preferences.
const AppID = "com.frontdesk.app"

// Options configure the app. The zero value is a working app.
type Options struct {
	// OnStart, when set, runs in its own goroutine when the app starts, with
	// a context that is cancelled when the window closes. The command starts
	// devices and the demo's simulated readers in it. It must return soon
	// after its context ends: Run waits for it, so that the store can be
	// closed after Run.
	OnStart func(ctx context.Context)
	// Actor, when set, is who the window acts as, without a login (tests,
	// a kiosk). Left zero, the window asks staff to log in, or on a
	// database without accounts offers to create the first administrator.
	Actor core.Actor
	// LoginHint is shown under the login form: the demo's accounts.
	LoginHint string
	// OpenDemo, when set, is offered on the first start: it opens the
	// demo site instead (the command restarts on the demo database).
	OpenDemo func()
	// DemoTap, in the demo, presents a card at a simulated reader; the
	// window then offers a panel to tap cards.
	DemoTap func(reader, code string) error
	// Backup writes a consistent copy of the database to w while it is in
	// use; Restore replaces the database with the copy r reads. The
	// settings page offers what is set.
	Backup  func(w io.Writer) error
	Restore func(r io.Reader) error
	// Checkpoint, when set, returns the signed checkpoint of the logs that
	// the footers of printed reports carry ("" for none); the command
	// makes it, with the key and the checkpoint file it keeps.
	Checkpoint func() string
	// Log receives the errors the window shows in short; default
	// slog.Default().
	Log *slog.Logger
	// Version is the build's version, shown in the preferences and
	// printed in the footers of reports; "" for none.
	Version string
	// RunsDoors is set when this process runs the site's doors: it opened
	// the database and OnStart runs the devices. Closing the window then
	// asks first, since the doors stop with the process, and offers to
	// keep it running in the system tray. A window that is a client of
	// the service just closes.
	RunsDoors bool
	// Owner is who the muster list of the tray and of the login screen
	// acts as: the process's owner, as on the command line, since they
	// ask for no login in an emergency. Zero: they offer no muster list.
	Owner core.Actor
}

// Run opens the app on engine (the engine in this process, or a client of
// the service) with the application id and icon, and returns
// when its window is closed or ctx ends, and Options.OnStart has returned. The error is
// for the command to report; it is nil for now, since the screens show
// their own problems and Fyne ends the process itself when it finds no
// display.
func Run(ctx context.Context, engine core.API, opts Options) error {
	a := New(desktopApp(opts), engine, opts)
	a.Run(ctx)
	return nil
}

// desktopApp is the Fyne app of the process, with its id, icon and
// translations, and a tray when it runs the doors and the desktop has one.
func desktopApp(opts Options) fyne.App {
	fa := app.NewWithID(AppID)
	fa.SetIcon(appIcon)
	loadTranslations(fa)
	if opts.RunsDoors && !trayHost() {
		return withoutTray{fa}
	}
	return fa
}

// App is the desktop app: one window that shows the login, then the
// shell of the logged-in actor.
type App struct {
	fyne   fyne.App
	engine core.API
	opts   Options
	pages  []page
	// now is the wall clock of the idle logout.
	now func() time.Time

	window fyne.Window
	bridge *bridge
	// linkDown is the banner across the top of the window while the link
	// to the service is down.
	linkDown *fyne.Container
	// The current session, its header and shell; nil while logged out.
	session *session
	header  *header
	shell   *shell

	// closing is the dialog asking whether to close while the doors run;
	// nil when not shown.
	closing *dialog.CustomDialog
	// printer prints the muster list of the tray and the login screen.
	printer cups
	// musterShown is the text of the last muster dialog, for tests.
	musterShown string
	// unbindKeys removes the session's shortcuts (shell.bindKeys).
	unbindKeys func()
	// musterDir is where the tray writes muster lists; "" is the user's
	// cache folder.
	musterDir string
	// branchWait is a branch's wait for its accounts, while shown.
	branchWait *branchWait
}

// windowSize is the size the window opens at: a small reception
// screen's; on a bigger one, the window is maximised.
var windowSize = fyne.NewSize(1024, 600)

// appIcon is the app's icon, of the window and the tray.
var appIcon = fyne.NewStaticResource("icon.png", assets.Icon)

// New builds the app's window on a and engine (the engine in this
// process, or a client of the service); Run shows it. Call it on the
// goroutine that will call Run.
func New(a fyne.App, engine core.API, opts Options) *App {
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	return newApp(a, engine, opts, nil)
}

// newApp is New with do as the bridge's way to the UI thread (nil:
// fyne.Do), for tests.
func newApp(a fyne.App, engine core.API, opts Options, do func(func())) *App {
	x := &App{fyne: a, engine: engine, opts: opts, pages: allPages(opts), now: time.Now, printer: systemCUPS}
	x.build(do)
	return x
}

// build makes the window and shows the first screen, with do as the
// bridge's way to the UI thread (nil: fyne.Do).
func (a *App) build(do func(func())) {
	a.bridge = newBridge(do)
	a.bridge.onLink = a.showLink
	a.bridge.start()
	a.window = a.fyne.NewWindow("Frontdesk — " + a.engine.Site().Name)
	a.window.Resize(windowSize)
	a.window.SetMaster()
	if a.opts.RunsDoors {
		a.setTray()
		// After the tray, which would have the window hide without asking.
		a.window.SetCloseIntercept(a.askClose)
	}
	a.linkDown = linkBanner()
	a.window.Canvas().SetOnTypedKey(a.typedKey)
	switch {
	case a.opts.Actor != (core.Actor{}):
		a.startSession(a.opts.Actor, false)
	case a.engine.HasAccounts():
		a.showLogin()
	case a.engine.Federation().Branch():
		a.showBranchWait()
	default:
		a.showFirstStart()
	}
}

// withoutTray is an app whose desktop shows no tray: the window neither
// puts an icon there nor offers to keep running in it.
type withoutTray struct{ fyne.App }

// tray returns the desktop's system tray, if the app has one.
func (a *App) tray() (desktop.App, bool) {
	d, ok := a.fyne.(desktop.App)
	return d, ok
}

// setTray puts Frontdesk in the system tray, where a window kept running
// hidden is found again.
func (a *App) setTray() {
	d, ok := a.tray()
	if !ok {
		return
	}
	items := []*fyne.MenuItem{fyne.NewMenuItem(lang.L("Show window"), a.showWindow)}
	if a.opts.Owner != (core.Actor{}) {
		items = append(items, fyne.NewMenuItem(lang.L("Muster list"), a.trayMuster))
	}
	quit := fyne.NewMenuItem(lang.L("Quit"), a.fyne.Quit)
	quit.IsQuit = true
	items = append(items, fyne.NewMenuItemSeparator(), quit)
	d.SetSystemTrayIcon(appIcon)
	d.SetSystemTrayMenu(fyne.NewMenu("Frontdesk", items...))
	// A click on the icon shows the window, where the desktop allows.
	d.SetSystemTrayWindow(a.window)
}

// askClose asks, when the window is closed while this process runs the
// doors, whether to keep them running in the tray, quit, or cancel.
func (a *App) askClose() {
	if a.closing != nil {
		return
	}
	msg := widget.NewLabel(lang.L("The doors stop while Frontdesk is closed."))
	a.closing = dialog.NewCustomWithoutButtons(lang.L("Close Frontdesk?"), msg, a.window)
	answer := func(fn func()) func() {
		return func() {
			a.closing.Hide()
			fn()
		}
	}
	cancel := widget.NewButton(lang.L("Cancel"), answer(func() {}))
	quit := widget.NewButtonWithIcon(lang.L("Quit"), theme.LogoutIcon(), answer(a.fyne.Quit))
	quit.Importance = widget.DangerImportance
	buttons := []fyne.CanvasObject{cancel, quit}
	if _, ok := a.tray(); ok {
		keep := widget.NewButtonWithIcon(lang.L("Keep running in the tray"), theme.VisibilityOffIcon(), answer(a.window.Hide))
		keep.Importance = widget.HighImportance
		buttons = append(buttons, keep)
	}
	a.closing.SetButtons(buttons)
	a.closing.SetOnClosed(func() { a.closing = nil })
	a.closing.Show()
}

// showWindow shows the window kept running in the tray.
func (a *App) showWindow() {
	a.window.Show()
	a.window.RequestFocus()
}

// trayMuster makes and prints the muster list as Options.Owner, as the
// reception page does, and says so in the window. The login screen's
// button does the same: in an evacuation no login is in the way.
func (a *App) trayMuster() {
	owner, dir := a.opts.Owner, a.musterDir
	go func() {
		out, err := musterOut(a.engine, owner, "", dir, a.printOptions, a.printer, a.fyne.OpenURL, a.opts.Log)
		a.bridge.do(func() {
			a.showWindow()
			if err != nil {
				a.opts.Log.Error("make the muster list", "err", err)
				dialog.ShowError(errors.New(withLabel(lang.L("Make the muster list"), errorText(err))), a.window)
				return
			}
			a.musterShown = out.message
			dialog.ShowInformation(lang.L("Muster list"), out.message, a.window)
		})
	}()
}

// printOptions are the options of a report printed now (session.printOptions).
func (a *App) printOptions(paper string) report.Options {
	return printOptions(a.opts.Checkpoint, a.opts.Version, paper)
}

// setContent shows content under the banner of a lost link.
func (a *App) setContent(content fyne.CanvasObject) {
	a.window.SetContent(container.NewBorder(a.linkDown, nil, nil, nil, container.NewPadded(content)))
}

// linkBanner is the place of the banner shown while the service does not
// answer: hidden and empty until then (showLink).
func linkBanner() *fyne.Container {
	b := container.NewStack()
	b.Hide()
	return b
}

// showLink shows the banner while the link to the service is down; what
// the screens show stays, and the bridge has them reload once it is back.
func (a *App) showLink(l core.Link) {
	if l == core.LinkEnded {
		// The service no longer knows the session: back to the login,
		// saying why.
		a.logout()
		dialog.ShowInformation(lang.L("Session ended"),
			lang.L("The Frontdesk service ended this session (it restarted, or the account changed). Log in again."), a.window)
		return
	}
	if l != core.LinkDown {
		a.linkDown.Hide()
		a.linkDown.Objects = nil
		a.window.Content().Refresh()
		return
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameWarning))
	text := canvas.NewText(lang.L("Connection to the Frontdesk service lost — reconnecting…"), theme.Color(theme.ColorNameForegroundOnWarning))
	text.TextStyle.Bold = true
	text.Alignment = fyne.TextAlignCenter
	a.linkDown.Objects = []fyne.CanvasObject{bg, container.NewPadded(text)}
	a.linkDown.Show()
	a.window.Content().Refresh()
}

// showLogin asks for a staff login.
func (a *App) showLogin() {
	l := newLoginScreen(a.engine, a.opts.LoginHint, func(actor core.Actor) { a.startSession(actor, true) })
	if a.opts.Owner != (core.Actor{}) {
		l.muster = a.trayMuster
	}
	a.setContent(l.build())
	a.window.Canvas().Focus(l.user)
}

// showFirstStart offers to create the first administrator.
func (a *App) showFirstStart() {
	f := newFirstStart(a.engine, a.opts.OpenDemo, func(actor core.Actor) { a.startSession(actor, true) })
	a.setContent(f.build())
}

// showBranchWait waits for a branch's accounts, which come from the
// central site, and then asks for a login.
func (a *App) showBranchWait() {
	b := newBranchWait(a.engine, a.opts.Owner, a.bridge.after, a.showLogin)
	a.branchWait = b
	a.setContent(b.build())
}

// startSession shows the shell of actor; loggedIn sessions have "Log out"
// and the automatic logout. The session's watch starts before the screens
// read what they show, so no update falls between their read and the
// first delivery; the screens skip what they read twice.
func (a *App) startSession(actor core.Actor, loggedIn bool) {
	s, err := newSession(a.engine, actor, a.opts.Log, a.window)
	if err != nil {
		a.opts.Log.Error("start session", "err", err)
		a.showLogin()
		return
	}
	s.demoTap = a.opts.DemoTap
	if err := a.bridge.watch(a.engine, actor); err != nil {
		// The screens still show what they read, and their timers
		// reread some of it; nothing comes live.
		a.opts.Log.Error("watch the live updates", "err", err, "by", actor.String())
	}
	s.after = func(d time.Duration, fn func()) {
		a.bridge.after(d, func() {
			if !s.ended {
				fn()
			}
		})
	}
	s.listen = a.bridge.add
	s.do = a.bridge.do
	s.checkpoint = a.opts.Checkpoint
	s.version = a.opts.Version
	a.session = s
	a.header = newHeader(a.engine, actor, a.opts.Log, s.after)
	a.bridge.add(a.header)
	var logout func()
	if loggedIn {
		logout = a.logout
	}
	a.shell = newShell(s, a.pages, a.header, logout)
	a.setContent(a.shell.build())
	a.unbindKeys = a.shell.bindKeys(a.window.Canvas())
	// An employee's tap on the desk reader shows them their state, doors
	// and hours for a few seconds, over whatever page is shown.
	attachSelfView(s)
	if loggedIn {
		m := a.fyne.Preferences().IntWithFallback(prefIdleMinutes, defaultIdleMinutes)
		a.shell.idle = newIdleWatch(time.Duration(m)*time.Minute, a.now, s.after, a.window, a.logout)
	}
}

// logout ends the session and shows the login.
func (a *App) logout() {
	if a.session == nil {
		return
	}
	a.session.ended = true
	if a.shell.idle != nil {
		a.shell.idle.stop()
	}
	a.bridge.unwatch()
	a.bridge.clear()
	if a.unbindKeys != nil {
		a.unbindKeys()
		a.unbindKeys = nil
	}
	a.showLink(core.LinkUp) // no watch tells of the link until the next login
	a.session, a.header, a.shell = nil, nil, nil
	a.showLogin()
}

// Run shows the window, starts Options.OnStart and returns when the window
// is closed or parent ends (the app then quits), and OnStart has returned.
func (a *App) Run(parent context.Context) {
	stop := a.start(parent)
	a.window.ShowAndRun()
	stop()
}

// start starts what runs beside the window until it closes or parent
// ends (OnStart; a quit when parent ends), and returns what stops it once
// the app has quit.
func (a *App) start(parent context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(parent)
	ran := make(chan struct{})
	go func() {
		// The command's context ends on SIGTERM or Ctrl-C: quit as if the
		// window were closed, so that devices stop and the store closes.
		select {
		case <-parent.Done():
			fyne.Do(a.fyne.Quit)
		case <-ran:
		}
	}()
	var wg sync.WaitGroup
	if a.opts.OnStart != nil {
		wg.Go(func() { a.opts.OnStart(ctx) })
	}
	a.window.SetOnClosed(func() {
		cancel()
		a.bridge.close()
	})
	return func() {
		close(ran)
		cancel()
		a.bridge.close()
		wg.Wait()
	}
}

// header shows the site's name and how many events were recorded today
// that the actor may see in the log.
type header struct {
	engine core.API
	actor  core.Actor
	log    *slog.Logger
	// after runs a function on the UI thread later (bridge.after).
	after func(time.Duration, func())

	day   core.Date // the day count is about
	count int
	// counted is the highest sequence number that count includes: the
	// bridge may deliver again events the last recount read.
	counted uint64

	site  *widget.Label
	today *widget.Label
}

func newHeader(engine core.API, actor core.Actor, log *slog.Logger, after func(time.Duration, func())) *header {
	return &header{engine: engine, actor: actor, log: log, after: after}
}

func (h *header) build() fyne.CanvasObject {
	h.site = widget.NewLabelWithStyle(h.engine.Site().Name, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.site.SizeName = theme.SizeNameSubHeadingText
	h.today = widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{})
	h.recount()
	h.scheduleMidnight()
	return container.NewVBox(
		container.NewBorder(nil, nil, h.site, h.today),
		widget.NewSeparator(),
	)
}

// recount counts today's events from the log.
func (h *header) recount() {
	loc := h.engine.Location()
	h.day = core.DateOf(h.engine.Now(), loc)
	from, to := h.day.At(0, loc), h.day.AddDays(1).At(0, loc)
	n, top := 0, uint64(0)
	err := h.engine.Events(h.actor, core.EventQuery{From: from, To: to}, func(ev core.Event) error {
		n++
		top = max(top, ev.Seq)
		return nil
	})
	if err != nil {
		h.log.Error("header: count today's events", "err", err)
		h.today.SetText(lang.L("Events today unknown"))
		return
	}
	h.count, h.counted = n, top
	h.showCount()
}

func (h *header) showCount() {
	switch h.count {
	case 0:
		h.today.SetText(lang.L("No events today yet"))
	case 1:
		h.today.SetText(lang.L("1 event today"))
	default:
		h.today.SetText(fmt.Sprintf(lang.L("%d events today"), h.count))
	}
}

// scheduleMidnight recounts when the site's day changes, events or not.
func (h *header) scheduleMidnight() {
	if h.after == nil {
		return
	}
	loc := h.engine.Location()
	now := h.engine.Now()
	next := core.DateOf(now, loc).AddDays(1).At(0, loc)
	h.after(next.Sub(now)+time.Second, func() {
		h.recount()
		h.scheduleMidnight()
	})
}

func (h *header) addEvents(evs []core.Event) {
	loc := h.engine.Location()
	if core.DateOf(h.engine.Now(), loc) != h.day {
		h.recount() // the log holds these events already
		return
	}
	from, to := h.day.At(0, loc), h.day.AddDays(1).At(0, loc)
	for _, ev := range evs {
		// Sequence numbers start at 1. Every event up to the highest one
		// counted was in the recount's snapshot of the log, so it was
		// counted if it is today's.
		if ev.Seq > h.counted && !ev.At.Before(from) && ev.At.Before(to) {
			h.count++
		}
	}
	h.showCount()
}

func (h *header) reload() { h.recount() }

// Quit closes the running app, from any goroutine.
func Quit() {
	fyne.Do(func() {
		if a := fyne.CurrentApp(); a != nil {
			a.Quit()
		}
	})
}
