package ui

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// logPageSize is how many events (or audit entries) a page of the log
// reads: "Load more" reads the next.
const logPageSize = 500

// eventLogPage is the page of the event log.
func eventLogPage() page {
	return page{
		id:    "log",
		title: lang.L("Event log"),
		needs: []core.Permission{core.PermLogsViewAny, core.PermLogsViewOwn},
		build: func(s *session) fyne.CanvasObject { return newLogScreen(s).build() },
	}
}

// auditPage is the page of the audit trail.
func auditPage() page {
	return page{
		id:    "audit",
		title: lang.L("Audit trail"),
		needs: []core.Permission{core.PermAuditView},
		build: func(s *session) fyne.CanvasObject { return newAuditScreen(s).build() },
	}
}

// errPageFull stops a walk of the log that has a page.
var errPageFull = errors.New("page full")

// mayViewDoorLog asks the engine whether s may see door id's events: an
// actor with logs.view.own is refused the doors they do not own. The
// engine knows who owns what; the screens do not.
func mayViewDoorLog(s *session, id string) bool {
	if s.can(core.PermLogsViewAny) {
		return true
	}
	if id == "" || !s.can(core.PermLogsViewOwn) {
		return false
	}
	err := s.engine.Events(s.actor, core.EventQuery{Door: id, Limit: 1}, func(core.Event) error { return errPageFull })
	return err == nil || errors.Is(err, errPageFull)
}

// logDoors are the doors whose events s may see, among those s may see.
func logDoors(s *session) []core.Door {
	doors := s.engine.Doors(s.actor)
	if s.can(core.PermLogsViewAny) {
		return doors
	}
	var out []core.Door
	for _, d := range doors {
		if mayViewDoorLog(s, d.ID) {
			out = append(out, d)
		}
	}
	return out
}

// Result filters of the event log.
const (
	resultsAll      = "all"
	resultsGranted  = "granted"
	resultsDenied   = "denied"
	resultsPresence = "presence"
)

// logFilter is what the event log shows.
type logFilter struct {
	from, to     time.Time // from ≤ At < to; zero: open
	door, person string
	results      string
	// site is whose events, at the central site of a company: "" this
	// site's, another site's id, or core.AllSites (sitePicker).
	site string
}

// query is the engine's part of the filter.
func (f logFilter) query() core.EventQuery {
	return core.EventQuery{From: f.from, To: f.to, Door: f.door, Person: f.person, Reverse: true, Site: f.site}
}

// manySites reports whether the filter shows the events of every site:
// each row then says its site.
func (f logFilter) manySites() bool { return f.site == core.AllSites }

// matches reports whether ev, a new event of this site, passes the whole
// filter: never when the filter shows another site's events.
func (f logFilter) matches(ev core.Event) bool {
	if f.site != "" && !f.manySites() {
		return false
	}
	if !f.from.IsZero() && ev.At.Before(f.from) || !f.to.IsZero() && !ev.At.Before(f.to) {
		return false
	}
	if f.door != "" && ev.Door != f.door || f.person != "" && ev.Person != f.person {
		return false
	}
	return f.matchesResult(ev.Result)
}

func (f logFilter) matchesResult(r core.Result) bool {
	switch f.results {
	case resultsGranted:
		return r == core.Granted
	case resultsDenied:
		return r.Denied()
	case resultsPresence:
		switch r {
		case core.CheckedIn, core.CheckedOut, core.AlreadyCheckedIn, core.AutoCheckout:
			return true
		}
		return false
	}
	return true
}

// newer reports whether a comes before b in the log shown newest first:
// by time, then by sequence number, as the log's time index orders them;
// every site's events are by time, then site, then sequence number, as
// the engine merges them.
func (f logFilter) newer(a, b core.Event) bool {
	if !a.At.Equal(b.At) {
		return a.At.After(b.At)
	}
	if f.manySites() && a.Site != b.Site {
		return a.Site > b.Site
	}
	return a.Seq > b.Seq
}

