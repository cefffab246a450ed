package main

import (
	"fmt"
	"time"

	"frontdesk/core"
)

// presence lists who is inside, by zone: this site now, or at the central
// site of a company a branch's latest list (--site ID) or every site's
// (--site all), each with the time it was taken and a warning when it is
// stale (docs/federation.md).
func (c *command) presence(args []string) error {
	fs := c.flags("presence", "[--site ID|all] [--json]")
	site := fs.String("site", "", "at the central site of a company, the latest list of site `ID`, or all for every site's")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	c.readOnly = true
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	ps, err := c.api.Presence(c.actor(), *site)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(ps)
	}
	for i, p := range ps {
		if i > 0 {
			fmt.Fprintln(c.stdout)
		}
		if err := c.printPresence(p); err != nil {
			return err
		}
	}
	return nil
}

// printPresence writes one site's list: who and when, a warning when it
// is stale, then the people by zone.
func (c *command) printPresence(p core.SitePresence) error {
	tr := c.tr()
	now := c.api.Now()
	label := p.Site
	if label == "" {
		label = tr.T("this site")
	}
	inside := tr.N("{{.Count}} people inside", "{{.Count}} person inside", "{{.Count}} people inside", p.Total)
	c.say("%s, as of %s: %s", printable(label), asOf(p.At, now, c.api.Location()), inside)
	if p.Stale {
		c.say("WARNING: site %s has not been heard from for %s: it is cut off, and this list may be stale",
			printable(p.Site), tr.N("{{.Count}} minutes", "{{.Count}} minute", "{{.Count}} minutes", int(now.Sub(p.At)/time.Minute)))
	}
	if p.Total == 0 {
		return nil
	}
	tab := newTable(c.stdout, 2, 8, 2, 0)
	c.header(tab, "ZONE", "NAME", "DEPARTMENT", "SINCE")
	unsure := false
	for _, z := range p.Zones {
		zone := z.Name
		if zone == "" {
			zone = z.Zone
		}
		for _, e := range z.People {
			since := asOf(e.Since, p.At, c.api.Location())
			if e.Stale {
				since += " (?)"
				unsure = true
			}
			tab.row(printable(zone), printable(e.Name), printable(e.Department), since)
		}
	}
	if err := tab.flush(); err != nil {
		return err
	}
	if unsure {
		c.say("(?) not checked out when the working day ended: probably gone, but not known to be")
	}
	return nil
}

// asOf is t's time of day in loc, with its date when it is not ref's day.
func asOf(t, ref time.Time, loc *time.Location) string {
	t, ref = t.In(loc), ref.In(loc)
	if t.Format("2006-01-02") == ref.Format("2006-01-02") {
		return t.Format("15:04")
	}
	return t.Format("2006-01-02 15:04")
}
