package core

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Tap is one card presented to one reader.
type Tap struct {
	Reader string
	// Code is the code as the reader delivered it (DESIGN §6 form).
	Code string
	// At is the instant of the tap; zero means the engine's clock.
	At time.Time
}

// outcome is a decision and the changes it makes with its event, applied in
// the same transaction so that a once grant's use and a person's zone
// never drift from the log.
type outcome struct {
	ev Event
	// consume is the once grant whose use the passage spends.
	consume *Grant
	// moveTo is the zone the event puts the person in ("" = no move).
	moveTo string
	// debounce records the decision as the card's last one at the reader.
	debounce bool
}

// decider evaluates one tap against a transaction's view of the site.
type decider struct {
	tx   Tx
	cfg  *config
	site Site
	loc  *time.Location
	// enrolling: a screen waits for a card on the desk reader.
	enrolling bool
}

// decide makes the decision of DESIGN §2.1 for tap, whose At is set.
// It changes nothing; the caller applies the outcome.
func (d *decider) decide(tap Tap) (outcome, error) {
	t := tap.At
	reader, ok := d.cfg.devices[tap.Reader]
	if !ok {
		return outcome{}, notFound("reader", tap.Reader)
	}
	if !reader.IsReader() {
		return outcome{}, phrasef(ErrInvalid, "device %q is not a reader", reader.ID)
	}
	read, err := ParseCode(tap.Code)
	if err != nil {
		return outcome{}, err
	}
	o := outcome{ev: Event{At: t, Reader: reader.ID, Door: reader.Door, Direction: reader.Direction, Card: read.String()}}
	if reader.Desk && d.enrolling {
		return d.readForEnrolment(o, read)
	}
	var door Door
	if !reader.Desk {
		if door, ok = d.cfg.doors[reader.Door]; !ok {
			return outcome{}, fmt.Errorf("reader %s: %w", reader.ID, notFound("door", reader.Door))
		}
	}

	// 1. Unknown card.
	cards, err := d.tx.CardsMatching(read)
	if err != nil {
		return outcome{}, err
	}
	if len(cards) == 0 {
		return o.deny(DeniedUnknownCard, NewReason(ReasonUnknownCard, "card", read)), nil
	}
	// A read narrower than the cards may match cards of several people:
	// nobody is let in, or logged, on a guess.
	if len(holders(cards)) > 1 {
		why, err := ambiguousRead(d.tx, read, cards)
		if err != nil {
			return outcome{}, err
		}
		return o.deny(DeniedAmbiguousCard, why), nil
	}
	card := pickCard(cards, read, t)
	o.ev.Card = card.Code
	o.ev.Person = card.Person

	// 2. Blocked card or inactive person.
	person, err := get[Person](d.tx, KindPerson, card.Person)
	if errors.Is(err, ErrNotFound) {
		return o.deny(DeniedCardBlocked, NewReason(ReasonCardNoHolder, "card", card.Code)), nil
	} else if err != nil {
		return outcome{}, err
	}
	if why := d.blocked(card, person, t); why != nil {
		return o.deny(DeniedCardBlocked, why), nil
	}

	// 3. Debounce. A clock stepped back must not open a window of
	// duplicates or of fresh decisions, so the gap is taken unsigned.
	last, ok, err := d.tx.LastDecision(card.Code, reader.ID)
	if err != nil {
		return outcome{}, err
	}
	if gap := t.Sub(last).Abs(); ok && gap < time.Duration(d.site.Debounce) {
		return o.deny(IgnoredDuplicate, NewReason(ReasonDuplicate,
			"gap", gap.Round(100*time.Millisecond), "debounce", time.Duration(d.site.Debounce))), nil
	}
	o.debounce = true

	if reader.Desk {
		return d.desk(o, person)
	}

	// 4. Lockdown.
	if door.Mode == DoorLockdown && !person.Master {
		return o.deny(DeniedDoorLocked, NewReason(ReasonDoorLockdown, "door", door.Name)), nil
	}

	// 5. Anti-passback: the person must be where this reader leads out of.
	source, dest := door.From, door.To
	if reader.Direction == Out {
		source, dest = dest, source
	}
	if door.AntiPassback && !person.Master {
		p, err := d.tx.Presence(person.ID)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return outcome{}, err
		}
		if err == nil && p.Zone != source {
			return o.deny(DeniedAntipassback, NewReason(ReasonAntipassback, "person", person.Name,
				"zone", d.zoneName(p.Zone), "since", d.local(p.Since), "source", d.zoneName(source))), nil
		}
	}

	// 6. Granted, by the first right that applies; 7. otherwise the most
	// specific refusal.
	o.moveTo = dest
	switch {
	case door.Mode == DoorUnlocked:
		return o.grant(NewReason(ReasonDoorUnlocked, "door", door.Name)), nil
	case person.Master:
		return o.grant(NewReason(ReasonMaster, "person", person.Name)), nil
	}
	lv, err := d.levels(person, door, t)
	if err != nil {
		return outcome{}, err
	}
	if lv.granted != nil {
		return o.grant(lv.granted), nil
	}
	gr, err := d.grants(person, door, reader.Direction, t)
	if err != nil {
		return outcome{}, err
	}
	if gr.use != nil {
		g := *gr.use
		o.ev.Grant = g.ID
		if g.Kind == GrantOnce && reader.Direction != Out {
			g.Used++
			o.consume = &g
		}
		return o.grant(gr.explain(g, reader.Direction, d)), nil
	}
	o.moveTo = ""
	switch {
	case gr.usedUp != nil:
		g := gr.usedUp
		return o.deny(DeniedNoUsesLeft, NewReason(ReasonGrantUsedUp, "grant", g.ID, "door", door.Name, "used", g.Used, "uses", g.Uses)), nil
	case gr.outside != nil:
		g := gr.outside
		if !g.From.IsZero() && t.Before(g.From) {
			return o.deny(DeniedGrantExpired, NewReason(ReasonGrantNotStarted, "grant", g.ID, "door", door.Name, "from", d.local(g.From))), nil
		}
		return o.deny(DeniedGrantExpired, NewReason(ReasonGrantExpired, "grant", g.ID, "door", door.Name, "until", d.local(g.Until))), nil
	case lv.outside != nil:
		return o.deny(DeniedOutsideSchedule, lv.outside), nil
	}
	return o.deny(DeniedNoAccess, NewReason(ReasonNoAccess, "person", person.Name, "door", door.Name)), nil
}

