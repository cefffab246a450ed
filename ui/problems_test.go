package ui

import (
	"os"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"frontdesk/assets"
	"frontdesk/core"
)

// inLanguage runs the rest of the test in the window's language code, as
// if chosen in the preferences: the screens built afterwards speak it.
// English comes back when the test ends.
func inLanguage(t *testing.T, code string) {
	t.Helper()
	t.Setenv("LANGUAGE", code)
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Setenv("LANGUAGE", "en")
		lang.AddTranslationsFS(assets.Translations, "translations")
	})
}

// beside reports whether the problem label of field sits right under w:
// beside its field, not under the form.
func beside(ps *problemSpots, field string, w fyne.CanvasObject) bool {
	s := ps.fields[field]
	return s != nil && s.cell != nil && len(s.cell.Objects) == 2 && holds(s.cell.Objects[0], w) && s.cell.Objects[1] == s.text
}

// holds reports whether o is w or a container holding w (a date field
// with its calendar button).
func holds(o, w fyne.CanvasObject) bool {
	if o == w {
		return true
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, in := range c.Objects {
			if holds(in, w) {
				return true
			}
		}
	}
	return false
}

// TestDoorFormShowsEveryProblem: a door with four mistakes shows each
// under its field, in English, French and Russian, and saves nothing;
// corrected, it saves and the problems go.
func TestDoorFormShowsEveryProblem(t *testing.T) {
	for _, tt := range []struct {
		code string
		want map[string]string
	}{
		{"en", map[string]string{
			"name":   "Name: required",
			"to":     "To zone: the same zone as the other side",
			"owners": "Owners: nobody called 'nobody'",
			"pulse":  "Pulse: 'soon' is not a duration such as 3s or 1m30s",
		}},
		{"fr", map[string]string{
			"name":   "Nom : obligatoire",
			"to":     "Zone d'arrivée : la même zone que de l'autre côté",
			"owners": "Propriétaires : personne ne s'appelle « nobody »",
			"pulse":  "Impulsion : « soon » n'est pas une durée comme 3s ou 1m30s",
		}},
		{"ru", map[string]string{
			"name":   "Имя: обязательное поле",
			"to":     "В зону: та же зона, что и с другой стороны",
			"owners": "Владельцы: нет человека «nobody»",
			"pulse":  "Импульс: «soon» — не длительность вида 3s или 1m30s",
		}},
	} {
		t.Run(tt.code, func(t *testing.T) {
			inLanguage(t, tt.code)
			test.NewTempApp(t)
			e, _ := newAdminEngine(t)
			x, _ := newDoors(t, staffSession(t, e, "admin", "", core.PermDoorsView, core.PermDoorsEdit))
			x.tabs.SelectIndex(0)
			test.Tap(x.doorCat.newBtn)
			x.doorID.SetText("side")
			x.doorFrom.setID("lobby")
			x.doorTo.setID("lobby")
			x.doorOwners.setIDs([]string{"bob"})
			test.Type(x.doorOwners.add, "nobody")
			x.doorPulse.SetText("soon")
			test.Tap(x.doorCat.saveBtn)
			// The form's own check (the pulse) comes with the engine's
			// only once it is corrected: the engine is not asked before.
			spots := x.doorForm.spots
			if got := spots.shownText("pulse"); got != tt.want["pulse"] {
				t.Errorf("pulse: got %q, want %q", got, tt.want["pulse"])
			}
			if got := spots.shownText("name"); got != tt.want["name"] {
				t.Errorf("name with the pulse: got %q, want %q", got, tt.want["name"])
			}
			x.doorPulse.SetText("")
			test.Tap(x.doorCat.saveBtn)
			for field, want := range tt.want {
				if field == "pulse" {
					want = ""
				}
				if got := spots.shownText(field); got != want {
					t.Errorf("%s: got %q, want %q", field, got, want)
				}
			}
			for field, w := range map[string]fyne.CanvasObject{"name": x.doorName, "to": x.doorTo.Select, "owners": x.doorOwners.box} {
				if !beside(spots, field, w) {
					t.Errorf("the problem of %s is not under its field", field)
				}
			}
			if x.doorCat.problem.Visible() {
				t.Errorf("problem under the form %q, want each beside its field", x.doorCat.problem.Text)
			}
			if slicesHaveDoor(e, "side") {
				t.Fatal("a door with problems was saved")
			}

			x.doorName.SetText("Side door")
			x.doorTo.setID("lab")
			x.doorOwners.add.SetText("")
			test.Tap(x.doorCat.saveBtn)
			for field := range tt.want {
				if got := spots.shownText(field); got != "" {
					t.Errorf("after saving, %s still says %q", field, got)
				}
			}
			if !slicesHaveDoor(e, "side") {
				t.Fatal("the corrected door was not saved")
			}
		})
	}
}

