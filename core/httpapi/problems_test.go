package httpapi

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

// problemCases are forms with several mistakes each, and every problem
// (field and code) the engine must report for them at once.
var problemCases = []struct {
	name string
	do   func(api core.API, a core.Actor) error
	want []string // "field code", in order
	is   error
}{
	{"person", func(api core.API, a core.Actor) error {
		_, err := api.PutPerson(a, core.Person{ID: "x y", Phone: "06 AB 12", Department: "nope",
			AccessLevels: []string{"lab", "lab"}, Shift: "nope"})
		return err
	}, []string{"id bad_id", "name required", "phone phone_char", "access_levels[1] duplicate",
		"department no_department", "shift no_shift"}, core.ErrInvalid},
	{"department", func(api core.API, a core.Actor) error {
		_, err := api.PutDepartment(a, core.Department{ID: "new", Name: "Bad\x1bname", AccessLevel: "nope", Shift: "nope"})
		return err
	}, []string{"name control_char", "access_level no_access_level", "shift no_shift"}, core.ErrNotFound},
	{"door", func(api core.API, a core.Actor) error {
		return api.Import(a, &core.SiteFile{Doors: []core.Door{{ID: "side", From: "outside", To: "outside",
			Owners: []string{"bob", "nobody"}, Relay: "x", Mode: "open"}}})
	}, []string{"doors[0].name required", "doors[0].to same_zone", "doors[0].owners[1] no_person",
		"doors[0].relay bad_relay", "doors[0].mode bad_choice"}, core.ErrInvalid},
	{"relay", func(api core.API, a core.Actor) error {
		return api.Import(a, &core.SiteFile{Doors: []core.Door{{ID: "side", Name: "Side", From: "outside", To: "office",
			Relay: "desk:1"}}})
	}, []string{"doors[0].relay not_relay"}, core.ErrInvalid},
	{"site", func(api core.API, a core.Actor) error {
		tz, prefix, desk := "Mars/Base", "33", "nowhere"
		return api.Import(a, &core.SiteFile{Site: &core.SiteSettings{Timezone: &tz, PhonePrefix: &prefix, DeskZone: &desk}})
	}, []string{"site.timezone bad_timezone", "site.phone_prefix bad_phone_prefix", "site.desk_zone no_zone"}, core.ErrInvalid},
	{"zones", func(api core.API, a core.Actor) error {
		return api.Import(a, &core.SiteFile{Zones: []core.Zone{{ID: "hall", Name: strings.Repeat("h", 201)}, {ID: "hall", Name: "Hall"}}})
	}, []string{"zones[0].name too_long", "zones[1].id duplicate"}, core.ErrInvalid},
	{"access level", func(api core.API, a core.Actor) error {
		return api.Import(a, &core.SiteFile{AccessLevels: []core.AccessLevel{{ID: "night", Name: "Night",
			Rules: []core.Rule{{Doors: []string{"main", "back"}, Schedule: "never"}, {}}}}})
	}, []string{"access_levels[0].rules[0].doors[1] no_door", "access_levels[0].rules[0].schedule no_schedule",
		"access_levels[0].rules[1].doors required"}, core.ErrInvalid},
	{"grant", func(api core.API, a core.Actor) error {
		_, err := api.AddGrant(a, core.Grant{Person: "nobody", Door: "main", Kind: core.GrantOnce})
		return err
	}, []string{"person no_person", "uses once_uses"}, core.ErrNotFound},
	{"attendance record", func(api core.API, a core.Actor) error {
		_, err := api.AddAttendance(a, core.AttendanceRecord{State: "early"})
		return err
	}, []string{"person required", "from required", "until required", "state bad_choice"}, core.ErrInvalid},
	{"justification", func(api core.API, a core.Actor) error {
		from := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
		_, err := api.AddJustification(a, core.Justification{From: from, Until: from.Add(-time.Hour), Reason: "ill\u202e"})
		return err
	}, []string{"person required", "until not_after", "reason direction_control"}, core.ErrInvalid},
	{"role", func(api core.API, a core.Actor) error {
		_, err := api.PutRole(a, core.Role{ID: "night guard", Permissions: []core.Permission{"doors.view", "door.fly"}})
		return err
	}, []string{"id bad_id", "name required", "permissions[1] bad_choice"}, core.ErrInvalid},
	{"account", func(api core.API, a core.Actor) error {
		_, err := api.AddAccount(a, core.AccountInfo{}, "short")
		return err
	}, []string{"username required", "password password_short", "roles required"}, core.ErrInvalid},
	{"site file account", func(api core.API, a core.Actor) error {
		return api.Import(a, &core.SiteFile{Accounts: []core.AccountFile{{Username: "zed", Roles: []string{"boss", "nope"}}}})
	}, []string{"accounts[0].roles[1] no_role", "accounts[0].password required"}, core.ErrInvalid},
}

