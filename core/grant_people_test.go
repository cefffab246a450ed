package core_test

import (
	"errors"
	"slices"
	"testing"

	"frontdesk/core"
)

// grantPeopleSite has two Pauls, accents, a phone and a card.
const grantPeopleSite = `{
  "site": {"name": "Grant HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office", "owners": ["bob"]}],
  "departments": [{"id": "acc", "name": "Accounting"}],
  "people": [
    {"id": "bob", "name": "Bob", "started": "2026-01-01"},
    {"id": "paul.m", "name": "Paul Martin", "department": "acc", "phone": "+33 6 12 34 56 78"},
    {"id": "paul.d", "name": "Paul Durand", "cards": ["em:0100000077"]},
    {"id": "elo", "name": "Élodie Rémy"}]
}`

// TestGrantablePeople: a door owner without people.view finds people by
// name or id, accents and case ignored, and only by those: ids and names,
// nothing else about them.
func TestGrantablePeople(t *testing.T) {
	e, _ := staffEngineWith(t, grantPeopleSite)
	boss := staffAccount(t, e, "claire", "bob", core.PermGrantsEditOwn)
	tests := []struct {
		text  string
		limit int
		want  []string
		total int
	}{
		{"", 0, []string{"bob", "elo", "paul.d", "paul.m"}, 4},
		{"paul", 0, []string{"paul.d", "paul.m"}, 2},
		{"PAUL mar", 0, []string{"paul.m"}, 1},
		{"paul", 1, []string{"paul.d"}, 2},
		{"elodie remy", 0, []string{"elo"}, 1},
		{"paul.d", 0, []string{"paul.d"}, 1},
		{"0612345678", 0, nil, 0}, // a phone finds nobody
		{"0100000077", 0, nil, 0}, // nor a card
		{"acc", 0, nil, 0},        // nor a department
		{"nobody", 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, total, err := e.GrantablePeople(boss, tt.text, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range got {
				ids = append(ids, p.ID)
				if p.Department != "" || p.Name == "" {
					t.Errorf("got %+v, want an id and a name only", p)
				}
			}
			if !slices.Equal(ids, tt.want) || total != tt.total {
				t.Errorf("got %v (%d in all), want %v (%d)", ids, total, tt.want, tt.total)
			}
		})
	}
}

func TestGrantablePeoplePermissions(t *testing.T) {
	e, _ := staffEngineWith(t, grantPeopleSite)
	for _, tt := range []struct {
		name  string
		perms []core.Permission
		ok    bool
	}{
		{"owner", []core.Permission{core.PermGrantsEditOwn}, true},
		{"granter", []core.Permission{core.PermGrantsEditAny}, true},
		{"viewer", []core.Permission{core.PermPeopleView, core.PermAttendanceView}, false},
		{"doorman", []core.Permission{core.PermDoorsView, core.PermDoorsOpen}, false},
		{"door-editor", []core.Permission{core.PermDoorsView, core.PermDoorsEdit}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := staffAccount(t, e, tt.name, "bob", tt.perms...)
			_, _, err := e.GrantablePeople(a, "paul", 0)
			if got := !errors.Is(err, core.ErrForbidden); got != tt.ok || (tt.ok && err != nil) {
				t.Errorf("err %v, want allowed %v", err, tt.ok)
			}
		})
	}
}

func TestFoldText(t *testing.T) {
	for in, want := range map[string]string{"Élodie": "elodie", "MÜLLER": "muller", "Анна": "анна", "ann": "ann"} {
		if got := core.FoldText(in); got != want {
			t.Errorf("FoldText(%q): got %q, want %q", in, got, want)
		}
	}
}