// eventKey tells the events shown apart: by sequence number, which is
// each site's own, so with the site when every site's are shown.
type eventKey struct {
	site string
	seq  uint64
}

// key is ev's eventKey under the filter.
func (f logFilter) key(ev core.Event) eventKey {
	if f.manySites() {
		return eventKey{ev.Site, ev.Seq}
	}
	return eventKey{seq: ev.Seq}
}

// readEventPage reads up to logPageSize events that f selects, newest
// first, older than after when after is not nil. more says whether older
// ones remain. Events that cannot be read are left out of the page and
// named by err, an *core.UnreadableEvents, with the page (see
// unreadableOnly). It runs off the UI thread.
func readEventPage(engine core.API, actor core.Actor, f logFilter, after *core.Event) (page []core.Event, more bool, err error) {
	q := f.query()
	if after != nil {
		// The events at after's instant that come after it in the walk
		// are read again, and skipped.
		q.To = after.At.Add(time.Nanosecond)
	}
	err = engine.Events(actor, q, func(ev core.Event) error {
		if after != nil && !f.newer(*after, ev) {
			return nil
		}
		if !f.matchesResult(ev.Result) {
			return nil
		}
		if len(page) == logPageSize {
			more = true
			return errPageFull
		}
		page = append(page, ev)
		return nil
	})
	if errors.Is(err, errPageFull) {
		var u *core.UnreadableEvents
		if !errors.As(err, &u) {
			return page, more, nil
		}
		err = u
	}
	return page, more, err
}

// unreadableOnly reports whether err only names events that could not be
// read: the screen shows the others, and says which it could not.
func unreadableOnly(err error) bool {
	var u *core.UnreadableEvents
	return errors.As(err, &u)
}

// Columns of the event log's table.
const (
	colTime = iota
	colDoor
	colPerson
	colCard
	colResult
	colWhy
	logColumns
	// colSite, the site of each event, is shown after the time when the
	// log shows every site's events.
	colSite = logColumns
)

// logScreen is the event log: filters, a table of events newest first read
// a page at a time, and new events on top as they come.
type logScreen struct {
	s *session
	// do runs fn on the UI thread: fyne.Do, or the tests' UI thread.
	do func(fn func())
	// own: the actor sees the events of their own doors only.
	own bool
	// mayDoor caches, for an actor with logs.view.own, whether the engine
	// shows them each door's events.
	mayDoor   map[string]bool
	doorNames map[string]string
	names     map[string]string
	doorIDs   map[string]string

	filter logFilter
	// rows are the events shown, newest first; seqs their keys. cols are
	// the columns shown, in order.
	rows []core.Event
	seqs map[eventKey]bool
	cols []int
	more bool
	// gen counts the loads of a first page: a later load makes an earlier
	// one's result stale. While one is out, loading holds it and new
	// events wait in pending.
	gen     int
	loading bool
	pending []core.Event
	// paging: a "Load more" is out.
	paging bool

	from, to *formEntry
	site     *sitePicker
	door     *widget.Select
	person   *searchPick
	results  *widget.Select
	show     *widget.Button
	table    *widget.Table
	content  *fyne.Container
	status   *widget.Label
	problem  *widget.Label
	moreBtn  *widget.Button
}

func newLogScreen(s *session) *logScreen {
	return &logScreen{
		s:         s,
		do:        s.onUI,
		own:       !s.can(core.PermLogsViewAny),
		mayDoor:   map[string]bool{},
		doorNames: map[string]string{},
		names:     map[string]string{},
		seqs:      map[eventKey]bool{},
		cols:      logCols(false),
	}
}

// logCols are the log's columns: the site's after the time when it shows
// every site's events.
func logCols(manySites bool) []int {
	if manySites {
		return []int{colTime, colSite, colDoor, colPerson, colCard, colResult, colWhy}
	}
	return []int{colTime, colDoor, colPerson, colCard, colResult, colWhy}
}

