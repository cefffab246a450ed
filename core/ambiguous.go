package core

import (
	"cmp"
	"fmt"
	"math/bits"
	"slices"
	"strings"
)

// A reader that sees fewer bits than a card holds cannot tell that card
// from another whose low bits are the same: em:3C00423C15 and
// em:4B00423C15 both read dec:0004340757 on a wedge that types the low 32
// bits. The decision never guesses between the holders of such cards
// (DeniedAmbiguousCard); enrolment and import refuse a card that would
// make such a pair at a width a reader of the site delivers; and
// Engine.AmbiguousCards lists the pairs a database already holds.

// holders returns the distinct holders of cards, in the order they come;
// a card without holder is a holder "" of its own.
func holders(cards []Card) []string {
	var out []string
	for _, c := range cards {
		if !slices.Contains(out, c.Person) {
			out = append(out, c.Person)
		}
	}
	return out
}

// personLabel names a person for explanations and errors: "Ann Martin
// (ann)", or the id quoted when no such person is stored.
func personLabel(tx Tx, id string) (string, error) {
	if id == "" {
		return "no one", nil
	}
	p, ok, err := lookup[Person](tx, KindPerson, id)
	if err != nil {
		return "", err
	}
	if !ok || p.Name == "" {
		return fmt.Sprintf("%q", id), nil
	}
	return fmt.Sprintf("%s (%s)", p.Name, id), nil
}

// maxNamed is how many people or pairs a message names before "and N
// more".
const maxNamed = 3

