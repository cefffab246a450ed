package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// A form that saves says so in a short line under it, "Saved Main
// entrance.", until the form shows something else: without it, a click on
// Save that changed the list nowhere in sight looks like a click that did
// nothing.

// newSavedNote is a form's saved notice, hidden until showSaved.
func newSavedNote() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.SuccessImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	return l
}

// showSaved says in l that name was saved.
func showSaved(l *widget.Label, name string) {
	l.SetText(fmt.Sprintf(lang.L("Saved %s."), name))
	l.Show()
}
