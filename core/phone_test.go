package core_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, prefix string
		want       string // "" when an error is wanted
		err        string // a part of the error
	}{
		{"+33 6 12 34 56 78", "+33", "+33612345678", ""},
		{"0612345678", "+33", "+33612345678", ""},
		{"06.12.34.56.78", "+33", "+33612345678", ""},
		{"06-12-34-56-78", "+33", "+33612345678", ""},
		{"0033612345678", "+33", "+33612345678", ""},
		{"(0)6 12 34 56 78", "+33", "+33612345678", ""},
		{" +33 (0)6 12 34 56 78 ", "+33", "+330612345678", ""}, // "+CC..." stays as written
		{"+33\u00a06\u00a012\u00a034\u00a056\u00a078", "+33", "+33612345678", ""},
		{"0171/2345678", "+49", "+491712345678", ""},
		{"(212) 555-0123", "+1", "2125550123", ""}, // no trunk 0: digits as they are
		{"+1 212 555 0123", "+1", "+12125550123", ""},
		{"0612345678", "", "0612345678", ""}, // no prefix: no country code handling
		{"0033612345678", "", "+33612345678", ""},
		{"+33612345678", "", "+33612345678", ""},
		{"00612345678", "+33", "+612345678", ""}, // "00" is the international prefix, not a trunk 0
		{"123456", "+33", "123456", ""},
		{"", "+33", "", "no digits"},
		{" - . ", "+33", "", "no digits"},
		{"+", "+33", "", "no digits"},
		{"12345", "+33", "", "5 digits, want at least 6"},
		{"06 12 34 AB 78", "+33", "", `'A' (character 10) is not part of a phone number: use digits`},
		{"06 12 34 56 78 ext 2", "+33", "", "is not part of a phone number"},
		{"06#1234567", "+33", "", "is not part of a phone number"},
		{"33+612345678", "+33", "", "a + may only start the number"},
		{"++33612345678", "+33", "", "a + may only start the number"},
		{"0612345678", "33", "", `phone prefix "33"`},
		{"0612345678", "+3333", "", "want + and 1 to 3 digits"},
		{"0612345678", "+3a", "", "want + and 1 to 3 digits"},
	}
	for _, tt := range tests {
		got, err := core.NormalizePhone(tt.in, tt.prefix)
		switch {
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want %q", tt.in, tt.prefix, got, err, tt.want)
		case tt.err != "" && (err == nil || !errors.Is(err, core.ErrInvalid) || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("NormalizePhone(%q, %q) = %q, %v; want an invalid error containing %q", tt.in, tt.prefix, got, err, tt.err)
		}
	}
}

