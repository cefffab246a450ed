package core

import (
	"bytes"
	"cmp"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Bounds on a report's size: past them the report would be thousands of
// pages nobody reads, and the query should be narrowed instead.
const (
	maxDoorLogEvents = 100_000
	maxAccessEntries = 200_000
)

// sheetLookback is how far before the instant of an attendance sheet
// presence is read: a stretch in the work zones is closed by its work
// day's close, at most a day and a bit after it began.
const sheetLookback = 3 * 24 * time.Hour

// Report builds the data of a report (see ReportQuery for what each kind
// reads). Permissions: reports.print and what the data needs to be seen:
// attendance.view for the sheet, the timesheet and the absences (whose
// reasons and files follow justif.view, as on screen), the event log's
// permissions for the door log (logs.view.own: one's own doors only),
// doors.view and people.view for the access list. The muster list needs
// only attendance.view: in an evacuation, whoever may see the sheet must
// be able to print who is inside, without a second permission in the way.
func (e *Engine) Report(a Actor, q ReportQuery) (Report, error) {
	if _, err := ParseReportKind(string(q.Kind)); err != nil {
		return Report{}, err
	}
	if err := q.check(); err != nil {
		return Report{}, err
	}
	s, err := e.subject(a)
	if err != nil {
		return Report{}, err
	}
	if q.Kind != ReportMuster {
		if err := s.need(PermReportsPrint, "print reports"); err != nil {
			return Report{}, err
		}
	}
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	b := &reportBuilder{e: e, s: s, cfg: cfg, loc: loc, now: e.now(), names: newNameOrder()}
	r := Report{Kind: q.Kind, Site: cfg.site.Name, Zone: cfg.site.Timezone, Location: loc, Generated: b.now, By: a.String()}
	filter, err := b.filter(q)
	if err != nil {
		return Report{}, err
	}
	var period *Reason
	switch q.Kind {
	case ReportAttendance:
		at := q.At
		if at.IsZero() {
			at = b.now
		}
		period = NewReason(ReasonPeriodAt, "at", b.local(at))
		r.Attendance, err = b.sheet(q, at)
	case ReportTimesheet:
		period = NewReason(ReasonPeriodDates, "from", q.From, "to", q.To)
		r.Timesheet, err = b.timesheet(q)
	case ReportAbsences:
		period = NewReason(ReasonPeriodDates, "from", q.From, "to", q.To)
		r.Absences, err = b.absences(q)
	case ReportDoorLog:
		period = NewReason(ReasonPeriodDates, "from", q.From, "to", q.To)
		r.DoorLog, err = b.doorLog(q)
	case ReportMuster:
		period = NewReason(ReasonPeriodNow, "at", b.local(b.now))
		if q.Site != "" && q.Site != e.Federation().Site {
			r.Muster, err = b.siteMuster(q.Site)
			if err == nil {
				period = NewReason(ReasonPeriodAt, "at", b.local(r.Muster.At))
			}
			break
		}
		r.Muster, err = b.muster()
	case ReportAccess:
		period = NewReason(ReasonPeriodAt, "at", b.local(b.now))
		r.Access, err = b.access(q)
	}
	if err != nil {
		return Report{}, err
	}
	r.Period = period.String()
	r.Scope = append(r.Scope, *period)
	var parts []string
	for _, f := range filter {
		parts = append(parts, f.String())
		r.Scope = append(r.Scope, *f)
	}
	r.Filter = strings.Join(parts, ", ")
	return r, r.fingerprint()
}

// check refuses the fields that do not apply to the query's kind, and
// the missing ones that do, so that a filter is never silently ignored.
func (q ReportQuery) check() error {
	type field struct {
		name string
		set  bool
	}
	fields := []field{
		{"from", q.From != Date{}}, {"to", q.To != Date{}}, {"at", !q.At.IsZero()},
		{"person", q.Person != ""}, {"department", q.Department != ""}, {"door", q.Door != ""},
	}
	allowed := map[ReportKind][]string{
		ReportAttendance: {"at", "department"},
		ReportTimesheet:  {"from", "to", "person", "department"},
		ReportAbsences:   {"from", "to", "person", "department"},
		ReportDoorLog:    {"from", "to", "person", "door"},
		ReportMuster:     {},
		ReportAccess:     {"person", "department", "door"},
	}[q.Kind]
	for _, f := range fields {
		if f.set && !slices.Contains(allowed, f.name) {
			return phrasef(ErrInvalid, "the %s report does not take --%s (it takes %s)", q.Kind, f.name, takes(allowed))
		}
	}
	if slices.Contains(allowed, "from") {
		if q.From == (Date{}) || q.To == (Date{}) {
			return phrasef(ErrInvalid, "the %s report needs --from and --to", q.Kind)
		}
		if q.To.Before(q.From) {
			return phrasef(ErrInvalid, "%s report from %s to %s: the end is before the start", q.Kind, q.From, q.To)
		}
		if n := q.From.daysUntil(q.To); n > maxTimesheetDays {
			return phrasef(ErrInvalid, "%s report of %d days: at most %d", q.Kind, n+1, maxTimesheetDays)
		}
	}
	if q.Person != "" && q.Department != "" {
		return phrasef(ErrInvalid, "the %s report takes --person or --department, not both", q.Kind)
	}
	if q.Kind == ReportDoorLog && q.Person == "" && q.Door == "" {
		return phrasef(ErrInvalid, "the doorlog report needs --door or --person (or both)")
	}
	return nil
}

// takes lists a kind's options for an error message.
func takes(names []string) string {
	if len(names) == 0 {
		return "no option"
	}
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = "--" + n
	}
	return strings.Join(out, ", ")
}

