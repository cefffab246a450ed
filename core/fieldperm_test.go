package core_test

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// fieldSite has what a person's fields name: two departments, two access
// levels (all opens the lab), two shifts; ann is an ordinary employee and
// bob a master.
const fieldSite = `{
  "site": {"name": "Fields HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true},
            {"id": "lab", "name": "Lab", "work": true}],
  "shifts": [{"id": "day", "name": "Day", "week": {"mon": ["09:00-17:00"]}},
             {"id": "night", "name": "Night", "week": {"mon": ["22:00-06:00"]}}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"},
            {"id": "lab", "name": "Lab", "from": "office", "to": "lab"}],
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["main"]}]},
                    {"id": "all", "name": "All doors", "rules": [{"doors": ["main", "lab"]}]}],
  "departments": [{"id": "sales", "name": "Sales", "access_level": "staff", "shift": "day"},
                  {"id": "rnd", "name": "Research"}],
  "people": [
    {"id": "ann", "name": "Ann", "phone": "+33 6 12 34 56 78", "department": "sales", "shift": "day",
     "cards": ["em:0100000001"]},
    {"id": "bob", "name": "Bob", "department": "rnd", "master": true, "cards": ["em:0100000002"]}]
}`

// staffEngineWith is an engine on a new database with site imported.
func staffEngineWith(t *testing.T, site string) (*core.Engine, *steppedClock) {
	t.Helper()
	c := &steppedClock{now: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}
	e, err := core.NewEngine(storagetest.MustOpen(t), c.read, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, siteFile(t, site)); err != nil {
		t.Fatal(err)
	}
	return e, c
}

// personField is one field of a person: the permission the rule gives
// it (DESIGN §2.5 and issue 12), and how to change it.
type personField struct {
	name string
	// needs is the permission changing the field needs besides
	// people.edit (people.edit itself for the ordinary fields).
	needs core.Permission
	// set gives p a value of the field other than ann's and than the
	// zero value; n makes values unique between cases (card codes).
	set func(p *core.Person, n int)
}

// personFields are every field of a person, and the cards that the site
// file and the CSV list with them.
var personFields = []personField{
	{"id", core.PermPeopleEdit, nil},
	{"name", core.PermPeopleEdit, func(p *core.Person, _ int) { p.Name = "Ann Martin-Durand" }},
	{"phone", core.PermPeopleEdit, func(p *core.Person, _ int) { p.Phone = "+33 6 99 99 99 99" }},
	{"department", core.PermPeopleEdit, func(p *core.Person, _ int) { p.Department = "rnd" }},
	{"access_levels", core.PermAccessEdit, func(p *core.Person, _ int) { p.AccessLevels = []string{"all"} }},
	{"shift", core.PermPeopleEdit, func(p *core.Person, _ int) { p.Shift = "night" }},
	{"master", core.PermAccessEdit, func(p *core.Person, _ int) { p.Master = true }},
	{"phone_checkin", core.PermPeopleEdit, func(p *core.Person, _ int) { p.PhoneCheckin = new(false) }},
	{"inactive", core.PermPeopleEdit, func(p *core.Person, _ int) { p.Inactive = true }},
	{"started", core.PermPeopleEdit, func(p *core.Person, _ int) { p.Started = core.Date{Year: 2025, Month: time.March, Day: 3} }},
	{"left", core.PermPeopleEdit, func(p *core.Person, _ int) { p.Left = core.Date{Year: 2031, Month: time.June, Day: 30} }},
	{"cards", core.PermCardsEnroll, nil}, // a new card, see newCard
}

// newCard is the card the "cards" cases give.
func newCard(n int) string { return fmt.Sprintf("em:0B%08X", n) }

// TestEveryPersonFieldHasARule: a field added to Person gets a case in
// personFields, hence a decision on the permission it needs.
func TestEveryPersonFieldHasARule(t *testing.T) {
	typ := reflect.TypeFor[core.Person]()
	for i := range typ.NumField() {
		name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
		if !slices.ContainsFunc(personFields, func(f personField) bool { return f.name == name }) {
			t.Errorf("person field %q has no case in personFields: decide what changing it needs (core's fieldPermissions) and add one", name)
		}
	}
	for _, f := range personFields {
		if got := core.FieldPermission(core.KindPerson, f.name); got != f.needs {
			t.Errorf("FieldPermission(%s) = %s, want %s", f.name, got, f.needs)
		}
	}
}