func TestPhoneKey(t *testing.T) {
	for in, want := range map[string]string{
		"+33 6 12 34 56 78": "612345678",
		"06.12.34.56.78":    "612345678",
		"0033612345678":     "612345678",
		"12 34 56":          "123456",
		"ask HR":            "",
		"":                  "",
	} {
		if got := core.PhoneKey(in); got != want {
			t.Errorf("PhoneKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCallingCode(t *testing.T) {
	tests := []struct {
		site core.Site
		want string
	}{
		{core.Site{Timezone: "Europe/Paris"}, "+33"},
		{core.Site{Timezone: "America/Denver"}, "+1"},
		{core.Site{Timezone: "Asia/Tokyo"}, "+81"},
		{core.Site{Timezone: "Europe/Paris", PhonePrefix: "+262"}, "+262"}, // La Réunion's numbers in a Paris-zoned site
		{core.Site{Timezone: "Australia/Sydney"}, ""},
		{core.Site{Timezone: "UTC"}, ""},
	}
	for _, tt := range tests {
		if got := tt.site.CallingCode(); got != tt.want {
			t.Errorf("%+v: CallingCode() = %q, want %q", tt.site, got, tt.want)
		}
	}
}

func TestSitePhonePrefix(t *testing.T) {
	db := storagetest.MustOpen(t)
	for _, bad := range []string{"33", "+", "+1234", "+3a", " +33"} {
		err := importDoc(db, `{"site": {"phone_prefix": "`+bad+`"}}`)
		if err == nil || !strings.Contains(err.Error(), "site.phone_prefix") {
			t.Errorf("phone_prefix %q: got %v, want a site.phone_prefix error", bad, err)
		}
	}
	mustImport(t, db, `{"site": {"timezone": "Europe/Paris", "phone_prefix": "+262"}}`)
	if doc := exportDoc(t, db); !strings.Contains(doc, `"phone_prefix": "+262"`) {
		t.Errorf("export lacks the phone_prefix set:\n%s", doc)
	}
	// An empty string gives the default: none, derived from the time zone.
	mustImport(t, db, `{"site": {"phone_prefix": ""}}`)
	if doc := exportDoc(t, db); strings.Contains(doc, "phone_prefix") {
		t.Errorf("export writes a phone_prefix that is not set:\n%s", doc)
	}
}

// TestPersonPhoneCheckinInFile: the site file keeps phone_checkin only
// when it is set, true or false.
func TestPersonPhoneCheckinInFile(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, `{"people": [{"id": "ann", "name": "Ann", "phone_checkin": true},
		{"id": "bob", "name": "Bob", "phone_checkin": false}, {"id": "cat", "name": "Cat"}]}`)
	want := map[string]*bool{"ann": new(true), "bob": new(false), "cat": nil}
	err := db.View(func(tx core.Tx) error {
		for id, w := range want {
			var p core.Person
			if err := tx.Get(core.KindPerson, id, &p); err != nil {
				return err
			}
			if (p.PhoneCheckin == nil) != (w == nil) || (w != nil && *p.PhoneCheckin != *w) {
				t.Errorf("%s: phone_checkin %v, want %v", id, p.PhoneCheckin, w)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	doc := exportDoc(t, db)
	for _, s := range []string{`"phone_checkin": true`, `"phone_checkin": false`} {
		if strings.Count(doc, s) != 1 {
			t.Errorf("export: want %s once:\n%s", s, doc)
		}
	}
}

// phoneSite is a site in Paris whose people cover every answer of a
// check-in by phone. 2026-11-24 is a Tuesday.
const phoneSite = `{
  "site": {"name": "Phone HQ", "timezone": "Europe/Paris", "desk_zone": "office"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "office", "name": "Office", "work": true}],
  "doors": [{"id": "main", "name": "Main", "from": "outside", "to": "office"}],
  "devices": [{"id": "main-in", "kind": "sim", "door": "main", "direction": "in"},
              {"id": "main-out", "kind": "sim", "door": "main", "direction": "out"}],
  "access_levels": [{"id": "all", "name": "All", "rules": [{"doors": ["main"]}]}],
  "departments": [{"id": "staff", "name": "Staff", "access_level": "all"}],
  "roles": [{"id": "trainee", "name": "Trainee, no rights yet"}],
  "people": [
    {"id": "ann", "name": "Ann Martin", "phone": "+33 6 12 34 56 78", "department": "staff", "cards": ["em:0100000001"]},
    {"id": "ch", "name": "Chloé Roth", "phone": "+41 6 12 34 56 78", "department": "staff"},
    {"id": "bob", "name": "Bob Stone", "phone": "06 98 76 54 32", "department": "staff"},
    {"id": "mia", "name": "Mia Chef", "phone": "06 11 11 11 11", "phone_checkin": true},
    {"id": "tom", "name": "Tom Off", "phone": "06 22 22 22 22", "phone_checkin": false},
    {"id": "ina", "name": "Ina Gone", "phone": "06 33 33 33 33", "active": false},
    {"id": "twin1", "name": "Twin One", "phone": "0644444444"},
    {"id": "twin2", "name": "Twin Two", "phone": "+33 6 44 44 44 44"},
    {"id": "kim", "name": "Kim New", "phone": "06 55 55 55 55"},
    {"id": "odd", "name": "Odd Number", "phone": "06 12 34 56 78 (mobile)"}]
}`

// phoneEngine imports phoneSite and gives bob and mia manager accounts,
// kim an account whose role gives no permission, and rita a receptionist
// account.
func phoneEngine(t *testing.T) (*core.Engine, *storage.DB) {
	t.Helper()
	db := storagetest.MustOpen(t)
	now := at("2026-11-24T10:00")
	e, err := core.NewEngine(db, func() time.Time { return now }, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Import(cli, siteFile(t, phoneSite)); err != nil {
		t.Fatal(err)
	}
	for _, acc := range []core.AccountInfo{
		{Username: "bob", Person: "bob", Roles: []string{core.RoleManager}},
		{Username: "mia", Person: "mia", Roles: []string{core.RoleManager}},
		{Username: "kim", Person: "kim", Roles: []string{"trainee"}},
		{Username: "rita", Roles: []string{core.RoleReceptionist}},
	} {
		if _, err := e.AddAccount(cli, acc, goodPassword); err != nil {
			t.Fatal(err)
		}
	}
	return e, db
}

func TestCheckinPhone(t *testing.T) {
	e, db := phoneEngine(t)
	var mu sync.Mutex
	var published []core.Event
	defer e.Subscribe(func(ev core.Event) {
		mu.Lock()
		published = append(published, ev)
		mu.Unlock()
	})()

	tests := []struct {
		name, phone, at string
		result          core.Result
		person, zone    string
		explain         string
	}{
		{"unknown number", "06 99 99 99 99", "2026-11-24T08:50", core.DeniedUnknownPhone, "", "",
			"no person has phone +33699999999"},
		{"no account: on by default", "0612345678", "2026-11-24T08:59", core.CheckedIn, "ann", "office",
			"Ann Martin checked in by phone"},
		{"already in", "06.12.34.56.78", "2026-11-24T12:00", core.AlreadyCheckedIn, "ann", "",
			"Ann Martin already checked in at 2026-11-24 08:59"},
		{"same last 9 digits, other country", "0041612345678", "2026-11-24T09:00", core.CheckedIn, "ch", "office",
			"Chloé Roth checked in by phone"},
		{"manager: off by default", "+33698765432", "2026-11-24T09:01", core.DeniedPhoneCheckin, "bob", "",
			"phone check-in is off for Bob Stone by default: staff account bob has permissions"},
		{"manager allowed explicitly", "0611111111", "2026-11-24T09:02", core.CheckedIn, "mia", "office",
			"Mia Chef checked in by phone"},
		{"account without permissions: on by default", "0655555555", "2026-11-24T09:03", core.CheckedIn, "kim", "office",
			"Kim New checked in by phone"},
		{"off explicitly", "06 22 22 22 22", "2026-11-24T09:04", core.DeniedPhoneCheckin, "tom", "",
			"phone check-in is off for Tom Off"},
		{"inactive", "0633333333", "2026-11-24T09:05", core.DeniedPhoneCheckin, "ina", "",
			"Ina Gone is inactive"},
		{"shared number", "06 44 44 44 44", "2026-11-24T09:06", core.DeniedUnknownPhone, "", "",
			"phone +33644444444 is shared by 2 people, so it checks no one in"},
	}
	var seqs []uint64
	for _, tt := range tests {
		ev, err := e.CheckinPhone(rita(t, e), tt.phone, at(tt.at))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if ev.Result != tt.result || ev.Person != tt.person || ev.Zone != tt.zone || ev.Explanation != tt.explain {
			t.Errorf("%s: got %s %q zone %q %q, want %s %q zone %q %q", tt.name, ev.Result, ev.Person, ev.Zone, ev.Explanation,
				tt.result, tt.person, tt.zone, tt.explain)
		}
		if ev.Reader != "" || ev.Door != "" || ev.Card != "" || ev.Seq == 0 || !ev.At.Equal(at(tt.at)) {
			t.Errorf("%s: got reader %q door %q card %q seq %d at %s, want none, a seq and the time given",
				tt.name, ev.Reader, ev.Door, ev.Card, ev.Seq, ev.At)
		}
		if ev.Result.Opens() {
			t.Errorf("%s: %s opens a door", tt.name, ev.Result)
		}
		seqs = append(seqs, ev.Seq)
	}

	// Every answer is in the log and went to the subscribers.
	var logged []uint64
	if err := e.Events(cli, core.EventQuery{}, func(ev core.Event) error {
		logged = append(logged, ev.Seq)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	if len(logged) != len(tests) || len(published) != len(tests) {
		t.Errorf("got %d events logged and %d published, want %d", len(logged), len(published), len(tests))
	}
	mu.Unlock()

	// The check-in put ann in the desk zone, which she leaves through a
	// door; back from lunch, she checks in again.
	var p core.Presence
	if err := db.View(func(tx core.Tx) error {
		var err error
		p, err = tx.Presence("ann")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if p.Zone != "office" || !p.Since.Equal(at("2026-11-24T08:59")) || p.Seq != seqs[1] {
		t.Errorf("ann's presence after the check-in: got %+v, want office since 08:59 by event %d", p, seqs[1])
	}
	if ev, err := e.Tap(core.Tap{Reader: "main-out", Code: "em:0100000001", At: at("2026-11-24T12:30")}); err != nil || ev.Zone != "outside" {
		t.Fatalf("ann leaves: %+v, %v", ev, err)
	}
	ev, err := e.CheckinPhone(cli, "06 12 34 56 78", at("2026-11-24T13:30"))
	if err != nil || ev.Result != core.CheckedIn || ev.Zone != "office" {
		t.Errorf("back from lunch: got %+v, %v, want checked_in to office", ev, err)
	}

	// A zero time is the engine's clock.
	ev, err = e.CheckinPhone(cli, "0655555555", time.Time{})
	if err != nil || ev.Result != core.AlreadyCheckedIn || !ev.At.Equal(at("2026-11-24T10:00")) ||
		ev.Explanation != "Kim New already checked in at 2026-11-24 09:03" {
		t.Errorf("zero time: got %+v, %v, want already_checked_in at the clock's 10:00", ev, err)
	}
}

func TestCheckinPhoneErrors(t *testing.T) {
	e, _ := phoneEngine(t)
	count := func() int {
		n := 0
		if err := e.Events(cli, core.EventQuery{}, func(core.Event) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// A malformed number is an error, not a decision: nothing is logged.
	for _, bad := range []string{"", "06 12 AB", "1234", "06+12345678"} {
		if _, err := e.CheckinPhone(cli, bad, time.Time{}); !errors.Is(err, core.ErrInvalid) {
			t.Errorf("phone %q: got %v, want an invalid error", bad, err)
		}
	}
	// It needs attendance.checkin: a manager has none.
	bob, err := e.Login("bob", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.CheckinPhone(bob, "0612345678", time.Time{})
	if !errors.Is(err, core.ErrForbidden) || !strings.Contains(err.Error(), "attendance.checkin") {
		t.Errorf("manager: got %v, want forbidden naming attendance.checkin", err)
	}
	// A site without desk_zone cannot check anyone in.
	if err := e.Import(cli, siteFile(t, `{"site": {"desk_zone": ""}}`)); err != nil {
		t.Fatal(err)
	}
	_, err = e.CheckinPhone(cli, "0612345678", time.Time{})
	if !errors.Is(err, core.ErrInvalid) || !strings.Contains(err.Error(), "no desk_zone") {
		t.Errorf("no desk zone: got %v, want invalid naming desk_zone", err)
	}
	if n := count(); n != 0 {
		t.Errorf("got %d events, want none", n)
	}
}

// TestCheckinPhoneFollowsChanges: the lookup follows a person's number
// when it changes, forgets a deleted person, and reads national numbers
// with the site's phone_prefix.
func TestCheckinPhoneFollowsChanges(t *testing.T) {
	e, db := phoneEngine(t)
	check := func(phone string, want core.Result, person string) {
		t.Helper()
		ev, err := e.CheckinPhone(cli, phone, time.Time{})
		if err != nil || ev.Result != want || ev.Person != person {
			t.Errorf("%s: got %s %q (%s), %v; want %s %q", phone, ev.Result, ev.Person, ev.Explanation, err, want, person)
		}
	}
	if err := e.Import(cli, siteFile(t, `{"people": [{"id": "ann", "name": "Ann Martin", "phone": "07 77 77 77 77", "department": "staff"}]}`)); err != nil {
		t.Fatal(err)
	}
	check("0612345678", core.DeniedUnknownPhone, "")
	check("+33 7 77 77 77 77", core.CheckedIn, "ann")

	// The twins share a number until one of them is deleted.
	check("0644444444", core.DeniedUnknownPhone, "")
	if err := db.Update(func(tx core.Tx) error { return tx.Delete(core.KindPerson, "twin1") }); err != nil {
		t.Fatal(err)
	}
	check("0644444444", core.CheckedIn, "twin2")
	if err := db.Update(func(tx core.Tx) error { return tx.Delete(core.KindPerson, "twin2") }); err != nil {
		t.Fatal(err)
	}
	check("0644444444", core.DeniedUnknownPhone, "")

	// With phone_prefix +262 a national number is read as a Réunion one:
	// Kim's stored 06 55 55 55 55 is then +262655555555.
	if err := e.Import(cli, siteFile(t, `{"site": {"phone_prefix": "+262"}}`)); err != nil {
		t.Fatal(err)
	}
	check("+33655555555", core.DeniedUnknownPhone, "")
	check("+262 6 55 55 55 55", core.CheckedIn, "kim")
}

// rita logs in as the receptionist account of phoneEngine.
func rita(t *testing.T, e *core.Engine) core.Actor {
	t.Helper()
	a, err := e.Login("rita", goodPassword)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
