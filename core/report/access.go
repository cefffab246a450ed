package report

import (
	"strconv"
	"strings"

	"frontdesk/core"
)

// access is, per door, who may open it, how and until when.
type access struct{ s *core.AccessReport }

func (access) landscape() bool { return false }

func (a access) covers() string {
	n := 0
	for _, door := range a.s.Doors {
		n += len(door.Entries)
	}
	return plural(len(a.s.Doors), "door", "doors") + ", " + plural(n, "way to open", "ways to open")
}

func (a access) draw(d *doc) {
	if len(a.s.Doors) == 0 {
		d.note("No doors in this selection.")
		return
	}
	d.line("Rights in force at "+d.clk.dateTime(a.s.At)+".", "", bodySize, grey)
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
	info := "Mode " + string(door.Mode)
	if len(door.Owners) > 0 {
		info += " · owners: " + strings.Join(door.Owners, ", ")
	} else {
		info += " · no owner"
	}
	info += " · " + plural(len(door.Entries), "entry", "entries")
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
		d.note("Nobody may open this door.")
		return
	}
	t.start("", keepFor(len(door.Entries)))
	t.caption = title
	for _, e := range door.Entries {
		c := t.row()
		c[0].text = e.Name
		c[1].text = e.Department
		c[2].text = via(e)
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
			c[6].text, c[6].ink = "no active card", darkRed
		}
		t.add(rowPlain)
	}
}

// via says how the person may open the door: "level Staff", "level
// Staff (department)", "grant g12 once", "master".
func via(e core.AccessEntry) string {
	switch e.Via {
	case core.AccessViaLevel:
		s := "level " + e.Level
		if e.Inherited {
			s += " (department)"
		}
		return s
	case core.AccessViaGrant:
		s := "grant"
		if e.Grant != "" {
			s += " " + e.Grant
		}
		if e.GrantKind != "" {
			s += " " + string(e.GrantKind)
		}
		return s
	case core.AccessViaMaster:
		return "master"
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
		return "from " + d.clk.moment(e.From)
	}
	return "any time"
}
