package ui

import (
	"fmt"
	"image/color"
	"slices"
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
	// printer lists the printers the preferences offer.
	printer cups
	// search is each built page's search field, for Ctrl+F.
	search map[string]*widget.Entry
}

func newShell(s *session, pages []page, h *header, logout func()) *shell {
	return &shell{s: s, pages: pagesFor(s, pages), built: map[string]fyne.CanvasObject{}, header: h, logout: logout, printer: systemCUPS,
		search: map[string]*widget.Entry{}}
}

func (sh *shell) build() fyne.CanvasObject {
	sh.content = container.NewStack()
	// The navigation's titles wrap: in French and Russian the longest
	// take two lines rather than the page's room.
	sh.nav = widget.NewList(
		func() int { return len(sh.pages) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Wrapping = fyne.TextWrapWord
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(sh.pages[id].title) },
	)
	for i, p := range sh.pages {
		l := widget.NewLabel(p.title)
		l.Wrapping = fyne.TextWrapWord
		// Measured in the navigation's theme, as it is shown.
		container.NewThemeOverride(l, navTheme{})
		l.Resize(fyne.NewSize(navWidth, l.MinSize().Height))
		sh.nav.SetItemHeight(i, l.MinSize().Height)
	}
	sh.nav.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(sh.pages) {
			sh.touch()
			sh.show(sh.pages[id].id)
		}
	}
	var top fyne.CanvasObject = sh.header.build()
	prefs := widget.NewButtonWithIcon("", theme.SettingsIcon(), sh.showPreferences)
	right := container.NewHBox(prefs)
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
	split := container.NewHSplit(attSized(container.NewThemeOverride(sh.nav, navTheme{}), navWidth), sh.content)
	split.Offset = 0.2
	body := container.NewBorder(top, nil, nil, nil, split)
	return newActivity(body, sh.touch)
}

// navWidth is the navigation's width at the least.
const navWidth = 190

// navTheme is the window's theme with less room around the navigation's
// titles, so that all of them, some on two lines in French and Russian,
// are in sight on a 600 px high screen.
type navTheme struct{}

// appTheme is the application's theme: theme.Current is the one being
// drawn with, navTheme itself in the navigation.
func appTheme() fyne.Theme {
	if a := fyne.CurrentApp(); a != nil && a.Settings().Theme() != nil {
		return a.Settings().Theme()
	}
	return theme.DefaultTheme()
}

func (navTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	return appTheme().Color(n, v)
}

func (navTheme) Font(s fyne.TextStyle) fyne.Resource { return appTheme().Font(s) }

func (navTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return appTheme().Icon(n) }

func (navTheme) Size(n fyne.ThemeSizeName) float32 {
	size := appTheme().Size(n)
	if n == theme.SizeNameInnerPadding || n == theme.SizeNamePadding {
		return size / 2
	}
	return size
}

// idleChoices are the automatic logout delays offered, in minutes; 0 is
// never.
var idleChoices = []int{5, 10, 15, 30, 60, 0}

// showPreferences is this PC's preferences: the window's language (from
// the next start) and the automatic logout (at once); under them, the
// build's version.
func (sh *shell) showPreferences() {
	if sh.s.window == nil {
		return
	}
	dialog.ShowCustom(lang.L("Preferences"), lang.L("Close"), sh.preferences(), sh.s.window)
}

// preferences is the preferences form, and the build's version.
func (sh *shell) preferences() fyne.CanvasObject {
	prefs := fyne.CurrentApp().Preferences()
	names := make([]string, len(languages))
	current := ""
	for i, l := range languages {
		names[i] = l.name
		if l.code == "" {
			names[i] = lang.L("As the system")
		}
		if l.code == prefs.String(prefLanguage) {
			current = names[i]
		}
	}
	language := newSelect(names, nil)
	language.SetSelected(current)
	note := widget.NewLabel("")
	note.Wrapping = fyne.TextWrapWord
	language.OnChanged = func(name string) {
		for i, l := range languages {
			if names[i] == name && l.code != prefs.String(prefLanguage) {
				prefs.SetString(prefLanguage, l.code)
				note.SetText(lang.L("The new language applies from the next start of Frontdesk."))
			}
		}
	}
	idleName := func(m int) string {
		if m == 0 {
			return lang.L("Never")
		}
		return fmt.Sprintf(lang.L("After %d idle minutes"), m)
	}
	idleNames := make([]string, len(idleChoices))
	for i, m := range idleChoices {
		idleNames[i] = idleName(m)
	}
	idle := newSelect(idleNames, nil)
	idle.SetSelected(idleName(prefs.IntWithFallback(prefIdleMinutes, defaultIdleMinutes)))
	idle.OnChanged = func(name string) {
		for i, m := range idleChoices {
			if idleNames[i] == name {
				prefs.SetInt(prefIdleMinutes, m)
				sh.setIdle(m)
			}
		}
	}
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Language"), wholeChoices(language, 0)),
		widget.NewFormItem(lang.L("Automatic logout"), wholeChoices(idle, 0)),
		widget.NewFormItem(lang.L("Printer"), printerChoice(prefs, sh.printer)),
	)
	box := container.NewVBox(form, note)
	if sh.s.version != "" {
		// Which build runs, for a support call: a product name and a
		// version, the same in every language.
		version := widget.NewLabel("Frontdesk " + sh.s.version)
		version.SizeName = theme.SizeNameCaptionText
		box.Add(version)
	}
	return box
}