// resultChoices are the result select's options, by filter.
func resultChoices() ([]string, map[string]string) {
	opts := []string{lang.L("All results"), lang.L("Granted"), lang.L("Denied"), lang.L("Presence (desk, check-outs)")}
	return opts, map[string]string{opts[0]: resultsAll, opts[1]: resultsGranted, opts[2]: resultsDenied, opts[3]: resultsPresence}
}

// build makes the widgets and reads the first page. Call it on the UI
// thread.
func (l *logScreen) build() fyne.CanvasObject {
	for _, d := range l.s.engine.Doors(l.s.actor) {
		l.doorNames[d.ID] = d.Name
	}
	doors := logDoors(l.s)
	for _, d := range doors {
		l.mayDoor[d.ID] = true
	}
	all := lang.L("All doors")
	if l.own {
		all = lang.L("All my doors")
	}
	var doorOpts []string
	doorOpts, l.doorIDs = doorOptions(doors, all)
	l.door = newSelect(doorOpts, func(string) { l.apply() })
	l.door.SetSelectedIndex(0)

	l.from = dateEntry(core.Date{})
	l.to = dateEntry(core.Date{})
	l.person = newPeoplePick(peopleFinder(l.s))
	l.person.SetPlaceHolder(lang.L("a name or an id"))
	l.person.onPicked = func(choice) { l.apply() }
	l.person.OnSubmitted = func(string) { l.apply() }
	for _, e := range []*formEntry{l.from, l.to} {
		e.OnSubmitted = func(string) { l.apply() }
	}
	resOpts, _ := resultChoices()
	l.results = newSelect(resOpts, nil)
	l.results.SetSelectedIndex(0)
	l.results.OnChanged = func(string) { l.apply() }
	l.show = widget.NewButtonWithIcon(lang.L("Show"), theme.SearchIcon(), l.apply)
	l.site = newSitePicker(l.s, l.apply)

	l.table = widget.NewTable(
		func() (int, int) { return len(l.rows), len(l.cols) },
		func() fyne.CanvasObject {
			lb := widget.NewLabel("")
			lb.Truncation = fyne.TextTruncateEllipsis
			return lb
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			lb := o.(*widget.Label)
			if id.Col < 0 || id.Col >= len(l.cols) {
				lb.SetText("")
				return
			}
			col := l.cols[id.Col]
			text, imp := l.cell(id.Row, col)
			lb.Importance = imp
			lb.TextStyle = fyne.TextStyle{Bold: col == colResult, Monospace: col == colCard}
			lb.SetText(text)
		},
	)
	l.table.ShowHeaderRow = true
	l.table.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	l.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(l.cols) {
			o.(*widget.Label).SetText(logHeading(l.cols[id.Col]))
		}
	}
	l.fitColumns()

	l.status = widget.NewLabel("")
	l.problem = problemLabel()
	l.moreBtn = widget.NewButtonWithIcon(lang.L("Load more"), theme.MoreVerticalIcon(), l.loadMore)
	l.moreBtn.Hide()

	filters := container.New(layout.NewGridLayoutWithColumns(3),
		labelled(lang.L("From"), withCalendar(l.from, l.s.engine.Now)), labelled(lang.L("To"), withCalendar(l.to, l.s.engine.Now)),
		labelled(lang.L("Door"), l.door), labelled(lang.L("Person"), l.person.box), labelled(lang.L("Result"), l.results),
		container.NewBorder(nil, nil, nil, l.show),
	)
	top := container.NewVBox(append(append([]fyne.CanvasObject{filters}, l.site.row()...), l.problem)...)
	bottom := container.NewBorder(nil, nil, nil, l.moreBtn, l.status)

	l.content = borderInTabOrder(top, bottom, nil, nil, l.table)
	l.filter = logFilter{results: resultsAll}
	l.load()
	if l.s.listen != nil {
		l.s.listen(l)
	}
	return l.content
}

// labelled puts a small label before w.
func labelled(label string, w fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(label), nil, w)
}