// TestEveryProblemAtOnce checks that each form's mistakes come back all
// at once with their fields and codes, from the engine and through the
// service alike, and that nothing is saved.
func TestEveryProblemAtOnce(t *testing.T) {
	e := newPeopleEngine(t)
	client := dialPeople(t, servePeople(t, e).owner)
	for _, tt := range problemCases {
		for _, via := range []struct {
			name string
			api  core.API
			a    core.Actor
		}{{"engine", e, core.CommandLine("test")}, {"service", client, peopleCommandLine(t)}} {
			t.Run(tt.name+"/"+via.name, func(t *testing.T) {
				before, err := e.Export(core.CommandLine("test"))
				if err != nil {
					t.Fatal(err)
				}
				err = tt.do(via.api, via.a)
				if err == nil {
					t.Fatal("got no error")
				}
				if !errors.Is(err, tt.is) {
					t.Errorf("got %v, want it to be %v", err, tt.is)
				}
				var got []string
				for _, p := range core.ProblemsOf(err) {
					got = append(got, p.Field+" "+p.Code)
					if p.Problem == "" || !strings.Contains(err.Error(), p.Problem) {
						t.Errorf("problem %q of %s is not in the error's text %q", p.Problem, p.Field, err)
					}
				}
				if !slices.Equal(got, tt.want) {
					t.Errorf("got %q, want %q", got, tt.want)
				}
				var ps core.Problems
				if len(tt.want) > 1 && !errors.As(err, &ps) {
					t.Errorf("got %T, want core.Problems inside", err)
				}
				after, err := e.Export(core.CommandLine("test"))
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(siteJSON(t, before), siteJSON(t, after)) {
					t.Error("the site changed")
				}
			})
		}
	}
}

// siteJSON is f as its file.
func siteJSON(t *testing.T, f *core.SiteFile) []byte {
	t.Helper()
	var b strings.Builder
	if err := core.WriteSiteFile(&b, f); err != nil {
		t.Fatal(err)
	}
	return []byte(b.String())
}

// TestProblemsKeepTheirKind checks that a problem's own sentinel crosses
// the wire: a reference to nothing is ErrNotFound, a bad value
// ErrInvalid, in one answer.
func TestProblemsKeepTheirKind(t *testing.T) {
	e := newPeopleEngine(t)
	client := dialPeople(t, servePeople(t, e).owner)
	_, err := client.PutDepartment(peopleCommandLine(t), core.Department{ID: "new", Name: "New", Shift: "nope"})
	ps := core.ProblemsOf(err)
	if len(ps) != 1 || !errors.Is(ps[0], core.ErrNotFound) || ps[0].Args["value"] != "nope" {
		t.Fatalf("got %v (%#v), want one not-found problem with value nope", err, ps)
	}
	_, err = client.PutPerson(peopleCommandLine(t), core.Person{ID: "new", Name: "New", Phone: "12"})
	ps = core.ProblemsOf(err)
	if len(ps) != 1 || errors.Is(ps[0], core.ErrNotFound) || !errors.Is(ps[0], core.ErrInvalid) ||
		ps[0].Code != "phone_short" || ps[0].Args["digits"] != "2" || ps[0].Args["min"] != "6" {
		t.Fatalf("got %v (%#v), want one invalid phone_short problem", err, ps)
	}
}

// TestPhrasesThroughTheService: an error of the engine made of a
// sentence (a door without relay to open, a door mode it does not know,
// a self-view refused)
// comes back from the service as the engine made it: the same text, its
// sentinel, and its core.PhraseError with format and values, which the
// command line words in its language.
func TestPhrasesThroughTheService(t *testing.T) {
	e := newPeopleEngine(t)
	client := dialPeople(t, servePeople(t, e).owner)
	a := peopleCommandLine(t)
	for _, tt := range []struct {
		name string
		do   func(api core.API) error
		want *core.PhraseError
	}{
		{"no relay", func(api core.API) error { _, err := api.OpenDoor(a, "main"); return err },
			&core.PhraseError{Err: core.ErrInvalid, Format: "door %s has no relay to open", Args: []string{"Main entrance"}}},
		{"bad mode", func(api core.API) error { _, err := api.SetDoorMode(a, "main", "ajar"); return err },
			&core.PhraseError{Err: core.ErrInvalid, Format: "door mode %q: want normal, unlocked or lockdown", Args: []string{"ajar"}}},
		{"refused", func(api core.API) error { _, err := api.SelfView(a, core.Event{Result: core.Granted}); return err },
			&core.PhraseError{Err: core.ErrForbidden, Format: "no self-view: not a desk check-in or check-out"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.do(e)
			var p *core.PhraseError
			if !errors.As(want, &p) || !reflect.DeepEqual(p, tt.want) {
				t.Fatalf("engine: got %v (%#v), want %#v", want, p, tt.want)
			}
			peopleSameError(t, tt.do(client), want)
		})
	}
}