// printerChoice chooses the printer of reports and muster lists among
// the CUPS destinations; without CUPS or a printer it says so.
func printerChoice(prefs fyne.Preferences, pr cups) fyne.CanvasObject {
	names, def, err := pr.printers()
	if err == nil && len(names) == 0 {
		err = errNoPrinter
	}
	if err != nil {
		l := widget.NewLabel(fmt.Sprintf(lang.L("None: %v. Reports and muster lists open on the screen instead."), err))
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	system := lang.L("The system's default printer")
	if def != "" {
		system = fmt.Sprintf(lang.L("The system's default printer (%s)"), def)
	}
	choice := newSelect(append([]string{system}, names...), nil)
	current := prefs.String(prefPrinter)
	if slices.Contains(names, current) {
		choice.SetSelected(current)
	} else {
		choice.SetSelectedIndex(0)
	}
	choice.OnChanged = func(name string) {
		if name == system {
			name = ""
		}
		prefs.SetString(prefPrinter, name)
	}
	return wholeChoices(choice, 0)
}

// setIdle applies a new automatic logout delay to the running session.
func (sh *shell) setIdle(minutes int) {
	if sh.idle == nil {
		return // a session without logout (a fixed actor)
	}
	sh.idle.stop()
	old := sh.idle
	sh.idle = newIdleWatch(time.Duration(minutes)*time.Minute, old.now, old.after, old.window, old.logout)
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
			sh.s.onSearch = func(e *widget.Entry) { sh.search[id] = e }
			obj = container.NewHScroll(p.build(sh.s))
			sh.s.onSearch = nil
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

// pageKeys are the keys of Ctrl+1 to Ctrl+9, the pages in the order of
// the navigation.
var pageKeys = []fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8, fyne.Key9}

// bindKeys gives c the shell's shortcuts: Ctrl+1 to Ctrl+9 show the
// pages in the navigation's order; Ctrl+F goes to the shown page's search
// field, when it has one. It returns what removes them (at logout).
func (sh *shell) bindKeys(c fyne.Canvas) (unbind func()) {
	var bound []fyne.Shortcut
	for i, key := range pageKeys {
		if i >= len(sh.pages) {
			break
		}
		sc := &desktop.CustomShortcut{KeyName: key, Modifier: fyne.KeyModifierShortcutDefault}
		id := sh.pages[i].id
		c.AddShortcut(sc, func(fyne.Shortcut) {
			sh.touch()
			sh.show(id)
		})
		bound = append(bound, sc)
	}
	find := &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	c.AddShortcut(find, func(fyne.Shortcut) {
		if e := sh.search[sh.current]; e != nil {
			sh.touch()
			c.Focus(e)
		}
	})
	bound = append(bound, find)
	return func() {
		for _, sc := range bound {
			c.RemoveShortcut(sc)
		}
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

// newIdleWatch starts watching; a zero limit never logs out (the watch
// is kept so that a new limit can replace it).
func newIdleWatch(limit time.Duration, now func() time.Time, after func(time.Duration, func()), window fyne.Window, logout func()) *idleWatch {
	w := &idleWatch{limit: limit, now: now, after: after, window: window, logout: logout, last: now(), stopped: limit <= 0}
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
		text := typedText(f)
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

// typedText is the text of the field f, "" when f is no field.
func typedText(f fyne.Focusable) string {
	switch e := f.(type) {
	case *widget.Entry:
		return e.Text
	case *formEntry:
		return e.Text
	case *searchPick:
		return e.Text
	}
	return ""
}