// joinAnd joins items as "a, b and c", naming at most maxNamed of them.
func joinAnd(items []string) string {
	if len(items) > maxNamed+1 {
		return fmt.Sprintf("%s and %d more", strings.Join(items[:maxNamed], ", "), len(items)-maxNamed)
	}
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// cardsHeldBy names the holders of cards for an explanation: "Ann Martin
// (ann)", "Vic Visitor (vic)"; a card without holder is named by its
// code.
func cardsHeldBy(tx Tx, cards []Card) ([]string, error) {
	var names []string
	for _, h := range holders(cards) {
		if h == "" {
			for _, c := range cards {
				if c.Person == "" {
					names = append(names, "a card without holder ("+c.Code+")")
					break
				}
			}
			continue
		}
		name, err := personLabel(tx, h)
		if err != nil {
			return nil, err
		}
		names = append(names, name)
	}
	return names, nil
}

// ambiguousRead is the explanation of a read whose matching cards belong
// to several people.
func ambiguousRead(tx Tx, read Code, cards []Card) (*Reason, error) {
	names, err := cardsHeldBy(tx, cards)
	if err != nil {
		return nil, err
	}
	return NewReason(ReasonAmbiguousCard, "bits", read.Width, "card", read, "holders", strings.Join(names, ListSep)), nil
}

// cardClash is a card of another person that some read of a card being
// given could not be told from.
type cardClash struct {
	other Card
	// reader is a reader that delivers width, narrower than both cards,
	// at which they read the same; zero when the two codes match each
	// other, so that no reader can tell them apart.
	reader Device
	width  int
}

// findClash returns the first card of someone other than person that a
// read of c by the readers w could also be: a card whose code matches c
// (no reader tells them apart), else one that a reader of w narrower than
// both cards reads the same. match returns the cards a read matches.
func findClash(c Code, person string, w widthReaders, match func(Code) ([]Card, error)) (cardClash, bool, error) {
	cards, err := match(c)
	if err != nil {
		return cardClash{}, false, err
	}
	for _, m := range cards {
		if m.Person != person {
			return cardClash{other: m}, true, nil
		}
	}
	for _, q := range w.reads(c) {
		cards, err := match(q)
		if err != nil {
			return cardClash{}, false, err
		}
		for _, m := range cards {
			// Another person's card found here reads the same as c only at
			// q's width: one narrower than q would have matched c above.
			if m.Person != person {
				return cardClash{other: m, reader: w[q.Width][0], width: q.Width}, true, nil
			}
		}
	}
	return cardClash{}, false, nil
}

// problem says what the clash of card code, given to holder, is; holder
// and other name the people as the caller's messages do.
func (k cardClash) problem(code, holder, other string) string {
	if k.reader.ID == "" {
		return fmt.Sprintf("card %s of %s reads the same as %s of %s: readers that see fewer bits cannot tell them apart",
			code, holder, k.other.Code, other)
	}
	return fmt.Sprintf("card %s of %s reads the same as %s of %s on %s, which sees only the low %d bits: it could not tell them apart",
		code, holder, k.other.Code, other, readerLabel(k.reader), k.width)
}

// CardPair is two cards of different people that readers of the site
// cannot tell apart (Engine.AmbiguousCards).
type CardPair struct {
	// Cards are the two cards, in code order, and Names their holders'
	// names ("" when the holder is not stored).
	Cards [2]Card   `json:"cards"`
	Names [2]string `json:"names"`
	// Every is true when the two codes match each other (Code.Matches):
	// no reader can tell them apart, whatever its width. Widths are the
	// widths of the site's readers at which the two read the same, and
	// Readers those readers; for Every, every reader of a bit width.
	Every   bool        `json:"every_reader"`
	Widths  []int       `json:"widths"`
	Readers []ReaderRef `json:"readers"`
}

// String describes the pair for people: `em:3C00423C15 of Ann Martin
// (ann) and em:4B00423C15 of Vic Visitor (vic) read the same at 32 bits
// (usb-wedge reader "desk" (dec32))`.
func (p CardPair) String() string {
	who := func(i int) string {
		switch {
		case p.Cards[i].Person == "":
			return p.Cards[i].Code + " (no holder)"
		case p.Names[i] == "":
			return fmt.Sprintf("%s of %q", p.Cards[i].Code, p.Cards[i].Person)
		}
		return fmt.Sprintf("%s of %s (%s)", p.Cards[i].Code, p.Names[i], p.Cards[i].Person)
	}
	var readers []string
	for _, r := range p.Readers {
		readers = append(readers, readerLabel(Device{ID: r.ID, Kind: r.Kind, Format: r.Format}))
	}
	if p.Every {
		return fmt.Sprintf("%s and %s match each other: no reader can tell them apart", who(0), who(1))
	}
	ws := make([]string, len(p.Widths))
	for i, w := range p.Widths {
		ws[i] = fmt.Sprint(w)
	}
	return fmt.Sprintf("%s and %s read the same at %s bits (%s)", who(0), who(1), strings.Join(ws, " and "), joinAnd(readers))
}

// ambiguousPairs finds the pairs of stored cards of different people that
// readers cannot tell apart: with every, the pairs whose codes match each
// other; and the pairs that read the same at a width of w narrower than
// both cards. skip, when not nil, leaves cards out. Pairs come in the
// order of the cards' low 24 bits, then of their codes.
//
// Every such pair agrees on the low 24 bits, the narrowest width, so the
// cards are sorted by those and only neighbours are compared: one pass
// over the codes (the card ids), and only the cards of pairs that the
// codes show readers cannot tell apart are decoded.
func ambiguousPairs(tx Tx, w widthReaders, every bool, skip func(Card) bool) ([]CardPair, error) {
	type entry struct {
		low  uint64
		code Code
	}
	var entries []entry
	err := tx.List(KindCard, func(id string, _ func(any) error) error {
		code, err := ParseCode(id)
		if err == nil && code.isBits() {
			entries = append(entries, entry{low: lowBits(code.Value, width24), code: code})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if c := cmp.Compare(a.low, b.low); c != 0 {
			return c
		}
		return strings.Compare(a.code.String(), b.code.String())
	})
	widths := w.widths()
	var pairs []CardPair
	for lo := 0; lo < len(entries); {
		hi := lo + 1
		for hi < len(entries) && entries[hi].low == entries[lo].low {
			hi++
		}
		run := entries[lo:hi]
		lo = hi
		// The codes say which pairs readers cannot tell apart; only the
		// cards of those are decoded, to see whose they are.
		cards := make([]*Card, len(run))
		card := func(i int) (*Card, error) {
			if cards[i] == nil {
				c, err := get[Card](tx, KindCard, run[i].code.String())
				if err != nil {
					return nil, err
				}
				cards[i] = &c
			}
			return cards[i], nil
		}
		for i := range run {
			for j := i + 1; j < len(run); j++ {
				p, ok := pairAt(run[i].code, run[j].code, widths, every)
				if !ok {
					continue
				}
				a, err := card(i)
				if err != nil {
					return nil, err
				}
				b, err := card(j)
				if err != nil {
					return nil, err
				}
				if a.Person == b.Person || skip != nil && (skip(*a) || skip(*b)) {
					continue
				}
				p.Cards = [2]Card{*a, *b}
				p.Readers = []ReaderRef{}
				for _, r := range p.Widths {
					for _, d := range w[r] {
						ref := ReaderRef{ID: d.ID, Kind: d.Kind, Format: d.Format}
						if !slices.Contains(p.Readers, ref) {
							p.Readers = append(p.Readers, ref)
						}
					}
				}
				pairs = append(pairs, p)
			}
		}
	}
	for i := range pairs {
		for k, c := range pairs[i].Cards {
			if c.Person == "" {
				continue
			}
			p, ok, err := lookup[Person](tx, KindPerson, c.Person)
			if err != nil {
				return nil, err
			}
			if ok {
				pairs[i].Names[k] = p.Name
			}
		}
	}
	return pairs, nil
}

// pairAt says whether bit codes a and b read the same: at every width
// when they match each other (and every is asked for), else at the widths
// of widths narrower than both on which their low bits agree.
func pairAt(a, b Code, widths []int, every bool) (CardPair, bool) {
	narrow := min(a.Width, b.Width)
	same := min(bits.TrailingZeros64(a.Value^b.Value), narrow) // equal low bits
	if same >= narrow {
		return CardPair{Every: true, Widths: slices.Clone(widths)}, every
	}
	at := []int{}
	for _, r := range widths {
		if r <= same {
			at = append(at, r)
		}
	}
	return CardPair{Widths: at}, len(at) > 0
}

// AmbiguousCards lists the pairs of cards of different people that some
// reader of the site cannot tell apart: codes that match each other
// (which enrolment and import refuse, but an older database may hold),
// and cards that read the same at a width one of the site's readers
// delivers. A tap of either card on such a reader is DeniedAmbiguousCard.
// Needs people.view.
func (e *Engine) AmbiguousCards(a Actor) ([]CardPair, error) {
	if _, err := e.require(a, PermPeopleView, "see cards"); err != nil {
		return nil, err
	}
	e.mu.RLock()
	devices := make([]Device, 0, len(e.cfg.devices))
	for _, d := range e.cfg.devices {
		devices = append(devices, d)
	}
	e.mu.RUnlock()
	var pairs []CardPair
	err := e.store.View(func(tx Tx) error {
		var err error
		pairs, err = ambiguousPairs(tx, readersByWidth(devices), true, nil)
		return err
	})
	return pairs, err
}
