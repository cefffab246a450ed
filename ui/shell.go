package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// shell is the window of a logged-in actor: a bar with the site, who is
// logged in and "Log out"; the pages the actor may see on the left; the
// chosen page on the right. Pages are built the first time they are shown
// and kept, so that a form half filled survives a look at another page.
type shell struct {
	s      *session
	pages  []page
	built  map[string]fyne.CanvasObject
	header *header
	// logout ends the session (the app shows the login again); nil when
	// the window acts as a fixed actor.
	logout func()

	nav     *widget.List
	content *fyne.Container
	current string
	idle    *idleWatch
}

func newShell(s *session, pages []page, h *header, logout func()) *shell {
	return &shell{s: s, pages: pagesFor(s, pages), built: map[string]fyne.CanvasObject{}, header: h, logout: logout}
}

func (sh *shell) build() fyne.CanvasObject {
	sh.content = container.NewStack()
	sh.nav = widget.NewList(
		func() int { return len(sh.pages) },
		func() fyne.CanvasObject { return widget.NewLabel("Administration page") },
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(sh.pages[id].title) },
	)
	sh.nav.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(sh.pages) {
			sh.touch()
			sh.show(sh.pages[id].id)
		}
	}
	var top fyne.CanvasObject = sh.header.build()
	right := container.NewHBox(sh.languageSelect())
	if sh.logout != nil {
		who := widget.NewLabelWithStyle(fmt.Sprintf(lang.L("Logged in as %s"), sh.s.actor.Name), fyne.TextAlignTrailing, fyne.TextStyle{Italic: true})
		out := widget.NewButtonWithIcon(lang.L("Log out"), theme.LogoutIcon(), sh.logout)
		right.Add(who)
		right.Add(out)
	}
	top = container.NewBorder(nil, nil, nil, right, top)
	if len(sh.pages) == 0 {
		msg := widget.NewLabel(lang.L("This account may see no page. Ask an administrator for a role."))
		msg.Wrapping = fyne.TextWrapWord
		sh.content.Objects = []fyne.CanvasObject{container.NewCenter(msg)}
	} else {
		sh.nav.Select(0)
	}
	split := container.NewHSplit(sh.nav, sh.content)
	split.Offset = 0.16
	body := container.NewBorder(top, nil, nil, nil, split)
	return newActivity(body, sh.touch)
}

// languageSelect chooses the window's language for the next start.
func (sh *shell) languageSelect() fyne.CanvasObject {
	names := make([]string, len(languages))
	current := ""
	prefs := fyne.CurrentApp().Preferences()
	for i, l := range languages {
		names[i] = l.name
		if l.code == prefs.String(prefLanguage) {
			current = l.name
		}
	}
	sel := widget.NewSelect(names, nil)
	sel.SetSelected(current)
	sel.OnChanged = func(name string) {
		for _, l := range languages {
			if l.name == name && l.code != prefs.String(prefLanguage) {
				prefs.SetString(prefLanguage, l.code)
				if sh.s.window != nil {
					dialog.ShowInformation(lang.L("Language"), lang.L("The new language applies from the next start of Frontdesk."), sh.s.window)
				}
			}
		}
	}
	return sel
}

// show makes page id the one shown, building it the first time.
func (sh *shell) show(id string) {
	if id == sh.current {
		return
	}
	for i, p := range sh.pages {
		if p.id != id {
			continue
		}
		obj, ok := sh.built[id]
		if !ok {
			// A page wider than the window scrolls sideways rather than
			// widening the window past the screen; its own lists keep
			// the height.
			obj = container.NewHScroll(p.build(sh.s))
			sh.built[id] = obj
		}
		sh.current = id
		sh.content.Objects = []fyne.CanvasObject{obj}
		sh.content.Refresh()
		if sh.nav != nil {
			sh.nav.Select(i)
		}
		return
	}
}

