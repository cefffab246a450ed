package core_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/core"
	"frontdesk/storage/storagetest"
)

// centralSite is a company's directory with one door of its own; its
// access level names the branch's door too.
const centralSite = `{
  "site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}],
  "devices": [{"id": "hq-in", "kind": "sim", "door": "hq-main", "direction": "in"}],
  "schedules": [{"id": "always", "name": "Always", "week": {"mon": ["00:00-24:00"], "tue": ["00:00-24:00"], "wed": ["00:00-24:00"],
    "thu": ["00:00-24:00"], "fri": ["00:00-24:00"], "sat": ["00:00-24:00"], "sun": ["00:00-24:00"]}}],
  "access_levels": [{"id": "staff", "name": "Staff", "rules": [{"doors": ["hq-main", "lyon-main"], "schedule": "always"}]}],
  "departments": [{"id": "sales", "name": "Sales", "access_level": "staff"}],
  "people": [{"id": "ann", "name": "Ann Martin", "department": "sales", "cards": ["em:0102B0A5FD"]}]
}`

// branchSite is a branch's own part: its doors and devices, no directory.
const branchSite = `{
  "site": {"name": "Lyon", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "lyon", "name": "Lyon", "work": true}],
  "doors": [{"id": "lyon-main", "name": "Lyon main", "from": "outside", "to": "lyon"}],
  "devices": [{"id": "lyon-in", "kind": "sim", "door": "lyon-main", "direction": "in"}]
}`

var cmd = core.CommandLine("test")

// syncDirectory carries the central site's directory changes to the
// branch in chunks of chunk audit entries, as the link does, and returns
// how many chunks it applied.
func syncDirectory(t *testing.T, central, branch *core.Engine, chunk int) int {
	t.Helper()
	n := 0
	for {
		from, err := central.Mark("directory.published")
		if err != nil {
			t.Fatal(err)
		}
		changes, last, err := central.DirectorySince(from, chunk)
		if err != nil {
			t.Fatal(err)
		}
		if last == from {
			return n
		}
		if err := branch.ApplyDirectory("directory.applied", last, changes); err != nil {
			t.Fatal(err)
		}
		if err := central.SetMark("directory.published", last); err != nil {
			t.Fatal(err)
		}
		n++
	}
}

