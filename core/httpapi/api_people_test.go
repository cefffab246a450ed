package httpapi

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
)

// peopleAPI is the part of core.API that routes_people.go,
// routes_access.go and routes_staff.go serve, with Site to see the site
// settings an import changes: the engine and the client both implement it.
type peopleAPI interface {
	Site() core.Site

	People(a core.Actor, q core.PeopleQuery) ([]core.Person, int, error)
	Person(a core.Actor, id string) (core.Person, error)
	PeopleChoices(a core.Actor) (core.PeopleChoices, error)
	AddPerson(a core.Actor, p core.Person) (core.Person, error)
	PutPerson(a core.Actor, p core.Person) (core.Person, error)
	DeletePerson(a core.Actor, id string) (core.Person, error)
	CardsOf(a core.Actor, person string) ([]core.Card, error)
	CardHolder(a core.Actor, code string) (core.Card, core.Person, error)
	EnrollCard(a core.Actor, person, code string) (core.Card, error)
	ReplaceCard(a core.Actor, oldCode, newCode string) (core.Card, error)
	SetCardState(a core.Actor, code string, state core.CardState) (core.Card, error)
	UsableCards(a core.Actor, limit int) ([]string, error)
	AmbiguousCards(a core.Actor) ([]core.CardPair, error)
	Departments(a core.Actor) ([]core.Department, error)
	PutDepartment(a core.Actor, d core.Department) (core.Department, error)
	DeleteDepartment(a core.Actor, id string) error
	ImportPeople(a core.Actor, f *core.PeopleCSV, dryRun bool) (core.PeopleImport, error)

	AccessLevels(a core.Actor) ([]core.AccessLevel, error)
	Schedules(a core.Actor) ([]core.Schedule, error)
	Shifts(a core.Actor) ([]core.Shift, error)
	Holidays(a core.Actor) ([]core.Holiday, error)
	Grants(a core.Actor, q core.GrantQuery) ([]core.Grant, error)
	AddGrant(a core.Actor, g core.Grant) (core.Grant, error)
	RevokeGrant(a core.Actor, id string) (core.Grant, error)

	Import(a core.Actor, f *core.SiteFile) error
	PutObject(a core.Actor, f *core.SiteFile) error
	Export(a core.Actor) (*core.SiteFile, error)
	Count(a core.Actor, kind core.Kind) (int, error)
	DeleteObject(a core.Actor, kind core.Kind, id string) error

	Accounts(a core.Actor) ([]core.AccountInfo, error)
	AddAccount(a core.Actor, acc core.AccountInfo, password string) (core.AccountInfo, error)
	SetAccountRoles(a core.Actor, username string, roles []string) (core.AccountInfo, error)
	SetAccountEnabled(a core.Actor, username string, enabled bool) (core.AccountInfo, error)
	SetPassword(a core.Actor, username, password string) error
	Roles(a core.Actor) ([]core.Role, error)
	PutRole(a core.Actor, r core.Role) (core.Role, error)
	DeleteRole(a core.Actor, id string) error
}

var (
	_ peopleAPI = (*core.Engine)(nil)
	_ peopleAPI = (*Client)(nil)
)

// apiStep is one call of the property test; its name starts with the
// method's.
type apiStep struct {
	name string
	do   func(api peopleAPI, a core.Actor) (any, error)
}

// results gathers the values of a call that returns several.
type results []any

