package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"frontdesk/core"
)

// peopleRoute is one route of routes_people.go, routes_access.go or
// routes_staff.go, with a request that reaches it.
type peopleRoute struct {
	pattern string // as registered
	method  string
	path    string
	body    string
}

// peopleRoutes is a request for every route of the three files; a
// test checks that none is missing.
var peopleRoutes = []peopleRoute{
	{"GET /v1/people", "GET", "/v1/people?text=ann&limit=1", ""},
	{"POST /v1/people", "POST", "/v1/people", `{"id": "new", "name": "New"}`},
	{"POST /v1/people/import-csv", "POST", "/v1/people/import-csv?dry_run=true", `{"columns": ["id", "name"], "rows": [{"line": 2, "id": "x", "name": "X"}]}`},
	{"GET /v1/people/{id}", "GET", "/v1/people/ann", ""},
	{"PUT /v1/people/{id}", "PUT", "/v1/people/ann", `{"id": "ann", "name": "Ann"}`},
	{"DELETE /v1/people/{id}", "DELETE", "/v1/people/elodie", ""},
	{"GET /v1/people/{id}/cards", "GET", "/v1/people/ann/cards", ""},
	{"POST /v1/people/{id}/cards", "POST", "/v1/people/ann/cards", `{"code": "em:0A0A0A0A0A"}`},
	{"GET /v1/people-choices", "GET", "/v1/people-choices", ""},
	{"GET /v1/cards/{code}", "GET", "/v1/cards/em:0102B0A5FD", ""},
	{"PUT /v1/cards/{code}/state", "PUT", "/v1/cards/em:0102B0A5FD/state", `{"state": "lost"}`},
	{"POST /v1/cards/{code}/replace", "POST", "/v1/cards/em:0102B0A5FD/replace", `{"new_code": "em:0B0B0B0B0B"}`},
	{"GET /v1/usable-cards", "GET", "/v1/usable-cards?limit=5", ""},
	{"GET /v1/ambiguous-cards", "GET", "/v1/ambiguous-cards", ""},
	{"GET /v1/departments", "GET", "/v1/departments", ""},
	{"PUT /v1/departments/{id}", "PUT", "/v1/departments/ops", `{"id": "ops", "name": "Ops"}`},
	{"DELETE /v1/departments/{id}", "DELETE", "/v1/departments/ops", ""},
	{"GET /v1/access-levels", "GET", "/v1/access-levels", ""},
	{"GET /v1/schedules", "GET", "/v1/schedules", ""},
	{"GET /v1/shifts", "GET", "/v1/shifts", ""},
	{"GET /v1/holidays", "GET", "/v1/holidays", ""},
	{"GET /v1/public-holidays", "GET", "/v1/public-holidays?country=FR&year=2027", ""},
	{"POST /v1/public-holidays", "POST", "/v1/public-holidays?country=FR&year=2027&dry_run=true", ""},
	{"GET /v1/grants", "GET", "/v1/grants?person=ann", ""},
	{"GET /v1/grants/people", "GET", "/v1/grants/people?text=an&limit=2", ""},
	{"POST /v1/grants", "POST", "/v1/grants", `{"person": "ann", "door": "main", "kind": "permanent"}`},
	{"DELETE /v1/grants/{id}", "DELETE", "/v1/grants/g1", ""},
	{"GET /v1/site-file", "GET", "/v1/site-file", ""},
	{"POST /v1/site-file", "POST", "/v1/site-file", `{"zones": [{"id": "annex", "name": "Annex"}]}`},
	{"GET /v1/count/{kind}", "GET", "/v1/count/people", ""},
	{"POST /v1/objects", "POST", "/v1/objects", `{"zones": [{"id": "annex2", "name": "Annex 2"}]}`},
	{"DELETE /v1/objects/{kind}/{id}", "DELETE", "/v1/objects/holidays/2027-01-01", ""},
	{"GET /v1/accounts", "GET", "/v1/accounts", ""},
	{"POST /v1/accounts", "POST", "/v1/accounts", `{"account": {"username": "newbie", "roles": ["visitors"]}, "password": "newbie password"}`},
	{"PUT /v1/accounts/{username}/roles", "PUT", "/v1/accounts/viv/roles", `{"roles": ["receptionist"]}`},
	{"PUT /v1/accounts/{username}/enabled", "PUT", "/v1/accounts/viv/enabled", `{"enabled": false}`},
	{"PUT /v1/accounts/{username}/password", "PUT", "/v1/accounts/viv/password", `{"password": "viv password 2"}`},
	{"GET /v1/roles", "GET", "/v1/roles", ""},
	{"PUT /v1/roles/{id}", "PUT", "/v1/roles/kiosk", `{"id": "kiosk", "name": "Kiosk", "permissions": ["people.view"]}`},
	{"DELETE /v1/roles/{id}", "DELETE", "/v1/roles/kiosk", ""},
}

