package ui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// enrolWait is how long the cards tab waits for a tap at the desk.
const enrolWait = 60 * time.Second

// cardsTab is a person's Cards tab: their cards with state and validity,
// blocking and unblocking in one click, and the enrolment of a new card
// or a replacement: the tab waits for the next tap on the desk reader
// (it is a listener), or for a code typed or typed by a keyboard-wedge
// reader into its focused entry, shows the code read in every format,
// and enrols it when the receptionist confirms.
type cardsTab struct {
	s *session
	// changed is called after the person's cards changed.
	changed func()

	person core.Person
	cards  []core.Card

	box   *fyne.Container // all of the tab, laid out again when parts show or hide
	rows  *fyne.Container
	empty *widget.Label
	start *widget.Button // nil without cards.enroll, and at a branch
	done  *widget.Label  // what the last change did

	// The enrolment. waiting: the tab takes the next desk tap; since is
	// the engine's time when it began, so that taps delivered late from
	// before are not taken. replacing is the code of the card the new
	// one replaces, "" for a new card.
	waiting bool
	// release ends the desk's enrolment mode taken while waiting.
	release   func()
	since     time.Time
	replacing string
	waitGen   int
	read      core.Code
	haveRead  bool
	waitBox   *fyne.Container
	waitLabel *widget.Label
	typed     *formEntry
	formats   *widget.Label
	holder    *widget.Label
	confirm   *widget.Button
	cancel    *widget.Button
	problem   *widget.Label
	// demo presents an unknown card at the desk reader, in the demo.
	demo *demoDesk
}

func newCardsTab(s *session, changed func()) *cardsTab {
	x := &cardsTab{s: s, changed: changed}
	if s.listen != nil && s.mayChange(core.KindCard) {
		s.listen(x)
	}
	return x
}

func (x *cardsTab) build() fyne.CanvasObject {
	x.rows = container.NewVBox()
	x.empty = widget.NewLabel(lang.L("No card."))
	x.done = widget.NewLabel("")
	x.done.Importance = widget.SuccessImportance
	x.done.Wrapping = fyne.TextWrapWord
	x.done.Hide()
	x.box = container.NewVBox(x.rows, x.empty, x.done)
	if !x.s.mayChange(core.KindCard) {
		return container.NewVScroll(x.box)
	}
	x.start = widget.NewButtonWithIcon(lang.L("Tap the new card on the desk reader"), theme.ContentAddIcon(), func() { x.startWait("") })
	x.start.Importance = widget.HighImportance

	x.waitLabel = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	x.waitLabel.Wrapping = fyne.TextWrapWord
	x.typed = newFormEntry()
	x.typed.SetPlaceHolder(lang.L("or type/scan the code, then Enter"))
	x.typed.OnChanged = x.typing
	x.typed.OnSubmitted = func(text string) { x.gotTyped(text) }
	x.formats = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	x.formats.Wrapping = fyne.TextWrapWord
	x.holder = widget.NewLabel("")
	x.holder.Wrapping = fyne.TextWrapWord
	x.holder.Importance = widget.WarningImportance
	x.holder.Hide()
	x.problem = problemLabel()
	x.confirm = widget.NewButtonWithIcon("", theme.ConfirmIcon(), x.enrol)
	x.confirm.Importance = widget.HighImportance
	x.confirm.Hide()
	x.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), func() { x.stopWait() })
	x.waitBox = container.NewVBox(
		widget.NewSeparator(),
		x.waitLabel,
		x.typed,
		x.formats,
		x.holder,
		x.problem,
		container.NewHBox(x.confirm, x.cancel),
	)
	if x.s.demoTap != nil {
		x.demo = newDemoDesk(x.s)
		x.waitBox.Add(x.demo.build())
	}
	x.waitBox.Hide()
	x.box.Add(widget.NewSeparator())
	x.box.Add(container.NewHBox(x.start))
	x.box.Add(x.waitBox)
	return container.NewVScroll(x.box)
}

// setPerson shows person's cards; a wait for another person's card
// ends.
func (x *cardsTab) setPerson(p core.Person) {
	if p.ID != x.person.ID {
		x.stopWait()
		x.done.Hide()
	}
	x.person = p
	x.reloadCards()
}

// reloadCards rereads the person's cards.
func (x *cardsTab) reloadCards() {
	x.cards = nil
	if x.person.ID != "" {
		cards, err := x.s.engine.CardsOf(x.s.actor, x.person.ID)
		if err != nil {
			x.s.fail(lang.L("Read cards"), err)
		}
		x.cards = cards
	}
	objs := make([]fyne.CanvasObject, 0, len(x.cards))
	for _, c := range x.cards {
		objs = append(objs, x.cardRow(c))
	}
	x.rows.Objects = objs
	x.rows.Refresh()
	if len(x.cards) == 0 {
		x.empty.Show()
	} else {
		x.empty.Hide()
	}
	x.box.Refresh()
}

