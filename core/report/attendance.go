package report

import (
	"frontdesk/core"
)

// attendance is the attendance sheet at an instant: who is in, and who
// is expected and not in.
type attendance struct{ s *core.SheetReport }

func (attendance) landscape() bool { return false }

func (a attendance) covers(d *doc) string {
	return d.N("{{.Count}} person in", "{{.Count}} people in", len(a.s.In)) + ", " +
		d.F("%s expected and not in", d.num(len(a.s.Expected)))
}

func (a attendance) draw(d *doc) {
	a.drawIn(d)
	d.gap(4)
	a.drawExpected(d)
}

func (a attendance) drawIn(d *doc) {
	caption := d.F("In now (%s)", d.num(len(a.s.In)))
	if len(a.s.In) == 0 {
		d.caption(caption, lineHeight(bodySize))
		d.note(d.T("Nobody."))
		return
	}
	t := newTable(d, bodySize,
		column{title: "Name", width: 34, bold: true},
		column{title: "Department", width: 24},
		column{title: "Zone", width: 20},
		column{title: "Since", width: 18},
		column{title: "Phone", width: 22},
	)
	t.start(caption, keepFor(len(a.s.In)))
	for _, e := range a.s.In {
		c := t.row()
		c[0].text = e.Name
		c[1].text = e.Department
		c[2].text = e.Zone
		c[3].text = d.clk.timeOn(e.Since, a.s.At)
		if e.Stale {
			// As on the muster list: in, as far as the log knows.
			c[3].text, c[3].ink = d.F("(?) %s, not checked out", d.clk.dateTime(e.Since)), grey
			c[0].ink = grey
		}
		c[4].text = e.Phone
		t.add(rowPlain)
	}
}

func (a attendance) drawExpected(d *doc) {
	caption := d.F("Expected, not in (%s)", d.num(len(a.s.Expected)))
	if len(a.s.Expected) == 0 {
		d.caption(caption, lineHeight(bodySize))
		d.note(d.T("Nobody."))
		return
	}
	t := newTable(d, bodySize,
		column{title: "Name", width: 30, bold: true},
		column{title: "Department", width: 22},
		column{title: "Shift", width: 17},
		column{title: "State", width: 17},
		column{title: "Justified", width: 11, align: alignCenter},
		column{title: "Phone", width: 21},
	)
	t.start(caption, keepFor(len(a.s.Expected)))
	for _, e := range a.s.Expected {
		c := t.row()
		c[0].text = e.Name
		c[1].text = e.Department
		c[2].text = d.clk.timeOn(e.ShiftStart, a.s.At) + "–" + d.clk.timeOn(e.ShiftEnd, e.ShiftStart)
		if e.Left.IsZero() {
			c[3].text = d.T("not arrived")
		} else {
			c[3].text = d.F("left %s", d.clk.timeOn(e.Left, a.s.At))
		}
		if e.Justified {
			c[4].text, c[4].ink = d.T("yes"), darkGreen
		} else {
			c[4].text, c[4].ink = d.T("no"), darkRed
		}
		c[5].text = e.Phone
		t.add(rowPlain)
	}
}
