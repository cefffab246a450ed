package ui

import (
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// The places a site may have among its company's sites.
var (
	alone   = core.Federation{}
	central = core.Federation{Site: "hq", IsCentral: true, Central: "hq"}
	branch  = core.Federation{Site: "lyon", Central: "hq"}
)

// demoAt is the demo site at place, with its administrator's session.
func demoAt(t *testing.T, place core.Federation) (*core.Engine, *session) {
	t.Helper()
	e, _ := demoEngine(t)
	e.SetFederation(place)
	admin, err := e.Login("admin", "frontdesk-demo")
	if err != nil {
		t.Fatal(err)
	}
	return e, testSession(t, e, admin)
}

// offers says, for each kind, whether the window offers the demo's
// administrator to create objects of it, as read from the screens' own
// widgets; the screens without a form per kind offer what the session's
// permissions allow.
func offers(t *testing.T, s *session) map[core.Kind]bool {
	t.Helper()
	people := newPeopleScreen(s)
	people.spawn = func(fn func()) { fn() }
	people.do = func(fn func()) { fn() }
	showIn(t, s, people.build())
	cards := newCardsTab(s, func() {})
	cards.build()
	doors, _ := newDoors(t, s)
	access := newAccessScreen(s)
	showIn(t, s, access.build())
	staff := newStaffScreen(s)
	showIn(t, s, staff.build())
	roleOffered := !staff.checks[core.RoleReceptionist][core.PermPeopleView].Disabled() &&
		holds(staff.tabs.Items[1].Content, staff.addRoleBtn)
	return map[core.Kind]bool{
		core.KindZone:          doors.zoneCat.newBtn.Visible(),
		core.KindDoor:          doors.doorCat.newBtn.Visible(),
		core.KindDevice:        doors.devCat.newBtn.Visible(),
		core.KindSchedule:      access.schedCat.newBtn.Visible(),
		core.KindHoliday:       access.holCat.newBtn.Visible(),
		core.KindShift:         access.shiftCat.newBtn.Visible(),
		core.KindAccessLevel:   access.levelCat.newBtn.Visible(),
		core.KindDepartment:    people.departments.save != nil,
		core.KindPerson:        people.newBtn != nil,
		core.KindCard:          cards.start != nil,
		core.KindGrant:         s.can(core.PermGrantsEditAny),
		core.KindRole:          roleOffered,
		core.KindAccount:       staff.accCat.newBtn.Visible(),
		core.KindAttendance:    s.can(core.PermAttendanceEdit),
		core.KindJustification: s.can(core.PermJustifEdit),
		core.KindFile:          s.can(core.PermJustifEdit),
		core.KindBalance:       s.can(core.PermAttendanceEdit),
	}
}

// changeOf makes a new object of kind on the demo site as actor a: what
// the engine accepts or refuses.
func changeOf(t *testing.T, e *core.Engine, a core.Actor, kind core.Kind) error {
	t.Helper()
	put := func(js string) error {
		f, err := core.ReadSiteFile(strings.NewReader(js))
		if err != nil {
			t.Fatal(err)
		}
		return e.PutObject(a, f)
	}
	switch kind {
	case core.KindZone:
		return put(`{"zones": [{"id": "yard", "name": "Yard"}]}`)
	case core.KindDoor:
		return put(`{"doors": [{"id": "gate", "name": "Gate", "from": "outside", "to": "lobby"}]}`)
	case core.KindDevice:
		return put(`{"devices": [{"id": "gate-in", "kind": "sim", "door": "main", "direction": "in"}]}`)
	case core.KindSchedule:
		return put(`{"schedules": [{"id": "nights", "name": "Nights", "week": {"mon": ["22:00-23:00"]}}]}`)
	case core.KindHoliday:
		return put(`{"holidays": [{"date": "2026-12-31", "name": "New Year's Eve"}]}`)
	case core.KindShift:
		return put(`{"shifts": [{"id": "evening", "name": "Evening", "week": {"mon": ["17:00-21:00"]}}]}`)
	case core.KindAccessLevel:
		return put(`{"access_levels": [{"id": "nights", "name": "Nights", "rules": [{"doors": ["main"], "schedule": "office-hours"}]}]}`)
	case core.KindDepartment:
		return put(`{"departments": [{"id": "legal", "name": "Legal"}]}`)
	case core.KindPerson:
		return put(`{"people": [{"id": "tess", "name": "Tess Martin"}]}`)
	case core.KindCard:
		_, err := e.EnrollCard(a, "boss", "em:0A0B0C0D0E")
		return err
	case core.KindGrant:
		_, err := e.AddGrant(a, core.Grant{Person: "boss", Door: "main", Kind: core.GrantPermanent})
		return err
	case core.KindRole:
		_, err := e.PutRole(a, core.Role{ID: "guard", Name: "Guard", Permissions: []core.Permission{core.PermDoorsView}})
		return err
	case core.KindAccount:
		_, err := e.AddAccount(a, core.AccountInfo{Username: "tess", Roles: []string{core.RoleReceptionist}}, testPassword)
		return err
	case core.KindAttendance:
		_, err := e.AddAttendance(a, core.AttendanceRecord{Person: "boss", From: attAt(t, "2026-11-23 09:00"),
			Until: attAt(t, "2026-11-23 12:00"), State: core.AttendanceAbsent})
		return err
	case core.KindJustification, core.KindFile:
		j, err := e.AddJustification(a, core.Justification{Person: "boss", From: attAt(t, "2026-11-20 09:00"),
			Until: attAt(t, "2026-11-20 12:00"), Reason: "Dentist"})
		if err != nil || kind == core.KindJustification {
			return err
		}
		_, err = e.AttachFile(a, j.ID, "note.pdf", []byte("%PDF-1.4 test"))
		return err
	case core.KindBalance:
		_, err := e.AdjustBalance(a, core.BalanceAdjustment{Person: "boss", Date: core.DateOf(attAt(t, "2026-11-05 12:00"), paris),
			Minutes: 45, Reason: "carried over"})
		return err
	}
	t.Fatalf("no change of %s in the test", kind)
	return nil
}

// TestBranchOffersWhatTheEngineAccepts: for every kind of object, alone,
// at the central site and at a branch, the window offers the
// administrator a change exactly when the engine accepts it; at a branch
// the engine refuses the directory's as the central site's, and the
// window offers none of them.
func TestBranchOffersWhatTheEngineAccepts(t *testing.T) {
	test.NewTempApp(t)
	for _, place := range []struct {
		name string
		fed  core.Federation
	}{{"alone", alone}, {"central", central}, {"branch", branch}} {
		t.Run(place.name, func(t *testing.T) {
			e, s := demoAt(t, place.fed)
			offered := offers(t, s)
			for _, kind := range core.Kinds {
				t.Run(string(kind), func(t *testing.T) {
					err := changeOf(t, e, s.actor, kind)
					var refused *core.CentralError
					if err != nil && !errors.As(err, &refused) {
						t.Fatalf("a new %s: %v, not a branch's refusal", kind, err)
					}
					if got, want := offered[kind], err == nil; got != want {
						t.Errorf("window offers a change: %v, want %v (the engine: %v)", got, want, err)
					}
					if want := place.fed.Branch() && core.IsDirectory(kind); (refused != nil) != want {
						t.Errorf("refused as the central site's: %v, want %v", refused != nil, want)
					}
				})
			}
		})
	}
}

// TestBranchPagesShowTheDirectory: at a branch the people, access and
// staff pages show the directory with a line naming the central site (in
// the window's language), their forms showing and not changing; the doors
// page, the branch's own, has no such line and stays editable.
func TestBranchPagesShowTheDirectory(t *testing.T) {
	test.NewTempApp(t)
	notes := map[string][2]string{
		"en": {"People, cards and accounts are changed at the central site hq.",
			"People, cards and accounts are changed at the central site."},
		"fr": {"Les personnes, les badges et les comptes se modifient sur le site central hq.",
			"Les personnes, les badges et les comptes se modifient sur le site central."},
		"ru": {"Сотрудники, карты и учётные записи изменяются на центральном объекте hq.",
			"Сотрудники, карты и учётные записи изменяются на центральном объекте."},
	}
	for _, code := range []string{"en", "fr", "ru"} {
		for i, place := range []core.Federation{branch, {Site: "lyon"}} {
			t.Run(code+"/central "+place.Central, func(t *testing.T) {
				useLanguage(t, code)
				_, s := demoAt(t, place)
				note := notes[code][i]

				people := newPeopleScreen(s)
				people.spawn = func(fn func()) { fn() }
				people.do = func(fn func()) { fn() }
				w := showIn(t, s, people.build())
				if !showsText(w, note) {
					t.Errorf("people page: no %q in %q", note, shownTexts(w))
				}
				// Across the page, not a column of letters.
				if size, ok := labelSize(w.Content(), note); !ok || size.Width < w.Canvas().Size().Width/2 || size.Height > 4*theme.TextSize()*2 {
					t.Errorf("people page: the note is %v in a window %v", size, w.Canvas().Size())
				}
				if code != "en" {
					return // the rest is the same in every language
				}
				people.open("boss")
				d := people.detail
				if d.save != nil || d.remove != nil || !d.name.Disabled() || !d.levels.Disabled() {
					t.Error("a person's details editable at a branch")
				}
				if x := d.cards; x.start != nil || len(x.cards) == 0 {
					t.Errorf("cards: enrolment offered (%v) or no card shown (%d)", x.start != nil, len(x.cards))
				}
				if dep := people.departments; dep.save != nil || !dep.name.Disabled() || !dep.level.Disabled() {
					t.Error("departments editable at a branch")
				}

				access := newAccessScreen(s)
				w = showIn(t, s, access.build())
				if !showsText(w, note) {
					t.Errorf("access page: no %q", note)
				}
				if access.holPublic.Visible() || access.levelCat.saveBtn.Visible() || !access.levelName.Disabled() ||
					!access.addRule.Disabled() || !access.schedWeek.days[0].Disabled() || len(access.levels) == 0 {
					t.Error("access rules editable at a branch, or not shown")
				}
				for _, r := range access.rules {
					if !r.schedule.Disabled() {
						t.Error("a rule of an access level editable at a branch")
					}
				}

				staff := newStaffScreen(s)
				w = showIn(t, s, staff.build())
				if !showsText(w, note) {
					t.Errorf("staff page: no %q", note)
				}
				if staff.accCat.newBtn.Visible() || !staff.username.Disabled() || !staff.accRoles.Disabled() ||
					!staff.enable.Disabled() || !staff.password.Disabled() || len(staff.accounts) == 0 {
					t.Error("accounts editable at a branch, or not shown")
				}
				if holds(staff.tabs.Items[1].Content, staff.saveRoles) {
					t.Error("roles saved at a branch")
				}

				doors, w := newDoors(t, s)
				if showsText(w, note) {
					t.Errorf("doors page says %q: the doors are the branch's", note)
				}
				if !doors.doorCat.newBtn.Visible() || doors.doorName.Disabled() {
					t.Error("the branch's doors not editable")
				}

			})
		}
	}
}

// labelSize is the size of the visible label reading text in o.
func labelSize(o fyne.CanvasObject, text string) (fyne.Size, bool) {
	if !o.Visible() {
		return fyne.Size{}, false
	}
	switch x := o.(type) {
	case *widget.Label:
		return x.Size(), x.Text == text
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			if size, ok := labelSize(c, text); ok {
				return size, true
			}
		}
	case *fyne.Container:
		for _, c := range x.Objects {
			if size, ok := labelSize(c, text); ok {
				return size, true
			}
		}
	}
	return fyne.Size{}, false
}

