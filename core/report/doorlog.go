package report

import (
	"strconv"

	"frontdesk/core"
)

// doorLog is the events of a period, one row each, then how many had
// each result. It is printed landscape: explanations are long.
type doorLog struct{ s *core.DoorLogReport }

func (doorLog) landscape() bool { return true }

func (l doorLog) covers(d *doc) string {
	return d.N("{{.Count}} event", "{{.Count}} events", len(l.s.Events))
}

func (l doorLog) draw(d *doc) {
	if len(l.s.Events) == 0 {
		d.caption(d.F("Events (%s)", d.num(0)), lineHeight(bodySize))
		d.note(d.T("No events in this period."))
	} else {
		l.drawEvents(d)
	}
	d.gap(5)
	l.drawCounts(d)
}

func (l doorLog) drawEvents(d *doc) {
	t := newTable(d, sheetSize,
		column{title: "Time", width: 24},
		column{title: "Door", width: 26},
		column{title: "Dir.", width: 8},
		column{title: "Person", width: 38},
		column{title: "Result", width: 30},
		column{title: "Explanation", width: 84},
	)
	t.start(d.F("Events (%s)", d.num(len(l.s.Events))), keepFor(len(l.s.Events)))
	for _, e := range l.s.Events {
		c := t.row()
		c[0].text = d.clk.dateTime(e.At)
		c[1].text = eventPlace(e)
		c[2].text = d.T(string(e.Direction))
		c[3].text, c[3].ink = eventPerson(d, e)
		c[4].text, c[4].ink = d.result(e.Result), resultInk(e.Result)
		c[5].text = d.tr.Explain(e.Event)
		t.add(rowPlain)
	}
}

// eventPlace is the door's name, else its id, else the reader's ("desk").
func eventPlace(e core.DoorLogEntry) string {
	switch {
	case e.DoorName != "":
		return e.DoorName
	case e.Door != "":
		return e.Door
	}
	return e.Reader
}

// eventPerson is the person's name, else their id, else the card read,
// in grey: nobody holds it.
func eventPerson(d *doc, e core.DoorLogEntry) (string, rgb) {
	switch {
	case e.PersonName != "":
		return e.PersonName, black
	case e.Person != "":
		return e.Person, black
	case e.Card != "":
		return d.F("unknown card %s", e.Card), grey
	}
	return "", black
}

// resultInk colours results: dark green for what let someone in, dark
// red for refusals.
func resultInk(r core.Result) rgb {
	switch {
	case r.Opens(), r == core.CheckedIn, r == core.CheckedOut:
		return darkGreen
	case r.Denied():
		return darkRed
	}
	return grey
}

func (l doorLog) drawCounts(d *doc) {
	if len(l.s.Counts) == 0 {
		return
	}
	t := newTable(d, bodySize,
		column{title: "Result", width: 40},
		column{title: "Events", width: 14, align: alignRight},
		column{title: "Share", width: 12, align: alignRight},
		column{width: 124},
	)
	t.start(d.T("Events by result"), len(l.s.Counts)+1)
	total := 0
	for _, rc := range l.s.Counts {
		total += rc.Count
	}
	for _, rc := range l.s.Counts {
		c := t.row()
		c[0].text, c[0].ink = d.result(rc.Result), resultInk(rc.Result)
		c[1].text = d.num(rc.Count)
		c[2].text = percent(d, rc.Count, total)
		t.add(rowPlain)
	}
	c := t.row()
	c[0].text = d.T("All")
	c[1].text = d.num(total)
	c[2].text = percent(d, 1, 1)
	t.add(rowTotal)
}

// percent writes n of total as a percentage with one decimal.
func percent(d *doc, n, total int) string {
	if total == 0 {
		return "—"
	}
	if total == n {
		return d.F("%s%%", "100")
	}
	return d.F("%s%%", d.tr.Decimal(strconv.FormatFloat(float64(n)*100/float64(total), 'f', 1, 64)))
}
