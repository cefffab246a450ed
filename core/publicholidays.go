package core

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/us"
)

// This file fills the site's holidays with a country's public holidays,
// computed by github.com/rickar/cal rather than written by hand: the
// nationwide ones only (GB: England and Wales; US: federal; DE: those of
// every Land), named in the country's language as the library names them.

// HolidayCountries are the countries whose public holidays
// PublicHolidays knows, by ISO 3166 code, in alphabetical order.
var HolidayCountries = []string{"DE", "FR", "GB", "RU", "US"}

// Years PublicHolidays accepts.
const (
	MinHolidayYear = 1900
	MaxHolidayYear = 2200
)

// publicCalendar is a country's holidays and how it names the day off
// that replaces one falling on a weekend.
type publicCalendar struct {
	holidays   []*cal.Holiday
	substitute string
}

var publicCalendars = map[string]publicCalendar{
	"DE": {holidays: de.Holidays},
	"FR": {holidays: fr.Holidays},
	"GB": {holidays: gb.Holidays, substitute: "%s (substitute day)"},
	"RU": {holidays: ruHolidays(), substitute: "%s (перенесённый выходной)"},
	"US": {holidays: us.Holidays, substitute: "%s (observed)"},
}

// ruHolidays is the library's list of Russia's holidays with what the
// Labour Code (article 112) adds or says otherwise: the New Year holidays
// are January 1 to 6 and 8, not January 1 alone, and those days and
// Christmas on January 7 are not moved to a Monday when they fall on a
// weekend (the government moves such days by decree, year by year). The
// library's name of Unity Day is misspelt.
func ruHolidays() []*cal.Holiday {
	newYear := *ru.NewYear
	newYear.Observed = nil
	christmas := *ru.OrthodoxChristmas
	christmas.Observed = nil
	out := []*cal.Holiday{&newYear, &christmas}
	for _, d := range []int{2, 3, 4, 5, 6, 8} {
		out = append(out, &cal.Holiday{Name: "Новогодние каникулы", Type: cal.ObservancePublic,
			Month: time.January, Day: d, Func: cal.CalcDayOfMonth})
	}
	for _, h := range ru.Holidays {
		switch h {
		case ru.NewYear, ru.OrthodoxChristmas:
		case ru.UnionDay:
			out = append(out, h.Clone(&cal.Holiday{Name: "День народного единства"}))
		default:
			out = append(out, h)
		}
	}
	return out
}