// personPath is one way to change a person.
type personPath struct {
	name string
	// apply stores p as a: existing says whether p is stored already;
	// card, when not "", is a card to give p.
	apply func(t *testing.T, e *core.Engine, a core.Actor, p core.Person, existing bool, card string) error
}

var personPaths = []personPath{
	{"screen", func(t *testing.T, e *core.Engine, a core.Actor, p core.Person, existing bool, card string) error {
		if card != "" {
			// Cards are not the person editor's: enrolment gives them.
			_, err := e.EnrollCard(a, p.ID, card)
			return err
		}
		var err error
		if existing {
			_, err = e.PutPerson(a, p)
		} else {
			_, err = e.AddPerson(a, p)
		}
		return err
	}},
	{"site file", func(t *testing.T, e *core.Engine, a core.Actor, p core.Person, existing bool, card string) error {
		pf := core.PersonFile{ID: p.ID, Name: p.Name, Phone: p.Phone, Department: p.Department,
			AccessLevels: p.AccessLevels, Shift: p.Shift, Master: p.Master, PhoneCheckin: p.PhoneCheckin,
			Started: p.Started, Left: p.Left}
		if p.Inactive {
			pf.Active = new(false)
		}
		if card != "" && existing {
			cards, err := e.CardsOf(cli, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range cards {
				pf.Cards = append(pf.Cards, core.CardFile{Code: c.Code})
			}
		}
		if card != "" {
			pf.Cards = append(pf.Cards, core.CardFile{Code: card})
		}
		return e.Import(a, &core.SiteFile{People: []core.PersonFile{pf}})
	}},
	{"csv", func(t *testing.T, e *core.Engine, a core.Actor, p core.Person, existing bool, card string) error {
		yes := func(b bool) string { return map[bool]string{true: "yes", false: "no"}[b] }
		checkin := ""
		if p.PhoneCheckin != nil {
			checkin = yes(*p.PhoneCheckin)
		}
		date := func(d core.Date) string {
			if d == (core.Date{}) {
				return ""
			}
			return d.String()
		}
		text := fmt.Sprintf("id;name;phone;department;access_levels;shift;active;phone_checkin;master;started;left;cards\n%s;%s;%s;%s;%s;%s;%s;%s;%s;%s;%s;%s\n",
			p.ID, p.Name, p.Phone, p.Department, strings.Join(p.AccessLevels, "|"), p.Shift,
			yes(!p.Inactive), checkin, yes(p.Master), date(p.Started), date(p.Left), card)
		_, err := e.ImportPeople(a, readCSV(t, text), false)
		return err
	}},
}

// fieldRoles are the built-in roles, and roles that split people.edit
// from the permissions some fields need.
var fieldRoles = []core.Role{
	{ID: "people-only", Name: "People only", Permissions: []core.Permission{core.PermPeopleView, core.PermPeopleEdit}},
	{ID: "hr", Name: "HR", Permissions: []core.Permission{core.PermPeopleView, core.PermPeopleEdit, core.PermAccessEdit}},
}

// TestPersonFieldPermissionsOnEveryPath: for every field of a person,
// changed on a stored person and set on a new one, through the person
// editor, the site file and the people CSV, by every built-in role and
// two more: the change is allowed exactly when the role holds people.edit
// and what the field needs, and a refusal changes nothing.
func TestPersonFieldPermissionsOnEveryPath(t *testing.T) {
	e, _ := staffEngineWith(t, fieldSite)
	roles := append(core.BuiltinRoles(), fieldRoles...)
	actors := map[string]core.Actor{}
	for _, r := range roles {
		if _, err := e.PutRole(cli, r); err != nil {
			t.Fatal(err)
		}
		if _, err := e.AddAccount(cli, core.AccountInfo{Username: "u-" + r.ID, Roles: []string{r.ID}}, goodPassword); err != nil {
			t.Fatal(err)
		}
		a, err := e.Login("u-"+r.ID, goodPassword)
		if err != nil {
			t.Fatal(err)
		}
		actors[r.ID] = a
	}
	ann, err := e.Person(cli, "ann")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	checked := 0
	for _, f := range personFields {
		for _, existing := range []bool{true, false} {
			if existing && f.name == "id" {
				continue // a new id is a new person
			}
			for _, path := range personPaths {
				for _, r := range roles {
					n++
					name := fmt.Sprintf("%s/new=%v/%s/%s", f.name, !existing, path.name, r.ID)
					p := ann
					if !existing {
						p = core.Person{ID: fmt.Sprintf("zoe%d", n), Name: "Zoe"}
					}
					card := ""
					if f.name == "cards" {
						card = newCard(n)
					} else if f.set != nil {
						f.set(&p, n)
					}
					// Ann as she was: the previous case may have changed her.
					if _, err := e.PutPerson(cli, ann); err != nil {
						t.Fatal(err)
					}
					if card != "" && !existing && path.name == "screen" {
						// Enrolment gives cards to people stored already.
						if _, err := e.AddPerson(cli, p); err != nil {
							t.Fatal(err)
						}
					}
					before := siteState(t, e)
					err := path.apply(t, e, actors[r.ID], p, existing, card)
					want := slices.Contains(r.Permissions, core.PermPeopleEdit) && slices.Contains(r.Permissions, f.needs)
					checked++
					switch {
					case want && err != nil:
						t.Errorf("%s: %v, want allowed", name, err)
					case !want && !errors.Is(err, core.ErrForbidden):
						t.Errorf("%s: %v, want forbidden", name, err)
					case !want && siteState(t, e) != before:
						t.Errorf("%s: refused, but the site changed", name)
					}
				}
			}
		}
	}
	t.Logf("%d cases: field × stored or new × path × role", checked)
}

// TestReimportUnchangedNeedsNoMore: a receptionist imports back an
// exported site whose people include a master and people with their own
// access levels, through the site file and the CSV: what did not change
// needs nothing. Taking master away is a change like giving it.
func TestReimportUnchangedNeedsNoMore(t *testing.T) {
	e, _ := staffEngineWith(t, fieldSite)
	if err := e.Import(cli, siteFile(t, `{"people": [{"id": "cy", "name": "Cy", "access_levels": ["all"]}]}`)); err != nil {
		t.Fatal(err)
	}
	desk := staffAccount(t, e, "desk", "", core.PermPeopleView, core.PermPeopleEdit, core.PermCardsEnroll)
	f, err := e.Export(cli)
	if err != nil {
		t.Fatal(err)
	}
	people := &core.SiteFile{People: f.People}
	if err := e.Import(desk, people); err != nil {
		t.Errorf("the desk imports the people back unchanged: %v", err)
	}
	// The same with the phone of one changed: people.edit is enough.
	people.People[0].Phone = "+33 6 00 00 00 01"
	if err := e.Import(desk, people); err != nil {
		t.Errorf("the desk changes a phone in the export: %v", err)
	}
	csv := "id;name;master;access_levels\nbob;Bob;yes;\ncy;Cy;no;all\n"
	if _, err := e.ImportPeople(desk, readCSV(t, csv), false); err != nil {
		t.Errorf("the desk imports a CSV that changes nothing: %v", err)
	}
	before := siteState(t, e)
	_, err = e.ImportPeople(desk, readCSV(t, "id;name;master\nbob;Bob;no\n"), false)
	var ce *core.CSVError
	if !errors.Is(err, core.ErrForbidden) || !errors.As(err, &ce) || ce.Line != 2 || ce.Column != "master" {
		t.Errorf("the desk takes master away by CSV: %v, want forbidden at line 2, column master", err)
	}
	bobFile := slices.IndexFunc(f.People, func(p core.PersonFile) bool { return p.ID == "bob" })
	people.People[bobFile].Master = false
	err = e.Import(desk, people)
	var se *core.SiteFileError
	if !errors.Is(err, core.ErrForbidden) || !errors.As(err, &se) || se.Path != fmt.Sprintf("people[%d].master", bobFile) {
		t.Errorf("the desk takes master away by site file: %v, want forbidden at people[%d].master", err, bobFile)
	}
	if siteState(t, e) != before {
		t.Error("a refused import changed the site")
	}
}

// TestImportChecksEverySection: every kind of object a site file holds
// needs its permission when the file changes it, and nothing when it
// does not; a refusal names the path.
func TestImportChecksEverySection(t *testing.T) {
	e, _ := staffEngineWith(t, fieldSite)
	tests := []struct {
		file  string
		needs core.Permission
		path  string
	}{
		{`{"site": {"name": "Renamed"}}`, core.PermSettingsEdit, "site"},
		{`{"zones": [{"id": "yard", "name": "Yard"}]}`, core.PermDoorsEdit, "zones[0]"},
		{`{"doors": [{"id": "main", "name": "Front", "from": "outside", "to": "office"}]}`, core.PermDoorsEdit, "doors[0]"},
		{`{"devices": [{"id": "r", "kind": "sim", "door": "main", "direction": "in"}]}`, core.PermDoorsEdit, "devices[0]"},
		{`{"schedules": [{"id": "s", "name": "S"}]}`, core.PermAccessEdit, "schedules[0]"},
		{`{"holidays": [{"date": "2026-12-25", "name": "Christmas"}]}`, core.PermAccessEdit, "holidays[0]"},
		{`{"shifts": [{"id": "day", "name": "Day shift", "week": {"mon": ["09:00-17:00"]}}]}`, core.PermAccessEdit, "shifts[0]"},
		{`{"access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["main", "lab"]}]}]}`, core.PermAccessEdit, "access_levels[0]"},
		{`{"departments": [{"id": "rnd", "name": "Research", "access_level": "all"}]}`, core.PermAccessEdit, "departments[0].access_level"},
		{`{"people": [{"id": "ann", "name": "Ann", "phone": "+33 6 12 34 56 78", "department": "sales", "shift": "day", "cards": []}]}`, core.PermCardsEnroll, "people[0].cards"},
		{`{"grants": [{"person": "ann", "door": "lab", "kind": "permanent"}]}`, core.PermGrantsEditAny, "grants[0]"},
		{`{"roles": [{"id": "watch", "name": "Watch", "permissions": []}]}`, core.PermRolesEdit, "roles[0]"},
		{`{"accounts": [{"username": "new", "roles": ["guard"], "password": "a long password"}]}`, core.PermAccountsEdit, "accounts[0]"},
	}
	// The role the accounts case gives.
	if _, err := e.PutRole(cli, core.Role{ID: "guard", Name: "Guard", Permissions: []core.Permission{}}); err != nil {
		t.Fatal(err)
	}
	// none may change people, to show the department's level needs more.
	none := staffAccount(t, e, "none", "", core.PermPeopleView, core.PermPeopleEdit)
	for i, tt := range tests {
		t.Run(string(tt.needs)+" "+tt.path, func(t *testing.T) {
			f := siteFile(t, tt.file)
			before := siteState(t, e)
			err := e.Import(none, f)
			var se *core.SiteFileError
			// A grant's refusal names grants.edit.own, the least that may do it.
			names := strings.TrimSuffix(string(tt.needs), ".any")
			if !errors.Is(err, core.ErrForbidden) || !errors.As(err, &se) || se.Path != tt.path || !strings.Contains(err.Error(), names) {
				t.Fatalf("without %s: %v, want forbidden at %s naming %s", tt.needs, err, tt.path, names)
			}
			if siteState(t, e) != before {
				t.Fatal("a refused import changed the site")
			}
			user := staffAccount(t, e, fmt.Sprintf("with-%d", i), "", core.PermPeopleEdit, tt.needs)
			if err := e.Import(user, f); err != nil {
				t.Fatalf("with %s: %v", tt.needs, err)
			}
			// Now stored as the file says: importing it again is no change.
			if err := e.Import(none, f); err != nil {
				t.Errorf("the same file again, without %s: %v, want allowed (no change)", tt.needs, err)
			}
		})
	}
}