func mustCSV(t *testing.T, s string) *core.PeopleCSV {
	t.Helper()
	f, err := core.ReadPeopleCSV(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func mustSiteFile(t *testing.T, s string) *core.SiteFile {
	t.Helper()
	f, err := core.ReadSiteFile(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// peopleSteps are calls of every method of peopleAPI, in an order that
// makes sense for a command-line caller and for the receptionist rita
// (who is refused some): finds, changes that succeed and changes refused
// for each reason, ending with rita's new password.
func peopleSteps(t *testing.T) []apiStep {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	people := func(q core.PeopleQuery) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) {
			p, n, err := api.People(a, q)
			return results{p, n}, err
		}
	}
	person := func(id string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.Person(a, id) }
	}
	holder := func(code string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) {
			c, p, err := api.CardHolder(a, code)
			return results{c, p}, err
		}
	}
	cardsOf := func(id string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.CardsOf(a, id) }
	}
	addPerson := func(p core.Person) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.AddPerson(a, p) }
	}
	putPerson := func(p core.Person) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.PutPerson(a, p) }
	}
	enroll := func(person, code string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.EnrollCard(a, person, code) }
	}
	cardState := func(code string, s core.CardState) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.SetCardState(a, code, s) }
	}
	usable := func(n int) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.UsableCards(a, n) }
	}
	putDept := func(d core.Department) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.PutDepartment(a, d) }
	}
	deleteDept := func(id string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return nil, api.DeleteDepartment(a, id) }
	}
	importPeople := func(csv string, dry bool) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) {
			var f *core.PeopleCSV
			if csv != "" {
				f = mustCSV(t, csv)
			}
			return api.ImportPeople(a, f, dry)
		}
	}
	grants := func(q core.GrantQuery) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.Grants(a, q) }
	}
	addGrant := func(g core.Grant) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.AddGrant(a, g) }
	}
	revoke := func(id string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.RevokeGrant(a, id) }
	}
	importSite := func(file string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) {
			var f *core.SiteFile
			if file != "" {
				f = mustSiteFile(t, file)
			}
			return nil, api.Import(a, f)
		}
	}
	putObject := func(file string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) {
			var f *core.SiteFile
			if file != "" {
				f = mustSiteFile(t, file)
			}
			return nil, api.PutObject(a, f)
		}
	}
	count := func(k core.Kind) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.Count(a, k) }
	}
	deleteObject := func(k core.Kind, id string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return nil, api.DeleteObject(a, k, id) }
	}
	addAccount := func(acc core.AccountInfo, pw string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.AddAccount(a, acc, pw) }
	}
	setPassword := func(user, pw string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return nil, api.SetPassword(a, user, pw) }
	}
	putRole := func(r core.Role) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.PutRole(a, r) }
	}
	deleteRole := func(id string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return nil, api.DeleteRole(a, id) }
	}
	deletePerson := func(id string) func(peopleAPI, core.Actor) (any, error) {
		return func(api peopleAPI, a core.Actor) (any, error) { return api.DeletePerson(a, id) }
	}
	list := func(fn func(peopleAPI, core.Actor) (any, error)) func(peopleAPI, core.Actor) (any, error) { return fn }
	date := func(y, m, d int) core.Date { return core.Date{Year: y, Month: time.Month(m), Day: d} }

	return []apiStep{
		{"People all", people(core.PeopleQuery{})},
		{"People text without accents", people(core.PeopleQuery{Text: "elodie"})},
		{"People department and limit", people(core.PeopleQuery{Department: "staff", Limit: 2})},
		{"People by a read of two people's cards", people(core.PeopleQuery{Text: "dec:0004340757"})},
		{"People by phone", people(core.PeopleQuery{Text: "06 12 34"})},
		{"People negative limit", people(core.PeopleQuery{Limit: -1})},
		{"People text not UTF-8", people(core.PeopleQuery{Text: "ann\xff"})},
		{"Person ann", person("ann")},
		{"Person ..", person("..")},
		{"Person named like a route", person("import-csv")},
		{"Person with a slash", person("a/b")},
		{"Person nobody", person("nobody")},
		{"Person not UTF-8", person("\xff")},
		{"PeopleChoices", list(func(api peopleAPI, a core.Actor) (any, error) { return api.PeopleChoices(a) })},
		{"Departments", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Departments(a) })},
		{"CardsOf ann", cardsOf("ann")},
		{"CardsOf ..", cardsOf("..")},
		{"CardsOf nobody", cardsOf("nobody")},
		{"CardHolder em", holder("em:0102B0A5FD")},
		{"CardHolder uid with spaces", holder("uid:04 A2 2B 1A")},
		{"CardHolder read of two people's cards", holder("dec:0004340757")},
		{"CardHolder unknown", holder("em:0F0F0F0F0F")},
		{"CardHolder malformed", holder("em:xyz")},
		{"AddPerson", addPerson(core.Person{ID: "zoe", Name: "Zoé Zed", Phone: "06 11 22 33 44", Department: "staff"})},
		{"AddPerson id taken", addPerson(core.Person{ID: "ann", Name: "Another Ann"})},
		{"AddPerson master", addPerson(core.Person{ID: "mia", Name: "Mia Master", Master: true})},
		{"AddPerson bad id", addPerson(core.Person{ID: "bad id!", Name: "Bad"})},
		{"AddPerson name not UTF-8", addPerson(core.Person{ID: "utf", Name: "Ann\xff"})},
		{"AddPerson unknown department", addPerson(core.Person{ID: "una", Name: "Una", Department: "nowhere"})},
		{"PutPerson", putPerson(core.Person{ID: "zoe", Name: "Zoé Zed", Phone: "+33 6 11 22 33 44", Department: "staff",
			AccessLevels: []string{}, PhoneCheckin: new(true), Started: date(2026, 11, 2), Left: date(2026, 12, 31)})},
		{"PutPerson unknown shift", putPerson(core.Person{ID: "zoe", Name: "Zoé", Shift: "nope"})},
		{"PutPerson access levels", putPerson(core.Person{ID: "zoe", Name: "Zoé Zed", AccessLevels: []string{"lab"}})},
		{"PutPerson id ..", putPerson(core.Person{ID: "..", Name: "Dot Dot Renamed", Department: "."})},
		{"PutPerson left before started", putPerson(core.Person{ID: "zoe", Name: "Zoé", Started: date(2026, 11, 2), Left: date(2026, 1, 1)})},
		{"EnrollCard", enroll("zoe", "em:0A0B0C0D0E")},
		{"EnrollCard held by another", enroll("zoe", "em:0102B0A5FD")},
		{"EnrollCard read like another's", enroll("zoe", "dec:0004340757")},
		{"EnrollCard for ..", enroll("..", "em:0A0A0A0A0A")},
		{"EnrollCard nobody", enroll("nobody", "em:0C0C0C0C0C")},
		{"EnrollCard malformed", enroll("zoe", "w26:1")},
		{"ReplaceCard", list(func(api peopleAPI, a core.Actor) (any, error) {
			return api.ReplaceCard(a, "em:0A0B0C0D0E", "em:0B0B0B0B0B")
		})},
		{"ReplaceCard with itself", list(func(api peopleAPI, a core.Actor) (any, error) {
			return api.ReplaceCard(a, "em:0B0B0B0B0B", "em:0B0B0B0B0B")
		})},
		{"ReplaceCard unknown", list(func(api peopleAPI, a core.Actor) (any, error) {
			return api.ReplaceCard(a, "em:0F0F0F0F0F", "em:0C0C0C0C0C")
		})},
		{"SetCardState lost", cardState("em:0B0B0B0B0B", core.CardLost)},
		{"SetCardState uid revoked", cardState("uid:04 A2 2B 1A", core.CardRevoked)},
		{"SetCardState uid active", cardState("uid:04a22b1a", core.CardActive)},
		{"SetCardState bad state", cardState("em:0B0B0B0B0B", "melted")},
		{"SetCardState ambiguous read", cardState("dec:0004340757", core.CardLost)},
		{"CardsOf zoe", cardsOf("zoe")},
		{"UsableCards", usable(100)},
		{"UsableCards none", usable(0)},
		{"UsableCards one", usable(1)},
		{"AmbiguousCards", list(func(api peopleAPI, a core.Actor) (any, error) { return api.AmbiguousCards(a) })},
		{"PutDepartment new", putDept(core.Department{ID: "ops", Name: "Operations", Shift: "night"})},
		{"PutDepartment access level", putDept(core.Department{ID: "ops", Name: "Operations", AccessLevel: "lab"})},
		{"PutDepartment no name", putDept(core.Department{ID: "ops2"})},
		{"PutDepartment unknown shift", putDept(core.Department{ID: "ops", Name: "Operations", Shift: "nope"})},
		{"PutDepartment id .", putDept(core.Department{ID: ".", Name: "Dot Renamed"})},
		{"DeleteDepartment", deleteDept("ops")},
		{"DeleteDepartment with people", deleteDept("staff")},
		{"DeleteDepartment unknown", deleteDept("nope")},
		{"ImportPeople dry run", importPeople("ID;Name;Dept;Mobile;Cards\nnew1;New One;Staff;;em:0C0C0C0C0C\nann;Ann Martin;staff;+33 6 12 34 56 79;\n", true)},
		{"ImportPeople", importPeople("ID;Name;Dept;Mobile;Cards\nnew1;New One;Staff;;em:0C0C0C0C0C\nann;Ann Martin;staff;+33 6 12 34 56 79;\n", false)},
		{"ImportPeople no change", importPeople("id;name\nann;Ann Martin\n", false)},
		{"ImportPeople unknown department", importPeople("id;Name;Dept\nx1;X;Nowhere\n", false)},
		{"ImportPeople card of another", importPeople("Id,Card\nnew1,em:3C00423C15\n", false)},
		{"ImportPeople master", importPeople("id,master\nnew1,yes\n", false)},
		{"ImportPeople no file", importPeople("", false)},
		{"AccessLevels", list(func(api peopleAPI, a core.Actor) (any, error) { return api.AccessLevels(a) })},
		{"Schedules", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Schedules(a) })},
		{"Shifts", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Shifts(a) })},
		{"Holidays", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Holidays(a) })},
		{"Grants all", grants(core.GrantQuery{})},
		{"Grants of ann", grants(core.GrantQuery{Person: "ann"})},
		{"Grants on lab", grants(core.GrantQuery{Door: "lab"})},
		{"AddGrant temporary in the site's zone", addGrant(core.Grant{Person: "zoe", Door: "lab", Kind: core.GrantTemporary,
			From: time.Date(2026, 11, 24, 8, 0, 0, 0, paris), Until: time.Date(2026, 11, 30, 18, 30, 0, 0, paris)})},
		{"AddGrant once", addGrant(core.Grant{Person: "..", Door: "main", Kind: core.GrantOnce, Uses: 3, By: "the test"})},
		{"AddGrant unknown door", addGrant(core.Grant{Person: "zoe", Door: "nope", Kind: core.GrantPermanent})},
		{"AddGrant bad bounds", addGrant(core.Grant{Person: "zoe", Door: "lab", Kind: core.GrantPermanent, Until: peopleNow})},
		{"Grants after", grants(core.GrantQuery{})},
		{"RevokeGrant", revoke("g3")},
		{"RevokeGrant unknown", revoke("g99")},
		{"Count people", count(core.KindPerson)},
		{"Count grants", count(core.KindGrant)},
		{"Count doors", count(core.KindDoor)},
		{"DeleteObject holiday", deleteObject(core.KindHoliday, "2027-01-01")},
		{"DeleteObject zone in use", deleteObject(core.KindZone, "office")},
		{"DeleteObject person", deleteObject(core.KindPerson, "ann")},
		{"DeleteObject unknown shift", deleteObject(core.KindShift, "nope")},
		{"Site before import", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Site(), nil })},
		{"Import zone, settings and no cards", importSite(`{"site": {"name": "Renamed HQ"}, "zones": [{"id": "annex", "name": "Annex"}],
			"people": [{"id": "keep", "name": "Keep Cards", "cards": []}]}`)},
		{"Site after import", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Site(), nil })},
		{"Import people only", importSite(`{"people": [{"id": "keep", "name": "Keep No Cards"}]}`)},
		{"Import cleared cards", cardsOf("keep")},
		{"Import nil", importSite("")},
		{"Import unknown department", importSite(`{"people": [{"id": "p1", "name": "P", "department": "nowhere"}]}`)},
		{"PutObject schedule", putObject(`{"schedules": [{"id": "late", "name": "Late", "week": {"mon": ["18:00-22:00"]}}]}`)},
		{"PutObject two zones", putObject(`{"zones": [{"id": "z1", "name": "Z1"}, {"id": "z2", "name": "Z2"}]}`)},
		{"PutObject nil", putObject("")},
		{"PutObject settings", putObject(`{"site": {"name": "Saved HQ"}}`)},
		{"Export", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Export(a) })},
		{"Accounts", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Accounts(a) })},
		{"AddAccount", addAccount(core.AccountInfo{Username: "newbie", Person: "zoe", Roles: []string{"receptionist", "receptionist"}}, "newbie password")},
		{"AddAccount taken", addAccount(core.AccountInfo{Username: "admin", Roles: []string{"receptionist"}}, "another password")},
		{"AddAccount short password", addAccount(core.AccountInfo{Username: "shorty", Roles: []string{"receptionist"}}, "short")},
		{"AddAccount unknown role", addAccount(core.AccountInfo{Username: "norole", Roles: []string{"nope"}}, "norole password")},
		{"SetAccountRoles", list(func(api peopleAPI, a core.Actor) (any, error) {
			return api.SetAccountRoles(a, "newbie", []string{"visitors"})
		})},
		{"SetAccountRoles last admin", list(func(api peopleAPI, a core.Actor) (any, error) {
			return api.SetAccountRoles(a, "admin", []string{"visitors"})
		})},
		{"SetAccountEnabled off", list(func(api peopleAPI, a core.Actor) (any, error) {
			return api.SetAccountEnabled(a, "viv", false)
		})},
		{"SetAccountEnabled unknown", list(func(api peopleAPI, a core.Actor) (any, error) {
			return api.SetAccountEnabled(a, "nobody", true)
		})},
		{"SetPassword other", setPassword("viv", "viv password 2")},
		{"SetPassword short", setPassword("viv", "short")},
		{"Roles", list(func(api peopleAPI, a core.Actor) (any, error) { return api.Roles(a) })},
		{"PutRole new", putRole(core.Role{ID: "kiosk", Name: "Kiosk", Permissions: []core.Permission{core.PermPeopleView, core.PermPeopleView}})},
		{"PutRole no permissions", putRole(core.Role{ID: "empty", Name: "Empty"})},
		{"PutRole unknown permission", putRole(core.Role{ID: "kiosk", Name: "Kiosk", Permissions: []core.Permission{"people.fly"}})},
		{"DeleteRole", deleteRole("kiosk")},
		{"DeleteRole in use", deleteRole("admin")},
		{"DeleteRole unknown", deleteRole("nope")},
		{"DeletePerson", deletePerson("new1")},
		{"DeletePerson with a staff account", deletePerson("rita")},
		{"DeletePerson door owner", deletePerson("bob")},
		{"DeletePerson nobody", deletePerson("nobody")},
		{"Count people after", count(core.KindPerson)},
		// Last: rita's own password, which ends her session on the
		// service; the client logs in again with it.
		{"SetPassword rita", setPassword("rita", "rita password 2")},
		{"People after a new password", people(core.PeopleQuery{Text: "ann"})},
	}
}