func slicesHaveDoor(e *core.Engine, id string) bool {
	for _, d := range e.Doors(testCLI) {
		if d.ID == id {
			return true
		}
	}
	return false
}

// TestPersonFormShowsEveryProblem: a new person with no name, a bad
// phone and a date that does not read shows the three at once, each
// under its field, in French and Russian too; nobody is added until the
// form is right.
func TestPersonFormShowsEveryProblem(t *testing.T) {
	for _, tt := range []struct {
		code string
		want map[string]string
	}{
		{"en", map[string]string{
			"name":    "Name: required",
			"phone":   "Mobile phone: '#' has no place in a phone number: use digits, spaces, . - / ( ) and a + in front",
			"started": "Started on: '24/11/2026' is not a date such as 2026-12-25",
		}},
		{"fr", map[string]string{
			"name":    "Nom : obligatoire",
			"phone":   "Téléphone mobile : « # » n'a pas sa place dans un numéro de téléphone : chiffres, espaces, . - / ( ) et un + au début",
			"started": "Arrivé le : « 24/11/2026 » n'est pas une date comme 2026-12-25",
		}},
		{"ru", map[string]string{
			"name":    "Имя: обязательное поле",
			"phone":   "Мобильный телефон: «#» не может быть в номере телефона: допустимы цифры, пробелы, . - / ( ) и + в начале",
			"started": "Начало работы: «24/11/2026» — не дата вида 2026-12-25",
		}},
	} {
		t.Run(tt.code, func(t *testing.T) {
			inLanguage(t, tt.code)
			test.NewTempApp(t)
			e, _ := newPeopleEngine(t)
			h := newPeopleHarness(t, e, staffAccount(t, e, "desk", "", receptionPerms...))
			test.Tap(h.x.newBtn)
			d := h.x.detail
			d.id.SetText("nina")
			d.phone.SetText("06 12 #4")
			d.started.SetText("24/11/2026")
			test.Tap(d.save)
			for field, want := range tt.want {
				if got := d.spots.shownText(field); got != want {
					t.Errorf("%s: got %q, want %q", field, got, want)
				}
			}
			for field, w := range map[string]fyne.CanvasObject{"name": d.name, "phone": d.phone, "started": d.started} {
				if !beside(d.spots, field, w) {
					t.Errorf("the problem of %s is not under its field", field)
				}
			}
			if _, err := e.Person(testCLI, "nina"); err == nil {
				t.Fatal("a person with problems was added")
			}

			d.name.SetText("Nina New")
			d.phone.SetText("06 12 34 56 78")
			d.started.SetText("2026-11-24")
			test.Tap(d.save)
			for field := range tt.want {
				if got := d.spots.shownText(field); got != "" {
					t.Errorf("after saving, %s still says %q", field, got)
				}
			}
			if p, err := e.Person(testCLI, "nina"); err != nil || p.Name != "Nina New" {
				t.Fatalf("got %+v (%v), want Nina New saved", p, err)
			}
		})
	}
}

// TestProblemSentences: every code the engine gives has a sentence in
// each language, with its values.
func TestProblemSentences(t *testing.T) {
	p := &core.FieldError{Code: "no_person", Args: map[string]string{"value": "Paul"}}
	if got := problemText(p); got != "nobody called 'Paul'" {
		t.Errorf("got %q", got)
	}
	p = &core.FieldError{Problem: "already worded"}
	if got := problemText(p); got != "already worded" {
		t.Errorf("a problem without a code: got %q", got)
	}
	p = &core.FieldError{Code: "no_such_code", Problem: "in English"}
	if got := problemText(p); got != "in English" {
		t.Errorf("an unknown code: got %q, want the English text", got)
	}
}