// PublicHolidays returns the public holidays of country (an ISO 3166
// code, "FR", in either case) in year, by date: each holiday on its date
// and, when a weekend moves the day off (GB, US, RU), the day off too,
// named "Christmas Day (substitute day)". Errors: a *FieldError wrapping
// ErrInvalid, in Problems, for a country it does not know (field
// "country", code bad_choice) or a year outside 1900..2200 (field "year",
// code bad_year).
func PublicHolidays(country string, year int) ([]Holiday, error) {
	c, err := checkHolidayQuery(country, year)
	if err != nil {
		return nil, err
	}
	seen := map[Date]bool{}
	var out []Holiday
	add := func(t time.Time, name string) {
		d := Date{t.Year(), t.Month(), t.Day()}
		if d.Year != year || seen[d] {
			return
		}
		seen[d] = true
		out = append(out, Holiday{Date: d, Name: name})
	}
	// A holiday of the next or the last year may be observed in this one
	// (the US observes a Saturday New Year's Day on the Friday before).
	for _, y := range []int{year - 1, year, year + 1} {
		for _, h := range c.holidays {
			if h.Type != cal.ObservancePublic && h.Type != cal.ObservanceBank {
				continue
			}
			actual, observed := h.Calc(y)
			if actual.IsZero() {
				continue
			}
			add(actual, h.Name)
			if !observed.Equal(actual) {
				add(observed, fmt.Sprintf(c.substitute, h.Name))
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

// checkHolidayQuery returns country's calendar, or the problems of the
// query.
func checkHolidayQuery(country string, year int) (publicCalendar, error) {
	c, ok := publicCalendars[strings.ToUpper(strings.TrimSpace(country))]
	var ps Problems
	if !ok {
		ps = append(ps, fieldFrom("country", codedf("bad_choice", vals("value", country),
			"%q is not a country whose public holidays are known: want one of %s", country, strings.Join(HolidayCountries, ", "))))
	}
	if year < MinHolidayYear || year > MaxHolidayYear {
		ps = append(ps, fieldFrom("year", codedf("bad_year", vals("value", strconv.Itoa(year), "min", strconv.Itoa(MinHolidayYear), "max", strconv.Itoa(MaxHolidayYear)),
			"%d: want a year from %d to %d", year, MinHolidayYear, MaxHolidayYear)))
	}
	return c, ps.Err()
}

// PublicHolidayMerge is what adding a country's public holidays of a
// year to the site's holidays does, or would do.
type PublicHolidayMerge struct {
	Country string `json:"country"`
	Year    int    `json:"year"`
	// Added are the public holidays stored as new holidays of the site.
	Added []Holiday `json:"added"`
	// Skipped are the public holidays on a date the site has a holiday on
	// already: that holiday is kept as it is, its name included.
	Skipped []Holiday `json:"skipped"`
	// DryRun: nothing was stored.
	DryRun bool `json:"dry_run,omitempty"`
}

// PublicHolidays returns country's public holidays in year (see the
// function PublicHolidays). Needs access.edit, like the site's holidays.
func (e *Engine) PublicHolidays(a Actor, country string, year int) ([]Holiday, error) {
	if err := e.requireAny(a, "see public holidays", PermAccessEdit); err != nil {
		return nil, err
	}
	return PublicHolidays(country, year)
}

// AddPublicHolidays adds country's public holidays of year to the site's
// holidays, all or nothing: a date the site has a holiday on already keeps
// it, name included, and is reported as skipped. The change is one entry
// of the audit trail, action "holiday.add-public", object
// "holidays/COUNTRY/YEAR", naming the dates added and skipped; none when
// every date was there already. With dryRun it only says what it would
// do.
//
// Needs access.edit. Errors: those of the function PublicHolidays, and
// ErrForbidden.
func (e *Engine) AddPublicHolidays(a Actor, country string, year int, dryRun bool) (PublicHolidayMerge, error) {
	if _, err := e.require(a, PermAccessEdit, "add public holidays"); err != nil {
		return PublicHolidayMerge{}, err
	}
	public, err := PublicHolidays(country, year)
	if err != nil {
		return PublicHolidayMerge{}, err
	}
	m := PublicHolidayMerge{Country: strings.ToUpper(strings.TrimSpace(country)), Year: year, DryRun: dryRun,
		Added: []Holiday{}, Skipped: []Holiday{}}
	merge := func(tx Tx) error {
		have, err := list[Holiday](tx, KindHoliday)
		if err != nil {
			return err
		}
		for _, h := range public {
			if slices.ContainsFunc(have, func(o Holiday) bool { return o.Date == h.Date }) {
				m.Skipped = append(m.Skipped, h)
			} else {
				m.Added = append(m.Added, h)
			}
		}
		return nil
	}
	if dryRun {
		return m, e.store.View(merge)
	}
	err = e.change(a, "holiday.add-public", false, func(tx *auditTx) error {
		if err := merge(tx); err != nil || len(m.Added) == 0 {
			return err
		}
		for _, h := range m.Added {
			// Unaudited one by one: the entry below names them all.
			if err := tx.Tx.Put(KindHoliday, h.Date.String(), h); err != nil {
				return err
			}
		}
		after, err := json.Marshal(m)
		if err != nil {
			return err
		}
		return tx.entry(fmt.Sprintf("%s/%s/%d", KindHoliday, m.Country, year), nil, after)
	})
	if err != nil {
		return PublicHolidayMerge{}, fmt.Errorf("add public holidays of %s %d: %w", m.Country, year, err)
	}
	e.log.Info("public holidays added", "country", m.Country, "year", year,
		"added", len(m.Added), "skipped", len(m.Skipped), "by", a.String())
	return m, e.reload()
}

// HolidayCountryOf guesses the country of a site from its phone prefix,
// then its time zone: one of HolidayCountries, or "" when neither says.
func HolidayCountryOf(s Site, loc *time.Location) string {
	switch s.PhonePrefix {
	case "+33":
		return "FR"
	case "+49":
		return "DE"
	case "+44":
		return "GB"
	case "+7":
		return "RU"
	case "+1":
		return "US"
	}
	if loc == nil {
		return ""
	}
	switch name := loc.String(); {
	case name == "Europe/Paris":
		return "FR"
	case name == "Europe/Berlin":
		return "DE"
	case name == "Europe/London":
		return "GB"
	case name == "Europe/Moscow":
		return "RU"
	case slices.Contains([]string{"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles",
		"America/Phoenix", "America/Anchorage", "Pacific/Honolulu"}, name):
		return "US"
	}
	return ""
}