func logHeading(col int) string {
	switch col {
	case colTime:
		return lang.L("Time")
	case colSite:
		return lang.L("Site")
	case colDoor:
		return lang.L("Door")
	case colPerson:
		return lang.L("Person")
	case colCard:
		return lang.L("Card")
	case colResult:
		return lang.L("Result")
	case colWhy:
		return lang.L("Explanation")
	}
	return ""
}

// cell is the text and colour of the table's cell at row, col.
func (l *logScreen) cell(row, col int) (string, widget.Importance) {
	if row < 0 || row >= len(l.rows) {
		return "", widget.MediumImportance
	}
	ev := l.rows[row]
	switch col {
	case colTime:
		return ev.At.In(l.s.engine.Location()).Format("2006-01-02 15:04:05"), widget.MediumImportance
	case colSite:
		return ev.Site, widget.MediumImportance
	case colDoor:
		return l.doorText(ev), widget.MediumImportance
	case colPerson:
		if ev.Person == "" {
			return lang.L("Unknown card"), widget.LowImportance
		}
		return l.personName(ev.Person), widget.MediumImportance
	case colCard:
		return ev.Card, widget.MediumImportance
	case colResult:
		return resultStyle(ev.Result)
	case colWhy:
		return explain(ev), widget.MediumImportance
	}
	return "", widget.MediumImportance
}

// doorText names where ev happened: "Main entrance, in"; the reader for
// events away from doors ("desk").
func (l *logScreen) doorText(ev core.Event) string {
	if ev.Door == "" {
		if ev.Reader == "" {
			return ""
		}
		return fmt.Sprintf(lang.L("%s (reader)"), ev.Reader)
	}
	name := l.doorNames[ev.Door]
	if name == "" {
		name = ev.Door
	}
	switch ev.Direction {
	case core.In:
		return fmt.Sprintf(lang.L("%s, in"), name)
	case core.Out:
		return fmt.Sprintf(lang.L("%s, out"), name)
	}
	return name
}

// personName is the name of person id when the actor may see people, else
// the id; read once per person.
func (l *logScreen) personName(id string) string {
	if !l.s.can(core.PermPeopleView) {
		return id
	}
	if name, ok := l.names[id]; ok {
		return name
	}
	p, err := l.s.engine.Person(l.s.actor, id)
	switch {
	case err == nil && p.Name != "":
		l.names[id] = p.Name
		return p.Name
	case err == nil || errors.Is(err, core.ErrNotFound):
		l.names[id] = id
	}
	return id
}

// readFilter reads the filter from the widgets; its error is for the form.
// personFilter is the id of the person the filter names: the one picked,
// or the one the text finds alone, or the text itself as an id.
func (l *logScreen) personFilter() string {
	text := strings.TrimSpace(l.person.Text)
	if id := l.person.pickedID(); id != "" || text == "" {
		return id
	}
	if id, err := l.person.value(""); err == nil {
		return id
	}
	return text
}

func (l *logScreen) readFilter() (logFilter, error) {
	loc := l.s.engine.Location()
	from, err := parseDay(l.from.Text)
	if err != nil {
		return logFilter{}, fmt.Errorf("%s: %w", lang.L("From"), err)
	}
	to, err := parseDay(l.to.Text)
	if err != nil {
		return logFilter{}, fmt.Errorf("%s: %w", lang.L("To"), err)
	}
	if from != (core.Date{}) && to != (core.Date{}) && to.Before(from) {
		return logFilter{}, errors.New(lang.L("The end date is before the start date."))
	}
	f := logFilter{door: l.doorIDs[l.door.Selected], person: l.personFilter(), results: resultsAll, site: l.site.site()}
	_, ids := resultChoices()
	if r, ok := ids[l.results.Selected]; ok {
		f.results = r
	}
	if from != (core.Date{}) {
		f.from = from.At(0, loc)
	}
	if to != (core.Date{}) {
		f.to = to.End(loc) // the day To is included
	}
	return f, nil
}