// directoryOf is the directory part of e's site file, as JSON (the
// accounts' lockout, each site's own, is not in site files).
func directoryOf(t *testing.T, e *core.Engine) string {
	t.Helper()
	f, err := e.Export(cmd)
	if err != nil {
		t.Fatal(err)
	}
	dir := map[string]any{"people": f.People, "departments": f.Departments, "access_levels": f.AccessLevels,
		"schedules": f.Schedules, "shifts": f.Shifts, "holidays": f.Holidays, "roles": f.Roles, "accounts": f.Accounts}
	b, err := json.MarshalIndent(dir, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// federated is a central site hq and a branch lyon, each mirroring the
// other's doors and zones (hq before its own site file names lyon's
// door).
func federated(t *testing.T) (central, branch *core.Engine) {
	t.Helper()
	now := at("2026-11-24T09:00:00")
	central = newEngine(t, `{"site": {"name": "HQ", "timezone": "Europe/Paris"}}`, now)
	branch = newEngine(t, branchSite, now)
	central.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	branch.SetFederation(core.Federation{Site: "lyon", Central: "hq"})
	mirror(t, branch, "lyon", central)
	f, err := core.ReadSiteFile(strings.NewReader(centralSite))
	if err != nil {
		t.Fatal(err)
	}
	if err := central.Import(cmd, f); err != nil {
		t.Fatal(err)
	}
	mirror(t, central, "hq", branch)
	return central, branch
}

// mirror gives to's copy of site from's own zones, doors and devices, as
// the link does, and returns those left out.
func mirror(t *testing.T, from *core.Engine, site string, to *core.Engine) []string {
	t.Helper()
	zones, doors, devices := from.OwnSiteObjects()
	clashes, err := to.ApplySiteObjects(site, zones, doors, devices...)
	if err != nil {
		t.Fatal(err)
	}
	return clashes
}

// TestDirectoryReachesTheBranch: a person enrolled at the central site
// opens the branch's door once the directory is applied there, which the
// branch decides alone; changes apply once and in order.
func TestDirectoryReachesTheBranch(t *testing.T) {
	central, branch := federated(t)
	tap := func(card string) core.Result {
		ev, err := branch.Tap(core.Tap{Reader: "lyon-in", Code: card, At: at("2026-11-24T09:00:00")})
		if err != nil {
			t.Fatal(err)
		}
		return ev.Result
	}
	if r := tap("em:0102B0A5FD"); r != core.DeniedUnknownCard {
		t.Fatalf("before the directory: %s, want denied_unknown_card", r)
	}
	syncDirectory(t, central, branch, 100)
	if r := tap("em:0102B0A5FD"); r != core.Granted {
		t.Fatalf("after the directory: %s, want granted (the central access level names the branch's door)", r)
	}
	// A new person with a card, a blocked card, a deleted person.
	if _, err := central.AddPerson(cmd, core.Person{ID: "paul", Name: "Paul Durand", Department: "sales"}); err != nil {
		t.Fatal(err)
	}
	if _, err := central.EnrollCard(cmd, "paul", "em:0A0000AA01"); err != nil {
		t.Fatal(err)
	}
	if _, err := central.SetCardState(cmd, "em:0102B0A5FD", core.CardLost); err != nil {
		t.Fatal(err)
	}
	syncDirectory(t, central, branch, 1)
	if r := tap("em:0A0000AA01"); r != core.Granted {
		t.Errorf("Paul's new card at the branch: %s, want granted", r)
	}
	if r := tap("em:0102B0A5FD"); r == core.Granted {
		t.Errorf("Ann's lost card at the branch: %s, want a denial", r)
	}
	if _, err := central.DeletePerson(cmd, "paul"); err != nil {
		t.Fatal(err)
	}
	syncDirectory(t, central, branch, 3)
	if r := tap("em:0A0000AA01"); r != core.DeniedUnknownCard {
		t.Errorf("a deleted person's card at the branch: %s, want denied_unknown_card", r)
	}
	if c, b := directoryOf(t, central), directoryOf(t, branch); c != b {
		t.Errorf("the directories differ:\ncentral %s\nbranch %s", c, b)
	}
	// The same chunk again: applied once.
	changes, last, err := central.DirectorySince(0, 0)
	if err != nil {
		t.Fatal(err)
	}
	before := directoryOf(t, branch)
	if _, err := central.AddPerson(cmd, core.Person{ID: "zoe", Name: "Zoe"}); err != nil {
		t.Fatal(err)
	}
	stale := append(changes, core.DirectoryChange{Kind: core.KindPerson, ID: "ghost", Object: json.RawMessage(`{"id":"ghost","name":"Ghost"}`)})
	if err := branch.ApplyDirectory("directory.applied", last, stale); err != nil {
		t.Fatal(err)
	}
	if after := directoryOf(t, branch); after != before {
		t.Error("changes already applied (mark not above the branch's) changed the branch")
	}
}

// TestBranchRefusesDirectoryChanges: at a branch every change of the
// directory is refused, naming the central site, whatever path it takes,
// and changes nothing; the branch's own objects, its logins and an
// import of what it already has go through.
func TestBranchRefusesDirectoryChanges(t *testing.T) {
	central, branch := federated(t)
	if _, err := central.AddAccount(cmd, core.AccountInfo{Username: "desk", Roles: []string{"admin"}}, "a-long-password"); err != nil {
		t.Fatal(err)
	}
	syncDirectory(t, central, branch, 0)
	before := directoryOf(t, branch)
	attempts := map[string]func() error{
		"add a person":    func() error { _, err := branch.AddPerson(cmd, core.Person{ID: "x", Name: "X"}); return err },
		"change a person": func() error { _, err := branch.PutPerson(cmd, core.Person{ID: "ann", Name: "Ann B"}); return err },
		"delete a person": func() error { _, err := branch.DeletePerson(cmd, "ann"); return err },
		"enrol a card":    func() error { _, err := branch.EnrollCard(cmd, "ann", "em:0A0000BB02"); return err },
		"block a card":    func() error { _, err := branch.SetCardState(cmd, "em:0102B0A5FD", core.CardLost); return err },
		"a role":          func() error { _, err := branch.PutRole(cmd, core.Role{ID: "r", Name: "R"}); return err },
		"a password":      func() error { return branch.SetPassword(cmd, "desk", "another-long-one") },
		"import people": func() error {
			f, err := core.ReadSiteFile(strings.NewReader(`{"people": [{"id": "new", "name": "New"}]}`))
			if err != nil {
				return err
			}
			return branch.Import(cmd, f)
		},
	}
	for name, try := range attempts {
		err := try()
		var ce *core.CentralError
		if !errors.As(err, &ce) || !errors.Is(err, core.ErrConflict) || !strings.Contains(err.Error(), "central site hq") {
			t.Errorf("%s at the branch: %v, want a CentralError naming hq", name, err)
		}
	}
	if after := directoryOf(t, branch); after != before {
		t.Errorf("refused changes changed the directory:\n%s\n%s", before, after)
	}
	// What the branch owns, and its logins, go through.
	if _, err := branch.AddGrant(cmd, core.Grant{Person: "ann", Door: "lyon-main", Kind: core.GrantPermanent}); err != nil {
		t.Errorf("a grant on the branch's door: %v", err)
	}
	if _, err := branch.Login("desk", "wrong-password"); !errors.Is(err, core.ErrLogin) {
		t.Fatalf("wrong password: %v", err)
	}
	if _, err := branch.Login("desk", "a-long-password"); err != nil {
		t.Errorf("the central site's account logs in at the branch: %v", err)
	}
	f, err := branch.Export(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if err := branch.Import(cmd, f); err != nil {
		t.Errorf("the branch's own export imported back: %v", err)
	}
	// The central site itself changes its directory.
	if _, err := central.AddPerson(cmd, core.Person{ID: "x", Name: "X"}); err != nil {
		t.Errorf("at the central site: %v", err)
	}
}

// TestDirectoryConverges: whatever the central site does, in whatever
// chunks the branch receives it, the branch's directory ends equal to the
// central site's (a property over random histories).
func TestDirectoryConverges(t *testing.T) {
	for seed := range uint64(8) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 7))
			central, branch := federated(t)
			people := []string{"ann"}
			for step := range 60 {
				switch rng.IntN(5) {
				case 0, 1:
					id := fmt.Sprintf("p%d", step)
					if _, err := central.AddPerson(cmd, core.Person{ID: id, Name: "Person " + id, Department: "sales"}); err != nil {
						t.Fatal(err)
					}
					if _, err := central.EnrollCard(cmd, id, fmt.Sprintf("em:0A%08X", step)); err != nil {
						t.Fatal(err)
					}
					people = append(people, id)
				case 2:
					id := people[rng.IntN(len(people))]
					if _, err := central.PutPerson(cmd, core.Person{ID: id, Name: fmt.Sprintf("Renamed %d", step), Department: "sales"}); err != nil && !errors.Is(err, core.ErrNotFound) {
						t.Fatal(err)
					}
				case 3:
					id := people[rng.IntN(len(people))]
					if _, err := central.DeletePerson(cmd, id); err != nil && !errors.Is(err, core.ErrNotFound) {
						t.Fatal(err)
					}
				case 4:
					syncDirectory(t, central, branch, 1+rng.IntN(4))
				}
			}
			syncDirectory(t, central, branch, 1+rng.IntN(10))
			if c, b := directoryOf(t, central), directoryOf(t, branch); c != b {
				t.Errorf("the directories differ:\ncentral %s\nbranch %s", c, b)
			}
		})
	}
}

