package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// loginScreen asks a staff account for its password. A refused login
// shows one sentence whatever the reason (a wrong username or password, a
// locked or disabled account), as the engine refuses it, and the general
// rule of lockouts: the screen tells nobody which accounts exist.
type loginScreen struct {
	engine core.API
	hint   string
	// done is called with the actor once logged in.
	done func(core.Actor)
	// muster, when set, makes and prints the muster list without a
	// login (as the process's owner): an evacuation waits for nobody.
	muster func()

	user, password *formEntry
	button         *widget.Button
	problem        *widget.Label
	form           *fyne.Container
}

func newLoginScreen(engine core.API, hint string, done func(core.Actor)) *loginScreen {
	return &loginScreen{engine: engine, hint: hint, done: done}
}

func (l *loginScreen) build() fyne.CanvasObject {
	l.user = newFormEntry()
	l.user.SetPlaceHolder(lang.L("Username"))
	l.password = newPasswordFormEntry()
	l.password.SetPlaceHolder(lang.L("Password"))
	l.password.OnSubmitted = func(string) { l.submit() }
	l.user.OnSubmitted = func(string) { l.submit() }
	l.button = widget.NewButtonWithIcon(lang.L("Log in"), theme.LoginIcon(), l.submit)
	l.button.Importance = widget.HighImportance
	l.problem = problemLabel()
	title := widget.NewLabelWithStyle(l.engine.Site().Name, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	items := []fyne.CanvasObject{
		title,
		widget.NewLabelWithStyle(lang.L("Staff login"), fyne.TextAlignCenter, fyne.TextStyle{}),
		l.user, l.password, l.button, l.problem,
	}
	if l.hint != "" {
		hint := widget.NewLabel(lang.L(l.hint))
		hint.Wrapping = fyne.TextWrapWord
		hint.Importance = widget.LowImportance
		items = append(items, widget.NewSeparator(), hint)
	}
	l.form = container.NewVBox(items...)
	// The form's height leaves room for the longest problem it shows,
	// wrapped at the form's width.
	l.problem.SetText(refusedLogin())
	l.problem.Show()
	l.problem.Resize(fyne.NewSize(loginWidth, l.problem.MinSize().Height))
	for _, o := range items {
		if w, ok := o.(*widget.Label); ok && w.Wrapping != fyne.TextWrapOff {
			w.Resize(fyne.NewSize(loginWidth, w.MinSize().Height))
		}
	}
	height := l.form.MinSize().Height
	l.problem.Hide()
	center := container.NewCenter(container.NewGridWrap(fyne.NewSize(loginWidth, height+40), l.form))
	if l.muster == nil {
		return center
	}
	muster := widget.NewButtonWithIcon(lang.L("Muster list"), theme.WarningIcon(), l.muster)
	muster.Importance = widget.DangerImportance
	return container.NewBorder(container.NewHBox(layout.NewSpacer(), muster), nil, nil, nil, center)
}

// loginWidth is the width of the login form.
const loginWidth = 360

// submit tries the username and password.
func (l *loginScreen) submit() {
	user := strings.TrimSpace(l.user.Text)
	if user == "" || l.password.Text == "" {
		l.show(lang.L("Enter your username and password."))
		return
	}
	a, err := l.engine.Login(user, l.password.Text)
	l.password.SetText("")
	switch {
	case errors.Is(err, core.ErrLogin):
		l.show(refusedLogin())
		return
	case err != nil:
		l.show(errorText(err))
		return
	}
	l.problem.Hide()
	l.done(a)
}

// refusedLogin is the one sentence of a refused login, with the rule of
// lockouts.
func refusedLogin() string {
	return lang.L("Wrong username or password, or the account is locked or disabled.") + " " +
		fmt.Sprintf(lang.L("%d wrong passwords in a row lock an account for %d minutes."),
			core.MaxFailedLogins, int(core.LockoutTime.Minutes()))
}

func (l *loginScreen) show(msg string) {
	l.problem.SetText(msg)
	l.problem.Show()
	l.form.Refresh()
}

// firstStart is shown on a database without staff accounts: create the
// first administrator, or open the demo site.
type firstStart struct {
	engine core.API
	// openDemo, when set, opens the demo site instead (the command
	// restarts on the demo database).
	openDemo func()
	done     func(core.Actor)

	user, password, again *formEntry
	problem               *widget.Label
}

func newFirstStart(engine core.API, openDemo func(), done func(core.Actor)) *firstStart {
	return &firstStart{engine: engine, openDemo: openDemo, done: done}
}

func (f *firstStart) build() fyne.CanvasObject {
	f.user = newFormEntry()
	f.user.SetText("admin")
	f.password = newPasswordFormEntry()
	f.password.SetPlaceHolder(fmt.Sprintf(lang.L("Password (at least %d characters)"), core.MinPasswordLen))
	f.again = newPasswordFormEntry()
	f.again.SetPlaceHolder(lang.L("The same password again"))
	// Enter in any of the three creates, as the button does.
	for _, e := range []*formEntry{f.user, f.password, f.again} {
		e.OnSubmitted = func(string) { f.create() }
	}
	f.problem = problemLabel()
	create := widget.NewButtonWithIcon(lang.L("Create the administrator"), theme.AccountIcon(), f.create)
	create.Importance = widget.HighImportance
	title := widget.NewLabelWithStyle(lang.L("Welcome to Frontdesk"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabel(lang.L("This database has no staff account yet. Create the first administrator: it can then create the other accounts and set up the site."))
	intro.Wrapping = fyne.TextWrapWord
	items := []fyne.CanvasObject{title, intro,
		widget.NewForm(
			widget.NewFormItem(lang.L("Username"), f.user),
			widget.NewFormItem(lang.L("Password"), f.password),
			widget.NewFormItem(lang.L("Again"), f.again),
		),
		create, f.problem,
	}
	if f.openDemo != nil {
		demo := widget.NewButtonWithIcon(lang.L("Open the demo site instead"), theme.MediaPlayIcon(), f.openDemo)
		items = append(items, widget.NewSeparator(), demo)
	}
	box := container.NewVBox(items...)
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(460, box.MinSize().Height+60), box))
}

// create makes the first administrator and logs in as it.
func (f *firstStart) create() {
	user := strings.TrimSpace(f.user.Text)
	switch {
	case user == "":
		f.show(lang.L("Choose a username."))
		return
	case f.password.Text != f.again.Text:
		f.show(lang.L("The two passwords differ."))
		return
	}
	if err := core.CheckPasswordRules(f.password.Text); err != nil {
		f.show(errorText(err))
		return
	}
	// Only the very first account is made as the system: once one
	// exists, accounts are made by accounts that may.
	if f.engine.HasAccounts() {
		f.show(lang.L("A staff account exists already: log in with it."))
		return
	}
	system := core.Actor{Kind: core.ActorSystem}
	if _, err := f.engine.AddAccount(system, core.AccountInfo{Username: user, Roles: []string{core.RoleAdmin}}, f.password.Text); err != nil {
		f.show(errorText(err))
		return
	}
	a, err := f.engine.Login(user, f.password.Text)
	if err != nil {
		f.show(errorText(err))
		return
	}
	f.done(a)
}

func (f *firstStart) show(msg string) {
	f.problem.SetText(msg)
	f.problem.Show()
}