// TestPeopleAPIMatchesEngine is the property of the people, access and
// staff routes: every call through the client gives what the same call
// gives the engine in process, the same values (reflect.DeepEqual: times
// in the same zones too) or an error with the same message and kind, for the command
// line and for a logged-in receptionist, refused much. Two worlds start
// from the same site and clock: the engine's in process, and one served
// on a Unix socket; the same calls go to each, and at the end both sites
// are the same.
func TestPeopleAPIMatchesEngine(t *testing.T) {
	steps := peopleSteps(t)
	api := reflect.TypeFor[peopleAPI]()
	for i := range api.NumMethod() {
		m := api.Method(i).Name
		found := false
		for _, s := range steps {
			if s.name == m || strings.HasPrefix(s.name, m+" ") {
				found = true
			}
		}
		if !found {
			t.Errorf("no step calls %s", m)
		}
	}
	for _, who := range []string{"command line", "receptionist"} {
		t.Run(who, func(t *testing.T) {
			local := newPeopleEngine(t)
			served := newPeopleEngine(t)
			socks := servePeople(t, served)
			var localActor, remoteActor core.Actor
			var client *Client
			if who == "command line" {
				localActor = peopleCommandLine(t)
				client = dialPeople(t, socks.owner)
				remoteActor = localActor
			} else {
				var err error
				if localActor, err = local.Login("rita", peopleRitaPassword); err != nil {
					t.Fatal(err)
				}
				client = dialPeople(t, socks.stranger)
				if remoteActor, err = client.Login("rita", peopleRitaPassword); err != nil {
					t.Fatal(err)
				}
				if remoteActor != localActor {
					t.Fatalf("logged in as %v, want %v", remoteActor, localActor)
				}
			}
			refused := 0
			for _, s := range steps {
				t.Run(s.name, func(t *testing.T) {
					want, wantErr := s.do(local, localActor)
					got, gotErr := s.do(client, remoteActor)
					if errors.Is(wantErr, core.ErrForbidden) {
						refused++
					}
					if gotErr != nil || wantErr != nil {
						peopleSameError(t, gotErr, wantErr)
						return
					}
					if !reflect.DeepEqual(got, want) {
						t.Errorf("through the service\n%#v\nwant\n%#v", got, want)
					}
				})
			}
			if who == "receptionist" && refused < 10 {
				t.Errorf("the receptionist was refused %d calls: the test means her to be refused many", refused)
			}
			// The same changes were made on both sides.
			cl := core.CommandLine("test")
			a, err := local.Export(cl)
			if err != nil {
				t.Fatal(err)
			}
			b, err := served.Export(cl)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(withoutHashes(a), withoutHashes(b)) {
				t.Errorf("the sites differ:\nserved %#v\nlocal  %#v", b, a)
			}
		})
	}
}

// withoutHashes is f without its accounts' password hashes, which differ
// between two sites given the same passwords (each has its salt).
func withoutHashes(f *core.SiteFile) *core.SiteFile {
	out := *f
	out.Accounts = nil
	for _, acc := range f.Accounts {
		acc.PasswordHash = nil
		out.Accounts = append(out.Accounts, acc)
	}
	return &out
}