// reportBuilder holds what the builders of one report share.
type reportBuilder struct {
	e     *Engine
	s     subject
	cfg   *config
	loc   *time.Location
	now   time.Time
	names *nameOrder
}

// local prints t in the site's zone.
func (b *reportBuilder) local(t time.Time) string {
	return t.In(b.loc).Format("2006-01-02 15:04")
}

// filter describes the query's restriction and checks that what it names
// exists.
func (b *reportBuilder) filter(q ReportQuery) ([]*Reason, error) {
	var parts []*Reason
	if q.Person != "" {
		var p Person
		err := b.e.store.View(func(tx Tx) error {
			var err error
			p, err = get[Person](tx, KindPerson, q.Person)
			return err
		})
		if err != nil {
			return nil, notFound("person", q.Person)
		}
		parts = append(parts, NewReason(ReasonFilterPerson, "person", p.Name, "id", p.ID))
	}
	if q.Department != "" {
		d, ok := b.cfg.departments[q.Department]
		if !ok {
			return nil, notFound("department", q.Department)
		}
		parts = append(parts, NewReason(ReasonFilterDept, "department", d.Name))
	}
	if q.Door != "" {
		d, ok := b.cfg.doors[q.Door]
		if !ok {
			return nil, notFound("door", q.Door)
		}
		parts = append(parts, NewReason(ReasonFilterDoor, "door", d.Name))
	}
	switch q.Site {
	case "":
	case AllSites:
		if q.Kind == ReportMuster {
			return nil, phrasef(ErrInvalid, "the muster list is one site's: --site takes a site's id, not all")
		}
		parts = append(parts, NewReason(ReasonFilterSites))
	default:
		if err := checkTimesheetSite(q.Site); err != nil {
			return nil, err
		}
		if q.Kind == ReportMuster {
			parts = append(parts, NewReason(ReasonFilterPresence, "site", q.Site))
			break
		}
		parts = append(parts, NewReason(ReasonFilterSite, "site", q.Site))
	}
	return parts, nil
}

// departmentName is the name of department id, "" for none.
func (b *reportBuilder) departmentName(id string) string {
	if id == "" {
		return ""
	}
	if d, ok := b.cfg.departments[id]; ok && d.Name != "" {
		return d.Name
	}
	return id
}

// zoneName is the name of zone id.
func (b *reportBuilder) zoneName(id string) string {
	if z, ok := b.cfg.zones[id]; ok && z.Name != "" {
		return z.Name
	}
	return id
}

// doorName is the name of door id.
func (b *reportBuilder) doorName(id string) string {
	if d, ok := b.cfg.doors[id]; ok && d.Name != "" {
		return d.Name
	}
	return id
}

