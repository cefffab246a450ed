package core_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// The pair: two EM cards that differ only in their top byte, so
// that a wedge typing the low 32 bits reads both as dec:0004340757.
const (
	staffCard   = "em:3C00423C15"
	visitorCard = "em:4B00423C15"
)

// everyReader returns one reader of every kind and format at door, in
// direction in: what the ambiguity rules must hold for.
func everyReader(door string) []core.Device {
	var out []core.Device
	for _, kind := range core.ReaderKinds {
		formats := []string{""}
		bitsList := []int{0}
		if kind == "serial-wiegand" {
			bitsList = []int{26, 34}
		}
		for _, bits := range bitsList {
			if fs := core.ReadFormats(kind, bits); fs != nil {
				formats = fs
			}
			for _, f := range formats {
				d := core.Device{ID: fmt.Sprintf("%s-%d-%s", kind, bits, f), Kind: kind, Bits: bits, Format: f,
					Door: door, Direction: core.In}
				if strings.HasPrefix(kind, "serial-") {
					d.Port = "/dev/ttyS9"
				}
				if kind == "usb-wedge" {
					d.VID, d.PID = "ffff", "0035"
				}
				out = append(out, d)
			}
		}
	}
	return out
}

// ambiguitySite is a site where everyone may open the main door at any
// time, so that a tap decided as the wrong person would be a grant.
func ambiguitySite(devices []core.Device) *core.SiteFile {
	return &core.SiteFile{
		Site:         &core.SiteSettings{Name: new("Cards"), Timezone: new("Europe/Paris"), DeskZone: new("office")},
		Zones:        []core.Zone{{ID: "outside", Name: "Outside"}, {ID: "office", Name: "Office", Work: true}},
		Doors:        []core.Door{{ID: "main", Name: "Main", From: "outside", To: "office"}},
		Devices:      devices,
		AccessLevels: []core.AccessLevel{{ID: "all", Name: "All", Rules: []core.Rule{{Doors: []string{"main"}}}}},
		Departments:  []core.Department{{ID: "staff", Name: "Staff", AccessLevel: "all"}},
	}
}

