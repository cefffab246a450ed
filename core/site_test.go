package core_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

var updateGolden = flag.Bool("update-site", false, "rewrite the site golden files in testdata")

// Password hashes of testdata/rich-site.json, made once with
// core.HashPassword: hashes are salted, and the golden export must not
// change from run to run.
const (
	amyPassword = "amy's long password"
	amyHash     = "$argon2id$v=19$m=19456,t=2,p=1$jlaH9fttLN8wP8uMhjygXg$T7H4wZUmz8gfwf+DOHYRUHNnG4PNYSzeMmOWVukWEvQ"
	bobPassword = "bob's long password"
	bobHash     = "$argon2id$v=19$m=19456,t=2,p=1$xobr0zDuwd7qDE55Y0YKdQ$ZkL5XpKVeSpZZG1pt8IGGrBJCU3bS672CHXcsvk8DG0"
)

// importDoc reads doc as a site file and imports it in one Update, as the
// engine does.
func importDoc(db *storage.DB, doc string) error {
	f, err := core.ReadSiteFile(strings.NewReader(doc))
	if err != nil {
		return err
	}
	return db.Update(func(tx core.Tx) error { return core.ImportSite(tx, f) })
}

// mustImport imports doc or stops the test.
func mustImport(t testing.TB, db *storage.DB, doc string) {
	t.Helper()
	if err := importDoc(db, doc); err != nil {
		t.Fatalf("import: %v", err)
	}
}

// exportDoc returns the whole site as WriteSiteFile writes it.
func exportDoc(t testing.TB, db *storage.DB) string {
	t.Helper()
	var f *core.SiteFile
	err := db.View(func(tx core.Tx) error {
		var err error
		f, err = core.ExportSite(tx)
		return err
	})
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	var buf bytes.Buffer
	if err := core.WriteSiteFile(&buf, f); err != nil {
		t.Fatalf("write site file: %v", err)
	}
	return buf.String()
}

func readTestFile(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkGolden compares got with testdata/name, or rewrites it with
// -update-site.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readTestFile(t, path); got != want {
		t.Errorf("%s differs from the export (run with -update-site to accept):\n%s", path, firstDiff(got, want))
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got  " + gl + "\n want " + wl
		}
	}
	return "(same lines)"
}

func TestSiteRoundTrip(t *testing.T) {
	rich := readTestFile(t, "testdata/rich-site.json")
	db := storagetest.MustOpen(t)
	mustImport(t, db, rich)
	first := exportDoc(t, db)
	checkGolden(t, "rich-site.export.json", first)

	steps := []struct {
		name string
		db   *storage.DB
		doc  string
	}{
		{"export into the same database", db, first},
		{"original file again", db, rich},
		{"export into a new database", storagetest.MustOpen(t), first},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			mustImport(t, s.db, s.doc)
			if got := exportDoc(t, s.db); got != first {
				t.Errorf("export changed:\n%s", firstDiff(got, first))
			}
		})
	}
}