func (o outcome) deny(r Result, why *Reason) outcome {
	o.ev.Result = r
	o.ev.explain(why)
	o.moveTo = ""
	o.consume = nil
	return o
}

func (o outcome) grant(why *Reason) outcome {
	o.ev.Result = Granted
	o.ev.explain(why)
	return o
}

// pickCard chooses among the cards of one person matching a read: the
// card with the read's exact code, else one that is usable now, else the
// first. Several cards match when the person holds the same card under
// two formats, or two cards that a reader seeing fewer bits reads the
// same; cards of several people are never chosen from (holders).
func pickCard(cards []Card, read Code, t time.Time) Card {
	want := read.String()
	for _, c := range cards {
		if c.Code == want {
			return c
		}
	}
	for _, c := range cards {
		if c.State == CardActive && c.validAt(t) {
			return c
		}
	}
	return cards[0]
}

// validAt reports whether the card's validity period contains t.
func (c Card) validAt(t time.Time) bool {
	return (c.From.IsZero() || !t.Before(c.From)) && (c.Until.IsZero() || t.Before(c.Until))
}

// blocked says why the card may not be used at t, or nil.
func (d *decider) blocked(c Card, p Person, t time.Time) *Reason {
	switch {
	case c.State != CardActive && c.State != "":
		return NewReason(ReasonCardState, "card", c.Code, "person", p.Name, "state", c.State)
	case !c.From.IsZero() && t.Before(c.From):
		return NewReason(ReasonCardNotYetValid, "card", c.Code, "person", p.Name, "from", d.local(c.From))
	case !c.Until.IsZero() && !t.Before(c.Until):
		return NewReason(ReasonCardExpired, "card", c.Code, "person", p.Name, "until", d.local(c.Until))
	case p.Inactive:
		return NewReason(ReasonPersonInactive, "person", p.Name)
	}
	return nil
}

