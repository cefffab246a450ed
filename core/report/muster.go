package report

import (
	"frontdesk/core"
)

// muster is the list of who is inside, by zone, for an evacuation: large
// type, and a box to tick for each person found.
type muster struct{ s *core.MusterReport }

func (muster) landscape() bool { return false }

func (m muster) covers(d *doc) string {
	return d.F("%s in %s", d.N("{{.Count}} person", "{{.Count}} people", m.s.Total), d.N("{{.Count}} zone", "{{.Count}} zones", len(m.s.Zones)))
}

// Sizes of the muster list, in points.
const (
	musterTotalSize = 24.0
	musterZoneSize  = 15.0
	musterSize      = 11.0
	musterNameSize  = 14.0
)

func (m muster) draw(d *doc) {
	d.line(d.N("{{.Count}} person inside", "{{.Count}} people inside", m.s.Total), "B", musterTotalSize, black)
	if m.s.Site != "" {
		// Another site's list, as it last sent it: its time is the
		// list's, not now's.
		d.line(d.F("Site %s, as of %s. Tick each person as they are found.", m.s.Site, d.clk.dateTime(m.s.At)), "B", bodySize, black)
		if m.s.Stale {
			d.line(d.F("WARNING: site %s has not been heard from since %s: it is cut off, and this list may be stale.", m.s.Site, d.clk.dateTime(m.s.At)), "B", bodySize, darkRed)
		}
	} else {
		d.line(d.F("at %s. Tick each person as they are found.", d.clk.dateTime(m.s.At)), "", bodySize, grey)
	}
	d.y += 2
	if len(m.s.Zones) == 0 {
		d.note(d.T("Nobody is inside."))
		return
	}
	for _, z := range m.s.Zones {
		m.drawZone(d, z)
	}
}

func (m muster) drawZone(d *doc, z core.MusterZone) {
	t := newTable(d, musterSize,
		column{title: "Name", width: 40, size: musterNameSize, bold: true, box: true},
		column{title: "Department", width: 22},
		column{title: "Since", width: 30},
		column{title: "Phone", width: 26},
	)
	t.pad = 2
	name := z.Name
	if name == "" {
		name = z.Zone
	}
	lh := lineHeight(musterZoneSize)
	d.gap(4)
	t.measureHeader()
	d.ensure(lh + t.headH + lineHeight(musterNameSize) + 2*padY)
	d.line(name+" — "+d.num(len(z.People)), "B", musterZoneSize, accent)
	d.y += 1
	if len(z.People) == 0 {
		d.note(d.T("Nobody."))
		return
	}
	t.start("", keepFor(len(z.People)))
	t.caption = name
	for _, e := range z.People {
		c := t.row()
		c[0].text = e.Name
		c[1].text = e.Department
		if e.Stale {
			c[2].text, c[2].ink = d.F("(?) not checked out since %s", d.clk.dateTime(e.Since)), grey
			c[0].ink = grey
		} else {
			c[2].text = d.clk.timeOn(e.Since, m.s.At)
		}
		c[3].text = e.Phone
		t.add(rowPlain)
	}
}