// TestPeopleRoutesListed checks that peopleRoutes has every route the
// three files register, so that the tests below reach them all.
func TestPeopleRoutesListed(t *testing.T) {
	listed := map[string]bool{}
	for _, r := range peopleRoutes {
		listed[r.pattern] = true
	}
	handle := regexp.MustCompile(`s\.handle\("([^"]+)"`)
	n := 0
	for _, file := range []string{"routes_people.go", "routes_access.go", "routes_staff.go"} {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range handle.FindAllStringSubmatch(string(src), -1) {
			n++
			if !listed[m[1]] {
				t.Errorf("%s: route %q is not in peopleRoutes", file, m[1])
			}
		}
	}
	if n != len(peopleRoutes) {
		t.Errorf("%d routes registered, %d listed", n, len(peopleRoutes))
	}
}

// TestPeopleRoutesNeedALogin: a caller who is not the command line and
// has not logged in gets 401 from every route, whatever the body, and
// nothing changes; the same requests from the command line reach their
// handler (a JSON answer, not the router's 404 or 405).
func TestPeopleRoutesNeedALogin(t *testing.T) {
	e := newPeopleEngine(t)
	socks := servePeople(t, e)
	before, err := e.Export(core.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range peopleRoutes {
		a := peopleRawCall(t, socks.stranger, r.method, r.path, "", r.body)
		if a.status != http.StatusUnauthorized || a.err == nil || a.err.Kind != KindNoSession {
			t.Errorf("%s %s as a stranger: %d %s, want 401 %s", r.method, r.path, a.status, a.body, KindNoSession)
		}
		a = peopleRawCall(t, socks.stranger, r.method, r.path, "not-a-session", r.body)
		if a.status != http.StatusUnauthorized {
			t.Errorf("%s %s with an unknown session: %d %s, want 401", r.method, r.path, a.status, a.body)
		}
	}
	after, err := e.Export(core.CommandLine("test"))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) {
		t.Error("calls refused for want of a login changed the site")
	}
	// Through the client, the refusal matches core.ErrForbidden, as an
	// unknown actor's does in process.
	c := dialPeople(t, socks.stranger)
	if _, _, err := c.People(core.Actor{}, core.PeopleQuery{}); !errors.Is(err, core.ErrForbidden) {
		t.Errorf("People without a login: %v, want forbidden", err)
	}
	for _, r := range peopleRoutes {
		a := peopleRawCall(t, socks.owner, r.method, r.path, "", r.body)
		if !json.Valid(a.body) || (a.status != http.StatusOK && a.err == nil) {
			t.Errorf("%s %s as the command line: %d %s, want the handler's JSON answer", r.method, r.path, a.status, a.body)
		}
	}
}

// TestPeopleAPIStatuses checks the HTTP status of each error kind on a
// few routes, as any HTTP client sees them.
func TestPeopleAPIStatuses(t *testing.T) {
	e := newPeopleEngine(t)
	socks := servePeople(t, e)
	rita := peopleRawLogin(t, socks.stranger, "rita", peopleRitaPassword)
	tests := []struct {
		name               string
		sock, token        string
		method, path, body string
		status             int
		kind               string
	}{
		{"found", socks.owner, "", "GET", "/v1/people/ann", "", 200, ""},
		{"id .. escaped", socks.owner, "", "GET", "/v1/people/%2E%2E", "", 200, ""},
		{"card code escaped", socks.owner, "", "GET", "/v1/cards/uid:04%20A2%202B%201A", "", 200, ""},
		{"not found", socks.owner, "", "GET", "/v1/people/nobody", "", 404, KindNotFound},
		{"no such card", socks.owner, "", "GET", "/v1/cards/em:0F0F0F0F0F", "", 404, KindNotFound},
		{"invalid state", socks.owner, "", "PUT", "/v1/cards/em:0102B0A5FD/state", `{"state": "melted"}`, 400, KindInvalid},
		{"invalid person", socks.owner, "", "POST", "/v1/people", `{"id": "x", "name": ""}`, 400, KindInvalid},
		{"department in use", socks.owner, "", "DELETE", "/v1/departments/staff", "", 409, KindConflict},
		{"card of another", socks.owner, "", "POST", "/v1/people/elodie/cards", `{"code": "em:0102B0A5FD"}`, 409, KindConflict},
		{"role in use", socks.owner, "", "DELETE", "/v1/roles/admin", "", 409, KindConflict},
		{"receptionist exports", socks.stranger, rita, "GET", "/v1/site-file", "", 403, KindForbidden},
		{"receptionist lists accounts", socks.stranger, rita, "GET", "/v1/accounts", "", 403, KindForbidden},
		{"receptionist makes a master", socks.stranger, rita, "PUT", "/v1/people/elodie", `{"id": "elodie", "name": "Élodie Durand", "master": true}`, 403, KindForbidden},
		{"receptionist reads people", socks.stranger, rita, "GET", "/v1/people?department=staff", "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := peopleRawCall(t, tt.sock, tt.method, tt.path, tt.token, tt.body)
			if a.status != tt.status {
				t.Fatalf("status %d (%s), want %d", a.status, a.body, tt.status)
			}
			if tt.kind != "" && (a.err == nil || a.err.Kind != tt.kind) {
				t.Errorf("answer %s, want kind %s", a.body, tt.kind)
			}
		})
	}
}