// cardRow is one card: its code, state and validity, and with
// cards.enroll the buttons that change it.
func (x *cardsTab) cardRow(c core.Card) fyne.CanvasObject {
	code := widget.NewLabelWithStyle(c.Code, fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	state := widget.NewLabelWithStyle(cardStateWords(c.State), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	switch c.State {
	case core.CardActive:
		state.Importance = widget.SuccessImportance
	default:
		state.Importance = widget.DangerImportance
	}
	validity := widget.NewLabel(cardValidity(c, x.s.engine.Location()))
	validity.Wrapping = fyne.TextWrapWord
	var buttons []fyne.CanvasObject
	if x.s.mayChange(core.KindCard) {
		if c.State == core.CardActive {
			buttons = append(buttons,
				widget.NewButtonWithIcon(lang.L("Block (lost)"), theme.WarningIcon(), func() { x.confirmBlock(c) }),
				widget.NewButtonWithIcon(lang.L("Replace"), theme.ViewRefreshIcon(), func() { x.startWait(c.Code) }))
		} else {
			buttons = append(buttons,
				widget.NewButtonWithIcon(lang.L("Unblock"), theme.ContentUndoIcon(), func() { x.setState(c, core.CardActive) }))
		}
	}
	// The buttons under the card: beside it, the row is too wide for a
	// small screen in French or Russian.
	card := container.NewBorder(nil, nil, container.NewHBox(code, state), nil, validity)
	if len(buttons) == 0 {
		return card
	}
	return container.NewVBox(card, container.NewHBox(buttons...))
}

func cardStateWords(s core.CardState) string {
	switch s {
	case core.CardActive, "":
		return lang.L("Active")
	case core.CardLost:
		return lang.L("Lost")
	case core.CardRevoked:
		return lang.L("Revoked")
	}
	return string(s)
}

// cardValidity says when a card may be used.
func cardValidity(c core.Card, loc *time.Location) string {
	const layout = "2006-01-02 15:04"
	switch {
	case c.From.IsZero() && c.Until.IsZero():
		return lang.L("no time limit")
	case c.From.IsZero():
		return fmt.Sprintf(lang.L("valid until %s"), c.Until.In(loc).Format(layout))
	case c.Until.IsZero():
		return fmt.Sprintf(lang.L("valid from %s"), c.From.In(loc).Format(layout))
	}
	return fmt.Sprintf(lang.L("valid from %s until %s"), c.From.In(loc).Format(layout), c.Until.In(loc).Format(layout))
}

// confirmBlock asks, then blocks card c as lost: from then on it opens
// nothing, wherever its holder is.
func (x *cardsTab) confirmBlock(c core.Card) {
	confirm(x.s, lang.L("Block a card"),
		fmt.Sprintf(lang.L("Block card %s of %s as lost? It opens nothing from now on."), c.Code, x.person.Name),
		lang.L("Block (lost)"), func() { x.setState(c, core.CardLost) })
}

// setState blocks or unblocks card c at once.
func (x *cardsTab) setState(c core.Card, state core.CardState) {
	got, err := x.s.engine.SetCardState(x.s.actor, c.Code, state)
	if err != nil {
		x.s.fail(lang.L("Change a card"), err)
		return
	}
	if state == core.CardActive {
		x.showDone(fmt.Sprintf(lang.L("Card %s is active again."), got.Code))
	} else {
		x.showDone(fmt.Sprintf(lang.L("Card %s is blocked as lost: it opens nothing now."), got.Code))
	}
	x.reloadCards()
	if x.changed != nil {
		x.changed()
	}
}

func (x *cardsTab) showDone(text string) { x.showNote(text, widget.SuccessImportance) }

// showNote says what happened under the cards.
func (x *cardsTab) showNote(text string, imp widget.Importance) {
	x.done.Importance = imp
	x.done.SetText(text)
	x.done.Show()
}

// startWait waits for the next desk tap, for a new card or to replace
// card replacing.
func (x *cardsTab) startWait(replacing string) {
	if x.person.ID == "" || x.waitBox == nil {
		return
	}
	// While the tab waits, a desk tap reads the card and checks nobody
	// in or out (Engine.CaptureDesk).
	if x.release == nil {
		release, err := x.s.engine.CaptureDesk(x.s.actor)
		if err != nil {
			x.s.fail(lang.L("Read cards at the desk"), err)
			return
		}
		x.release = release
	}
	x.waiting, x.haveRead, x.replacing = true, false, replacing
	x.since = x.s.engine.Now()
	x.waitGen++
	x.done.Hide()
	x.problem.Hide()
	x.holder.Hide()
	x.confirm.Hide()
	x.formats.SetText("")
	x.typed.SetText("")
	deadline := x.since.Add(enrolWait).In(x.s.engine.Location()).Format("15:04:05")
	if replacing == "" {
		x.waitLabel.SetText(fmt.Sprintf(lang.L("Waiting for a card on the desk reader for %s (until %s)…"), x.person.Name, deadline))
	} else {
		x.waitLabel.SetText(fmt.Sprintf(lang.L("Waiting for the card that replaces %s on the desk reader (until %s)…"), replacing, deadline))
	}
	if x.demo != nil {
		x.demo.refill()
	}
	x.start.Disable()
	x.waitBox.Show()
	x.box.Refresh()
	if x.s.window != nil {
		x.s.window.Canvas().Focus(x.typed)
	}
	if x.s.after != nil {
		gen := x.waitGen
		x.s.after(enrolWait, func() {
			if gen == x.waitGen && x.waiting && !x.haveRead {
				x.stopWait()
				x.showNote(lang.L("No card was read in 60 seconds. Try again."), widget.WarningImportance)
			}
		})
	}
}

// stopWait ends the enrolment, done or not.
func (x *cardsTab) stopWait() {
	if x.release != nil {
		x.release()
		x.release = nil
	}
	x.waiting, x.haveRead = false, false
	x.waitGen++
	if x.waitBox == nil {
		return
	}
	x.waitBox.Hide()
	x.start.Enable()
	x.box.Refresh()
}

// addEvents takes the first desk tap since the wait began.
func (x *cardsTab) addEvents(evs []core.Event) {
	if !x.waiting || x.haveRead {
		return
	}
	for _, ev := range evs {
		if ev.Card == "" || ev.Reader == "" || ev.At.Before(x.since.Add(-time.Second)) || !x.s.engine.DeskReader(ev.Reader) {
			continue
		}
		code, err := core.ParseCode(ev.Card)
		if err != nil {
			continue
		}
		x.gotCode(code, true)
		return
	}
}

// addDeskTaps takes the desk reads outside the actor's log as the log's:
// an enrolment needs cards.enroll, not the log.
func (x *cardsTab) addDeskTaps(evs []core.Event) { x.addEvents(evs) }

// reload is a no-op: the tab waits for new taps, which the log replays
// to nobody.
func (x *cardsTab) reload() {}

// typing shows what the code typed so far reads as.
func (x *cardsTab) typing(text string) {
	if strings.TrimSpace(text) == "" {
		x.formats.SetText("")
		return
	}
	if code, err := parseTypedCode(text); err == nil {
		x.formats.SetText(codeFormats(code))
	} else {
		x.formats.SetText("")
	}
}

// gotTyped takes the code typed (or typed by a wedge reader, which ends
// with Enter).
func (x *cardsTab) gotTyped(text string) {
	if !x.waiting {
		return
	}
	code, err := parseTypedCode(text)
	if err != nil {
		x.problem.SetText(errorText(err))
		x.problem.Show()
		return
	}
	x.gotCode(code, false)
}

// gotCode shows the code read and what confirming would do. fromDesk
// says the code came from the desk reader rather than the keyboard.
func (x *cardsTab) gotCode(code core.Code, fromDesk bool) {
	x.haveRead = true
	x.problem.Hide()
	x.holder.Hide()
	x.read = code
	if fromDesk {
		x.waitLabel.SetText(fmt.Sprintf(lang.L("Card read on the desk reader: %s"), code))
	} else {
		x.waitLabel.SetText(fmt.Sprintf(lang.L("Card typed: %s"), code))
	}
	x.typed.OnChanged = nil
	x.typed.SetText(code.String())
	x.typed.OnChanged = x.typing
	x.formats.SetText(codeFormats(code))
	x.confirm.Enable()
	if x.replacing == "" {
		x.confirm.SetText(fmt.Sprintf(lang.L("Enrol for %s"), x.person.Name))
	} else {
		x.confirm.SetText(fmt.Sprintf(lang.L("Replace %s with this card"), x.replacing))
	}
	x.confirm.Show()
	defer x.box.Refresh()
	card, holder, err := x.s.engine.CardHolder(x.s.actor, code.String())
	switch {
	case errors.Is(err, core.ErrNotFound):
	case errors.Is(err, core.ErrConflict):
		// The read matches cards of several people: it is nobody's, and
		// enrolment would refuse it.
		msg, _ := inputProblem(err)
		x.holder.SetText(lang.L("This read matches the cards of several people; enrol the card from a reader that sees all its bits.") + "\n" + msg)
		x.holder.Show()
		x.confirm.Disable()
	case err != nil:
		x.s.log.Error("enrol: card holder", "err", err)
	case holder.ID == x.person.ID && card.State == core.CardActive:
		x.holder.SetText(fmt.Sprintf(lang.L("This card is already %s's (%s)."), x.person.Name, card.Code))
		x.holder.Show()
		x.confirm.Disable()
	case holder.ID == x.person.ID:
		x.holder.SetText(fmt.Sprintf(lang.L("This is %s's card %s, now %s: enrolling it makes it active again."),
			x.person.Name, card.Code, strings.ToLower(cardStateWords(card.State))))
		x.holder.Show()
	default:
		name := holder.Name
		if name == "" {
			name = card.Person
		}
		x.holder.SetText(fmt.Sprintf(lang.L("This card belongs to %s (%s): block it there first."), name, card.Code))
		x.holder.Show()
		x.confirm.Disable()
	}
}

// enrol enrols the code read, or replaces the card with it.
func (x *cardsTab) enrol() {
	if !x.haveRead {
		return
	}
	var card core.Card
	var err error
	if x.replacing == "" {
		card, err = x.s.engine.EnrollCard(x.s.actor, x.person.ID, x.read.String())
	} else {
		card, err = x.s.engine.ReplaceCard(x.s.actor, x.replacing, x.read.String())
	}
	if err != nil {
		x.problem.SetText(errorText(err))
		x.problem.Show()
		if !errors.Is(err, core.ErrConflict) && !errors.Is(err, core.ErrInvalid) {
			x.s.log.Error("enrol", "err", err, "by", x.s.actor.String())
		}
		return
	}
	replaced := x.replacing
	x.stopWait()
	if replaced == "" {
		x.showDone(fmt.Sprintf(lang.L("Card %s enrolled for %s."), card.Code, x.person.Name))
	} else {
		x.showDone(fmt.Sprintf(lang.L("Card %s replaces %s, which is blocked as lost."), card.Code, replaced))
	}
	x.reloadCards()
	if x.changed != nil {
		x.changed()
	}
}

// parseTypedCode reads a code typed at the keyboard. A keyboard-wedge
// reader types the card's low 32 bits in decimal, without a prefix: bare
// digits are a dec code. Ten hex digits with a letter are an EM4100
// code, 8, 14 or 20 a UID; anything else is read as core.ParseCode
// reads it.
func parseTypedCode(text string) (core.Code, error) {
	t := strings.TrimSpace(text)
	if t == "" || strings.Contains(t, ":") {
		return core.ParseCode(t)
	}
	digits, hex := true, true
	for _, r := range t {
		digits = digits && r >= '0' && r <= '9'
		hex = hex && (r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F')
	}
	switch {
	case digits && len(t) <= 10:
		return core.ParseCode("dec:" + t)
	case hex && len(t) == 10:
		return core.ParseCode("em:" + t)
	case hex && (len(t) == 8 || len(t) == 14 || len(t) == 20):
		return core.ParseCode("uid:" + t)
	}
	return core.ParseCode(t)
}

// codeFormats writes code in every form a reader may give the same card,
// one a line, with the kind of reader that gives it.
func codeFormats(code core.Code) string {
	var lines []string
	for _, v := range code.ReadsAs() {
		var what string
		switch v.Format {
		case core.FormatEM:
			what = lang.L("EM4100 reader, 40 bits")
		case core.FormatDec:
			what = lang.L("keyboard-wedge reader, low 32 bits")
		case core.FormatW26:
			what = lang.L("Wiegand 26 reader, low 24 bits")
		case core.FormatUID:
			what = lang.L("ISO 14443 card UID")
		default:
			what = lang.L("read as text, matched exactly")
		}
		lines = append(lines, fmt.Sprintf("%-16s %s", v.String(), what))
	}
	switch code.Format {
	case core.FormatDec:
		lines = append(lines, lang.L("An EM4100 reader sees 8 more bits of this card: its doors match on the 32 bits both see."))
	case core.FormatW26:
		lines = append(lines, lang.L("Readers that see more bits match this card on these 24 bits."))
	}
	return strings.Join(lines, "\n")
}