// apply shows what the filters select.
func (l *logScreen) apply() {
	if l.table == nil {
		return // still building
	}
	f, err := l.readFilter()
	if err != nil {
		l.problem.SetText(errorText(err))
		l.problem.Show()
		l.content.Refresh()
		return
	}
	if l.problem.Visible() {
		l.problem.Hide()
		l.content.Refresh()
	}
	l.filter = f
	l.load()
}

// load reads the first page of the filter in a goroutine; the rows shown
// stay until it is read.
func (l *logScreen) load() {
	l.gen++
	gen, f := l.gen, l.filter
	l.loading, l.paging = true, false
	l.pending = nil
	l.status.SetText(lang.L("Reading the log…"))
	engine, actor := l.s.engine, l.s.actor
	go func() {
		page, more, err := readEventPage(engine, actor, f, nil)
		l.do(func() {
			if gen != l.gen {
				return
			}
			l.loading = false
			pending := l.pending
			l.pending = nil
			if err != nil && !unreadableOnly(err) {
				l.failed(err)
				return
			}
			l.rows, l.more = page, more
			l.cols = logCols(f.manySites())
			l.seqs = make(map[eventKey]bool, len(page))
			for _, ev := range page {
				l.seqs[f.key(ev)] = true
			}
			l.insert(pending)
			l.table.ScrollToTop()
			l.shown()
			l.unreadable(err)
		})
	}()
}

// loadMore reads the page after the last row.
func (l *logScreen) loadMore() {
	if l.loading || l.paging || !l.more || len(l.rows) == 0 {
		return
	}
	l.paging = true
	l.moreBtn.Disable()
	gen, f, last := l.gen, l.filter, l.rows[len(l.rows)-1]
	engine, actor := l.s.engine, l.s.actor
	go func() {
		page, more, err := readEventPage(engine, actor, f, &last)
		l.do(func() {
			if gen != l.gen {
				return
			}
			l.paging = false
			l.moreBtn.Enable()
			if err != nil && !unreadableOnly(err) {
				l.failed(err)
				return
			}
			for _, ev := range page {
				if k := f.key(ev); !l.seqs[k] {
					l.seqs[k] = true
					l.rows = append(l.rows, ev)
				}
			}
			l.more = more
			l.shown()
			l.unreadable(err)
		})
	}()
}

// unreadable names, above the table, the events of a page that could
// not be read; err is nil when there were none.
func (l *logScreen) unreadable(err error) {
	if err == nil {
		return
	}
	l.s.log.Error("event log: events cannot be read", "err", err)
	l.problem.SetText(fmt.Sprintf(lang.L("Some events cannot be read and are not shown: %v"), err))
	l.problem.Show()
	l.content.Refresh()
}

func (l *logScreen) failed(err error) {
	l.s.log.Error("event log: read events", "err", err)
	l.problem.SetText(fmt.Sprintf(lang.L("Could not read the event log: %v"), err))
	l.problem.Show()
	l.status.SetText("")
	l.content.Refresh()
}

// logWidths are the columns' widths at the least, the site's last.
var logWidths = [logColumns + 1]float32{160, 175, 155, 135, 190, 480, 90}

// logWidest is the widest a column grows: the table scrolls sideways.
const logWidest = 1200

// fitColumns makes each column as wide as its widest text (from
// logWidths up to logWidest), so that no cell is cut short.
func (l *logScreen) fitColumns() {
	th := theme.Current()
	pad := 2*th.Size(theme.SizeNameInnerPadding) + 4
	for i, col := range l.cols {
		w := max(logWidths[col], fyne.MeasureText(logHeading(col), th.Size(theme.SizeNameText), fyne.TextStyle{Bold: true}).Width+pad)
		style := fyne.TextStyle{Bold: col == colResult, Monospace: col == colCard}
		for row := range l.rows {
			text, _ := l.cell(row, col)
			w = max(w, fyne.MeasureText(text, th.Size(theme.SizeNameText), style).Width+pad)
		}
		l.table.SetColumnWidth(i, min(w, logWidest))
	}
}

