package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// The keyboard in forms: Enter in a field of a form saves it, Escape
// closes the dialog on top or, without one, puts the forms of the page
// shown back as they were saved (a new one empties). Fyne hands a key to
// the widget that has the focus, and a widget.Entry keeps Escape: the
// fields of forms and dialogs are formEntry, which hands it on to the
// window, and a search pick does once its list is closed.

// editForm is a form of a page, for the keyboard: anchor is what the
// page lays out for it, shown or not.
type editForm struct {
	anchor fyne.CanvasObject
	cancel func()
}

// formKeys makes Enter in the single-line entries of fields (fields, or
// what a form lays them out in) save, and Escape cancel the form while
// anchor is shown (see shell.escape).
func (s *session) formKeys(anchor fyne.CanvasObject, save, cancel func(), fields ...fyne.CanvasObject) {
	for _, f := range fields {
		for _, e := range entriesIn(f) {
			if !e.MultiLine && e.OnSubmitted == nil {
				e.OnSubmitted = func(string) { save() }
			}
		}
	}
	if cancel != nil {
		s.forms = append(s.forms, editForm{anchor: anchor, cancel: cancel})
	}
}

// typedKey takes the keys no widget took: Escape closes the dialog on
// top, or cancels the forms of the page shown.
func (a *App) typedKey(ev *fyne.KeyEvent) {
	if ev.Name != fyne.KeyEscape {
		return
	}
	c := a.window.Canvas()
	if a.session == nil {
		dismissTop(c)
		return
	}
	if a.shell != nil {
		a.shell.touch()
	}
	a.session.escape(c)
}

// escape closes the dialog on top of c, else cancels the forms shown in
// the window's content.
func (s *session) escape(c fyne.Canvas) {
	if dismissTop(c) {
		return
	}
	for _, f := range s.forms {
		if shownIn(c.Content(), f.anchor) {
			f.cancel()
		}
	}
}

// dismissTop closes the dialog or pop-up on top of c as its Cancel (or
// Close, or No) button would, and reports whether there was one. A dialog
// whose first button is not a plain one (its action) is left alone.
func dismissTop(c fyne.Canvas) bool {
	top := c.Overlays().Top()
	if top == nil {
		return false
	}
	p, ok := top.(*widget.PopUp)
	if !ok {
		return false
	}
	if box, ok := p.Content.(*fyne.Container); ok && len(box.Objects) == 5 {
		// A dialog's content: its buttons are the fourth object, the
		// dismissing one first; a progress dialog has none.
		b := firstButton(box.Objects[3])
		if b == nil || b.Importance != widget.MediumImportance || b.OnTapped == nil || b.Disabled() {
			return false
		}
		b.OnTapped()
		return true
	}
	if b := buttonLabelled(p.Content, lang.L("Cancel")); b != nil && b.OnTapped != nil {
		b.OnTapped()
		return true
	}
	// A pop-up of choices: closed without choosing.
	p.Hide()
	return true
}

// firstButton is the first button in o and the containers under it.
func firstButton(o fyne.CanvasObject) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Visible() {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := firstButton(c); b != nil {
				return b
			}
		}
	}
	return nil
}

// buttonLabelled is the visible button labelled text in o and the
// containers under it.
func buttonLabelled(o fyne.CanvasObject, text string) *widget.Button {
	switch x := o.(type) {
	case *widget.Button:
		if x.Visible() && x.Text == text {
			return x
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if b := buttonLabelled(c, text); b != nil {
				return b
			}
		}
	}
	return nil
}

// shownIn reports whether target is laid out in root and shown: it and
// every object between them visible, through the containers, scrolls,
// splits, selected tabs and forms the screens are made of.
func shownIn(root, target fyne.CanvasObject) bool {
	if root == nil || !root.Visible() {
		return false
	}
	if root == target {
		return true
	}
	var children []fyne.CanvasObject
	switch x := root.(type) {
	case *fyne.Container:
		children = x.Objects
	case *container.Scroll:
		children = []fyne.CanvasObject{x.Content}
	case *container.Split:
		children = []fyne.CanvasObject{x.Leading, x.Trailing}
	case *container.AppTabs:
		if sel := x.Selected(); sel != nil {
			children = []fyne.CanvasObject{sel.Content}
		}
	case *widget.Form:
		for _, it := range x.Items {
			children = append(children, it.Widget)
		}
	}
	for _, c := range children {
		if shownIn(c, target) {
			return true
		}
	}
	return false
}

// borderInTabOrder is container.NewBorder with its objects in the order
// they are seen, top, left, the middle, right and bottom, which is the
// order Tab walks: NewBorder puts the middle first, so Tab would reach a
// form's fields before the buttons above them.
func borderInTabOrder(top, bottom, left, right fyne.CanvasObject, middle ...fyne.CanvasObject) *fyne.Container {
	var all []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{top, left} {
		if o != nil {
			all = append(all, o)
		}
	}
	all = append(all, middle...)
	for _, o := range []fyne.CanvasObject{right, bottom} {
		if o != nil {
			all = append(all, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), all...)
}

// entriesIn are the entries of a form laid out in o: in its containers,
// scrolls and form rows.
func entriesIn(o fyne.CanvasObject) []*widget.Entry {
	var out []*widget.Entry
	switch x := o.(type) {
	case *widget.Entry:
		out = append(out, x)
	case *formEntry:
		out = append(out, &x.Entry)
	case *searchPick:
		out = append(out, &x.Entry)
	case *fyne.Container:
		for _, c := range x.Objects {
			out = append(out, entriesIn(c)...)
		}
	case *container.Scroll:
		out = entriesIn(x.Content)
	case *widget.Form:
		for _, it := range x.Items {
			out = append(out, entriesIn(it.Widget)...)
		}
	}
	return out
}

// formEntry is the field of forms and dialogs. A focused widget.Entry
// keeps Escape to itself, so the window never hears it; this one hands
// Escape on to the window, which closes the dialog or cancels the form
// as it does when no field has the keyboard. Enter in a single-line field
// calls OnSubmitted, which formKeys makes save; a multi-line field keeps
// Enter for a new line.
type formEntry struct {
	widget.Entry
}

// newFormEntry is a single-line field, as widget.NewEntry.
func newFormEntry() *formEntry {
	e := &formEntry{}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip)
	e.ExtendBaseWidget(e)
	return e
}

// newPasswordFormEntry is a password field with its reveal button, as
// widget.NewPasswordEntry.
func newPasswordFormEntry() *formEntry {
	e := newFormEntry()
	// The entry makes its reveal button when it first draws.
	e.Password = true
	return e
}

// newMultiLineFormEntry is a field of several lines, as
// widget.NewMultiLineEntry.
func newMultiLineFormEntry() *formEntry {
	e := newFormEntry()
	e.MultiLine = true
	return e
}

// TypedKey hands Escape on to the window; other keys edit the text.
func (e *formEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && escapeToWindow(e, ev) {
		return
	}
	e.Entry.TypedKey(ev)
}

// escapeToWindow gives ev to the window o is on, as if nothing had the
// keyboard, and reports whether there was a window to give it to.
func escapeToWindow(o fyne.CanvasObject, ev *fyne.KeyEvent) bool {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil {
		return false
	}
	fn := c.OnTypedKey()
	if fn == nil {
		return false
	}
	fn(ev)
	return true
}