// TestImportStored checks what the rich site stores, beyond its export.
func TestImportStored(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, readTestFile(t, "testdata/rich-site.json"))
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	err = db.View(func(tx core.Tx) error {
		var c core.Card
		if err := tx.Get(core.KindCard, "em:0102B0A5FD", &c); err != nil {
			return err
		}
		if got, want := c.Person+" "+string(c.State), "ann active"; got != want {
			t.Errorf("card em:0102B0A5FD: got %v, want %v", got, want)
		}
		if err := tx.Get(core.KindCard, "uid:04A22B1A", &c); err != nil {
			return err
		}
		if want := time.Date(2026, 11, 1, 0, 0, 0, 0, paris); !c.From.Equal(want) {
			t.Errorf("uid:04A22B1A from: got %v, want %v", c.From, want)
		}
		var p core.Person
		if err := tx.Get(core.KindPerson, "dave", &p); err != nil {
			return err
		}
		if !p.Inactive {
			t.Errorf("dave inactive: got %v, want %v", p.Inactive, true)
		}
		var h core.Holiday
		if err := tx.Get(core.KindHoliday, "2026-12-25", &h); err != nil {
			return err
		}
		if h.Name != "Christmas" {
			t.Errorf("holiday 2026-12-25: got %v, want %v", h.Name, "Christmas")
		}
		var g core.Grant
		if err := tx.Get(core.KindGrant, "perm-carol", &g); err != nil {
			return err
		}
		if g.Person != "carol" || g.Kind != core.GrantPermanent {
			t.Errorf("grant perm-carol: got %+v", g)
		}
		n, err := tx.Count(core.KindGrant)
		if err != nil {
			return err
		}
		if n != 5 {
			t.Errorf("grants: got %v, want %v", n, 5)
		}
		site, err := tx.Site()
		if err != nil {
			return err
		}
		if site.Timezone != "Europe/Paris" || site.DeskZone != "office" || site.OutsideZone != "outside" {
			t.Errorf("site: got %+v", site)
		}
		var amy core.Account
		if err := tx.Get(core.KindAccount, "amy", &amy); err != nil {
			return err
		}
		if !amy.Disabled || amy.Person != "" || strings.Join(amy.Roles, " ") != "admin manager" || amy.PasswordHash != amyHash {
			t.Errorf("account amy: got %+v", amy)
		}
		var eve core.Account
		if err := tx.Get(core.KindAccount, "eve.d", &eve); err != nil {
			return err
		}
		if eve.Disabled || eve.Person != "eve" {
			t.Errorf("account eve.d: got %+v, want enabled, person eve", eve)
		}
		var trainee core.Role
		if err := tx.Get(core.KindRole, "trainee", &trainee); err != nil {
			return err
		}
		if trainee.Name != "Trainee, no rights yet" || trainee.Permissions == nil || len(trainee.Permissions) != 0 {
			t.Errorf("role trainee: got %#v, want no permissions, an empty list", trainee)
		}
		if n, err := tx.Count(core.KindRole); err != nil || n != 7 {
			t.Errorf("roles: got %v (%v), want 4 built-in and 3 of the file", n, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestImportErrors(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, readTestFile(t, "testdata/rich-site.json"))
	before := exportDoc(t, db)

	tests := []struct {
		name string
		doc  string
		want string
		is   error // ErrInvalid when nil
	}{
		// References.
		{"department", `{"people": [{"id": "p0", "name": "P0"}, {"id": "p1", "name": "P1"}, {"id": "p2", "name": "P2"},
			{"id": "p3", "name": "P3", "department": "salse"}]}`,
			`people[3].department: no department "salse"`, nil},
		{"door from", `{"doors": [{"id": "side", "name": "Side", "from": "hall", "to": "office"}]}`,
			`doors[0].from: no zone "hall"`, nil},
		{"door to", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "attic"}]}`,
			`doors[0].to: no zone "attic"`, nil},
		{"door to itself", `{"doors": [{"id": "side", "name": "Side", "from": "office", "to": "office"}]}`,
			`doors[0].to: same zone as from`, nil},
		{"door owner", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "owners": ["bob", "zoe"]}]}`,
			`doors[0].owners[1]: no person "zoe"`, nil},
		{"level door", `{"access_levels": [{"id": "l0", "name": "L0", "rules": [{"doors": ["main"]}]},
			{"id": "l1", "name": "L1", "rules": [{"doors": ["main", "lab", "vault"]}]}]}`,
			`access_levels[1].rules[0].doors[2]: no door "vault"`, nil},
		{"level without doors", `{"access_levels": [{"id": "l0", "name": "L0", "rules": [{"doors": []}]}]}`,
			`access_levels[0].rules[0].doors: required: at least one door`, nil},
		{"level schedule", `{"access_levels": [{"id": "l0", "name": "L0", "rules": [{"doors": ["main"], "schedule": "weekends"}]}]}`,
			`access_levels[0].rules[0].schedule: no schedule "weekends"`, nil},
		{"department level", `{"departments": [{"id": "d", "name": "D", "access_level": "vip"}]}`,
			`departments[0].access_level: no access level "vip"`, nil},
		{"department shift", `{"departments": [{"id": "d", "name": "D", "shift": "late"}]}`,
			`departments[0].shift: no shift "late"`, nil},
		{"person level", `{"people": [{"id": "zed", "name": "Zed", "access_levels": ["staff", "admins"]}]}`,
			`people[0].access_levels[1]: no access level "admins"`, nil},
		{"person shift", `{"people": [{"id": "zed", "name": "Zed", "shift": "evening"}]}`,
			`people[0].shift: no shift "evening"`, nil},
		{"grant person", `{"grants": [{"person": "zoe", "door": "main", "kind": "permanent"}]}`,
			`grants[0].person: no person "zoe"`, nil},
		{"grant door", `{"grants": [{"person": "ann", "door": "vault", "kind": "permanent"}]}`,
			`grants[0].door: no door "vault"`, nil},
		{"relay device", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "relay": "relay9:1"}]}`,
			`doors[0].relay: no device "relay9"`, nil},
		{"relay is a reader", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "relay": "main-in:1"}]}`,
			`doors[0].relay: device "main-in" is not a relay`, nil},
		{"relay channel", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "relay": "relay1:9"}]}`,
			`doors[0].relay: channel 9 is out of range 1..8 of usb-dcttech-relay "relay1"`, nil},
		{"relay channel 0", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "relay": "spare:0"}]}`,
			`doors[0].relay: channel 0: channels start at 1`, nil},
		{"relay form", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "relay": "relay1"}]}`,
			`doors[0].relay: "relay1": want DEVICE:CHANNEL, such as relay1:1`, nil},
		{"relay taken", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "relay": "relay1:01"}]}`,
			`doors[0].relay: relay1:1 already opens door "main"`, nil},
		{"relay device changed", `{"devices": [{"id": "relay1", "kind": "sim", "door": "main", "direction": "in"}]}`,
			`devices[0]: door "lab" uses it as relay relay1:2: device "relay1" is not a relay`, nil},
		{"reader door", `{"devices": [{"id": "side-in", "kind": "sim", "door": "side", "direction": "in"}]}`,
			`devices[0].door: no door "side"`, nil},
		{"reader direction", `{"devices": [{"id": "x", "kind": "sim", "door": "main", "direction": "up"}]}`,
			`devices[0].direction: "up": want in or out`, nil},
		{"reader without door", `{"devices": [{"id": "x", "kind": "serial-rdm6300", "port": "/dev/ttyUSB9"}]}`,
			`devices[0]: a serial-rdm6300 reader needs a door and a direction, or desk: true`, nil},
		{"reader door and desk", `{"devices": [{"id": "x", "kind": "sim", "door": "main", "direction": "in", "desk": true}]}`,
			`devices[0].desk: a reader has a door or desk: true, not both`, nil},
		{"relay with door", `{"devices": [{"id": "x", "kind": "usb-dcttech-relay", "door": "main", "direction": "in"}]}`,
			`devices[0].door: a usb-dcttech-relay is a relay and has no door`, nil},
		{"device kind", `{"devices": [{"id": "x", "kind": "serial-foo"}]}`,
			`devices[0].kind: unknown kind "serial-foo": want one of serial-rdm6300, serial-id12, serial-wiegand, serial-line, usb-wedge, sim, usb-dcttech-relay, serial-lcus-relay, serial-modbus-relay`, nil},
		{"serial port", `{"devices": [{"id": "x", "kind": "serial-id12", "desk": true}]}`,
			`devices[0].port: required for a serial-id12`, nil},
		{"baud", `{"devices": [{"id": "x", "kind": "serial-lcus-relay", "port": "/dev/ttyS0", "baud": 1000}]}`,
			`devices[0].baud: 1000: want 1200, 2400, 4800, 9600, 19200, 38400, 57600 or 115200`, nil},
		{"wedge vid", `{"devices": [{"id": "x", "kind": "usb-wedge", "vid": "fff", "pid": "0035", "desk": true}]}`,
			`devices[0].vid: "fff": want 4 hex digits, such as 0035`, nil},
		{"setting of another kind", `{"devices": [{"id": "x", "kind": "usb-wedge", "port": "/dev/ttyS0", "desk": true}]}`,
			`devices[0].port: a usb-wedge has no port`, nil},
		{"unknown format", `{"devices": [{"id": "x", "kind": "usb-wedge", "vid": "ffff", "pid": "0036", "desk": true, "format": "dec33"}]}`,
			`devices[0].format: "dec33" does not fit a usb-wedge: want auto, dec32, dec24, fac3num5, dec40, hex, uid-hex, uid-dec-rev`, nil},
		{"format of a kind without", `{"devices": [{"id": "x", "kind": "serial-rdm6300", "port": "/dev/ttyS0", "desk": true, "format": "hex"}]}`,
			`devices[0].format: a serial-rdm6300 has no format`, nil},
		{"format of wiegand 34", `{"devices": [{"id": "x", "kind": "serial-wiegand", "port": "/dev/ttyS0", "bits": 34, "desk": true, "format": "fac3num5"}]}`,
			`devices[0].format: "fac3num5" does not fit a serial-wiegand with bits 34: want auto, hex, dec32`, nil},
		{"format of wiegand 26", `{"devices": [{"id": "x", "kind": "serial-wiegand", "port": "/dev/ttyS0", "desk": true, "format": "dec32"}]}`,
			`devices[0].format: "dec32" does not fit a serial-wiegand with bits 26: want auto, hex, dec24, fac3num5`, nil},
		{"format of a relay", `{"devices": [{"id": "x", "kind": "sim", "format": "auto"}]}`,
			`devices[0].format: a sim has no format`, nil},

		// Values.
		{"bad time", `{"grants": [{"person": "ann", "door": "lab", "kind": "temporary", "until": "2026-11-31T09:00"}]}`,
			`grants[0].until: time "2026-11-31T09:00": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`, nil},
		{"bad date", `{"grants": [{"person": "ann", "door": "lab", "kind": "temporary", "until": "2026-02-30"}]}`,
			`grants[0].until: date "2026-02-30": February 2026 has no day 30`, nil},
		{"until before from", `{"grants": [{"person": "ann", "door": "lab", "kind": "temporary", "from": "2026-11-02", "until": "2026-11-01"}]}`,
			`grants[0].until: 2026-11-01 is not after from 2026-11-02`, nil},
		{"temporary without until", `{"grants": [{"person": "ann", "door": "lab", "kind": "temporary", "from": "2026-11-02"}]}`,
			`grants[0].until: required for a temporary grant`, nil},
		{"once without uses", `{"grants": [{"person": "ann", "door": "lab", "kind": "once"}]}`,
			`grants[0].uses: a once grant needs at least 1 use`, nil},
		{"once used up too far", `{"grants": [{"person": "ann", "door": "lab", "kind": "once", "uses": 3, "used": 4}]}`,
			`grants[0].used: 4 is more than uses 3`, nil},
		{"permanent with from", `{"grants": [{"person": "ann", "door": "lab", "kind": "permanent", "from": "2026-11-02"}]}`,
			`grants[0].from: a permanent grant has no from`, nil},
		{"uses on temporary", `{"grants": [{"person": "ann", "door": "lab", "kind": "temporary", "until": "2026-11-02", "uses": 2}]}`,
			`grants[0].uses: only a once grant has uses`, nil},
		{"grant kind", `{"grants": [{"person": "ann", "door": "lab", "kind": "forever"}]}`,
			`grants[0].kind: "forever": want permanent, temporary or once`, nil},
		{"bad window", `{"schedules": [{"id": "s", "name": "S", "week": {"mon": ["09:00-25:00"]}}]}`,
			`schedules[0].week.mon[0]: bad window "09:00-25:00": end "25:00": hour must be 00 to 24`, nil},
		{"overlapping windows", `{"shifts": [{"id": "s", "name": "S", "week": {"tue": ["09:00-12:00", "11:00-13:00"]}}]}`,
			`shifts[0].week.tue[1]: window "11:00-13:00" overlaps "09:00-12:00"`, nil},
		{"unknown day", `{"schedules": [{"id": "s", "name": "S", "week": {"mo": ["09:00-12:00"]}}]}`,
			`schedules[0].week.mo: unknown day, want mon, tue, wed, thu, fri, sat or sun`, nil},
		{"holiday rule", `{"schedules": [{"id": "s", "name": "S", "holidays": "open"}]}`,
			`schedules[0].holidays: "open": want normal or closed`, nil},
		{"bad timezone", `{"site": {"timezone": "Europe/Pariss"}}`,
			`site.timezone: unknown time zone "Europe/Pariss"`, nil},
		{"desk zone not work", `{"site": {"desk_zone": "outside"}}`,
			`site.desk_zone: zone "outside" is not a work zone`, nil},
		{"outside zone is work", `{"site": {"outside_zone": "lab"}}`,
			`site.outside_zone: zone "lab" is a work zone`, nil},
		{"noon before day start", `{"site": {"noon": "07:00"}}`,
			`site.noon: 07:00 is not after day_start 08:00`, nil},
		{"day end before noon", `{"site": {"day_end": "12:00"}}`,
			`site.day_end: 12:00 is not after noon 13:00`, nil},
		{"zero grace", `{"site": {"late_grace": "0s"}}`,
			`site.late_grace: 0s reads back as the default 5m; give a positive duration`, nil},
		{"negative duration", `{"site": {"debounce": "-3s"}}`,
			`site.debounce: duration "-3s": must not be negative`, nil},
		{"desk mode", `{"site": {"desk_mode": "twice"}}`,
			`site.desk_mode: "twice": want toggle or checkin_only`, nil},
		{"door mode", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "mode": "open"}]}`,
			`doors[0].mode: "open": want normal, unlocked or lockdown`, nil},

		// Ids and names.
		{"duplicate id", `{"zones": [{"id": "hall", "name": "Hall"}, {"id": "hall", "name": "Hall 2"}]}`,
			`zones[1].id: duplicate id "hall", also zones[0]`, nil},
		{"duplicate grant id", `{"grants": [{"id": "g9", "person": "ann", "door": "lab", "kind": "permanent"},
			{"id": "g9", "person": "bob", "door": "lab", "kind": "permanent"}]}`,
			`grants[1].id: duplicate id "g9", also grants[0]`, nil},
		{"duplicate holiday", `{"holidays": [{"date": "2027-01-01"}, {"date": "2027-01-01", "name": "New year"}]}`,
			`holidays[1].date: duplicate date 2027-01-01, also holidays[0]`, nil},
		{"bad id", `{"zones": [{"id": "front desk", "name": "Front desk"}]}`,
			`zones[0].id: bad id "front desk": use 1 to 64 letters, digits, '-', '_' or '.'`, nil},
		{"missing id", `{"people": [{"name": "Zed"}]}`,
			`people[0].id: required`, nil},
		{"missing name", `{"zones": [{"id": "hall", "name": " "}]}`,
			`zones[0].name: required`, nil},

		{"desk reader without desk zone", `{"site": {"desk_zone": ""}, "devices": [{"id": "desk2", "kind": "sim", "desk": true}]}`,
			`devices[0].desk: a desk reader needs site.desk_zone: the work zone a desk check-in puts people in`, nil},
		// Roles and accounts.
		{"unknown permission", `{"roles": [{"id": "door", "name": "Door", "permissions": ["doors.view", "door.view"]}]}`,
			`roles[0].permissions[1]: unknown permission "door.view"`, nil},
		{"permission listed twice", `{"roles": [{"id": "r0", "name": "R0"},
			{"id": "r1", "name": "R1", "permissions": ["doors.view", "logs.view.own", "doors.view"]}]}`,
			`roles[1].permissions[2]: permission "doors.view" is listed twice, also roles[1].permissions[0]`, nil},
		{"duplicate role id", `{"roles": [{"id": "guard", "name": "Guard"}, {"id": "guard", "name": "Guard 2"}]}`,
			`roles[1].id: duplicate id "guard", also roles[0]`, nil},
		{"role without name", `{"roles": [{"id": "guard", "permissions": ["doors.view"]}]}`,
			`roles[0].name: required`, nil},
		{"bad role id", `{"roles": [{"id": "night guard", "name": "Night guard"}]}`,
			`roles[0].id: bad id "night guard": use 1 to 64 letters, digits, '-', '_' or '.'`, nil},
		{"missing role", `{"accounts": [{"username": "zed", "roles": ["guard", "bosss"], "password": "long enough password"}]}`,
			`accounts[0].roles[1]: no role "bosss"`, nil},
		{"no role", `{"accounts": [{"username": "zed", "roles": [], "password": "long enough password"}]}`,
			`accounts[0].roles: required: at least one role`, nil},
		{"role listed twice", `{"accounts": [{"username": "zed", "roles": ["boss", "hr", "boss"], "password": "long enough password"}]}`,
			`accounts[0].roles[2]: role "boss" is listed twice, also accounts[0].roles[0]`, nil},
		{"unknown person", `{"accounts": [{"username": "zed", "person": "zoe", "roles": ["boss"], "password": "long enough password"}]}`,
			`accounts[0].person: no person "zoe"`, nil},
		{"short password", `{"accounts": [{"username": "zed", "roles": ["boss"], "password": "hunter2"}]}`,
			`accounts[0].password: password too short: 7 characters, want at least 10`, nil},
		{"blank password", `{"accounts": [{"username": "zed", "roles": ["boss"], "password": "            "}]}`,
			`accounts[0].password: password is only spaces`, nil},
		{"empty password of a stored account", `{"accounts": [{"username": "bob", "person": "bob", "roles": ["boss"], "password": ""}]}`,
			`accounts[0].password: password too short: 0 characters, want at least 10`, nil},
		{"password and hash", `{"accounts": [{"username": "zed", "roles": ["boss"], "password": "long enough password",
			"password_hash": "` + bobHash + `"}]}`,
			`accounts[0].password_hash: an account has password or password_hash, not both`, nil},
		{"new account without password", `{"accounts": [{"username": "zed", "roles": ["boss"]}]}`,
			`accounts[0].password: required for a new account, unless password_hash is given`, nil},
		{"bcrypt hash", `{"accounts": [{"username": "zed", "roles": ["boss"],
			"password_hash": "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}]}`,
			`accounts[0].password_hash: password hash: want $argon2id$v=19$m=...,t=...,p=...$salt$hash`, nil},
		{"costly hash", `{"accounts": [{"username": "zed", "roles": ["boss"],
			"password_hash": "$argon2id$v=19$m=4194304,t=2,p=1$xobr0zDuwd7qDE55Y0YKdQ$ZkL5XpKVeSpZZG1pt8IGGrBJCU3bS672CHXcsvk8DG0"}]}`,
			`accounts[0].password_hash: password hash: parameters "m=4194304,t=2,p=1" out of range`, nil},
		{"duplicate username", `{"accounts": [{"username": "zed", "roles": ["boss"], "password": "long enough password"},
			{"username": "zed", "roles": ["hr"], "password": "another long password"}]}`,
			`accounts[1].username: duplicate username "zed", also accounts[0]`, nil},
		{"missing username", `{"accounts": [{"roles": ["boss"], "password": "long enough password"}]}`,
			`accounts[0].username: required`, nil},
		{"bad username", `{"accounts": [{"username": "Zed Z", "roles": ["boss"], "password": "long enough password"}]}`,
			`accounts[0].username: bad id "Zed Z": use 1 to 64 letters, digits, '-', '_' or '.'`, nil},

		// Cards.
		{"card held by another person", `{"people": [{"id": "p0", "name": "P0"}, {"id": "p1", "name": "P1"},
			{"id": "zed", "name": "Zed", "cards": ["EM:0102b0a5fd"]}]}`,
			`people[2].cards[0]: card em:0102B0A5FD already belongs to "ann"`, core.ErrConflict},
		{"same card in another format, stored", `{"people": [{"id": "zed", "name": "Zed", "cards": ["dec:0045131261"]}]}`,
			`people[0].cards[0]: card dec:0045131261 of "zed" reads the same as em:0102B0A5FD of "ann": readers that see fewer bits cannot tell them apart`, core.ErrConflict},
		{"same card in another format, in the file", `{"people": [{"id": "p0", "name": "P0", "cards": ["w26:1:2"]},
			{"id": "p1", "name": "P1", "cards": ["em:FF00010002"]}]}`,
			`people[1].cards[0]: card em:FF00010002 of "p1" reads the same as w26:1:2 of "p0": readers that see fewer bits cannot tell them apart`, core.ErrConflict},
		{"card listed twice", `{"people": [{"id": "p0", "name": "P0", "cards": ["em:00000000AA", "dec:7"]},
			{"id": "p1", "name": "P1", "cards": [{"code": "DEC:0000000007"}]}]}`,
			`people[1].cards[0]: card dec:0000000007 is listed twice, also people[0].cards[1]`, nil},
		{"bad card code", `{"people": [{"id": "zed", "name": "Zed", "cards": ["em:12"]}]}`,
			`people[0].cards[0]: card code "em:12": em needs 10 hex digits`, nil},
		{"card state", `{"people": [{"id": "zed", "name": "Zed", "cards": [{"code": "em:00000000AB", "state": "stolen"}]}]}`,
			`people[0].cards[0].state: "stolen": want active, lost or revoked`, nil},
		{"card until", `{"people": [{"id": "zed", "name": "Zed", "cards": [{"code": "em:00000000AB", "until": "soon"}]}]}`,
			`people[0].cards[0].until: time "soon": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`, nil},

		// What ReadSiteFile refuses.
		{"unknown key", `{"people": [{"id": "p0", "name": "P0"}, {"id": "p1", "name": "P1"}, {"id": "zed", "name": "Zed", "phon": "123"}]}`,
			`people[2].phon: unknown key`, nil},
		{"unknown top-level key", `{"zone": []}`, `zone: unknown key`, nil},
		{"unknown card key", `{"people": [{"id": "zed", "name": "Zed", "cards": [{"code": "em:00000000AB", "stat": "lost"}]}]}`,
			`people[0].cards[0].stat: unknown key`, nil},
		{"unknown role key", `{"roles": [{"id": "r", "name": "R", "permission": ["doors.view"]}]}`,
			`roles[0].permission: unknown key`, nil},
		{"unknown account key", `{"accounts": [{"username": "zed", "roles": ["boss"], "passwd": "long enough password"}]}`,
			`accounts[0].passwd: unknown key`, nil},
		{"password not a string", `{"accounts": [{"username": "zed", "roles": ["boss"], "password": 12345678901}]}`,
			`accounts[0].password: want a string, got a number`, nil},
		{"enabled not a boolean", `{"accounts": [{"username": "zed", "roles": ["boss"], "password": "long enough password", "enabled": "no"}]}`,
			`accounts[0].enabled: want true or false, got "no"`, nil},
		{"key twice", `{"zones": [{"id": "hall", "id": "hall2", "name": "Hall"}]}`,
			`zones[0].id: key given twice`, nil},
		{"wrong type", `{"zones": [{"id": "hall", "name": "Hall", "work": "yes"}]}`,
			`zones[0].work: want true or false, got "yes"`, nil},
		{"not a number", `{"grants": [{"person": "ann", "door": "lab", "kind": "once", "uses": 1.5}]}`,
			`grants[0].uses: want a whole number, got 1.5`, nil},
		{"not a list", `{"zones": {"id": "hall"}}`,
			`zones: want a list, got an object`, nil},
		{"bad card form", `{"people": [{"id": "zed", "name": "Zed", "cards": [42]}]}`,
			`people[0].cards[0]: want a card code or an object, got number 42`, nil},
		{"bad duration", `{"doors": [{"id": "side", "name": "Side", "from": "outside", "to": "office", "pulse": 3}]}`,
			`doors[0].pulse: duration: want a string, got 3`, nil},
		{"syntax error", "{\"zones\": [\n  {\"id\": \"hall\",}\n]}",
			`zones[0]: line 2, column 17: invalid character '}' looking for beginning of object key string`, nil},
		{"truncated", `{"zones": [{"id": "hall"`, `zones[0]: line 1, column 25: the file ends too soon`, nil},
		{"trailing data", `{} {}`, `line 1, column 4: unexpected data after the site object`, nil},
		{"empty", ``, `the site file is empty`, nil},
		{"not an object", `[]`, `a site file is a JSON object, got a list`, nil},

		// A valid start does not get written when a later part is bad.
		{"valid start, bad end", `{"zones": [{"id": "hall", "name": "Hall", "work": true}],
			"people": [{"id": "ann", "name": "Ann Renamed", "cards": []}],
			"grants": [{"person": "ann", "door": "lab", "kind": "once", "uses": 0}]}`,
			`grants[0].uses: a once grant needs at least 1 use`, nil},
		{"valid roles and accounts, bad grant", `{"roles": [{"id": "temp", "name": "Temp", "permissions": ["doors.view"]},
			{"id": "boss", "name": "Changed boss", "permissions": []}],
			"accounts": [{"username": "zed", "roles": ["temp"], "password": "long enough password"},
			{"username": "bob", "roles": ["temp"], "password": "another long password"}],
			"grants": [{"person": "ann", "door": "lab", "kind": "forever"}]}`,
			`grants[0].kind: "forever": want permanent, temporary or once`, nil},
		{"valid role, bad account", `{"roles": [{"id": "temp", "name": "Temp", "permissions": ["doors.view"]}],
			"accounts": [{"username": "bob", "roles": ["temp"]}, {"username": "zed", "roles": ["temp"], "password": "short"}]}`,
			`accounts[1].password: password too short: 5 characters, want at least 10`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := importDoc(db, tt.doc)
			if err == nil {
				t.Fatalf("got no error, want %v", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			is := tt.is
			if is == nil {
				is = core.ErrInvalid
			}
			if !errors.Is(err, is) {
				t.Errorf("errors.Is(%v): got %v, want %v", is, false, true)
			}
			var fe *core.SiteFileError
			if !errors.As(err, &fe) {
				t.Errorf("error type: got %T, want %T", err, fe)
			}
			if after := exportDoc(t, db); after != before {
				t.Errorf("the database changed:\n%s", firstDiff(after, before))
			}
		})
	}
}

// cardsOf returns the codes of person's cards, in code order.
func cardsOf(t *testing.T, db *storage.DB, person string) string {
	t.Helper()
	var codes []string
	err := db.View(func(tx core.Tx) error {
		cards, err := tx.CardsOf(person)
		for _, c := range cards {
			codes = append(codes, c.Code)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(codes, " ")
}

func TestImportCards(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, `{"people": [
		{"id": "ann", "name": "Ann", "phone": "+33 6 00 00 00 01", "cards": ["em:00000000A1", "em:00000000A2"]},
		{"id": "bob", "name": "Bob", "cards": ["dec:0000000177"]}]}`)

	steps := []struct {
		name      string
		doc       string
		ann, bob  string
		wantError string
	}{
		{"no cards key keeps the cards", `{"people": [{"id": "ann", "name": "Ann Martin"}]}`,
			"em:00000000A1 em:00000000A2", "dec:0000000177", ""},
		{"listed cards replace the others", `{"people": [{"id": "ann", "name": "Ann", "cards": ["em:00000000a2", "uid:04A22B1A"]}]}`,
			"em:00000000A2 uid:04A22B1A", "dec:0000000177", ""},
		{"same list again changes nothing", `{"people": [{"id": "ann", "name": "Ann", "cards": ["uid:04a22b1a", "EM:00000000A2"]}]}`,
			"em:00000000A2 uid:04A22B1A", "dec:0000000177", ""},
		{"another person's card", `{"people": [{"id": "ann", "name": "Ann", "cards": ["dec:177"]}]}`,
			"em:00000000A2 uid:04A22B1A", "dec:0000000177",
			`people[0].cards[0]: card dec:0000000177 already belongs to "bob"`},
		{"a card moves when both lists are given", `{"people": [{"id": "ann", "name": "Ann", "cards": ["dec:177"]}, {"id": "bob", "name": "Bob", "cards": []}]}`,
			"dec:0000000177", "", ""},
		{"and back, the giver listed first", `{"people": [{"id": "ann", "name": "Ann", "cards": []}, {"id": "bob", "name": "Bob", "cards": ["dec:177"]}]}`,
			"", "dec:0000000177", ""},
		{"empty list deletes every card", `{"people": [{"id": "bob", "name": "Bob", "cards": []}]}`,
			"", "", ""},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			err := importDoc(db, s.doc)
			switch {
			case s.wantError == "" && err != nil:
				t.Fatalf("import: %v", err)
			case s.wantError != "" && (err == nil || err.Error() != s.wantError):
				t.Fatalf("got %v, want %v", err, s.wantError)
			}
			if got := cardsOf(t, db, "ann"); got != s.ann {
				t.Errorf("ann's cards: got %v, want %v", got, s.ann)
			}
			if got := cardsOf(t, db, "bob"); got != s.bob {
				t.Errorf("bob's cards: got %v, want %v", got, s.bob)
			}
		})
	}

	// The file's version of a person replaces the stored one wholly.
	var ann core.Person
	if err := db.View(func(tx core.Tx) error { return tx.Get(core.KindPerson, "ann", &ann) }); err != nil {
		t.Fatal(err)
	}
	if ann.Phone != "" {
		t.Errorf("ann's phone after an import without it: got %v, want %v", ann.Phone, "")
	}
	var deleted core.Card
	err := db.View(func(tx core.Tx) error { return tx.Get(core.KindCard, "em:00000000A1", &deleted) })
	if !errors.Is(err, core.ErrNotFound) {
		t.Errorf("a card no longer listed: got %v, want %v", err, core.ErrNotFound)
	}
}

// TestImportKeepsOthers checks that objects the file does not name stay,
// and that site settings merge key by key.
func TestImportKeepsOthers(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, readTestFile(t, "testdata/rich-site.json"))
	mustImport(t, db, `{"site": {"name": "Head office"}, "zones": [{"id": "hall", "name": "Hall", "work": true}]}`)
	err := db.View(func(tx core.Tx) error {
		site, err := tx.Site()
		if err != nil {
			return err
		}
		if got, want := site.Name+" "+site.Timezone+" "+site.DeskZone, "Head office Europe/Paris office"; got != want {
			t.Errorf("site: got %v, want %v", got, want)
		}
		n, err := tx.Count(core.KindZone)
		if err != nil {
			return err
		}
		if n != 4 {
			t.Errorf("zones: got %v, want %v", n, 4)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestImportGrantsWithoutID(t *testing.T) {
	db := storagetest.MustOpen(t)
	base := `{"site": {"timezone": "Europe/Paris"},
		"zones": [{"id": "out", "name": "Out"}, {"id": "in", "name": "In", "work": true}],
		"doors": [{"id": "d", "name": "D", "from": "out", "to": "in"}],
		"people": [{"id": "ann", "name": "Ann"}]}`
	mustImport(t, db, base)
	grant := func(until string, uses int) string {
		return `{"grants": [{"person": "ann", "door": "d", "kind": "once", "uses": ` + strconv.Itoa(uses) +
			`, "until": "` + until + `"}]}`
	}
	ids := func() string {
		var out []string
		err := db.View(func(tx core.Tx) error {
			gs, err := tx.GrantsFor("ann", "d")
			for _, g := range gs {
				out = append(out, g.ID+":"+strconv.Itoa(g.Uses))
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(out, " ")
	}
	steps := []struct {
		name, doc, want string
	}{
		{"new grant", grant("2026-12-01T00:00", 3), "g1:3"},
		{"same grant updates it", grant("2026-12-01T00:00", 5), "g1:5"},
		{"same instant written with its offset", grant("2026-12-01T00:00:00+01:00", 6), "g1:6"},
		{"another until is another grant", grant("2026-12-02", 1), "g1:6 g2:1"},
		{"a grant named by id is not matched twice", `{"grants": [
			{"id": "g1", "person": "ann", "door": "d", "kind": "once", "uses": 7, "until": "2026-12-01T00:00"},
			{"person": "ann", "door": "d", "kind": "once", "uses": 2, "until": "2026-12-01T00:00"}]}`, "g1:7 g2:1 g3:2"},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			mustImport(t, db, s.doc)
			if got := ids(); got != s.want {
				t.Errorf("grants: got %v, want %v", got, s.want)
			}
		})
	}
}

// TestImportTimesInSiteZone checks that local times are read in the
// file's zone, else the stored one, and that offsets win.
func TestImportTimesInSiteZone(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, `{"zones": [{"id": "out", "name": "Out"}, {"id": "in", "name": "In", "work": true}],
		"doors": [{"id": "d", "name": "D", "from": "out", "to": "in"}], "people": [{"id": "ann", "name": "Ann"}]}`)
	tests := []struct {
		name, doc string
		want      time.Time
	}{
		{"stored zone, the default UTC", `{"grants": [{"id": "a", "person": "ann", "door": "d", "kind": "temporary", "until": "2026-12-01T09:00"}]}`,
			time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)},
		{"the file's zone", `{"site": {"timezone": "Asia/Tokyo"},
			"grants": [{"id": "a", "person": "ann", "door": "d", "kind": "temporary", "until": "2026-12-01T09:00"}]}`,
			time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)},
		{"the zone stored by the last import; a date ends with its day", `{"grants": [{"id": "a", "person": "ann", "door": "d", "kind": "temporary", "until": "2026-12-02"}]}`,
			time.Date(2026, 12, 2, 15, 0, 0, 0, time.UTC)},
		{"an offset wins", `{"grants": [{"id": "a", "person": "ann", "door": "d", "kind": "temporary", "until": "2026-12-01T09:00:00-05:00"}]}`,
			time.Date(2026, 12, 1, 14, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mustImport(t, db, tt.doc)
			var g core.Grant
			if err := db.View(func(tx core.Tx) error { return tx.Get(core.KindGrant, "a", &g) }); err != nil {
				t.Fatal(err)
			}
			if !g.Until.Equal(tt.want) {
				t.Errorf("until: got %v, want %v", g.Until.UTC(), tt.want)
			}
		})
	}
}

func TestImportDST(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	db := storagetest.MustOpen(t)
	doc := `{"site": {"timezone": "Europe/Paris"},
		"zones": [{"id": "out", "name": "Out"}, {"id": "in", "name": "In", "work": true}],
		"doors": [{"id": "d", "name": "D", "from": "out", "to": "in"}],
		"people": [{"id": "ann", "name": "Ann"}],
		"grants": [
			{"id": "local", "person": "ann", "door": "d", "kind": "temporary", "until": "2026-10-25T02:30"},
			{"id": "first", "person": "ann", "door": "d", "kind": "temporary", "until": "2026-10-25T02:30:00+02:00"},
			{"id": "second", "person": "ann", "door": "d", "kind": "temporary", "until": "2026-10-25T02:30:00+01:00"},
			{"id": "gap", "person": "ann", "door": "d", "kind": "temporary", "from": "2026-03-29T02:30", "until": "2026-03-29T04:00"}]}`
	mustImport(t, db, doc)
	first := exportDoc(t, db)

	local, err := core.ParseTime("2026-10-25T02:30", paris)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Time{
		"local":  local,
		"first":  time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC),
		"second": time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC),
	}
	check := func(t *testing.T) {
		t.Helper()
		err := db.View(func(tx core.Tx) error {
			for id, w := range want {
				var g core.Grant
				if err := tx.Get(core.KindGrant, id, &g); err != nil {
					return err
				}
				if !g.Until.Equal(w) {
					t.Errorf("grant %s until: got %v, want %v", id, g.Until, w)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check(t)
	// The export writes the 02:30 that the local form reads as in the
	// short form, and the other one with its offset.
	exported, err := core.ReadSiteFile(strings.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range exported.Grants {
		w, ok := want[g.ID]
		if !ok {
			continue
		}
		form := w.In(paris).Format(time.RFC3339)
		if w.Equal(local) {
			form = "2026-10-25T02:30"
		}
		if g.Until != form {
			t.Errorf("grant %s exported until: got %v, want %v", g.ID, g.Until, form)
		}
	}

	mustImport(t, db, first)
	check(t)
	if got := exportDoc(t, db); got != first {
		t.Errorf("export changed:\n%s", firstDiff(got, first))
	}
	fresh := storagetest.MustOpen(t)
	mustImport(t, fresh, first)
	if got := exportDoc(t, fresh); got != first {
		t.Errorf("export of a new database:\n%s", firstDiff(got, first))
	}
}

func TestDemoSite(t *testing.T) {
	doc := readTestFile(t, "../assets/demo-site.json")
	db := storagetest.MustOpen(t)
	mustImport(t, db, doc)
	first := exportDoc(t, db)
	mustImport(t, db, doc)
	if got := exportDoc(t, db); got != first {
		t.Errorf("importing the demo twice changed the site:\n%s", firstDiff(got, first))
	}

	err := db.View(func(tx core.Tx) error {
		site, err := tx.Site()
		if err != nil {
			return err
		}
		if site.Name != "Demo office" || site.Timezone != "Europe/Paris" {
			t.Errorf("site: got %v in %v, want Demo office in Europe/Paris", site.Name, site.Timezone)
		}
		var boss core.Person
		if err := tx.Get(core.KindPerson, "boss", &boss); err != nil {
			return err
		}
		if boss.Name != "Claire Dubois" || !boss.Master {
			t.Errorf("boss: got %+v, want Claire Dubois, master", boss)
		}
		people, err := tx.Count(core.KindPerson)
		if err != nil {
			return err
		}
		if people < 20 {
			t.Errorf("people: got %v, want at least 20", people)
		}
		// Every demo card must be told apart from every other by every
		// reader: no two cards match the same read.
		var cards []core.Card
		states := map[core.CardState]int{}
		err = tx.List(core.KindCard, func(_ string, decode func(any) error) error {
			var c core.Card
			if err := decode(&c); err != nil {
				return err
			}
			cards = append(cards, c)
			states[c.State]++
			return nil
		})
		if err != nil {
			return err
		}
		codes := make([]core.Code, len(cards))
		formats := map[core.Format]bool{}
		for i, c := range cards {
			if codes[i], err = core.ParseCode(c.Code); err != nil {
				return err
			}
			formats[codes[i].Format] = true
		}
		for i := range codes {
			for j := range i {
				if codes[i].Matches(codes[j]) || codes[j].Matches(codes[i]) {
					t.Errorf("cards %s and %s match the same reads", cards[i].Code, cards[j].Code)
				}
			}
		}
		for _, f := range []core.Format{core.FormatEM, core.FormatDec, core.FormatW26, core.FormatUID} {
			if !formats[f] {
				t.Errorf("no demo card in format %q", f)
			}
		}
		if states[core.CardLost] == 0 {
			t.Errorf("lost cards: got %v, want at least 1", states[core.CardLost])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzReadSiteFile(f *testing.F) {
	// Small seeds only: the fuzzer minimises every input that finds new
	// code, which takes minutes from a whole site file.
	for _, s := range []string{
		``, `{}`,
		`{"site": {"name": "HQ", "timezone": "Europe/Paris", "noon": "13:00", "debounce": "3s", "desk_mode": "toggle"},
		"zones": [{"id": "o", "name": "O", "work": true}], "holidays": [{"date": "2026-12-25", "name": "Noël"}],
		"doors": [{"id": "d", "name": "D", "from": "o", "to": "i", "owners": ["b"], "relay": "r:1", "pulse": "3s"}],
		"devices": [{"id": "r", "kind": "sim", "baud": 9600, "desk": true}],
		"access_levels": [{"id": "l", "name": "L", "rules": [{"doors": ["d"], "schedule": "s"}]}],
		"people": [{"id": "a", "name": "A", "active": false, "cards": ["em:0102B0A5FD", {"code": "dec:7", "state": "lost"}]}],
		"grants": [{"person": "a", "door": "d", "kind": "once", "uses": 3, "until": "2026-12-01T00:00"}]}`, `null`, `[]`, `{"site": null}`, `{"site": {"day_cutoff": "21:00", "late_grace": 5}}`,
		`{"people": [{"id": "a", "name": "A", "cards": ["em:0102B0A5FD", {"code": "x", "until": "2026-01-01"}, null]}]}`,
		`{"schedules": [{"id": "s", "name": "S", "week": {"mon": ["22:00-06:00"], "tue": null}}]}`,
		`{"holidays": [{"date": "2026-02-29"}, {}]}`, `{"roles": 1}`, `{"zones": [{"id": 1e400}]}`,
		`{"roles": [{"id": "r", "name": "R", "permissions": ["doors.view"]}], "accounts": [{"username": "u", "roles": ["r"],
		"password": "long enough", "password_hash": "$argon2id$", "enabled": false}, {"password": 7}]}`,
		`{"grants": [{"uses": -9223372036854775809}]}`, `{"devices": [{"baud": 1.0}]}`, "{\"zones\": [\xff]}",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := core.ReadSiteFile(bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, core.ErrInvalid) {
				t.Fatalf("error does not wrap ErrInvalid: %v", err)
			}
			return
		}
		var first bytes.Buffer
		if err := core.WriteSiteFile(&first, sf); err != nil {
			return // a value only ImportSite checks, such as a missing date
		}
		again, err := core.ReadSiteFile(bytes.NewReader(first.Bytes()))
		if err != nil {
			t.Fatalf("reading what WriteSiteFile wrote: %v\n%s", err, first.Bytes())
		}
		var second bytes.Buffer
		if err := core.WriteSiteFile(&second, again); err != nil {
			t.Fatalf("writing it again: %v", err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Fatalf("write, read, write differs:\n%s\n%s", first.Bytes(), second.Bytes())
		}
	})
}

// TestSameCardTwoFormatsOnePerson: one person may hold the same physical
// card in several formats (enrolled from an RDM6300 and from a wedge), and
// a card moves to another person when the file takes it from its holder.
func TestSameCardTwoFormatsOnePerson(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, readTestFile(t, "testdata/rich-site.json"))
	mustImport(t, db, `{"people": [{"id": "ann", "name": "Ann Martin", "department": "sales",
		"cards": ["em:0102B0A5FD", "dec:0045131261"]}]}`)
	mustImport(t, db, `{"people": [{"id": "ann", "name": "Ann Martin", "department": "sales", "cards": []},
		{"id": "zed", "name": "Zed", "cards": ["w26:176:42493"]}]}`)
	var got []core.Card
	db.View(func(tx core.Tx) error {
		got, _ = tx.CardsMatching(mustCode(t, "em:0102B0A5FD"))
		return nil
	})
	if len(got) != 1 || got[0].Person != "zed" {
		t.Fatalf("got %+v, want only zed's w26 card", got)
	}
}

func mustCode(t testing.TB, s string) core.Code {
	t.Helper()
	c, err := core.ParseCode(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestReimportKeepsSpentUses: a file that does not say "used" leaves the
// uses a once grant has spent; one that does sets them.
func TestReimportKeepsSpentUses(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, readTestFile(t, "testdata/rich-site.json"))
	grant := `{"grants": [{"person": "ann", "door": "main", "kind": "once", "uses": 4%s}]}`
	mustImport(t, db, fmt.Sprintf(grant, ""))
	spend := func() (id string) {
		db.Update(func(tx core.Tx) error {
			gs, _ := tx.GrantsFor("ann", "main")
			for _, g := range gs {
				if g.Kind == core.GrantOnce && g.Uses == 4 {
					g.Used = 2
					id = g.ID
					return tx.Put(core.KindGrant, g.ID, g)
				}
			}
			return nil
		})
		return id
	}
	used := func(id string) int {
		var g core.Grant
		db.View(func(tx core.Tx) error { return tx.Get(core.KindGrant, id, &g) })
		return g.Used
	}
	id := spend()
	mustImport(t, db, fmt.Sprintf(grant, ""))
	if got := used(id); got != 2 {
		t.Fatalf("after a re-import without used: got %d uses spent, want 2", got)
	}
	mustImport(t, db, fmt.Sprintf(grant, `, "used": 0`))
	if got := used(id); got != 0 {
		t.Fatalf("after a re-import with used 0: got %d uses spent, want 0", got)
	}
}

// storedAccount returns the stored account username or stops the test.
func storedAccount(t *testing.T, db *storage.DB, username string) core.Account {
	t.Helper()
	var a core.Account
	if err := db.View(func(tx core.Tx) error { return tx.Get(core.KindAccount, username, &a) }); err != nil {
		t.Fatalf("account %s: %v", username, err)
	}
	return a
}

// TestImportAccounts follows one account through imports: a password is
// kept, or replaced, and only a replaced one clears the login state.
func TestImportAccounts(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, `{"people": [{"id": "bob", "name": "Bob"}],
		"roles": [{"id": "guard", "name": "Guard", "permissions": ["doors.view", "doors.open"]}],
		"accounts": [{"username": "bob", "person": "bob", "roles": ["boss"], "password": "change me now"},
			{"username": "night", "roles": ["guard"], "password_hash": "`+amyHash+`", "enabled": false}]}`)
	bob := storedAccount(t, db, "bob")
	if !core.PasswordMatches(bob.PasswordHash, "change me now") {
		t.Fatalf("bob's password: the stored hash does not match the file's password")
	}
	if bob.Disabled || bob.Person != "bob" || strings.Join(bob.Roles, " ") != "boss" {
		t.Errorf("bob: got %+v, want enabled, person bob, role boss", bob)
	}
	if night := storedAccount(t, db, "night"); !night.Disabled || night.PasswordHash != amyHash || night.Person != "" {
		t.Errorf("night: got %+v, want disabled, no person, the file's hash", night)
	}

	// Lock bob out, as wrong passwords do, and give him the roles the
	// files below give him.
	lockedUntil := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	bob.FailedLogins, bob.LockedUntil = 3, lockedUntil
	bob.Roles = []string{"boss", "guard"}
	if err := db.Update(func(tx core.Tx) error { return tx.Put(core.KindAccount, "bob", bob) }); err != nil {
		t.Fatal(err)
	}
	bobDoc := func(extra string) string {
		return `{"accounts": [{"username": "bob", "person": "bob", "roles": ["boss", "guard"]` + extra + `}]}`
	}
	steps := []struct {
		name, doc string
		// password is one the stored hash must match; sameHash tells
		// whether the hash and the login state stay as they were.
		password string
		sameHash bool
	}{
		{"no password keeps it", bobDoc(``), "change me now", true},
		{"the same password keeps its hash", bobDoc(`, "password": "change me now"`), "change me now", true},
		{"the same hash keeps it", "", "change me now", true}, // doc set below
		{"a new password replaces it", bobDoc(`, "password": "a better password"`), "a better password", false},
		{"a hash replaces it", bobDoc(`, "password_hash": "` + bobHash + `"`), bobPassword, false},
		{"no password again keeps that one", bobDoc(``), bobPassword, true},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			before := storedAccount(t, db, "bob")
			doc := s.doc
			if doc == "" {
				doc = bobDoc(`, "password_hash": "` + before.PasswordHash + `"`)
			}
			exported := exportDoc(t, db)
			mustImport(t, db, doc)
			after := storedAccount(t, db, "bob")
			if strings.Join(after.Roles, " ") != "boss guard" {
				t.Errorf("roles: got %v, want boss guard", after.Roles)
			}
			if !core.PasswordMatches(after.PasswordHash, s.password) {
				t.Errorf("the stored hash does not match %q", s.password)
			}
			wantFailed, wantLocked := 0, time.Time{}
			if s.sameHash {
				wantFailed, wantLocked = before.FailedLogins, before.LockedUntil
				if after.PasswordHash != before.PasswordHash {
					t.Errorf("hash: changed, want kept")
				}
				if got := exportDoc(t, db); got != exported {
					t.Errorf("export changed:\n%s", firstDiff(got, exported))
				}
			} else if after.PasswordHash == before.PasswordHash {
				t.Errorf("hash: kept, want replaced")
			}
			if after.FailedLogins != wantFailed || !after.LockedUntil.Equal(wantLocked) {
				t.Errorf("login state: got %d failed, locked until %v; want %d, %v",
					after.FailedLogins, after.LockedUntil, wantFailed, wantLocked)
			}
		})
	}
	if bob := storedAccount(t, db, "bob"); bob.FailedLogins != 0 || !bob.LockedUntil.IsZero() {
		t.Fatalf("bob is still locked out after a new password: %+v", bob)
	}

	// The file's account replaces the stored one wholly, password aside.
	mustImport(t, db, `{"accounts": [{"username": "bob", "roles": ["guard"], "enabled": false}]}`)
	if bob := storedAccount(t, db, "bob"); !bob.Disabled || bob.Person != "" || !core.PasswordMatches(bob.PasswordHash, bobPassword) {
		t.Errorf("bob: got %+v, want disabled, no person, the same password", bob)
	}
	mustImport(t, db, `{"accounts": [{"username": "bob", "roles": ["guard"]}]}`)
	if bob := storedAccount(t, db, "bob"); bob.Disabled {
		t.Errorf("bob after a file without enabled: disabled, want enabled")
	}

	// Export writes hashes and enabled: false only, never a password or
	// the login state.
	bob = storedAccount(t, db, "bob")
	bob.FailedLogins, bob.LockedUntil = 2, lockedUntil
	if err := db.Update(func(tx core.Tx) error { return tx.Put(core.KindAccount, "bob", bob) }); err != nil {
		t.Fatal(err)
	}
	doc := exportDoc(t, db)
	for _, bad := range []string{`"password"`, "failed", "locked", "2030", `"enabled": true`} {
		if strings.Contains(doc, bad) {
			t.Errorf("the export holds %s:\n%s", bad, doc)
		}
	}
	for _, want := range []string{`"password_hash": "` + bobHash + `"`, `"password_hash": "` + amyHash + `",
      "enabled": false`} {
		if !strings.Contains(doc, want) {
			t.Errorf("the export lacks %s:\n%s", want, doc)
		}
	}
	fresh := storagetest.MustOpen(t)
	mustImport(t, fresh, doc)
	if got := exportDoc(t, fresh); got != doc {
		t.Errorf("export of a new database:\n%s", firstDiff(got, doc))
	}
	if a := storedAccount(t, fresh, "bob"); a.FailedLogins != 0 || !a.LockedUntil.IsZero() {
		t.Errorf("bob in a new database: got %+v, want no failed logins and no lockout", a)
	}
}

// TestImportBuiltinRole: the built-in roles are stored in every database
// and a file edits them like any role.
func TestImportBuiltinRole(t *testing.T) {
	db := storagetest.MustOpen(t)
	role := func() core.Role {
		var r core.Role
		if err := db.View(func(tx core.Tx) error { return tx.Get(core.KindRole, core.RoleBoss, &r) }); err != nil {
			t.Fatal(err)
		}
		return r
	}
	builtin := core.BuiltinRoles()[2]
	if got := role(); got.ID != core.RoleBoss || !slices.Equal(got.Permissions, builtin.Permissions) {
		t.Fatalf("boss of a new database: got %+v, want %+v", got, builtin)
	}
	// Re-importing the export of a new database changes nothing.
	first := exportDoc(t, db)
	mustImport(t, db, first)
	if got := exportDoc(t, db); got != first {
		t.Errorf("export changed:\n%s", firstDiff(got, first))
	}

	doc := `{"roles": [{"id": "boss", "name": "Door boss", "permissions": ["doors.view", "doors.open", "grants.edit.own"]}]}`
	mustImport(t, db, doc)
	want := core.Role{ID: "boss", Name: "Door boss",
		Permissions: []core.Permission{core.PermDoorsView, core.PermDoorsOpen, core.PermGrantsEditOwn}}
	if got := role(); got.Name != want.Name || !slices.Equal(got.Permissions, want.Permissions) {
		t.Errorf("boss: got %+v, want %+v", got, want)
	}
	edited := exportDoc(t, db)
	mustImport(t, db, doc)
	if got := exportDoc(t, db); got != edited {
		t.Errorf("the same role again changed the export:\n%s", firstDiff(got, edited))
	}
	var n int
	if err := db.View(func(tx core.Tx) (err error) { n, err = tx.Count(core.KindRole); return err }); err != nil || n != 4 {
		t.Errorf("roles: got %v (%v), want the 4 built-in ones", n, err)
	}
}

// TestImportPasswordNotInErrors: no error repeats a password, whatever is
// wrong with it or around it.
func TestImportPasswordNotInErrors(t *testing.T) {
	db := storagetest.MustOpen(t)
	mustImport(t, db, readTestFile(t, "testdata/rich-site.json"))
	tests := []struct{ doc, secret string }{
		{`{"accounts": [{"username": "zed", "roles": ["boss"], "password": "hunter2"}]}`, "hunter2"},
		{`{"accounts": [{"username": "zed", "roles": ["boss"], "password": "hunter2", "password_hash": "x"}]}`, "hunter2"},
		{`{"accounts": [{"username": "zed", "roles": ["boss"], "password": 31415926535}]}`, "31415926535"},
		{`{"accounts": [{"username": "zed", "roles": ["boss"], "password": ["hunter2hunter2"]}]}`, "hunter2"},
		{`{"accounts": [{"username": "zed", "roles": ["boss"], "password": "hunter2\q"}]}`, "hunter2"},
		{`{"accounts": [{"username": "zed", "roles": ["bosss"], "password": "hunter2 hunter2"}]}`, "hunter2"},
		{`{"accounts": [{"username": "zed", "roles": ["boss"], "password": "hunter2 hunter2", "passwd": 1}]}`, "hunter2"},
	}
	for _, tt := range tests {
		err := importDoc(db, tt.doc)
		if err == nil {
			t.Errorf("%s: got no error", tt.doc)
			continue
		}
		if strings.Contains(err.Error(), tt.secret) {
			t.Errorf("%s: the error shows the password: %v", tt.doc, err)
		}
	}
}

// TestExampleSite: docs/example-site.json imports, and its export imports
// back to the same state.
func TestExampleSite(t *testing.T) {
	doc := readTestFile(t, "../docs/example-site.json")
	db := storagetest.MustOpen(t)
	mustImport(t, db, doc)
	first := exportDoc(t, db)
	mustImport(t, db, doc)
	mustImport(t, db, first)
	if got := exportDoc(t, db); got != first {
		t.Errorf("importing the example again changed the site:\n%s", firstDiff(got, first))
	}
	fresh := storagetest.MustOpen(t)
	mustImport(t, fresh, first)
	if got := exportDoc(t, fresh); got != first {
		t.Errorf("export of a new database:\n%s", firstDiff(got, first))
	}
}