// TestPeopleAPIMalformedBodies: a body that is not JSON, has a key its
// type lacks, a value of the wrong type, more than one value, or an id
// other than its path's, is a 400 naming the body, and changes nothing.
func TestPeopleAPIMalformedBodies(t *testing.T) {
	e := newPeopleEngine(t)
	socks := servePeople(t, e)
	state := func() *core.SiteFile {
		f, err := e.Export(core.CommandLine("test"))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	before := state()
	tests := []struct {
		name, method, path, body string
		field                    string // the Error's Field, or its start
	}{
		{"not JSON", "POST", "/v1/people", `{"id": "x",`, "body"},
		{"empty", "POST", "/v1/people", ``, "body"},
		{"unknown key", "POST", "/v1/people", `{"id": "x", "name": "X", "nmae": "Y"}`, "body"},
		{"wrong type", "POST", "/v1/people", `{"id": 5, "name": "X"}`, "body.id"},
		{"two values", "POST", "/v1/people", `{"id": "x", "name": "X"} {}`, "body"},
		{"bad date", "PUT", "/v1/people/ann", `{"id": "ann", "name": "Ann", "started": "yesterday"}`, "body"},
		{"other id than the path's", "PUT", "/v1/people/ann", `{"id": "elodie", "name": "Ann"}`, "body.id"},
		{"code not a string", "POST", "/v1/people/ann/cards", `{"code": 1}`, "body.code"},
		{"state with an extra key", "PUT", "/v1/cards/em:0102B0A5FD/state", `{"state": "lost", "why": "dropped"}`, "body"},
		{"replace without new_code's name", "POST", "/v1/cards/em:0102B0A5FD/replace", `{"new": "em:0B0B0B0B0B"}`, "body"},
		{"department of another id", "PUT", "/v1/departments/staff", `{"id": "other", "name": "Other"}`, "body.id"},
		{"people file with an extra key", "POST", "/v1/people/import-csv", `{"columns": ["id"], "rows": [], "sheet": 1}`, "body"},
		{"people row with an extra key", "POST", "/v1/people/import-csv", `{"columns": ["id"], "rows": [{"line": 2, "id": "x", "badge": "y"}]}`, "body"},
		{"dry_run not a boolean", "POST", "/v1/people/import-csv?dry_run=maybe", `{"columns": ["id"], "rows": [{"line": 2, "id": "x"}]}`, "query.dry_run"},
		{"limit not a number", "GET", "/v1/people?limit=ten", ``, "query.limit"},
		{"usable limit not a number", "GET", "/v1/usable-cards?limit=x", ``, "query.limit"},
		{"grant time not a time", "POST", "/v1/grants", `{"person": "ann", "door": "lab", "kind": "temporary", "until": "tomorrow"}`, "body"},
		{"site file with an unknown key", "POST", "/v1/site-file", `{"zones": [{"id": "z", "name": "Z", "colour": "red"}]}`, ""},
		{"site file cut short", "POST", "/v1/site-file", `{"zones": [`, "body"},
		{"site file a list", "POST", "/v1/site-file", `[]`, ""},
		{"account with an extra key", "POST", "/v1/accounts", `{"account": {"username": "x", "roles": ["admin"]}, "password": "long enough 1", "admin": true}`, "body"},
		{"roles not a list", "PUT", "/v1/accounts/viv/roles", `{"roles": "admin"}`, "body.roles"},
		{"enabled not a boolean", "PUT", "/v1/accounts/viv/enabled", `{"enabled": "no"}`, "body.enabled"},
		{"password under another name", "PUT", "/v1/accounts/viv/password", `{"pass": "viv password 2"}`, "body"},
		{"role with an extra key", "PUT", "/v1/roles/visitors", `{"id": "visitors", "name": "V", "permissions": [], "all": true}`, "body"},
		{"role of another id", "PUT", "/v1/roles/visitors", `{"id": "admin", "name": "V", "permissions": []}`, "body.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := peopleRawCall(t, socks.owner, tt.method, tt.path, "", tt.body)
			if a.status != http.StatusBadRequest || a.err == nil || a.err.Kind != KindInvalid {
				t.Fatalf("%d %s, want 400 %s", a.status, a.body, KindInvalid)
			}
			if !strings.HasPrefix(a.err.Field, tt.field) {
				t.Errorf("field %q, want %q", a.err.Field, tt.field)
			}
		})
	}
	if after := state(); !reflect.DeepEqual(before, after) {
		t.Error("malformed requests changed the site")
	}
	// The site file's own reader names the path at fault.
	a := peopleRawCall(t, socks.owner, "POST", "/v1/site-file", "", `{"zones": [{"id": "z", "name": "Z", "colour": "red"}]}`)
	if a.err == nil || a.err.Message != "zones[0].colour: unknown key" {
		t.Errorf("site file with an unknown key: %s", a.body)
	}
}

