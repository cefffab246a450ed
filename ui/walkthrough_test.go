package ui

import (
	"fmt"
	"io/fs"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"frontdesk/assets"
	"frontdesk/core"
)

// The walkthroughs: each task of a demo account, done with the real
// widgets of the real pages on the demo site, in English, French and
// Russian; in French and Russian each screen visited shows no English
// text of the window.

// demoPassword is the demo accounts' password.
const demoPassword = "frontdesk-demo"

// inEachLanguage runs walk once per language of the window.
func inEachLanguage(t *testing.T, walk func(t *testing.T, code string)) {
	for _, code := range []string{"en", "fr", "ru"} {
		t.Run(code, func(t *testing.T) {
			inLanguage(t, code)
			walk(t, code)
		})
	}
}

// demoLogin logs in demo account name.
func demoLogin(t *testing.T, e *core.Engine, name string) core.Actor {
	t.Helper()
	a, err := e.Login(name, demoPassword)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// englishLeft fails when texts, shown in the language code, hold an
// English text of the window whose translation in code differs: a text
// left untranslated. Names and ids (keep) stay as they are.
func englishLeft(t *testing.T, code, screen string, texts []string, keep ...string) {
	t.Helper()
	if code == "en" {
		return
	}
	if len(texts) == 0 {
		t.Errorf("%s: no text shown", screen)
	}
	for _, p := range englishIn(t, code, texts, keep) {
		t.Errorf("%s in %s shows %s", screen, code, p)
	}
}

// englishIn are the texts, shown in the language code, that are English
// texts of the window, alone or made with values ("Sent to the printer
// Front."), whose translation differs.
func englishIn(t *testing.T, code string, texts, keep []string) []string {
	t.Helper()
	raw, err := fs.ReadFile(assets.Translations, "translations/frontdesk."+code+".json")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := translationStrings(raw)
	if err != nil {
		t.Fatal(err)
	}
	// The texts made with values as patterns, when the words around the
	// values are words.
	var patterns []*regexp.Regexp
	var keys []string
	for en, got := range tr {
		words := verbPattern.ReplaceAllString(en, "")
		if en == got || words == en || len(strings.Fields(words)) < 2 {
			continue
		}
		parts := verbPattern.Split(en, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		patterns = append(patterns, regexp.MustCompile("^"+strings.Join(parts, ".*")+"$"))
		keys = append(keys, en)
	}
	var out []string
	for _, text := range texts {
		if slices.Contains(keep, text) {
			continue
		}
		if got, ok := tr[text]; ok && got != text {
			out = append(out, fmt.Sprintf("%q in English (%q)", text, got))
			continue
		}
		for i, p := range patterns {
			if p.MatchString(text) {
				out = append(out, fmt.Sprintf("%q, English made from %q", text, keys[i]))
				break
			}
		}
	}
	return out
}

// TestEnglishIn: the check of the walkthroughs finds English texts, alone
// or with values, and leaves names, ids and translated texts alone.
func TestEnglishIn(t *testing.T) {
	for _, tt := range []struct {
		code, text string
		english    bool
	}{
		{"fr", "Cancel", true},
		{"fr", "Annuler", false},
		{"fr", "Sent to the printer Front (job Front-42).", true},
		{"fr", "Envoi à l'imprimante Front (travail Front-42).", false},
		{"fr", "Paul Martin", false},
		{"fr", "paul.martin", false},
		{"ru", "Save", true},
		{"ru", "Sent to the printer Front.", true},
		{"ru", "Julien Moreau", false},
	} {
		if got := len(englishIn(t, tt.code, []string{tt.text}, nil)) > 0; got != tt.english {
			t.Errorf("%s: %q found English %v, want %v", tt.code, tt.text, got, tt.english)
		}
	}
}

// verbPattern finds the values' places in a text of the window.
var verbPattern = regexp.MustCompile(`%[-+# 0-9.]*[sdvqf]`)

// choose picks id in p as a user does, by the name the list shows.
func choose(t *testing.T, p *picker, id string) {
	t.Helper()
	i := slices.Index(p.ids, id)
	if i < 0 {
		t.Fatalf("no %q among %v", id, p.ids)
	}
	p.SetSelected(p.Options[i])
	if p.id() != id {
		t.Fatalf("picked %q, want %q", p.id(), id)
	}
}

// pickTyped types text in p and picks the first match with the keyboard.
func pickTyped(t *testing.T, w fyne.Window, p *searchPick, text, want string) {
	t.Helper()
	w.Canvas().Focus(p)
	test.Type(p, text)
	if _, shown := shownChoices(p); !shown {
		t.Fatalf("no list under the field after %q", text)
	}
	key(p, fyne.KeyDown)
	key(p, fyne.KeyReturn)
	if p.pickedID() != want {
		t.Fatalf("typed %q, picked %q, want %q", text, p.pickedID(), want)
	}
}

// addTyped types text in m and adds the first match with the keyboard.
func addTyped(t *testing.T, w fyne.Window, m *multiPick, text, want string) {
	t.Helper()
	w.Canvas().Focus(m.add)
	test.Type(m.add, text)
	if _, shown := shownChoices(m.add); !shown {
		t.Fatalf("no list under the field after %q", text)
	}
	key(m.add, fyne.KeyDown)
	key(m.add, fyne.KeyReturn)
	if !slices.Equal(m.ids, []string{want}) || m.add.Text != "" {
		t.Fatalf("typed %q, chose %v (field %q), want %q", text, m.ids, m.add.Text, want)
	}
}

// TestWalkReceptionist: the desk creates a person, whose identifier is
// proposed from the name; enrols the demo's unknown card tapped from the
// enrolment; checks a visitor in by phone at the reception; prints the
// muster list on the printer of the preferences, which says how many
// people it lists.
func TestWalkReceptionist(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed: the muster list cannot be read back")
	}
	inEachLanguage(t, func(t *testing.T, code string) {
		fa := test.NewTempApp(t)
		e, c := demoEngine(t)
		desk := demoLogin(t, e, "desk")

		// The people page, with the demo's desk tap.
		h := peopleHarnessWith(t, e, desk, fyne.NewSize(1024, 600), func(reader, code string) error {
			c.advance(2 * time.Second)
			_, err := e.Tap(core.Tap{Reader: reader, Code: code})
			return err
		})

		test.Tap(h.x.newBtn)
		d := h.x.detail
		test.Type(d.name, "Zoé Faure")
		if d.id.Text != "zoe-faure" {
			t.Errorf("proposed identifier %q, want zoe-faure", d.id.Text)
		}
		i := slices.IndexFunc(d.dept.Options, func(o string) bool { return strings.Contains(o, "Sales") })
		if i < 0 {
			t.Fatalf("no Sales among the departments %v", d.dept.Options)
		}
		d.dept.SetSelected(d.dept.Options[i])
		englishLeft(t, code, "the new person", shownTexts(h.w))
		test.Tap(d.save)
		p, err := e.Person(testCLI, "zoe-faure")
		if err != nil {
			t.Fatalf("Zoé not saved: %v (form says %q)", err, d.problem.Text)
		}
		if p.Name != "Zoé Faure" || p.Department != "sales" {
			t.Errorf("stored %+v", p)
		}
		englishLeft(t, code, "the person saved", shownTexts(h.w))

		cards := h.cardsOf(t, "zoe-faure")
		test.Tap(cards.start)
		if cards.demo == nil || !cards.waitBox.Visible() {
			t.Fatal("no demo card to tap while the enrolment waits")
		}
		englishLeft(t, code, "the enrolment", shownTexts(h.w))
		card := cards.demo.cards.Selected
		if !slices.Contains(demoUnknownCards, card) {
			t.Fatalf("card %q offered, want one of the demo's unknown cards", card)
		}
		test.Tap(cards.demo.present)
		h.ui.until(t, "the card read", func() bool { return cards.haveRead })
		test.Tap(cards.confirm)
		if st := cardState(t, e, "zoe-faure", card); st != core.CardActive {
			t.Fatalf("card %s stored as %q, want active", card, st)
		}
		englishLeft(t, code, "the card enrolled", shownTexts(h.w))

		// The reception: Julien Moreau checks in by phone.
		fake := &fakeCUPS{printers: []string{"Front", "Back"}, def: "Back"}
		fa.Preferences().SetString(prefPrinter, "Front")
		r, w, ui := newReception(t, e, desk)
		w.Resize(fyne.NewSize(1024, 600))
		r.printer = fake.cups()
		test.Type(r.phone, "06 39 98 10 02")
		test.Tap(r.checkin)
		if !strings.Contains(r.phoneResult.Text, "Julien Moreau") || r.phoneResult.Importance != widget.SuccessImportance {
			t.Errorf("check-in says %q (importance %v), want Julien checked in", r.phoneResult.Text, r.phoneResult.Importance)
		}
		ui.until(t, "Julien inside", func() bool { return slices.Contains(inNames(r), "Julien Moreau") })
		englishLeft(t, code, "the reception", shownTexts(w), "Julien Moreau", "desk") // the feed names the desk reader by its id

		test.Tap(r.muster)
		ui.until(t, "the muster list", func() bool { return r.musterShown != "" })
		if want := "-d Front -- " + r.musterPath; !slices.Equal(fake.printed, []string{want}) {
			t.Errorf("lp %v, want [%s]", fake.printed, want)
		}
		n := len(r.inShown)
		count := fmt.Sprintf(lang.L("%s inside."), peopleInWords(n))
		if n == 0 || !strings.Contains(r.musterShown, count) {
			t.Errorf("the dialog says %q, want %q", r.musterShown, count)
		}
		if top := w.Canvas().Overlays().Top(); top == nil {
			t.Error("no dialog says where the muster list went")
		} else {
			englishLeft(t, code, "the muster list's dialog", textsIn(top), r.musterPath)
		}
		out, err := exec.Command("pdftotext", r.musterPath, "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(out)), " ")
		if !strings.Contains(text, peopleInWords(n)) || !strings.Contains(text, "Julien Moreau") {
			t.Errorf("the muster list does not say %q or name Julien:\n%s", peopleInWords(n), text)
		}
	})
}

// TestWalkBoss: claire types "Paul", picks Paul Martin and gives him a
// grant of two uses of her lab.
func TestWalkBoss(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, code string) {
		test.NewTempApp(t)
		e, _ := demoEngine(t)
		s := testSession(t, e, demoLogin(t, e, "claire"))
		x, w := newGrants(t, s)
		w.Resize(fyne.NewSize(1024, 600))
		pickTyped(t, w, x.person, "Paul", "paul.martin")
		if x.person.Text != "Paul Martin" {
			t.Errorf("the field reads %q, want Paul Martin", x.person.Text)
		}
		x.kind.SetSelected(grantUses())
		test.Type(x.uses, "2")
		englishLeft(t, code, "the grant form", shownTexts(w), "Paul Martin")
		door := x.door.id()
		test.Tap(x.grant)
		gs, err := e.Grants(testCLI, core.GrantQuery{Person: "paul.martin"})
		if err != nil {
			t.Fatal(err)
		}
		if len(gs) != 1 || gs[0].Door != door || gs[0].Kind != core.GrantOnce || gs[0].Uses != 2 || gs[0].By != "claire" {
			t.Fatalf("grants %+v, want one of 2 uses on %s by claire (form says %q)", gs, door, x.formMsg.Text)
		}
		if x.formMsg.Importance != widget.SuccessImportance || !strings.Contains(x.formMsg.Text, "Paul Martin") {
			t.Errorf("message %q, want Paul Martin named", x.formMsg.Text)
		}
		englishLeft(t, code, "the grant given", shownTexts(w))
	})
}