// shown refreshes the table and says how many rows it holds.
func (l *logScreen) shown() {
	l.fitColumns()
	l.table.Refresh()
	switch {
	case len(l.rows) == 0:
		l.status.SetText(lang.L("No events match."))
	case l.more:
		l.status.SetText(fmt.Sprintf(lang.L("%d latest events shown; older ones remain."), len(l.rows)))
	case len(l.rows) == 1:
		l.status.SetText(lang.L("1 event."))
	default:
		l.status.SetText(fmt.Sprintf(lang.L("%d events."), len(l.rows)))
	}
	if l.more {
		l.moreBtn.Show()
	} else {
		l.moreBtn.Hide()
	}
}

// visible reports whether a new event belongs on the screen.
func (l *logScreen) visible(ev core.Event) bool {
	if !l.filter.matches(ev) {
		return false
	}
	if !l.own {
		return true
	}
	if ev.Door == "" {
		return false
	}
	ok, known := l.mayDoor[ev.Door]
	if !known {
		ok = mayViewDoorLog(l.s, ev.Door)
		l.mayDoor[ev.Door] = ok
	}
	return ok
}

// insert puts evs in their places, skipping those shown and those older
// than the last row while older pages remain unread. It reports whether
// rows changed.
func (l *logScreen) insert(evs []core.Event) bool {
	changed := false
	f := l.filter
	for _, ev := range evs {
		if ev.Site == "" && f.manySites() {
			ev.Site = l.site.own // this site's, as the engine reads them
		}
		if l.seqs[f.key(ev)] || !l.visible(ev) {
			continue
		}
		if l.more && len(l.rows) > 0 && f.newer(l.rows[len(l.rows)-1], ev) {
			continue // "Load more" reads it in its place
		}
		i := 0
		for i < len(l.rows) && f.newer(l.rows[i], ev) {
			i++
		}
		l.rows = append(l.rows, core.Event{})
		copy(l.rows[i+1:], l.rows[i:])
		l.rows[i] = ev
		l.seqs[f.key(ev)] = true
		changed = true
	}
	return changed
}

// addEvents shows new events that match the filter on top.
func (l *logScreen) addEvents(evs []core.Event) {
	if l.loading {
		l.pending = append(l.pending, evs...)
		return
	}
	if l.insert(evs) {
		l.shown()
	}
}

// reload rereads the first page after the bridge dropped events.
func (l *logScreen) reload() { l.load() }

// auditScreen is the audit trail: who changed what, newest first, with
// the object's JSON before and after the selected change.
type auditScreen struct {
	s  *session
	do func(fn func())

	from, to time.Time
	rows     []core.AuditEntry // newest first
	more     bool
	gen      int
	busy     bool

	content            *fyne.Container
	fromEntry, toEntry *formEntry
	show               *widget.Button
	list               *widget.List
	heading            *widget.Label
	before, after      *widget.RichText
	status, problem    *widget.Label
	moreBtn            *widget.Button
}

func newAuditScreen(s *session) *auditScreen { return &auditScreen{s: s, do: s.onUI} }