// touch records activity for the automatic logout.
func (sh *shell) touch() {
	if sh.idle != nil {
		sh.idle.touch()
	}
}

// pageIDs are the ids of the pages shown in the navigation, in order.
func (sh *shell) pageIDs() []string {
	out := make([]string, len(sh.pages))
	for i, p := range sh.pages {
		out[i] = p.id
	}
	return out
}

// activity wraps the window's content to see the pointer move over it:
// Fyne gives hover events to the topmost hoverable object under the
// pointer, so this sees movements over everything that is not itself
// hoverable (labels, backgrounds, forms), enough to tell that someone is
// at the screen.
type activity struct {
	widget.BaseWidget
	content fyne.CanvasObject
	touch   func()
}

func newActivity(content fyne.CanvasObject, touch func()) *activity {
	a := &activity{content: content, touch: touch}
	a.ExtendBaseWidget(a)
	return a
}

func (a *activity) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(a.content) }

// MouseIn is activity.
func (a *activity) MouseIn(*desktop.MouseEvent) { a.touch() }

// MouseMoved is activity.
func (a *activity) MouseMoved(*desktop.MouseEvent) { a.touch() }

// MouseOut is not.
func (a *activity) MouseOut() {}

// Idle logout.
const (
	// idlePoll is how often the watch looks at the clock and at what is
	// typed.
	idlePoll = 2 * time.Second
	// idleWarning is how long before the logout a dialog offers to stay.
	idleWarning = 30 * time.Second
	// prefIdleMinutes is the preference holding the idle minutes; 0
	// disables the automatic logout.
	prefIdleMinutes = "idle_logout_minutes"
	// defaultIdleMinutes is the automatic logout when none is set.
	defaultIdleMinutes = 10
)

// idleWatch logs the session out after a time without activity: pointer
// movements (activity), page changes, and typing, which it sees by
// polling the focused entry's text. Before it logs out it warns for
// idleWarning with a dialog whose button keeps the session.
type idleWatch struct {
	limit  time.Duration
	now    func() time.Time
	after  func(time.Duration, func())
	window fyne.Window
	logout func()

	last    time.Time
	typed   string
	focused fyne.Focusable
	warning dialog.Dialog
	stopped bool
}

func newIdleWatch(limit time.Duration, now func() time.Time, after func(time.Duration, func()), window fyne.Window, logout func()) *idleWatch {
	w := &idleWatch{limit: limit, now: now, after: after, window: window, logout: logout, last: now()}
	w.schedule()
	return w
}

func (w *idleWatch) touch() {
	w.last = w.now()
	if w.warning != nil {
		w.warning.Hide()
		w.warning = nil
	}
}

func (w *idleWatch) stop() {
	w.stopped = true
	if w.warning != nil {
		w.warning.Hide()
		w.warning = nil
	}
}

func (w *idleWatch) schedule() {
	if w.after == nil || w.stopped {
		return
	}
	w.after(idlePoll, func() {
		w.check()
		w.schedule()
	})
}

// check logs out, warns, or notices typing.
func (w *idleWatch) check() {
	if w.stopped {
		return
	}
	if w.window != nil {
		f := w.window.Canvas().Focused()
		text := ""
		if e, ok := f.(*widget.Entry); ok {
			text = e.Text
		}
		if f != w.focused || text != w.typed {
			w.focused, w.typed = f, text
			w.touch()
			return
		}
	}
	idle := w.now().Sub(w.last)
	switch {
	case idle >= w.limit:
		w.stop()
		w.logout()
	case idle >= w.limit-idleWarning && w.warning == nil && w.window != nil:
		w.warning = dialog.NewCustom(lang.L("Still there?"), lang.L("Stay logged in"),
			widget.NewLabel(lang.L("You will be logged out in a few seconds for lack of activity.")), w.window)
		w.warning.SetOnClosed(func() {
			if !w.stopped {
				w.warning = nil
				w.last = w.now()
			}
		})
		w.warning.Show()
	}
}