// TestWalkManager: the manager justifies Monday to Wednesday of last week
// for Julien Moreau, picking the days in the calendar, and the timesheet
// shows the three days justified.
func TestWalkManager(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, code string) {
		test.NewTempApp(t)
		e, _ := demoEngine(t) // Tuesday 24 November 2026
		manager := demoLogin(t, e, "manager")
		x, w, ui := newJustifTest(t, e, manager)
		w.Resize(fyne.NewSize(1024, 600))
		test.Tap(x.newBtn)
		f := x.form
		attChoose(t, ui, f.who, "julien.moreau")
		test.Tap(calendarButton(t, w, f.from))
		tapDay(t, w, "16")
		test.Tap(calendarButton(t, w, f.to))
		tapDay(t, w, "18")
		if f.from.Text != "2026-11-16" || f.to.Text != "2026-11-18" {
			t.Fatalf("picked %q to %q, want 2026-11-16 to 2026-11-18", f.from.Text, f.to.Text)
		}
		f.reason.SetText("Formation")
		englishLeft(t, code, "the justification form", shownTexts(w), "Julien Moreau")
		test.Tap(f.save)
		js, err := e.Justifications(testCLI, "julien.moreau", time.Time{}, time.Time{})
		if err != nil || len(js) != 1 {
			t.Fatalf("justifications %v (%v), want one (form says %q)", js, err, f.problem.Text)
		}
		ui.until(t, "the list with it", func() bool { return !x.busy })
		if js[0].State != core.JustifValid {
			test.Tap(x.stateBtns[core.JustifValid])
			ui.until(t, "the new state", func() bool { return !x.busy })
		}
		englishLeft(t, code, "the justification", shownTexts(w), "Julien Moreau")

		a, aw, aui := newAttendanceTest(t, e, manager)
		aw.Resize(fyne.NewSize(1024, 600))
		a.tabs.SelectIndex(1)
		aui.until(t, "the timesheet", func() bool { return a.sheet.computed && !a.sheet.busy })
		a.sheet.who.set(core.PersonRef{ID: "julien.moreau", Name: "Julien Moreau"})
		a.sheet.compute()
		aui.until(t, "Julien's timesheet", func() bool { return !a.sheet.busy })
		justified := map[int]bool{}
		for i, r := range a.sheet.rows {
			if r.day < 0 {
				continue
			}
			day := a.sheet.sheet.People[r.person].Days[r.day]
			if a.sheet.cell(i, attColNotes).text == lang.L("Justified") {
				justified[day.Date.Day] = true
			}
		}
		if !justified[16] || !justified[17] || !justified[18] || len(justified) != 3 {
			t.Errorf("days justified in the timesheet %v, want 16, 17 and 18", justified)
		}
		englishLeft(t, code, "the timesheet", shownTexts(aw), "Julien Moreau")
	})
}

