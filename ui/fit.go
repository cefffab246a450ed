package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// What keeps the screens on a small reception screen (1024x600) in every
// language: texts that take the room they need rather than an ellipsis.

// wholeChoices puts sel in a container as wide as its longest choice (or
// placeholder), at most max wide (0: no limit): a Select is as narrow as
// its placeholder and cuts the choice shown with an ellipsis, and French
// and Russian choices are long. The width follows the choices as they
// change.
func wholeChoices(sel *widget.Select, max float32) fyne.CanvasObject {
	return container.New(&choicesWidth{sel: sel, max: max}, sel)
}

// choicesWidth lays a Select out at the width of its longest choice.
type choicesWidth struct {
	sel *widget.Select
	max float32
}

func (c *choicesWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (c *choicesWidth) MinSize([]fyne.CanvasObject) fyne.Size {
	m := c.sel.MinSize()
	w := choiceWidth(c.sel.PlaceHolder)
	for _, o := range c.sel.Options {
		w = max(w, choiceWidth(o))
	}
	if c.max > 0 {
		w = min(w, c.max)
	}
	m.Width = max(m.Width, w)
	return m
}

// choiceWidth is the width a Select needs to show text whole: the text,
// the paddings of the label and of the Select, and the drop-down icon.
func choiceWidth(text string) float32 {
	if text == "" {
		return 0
	}
	th := theme.Current()
	pad := th.Size(theme.SizeNameInnerPadding)
	return fyne.MeasureText(text, th.Size(theme.SizeNameText), fyne.TextStyle{}).Width + 6*pad + th.Size(theme.SizeNameInlineIcon)
}

// wholeLabel puts l, a label that cuts its text with an ellipsis, in a
// container as wide as its whole text, at most max wide: the label then
// shows the text whole where there is room, and follows it as it changes.
func wholeLabel(l *widget.Label, max float32) fyne.CanvasObject {
	return container.New(&labelWidth{l: l, max: max}, l)
}

// labelWidth lays a label out at the width of its whole text.
type labelWidth struct {
	l   *widget.Label
	max float32
}

func (c *labelWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (c *labelWidth) MinSize([]fyne.CanvasObject) fyne.Size {
	m := c.l.MinSize()
	th := theme.Current()
	size := th.Size(c.l.SizeName)
	if c.l.SizeName == "" {
		size = th.Size(theme.SizeNameText)
	}
	w := fyne.MeasureText(c.l.Text, size, c.l.TextStyle).Width + 2*th.Size(theme.SizeNameInnerPadding) + 2
	if c.max > 0 {
		w = min(w, c.max)
	}
	m.Width = max(m.Width, w)
	return m
}