// build makes the widgets and reads the latest entries.
func (a *auditScreen) build() fyne.CanvasObject {
	a.fromEntry = dateEntry(core.Date{})
	a.toEntry = dateEntry(core.Date{})
	a.fromEntry.OnSubmitted = func(string) { a.apply() }
	a.toEntry.OnSubmitted = func(string) { a.apply() }
	a.show = widget.NewButtonWithIcon(lang.L("Show"), theme.ViewRefreshIcon(), a.apply)

	a.list = widget.NewList(
		func() int { return len(a.rows) },
		func() fyne.CanvasObject { return newAuditRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(a.rows) {
				o.(*auditRow).show(a.rows[id], a.s.engine.Location())
			}
		},
	)
	a.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(a.rows) {
			a.showEntry(a.rows[id])
		}
	}
	a.heading = widget.NewLabel(lang.L("Select a change to see the object before and after it."))
	a.heading.Wrapping = fyne.TextWrapWord
	a.before = widget.NewRichText()
	a.after = widget.NewRichText()
	a.status = widget.NewLabel("")
	a.problem = problemLabel()
	a.moreBtn = widget.NewButtonWithIcon(lang.L("Load more"), theme.MoreVerticalIcon(), a.loadMore)
	a.moreBtn.Hide()

	filters := container.NewHBox(
		widget.NewLabel(lang.L("From")), sized(a.fromEntry, 140),
		widget.NewLabel(lang.L("To")), sized(a.toEntry, 140), a.show)
	listPane := container.NewBorder(auditHeadings(), container.NewBorder(nil, nil, nil, a.moreBtn, a.status), nil, nil, a.list)
	side := func(title string, rt *widget.RichText) fyne.CanvasObject {
		t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		return container.NewBorder(t, nil, nil, nil, container.NewScroll(rt))
	}
	detail := container.NewBorder(a.heading, nil, nil, nil,
		container.NewGridWithColumns(2, side(lang.L("Before"), a.before), side(lang.L("After"), a.after)))
	split := container.NewVSplit(listPane, detail)
	split.Offset = 0.55

	a.content = borderInTabOrder(container.NewVBox(filters, a.problem), nil, nil, nil, split)
	a.load(nil)
	return a.content
}

// sized gives w a minimum width.
func sized(w fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.New(layout.NewGridWrapLayout(fyne.NewSize(width, w.MinSize().Height)), w)
}

// apply reads the dates and the latest entries between them.
func (a *auditScreen) apply() {
	loc := a.s.engine.Location()
	from, err := parseDay(a.fromEntry.Text)
	if err == nil {
		var to core.Date
		if to, err = parseDay(a.toEntry.Text); err == nil {
			a.from, a.to = time.Time{}, time.Time{}
			if from != (core.Date{}) {
				a.from = from.At(0, loc)
			}
			if to != (core.Date{}) {
				a.to = to.End(loc) // the day To is included
			}
		}
	}
	if err != nil {
		a.problem.SetText(fmt.Sprintf(lang.L("Dates: %v"), err))
		a.problem.Show()
		a.content.Refresh()
		return
	}
	if a.problem.Visible() {
		a.problem.Hide()
		a.content.Refresh()
	}
	a.load(nil)
}

func (a *auditScreen) loadMore() {
	if a.busy || !a.more || len(a.rows) == 0 {
		return
	}
	last := a.rows[len(a.rows)-1]
	a.load(&last)
}

// load reads, in a goroutine, the latest entries of the period older than
// below (all when nil), and shows them as the list or after it.
func (a *auditScreen) load(below *core.AuditEntry) {
	a.gen++
	gen := a.gen
	a.busy = true
	a.moreBtn.Disable()
	a.status.SetText(lang.L("Reading the audit trail…"))
	q := core.AuditQuery{From: a.from, To: a.to}
	var under uint64
	if below != nil {
		under = below.Seq
	}
	engine, actor := a.s.engine, a.s.actor
	go func() {
		page, more, err := readAuditPage(engine, actor, q, under)
		a.do(func() {
			if gen != a.gen {
				return
			}
			a.busy = false
			a.moreBtn.Enable()
			if err != nil {
				a.s.log.Error("audit: read entries", "err", err)
				a.problem.SetText(fmt.Sprintf(lang.L("Could not read the audit trail: %v"), err))
				a.problem.Show()
				a.status.SetText("")
				a.content.Refresh()
				return
			}
			if below == nil {
				a.rows = page
				a.list.UnselectAll()
				a.clearDetail()
				a.list.ScrollToTop()
			} else {
				a.rows = append(a.rows, page...)
			}
			a.more = more
			a.list.Refresh()
			switch {
			case len(a.rows) == 0:
				a.status.SetText(lang.L("No changes in this period."))
			case more:
				a.status.SetText(fmt.Sprintf(lang.L("%d latest changes shown; older ones remain."), len(a.rows)))
			default:
				a.status.SetText(fmt.Sprintf(lang.L("%d changes."), len(a.rows)))
			}
			if more {
				a.moreBtn.Show()
			} else {
				a.moreBtn.Hide()
			}
		})
	}()
}