// TestWalkAdmin: the admin adds a relay, a door with its owner picked on
// that relay, its reader, an access level naming the door picked, and a
// holiday whose date is picked in the calendar.
func TestWalkAdmin(t *testing.T) {
	inEachLanguage(t, func(t *testing.T, code string) {
		test.NewTempApp(t)
		e, _ := demoEngine(t)
		admin := demoLogin(t, e, "admin")
		s := testSession(t, e, admin)
		x, w := newDoors(t, s)
		w.Resize(fyne.NewSize(1024, 600))

		x.tabs.SelectIndex(2)
		test.Tap(x.devCat.newBtn)
		test.Type(x.devID, "relay3")
		x.devKind.SetSelected("sim")
		x.devRole.SetSelected(roleRelay())
		englishLeft(t, code, "the relay form", shownTexts(w), "desk") // the desk reader's id
		test.Tap(x.devCat.saveBtn)
		if x.devCat.problem.Visible() {
			t.Fatalf("relay refused: %s", x.devCat.problem.Text)
		}

		x.tabs.SelectIndex(0)
		test.Tap(x.doorCat.newBtn)
		test.Type(x.doorID, "archive")
		test.Type(x.doorName, "Archive")
		choose(t, x.doorFrom, "lobby")
		choose(t, x.doorTo, "office")
		addTyped(t, w, x.doorOwners, "Paul", "paul.martin")
		choose(t, x.doorRelay, "relay3")
		test.Type(x.doorChan, "1")
		englishLeft(t, code, "the door form", shownTexts(w), "Paul Martin")
		test.Tap(x.doorCat.saveBtn)
		d, ok := e.Door(admin, "archive")
		if !ok || d.Name != "Archive" || !slices.Equal(d.Owners, []string{"paul.martin"}) || d.Relay != "relay3:1" ||
			d.From != "lobby" || d.To != "office" {
			t.Fatalf("door %+v, want the archive owned by Paul Martin on relay3:1 (form says %q)", d, x.doorCat.problem.Text)
		}

		x.tabs.SelectIndex(2)
		test.Tap(x.devCat.newBtn)
		test.Type(x.devID, "archive-in")
		x.devKind.SetSelected("sim")
		x.devRole.SetSelected(roleDoorReader())
		choose(t, x.devDoor, "archive")
		x.devDir.SetSelected(string(core.In))
		englishLeft(t, code, "the reader form", shownTexts(w))
		test.Tap(x.devCat.saveBtn)
		var reader, relay bool
		for _, dev := range e.Devices(admin) {
			reader = reader || dev.ID == "archive-in" && dev.Door == "archive" && dev.Direction == core.In
			relay = relay || dev.ID == "relay3" && dev.Kind == "sim"
		}
		if !reader || !relay {
			t.Fatalf("reader %v, relay %v: want both (form says %q)", reader, relay, x.devCat.problem.Text)
		}

		a := newAccessScreen(s)
		aw := showIn(t, s, a.build())
		aw.Resize(fyne.NewSize(1024, 600))
		a.tabs.SelectIndex(3)
		test.Tap(a.levelCat.newBtn)
		test.Type(a.levelID, "archivists")
		test.Type(a.levelName, "Archivists")
		if len(a.rules) == 0 {
			test.Tap(a.addRule)
		}
		addTyped(t, aw, a.rules[0].doors, "Archi", "archive")
		englishLeft(t, code, "the access level form", shownTexts(aw), "Archive")
		test.Tap(a.levelCat.saveBtn)
		levels, err := e.AccessLevels(admin)
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(levels, func(l core.AccessLevel) bool { return l.ID == "archivists" })
		if i < 0 || len(levels[i].Rules) != 1 || !slices.Equal(levels[i].Rules[0].Doors, []string{"archive"}) {
			t.Fatalf("levels %+v, want archivists opening the archive (form says %q)", levels, a.levelCat.problem.Text)
		}

		a.tabs.SelectIndex(2)
		test.Tap(a.holCat.newBtn)
		test.Tap(calendarButton(t, aw, a.holDate))
		tapDay(t, aw, "27")
		test.Type(a.holName, "Inventaire")
		englishLeft(t, code, "the holiday form", shownTexts(aw))
		test.Tap(a.holCat.saveBtn)
		hs, err := e.Holidays(admin)
		if err != nil {
			t.Fatal(err)
		}
		want := core.Date{Year: 2026, Month: time.November, Day: 27}
		if !slices.ContainsFunc(hs, func(h core.Holiday) bool { return h.Date == want && h.Name == "Inventaire" }) {
			t.Fatalf("holidays %+v, want Inventaire on 2026-11-27 (form says %q)", hs, a.holCat.problem.Text)
		}
	})
}
