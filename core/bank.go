package core

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"frontdesk/core/procs"
)

// The time bank (docs/payroll.md, "Time bank"): each person's running
// balance of paid time less scheduled time, and the corrections a
// manager enters into it (hours paid out, carried over).

// BalanceAdjustment is a signed correction of a person's time bank,
// dated: it counts from that day on. Corrections are records, like
// justifications: they are not in site files.
type BalanceAdjustment struct {
	ID     string `json:"id"`
	Person string `json:"person"`
	Date   Date   `json:"date"`
	// Minutes is added to the bank: negative for hours paid out or
	// taken off, positive for hours credited.
	Minutes int `json:"minutes"`
	// Reason says why; it is required.
	Reason string `json:"reason"`
	// By names who entered it (Actor.String), At when.
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// MaxAdjustmentMinutes bounds a correction either way: 1,000 hours, far
// beyond any real one, so that a typing slip (minutes given as seconds)
// is refused rather than stored.
const MaxAdjustmentMinutes = 1000 * 60

// checkAdjustment checks a correction's person, date, minutes and
// reason, every problem at once.
func checkAdjustment(adj BalanceAdjustment) error {
	var ps Problems
	if strings.TrimSpace(adj.Person) == "" {
		ps = append(ps, problemOf("person", "required", "required"))
	}
	if adj.Date == (Date{}) {
		ps = append(ps, problemOf("date", "required", "required"))
	} else if !adj.Date.valid() || adj.Date.Year < 1 || adj.Date.Year > 9999 {
		ps = append(ps, problemOf("date", "bad_time", "not a date", "value", adj.Date.String()))
	}
	switch {
	case adj.Minutes == 0:
		ps = append(ps, problemOf("minutes", "not_zero", "must not be zero"))
	case adj.Minutes > MaxAdjustmentMinutes || adj.Minutes < -MaxAdjustmentMinutes:
		ps = append(ps, problemOf("minutes", "too_large", fmt.Sprintf("%d minutes: at most %d hours either way", adj.Minutes, MaxAdjustmentMinutes/60),
			"value", strconv.Itoa(adj.Minutes), "max", strconv.Itoa(MaxAdjustmentMinutes/60)))
	}
	if strings.TrimSpace(adj.Reason) == "" {
		ps = append(ps, problemOf("reason", "required", "required"))
	} else if err := CheckNote(adj.Reason); err != nil {
		ps = append(ps, fieldFrom("reason", err))
	}
	if err := ps.Err(); err != nil {
		return fmt.Errorf("time bank correction: %w", err)
	}
	return nil
}

// bankObject is the audit trail's object of person's time bank. It is not
// "people/ID" alone: an entry on that object without a before is the
// person's creation (legacyStarts).
func bankObject(person string) string { return string(KindPerson) + "/" + person + "/balance" }

// auditAdjustment writes the audit entry of a correction stored (after)
// or deleted (before), on the person's time bank.
func auditAdjustment(tx *auditTx, person string, before, after *BalanceAdjustment) error {
	enc := func(v *BalanceAdjustment) ([]byte, error) {
		if v == nil {
			return nil, nil
		}
		return json.Marshal(v)
	}
	b, err := enc(before)
	if err != nil {
		return err
	}
	a, err := enc(after)
	if err != nil {
		return err
	}
	return tx.entry(bankObject(person), b, a)
}

// AdjustBalance stores a correction of a person's time bank and returns
// it. The engine sets ID ("b1", ...), By (the actor) and At (now). Needs
// attendance.edit; audited as "balance.adjust" on the person's bank, with
// the minutes and the reason. Errors: ErrInvalid (Problems) for a missing
// person, date or reason, zero minutes or more than
// MaxAdjustmentMinutes either way; ErrNotFound for an unknown person.
// Nothing is stored then.
func (e *Engine) AdjustBalance(a Actor, adj BalanceAdjustment) (BalanceAdjustment, error) {
	if _, err := e.require(a, PermAttendanceEdit, "correct time banks"); err != nil {
		return BalanceAdjustment{}, err
	}
	adj.Person = strings.TrimSpace(adj.Person)
	adj.Reason = strings.TrimSpace(normalizeNote(adj.Reason))
	adj.By, adj.At = a.String(), e.now().UTC()
	if err := checkAdjustment(adj); err != nil {
		return BalanceAdjustment{}, err
	}
	err := e.change(a, "balance.adjust", false, func(tx *auditTx) error {
		if _, err := get[Person](tx, KindPerson, adj.Person); err != nil {
			return &FieldError{Field: "person", Problem: fmt.Sprintf("no person %q", adj.Person), Code: "no_person",
				Args: argsOf("value", adj.Person), Err: ErrNotFound}
		}
		id, err := tx.NextID(KindBalance)
		if err != nil {
			return err
		}
		adj.ID = id
		if err := tx.Tx.Put(KindBalance, id, adj); err != nil {
			return err
		}
		return auditAdjustment(tx, adj.Person, nil, &adj)
	})
	if err != nil {
		return BalanceAdjustment{}, fmt.Errorf("correct the time bank: %w", err)
	}
	e.log.Info("time bank corrected", "correction", adj.ID, "person", adj.Person, "minutes", adj.Minutes, "by", a.String())
	return adj, nil
}

// DeleteBalanceAdjustment removes correction id and returns what it was.
// Needs attendance.edit; audited as "balance.delete" on the person's
// bank. Errors: ErrNotFound.
func (e *Engine) DeleteBalanceAdjustment(a Actor, id string) (BalanceAdjustment, error) {
	if _, err := e.require(a, PermAttendanceEdit, "delete time bank corrections"); err != nil {
		return BalanceAdjustment{}, err
	}
	var old BalanceAdjustment
	err := e.change(a, "balance.delete", false, func(tx *auditTx) error {
		var err error
		if old, err = get[BalanceAdjustment](tx, KindBalance, id); err != nil {
			return notFound("time bank correction", id)
		}
		if err := tx.Tx.Delete(KindBalance, id); err != nil {
			return err
		}
		return auditAdjustment(tx, old.Person, &old, nil)
	})
	if err != nil {
		return BalanceAdjustment{}, fmt.Errorf("delete time bank correction: %w", err)
	}
	e.log.Info("time bank correction deleted", "correction", id, "person", old.Person, "by", a.String())
	return old, nil
}

// BalanceAdjustments returns the corrections of person ("" for everyone)
// dated from to to (both included; a zero bound leaves that side open),
// by date then id. Needs attendance.view.
func (e *Engine) BalanceAdjustments(a Actor, person string, from, to Date) ([]BalanceAdjustment, error) {
	if _, err := e.require(a, PermAttendanceView, "see time banks"); err != nil {
		return nil, err
	}
	var out []BalanceAdjustment
	err := e.store.View(func(tx Tx) error {
		all, err := storedAdjustments(tx)
		if err != nil {
			return err
		}
		for _, adj := range all {
			if (person == "" || adj.Person == person) && inDates(adj.Date, from, to) {
				out = append(out, adj)
			}
		}
		return nil
	})
	return out, err
}

// inDates reports whether d is from to to, a zero bound open.
func inDates(d, from, to Date) bool {
	return (from == Date{} || !d.Before(from)) && (to == Date{} || !to.Before(d))
}

// storedAdjustments returns every correction, by date then id.
func storedAdjustments(tx Tx) ([]BalanceAdjustment, error) {
	out, err := list[BalanceAdjustment](tx, KindBalance)
	if err != nil {
		return nil, fmt.Errorf("read time bank corrections: %w", err)
	}
	slices.SortFunc(out, func(a, b BalanceAdjustment) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return counterIDCompare(a.ID, b.ID)
	})
	return out, nil
}