// readAuditPage reads the latest logPageSize entries q selects whose
// sequence number is below under (0: any), newest first. The trail is
// walked in recording order, so the walk keeps the last page in a ring.
func readAuditPage(engine core.API, actor core.Actor, q core.AuditQuery, under uint64) ([]core.AuditEntry, bool, error) {
	ring := make([]core.AuditEntry, logPageSize)
	n := 0
	err := engine.Audit(actor, q, func(e core.AuditEntry) error {
		if under != 0 && e.Seq >= under {
			return nil
		}
		ring[n%logPageSize] = e
		n++
		return nil
	})
	if err != nil {
		return nil, false, err
	}
	kept := min(n, logPageSize)
	out := make([]core.AuditEntry, kept)
	for i := range kept {
		out[i] = ring[(n-1-i)%logPageSize]
	}
	return out, n > logPageSize, nil
}

func (a *auditScreen) clearDetail() {
	a.heading.SetText(lang.L("Select a change to see the object before and after it."))
	setCode(a.before, "")
	setCode(a.after, "")
}

// showEntry shows e's before and after.
func (a *auditScreen) showEntry(e core.AuditEntry) {
	at := e.At.In(a.s.engine.Location()).Format("2006-01-02 15:04:05")
	what := e.Action
	if e.Object != "" {
		what += " " + e.Object
	}
	a.heading.SetText(fmt.Sprintf(lang.L("%s by %s at %s"), what, e.Actor, at))
	setCode(a.before, auditJSON(e.Before, lang.L("(nothing: created by this change)")))
	setCode(a.after, auditJSON(e.After, lang.L("(nothing: deleted by this change)")))
}

// auditJSON indents raw for reading; none is shown when raw is empty.
func auditJSON(raw json.RawMessage, none string) string {
	if len(raw) == 0 || string(raw) == "null" {
		return none
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}

// setCode shows text in rt as a monospace block.
func setCode(rt *widget.RichText, text string) {
	rt.Segments = []widget.RichTextSegment{&widget.TextSegment{Style: widget.RichTextStyleCodeBlock, Text: text}}
	rt.Refresh()
}

// auditRow is one entry of the list: time, who, action, object.
type auditRow struct {
	widget.BaseWidget
	time, who, action, object *widget.Label
}

func newAuditRow() *auditRow {
	r := &auditRow{
		time:   widget.NewLabelWithStyle("2006-01-02 15:04:05", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}),
		who:    widget.NewLabel(""),
		action: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		object: widget.NewLabel(""),
	}
	for _, l := range []*widget.Label{r.who, r.action, r.object} {
		l.Truncation = fyne.TextTruncateEllipsis
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *auditRow) CreateRenderer() fyne.WidgetRenderer {
	cols := container.NewGridWithColumns(3, r.who, r.action, r.object)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.time, nil, cols))
}

func (r *auditRow) show(e core.AuditEntry, loc *time.Location) {
	r.time.SetText(e.At.In(loc).Format("2006-01-02 15:04:05"))
	r.who.SetText(e.Actor)
	r.action.SetText(e.Action)
	r.object.SetText(e.Object)
}

// auditHeadings names the list's columns, aligned with its rows.
func auditHeadings() fyne.CanvasObject {
	r := newAuditRow()
	r.time.SetText(fmt.Sprintf("%-19s", lang.L("Time")))
	r.who.SetText(lang.L("Who"))
	r.action.SetText(lang.L("Action"))
	r.object.SetText(lang.L("Object"))
	for _, l := range []*widget.Label{r.who, r.action, r.object} {
		l.TextStyle = fyne.TextStyle{Bold: true}
	}
	return r
}