// sheet is the attendance sheet at at.
func (b *reportBuilder) sheet(q ReportQuery, at time.Time) (*SheetReport, error) {
	if err := b.s.need(PermAttendanceView, "see the attendance sheet"); err != nil {
		return nil, err
	}
	out := &SheetReport{At: at, In: []SheetEntry{}, Expected: []ExpectedEntry{}}
	work := b.cfg.workZones()
	err := b.e.store.View(func(tx Tx) error {
		people, err := timesheetPeople(tx, TimesheetQuery{Department: q.Department})
		if err != nil {
			return err
		}
		if err := b.e.resolveStarts(tx, people); err != nil {
			return err
		}
		justifs, err := storedJustifications(tx, "", at.Add(-time.Minute), at.Add(time.Minute))
		if err != nil {
			return err
		}
		covered := map[string][]Justification{}
		for _, j := range justifs {
			covered[j.Person] = append(covered[j.Person], j)
		}
		// Who is in is who is inside, by the rule the muster list
		// follows too (Site.Inside): any zone but outside, not only the
		// work zones, and whoever the sheet's list of people has or not.
		insiders, err := insideAt(tx, b.cfg, b.loc, at)
		if err != nil {
			return err
		}
		in := make(map[string]bool, len(insiders))
		for _, x := range insiders {
			in[x.person.ID] = true
			if q.Department != "" && x.person.Department != q.Department {
				continue
			}
			out.In = append(out.In, SheetEntry{
				Person: x.person.ID, Name: x.person.Name, Department: b.departmentName(x.person.Department),
				Phone: x.person.Phone, Zone: b.zoneName(x.zone), Since: x.since, Stale: x.stale,
			})
		}
		for _, p := range people {
			if in[p.ID] {
				continue
			}
			cal := b.cfg.calendarFor(p, b.loc)
			var moves []Move
			err := tx.Moves(p.ID, at.Add(-sheetLookback), at.Add(time.Nanosecond), func(m Move) error {
				moves = append(moves, m)
				return nil
			})
			if err != nil {
				return err
			}
			spans := presence(cal, work, moves, at)
			w := cal.dayOf(at)
			if !w.Scheduled() || at.Before(w.Start()) || !at.Before(w.End()) {
				continue
			}
			ex := ExpectedEntry{
				Person: p.ID, Name: p.Name, Department: b.departmentName(p.Department), Phone: p.Phone,
				ShiftStart: w.Start(), ShiftEnd: w.End(),
				Justified: Covered(at, at.Add(time.Minute), covered[p.ID]),
			}
			for _, sp := range spans {
				if sp.To.After(w.Start().Add(-nextDayReach)) && !sp.To.After(at) {
					ex.Left = sp.To
				}
			}
			out.Expected = append(out.Expected, ex)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortByName(b.names, out.In, func(e SheetEntry) (string, string) { return e.Name, e.Person })
	sortByName(b.names, out.Expected, func(e ExpectedEntry) (string, string) { return e.Name, e.Person })
	return out, nil
}

// timesheet is the timesheet of q grouped by department.
func (b *reportBuilder) timesheet(q ReportQuery) (*TimesheetReport, error) {
	ts, err := b.e.Timesheet(b.s.actor, TimesheetQuery{From: q.From, To: q.To, Person: q.Person, Department: q.Department, Site: q.Site})
	if err != nil {
		return nil, err
	}
	out := &TimesheetReport{From: q.From, To: q.To, Groups: []TimesheetGroup{}, Uses: ts.Uses}
	byDept := map[string]*TimesheetGroup{}
	for _, pt := range ts.People {
		g := byDept[pt.Department]
		if g == nil {
			g = &TimesheetGroup{Department: pt.Department, Name: b.departmentName(pt.Department)}
			if pt.Department == "" {
				g.Name = "No department"
			}
			byDept[pt.Department] = g
		}
		g.People = append(g.People, pt)
		g.Totals.add(pt.Totals)
		out.Totals.add(pt.Totals)
	}
	for _, g := range byDept {
		sortByName(b.names, g.People, func(p PersonTimesheet) (string, string) { return p.Name, p.Person })
		out.Groups = append(out.Groups, *g)
	}
	sortGroups(b.names, out.Groups, func(g TimesheetGroup) (string, string) { return g.Name, g.Department })
	return out, nil
}

// sortGroups orders department groups by name, the group of no
// department ("" id) last.
func sortGroups[T any](n *nameOrder, gs []T, key func(T) (name, id string)) {
	sortByName(n, gs, key)
	slices.SortStableFunc(gs, func(a, b T) int {
		_, ia := key(a)
		_, ib := key(b)
		return cmp.Compare(boolInt(ia == ""), boolInt(ib == ""))
	})
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// absences is the late and absent records, justifications and metrics
// of q's people.
func (b *reportBuilder) absences(q ReportQuery) (*AbsencesReport, error) {
	if err := b.s.need(PermAttendanceView, "see attendance records"); err != nil {
		return nil, err
	}
	data, err := b.e.attendanceFor(TimesheetQuery{From: q.From, To: q.To, Person: q.Person, Department: q.Department, Site: q.Site})
	if err != nil {
		return nil, err
	}
	from, to := q.From.At(0, b.loc), q.To.AddDays(1).At(0, b.loc)
	out := &AbsencesReport{From: q.From, To: q.To, People: make([]PersonAbsences, 0, len(data.sheet.People)),
		ReasonsWithheld: !b.s.has(PermJustifView)}
	err = b.e.store.View(func(tx Tx) error {
		for _, pt := range data.sheet.People {
			p := pt.person
			entries := data.entries(pt, from, to)
			pa := PersonAbsences{
				Person: p.ID, Name: p.Name, Department: b.departmentName(p.Department),
				Records: []AttendanceEntry{}, Justifications: []Justification{},
				Metrics: b.cfg.calendarFor(p, b.loc).metrics(entries, from, to),
			}
			for _, en := range entries {
				if en.State.Justifiable() {
					pa.Records = append(pa.Records, en)
				}
			}
			for _, j := range data.justifs[p.ID] {
				if periodMeets(j.From, j.Until, from, to) {
					pa.Justifications = append(pa.Justifications, forViewer(b.s, j))
				}
			}
			out.Metrics.add(pa.Metrics)
			out.People = append(out.People, pa)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	sortByName(b.names, out.People, func(p PersonAbsences) (string, string) { return p.Name, p.Person })
	return out, nil
}

// errTooMany stops a walk that went past a report's bound.
var errTooMany = errors.New("too many rows")

// doorLog is the events of q's door and/or person over its days.
func (b *reportBuilder) doorLog(q ReportQuery) (*DoorLogReport, error) {
	from, to := q.From.At(0, b.loc), q.To.AddDays(1).At(0, b.loc)
	out := &DoorLogReport{From: from, To: to, Events: []DoorLogEntry{}, Counts: []ResultCount{}}
	counts := map[Result]int{}
	err := b.e.Events(b.s.actor, EventQuery{From: from, To: to, Door: q.Door, Person: q.Person}, func(ev Event) error {
		if len(out.Events) == maxDoorLogEvents {
			return errTooMany
		}
		ev.PrevHash, ev.Hash = "", ""
		out.Events = append(out.Events, DoorLogEntry{Event: ev, DoorName: b.doorName(ev.Door)})
		counts[ev.Result]++
		return nil
	})
	if errors.Is(err, errTooMany) {
		return nil, phrasef(ErrInvalid, "more than %d events from %s to %s: choose a shorter period or add --door or --person", maxDoorLogEvents, q.From, q.To)
	}
	if err != nil {
		return nil, err
	}
	// Names come from the store, each person read once.
	names := map[string]string{}
	err = b.e.store.View(func(tx Tx) error {
		for i := range out.Events {
			id := out.Events[i].Person
			if id == "" {
				continue
			}
			name, ok := names[id]
			if !ok {
				if p, err := get[Person](tx, KindPerson, id); err == nil {
					name = p.Name
				} else if !errors.Is(err, ErrNotFound) {
					return err
				}
				names[id] = name
			}
			out.Events[i].PersonName = name
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for r, n := range counts {
		out.Counts = append(out.Counts, ResultCount{Result: r, Count: n})
	}
	slices.SortFunc(out.Counts, func(a, b ResultCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Result, b.Result))
	})
	return out, nil
}

// muster is who is inside now (Site.Inside, as the attendance sheet), by
// zone.
func (b *reportBuilder) muster() (*MusterReport, error) {
	if err := b.s.need(PermAttendanceView, "print the muster list"); err != nil {
		return nil, err
	}
	return b.inside()
}

// siteMuster is the muster list of another site of the company, as the
// latest presence it sent here has it: Site and At say whose and of
// when, and Stale that it is older than PresenceFresh.
func (b *reportBuilder) siteMuster(site string) (*MusterReport, error) {
	ps, err := b.e.Presence(b.s.actor, site)
	if err != nil {
		return nil, err
	}
	p := ps[0]
	return &MusterReport{At: p.At, Zones: p.Zones, Total: p.Total, Site: p.Site, Stale: p.Stale}, nil
}

// inside is who is inside now, by zone, whoever asks: the muster list,
// and the presence a site publishes of itself.
func (b *reportBuilder) inside() (*MusterReport, error) {
	out := &MusterReport{At: b.now, Zones: []MusterZone{}}
	byZone := map[string]*MusterZone{}
	err := b.e.store.View(func(tx Tx) error {
		insiders, err := insideAt(tx, b.cfg, b.loc, b.now)
		if err != nil {
			return err
		}
		for _, x := range insiders {
			z := byZone[x.zone]
			if z == nil {
				z = &MusterZone{Zone: x.zone, Name: b.zoneName(x.zone), Work: b.cfg.zones[x.zone].Work}
				byZone[x.zone] = z
			}
			p := x.person
			z.People = append(z.People, MusterEntry{Person: p.ID, Name: p.Name, Department: b.departmentName(p.Department),
				Phone: p.Phone, Since: x.zoneSince, Stale: x.stale})
			out.Total++
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, z := range byZone {
		sortByName(b.names, z.People, func(e MusterEntry) (string, string) { return e.Name, e.Person })
		out.Zones = append(out.Zones, *z)
	}
	sortByName(b.names, out.Zones, func(z MusterZone) (string, string) { return z.Name, z.Zone })
	return out, nil
}

// access lists who may open each door q selects now, and how.
func (b *reportBuilder) access(q ReportQuery) (*AccessReport, error) {
	if err := b.s.need(PermDoorsView, "see who may open doors"); err != nil {
		return nil, err
	}
	if err := b.s.need(PermPeopleView, "see who may open doors"); err != nil {
		return nil, err
	}
	doors := make([]Door, 0, len(b.cfg.doors))
	for _, d := range b.cfg.doors {
		if q.Door == "" || d.ID == q.Door {
			doors = append(doors, d)
		}
	}
	sortByName(b.names, doors, func(d Door) (string, string) { return d.Name, d.ID })
	index := make(map[string]int, len(doors))
	out := &AccessReport{At: b.now, Doors: make([]DoorAccess, len(doors))}
	for i, d := range doors {
		index[d.ID] = i
		out.Doors[i] = DoorAccess{Door: d.ID, Name: d.Name, Mode: d.Mode, Entries: []AccessEntry{}}
		if out.Doors[i].Mode == "" {
			out.Doors[i].Mode = DoorNormal
		}
	}
	total := 0
	add := func(door string, en AccessEntry) error {
		i, ok := index[door]
		if !ok {
			return nil
		}
		if total == maxAccessEntries {
			return errTooMany
		}
		total++
		out.Doors[i].Entries = append(out.Doors[i].Entries, en)
		return nil
	}
	err := b.e.store.View(func(tx Tx) error {
		people, err := timesheetPeople(tx, TimesheetQuery{Person: q.Person, Department: q.Department})
		if err != nil {
			return err
		}
		// What the grants' entries need of their people, found once.
		type holder struct {
			p      Person
			noCard bool
		}
		selected := make(map[string]*holder, len(people))
		for _, p := range people {
			selected[p.ID] = &holder{p: p}
		}
		for i, d := range doors {
			for _, o := range d.Owners {
				name := o
				if p, err := get[Person](tx, KindPerson, o); err == nil {
					name = p.Name
				}
				out.Doors[i].Owners = append(out.Doors[i].Owners, name)
			}
		}
		for _, p := range people {
			if p.Inactive {
				continue
			}
			noCard, err := b.noActiveCard(tx, p.ID)
			if err != nil {
				return err
			}
			selected[p.ID].noCard = noCard
			base := AccessEntry{Person: p.ID, Name: p.Name, Department: b.departmentName(p.Department), NoCard: noCard}
			if err := b.cfg.standingAccess(base, p, add); err != nil {
				return err
			}
		}
		for _, d := range doors {
			gs, err := tx.GrantsOn(d.ID)
			if err != nil {
				return err
			}
			for _, g := range gs {
				h, ok := selected[g.Person]
				if !ok || h.p.Inactive || !grantStillUsable(g, b.now) {
					continue
				}
				en := AccessEntry{
					Person: g.Person, Name: h.p.Name, Department: b.departmentName(h.p.Department), Via: AccessViaGrant,
					Grant: g.ID, GrantKind: g.Kind, From: g.From, Until: g.Until, UsesLeft: -1, NoCard: h.noCard,
				}
				if g.Kind == GrantOnce {
					en.UsesLeft = g.UsesLeft()
				}
				if err := add(d.ID, en); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if errors.Is(err, errTooMany) {
		return nil, phrasef(ErrInvalid, "more than %d ways to open the doors: choose a door (--door), a person or a department", maxAccessEntries)
	}
	if err != nil {
		return nil, err
	}
	for i := range out.Doors {
		en := out.Doors[i].Entries
		sortByName(b.names, en, func(e AccessEntry) (string, string) { return e.Name, e.Person })
	}
	return out, nil
}

// standingAccess calls add for each way p may open a door that is not a
// grant: as a master person, on every door; through each rule of their
// access levels (their own, else their department's, Inherited), on each
// door of the rule, with its schedule ("" for at any time; a rule whose
// schedule is gone opens nothing). The entries are base with the way set.
// The access report and the self-view list doors with it.
func (c *config) standingAccess(base AccessEntry, p Person, add func(door string, en AccessEntry) error) error {
	if p.Master {
		en := base
		en.Via = AccessViaMaster
		for id := range c.doors {
			if err := add(id, en); err != nil {
				return err
			}
		}
	}
	levels, inherited := p.AccessLevels, false
	if dep := c.departments[p.Department]; len(levels) == 0 && dep.AccessLevel != "" {
		levels, inherited = []string{dep.AccessLevel}, true
	}
	for _, id := range levels {
		lvl, ok := c.levels[id]
		if !ok {
			continue
		}
		for _, r := range lvl.Rules {
			en := base
			en.Via, en.Level, en.Inherited, en.UsesLeft = AccessViaLevel, lvl.Name, inherited, -1
			if r.Schedule != "" {
				s, ok := c.schedules[r.Schedule]
				if !ok {
					continue
				}
				en.Schedule = s.Name
			}
			for _, d := range r.Doors {
				if err := add(d, en); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// grantStillUsable reports whether g can still open its door at or after
// now: not expired, and a once grant with uses left.
func grantStillUsable(g Grant, now time.Time) bool {
	if g.Kind == GrantOnce && g.UsesLeft() == 0 {
		return false
	}
	return g.Kind == GrantPermanent || g.Until.IsZero() || now.Before(g.Until)
}

// noActiveCard reports whether person holds no card usable now.
func (b *reportBuilder) noActiveCard(tx Tx, person string) (bool, error) {
	cards, err := tx.CardsOf(person)
	if err != nil {
		return false, err
	}
	for _, c := range cards {
		if c.State == CardActive && c.validAt(b.now) {
			return false, nil
		}
	}
	return true, nil
}

// nameOrder sorts people's names as a reader expects across scripts and
// accents: "Élodie" next to "Eric", case ignored.
type nameOrder struct {
	mu   sync.Mutex
	col  *collate.Collator
	buf  collate.Buffer
	keys map[string][]byte
}

func newNameOrder() *nameOrder {
	return &nameOrder{col: collate.New(language.Und, collate.IgnoreCase), keys: map[string][]byte{}}
}

// key returns the collation key of s, computed once.
func (n *nameOrder) key(s string) []byte {
	n.mu.Lock()
	defer n.mu.Unlock()
	if k, ok := n.keys[s]; ok {
		return k
	}
	k := bytes.Clone(n.col.KeyFromString(&n.buf, s))
	n.buf.Reset()
	n.keys[s] = k
	return k
}

// sortByName sorts vs by name, then id.
func sortByName[T any](n *nameOrder, vs []T, key func(T) (name, id string)) {
	slices.SortStableFunc(vs, func(a, b T) int {
		na, ia := key(a)
		nb, ib := key(b)
		return cmp.Or(bytes.Compare(n.key(na), n.key(nb)), cmp.Compare(ia, ib))
	})
}

// AttendanceSheet is the attendance sheet at at (zero: now) of everyone
// or of a department: the reception's list of who is in, since when, and
// who is expected and not in. Needs attendance.view (seed 000: the
// manager's sheet); unlike the printed report, not reports.print.
func (e *Engine) AttendanceSheet(a Actor, at time.Time, department string) (*SheetReport, error) {
	s, err := e.require(a, PermAttendanceView, "see the attendance sheet")
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	b := &reportBuilder{e: e, s: s, cfg: cfg, loc: loc, now: e.now(), names: newNameOrder()}
	if department != "" {
		if _, ok := cfg.departments[department]; !ok {
			return nil, notFound("department", department)
		}
	}
	if at.IsZero() {
		at = b.now
	}
	return b.sheet(ReportQuery{Kind: ReportAttendance, Department: department}, at)
}
