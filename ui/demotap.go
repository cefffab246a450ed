package ui

import (
	"errors"
	"fmt"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// demoUnknownCards are cards no one holds in the demo site, one per code
// format a reader may deliver, so that a receptionist can enrol several
// people in a row.
var demoUnknownCards = []string{"em:0BADC0FFEE", "em:0FACADE123", "dec:0004212017", "w26:77:31337", "uid:04A1B2C3D4E5F6"}

// demoFreeCards are the demoUnknownCards nobody holds yet: a card enrolled
// in the demo leaves the list.
func demoFreeCards(engine core.API) []string {
	system := core.Actor{Kind: core.ActorSystem}
	var out []string
	for _, code := range demoUnknownCards {
		if _, _, err := engine.CardHolder(system, code); errors.Is(err, core.ErrNotFound) {
			out = append(out, code)
		}
	}
	return out
}

// demoDeskReader is the demo's simulated desk reader, "" when there is none.
func demoDeskReader(engine core.API) string {
	for _, dev := range engine.Devices(core.Actor{Kind: core.ActorSystem}) {
		if dev.Kind == "sim" && dev.Desk && dev.IsReader() {
			return dev.ID
		}
	}
	return ""
}

// demoTapPage is the demo's panel to present a card at a simulated reader,
// as a visitor would at the door: the tap goes through the reader, the
// engine and the relay like any other. It is offered only in the demo
// (tap set), to everyone logged in.
func demoTapPage(tap func(reader, code string) error) page {
	return page{id: "demo", title: lang.L("Demo: tap a card"), build: func(s *session) fyne.CanvasObject {
		return newDemoTap(s, tap).build()
	}}
}

// demoTap is the panel: a reader, a card, a button.
type demoTap struct {
	s   *session
	tap func(reader, code string) error

	readers *widget.Select
	cards   *widget.Select
	codes   map[string]string // card choice → code
	result  *widget.Label
}

func newDemoTap(s *session, tap func(reader, code string) error) *demoTap {
	return &demoTap{s: s, tap: tap, codes: map[string]string{}}
}

func (d *demoTap) build() fyne.CanvasObject {
	// The demo lists its own readers and cards whatever the account may
	// see: the panel stands for people at the doors, not for the staff.
	system := core.Actor{Kind: core.ActorSystem}
	var readers []string
	for _, dev := range d.s.engine.Devices(system) {
		if dev.Kind == "sim" && dev.IsReader() {
			readers = append(readers, dev.ID)
		}
	}
	var choices []string
	people, _, err := d.s.engine.People(system, core.PeopleQuery{Limit: 500})
	if err != nil {
		d.s.log.Error("demo tap: list people", "err", err)
	}
	for _, p := range people {
		cards, err := d.s.engine.CardsOf(system, p.ID)
		if err != nil {
			continue
		}
		for _, c := range cards {
			label := fmt.Sprintf("%s — %s (%s)", p.Name, c.Code, c.State)
			d.codes[label] = c.Code
			choices = append(choices, label)
		}
	}
	sort.Strings(choices)
	for _, code := range demoFreeCards(d.s.engine) {
		unknown := fmt.Sprintf(lang.L("A card nobody holds (%s)"), code)
		d.codes[unknown] = code
		choices = append(choices, unknown)
	}
	d.readers = newSelect(readers, nil)
	if len(readers) > 0 {
		d.readers.SetSelectedIndex(0)
	}
	d.cards = newSelect(choices, nil)
	if len(choices) > 0 {
		d.cards.SetSelectedIndex(0)
	}
	d.result = widget.NewLabel("")
	d.result.Wrapping = fyne.TextWrapWord
	button := widget.NewButtonWithIcon(lang.L("Tap"), theme.ConfirmIcon(), d.present)
	button.Importance = widget.HighImportance
	intro := widget.NewLabel(lang.L("Present a card at a simulated reader, as someone at the door would. The decision appears in the feed of the Reception page, and the door's simulated relay opens if it is granted."))
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem(lang.L("Reader"), d.readers), widget.NewFormItem(lang.L("Card"), d.cards))
	return container.NewVBox(intro, form, button, d.result)
}

// present taps the chosen card at the chosen reader.
func (d *demoTap) present() {
	reader, code := d.readers.Selected, d.codes[d.cards.Selected]
	if reader == "" || code == "" {
		d.result.SetText(lang.L("Choose a reader and a card."))
		return
	}
	if err := d.tap(reader, code); err != nil {
		d.result.SetText(errorText(err))
		return
	}
	d.result.SetText(fmt.Sprintf(lang.L("Tapped %s at %s."), code, reader))
}
