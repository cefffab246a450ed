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
// placeholder), at most limit wide (0: no limit): a Select is as narrow as
// its placeholder and cuts the choice shown with an ellipsis, and French
// and Russian choices are long. The width follows the choices as they
// change.
func wholeChoices(sel *widget.Select, limit float32) fyne.CanvasObject {
	return container.New(wideAs{min: func() fyne.Size {
		w := choiceWidth(sel.PlaceHolder)
		for _, o := range sel.Options {
			w = max(w, choiceWidth(o))
		}
		return widen(sel.MinSize(), w, limit)
	}}, sel)
}

// wideAs lays its objects over each other at the size min gives.
type wideAs struct{ min func() fyne.Size }

func (w wideAs) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (w wideAs) MinSize([]fyne.CanvasObject) fyne.Size { return w.min() }

// widen is m at least w wide, w at most limit (0: no limit).
func widen(m fyne.Size, w, limit float32) fyne.Size {
	if limit > 0 {
		w = min(w, limit)
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
// container as wide as its whole text, at most limit wide: the label then
// shows the text whole where there is room, and follows it as it changes.
func wholeLabel(l *widget.Label, limit float32) fyne.CanvasObject {
	return container.New(wideAs{min: func() fyne.Size {
		th := theme.Current()
		size := th.Size(l.SizeName)
		if l.SizeName == "" {
			size = th.Size(theme.SizeNameText)
		}
		w := fyne.MeasureText(l.Text, size, l.TextStyle).Width + 2*th.Size(theme.SizeNameInnerPadding) + 2
		return widen(l.MinSize(), w, limit)
	}}, l)
}
