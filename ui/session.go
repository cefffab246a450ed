package ui

import (
	"errors"
	"log/slog"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
	"frontdesk/core/report"
)

// session is what the screens of one logged-in actor share: the engine,
// who acts, what they may do, the window, and the bridge's timer. A screen
// is built on a session and reads and changes everything through
// session.engine as session.actor, so the engine checks every permission;
// the session's permissions only decide what is offered.
type session struct {
	engine core.API
	actor  core.Actor
	perms  []core.Permission
	log    *slog.Logger
	window fyne.Window
	// after runs fn on the UI thread after d (bridge.after); nil in tests
	// that drive timers themselves.
	after func(d time.Duration, fn func())
	// listen registers a screen for engine events (bridge.add); nil when
	// there is no bridge.
	listen func(listener)
	// do runs a function on the UI thread from another goroutine: nil is
	// fyne.Do; the app passes its bridge's, which tests replace with their
	// own UI thread. Screens call onUI.
	do func(func())
	// ended is set at logout: the session's timers stop firing.
	ended bool
	// checkpoint is Options.Checkpoint; nil prints reports without one.
	checkpoint func() string
	// version is Options.Version: reports print it in their footers.
	version string
	// onSearch takes the search field of the page being built, for
	// Ctrl+F (shell.bindKeys); nil outside a shell.
	onSearch func(*widget.Entry)
	// demoTap is Options.DemoTap: in the demo, it presents a card at a
	// simulated reader; nil elsewhere.
	demoTap func(reader, code string) error
	// forms are the forms of the pages built, for Escape (formKeys).
	forms []editForm
}

// searchField makes e the field Ctrl+F goes to on the page it is on.
func (s *session) searchField(e *widget.Entry) {
	if s.onSearch != nil {
		s.onSearch(e)
	}
}

// printOptions are the options of a report printed now on paper: its
// footers carry the build's version and the latest checkpoint of the
// logs. Call it where the report is printed, off the UI thread: it may
// sign a new checkpoint.
func (s *session) printOptions(paper string) report.Options {
	return printOptions(s.checkpoint, s.version, paper)
}

// printOptions are the options of a report printed now on paper, with the
// build's version and the checkpoint checkpoint signs (nil: none).
func printOptions(checkpoint func() string, version, paper string) report.Options {
	o := report.Options{Paper: paper, Version: version, Language: windowLanguage()}
	if checkpoint != nil {
		o.Checkpoint = checkpoint()
	}
	return o
}

// onUI runs fn on the UI thread, from a goroutine that finished some long
// work (a report, a search).
func (s *session) onUI(fn func()) {
	if s.do != nil {
		s.do(fn)
		return
	}
	fyne.Do(fn)
}

// afterPause runs fn once the typing pauses for d: each call counts in
// *gen, and only the call still the latest after d runs fn. Without a
// timer (tests that drive timers themselves) fn runs at once.
func (s *session) afterPause(gen *int, d time.Duration, fn func()) {
	*gen++
	if s.after == nil {
		fn()
		return
	}
	mine := *gen
	s.after(d, func() {
		if mine == *gen {
			fn()
		}
	})
}

// newSession resolves actor's permissions.
func newSession(engine core.API, actor core.Actor, log *slog.Logger, window fyne.Window) (*session, error) {
	perms, err := engine.PermissionsOf(actor)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &session{engine: engine, actor: actor, perms: perms, log: log, window: window}, nil
}

// can reports whether the actor holds p.
func (s *session) can(p core.Permission) bool { return slices.Contains(s.perms, p) }

// canAny reports whether the actor holds one of ps; none means yes.
func (s *session) canAny(ps ...core.Permission) bool {
	if len(ps) == 0 {
		return true
	}
	return slices.ContainsFunc(ps, s.can)
}

// fail shows err in a dialog and logs it. A refusal by the engine is shown
// as such: the screens offer only what the actor may do, so it means the
// roles changed meanwhile.
func (s *session) fail(what string, err error) {
	s.log.Error(what, "err", err, "by", s.actor.String())
	if s.window == nil {
		return
	}
	if errors.Is(err, core.ErrForbidden) {
		dialog.ShowInformation(lang.L("Not allowed"), errorText(err), s.window)
		return
	}
	dialog.ShowError(errors.New(withLabel(what, errorText(err))), s.window)
}

// page is one entry of the navigation: a screen offered to actors holding
// any of its permissions (none: everyone).
type page struct {
	id    string
	title string
	needs []core.Permission
	build func(s *session) fyne.CanvasObject
}

// pagesFor returns the pages s may see, in order.
func pagesFor(s *session, all []page) []page {
	var out []page
	for _, p := range all {
		if s.canAny(p.needs...) {
			out = append(out, p)
		}
	}
	return out
}
