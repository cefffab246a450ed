package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// cardsOf opens person id on the Cards tab.
func (h *peopleHarness) cardsOf(t *testing.T, id string) *cardsTab {
	t.Helper()
	h.openPerson(t, id)
	d := h.x.detail
	d.tabs.Select(d.cardsItem)
	return d.cards
}

// buttonsIn returns the buttons in o and the containers under it, by
// text.
func buttonsIn(o fyne.CanvasObject) map[string][]*widget.Button {
	out := map[string][]*widget.Button{}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Button:
			out[w.Text] = append(out[w.Text], w)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

// labelsIn returns the texts of the labels in o and the containers under
// it.
func labelsIn(o fyne.CanvasObject) []string {
	var out []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	return out
}

func cardState(t *testing.T, e *core.Engine, person, code string) core.CardState {
	t.Helper()
	cards, err := e.CardsOf(testCLI, person)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cards {
		if c.Code == code {
			return c.State
		}
	}
	return ""
}

func TestEnrolByDeskTap(t *testing.T) {
	test.NewTempApp(t)
	e, c := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
	cards := h.cardsOf(t, "bob")
	if cards.start.Text != "Tap the new card on the desk reader" {
		t.Fatalf("start button %q", cards.start.Text)
	}
	test.Tap(cards.start)
	if !cards.waiting || !cards.waitBox.Visible() {
		t.Fatal("not waiting after the button")
	}
	if h.w.Canvas().Focused() != cards.typed {
		t.Error("the code entry does not have the focus, so a wedge reader's typing goes elsewhere")
	}

	// A tap at a door is not the desk.
	tap(t, e, "main-in", "em:0C00000099")
	// The new card at the desk: unknown to the engine, published through
	// the bridge.
	c.now = c.now.Add(2e9)
	ev := tap(t, e, "desk", "em:0C0000ABCD")
	if ev.Result != core.CardRead {
		t.Fatalf("desk tap while enrolling: %s, want card_read", ev.Result)
	}
	h.ui.until(t, "the desk tap taken", func() bool { return cards.haveRead })
	if cards.read.String() != "em:0C0000ABCD" {
		t.Errorf("read %s, want the desk's card, not the door's", cards.read)
	}
	for _, want := range []string{"em:0C0000ABCD", "dec:0000043981", "w26:0:43981"} {
		if !strings.Contains(cards.formats.Text, want) {
			t.Errorf("formats %q lack %s", cards.formats.Text, want)
		}
	}
	if cards.confirm.Text != "Enrol for Bob Stone" || cards.confirm.Disabled() || !cards.confirm.Visible() {
		t.Fatalf("confirm %q (disabled %v)", cards.confirm.Text, cards.confirm.Disabled())
	}
	test.Tap(cards.confirm)
	if st := cardState(t, e, "bob", "em:0C0000ABCD"); st != core.CardActive {
		t.Fatalf("engine has bob's new card as %q, want active", st)
	}
	if cards.waiting || cards.waitBox.Visible() {
		t.Error("still waiting after the enrolment")
	}
	if !cards.done.Visible() || cards.done.Text != "Card em:0C0000ABCD enrolled for Bob Stone." {
		t.Errorf("done %q", cards.done.Text)
	}
	if labels := strings.Join(labelsIn(cards.rows), " "); !strings.Contains(labels, "em:0C0000ABCD") {
		t.Errorf("rows %q lack the new card", labels)
	}
	c.now = c.now.Add(5e9)
	if ev := tap(t, e, "main-in", "em:0C0000ABCD"); ev.Person != "bob" || ev.Result != core.Granted {
		t.Errorf("the new card at the door: %s for %q", ev.Result, ev.Person)
	}
}

func TestEnrolTypedByWedge(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
	cards := h.cardsOf(t, "bob")
	test.Tap(cards.start)

	// A wedge types the low 32 bits in decimal and Enter: Ann's card.
	test.Type(cards.typed, "0045131261")
	if !strings.Contains(cards.formats.Text, "dec:0045131261") || !strings.Contains(cards.formats.Text, "w26:176:42493") {
		t.Errorf("formats while typing %q", cards.formats.Text)
	}
	cards.typed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !cards.haveRead || cards.read.String() != "dec:0045131261" {
		t.Fatalf("read %v %s", cards.haveRead, cards.read)
	}
	if !cards.holder.Visible() || !strings.Contains(cards.holder.Text, "belongs to Ann Martin") || !cards.confirm.Disabled() {
		t.Errorf("holder %q, confirm disabled %v: want Ann named and no enrolment", cards.holder.Text, cards.confirm.Disabled())
	}

	// Another code, typed with its prefix.
	test.Tap(cards.cancel)
	test.Tap(cards.start)
	cards.typed.SetText("")
	test.Type(cards.typed, "em:0d00000001")
	cards.typed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	test.Tap(cards.confirm)
	if st := cardState(t, e, "bob", "em:0D00000001"); st != core.CardActive {
		t.Errorf("typed card stored as %q", st)
	}

	// Bad input changes nothing.
	test.Tap(cards.start)
	test.Type(cards.typed, "em:12")
	cards.typed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if cards.haveRead || !cards.problem.Visible() || !strings.Contains(cards.problem.Text, "10 hex digits") {
		t.Errorf("bad code: read %v, problem %q", cards.haveRead, cards.problem.Text)
	}
}

// TestEnrolAmbiguousRead checks that a read matching the cards of two
// people is said to be nobody's, and cannot be enrolled.
func TestEnrolAmbiguousRead(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	// Bob's second card agrees with Ann's on the low 32 bits; the site's
	// readers are simulated, so it was let in.
	if _, err := e.EnrollCard(testCLI, "bob", "em:FF02B0A5FD"); err != nil {
		t.Fatal(err)
	}
	h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
	cards := h.cardsOf(t, "elodie")
	test.Tap(cards.start)
	test.Type(cards.typed, "0045131261")
	cards.typed.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !cards.holder.Visible() || !strings.Contains(cards.holder.Text, "matches the cards of several people") ||
		!strings.Contains(cards.holder.Text, "Ann Martin (ann) and Bob Stone (bob)") || !cards.confirm.Disabled() {
		t.Errorf("holder %q, confirm disabled %v: want both named and no enrolment", cards.holder.Text, cards.confirm.Disabled())
	}
}

func TestEnrolBlockLostCardAfterAsking(t *testing.T) {
	test.NewTempApp(t)
	e, c := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
	cards := h.cardsOf(t, "ann")
	block := buttonsIn(cards.rows)["Block (lost)"]
	if len(block) != 1 {
		t.Fatalf("%d Block buttons, want one for Ann's card", len(block))
	}
	test.Tap(block[0])
	if st := cardState(t, e, "ann", "em:0102B0A5FD"); st != core.CardActive {
		t.Fatalf("card state %q before the answer, want active", st)
	}
	tapDialog(t, h.w, "Block (lost)")
	if st := cardState(t, e, "ann", "em:0102B0A5FD"); st != core.CardLost {
		t.Fatalf("card state %q, want lost", st)
	}
	if ev := tap(t, e, "main-in", "em:0102B0A5FD"); ev.Result != core.DeniedCardBlocked {
		t.Errorf("tap with the lost card: %s, want denied_card_blocked", ev.Result)
	}
	buttons := buttonsIn(cards.rows)
	if len(buttons["Block (lost)"]) != 0 || len(buttons["Unblock"]) != 1 {
		t.Errorf("after blocking: buttons %v", buttons)
	}
	if !strings.Contains(strings.Join(labelsIn(cards.rows), " "), "Lost") {
		t.Error("the row does not say Lost")
	}
	test.Tap(buttons["Unblock"][0])
	c.now = c.now.Add(5e9)
	if ev := tap(t, e, "main-in", "em:0102B0A5FD"); ev.Result != core.Granted {
		t.Errorf("unblocked card: %s", ev.Result)
	}
}

func TestEnrolReplaceCard(t *testing.T) {
	test.NewTempApp(t)
	e, c := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
	cards := h.cardsOf(t, "ann")
	test.Tap(buttonsIn(cards.rows)["Replace"][0])
	if cards.replacing != "em:0102B0A5FD" {
		t.Fatalf("replacing %q", cards.replacing)
	}
	c.now = c.now.Add(2e9)
	tap(t, e, "desk", "em:0E00000001")
	h.ui.until(t, "the new card read", func() bool { return cards.haveRead })
	if cards.confirm.Text != "Replace em:0102B0A5FD with this card" {
		t.Errorf("confirm %q", cards.confirm.Text)
	}
	test.Tap(cards.confirm)
	if cardState(t, e, "ann", "em:0102B0A5FD") != core.CardLost || cardState(t, e, "ann", "em:0E00000001") != core.CardActive {
		t.Error("not replaced")
	}
}

func TestEnrolTimesOut(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
	cards := h.cardsOf(t, "bob")
	h.runTimers()
	test.Tap(cards.start)
	if len(h.timers) != 1 {
		t.Fatalf("%d timers, want the wait's", len(h.timers))
	}
	h.runTimers()
	if cards.waiting || cards.waitBox.Visible() || cards.start.Disabled() {
		t.Error("still waiting after 60 s")
	}
	if !cards.done.Visible() || !strings.Contains(cards.done.Text, "No card was read in 60 seconds") {
		t.Errorf("note %q", cards.done.Text)
	}
	// A tap after the timeout is not taken.
	cards.addEvents([]core.Event{tap(t, e, "desk", "em:0E00000002")})
	if cards.haveRead {
		t.Error("a tap after the timeout was taken")
	}
}

func TestEnrolHiddenWithoutCardsEnroll(t *testing.T) {
	test.NewTempApp(t)
	e, _ := newPeopleEngine(t)
	h := newPeopleHarness(t, e, staffAccount(t, e, "clerk", "", core.PermPeopleView, core.PermPeopleEdit))
	cards := h.cardsOf(t, "ann")
	if cards.start != nil {
		t.Error("the enrol button shows without cards.enroll")
	}
	if b := buttonsIn(cards.rows); len(b) != 0 {
		t.Errorf("buttons on the card rows without cards.enroll: %v", b)
	}
	labels := strings.Join(labelsIn(cards.rows), " ")
	if !strings.Contains(labels, "em:0102B0A5FD") || !strings.Contains(labels, "Active") {
		t.Errorf("rows %q: the card and its state are still shown", labels)
	}
	for _, o := range test.LaidOutObjects(h.w.Content()) {
		if b, ok := o.(*widget.Button); ok && b.Visible() &&
			(b.Text == "Tap the new card on the desk reader" || b.Text == "Block (lost)" || b.Text == "Replace") {
			t.Errorf("button %q shown", b.Text)
		}
	}
}

func TestParseTypedCode(t *testing.T) {
	tests := map[string]string{
		"0045131261":      "dec:0045131261",
		" 45131261\n":     "dec:0045131261",
		"0102B0A5FD":      "em:0102B0A5FD",
		"04a22b1a":        "uid:04A22B1A",
		"w26:176:42493":   "w26:176:42493",
		"EM:0102b0a5fd":   "em:0102B0A5FD",
		"visitor-badge-7": "visitor-badge-7",
	}
	for in, want := range tests {
		c, err := parseTypedCode(in)
		if err != nil || c.String() != want {
			t.Errorf("parseTypedCode(%q) = %s, %v; want %s", in, c, err, want)
		}
	}
	// More digits than a wedge types: a code matched as text.
	if c, err := parseTypedCode("99999999999"); err != nil || c.Format != core.FormatOpaque ||
		!strings.Contains(codeFormats(c), "matched exactly") {
		t.Errorf("11 digits: %v %v", c, err)
	}
	if _, err := parseTypedCode("bad	code"); err == nil {
		t.Error("a control character read as a code")
	}
}
