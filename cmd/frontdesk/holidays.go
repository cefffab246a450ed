package main

import (
	"fmt"
	"io"
	"strings"

	"frontdesk/core"
)

// holidays is `frontdesk holidays add|list`: the site's holidays, and a
// country's public holidays added to them.
func (c *command) holidays(args []string) error {
	if len(args) == 0 {
		return usagef("holidays: want add or list")
	}
	switch args[0] {
	case "add":
		return c.holidaysAdd(args[1:])
	case "list":
		return c.holidaysList(args[1:])
	}
	return usagef("holidays: unknown subcommand %q: want add or list", args[0])
}

// holidaysAdd is `holidays add --country CC [--year YYYY] [--dry-run]`:
// the country's public holidays of the year added to the site's, those on
// a date the site has a holiday on already skipped (see
// core.Engine.AddPublicHolidays).
func (c *command) holidaysAdd(args []string) error {
	fs := c.flags("holidays add", "--country "+strings.Join(core.HolidayCountries, "|")+" [--year YYYY] [--dry-run]")
	country := fs.String("country", "", "the `COUNTRY`: "+strings.Join(core.HolidayCountries, ", "))
	year := fs.Int("year", 0, "the `YEAR` (default: this year in the site's zone)")
	dryRun := fs.Bool("dry-run", false, "print what would be added and skipped, writing nothing")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *country == "" {
		return usagef("holidays add: --country is required (one of %s)", strings.Join(core.HolidayCountries, ", "))
	}
	if *dryRun {
		c.readOnly = true
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	if *year == 0 {
		*year = c.api.Now().In(c.api.Location()).Year()
	}
	m, err := c.api.AddPublicHolidays(c.actor(), *country, *year, *dryRun)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(m)
	}
	printHolidayMerge(c.stdout, m)
	return nil
}

// printHolidayMerge writes one line per holiday added (+) or skipped (=),
// then the counts.
func printHolidayMerge(w io.Writer, m core.PublicHolidayMerge) {
	for _, h := range m.Added {
		fmt.Fprintf(w, "+ %s  %s\n", h.Date, printable(h.Name))
	}
	for _, h := range m.Skipped {
		fmt.Fprintf(w, "= %s  %s  (the site's holiday on that date is kept)\n", h.Date, printable(h.Name))
	}
	fmt.Fprintf(w, "%s %d: %d added, %d skipped\n", m.Country, m.Year, len(m.Added), len(m.Skipped))
	if m.DryRun {
		fmt.Fprintln(w, "dry run: nothing was written")
	}
}

// holidaysList is `holidays list [--year YYYY]`: the site's holidays by
// date.
func (c *command) holidaysList(args []string) error {
	fs := c.flags("holidays list", "[--year YYYY]")
	year := fs.Int("year", 0, "only the holidays of `YEAR`")
	c.readOnly = true
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	hs, err := c.api.Holidays(c.actor())
	if err != nil {
		return err
	}
	out := []core.Holiday{}
	for _, h := range hs {
		if *year == 0 || h.Date.Year == *year {
			out = append(out, h)
		}
	}
	if c.json {
		return c.printJSON(out)
	}
	tab := newTable(c.stdout, 0, 0, 2, 0)
	c.header(tab, "DATE", "NAME")
	for _, h := range out {
		tab.row(h.Date.String(), h.Name)
	}
	return tab.flush()
}