// TestDoorIDsUniqueAcrossSites: a door id another site has is refused,
// naming that site, and a site publishing a door whose id is taken has
// that door left out, reported; a mirrored door is read-only.
func TestDoorIDsUniqueAcrossSites(t *testing.T) {
	central, branch := federated(t)
	f, err := core.ReadSiteFile(strings.NewReader(`{"doors": [{"id": "hq-main", "name": "Mine", "from": "outside", "to": "lyon"}]}`))
	if err != nil {
		t.Fatal(err)
	}
	var own *core.SiteOwnError
	if err := branch.Import(cmd, f); !errors.As(err, &own) || own.Site != "hq" || !strings.Contains(err.Error(), "site hq") {
		t.Errorf("a branch door with the central site's door id: %v, want a SiteOwnError naming hq", err)
	}
	if _, err := branch.SetDoorMode(cmd, "hq-main", core.DoorLockdown); !errors.As(err, &own) {
		t.Errorf("locking down another site's door: %v, want a SiteOwnError", err)
	}
	clashes, err := central.ApplySiteObjects("nice", []core.Zone{{ID: "nice", Name: "Nice"}},
		[]core.Door{{ID: "lyon-main", Name: "Nice main", From: "outside", To: "nice"}, {ID: "nice-main", Name: "Nice", From: "outside", To: "nice"}})
	if err != nil || len(clashes) != 1 || clashes[0] != "doors/lyon-main" {
		t.Fatalf("a third site's door lyon-main: clashes %v, %v; want [doors/lyon-main]", clashes, err)
	}
	out, err := central.Export(cmd)
	if err != nil {
		t.Fatal(err)
	}
	sites := map[string]string{}
	for _, d := range out.Doors {
		sites[d.ID] = d.Site
	}
	if sites["lyon-main"] != "lyon" || sites["nice-main"] != "nice" || sites["hq-main"] != "" {
		t.Errorf("doors by site at the central site: %v", sites)
	}
	// A site that no longer has a door: its copy goes.
	if _, err := central.ApplySiteObjects("nice", nil, nil); err != nil {
		t.Fatal(err)
	}
	if out, _ = central.Export(cmd); len(out.Doors) != 2 {
		t.Errorf("after nice published no door: %d doors at the central site, want 2", len(out.Doors))
	}
}

