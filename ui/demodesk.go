package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// demoDesk is the demo's "tap a card" panel where the enrolment waits: a
// card nobody holds, presented at the desk reader through the simulated
// reader and the engine like a real tap, so that the wait ends as it
// would at a real desk.
type demoDesk struct {
	s       *session
	cards   *widget.Select
	present *widget.Button
	result  *widget.Label
}

func newDemoDesk(s *session) *demoDesk { return &demoDesk{s: s} }

func (d *demoDesk) build() fyne.CanvasObject {
	d.cards = newSelect(nil, nil)
	d.present = widget.NewButtonWithIcon(lang.L("Tap it on the desk reader"), theme.ConfirmIcon(), d.tap)
	d.result = widget.NewLabel("")
	d.result.Wrapping = fyne.TextWrapWord
	d.result.Hide()
	d.refill()
	title := widget.NewLabelWithStyle(lang.L("Demo: tap a card nobody holds"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(widget.NewSeparator(), title,
		container.NewBorder(nil, nil, nil, d.present, d.cards), d.result)
}

// refill lists the demo's cards nobody holds now: one enrolled a moment
// ago is gone.
func (d *demoDesk) refill() {
	d.cards.Options = demoFreeCards(d.s.engine)
	d.cards.ClearSelected()
	if len(d.cards.Options) > 0 {
		d.cards.SetSelectedIndex(0)
	}
	d.cards.Refresh()
	d.result.Hide()
}

// tap presents the chosen card at the desk reader.
func (d *demoDesk) tap() {
	code := d.cards.Selected
	desk := demoDeskReader(d.s.engine)
	switch {
	case code == "":
		d.showResult(lang.L("Choose a card."))
		return
	case desk == "":
		d.showResult(lang.L("The demo has no desk reader."))
		return
	}
	if err := d.s.demoTap(desk, code); err != nil {
		d.showResult(fmt.Sprintf(lang.L("The card was not read: %s"), err))
		return
	}
	d.result.Hide()
}

func (d *demoDesk) showResult(text string) {
	d.result.SetText(text)
	d.result.Show()
}