// levelCheck is what a person's access levels say about a door at t.
type levelCheck struct {
	granted *Reason // the rule that grants, or nil
	outside *Reason // a rule covers the door but not at t, or nil
}

// levels evaluates the person's access levels (their own, else their
// department's) for door at t.
func (d *decider) levels(p Person, door Door, t time.Time) (levelCheck, error) {
	ids := p.AccessLevels
	if dep := d.cfg.departments[p.Department]; len(ids) == 0 && dep.AccessLevel != "" {
		ids = []string{dep.AccessLevel}
	}
	var c levelCheck
	for _, id := range ids {
		lvl, ok := d.cfg.levels[id]
		if !ok {
			continue
		}
		for _, r := range lvl.Rules {
			if !contains(r.Doors, door.ID) {
				continue
			}
			if r.Schedule == "" {
				c.granted = NewReason(ReasonLevelAnyTime, "level", lvl.Name)
				return c, nil
			}
			s, ok := d.cfg.schedules[r.Schedule]
			if !ok {
				continue
			}
			var skip func(Date) bool
			if s.Holidays == HolidaysClosed {
				skip = d.isHoliday
			}
			if w, day, ok := s.Week.Covering(t, d.loc, skip); ok {
				c.granted = NewReason(ReasonLevelSchedule, "level", lvl.Name, "schedule", s.Name, "weekday", day.Weekday().String()[:3], "window", w)
				return c, nil
			}
			if c.outside == nil {
				lt := t.In(d.loc)
				code := ReasonOutsideSchedule
				if skip != nil && d.isHoliday(DateOf(t, d.loc)) {
					code = ReasonOutsideHoliday
				}
				c.outside = NewReason(code, "level", lvl.Name, "schedule", s.Name, "weekday", lt.Format("Mon"), "time", lt.Format("15:04"))
			}
		}
	}
	return c, nil
}

// isHoliday reports whether day is one of the site's holidays.
func (d *decider) isHoliday(day Date) bool { return d.cfg.holidays[day] }

// grantCheck is what a person's grants on a door say at t.
type grantCheck struct {
	use     *Grant // the grant that opens, or nil
	usedUp  *Grant // a once grant with no use left
	outside *Grant // a grant not yet or no longer valid
}

// grants finds the grant that lets the person through door at t. Among
// several valid grants the one that costs least is used: permanent, then
// temporary, then once, so that uses are not spent when another grant
// suffices. A use of a once grant is a visit: it is spent going in, and
// going out (dir Out) spends none and needs none left, so that a visitor
// with one use can leave the room it let them into.
func (d *decider) grants(p Person, door Door, dir Direction, t time.Time) (grantCheck, error) {
	gs, err := d.tx.GrantsFor(p.ID, door.ID)
	if err != nil {
		return grantCheck{}, err
	}
	var c grantCheck
	rank := map[GrantKind]int{GrantPermanent: 0, GrantTemporary: 1, GrantOnce: 2}
	for i := range gs {
		g := &gs[i]
		valid := g.Kind == GrantPermanent || g.validAt(t)
		switch {
		case g.Kind == GrantOnce && g.UsesLeft() == 0 && dir != Out:
			if c.usedUp == nil {
				c.usedUp = g
			}
		case !valid:
			if c.outside == nil {
				c.outside = g
			}
		case c.use == nil || rank[g.Kind] < rank[c.use.Kind]:
			c.use = g
		}
	}
	return c, nil
}