// deviceIDs are the ids of the devices e runs.
func deviceIDs(e *core.Engine) []string {
	var ids []string
	for _, d := range e.Devices(cmd) {
		ids = append(ids, d.ID)
	}
	return ids
}

// TestDeviceIDsUniqueAcrossSites: a reader or relay id another site has
// is refused on every path, naming that site and this one, and changes
// nothing; another site's device is a copy without its settings, never
// among the devices a site runs or taps come from; a device another site
// publishes with an id taken here is left out and returned.
func TestDeviceIDsUniqueAcrossSites(t *testing.T) {
	central, branch := federated(t)
	put := func(d core.Device) *core.SiteFile { return &core.SiteFile{Devices: []core.Device{d}} }
	read := func(t *testing.T, doc string) *core.SiteFile {
		t.Helper()
		f, err := core.ReadSiteFile(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	cases := []struct {
		name       string
		at         *core.Engine
		do         func(t *testing.T, e *core.Engine) error
		id         string
		site, here string
	}{
		{"site file at the branch", branch, func(t *testing.T, e *core.Engine) error {
			return e.Import(cmd, read(t, `{"devices": [{"id": "hq-in", "kind": "sim", "door": "lyon-main", "direction": "in"}]}`))
		}, "hq-in", "hq", "lyon"},
		{"site file at the central site", central, func(t *testing.T, e *core.Engine) error {
			return e.Import(cmd, read(t, `{"devices": [{"id": "lyon-in", "kind": "usb-dcttech-relay", "serial": "A1"}]}`))
		}, "lyon-in", "lyon", "hq"},
		{"the device form at the branch", branch, func(t *testing.T, e *core.Engine) error {
			return e.PutObject(cmd, put(core.Device{ID: "hq-in", Kind: "sim"}))
		}, "hq-in", "hq", "lyon"},
		{"the device form at the central site", central, func(t *testing.T, e *core.Engine) error {
			return e.PutObject(cmd, put(core.Device{ID: "lyon-in", Kind: "sim", Door: "hq-main", Direction: core.Out}))
		}, "lyon-in", "lyon", "hq"},
		{"changing the copy", branch, func(t *testing.T, e *core.Engine) error {
			return e.PutObject(cmd, put(core.Device{ID: "hq-in", Kind: "sim", Door: "hq-main", Direction: core.Out, Site: "hq"}))
		}, "hq-in", "hq", "lyon"},
		{"deleting the copy", branch, func(t *testing.T, e *core.Engine) error {
			return e.DeleteObject(cmd, core.KindDevice, "hq-in")
		}, "hq-in", "hq", "lyon"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := exportJSON(t, c.at)
			err := c.do(t, c.at)
			var own *core.SiteOwnError
			if !errors.As(err, &own) || !errors.Is(err, core.ErrConflict) || own.Kind != core.KindDevice || own.ID != c.id ||
				own.Site != c.site || own.Here != c.here ||
				!strings.Contains(err.Error(), fmt.Sprintf("site %s's, not this site's (%s)", c.site, c.here)) {
				t.Fatalf("got %v, want a SiteOwnError naming %s and %s", err, c.site, c.here)
			}
			if after := exportJSON(t, c.at); after != before {
				t.Errorf("the refused change changed the site:\n%s\nwant\n%s", after, before)
			}
		})
	}

	// What each site runs is its own; the other's reader is a copy with
	// its door, and a tap from it is no tap here.
	if got := deviceIDs(central); !slices.Equal(got, []string{"hq-in"}) {
		t.Errorf("devices the central site runs: got %v, want [hq-in]", got)
	}
	if got := deviceIDs(branch); !slices.Equal(got, []string{"lyon-in"}) {
		t.Errorf("devices the branch runs: got %v, want [lyon-in]", got)
	}
	if _, err := branch.Tap(core.Tap{Reader: "hq-in", Code: "em:0102B0A5FD"}); !errors.Is(err, core.ErrNotFound) {
		t.Errorf("a tap from the central site's reader at the branch: %v, want ErrNotFound", err)
	}
	if _, _, devices := branch.OwnSiteObjects(); len(devices) != 1 || devices[0].ID != "lyon-in" {
		t.Errorf("the branch publishes %+v, want its reader lyon-in alone", devices)
	}
	// A reader of this site may not serve another site's door, nor a door
	// of this site be switched by another site's relay; nothing changes.
	if _, err := branch.ApplySiteObjects("nice", nil, nil, core.Device{ID: "nice-relay", Kind: "sim"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ doc, field, code string }{
		{`{"devices": [{"id": "lyon-x", "kind": "sim", "door": "hq-main", "direction": "in"}]}`, "devices[0].door", "other_site_door"},
		{`{"doors": [{"id": "lyon-side", "name": "Side", "from": "outside", "to": "lyon", "relay": "nice-relay:1"}]}`, "doors[0].relay", "other_site_device"},
	} {
		before := exportJSON(t, branch)
		err := branch.Import(cmd, read(t, c.doc))
		ps := core.ProblemsOf(err)
		if len(ps) != 1 || ps[0].Field != c.field || ps[0].Code != c.code || !errors.Is(err, core.ErrInvalid) {
			t.Errorf("%s: got %v, want %s at %s", c.doc, err, c.code, c.field)
		}
		if exportJSON(t, branch) != before {
			t.Errorf("%s: the refused import changed the site", c.doc)
		}
	}

	// A site file exported with the copies imports back.
	f, err := branch.Export(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if err := branch.Import(cmd, f); err != nil {
		t.Errorf("the branch's export imported back: %v", err)
	}

	// A third site whose devices were there before it joined: those whose
	// ids are taken are left out; a reader whose door is left out keeps
	// its id, without the door; the serial number stays at its site.
	clashes, err := central.ApplySiteObjects("nice", []core.Zone{{ID: "nice", Name: "Nice"}},
		[]core.Door{{ID: "lyon-main", Name: "Nice main", From: "outside", To: "nice"}},
		core.Device{ID: "hq-in", Kind: "sim", Door: "lyon-main", Direction: core.In},
		core.Device{ID: "lyon-in", Kind: "sim"},
		core.Device{ID: "nice-in", Kind: "sim", Door: "lyon-main", Direction: core.In},
		core.Device{ID: "nice-relay", Kind: "usb-dcttech-relay", Serial: "N1"})
	if want := []string{"doors/lyon-main", "devices/hq-in", "devices/lyon-in"}; err != nil || !slices.Equal(clashes, want) {
		t.Fatalf("nice's objects at the central site: left out %v, %v; want %v", clashes, err, want)
	}
	out, err := central.Export(cmd)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]core.Device{}
	for _, d := range out.Devices {
		got[d.ID] = d
	}
	want := map[string]core.Device{
		"hq-in":      {ID: "hq-in", Kind: "sim", Door: "hq-main", Direction: core.In},
		"lyon-in":    {ID: "lyon-in", Kind: "sim", Door: "lyon-main", Direction: core.In, Site: "lyon"},
		"nice-in":    {ID: "nice-in", Kind: "sim", Site: "nice"},
		"nice-relay": {ID: "nice-relay", Kind: "usb-dcttech-relay", Site: "nice"},
	}
	if !maps.Equal(got, want) {
		t.Errorf("devices at the central site:\ngot  %+v\nwant %+v", got, want)
	}
	if got := deviceIDs(central); !slices.Equal(got, []string{"hq-in"}) {
		t.Errorf("devices the central site runs with nice's copies: got %v, want [hq-in]", got)
	}
	// A site that no longer has a device: its copy goes.
	if _, err := central.ApplySiteObjects("nice", nil, nil); err != nil {
		t.Fatal(err)
	}
	if out, _ = central.Export(cmd); len(out.Devices) != 2 {
		t.Errorf("after nice published no device: %d devices at the central site, want 2", len(out.Devices))
	}
}

// exportJSON is e's whole site file as JSON.
func exportJSON(t *testing.T, e *core.Engine) string {
	t.Helper()
	f, err := e.Export(cmd)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFederationSettings: the site file's federation settings make the
// site a branch or the central site, export as they were given, turn off
// with {}, and bad values are refused each with its path and code,
// changing nothing.
func TestFederationSettings(t *testing.T) {
	e := newEngine(t, branchSite, at("2026-11-24T09:00:00"))
	imp := func(settings string) error {
		f, err := core.ReadSiteFile(strings.NewReader(`{"site": {"federation": ` + settings + `}}`))
		if err != nil {
			return err
		}
		return e.Import(cmd, f)
	}
	if err := imp(`{"hub": "nats://hub.example.com:4222", "site_id": "lyon", "creds": "/etc/frontdesk/lyon.creds"}`); err != nil {
		t.Fatal(err)
	}
	if f := e.Federation(); !f.Branch() || f.Site != "lyon" || f.Central != "" {
		t.Errorf("a branch's settings: %+v", f)
	}
	var ce *core.CentralError
	if _, err := e.AddPerson(cmd, core.Person{ID: "x", Name: "X"}); !errors.As(err, &ce) || !strings.Contains(err.Error(), "changed at the central site, not at this branch") {
		t.Errorf("a person at a branch that has not heard of its central site: %v", err)
	}
	out, err := e.Export(cmd)
	if err != nil {
		t.Fatal(err)
	}
	if fs := out.Site.Federation; fs == nil || fs.Hub != "nats://hub.example.com:4222" || fs.SiteID != "lyon" || fs.Creds != "/etc/frontdesk/lyon.creds" {
		t.Errorf("exported: %+v", fs)
	}
	bad := []struct{ settings, path, code string }{
		{`{"hub": "http://hub:4222", "site_id": "lyon", "creds": "c"}`, "site.federation.hub", "bad_hub"},
		{`{"hub": "nats://hub", "site_id": "lyon", "creds": "c"}`, "site.federation.hub", "bad_hub"},
		{`{"hub": "nats://hub:4222", "site_id": "ly.on", "creds": "c"}`, "site.federation.site_id", "bad_site_id"},
		{`{"hub": "nats://hub:4222", "site_id": "", "creds": "c"}`, "site.federation.site_id", "bad_site_id"},
		{`{"hub": "nats://hub:4222", "site_id": "lyon", "creds": " "}`, "site.federation.creds", "required"},
		{`{"hub": "nats://hub:4222", "site_id": "lyon", "creds": "c", "central_site": "h q"}`, "site.federation.central_site", "bad_site_id"},
	}
	for _, b := range bad {
		err := imp(b.settings)
		ps := core.ProblemsOf(err)
		if len(ps) != 1 || ps[0].Field != b.path || ps[0].Code != b.code {
			t.Errorf("%s: %v, want one problem %s %s", b.settings, err, b.path, b.code)
		}
		if f := e.Federation(); f.Site != "lyon" {
			t.Errorf("%s: refused, yet the settings changed: %+v", b.settings, f)
		}
	}
	if err := imp(`{"hub": "nats://hub:4222", "site_id": "hq", "central": true, "creds": "c"}`); err != nil {
		t.Fatal(err)
	}
	if f := e.Federation(); f.Branch() || !f.IsCentral || f.Central != "hq" {
		t.Errorf("the central site's settings: %+v", f)
	}
	if err := imp(`{}`); err != nil {
		t.Fatal(err)
	}
	if f := e.Federation(); f != (core.Federation{}) {
		t.Errorf("after {}: %+v, want alone", f)
	}
}

// TestTimesheetAcrossSites: at the central site, a person who worked the
// morning at the central site and the afternoon at a branch has one
// timesheet with both with --site all, each part alone with this site's
// or the branch's events, and a bad site is refused.
func TestTimesheetAcrossSites(t *testing.T) {
	db := storagetest.MustOpen(t)
	central, err := core.NewEngine(db, func() time.Time { return at("2026-11-25T12:00:00") }, nil)
	if err != nil {
		t.Fatal(err)
	}
	central.SetFederation(core.Federation{Site: "hq", IsCentral: true, Central: "hq"})
	if _, err := central.ApplySiteObjects("lyon", []core.Zone{{ID: "lyon", Name: "Lyon", Work: true}},
		[]core.Door{{ID: "lyon-main", Name: "Lyon main", From: "outside", To: "lyon"}}); err != nil {
		t.Fatal(err)
	}
	f, err := core.ReadSiteFile(strings.NewReader(`{"site": {"name": "HQ", "timezone": "Europe/Paris"},
  "zones": [{"id": "outside", "name": "Outside"}, {"id": "hq", "name": "HQ", "work": true}],
  "doors": [{"id": "hq-main", "name": "HQ main", "from": "outside", "to": "hq"}],
  "devices": [{"id": "hq-in", "kind": "sim", "door": "hq-main", "direction": "in"}, {"id": "hq-out", "kind": "sim", "door": "hq-main", "direction": "out"}],
  "people": [{"id": "ann", "name": "Ann", "master": true, "started": "2026-01-01", "cards": ["em:0102B0A5FD"]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if err := central.Import(cmd, f); err != nil {
		t.Fatal(err)
	}
	for _, tap := range []struct{ reader, at string }{{"hq-in", "2026-11-24T08:00:00"}, {"hq-out", "2026-11-24T12:00:00"}} {
		if ev, err := central.Tap(core.Tap{Reader: tap.reader, Code: "em:0102B0A5FD", At: at(tap.at)}); err != nil || !ev.Result.Opens() {
			t.Fatalf("tap %v: %v %v", tap, ev.Result, err)
		}
	}
	// The afternoon at Lyon, as Lyon's events reach the central site.
	lyon := []core.Event{
		{Seq: 1, At: at("2026-11-24T13:00:00"), Door: "lyon-main", Person: "ann", Zone: "lyon", Result: core.Granted},
		{Seq: 2, At: at("2026-11-24T17:30:00"), Door: "lyon-main", Person: "ann", Zone: "outside", Result: core.Granted},
	}
	if err := db.PutSiteEvents("lyon", lyon); err != nil {
		t.Fatal(err)
	}
	day, err := core.ParseDate("2026-11-24")
	if err != nil {
		t.Fatal(err)
	}
	presence := func(site string) int {
		ts, err := central.Timesheet(cmd, core.TimesheetQuery{From: day, To: day, Person: "ann", Site: site})
		if err != nil {
			t.Fatalf("site %q: %v", site, err)
		}
		return ts.People[0].Days[0].Presence
	}
	for _, c := range []struct {
		site string
		want int
	}{{"", 240}, {"lyon", 270}, {core.AllSites, 510}} {
		if got := presence(c.site); got != c.want {
			t.Errorf("site %q: %d minutes of presence, want %d", c.site, got, c.want)
		}
	}
	if _, err := central.Timesheet(cmd, core.TimesheetQuery{From: day, To: day, Site: "ly.on"}); !errors.Is(err, core.ErrInvalid) {
		t.Errorf("a bad site: %v, want invalid", err)
	}
}
