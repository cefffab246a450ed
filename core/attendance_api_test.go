package core_test

import (
	"errors"
	"slices"
	"testing"

	"frontdesk/core"
)

// attendancePeopleSite adds accents, an inactive person and a second
// department to staffSite's kind of site.
const attendancePeopleSite = `{
  "site": {"name": "People HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "departments": [{"id": "staff", "name": "Staff"}, {"id": "acc", "name": "Accounting"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "department": "staff"},
    {"id": "elo", "name": "Élodie Durand", "department": "acc"},
    {"id": "eric", "name": "Eric Blanc", "department": "acc", "active": false},
    {"id": "bob", "name": "Bob Stone"}]
}`

func TestAttendancePeople(t *testing.T) {
	e, _ := staffEngine(t)
	if err := e.Import(cli, siteFile(t, attendancePeopleSite)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text  string
		limit int
		want  []string
		total int
	}{
		{"", 0, []string{"ann", "bob", "elo", "eric"}, 4},
		{"", 2, []string{"ann", "bob"}, 4},
		{"éLO", 0, []string{"elo"}, 1},
		{"  eric ", 0, []string{"eric"}, 1},
		{"an", 0, []string{"ann", "elo", "eric"}, 3}, // Ann Martin, Élodie Durand, Eric Blanc
		{"nobody", 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			got, total, err := e.AttendancePeople(cli, tt.text, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, p := range got {
				ids = append(ids, p.ID)
			}
			if !slices.Equal(ids, tt.want) || total != tt.total {
				t.Errorf("got %v (%d in all), want %v (%d)", ids, total, tt.want, tt.total)
			}
		})
	}
	got, _, err := e.AttendancePeople(cli, "eric", 0)
	if err != nil || len(got) != 1 || !got[0].Inactive || got[0].Department != "acc" || got[0].Name != "Eric Blanc" {
		t.Errorf("got %+v, %v, want Eric, inactive, in acc", got, err)
	}
}

func TestAttendanceNamesAndDepartments(t *testing.T) {
	e, _ := staffEngine(t)
	if err := e.Import(cli, siteFile(t, attendancePeopleSite)); err != nil {
		t.Fatal(err)
	}
	names, err := e.AttendanceNames(cli, []string{"elo", "ghost", "ann", "elo", ""})
	if err != nil {
		t.Fatal(err)
	}
	if len(names) != 2 || names["elo"] != "Élodie Durand" || names["ann"] != "Ann Martin" {
		t.Errorf("got %v, want Élodie and Ann only", names)
	}
	deps, err := e.AttendanceDepartments(cli)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range deps {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, []string{"acc", "staff"}) {
		t.Errorf("departments %v, want acc (Accounting), staff", ids)
	}
}

func TestAttendancePeoplePermissions(t *testing.T) {
	e, _ := staffEngine(t)
	for _, tt := range []struct {
		name  string
		perms []core.Permission
		ok    bool
	}{
		{"viewer", []core.Permission{core.PermAttendanceView}, true},
		{"justifier", []core.Permission{core.PermJustifEdit}, true},
		{"reader", []core.Permission{core.PermJustifView}, true},
		{"doorman", []core.Permission{core.PermDoorsView, core.PermPeopleEdit}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := staffAccount(t, e, tt.name, "", tt.perms...)
			_, _, err1 := e.AttendancePeople(a, "", 0)
			_, err2 := e.AttendanceNames(a, []string{"ann"})
			_, err3 := e.AttendanceDepartments(a)
			for i, err := range []error{err1, err2, err3} {
				if got := !errors.Is(err, core.ErrForbidden); got != tt.ok || (tt.ok && err != nil) {
					t.Errorf("call %d: err %v, want allowed %v", i+1, err, tt.ok)
				}
			}
		})
	}
}
