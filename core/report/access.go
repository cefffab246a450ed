package report

import (
	"strconv"
	"strings"

	"frontdesk/core"
)

// access is, per door, who may open it, how and until when.
type access struct{ s *core.AccessReport }

func (access) landscape() bool { return false }

func (a access) covers(d *doc) string {
	n := 0
	for _, door := range a.s.Doors {
		n += len(door.Entries)
	}
	return d.N("{{.Count}} door", "{{.Count}} doors", len(a.s.Doors)) + ", " + d.N("{{.Count}} way to open", "{{.Count}} ways to open", n)
}

func (a access) draw(d *doc) {
	if len(a.s.Doors) == 0 {
		d.note(d.T("No doors in this selection."))
		return
	}
	d.line(d.F("Rights in force at %s.", d.clk.dateTime(a.s.At)), "", bodySize, grey)
	for _, door := range a.s.Doors {
		a.drawDoor(d, door)
	}
}

func (a access) drawDoor(d *doc, door core.DoorAccess) {
	t := newTable(d, sheetSize,
		column{title: "Person", width: 25},
		column{title: "Department", width: 18},
		column{title: "Via", width: 26},
		column{title: "When", width: 27},
		column{title: "Until", width: 22},
		column{title: "Uses left", width: 9, align: alignRight},
		column{title: "Note", width: 18},
	)
	title := door.Name
	if door.Door != "" && door.Door != door.Name {
		title += " (" + door.Door + ")"
	}
	info := d.F("Mode %s", d.T(string(door.Mode)))
	if len(door.Owners) > 0 {
		info += " · " + d.F("owners: %s", strings.Join(door.Owners, ", "))
	} else {
		info += " · " + d.T("no owner")
	}
	info += " · " + d.N("{{.Count}} entry", "{{.Count}} entries", len(door.Entries))
	d.gap(4)
	t.measureHeader()
	d.ensure(lineHeight(captionSize) + lineHeight(bodySize) + t.headH + t.rowHeight() + 4)
	d.caption(title, 0)
	ink := grey
	if door.Mode != core.DoorNormal {
		ink = darkRed
	}
	d.line(info, "", bodySize, ink)
	d.y += 1
	if len(door.Entries) == 0 {
		d.note(d.T("Nobody may open this door."))
		return
	}
	t.start("", keepFor(len(door.Entries)))
	t.caption = title
	for _, e := range door.Entries {
		c := t.row()
		c[0].text = e.Name
		c[1].text = e.Department
		c[2].text = via(d, e)
		c[3].text = when(d, e, a.s)
		c[4].text = "—"
		if !e.Until.IsZero() {
			c[4].text = d.clk.end(e.Until)
		}
		c[5].text = "—"
		if e.Via == core.AccessViaGrant && e.GrantKind == core.GrantOnce && e.UsesLeft >= 0 {
			c[5].text = strconv.Itoa(e.UsesLeft)
		}
		if e.NoCard {
			c[6].text, c[6].ink = d.T("no active card"), darkRed
		}
		t.add(rowPlain)
	}
}

// via says how the person may open the door: "level Staff", "level
// Staff (department)", "grant g12 once", "master".
func via(d *doc, e core.AccessEntry) string {
	switch e.Via {
	case core.AccessViaLevel:
		if e.Inherited {
			return d.F("level %s (department)", e.Level)
		}
		return d.F("level %s", e.Level)
	case core.AccessViaGrant:
		s := d.T("grant")
		if e.Grant != "" {
			s += " " + e.Grant
		}
		if e.GrantKind != "" {
			s += " " + d.T(string(e.GrantKind))
		}
		return s
	case core.AccessViaMaster:
		return d.T("master")
	}
	return e.Via
}

// when says when the way applies: the level's schedule, "any time", or
// "from DATE" for a grant that has not begun.
func when(d *doc, e core.AccessEntry, r *core.AccessReport) string {
	switch {
	case e.Schedule != "":
		return e.Schedule
	case !e.From.IsZero() && e.From.After(r.At):
		return d.F("from %s", d.clk.moment(e.From))
	}
	return d.T("any time")
}