// bankFrom is the first day of p's time bank: the later of their started
// date and the site's balance_from, or first (the period's first day)
// when neither is set.
func bankFrom(p Person, site Site, first Date) Date {
	from := p.Started
	if from.Before(site.BalanceFrom) {
		from = site.BalanceFrom
	}
	if from == (Date{}) {
		return first
	}
	return from
}

// bankChunk is how many days of the opening balance are computed at a
// time: years of days never sit in memory at once, and a year's opening
// is one read of the person's moves.
const bankChunk = maxTimesheetDays

// addBanks computes the time bank of each person of ts, for the period
// from to to, when the site keeps one (Uses.Balance): the balance_from
// setting, or any correction stored. Otherwise the banks stay zero.
func (e *Engine) addBanks(ts *Timesheet, from, to Date) error {
	e.mu.RLock()
	cfg, loc := e.cfg, e.loc
	e.mu.RUnlock()
	var byPerson map[string][]BalanceAdjustment
	err := e.store.View(func(tx Tx) error {
		all, err := storedAdjustments(tx)
		if err != nil {
			return err
		}
		byPerson = map[string][]BalanceAdjustment{}
		for _, adj := range all {
			byPerson[adj.Person] = append(byPerson[adj.Person], adj)
		}
		ts.Uses.Balance = cfg.site.BalanceFrom != (Date{}) || len(all) > 0
		return nil
	})
	if err != nil || !ts.Uses.Balance {
		return err
	}
	now := e.now()
	work := cfg.workZones()
	parts := min(procs.Cores(), max(1, len(ts.People)/64))
	errs := make([]error, parts)
	Spread(parts, func(w int) {
		errs[w] = e.store.View(func(tx Tx) error {
			for i := w; i < len(ts.People); i += parts {
				pt := &ts.People[i]
				bf := bankFrom(pt.person, cfg.site, from)
				opening, err := balanceBetween(tx, cfg.calendarFor(pt.person, loc), work, pt.Person, bf, from.AddDays(-1), now, loc)
				if err != nil {
					return err
				}
				b := TimeBank{From: bf, Opening: opening}
				for _, adj := range byPerson[pt.Person] {
					switch {
					case adj.Date.Before(bf) || to.Before(adj.Date):
					case adj.Date.Before(from):
						b.Opening += adj.Minutes
					default:
						b.Adjustments += adj.Minutes
					}
				}
				b.Closing = b.Opening + b.Adjustments
				running := b.Opening
				for i := range pt.Days {
					d := &pt.Days[i]
					if d.Date.Before(bf) {
						continue
					}
					b.Closing += d.Balance
					running += d.Balance
					for _, adj := range byPerson[pt.Person] {
						if adj.Date == d.Date {
							running += adj.Minutes
						}
					}
					d.Bank = running
				}
				pt.Bank = b
			}
			return nil
		})
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// balanceBetween sums the balance_minutes of person's days from from to
// to (none when to is before from), a chunk of days at a time. It is
// computeDays without keeping the days: each is computed by the same
// timesheetDay, so the sum is the timesheet's, but a year of days costs
// no more memory than a chunk.
func balanceBetween(tx Tx, cal calendar, work map[string]bool, person string, from, to Date, now time.Time, loc *time.Location) (int, error) {
	sum := 0
	for start := from; !to.Before(start); start = start.AddDays(bankChunk) {
		end := start.AddDays(bankChunk - 1)
		if to.Before(end) {
			end = to
		}
		evs, err := personMoves(tx, person, TimesheetQuery{From: start, To: end}, loc)
		if err != nil {
			return 0, err
		}
		// A memo of the chunk's days only (and the few around it that
		// presence looks at).
		cal.days = make(map[Date]WorkDay, bankChunk+8)
		var byDay map[Date][]presenceSpan
		if len(evs) > 0 {
			byDay = map[Date][]presenceSpan{}
			for _, s := range presence(cal, work, evs, now) {
				d := cal.dayOf(s.From).Date
				byDay[d] = append(byDay[d], s)
			}
		}
		for d := start; !end.Before(d); d = d.AddDays(1) {
			sum += cal.timesheetDay(cal.day(d), byDay[d], now).Balance
		}
	}
	return sum, nil
}