// openCardsEngine imports f into a fresh store.
func openCardsEngine(t *testing.T, f *core.SiteFile) (*core.Engine, *storage.DB) {
	t.Helper()
	db := storagetest.MustOpen(t)
	e, err := core.NewEngine(db, func() time.Time { return at("2026-11-24T10:00") }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(core.CommandLine("test"), f); err != nil {
		t.Fatal(err)
	}
	return e, db
}

// storeDirectly writes people and cards without the engine's checks, as a
// database written before enrolment refused ambiguous cards holds them.
func storeDirectly(t *testing.T, db *storage.DB, people []core.Person, cards []core.Card) {
	t.Helper()
	err := db.Update(func(tx core.Tx) error {
		for _, p := range people {
			if err := tx.Put(core.KindPerson, p.ID, p); err != nil {
				return err
			}
		}
		for _, c := range cards {
			if err := tx.Put(core.KindCard, c.Code, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// bitCode is the code of the low width bits of v, in the format of that
// width: what a reader delivering width bits reads of a card whose 40
// bits are v, and how a card enrolled from it is stored.
func bitCode(v uint64, width int) core.Code {
	switch width {
	case 24:
		return core.Code{Format: core.FormatW26, Value: v & (1<<24 - 1), Width: 24}
	case 32:
		return core.Code{Format: core.FormatDec, Value: v & (1<<32 - 1), Width: 32}
	}
	return core.Code{Format: core.FormatEM, Value: v & (1<<40 - 1), Width: 40}
}

// widthsOf are the widths reader d may deliver: ReadWidths, and every
// width for a sim reader, where anything can be typed.
func widthsOf(d core.Device) []int {
	if d.Kind == "sim" {
		return []int{24, 32, 40}
	}
	return d.ReadWidths()
}

// TestAmbiguousReadsNeverGoToAnotherPerson is the property of issue 12
// A1: whatever cards a database holds (here written without the
// enrolment checks), a card tapped on any reader, of any kind and format,
// is never decided as someone other than its holder. Pairs of cards share
// their low 24 or 32 bits, are stored at random widths, belong to two
// people or to one, beside unrelated cards. The tapped card's read is the
// low bits its reader delivers; when cards of several people match it,
// the tap is denied_ambiguous_card, for no one, naming them all.
func TestAmbiguousReadsNeverGoToAnotherPerson(t *testing.T) {
	readers := everyReader("main")
	e, db := openCardsEngine(t, ambiguitySite(readers))
	rng := rand.New(rand.NewPCG(12, 1))
	var all []core.Card
	names := map[string]string{}
	tapped, ambiguous := 0, 0
	for i := range 120 {
		share := []int{24, 32}[i%2]
		pa := rng.Uint64N(1 << 40)
		pb := pa&(1<<share-1) | rng.Uint64N(1<<(40-share))<<share
		if pb == pa {
			pb ^= 1 << 39
		}
		a, b, c := fmt.Sprintf("a%d", i), fmt.Sprintf("b%d", i), fmt.Sprintf("c%d", i)
		holderB := b
		if i%5 == 0 {
			holderB = a // one person holding both cards is not ambiguous
		}
		width := func() int { return []int{24, 32, 40, 40}[rng.IntN(4)] }
		cards := []core.Card{
			{Code: bitCode(pa, width()).String(), Person: a, State: core.CardActive},
			{Code: bitCode(pb, width()).String(), Person: holderB, State: core.CardActive},
			{Code: bitCode(rng.Uint64N(1<<40), 40).String(), Person: c, State: core.CardActive},
		}
		if cards[0].Code == cards[1].Code || slices.ContainsFunc(all, func(x core.Card) bool {
			return slices.ContainsFunc(cards, func(y core.Card) bool { return x.Code == y.Code })
		}) {
			continue // the same code twice is one card, held once
		}
		var people []core.Person
		for _, id := range []string{a, b, c} {
			names[id] = "Person " + strings.ToUpper(id)
			people = append(people, core.Person{ID: id, Name: names[id], Department: "staff"})
		}
		storeDirectly(t, db, people, cards)
		all = append(all, cards...)

		for _, r := range readers {
			for _, w := range widthsOf(r) {
				read := bitCode(pa, w)
				ev, err := e.Decide(core.Tap{Reader: r.ID, Code: read.String(), At: at("2026-11-24T10:00")})
				if err != nil {
					t.Fatalf("%s reads %s: %v", r.ID, read, err)
				}
				tapped++
				var holders []string
				for _, x := range all {
					if code, _ := core.ParseCode(x.Code); code.Matches(read) && !slices.Contains(holders, x.Person) {
						holders = append(holders, x.Person)
					}
				}
				if ev.Result == core.Granted && ev.Person != a || ev.Person != "" && ev.Person != a {
					t.Fatalf("%s reads %s of %s's card %s: got %s for %q, want nothing for anyone but %s",
						r.ID, read, a, cards[0].Code, ev.Result, ev.Person, a)
				}
				if len(holders) < 2 {
					if ev.Result != core.Granted || ev.Person != a {
						t.Fatalf("%s reads %s, only %s's: got %s for %q (%s), want granted", r.ID, read, a, ev.Result, ev.Person, ev.Explanation)
					}
					continue
				}
				ambiguous++
				if ev.Result != core.DeniedAmbiguousCard || ev.Person != "" || ev.Card != read.String() {
					t.Fatalf("%s reads %s, matching the cards of %q: got %s for %q card %s, want %s for no one, card %s",
						r.ID, read, holders, ev.Result, ev.Person, ev.Card, core.DeniedAmbiguousCard, read)
				}
				if !strings.Contains(ev.Explanation, fmt.Sprintf("read %d bits", w)) {
					t.Errorf("explanation %q does not give the width %d", ev.Explanation, w)
				}
				for _, h := range holders {
					if want := fmt.Sprintf("%s (%s)", names[h], h); !strings.Contains(ev.Explanation, want) {
						t.Errorf("explanation %q does not name %s", ev.Explanation, want)
					}
				}
			}
		}
	}
	if ambiguous == 0 || ambiguous == tapped {
		t.Fatalf("%d of %d reads ambiguous: the cards do not exercise the rule", ambiguous, tapped)
	}
	t.Logf("%d reads on %d readers, %d of them ambiguous", tapped, len(readers), ambiguous)
}

// TestAmbiguousTap follows the example through the recorded path:
// the staff member's and the visitor's cards read the same on a wedge
// typing the low 32 bits and on a Wiegand 26 reader, and differently on
// an EM reader.
func TestAmbiguousTap(t *testing.T) {
	f := ambiguitySite([]core.Device{
		{ID: "em", Kind: "serial-rdm6300", Port: "/dev/ttyS0", Door: "main", Direction: core.In},
		{ID: "sim", Kind: "sim", Door: "main", Direction: core.In},
		{ID: "desk", Kind: "sim", Desk: true},
	})
	e, db := openCardsEngine(t, f)
	storeDirectly(t, db,
		[]core.Person{{ID: "ann", Name: "Ann Martin", Department: "staff"}, {ID: "vic", Name: "Vic Visitor"}},
		[]core.Card{{Code: staffCard, Person: "ann", State: core.CardActive}, {Code: visitorCard, Person: "vic", State: core.CardActive}})
	tests := []struct {
		reader, code string
		want         core.Result
		person       string
		explain      string
	}{
		{"sim", "dec:0004340757", core.DeniedAmbiguousCard, "",
			"the reader read 32 bits (dec:0004340757), which match the cards of Ann Martin (ann) and Vic Visitor (vic): the tap is given to no one"},
		{"sim", "w26:66:15381", core.DeniedAmbiguousCard, "", "read 24 bits (w26:66:15381)"},
		{"desk", "dec:0004340757", core.DeniedAmbiguousCard, "", "Ann Martin (ann) and Vic Visitor (vic)"},
		{"em", staffCard, core.Granted, "ann", "level All"},
		{"em", visitorCard, core.DeniedNoAccess, "vic", "Vic Visitor"},
	}
	for i, tt := range tests {
		ev, err := e.Tap(core.Tap{Reader: tt.reader, Code: tt.code, At: at("2026-11-24T10:00").Add(time.Duration(i) * time.Minute)})
		if err != nil {
			t.Fatal(err)
		}
		if ev.Result != tt.want || ev.Person != tt.person || !strings.Contains(ev.Explanation, tt.explain) {
			t.Errorf("%s %s: got %s for %q (%s), want %s for %q containing %q", tt.reader, tt.code,
				ev.Result, ev.Person, ev.Explanation, tt.want, tt.person, tt.explain)
		}
		if tt.want == core.DeniedAmbiguousCard && ev.Card != tt.code {
			t.Errorf("%s %s: event card %q, want the code read", tt.reader, tt.code, ev.Card)
		}
	}
	// The log holds the same, and no one was moved by the refusals.
	var logged []core.Result
	err := e.Events(core.CommandLine("test"), core.EventQuery{}, func(ev core.Event) error {
		logged = append(logged, ev.Result)
		if ev.Result == core.DeniedAmbiguousCard && (ev.Person != "" || ev.Zone != "") {
			t.Errorf("logged %+v: an ambiguous tap names or moves someone", ev)
		}
		return nil
	})
	if err != nil || len(logged) != len(tests) {
		t.Fatalf("log: got %v, %v, want %d events", logged, err, len(tests))
	}
	if !core.DeniedAmbiguousCard.Denied() || core.DeniedAmbiguousCard.Opens() {
		t.Error("denied_ambiguous_card must be a denial that opens nothing")
	}
}

// TestAmbiguousReadOffTheDoor checks every other place a read is turned
// into a card or a person: none of them picks one of several people.
func TestAmbiguousReadOffTheDoor(t *testing.T) {
	e, db := openCardsEngine(t, ambiguitySite([]core.Device{{ID: "desk", Kind: "sim", Desk: true}}))
	storeDirectly(t, db,
		[]core.Person{{ID: "ann", Name: "Ann Martin"}, {ID: "vic", Name: "Vic Visitor"}, {ID: "tom", Name: "Tom Two"}},
		[]core.Card{{Code: staffCard, Person: "ann", State: core.CardActive}, {Code: visitorCard, Person: "vic", State: core.CardActive},
			{Code: "em:0102B0A5FD", Person: "tom", State: core.CardActive}, {Code: "dec:0045131261", Person: "tom", State: core.CardActive}})
	cli := core.CommandLine("test")
	const read = "dec:0004340757"

	// The enrolment screen asks whose a card is.
	if _, _, err := e.CardHolder(cli, read); !errors.Is(err, core.ErrConflict) ||
		!strings.Contains(err.Error(), "Ann Martin (ann) and Vic Visitor (vic)") {
		t.Errorf("CardHolder(%s): got %v, want a conflict naming both", read, err)
	}
	if c, p, err := e.CardHolder(cli, "w26:176:42493"); err != nil || p.ID != "tom" || c.Person != "tom" {
		t.Errorf("CardHolder of one person's two cards: got %s of %q, %v, want one of tom's", c.Code, p.ID, err)
	}
	// Blocking a card by a code that several cards read as.
	if _, err := e.SetCardState(cli, read, core.CardLost); !errors.Is(err, core.ErrConflict) ||
		!strings.Contains(err.Error(), staffCard) || !strings.Contains(err.Error(), visitorCard) {
		t.Errorf("SetCardState(%s): got %v, want a conflict naming both cards", read, err)
	}
	if _, err := e.ReplaceCard(cli, read, "em:0000000001"); !errors.Is(err, core.ErrConflict) {
		t.Errorf("ReplaceCard(%s): got %v, want a conflict", read, err)
	}
	// The desk in enrolment mode logs the read for no one.
	release, err := e.CaptureDesk(cli)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := e.Tap(core.Tap{Reader: "desk", Code: read})
	release()
	if err != nil || ev.Result != core.CardRead || ev.Person != "" || !strings.Contains(ev.Explanation, "Ann Martin (ann) and Vic Visitor (vic)") {
		t.Errorf("desk read for enrolment: got %s for %q (%s), %v, want card_read for no one naming both", ev.Result, ev.Person, ev.Explanation, err)
	}
	// A search by card code lists every person it may be: a list of
	// candidates, not a decision.
	found, n, err := e.People(cli, core.PeopleQuery{Text: read})
	if err != nil || n != 2 || found[0].ID != "ann" || found[1].ID != "vic" {
		t.Errorf("search %s: got %v (%d), %v, want ann and vic", read, found, n, err)
	}
}

// TestEnrolmentRefusesAmbiguousCards checks, for each reader that sees
// fewer bits than the cards and every path a card comes in by, that a
// card which that reader would read as another person's is refused, naming
// both people and the reader; and that sites whose readers all tell the
// two apart accept it.
func TestEnrolmentRefusesAmbiguousCards(t *testing.T) {
	wedge := func(format string) core.Device {
		return core.Device{ID: "desk", Kind: "usb-wedge", VID: "ffff", PID: "0035", Desk: true, Format: format}
	}
	wiegand := func(bits int, format string) core.Device {
		return core.Device{ID: "lab", Kind: "serial-wiegand", Port: "/dev/ttyS0", Bits: bits, Format: format, Door: "main", Direction: core.In}
	}
	em := core.Device{ID: "em", Kind: "serial-rdm6300", Port: "/dev/ttyS0", Door: "main", Direction: core.In}
	sim := core.Device{ID: "sim", Kind: "sim", Door: "main", Direction: core.In}
	line := core.Device{ID: "uids", Kind: "serial-line", Port: "/dev/ttyS1", Door: "main", Direction: core.In}
	tests := []struct {
		name    string
		reader  core.Device
		held    string // ann's card
		given   string // the card given to vic
		refused string // the reader's words in the refusal; "" if accepted
	}{
		{"wedge, low 32 bits", wedge(""), staffCard, visitorCard, `usb-wedge reader "desk", which sees only the low 32 bits`},
		{"wedge dec32", wedge("dec32"), staffCard, visitorCard, `usb-wedge reader "desk" (dec32), which sees only the low 32 bits`},
		{"wedge dec24, cards sharing 32 bits", wedge("dec24"), staffCard, visitorCard, `(dec24), which sees only the low 24 bits`},
		{"wedge fac3num5", wedge("fac3num5"), "em:3C11423C15", "em:4B22423C15", `(fac3num5), which sees only the low 24 bits`},
		{"wedge hex", wedge("hex"), "em:3C11423C15", "em:4B22423C15", `(hex), which sees only the low 24 bits`},
		{"wedge dec32, cards sharing 24 bits", wedge("dec32"), "em:3C11423C15", "em:4B22423C15", ""},
		{"wedge dec40", wedge("dec40"), staffCard, visitorCard, ""},
		{"wedge uid-hex", wedge("uid-hex"), staffCard, visitorCard, ""},
		{"wedge uid-dec-rev", wedge("uid-dec-rev"), staffCard, visitorCard, ""},
		{"wiegand 26", wiegand(0, ""), "em:3C11423C15", "em:4B22423C15", `serial-wiegand reader "lab", which sees only the low 24 bits`},
		{"wiegand 26 hex", wiegand(26, "hex"), staffCard, visitorCard, `serial-wiegand reader "lab" (hex), which sees only the low 24 bits`},
		{"wiegand 34", wiegand(34, ""), staffCard, visitorCard, `serial-wiegand reader "lab", which sees only the low 32 bits`},
		{"wiegand 34, cards sharing 24 bits", wiegand(34, "dec32"), "em:3C11423C15", "em:4B22423C15", ""},
		{"a 32-bit card beside a reader of 24", wiegand(26, ""), "dec:0289553429", "dec:0574766101", `which sees only the low 24 bits`},
		{"EM reader", em, staffCard, visitorCard, ""},
		{"sim reader", sim, staffCard, visitorCard, ""},
		{"UID bridge", line, staffCard, visitorCard, ""},
	}
	cli := core.CommandLine("test")
	people := []core.PersonFile{{ID: "ann", Name: "Ann Martin"}, {ID: "vic", Name: "Vic Visitor"}}
	for _, tt := range tests {
		site := func(vicCards ...string) *core.SiteFile {
			f := ambiguitySite([]core.Device{tt.reader})
			f.People = slices.Clone(people)
			f.People[0].Cards = []core.CardFile{{Code: tt.held}}
			for _, c := range vicCards {
				f.People[1].Cards = append(f.People[1].Cards, core.CardFile{Code: c})
			}
			return f
		}
		check := func(t *testing.T, err error, path string, names ...string) {
			t.Helper()
			if tt.refused == "" {
				if err != nil {
					t.Fatalf("got %v, want the card accepted", err)
				}
				return
			}
			if !errors.Is(err, core.ErrConflict) {
				t.Fatalf("got %v, want a conflict", err)
			}
			for _, want := range append([]string{path, tt.given, tt.held, tt.refused}, names...) {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("got %q, want it to contain %q", err, want)
				}
			}
		}
		t.Run(tt.name+"/enrol", func(t *testing.T) {
			e, _ := openCardsEngine(t, site())
			_, err := e.EnrollCard(cli, "vic", tt.given)
			check(t, err, "", "Ann Martin (ann)", "Vic Visitor (vic)")
		})
		t.Run(tt.name+"/replace", func(t *testing.T) {
			e, _ := openCardsEngine(t, site("em:00000000AA"))
			_, err := e.ReplaceCard(cli, "em:00000000AA", tt.given)
			check(t, err, "", "Ann Martin (ann)", "Vic Visitor (vic)")
			if err != nil {
				if cards, _ := e.CardsOf(cli, "vic"); len(cards) != 1 || cards[0].State != core.CardActive {
					t.Errorf("vic's cards after the refusal: got %+v, want the old card still active", cards)
				}
			}
		})
		t.Run(tt.name+"/site file", func(t *testing.T) {
			db := storagetest.MustOpen(t)
			e, err := core.NewEngine(db, time.Now, nil)
			if err != nil {
				t.Fatal(err)
			}
			err = e.Import(cli, site(tt.given))
			check(t, err, "people[1].cards[0]: ", `of "ann"`, `of "vic"`)
		})
		t.Run(tt.name+"/people list", func(t *testing.T) {
			e, _ := openCardsEngine(t, site())
			f, err := core.ReadPeopleCSV(strings.NewReader("id;cards\nvic;" + tt.given + "\n"))
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.ImportPeople(cli, f, false)
			check(t, err, `line 2, column "cards": `, `of "ann"`, `of "vic"`)
		})
		t.Run(tt.name+"/reader added", func(t *testing.T) {
			// The cards were let in when the site had no such reader;
			// adding it is refused, and so is changing a reader into it.
			f := site(tt.given)
			f.Devices = []core.Device{sim}
			e, _ := openCardsEngine(t, f)
			err := e.Import(cli, &core.SiteFile{Devices: []core.Device{tt.reader}})
			check(t, err, "devices[0]: ", `of "ann"`, `of "vic"`)
			if tt.refused != "" {
				if got := e.Devices(cli); len(got) != 1 || got[0].ID != "sim" {
					t.Errorf("devices after the refusal: got %+v, want only the sim reader", got)
				}
			}
		})
	}
}

// TestAmbiguousCardsListed checks the list `frontdesk verify` prints: the
// pairs of cards of different people that some reader of the site cannot
// tell apart, with the widths and the readers concerned, and only those.
func TestAmbiguousCardsListed(t *testing.T) {
	e, db := openCardsEngine(t, ambiguitySite([]core.Device{
		{ID: "em", Kind: "serial-rdm6300", Port: "/dev/ttyS0", Door: "main", Direction: core.In},
		{ID: "w26", Kind: "serial-wiegand", Port: "/dev/ttyS1", Door: "main", Direction: core.Out},
		{ID: "desk", Kind: "usb-wedge", VID: "ffff", PID: "0035", Format: "dec32", Desk: true},
		{ID: "sim", Kind: "sim", Door: "main", Direction: core.In},
	}))
	var people []core.Person
	for _, id := range []string{"ann", "vic", "pat", "sue", "tom", "ida", "max"} {
		people = append(people, core.Person{ID: id, Name: strings.ToUpper(id[:1]) + id[1:]})
	}
	storeDirectly(t, db, people, []core.Card{
		{Code: staffCard, Person: "ann"}, {Code: visitorCard, Person: "vic"}, // the low 32 bits
		{Code: "em:3C115A5A5A", Person: "pat"}, {Code: "em:4B225A5A5A", Person: "sue"}, // the low 24 bits
		{Code: "em:0102B0A5FD", Person: "tom"}, {Code: "dec:0045131261", Person: "ida"}, // one card
		{Code: "w26:176:42493", Person: "tom"},                                         // tom's own card again: no pair with his em card
		{Code: "em:7700000001", Person: "max"}, {Code: "em:7800000002", Person: "max"}, // no match
	})
	pairs, err := e.AmbiguousCards(core.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range pairs {
		var readers []string
		for _, r := range p.Readers {
			readers = append(readers, r.ID)
		}
		slices.Sort(readers)
		got = append(got, fmt.Sprintf("%s/%s %s/%s every=%v widths=%v readers=%v", p.Cards[0].Code, p.Cards[0].Person,
			p.Cards[1].Code, p.Cards[1].Person, p.Every, p.Widths, readers))
	}
	want := []string{
		"em:3C00423C15/ann em:4B00423C15/vic every=false widths=[24 32] readers=[desk w26]",
		"em:3C115A5A5A/pat em:4B225A5A5A/sue every=false widths=[24] readers=[w26]",
		"dec:0045131261/ida em:0102B0A5FD/tom every=true widths=[24 32 40] readers=[desk em w26]",
		"dec:0045131261/ida w26:176:42493/tom every=true widths=[24 32 40] readers=[desk em w26]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("pairs:\ngot  %q\nwant %q", got, want)
	}
	if len(pairs) == len(want) {
		if s, want := pairs[0].String(), `em:3C00423C15 of Ann (ann) and em:4B00423C15 of Vic (vic) read the same at 24 and 32 bits`; !strings.HasPrefix(s, want) {
			t.Errorf("String: got %q, want it to start %q", s, want)
		}
		if s, want := pairs[2].String(), "match each other: no reader can tell them apart"; !strings.HasSuffix(s, want) {
			t.Errorf("String: got %q, want it to end %q", s, want)
		}
	}
	// A staff account without people.view sees no cards.
	if _, err := e.AmbiguousCards(core.Actor{Kind: core.ActorAccount, Name: "nobody"}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("an unknown account: got %v, want forbidden", err)
	}
}

// TestReaderAddedNamesThePairs checks that a reader refused for the cards
// it could not tell apart names a few pairs and counts the others, and
// that the same file is accepted when it also takes one card of each pair
// away.
func TestReaderAddedNamesThePairs(t *testing.T) {
	e, db := openCardsEngine(t, ambiguitySite(nil))
	var people []core.Person
	var cards []core.Card
	for i := range 6 {
		a, b := fmt.Sprintf("a%d", i), fmt.Sprintf("b%d", i)
		people = append(people, core.Person{ID: a, Name: a}, core.Person{ID: b, Name: b})
		cards = append(cards, core.Card{Code: fmt.Sprintf("em:1%d00000%03d", i, i), Person: a},
			core.Card{Code: fmt.Sprintf("em:2%d00000%03d", i, i), Person: b})
	}
	storeDirectly(t, db, people, cards)
	wedge := core.Device{ID: "desk", Kind: "usb-wedge", VID: "ffff", PID: "0035", Desk: true, Format: "dec32"}
	err := e.Import(core.CommandLine("test"), &core.SiteFile{Devices: []core.Device{wedge}})
	want := `devices[0]: usb-wedge reader "desk" (dec32), which sees only the low 32 bits, could not tell apart cards of different people: ` +
		`em:1000000000 of "a0" and em:2000000000 of "b0", em:1100000001 of "a1" and em:2100000001 of "b1", ` +
		`em:1200000002 of "a2" and em:2200000002 of "b2" and 3 more`
	if !errors.Is(err, core.ErrConflict) || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	f := &core.SiteFile{Devices: []core.Device{wedge}}
	for i := range 6 {
		f.People = append(f.People, core.PersonFile{ID: fmt.Sprintf("b%d", i), Name: "B", Cards: []core.CardFile{}})
	}
	if err := e.Import(core.CommandLine("test"), f); err != nil {
		t.Fatalf("the reader with the b cards taken away: got %v, want it accepted", err)
	}
}