// TestBranchFirstStart: a branch without accounts does not offer to
// create the first administrator (its accounts are the central site's):
// it waits for them, saying how the link to the hub is, in the window's
// language, and asks for a login as soon as the directory brought them.
// A site alone still offers the first administrator.
func TestBranchFirstStart(t *testing.T) {
	fa := test.NewTempApp(t)
	waits := map[string]string{
		"en": "This site is a branch: its staff accounts come with the directory from the central site hq. The login appears as soon as they arrive.",
		"fr": "Ce site est une agence : ses comptes du personnel arrivent avec l'annuaire depuis le site central hq. La connexion s'affiche dès leur arrivée.",
		"ru": "Этот объект — филиал: учётные записи персонала приходят вместе со справочником с центрального объекта hq. Вход станет доступен, как только они поступят.",
	}
	for _, code := range []string{"en", "fr", "ru"} {
		t.Run(code, func(t *testing.T) {
			useLanguage(t, code)
			hq, _ := newEngine(t)
			hq.SetFederation(central)
			lyon, _ := newEngine(t)
			lyon.SetFederation(branch)
			if lyon.HasAccounts() {
				t.Fatal("the branch has accounts before the directory came")
			}
			ui := make(uiThread, 64)
			a := newApp(fa, lyon, Options{Log: slog.New(slog.DiscardHandler)}, ui.do)
			t.Cleanup(a.bridge.close)
			if a.branchWait == nil || !showsText(a.window, waits[code]) {
				t.Fatalf("the window shows %q, want %q", shownTexts(a.window), waits[code])
			}
			if !holds(a.window.Content(), a.branchWait.hub) || showsText(a.window, lang.L(firstAdminText)) {
				t.Error("the hub's state not shown, or the first administrator offered at a branch")
			}
			for _, step := range []struct {
				report *core.DeviceHealth
				want   string
			}{
				{nil, lang.L("hub: state not known")},
				{&core.DeviceHealth{Device: core.HubDevice, Kind: "hub", LastError: "nats: no servers available"}, lang.L("hub: not reachable")},
				{&core.DeviceHealth{Device: core.HubDevice, Kind: "hub", Connected: true}, lang.L("hub: connected")},
			} {
				if step.report != nil {
					lyon.ReportHealth(*step.report)
					a.branchWait.check()
				}
				if got := a.branchWait.hub.Text; got != step.want {
					t.Errorf("hub %q, want %q", got, step.want)
				}
			}

			// The central site's administrator comes down with the
			// directory: the login.
			addAccount(t, hq, "ann", "", core.RoleAdmin)
			changes, last, err := hq.DirectorySince(0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if err := lyon.ApplyDirectory("directory", last, changes); err != nil {
				t.Fatal(err)
			}
			ui.until(t, "the login", func() bool { return showsText(a.window, lang.L("Staff login")) })
			if actor, err := lyon.Login("ann", testPassword); err != nil || actor.Name != "ann" {
				t.Errorf("the central site's administrator at the branch: %v, %v", actor, err)
			}
		})
	}
	t.Run("alone", func(t *testing.T) {
		e, _ := newEngine(t)
		a := newApp(fa, e, Options{Log: slog.New(slog.DiscardHandler)}, make(uiThread, 64).do)
		t.Cleanup(a.bridge.close)
		if a.branchWait != nil || !showsText(a.window, firstAdminText) {
			t.Errorf("a site alone shows %q, want the first administrator", shownTexts(a.window))
		}
	})
}

// firstAdminText is the first start's invitation to create the first
// administrator.
const firstAdminText = "This database has no staff account yet. Create the first administrator: it can then create the other accounts and set up the site."

// TestAnotherSitesDoorShownNotChanged: the copy of another site's door,
// at a branch or at the central site, is shown with the site that changes
// it and offers no change, as the engine refuses one; the site's own
// doors stay editable.
func TestAnotherSitesDoorShownNotChanged(t *testing.T) {
	test.NewTempApp(t)
	for _, tc := range []struct {
		place core.Federation
		other string
	}{{branch, "hq"}, {central, "lyon"}} {
		t.Run(tc.place.Site, func(t *testing.T) {
			e, s := demoAt(t, tc.place)
			far := core.Door{ID: "far", Name: "Far gate", From: "outside", To: "lobby"}
			if _, err := e.ApplySiteObjects(tc.other, nil, []core.Door{far}); err != nil {
				t.Fatal(err)
			}
			x, w := newDoors(t, s)
			x.doorCat.list.Select(x.doorCat.index("far"))
			owner := "A door of site " + tc.other + ": it is changed there."
			if x.doorCat.saveBtn.Visible() || x.doorCat.delBtn.Visible() || !x.doorName.Disabled() || !x.lock.Disabled() {
				t.Error("another site's door offered for a change")
			}
			if !showsText(w, owner) {
				t.Errorf("no %q in %q", owner, shownTexts(w))
			}
			far.Name = "Far gate, renamed"
			var own *core.SiteOwnError
			if err := e.PutObject(s.actor, &core.SiteFile{Doors: []core.Door{far}}); !errors.As(err, &own) {
				t.Errorf("the engine: %v, want the door refused as site %s's", err, tc.other)
			}
			if _, err := e.SetDoorMode(s.actor, "far", core.DoorLockdown); !errors.As(err, &own) {
				t.Errorf("a lockdown: %v, want the door refused as site %s's", err, tc.other)
			}

			x.doorCat.list.Select(x.doorCat.index("main"))
			if !x.doorCat.saveBtn.Visible() || !x.doorCat.delBtn.Visible() || x.doorName.Disabled() || x.lock.Disabled() {
				t.Error("the site's own door not offered for a change")
			}
			if showsText(w, owner) {
				t.Errorf("%q shown for the site's own door", owner)
			}
		})
	}
}

// TestEveryPageQuietAtABranch: the demo's administrator and receptionist
// open every page they have at a branch; nothing they are offered is
// refused, and nothing is logged.
func TestEveryPageQuietAtABranch(t *testing.T) {
	fa := test.NewTempApp(t)
	e, c := demoEngine(t)
	e.SetFederation(branch)
	for _, user := range []string{"admin", "desk"} {
		t.Run(user, func(t *testing.T) {
			var out syncBuffer
			log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn}))
			actor, err := e.Login(user, "frontdesk-demo")
			if err != nil {
				t.Fatal(err)
			}
			ui := make(uiThread, 1024)
			opts := Options{Log: log, Actor: actor}
			a := &App{fyne: fa, engine: e, opts: opts, pages: allPages(opts), now: c.read}
			a.build(ui.do)
			defer a.window.Close()
			defer a.bridge.close()
			for _, id := range a.shell.pageIDs() {
				a.shell.show(id)
				test.LaidOutObjects(a.window.Content())
				for end := time.After(100 * time.Millisecond); ; {
					select {
					case fn := <-ui:
						fn()
						continue
					case <-end:
					}
					break
				}
			}
			if got := out.String(); got != "" {
				t.Errorf("%s at a branch logged:\n%s", user, got)
			}
		})
	}
}