// explain describes the grant g (after its use is spent) that opened door
// in direction dir.
func (c grantCheck) explain(g Grant, dir Direction, d *decider) *Reason {
	door := g.Door
	if dr, ok := d.cfg.doors[g.Door]; ok {
		door = dr.Name
	}
	// pick is the code without or with the grant's giver.
	pick := func(plain, by ReasonCode) ReasonCode {
		if g.By != "" {
			return by
		}
		return plain
	}
	var r *Reason
	switch g.Kind {
	case GrantTemporary:
		r = NewReason(pick(ReasonGrantTemporary, ReasonGrantTemporaryBy), "until", d.local(g.Until))
	case GrantOnce:
		code := pick(ReasonGrantOnce, ReasonGrantOnceBy)
		if dir == Out {
			code = pick(ReasonGrantOnceLeaving, ReasonGrantOnceByLeaving)
		}
		r = NewReason(code, "left", g.UsesLeft(), "uses", g.Uses)
	default:
		r = NewReason(pick(ReasonGrantPermanent, ReasonGrantPermanentBy))
	}
	r.Args["grant"], r.Args["door"] = g.ID, door
	if g.By != "" {
		r.Args["by"] = g.By
	}
	return r
}

// readForEnrolment is a desk tap while a screen enrols a card
// (Engine.CaptureDesk): the card is read and logged, naming its holder if
// it has one, and nobody is checked in or out.
func (d *decider) readForEnrolment(o outcome, read Code) (outcome, error) {
	o.ev.Door, o.ev.Direction = "", ""
	o.ev.Result = CardRead
	cards, err := d.tx.CardsMatching(read)
	if err != nil {
		return outcome{}, err
	}
	if len(cards) == 0 {
		o.ev.explain(NewReason(ReasonEnrolUnknown, "card", read))
		return o, nil
	}
	if len(holders(cards)) > 1 {
		names, err := cardsHeldBy(d.tx, cards)
		if err != nil {
			return outcome{}, err
		}
		o.ev.explain(NewReason(ReasonEnrolAmbiguous, "card", read, "holders", strings.Join(names, ListSep)))
		return o, nil
	}
	card := pickCard(cards, read, o.ev.At)
	o.ev.Card, o.ev.Person = card.Code, card.Person
	name := card.Person
	if p, err := get[Person](d.tx, KindPerson, card.Person); err == nil {
		name = p.Name
	}
	o.ev.explain(NewReason(ReasonEnrolHeld, "card", card.Code, "person", name))
	return o, nil
}

// desk decides a tap on the desk reader: a check-in, or in toggle mode a
// check-out when the person is already in a work zone (DESIGN §2.2).
func (d *decider) desk(o outcome, p Person) (outcome, error) {
	if d.site.DeskZone == "" {
		return outcome{}, phrasef(ErrInvalid, "the site has no desk_zone, so the desk reader cannot check people in")
	}
	o.ev.Door, o.ev.Direction = "", ""
	cur, err := d.tx.Presence(p.ID)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return outcome{}, err
	}
	in := false
	if err == nil {
		in, err = d.isWork(cur.Zone)
		if err != nil {
			return outcome{}, err
		}
	}
	switch {
	case in && d.site.DeskMode == DeskCheckinOnly:
		o.ev.Result = AlreadyCheckedIn
		o.ev.explain(NewReason(ReasonAlreadyIn, "person", p.Name, "since", d.local(cur.Since)))
	case in:
		o.ev.Result = CheckedOut
		o.ev.explain(NewReason(ReasonDeskOut, "person", p.Name))
		o.moveTo = d.site.OutsideZone
	default:
		o.ev.Result = CheckedIn
		o.ev.explain(NewReason(ReasonDeskIn, "person", p.Name))
		o.moveTo = d.site.DeskZone
	}
	return o, nil
}

// isWork reports whether zone counts as worked time.
func (d *decider) isWork(zone string) (bool, error) {
	return d.cfg.zones[zone].Work, nil
}

// zoneName is a zone's name for explanations, or its id.
func (d *decider) zoneName(id string) string {
	if z := d.cfg.zones[id]; z.Name != "" {
		return z.Name
	}
	return id
}

// local writes an instant in the site's zone for explanations.
func (d *decider) local(t time.Time) string {
	return t.In(d.loc).Format("2006-01-02 15:04")
}

// explain sets why the event happened: the reason, and its English
// sentence for the Explanation.
func (e *Event) explain(why *Reason) {
	e.Why = why
	e.Explanation = why.String()
}