// TestPeopleAPIEmptyPathParameter: an empty id or code cannot be a
// segment of a path; the client refuses it as a malformed request, on
// every method that puts one in its path, without calling the service.
func TestPeopleAPIEmptyPathParameter(t *testing.T) {
	e := newPeopleEngine(t)
	c := dialPeople(t, servePeople(t, e).owner)
	a := peopleCommandLine(t)
	calls := map[string]func() error{
		"Person":            func() error { _, err := c.Person(a, ""); return err },
		"PutPerson":         func() error { _, err := c.PutPerson(a, core.Person{Name: "X"}); return err },
		"DeletePerson":      func() error { _, err := c.DeletePerson(a, ""); return err },
		"CardsOf":           func() error { _, err := c.CardsOf(a, ""); return err },
		"CardHolder":        func() error { _, _, err := c.CardHolder(a, ""); return err },
		"EnrollCard":        func() error { _, err := c.EnrollCard(a, "", "em:0A0A0A0A0A"); return err },
		"ReplaceCard":       func() error { _, err := c.ReplaceCard(a, "", "em:0A0A0A0A0A"); return err },
		"SetCardState":      func() error { _, err := c.SetCardState(a, "", core.CardLost); return err },
		"PutDepartment":     func() error { _, err := c.PutDepartment(a, core.Department{Name: "X"}); return err },
		"DeleteDepartment":  func() error { return c.DeleteDepartment(a, "") },
		"RevokeGrant":       func() error { _, err := c.RevokeGrant(a, ""); return err },
		"Count":             func() error { _, err := c.Count(a, ""); return err },
		"DeleteObject kind": func() error { return c.DeleteObject(a, "", "x") },
		"DeleteObject id":   func() error { return c.DeleteObject(a, core.KindZone, "") },
		"SetAccountRoles":   func() error { _, err := c.SetAccountRoles(a, "", nil); return err },
		"SetAccountEnabled": func() error { _, err := c.SetAccountEnabled(a, "", true); return err },
		"SetPassword":       func() error { return c.SetPassword(a, "", "long enough 1") },
		"PutRole":           func() error { _, err := c.PutRole(a, core.Role{Name: "X"}); return err },
		"DeleteRole":        func() error { return c.DeleteRole(a, "") },
	}
	for name, call := range calls {
		var we *Error
		if err := call(); !errors.As(err, &we) || we.Kind != KindInvalid || !errors.Is(err, core.ErrInvalid) {
			t.Errorf("%s with an empty id: %v, want invalid", name, err)
		}
	}
}

// TestPeopleWireRoundTrips checks the types whose JSON had to be made to
// carry everything: a people file keeps the header's names of its
// columns (its errors name them), and a site file's empty list of a
// person's cards stays a list (it removes their cards) rather than
// becoming none (which keeps them).
func TestPeopleWireRoundTrips(t *testing.T) {
	csv := mustCSV(t, "\ufeffID;Full Name;Mobile;Dept;Card;Start date\nann;Ann;06 12 34 56 78;Staff;em:0102B0A5FD|dec:12;2026-01-05\nbob;;;;;\n")
	b, err := json.Marshal(csv)
	if err != nil {
		t.Fatal(err)
	}
	var back *core.PeopleCSV
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, csv) {
		t.Errorf("people file through JSON\n%#v\nwant\n%#v", back, csv)
	}

	site := mustSiteFile(t, `{"people": [{"id": "keep", "name": "Keep", "cards": []},
		{"id": "other", "name": "Other", "cards": ["em:0102B0A5FD", {"code": "dec:12", "state": "lost", "until": "2026-12-31"}]},
		{"id": "alone", "name": "Alone"}]}`)
	if b, err = json.Marshal(site); err != nil {
		t.Fatal(err)
	}
	again, err := core.ReadSiteFile(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(again, site) {
		t.Errorf("site file through JSON\n%#v\nwant\n%#v", again, site)
	}
	if again.People[0].Cards == nil || again.People[2].Cards != nil {
		t.Errorf("cards %#v and %#v, want an empty list and none", again.People[0].Cards, again.People[2].Cards)
	}
}
