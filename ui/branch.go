package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// At a branch of a company (docs/federation.md) the directory (people,
// cards, departments, access levels, schedules, shifts, holidays, roles
// and accounts) comes down from the central site, and the engine refuses
// its changes here. The window shows it and offers no change of it; what
// the branch owns (its doors, zones, devices, grants, attendance) stays
// editable.

// centralOwns reports whether objects of kind are the central site's: the
// site is a branch and kind is of the directory.
func (s *session) centralOwns(kind core.Kind) bool {
	return core.IsDirectory(kind) && s.engine.Federation().Branch()
}

// mayChange reports whether the window offers to create, change or
// delete objects of kind: the actor holds the permission, and the site
// owns them.
func (s *session) mayChange(kind core.Kind) bool {
	return s.can(core.EditPermission(kind)) && !s.centralOwns(kind)
}

// mayChangeField is mayChange for one field of people or departments,
// some of which need a permission of their own (core.FieldPermission).
func (s *session) mayChangeField(kind core.Kind, field string) bool {
	return s.can(core.FieldPermission(kind, field)) && !s.centralOwns(kind)
}

// centralNote is the line at the top of a directory's page at a branch,
// naming the central site when the hub told it.
func centralNote(f core.Federation) string {
	if f.Central == "" {
		return lang.L("People, cards and accounts are changed at the central site.")
	}
	return fmt.Sprintf(lang.L("People, cards and accounts are changed at the central site %s."), f.Central)
}

// withCentralNote puts centralNote above content when objects of kind are
// the central site's; content alone elsewhere.
func (s *session) withCentralNote(kind core.Kind, content fyne.CanvasObject) fyne.CanvasObject {
	if !s.centralOwns(kind) {
		return content
	}
	note := widget.NewLabelWithStyle(centralNote(s.engine.Federation()), fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	note.Importance = widget.MediumImportance
	note.Wrapping = fyne.TextWrapWord
	// The icon beside, the note across the rest of the width: a wrapping
	// label in a box would be given the width of one letter.
	return container.NewBorder(container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), nil, note), nil, nil, nil, content)
}

// disableAll disables every control in o: a form that shows an object the
// site may not change.
func disableAll(o fyne.CanvasObject) {
	switch w := o.(type) {
	case nil:
	case *fyne.Container:
		for _, c := range w.Objects {
			disableAll(c)
		}
	case *container.Scroll:
		disableAll(w.Content)
	case *widget.Form:
		for _, it := range w.Items {
			disableAll(it.Widget)
		}
	case fyne.Disableable:
		w.Disable()
	}
}

// branchWait is a branch's first start: its staff accounts come down with
// the directory from the central site, so instead of creating the first
// administrator the window waits for them, saying how the link to the
// hub is, and shows the login as soon as they are here.
type branchWait struct {
	engine core.API
	// asker is who reads the hub's health: the process's owner, or the
	// system in the process that runs the site.
	asker core.Actor
	// after runs fn on the UI thread after d; nil in tests, which call
	// check themselves.
	after func(d time.Duration, fn func())
	// ready is called once the site has accounts.
	ready func()

	hub   *widget.Label
	ended bool
}

// branchPoll is how often a branch waiting for its accounts looks again.
const branchPoll = 2 * time.Second

func newBranchWait(engine core.API, asker core.Actor, after func(time.Duration, func()), ready func()) *branchWait {
	if asker == (core.Actor{}) {
		asker = core.Actor{Kind: core.ActorSystem}
	}
	return &branchWait{engine: engine, asker: asker, after: after, ready: ready}
}

func (b *branchWait) build() fyne.CanvasObject {
	title := widget.NewLabelWithStyle(lang.L("Welcome to Frontdesk"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	text := lang.L("This site is a branch: its staff accounts come with the directory from the central site. The login appears as soon as they arrive.")
	if c := b.engine.Federation().Central; c != "" {
		text = fmt.Sprintf(lang.L("This site is a branch: its staff accounts come with the directory from the central site %s. The login appears as soon as they arrive."), c)
	}
	intro := widget.NewLabel(text)
	intro.Wrapping = fyne.TextWrapWord
	b.hub = widget.NewLabel("")
	b.hub.Wrapping = fyne.TextWrapWord
	wait := widget.NewProgressBarInfinite()
	box := container.NewVBox(title, intro, wait, b.hub)
	b.check()
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(460, box.MinSize().Height+60), box))
}

// check shows the hub's state, and the login once the accounts are here;
// it looks again later until then.
func (b *branchWait) check() {
	if b.ended {
		return
	}
	if b.engine.HasAccounts() {
		b.ended = true
		b.ready()
		return
	}
	// No report: the link has not run yet, or the service does not
	// tell this window before a login.
	text, imp := lang.L("hub: state not known"), widget.LowImportance
	for _, h := range b.engine.Health(b.asker) {
		if h.Device == core.HubDevice {
			text, imp = hubState(h)
		}
	}
	if b.hub.Text != text || b.hub.Importance != imp {
		b.hub.Text, b.hub.Importance = text, imp
		b.hub.Refresh()
	}
	if b.after != nil {
		b.after(branchPoll, b.check)
	}
}
