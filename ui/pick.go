package ui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// choice is one thing a search pick offers: its id and its name, and a
// note shown after the id ("inactive").
type choice struct {
	id, name, note string
}

// label is how a field shows a choice picked: its name, or its id when
// it has none.
func (c choice) label() string {
	if c.name != "" {
		return c.name
	}
	return c.id
}

// finder returns the choices text finds, at most limit of them (limit ≤ 0:
// all), and how many matched in all.
type finder func(text string, limit int) ([]choice, int, error)

// pickShown is how many matches the list under a search pick holds.
const pickShown = 50

// pickRows is how many rows of matches show at once.
const pickRows = 7

// searchPick is a field where typing searches by name (accents and case
// ignored) or id, and shows what matches in a list under it, with the id
// as secondary text; a click, or Down/Up and Enter, picks one. Leaving
// the field with a name that finds one thing picks it; with a name that
// finds none or several, the field says so under itself. Text shows the
// name picked; pickedID returns its id.
type searchPick struct {
	widget.Entry
	find finder
	// people: the messages speak of people ("Nobody called 'x'"), else
	// of things ("Nothing called 'x'").
	people bool
	// onPicked, when set, is called after the user picks.
	onPicked func(choice)

	picked  choice // the zero choice: nothing
	found   []choice
	total   int
	cur     int // the match Enter picks
	setting bool
	// listing: the matches are offered (under the field, when it is on
	// a canvas).
	listing bool

	list  *widget.List
	more  *widget.Label
	popup *widget.PopUp
	keys  *pickKeys
	// none: the text typed last found nothing.
	none bool
	// msg says what is wrong with the text typed; box is the field with
	// msg under it, what forms show.
	msg *widget.Label
	box *fyne.Container
}

func newSearchPick(find finder, placeholder string) *searchPick {
	p := &searchPick{find: find}
	p.ExtendBaseWidget(p)
	p.SetPlaceHolder(placeholder)
	p.OnChanged = p.typed
	p.msg = widget.NewLabel("")
	p.msg.Importance = widget.DangerImportance
	p.msg.Wrapping = fyne.TextWrapWord
	p.msg.Hide()
	p.box = container.NewVBox(p, p.msg)
	return p
}

// newPeoplePick is a search pick of people, searched with find.
func newPeoplePick(find finder) *searchPick {
	p := newSearchPick(find, lang.L("Type a name, then pick"))
	p.people = true
	return p
}

// pickedID returns the id picked, "" for none.
func (p *searchPick) pickedID() string { return p.picked.id }

// setPicked shows c as picked (the zero choice: nothing) without calling
// back.
func (p *searchPick) setPicked(c choice) {
	p.picked = c
	p.setting = true
	p.SetText(c.label())
	// Typing goes on at the end of the name, as after typing it.
	p.CursorRow, p.CursorColumn = 0, len([]rune(p.Text))
	p.Refresh()
	p.setting = false
	p.hideList()
	p.say("")
}

// value is the id the field names: the one picked, or the one its text
// finds alone; "" for an empty field. A text that finds nothing or
// several is a field error named field (a pickError for "").
func (p *searchPick) value(field string) (string, error) {
	if p.picked.id != "" || strings.TrimSpace(p.Text) == "" {
		return p.picked.id, nil
	}
	if msg := p.resolve(); msg != "" {
		if field == "" {
			return "", pickError(msg)
		}
		// The form says it under the field, with the field's name.
		p.say("")
		if text := strings.TrimSpace(p.Text); p.people && p.none {
			return "", &core.FieldError{Field: field, Problem: msg, Code: "no_person",
				Args: map[string]string{"value": text}, Err: core.ErrInvalid}
		}
		return "", fieldError(field, msg)
	}
	return p.picked.id, nil
}

// pickError is what is wrong with a search pick's text, for a form that
// names the field itself.
type pickError string

func (e pickError) Error() string { return string(e) }
func (e pickError) Unwrap() error { return core.ErrInvalid }

// typed searches for what the user typed; what was picked is forgotten.
func (p *searchPick) typed(text string) {
	if p.setting {
		return
	}
	p.picked = choice{}
	p.say("")
	if strings.TrimSpace(text) == "" {
		p.hideList()
		return
	}
	p.search(text)
	p.showList()
}

// search fills the matches of text.
func (p *searchPick) search(text string) {
	found, total, err := p.find(text, pickShown)
	if err != nil {
		p.found, p.total = nil, 0
		p.say(fmt.Sprintf(lang.L("Could not search: %s"), attErrText(err)))
		return
	}
	p.found, p.total, p.cur = found, total, 0
}

// resolve picks what the text finds, when it finds one thing by exact
// name or id, or finds one thing only; else it returns what is wrong.
func (p *searchPick) resolve() string {
	text := strings.TrimSpace(p.Text)
	if text == "" || p.picked.id != "" {
		return ""
	}
	found, total, err := p.find(text, pickShown)
	if err != nil {
		msg := fmt.Sprintf(lang.L("Could not search: %s"), attErrText(err))
		p.say(msg)
		return msg
	}
	want := core.FoldText(text)
	var exact []choice
	for _, c := range found {
		if c.id == text {
			exact = []choice{c}
			break
		}
		if core.FoldText(c.name) == want {
			exact = append(exact, c)
		}
	}
	switch {
	case len(exact) == 1:
		p.pick(exact[0])
		return ""
	case total == 1 && len(found) == 1:
		p.pick(found[0])
		return ""
	}
	n := total
	if len(exact) > 1 {
		n = len(exact)
	}
	p.none = n == 0
	var msg string
	switch {
	case n == 0 && p.people:
		msg = fmt.Sprintf(lang.L("Nobody called '%s'"), text)
	case n == 0:
		msg = fmt.Sprintf(lang.L("Nothing called '%s'"), text)
	case p.people:
		msg = fmt.Sprintf(plural("pick.people", "{{.Count}} person called '%s': pick them",
			"{{.Count}} people called '%s': pick one", n), text)
	default:
		msg = fmt.Sprintf(plural("pick.things", "{{.Count}} choice matches '%s': pick it",
			"{{.Count}} choices match '%s': pick one", n), text)
	}
	p.say(msg)
	return msg
}

// pick is the user's choice.
func (p *searchPick) pick(c choice) {
	p.setPicked(c)
	if p.onPicked != nil {
		p.onPicked(c)
	}
}

// say shows msg under the field, or nothing for "".
func (p *searchPick) say(msg string) {
	if p.msg.Text == msg && p.msg.Visible() == (msg != "") {
		return
	}
	shown := p.msg.Visible()
	p.msg.SetText(msg)
	if msg == "" {
		p.msg.Hide()
	} else {
		p.msg.Show()
	}
	if shown != p.msg.Visible() {
		relayout(p)
	}
}

// relayout lays out again the window o is on, after o changed height: a
// container only lays out its own objects when one is shown or added.
func relayout(o fyne.CanvasObject) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(o); c != nil && c.Content() != nil {
		c.Content().Refresh()
	}
}

// TypedKey moves through the matches with Down and Up, picks with Enter
// and closes the list with Escape; other keys edit the text.
func (p *searchPick) TypedKey(ev *fyne.KeyEvent) {
	// A click outside hides the list without telling the field.
	open := p.listing && (p.popup == nil || p.popup.Visible())
	switch ev.Name {
	case fyne.KeyDown, fyne.KeyUp:
		if !open {
			if strings.TrimSpace(p.Text) == "" || p.picked.id != "" {
				p.search(p.Text)
			}
			p.showList()
			return
		}
		if len(p.found) == 0 {
			return
		}
		if ev.Name == fyne.KeyDown {
			p.cur = min(p.cur+1, len(p.found)-1)
		} else {
			p.cur = max(p.cur-1, 0)
		}
		p.list.ScrollTo(p.cur)
		p.list.Refresh()
		return
	case fyne.KeyReturn, fyne.KeyEnter:
		if open && p.cur < len(p.found) {
			p.pick(p.found[p.cur])
			return
		}
		p.resolve()
		p.hideList()
		if p.OnSubmitted != nil {
			p.OnSubmitted(p.Text)
		}
		return
	case fyne.KeyEscape:
		// A first Escape closes the list, the next one is the window's
		// (it closes the dialog or cancels the form).
		if open {
			p.hideList()
			return
		}
		if escapeToWindow(p, ev) {
			return
		}
	}
	p.Entry.TypedKey(ev)
}

// FocusLost resolves the text typed. The list stays open when the text
// finds several, to pick among them.
func (p *searchPick) FocusLost() {
	p.Entry.FocusLost()
	if p.resolve() == "" || len(p.found) == 0 {
		p.hideList()
	}
}

func (p *searchPick) hideList() {
	p.listing = false
	if p.popup != nil {
		p.popup.Hide()
	}
}

// showList shows the matches under the field.
func (p *searchPick) showList() {
	p.listing = true
	c := fyne.CurrentApp().Driver().CanvasForObject(p)
	if c == nil {
		return
	}
	if p.popup == nil {
		p.list = widget.NewList(func() int { return len(p.found) }, newChoiceRow, p.updateRow)
		p.list.OnSelected = func(id widget.ListItemID) {
			p.list.UnselectAll()
			if id < len(p.found) {
				p.pick(p.found[id])
				fyne.CurrentApp().Driver().CanvasForObject(p).Focus(p)
			}
		}
		p.more = widget.NewLabel("")
		p.more.Importance = widget.LowImportance
		p.more.SizeName = theme.SizeNameCaptionText
		p.keys = &pickKeys{p: p}
		p.keys.ExtendBaseWidget(p.keys)
		p.popup = widget.NewPopUp(container.NewStack(p.keys, container.NewBorder(nil, p.more, nil, nil, p.list)), c)
	}
	switch {
	case p.total == 0:
		p.more.SetText(lang.L("Nothing found"))
	case p.total > len(p.found):
		p.more.SetText(fmt.Sprintf(lang.L("%d more: type more of the name"), p.total-len(p.found)))
	default:
		p.more.SetText("")
	}
	if p.more.Text == "" {
		p.more.Hide()
	} else {
		p.more.Show()
	}
	p.list.Refresh()
	p.list.ScrollToTop()
	rowH := newChoiceRow().MinSize().Height + theme.Padding()
	rows := min(max(len(p.found), 1), pickRows)
	h := float32(rows)*rowH + 2*theme.Padding()
	if p.more.Visible() {
		h += p.more.MinSize().Height
	}
	if len(p.found) == 0 {
		h = p.more.MinSize().Height
	}
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(p)
	pos.Y += p.Size().Height
	w := max(p.Size().Width, 260)
	// The list stays inside the window: above the field when there is
	// no room under it.
	if cs := c.Size(); cs.Height > 0 {
		if pos.Y+h > cs.Height {
			if above := pos.Y - p.Size().Height - h; above >= 0 {
				pos.Y = above
			} else {
				h = max(cs.Height-pos.Y, rowH)
			}
		}
		w = min(w, cs.Width-pos.X)
	}
	p.popup.ShowAtPosition(pos)
	p.popup.Resize(fyne.NewSize(w, h))
	// The list is an overlay, which takes the keyboard from the field
	// under it: its keys go on to the field, so typing goes on.
	c.Focus(p.keys)
}

// pickKeys is the keyboard of a search pick while its list is shown: an
// overlay has the keyboard, and this passes every key to the field.
type pickKeys struct {
	widget.BaseWidget
	p *searchPick
}

func (k *pickKeys) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

func (k *pickKeys) FocusGained()     {}
func (k *pickKeys) FocusLost()       {}
func (k *pickKeys) TypedRune(r rune) { k.p.TypedRune(r) }

// AcceptsTab keeps Tab from moving the keyboard within the list: Tab
// leaves the field, as it does when no list is shown.
func (k *pickKeys) AcceptsTab() bool { return true }

func (k *pickKeys) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name != fyne.KeyTab {
		k.p.TypedKey(ev)
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(k.p)
	k.p.hideList()
	if c != nil {
		c.FocusNext()
	}
}

func (k *pickKeys) TypedShortcut(s fyne.Shortcut) { k.p.TypedShortcut(s) }

// newChoiceRow is a row of the matches: the name, and the id in small
// grey text after it.
func newChoiceRow() fyne.CanvasObject {
	name := widget.NewLabel("")
	name.Truncation = fyne.TextTruncateEllipsis
	id := widget.NewLabel("")
	id.Importance = widget.LowImportance
	id.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(nil, nil, nil, id, name)
}

func (p *searchPick) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(p.found) {
		return
	}
	c := p.found[i]
	objs := o.(*fyne.Container).Objects
	name, id := objs[0].(*widget.Label), objs[1].(*widget.Label)
	note := c.id
	if c.note != "" {
		note += " · " + c.note
	}
	if c.name == "" || c.name == c.id {
		note = c.note
	}
	bold := i == p.cur
	if name.Text != c.label() || name.TextStyle.Bold != bold || id.Text != note {
		name.Text, name.TextStyle.Bold = c.label(), bold
		id.Text = note
		// The id's width changes with it: the row is laid out again.
		o.Refresh()
	}
}

// listFinder searches items in memory the way the engine searches people:
// every word of the text in the name or id, accents and case ignored.
func listFinder(items func() []choice) finder {
	return func(text string, limit int) ([]choice, int, error) {
		words := strings.Fields(core.FoldText(text))
		var out []choice
		total := 0
		for _, c := range items() {
			hay := core.FoldText(c.id) + "\x00" + core.FoldText(c.name)
			if !allIn(hay, words) {
				continue
			}
			total++
			if limit <= 0 || len(out) < limit {
				out = append(out, c)
			}
		}
		return out, total, nil
	}
}

func allIn(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// refChoices are people as choices.
func refChoices(refs []core.PersonRef) []choice {
	out := make([]choice, len(refs))
	for i, r := range refs {
		out[i] = choice{id: r.ID, name: r.Name}
		if r.Inactive {
			out[i].note = lang.L("inactive")
		}
	}
	return out
}

// peopleFinder searches people through what the session may use: People
// with people.view, else AttendancePeople for the attendance and
// justification screens, else GrantablePeople for who grants access.
func peopleFinder(s *session) finder {
	return func(text string, limit int) ([]choice, int, error) {
		switch {
		case s.can(core.PermPeopleView):
			people, total, err := s.engine.People(s.actor, core.PeopleQuery{Text: text, Limit: limit})
			out := make([]choice, len(people))
			for i, p := range people {
				out[i] = choice{id: p.ID, name: p.Name}
				if p.Inactive {
					out[i].note = lang.L("inactive")
				}
			}
			return out, total, err
		case s.can(core.PermAttendanceView) || s.can(core.PermJustifView) || s.can(core.PermJustifEdit):
			refs, total, err := s.engine.AttendancePeople(s.actor, text, limit)
			return refChoices(refs), total, err
		}
		return grantFinder(s)(text, limit)
	}
}

// grantFinder searches the people a grant may be given to.
func grantFinder(s *session) finder {
	return func(text string, limit int) ([]choice, int, error) {
		refs, total, err := s.engine.GrantablePeople(s.actor, text, limit)
		return refChoices(refs), total, err
	}
}

// multiPick is a list of things chosen, each a row with a button that
// removes it, and a search pick under them that adds one.
type multiPick struct {
	add  *searchPick
	rows *fyne.Container
	box  *fyne.Container
	// names gives the name of an id set with setIDs.
	names    func(id string) string
	ids      []string
	disabled bool
}

func newMultiPick(find finder, people bool, names func(string) string) *multiPick {
	m := &multiPick{names: names, rows: container.NewVBox()}
	placeholder := lang.L("Type a name to add")
	m.add = newSearchPick(find, placeholder)
	m.add.people = people
	m.add.onPicked = func(c choice) {
		if !slices.Contains(m.ids, c.id) {
			m.ids = append(m.ids, c.id)
			m.addRow(c)
		}
		m.add.setPicked(choice{})
	}
	m.box = container.NewVBox(m.rows, m.add.box)
	return m
}

// setIDs shows ids as chosen.
func (m *multiPick) setIDs(ids []string) {
	m.ids = nil
	m.rows.RemoveAll()
	for _, id := range ids {
		if slices.Contains(m.ids, id) {
			continue
		}
		m.ids = append(m.ids, id)
		m.addRow(choice{id: id, name: m.names(id)})
	}
	m.add.setPicked(choice{})
}

// chosen returns the ids chosen, in the order they were added. Text typed
// and not picked yet is an error named field.
func (m *multiPick) chosen(field string) ([]string, error) {
	ids := slices.Clone(m.ids)
	if text := strings.TrimSpace(m.add.Text); text != "" {
		id, err := m.add.value(field)
		switch {
		case err != nil && m.add.none:
			// A name that finds nobody goes to the engine as it is:
			// it says so ("nobody called 'x'") with every other
			// problem of the form at once.
			return append(ids, text), nil
		case err != nil:
			return nil, err
		case id != "" && !slices.Contains(ids, id):
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func (m *multiPick) addRow(c choice) {
	name := widget.NewLabel(c.label())
	name.Truncation = fyne.TextTruncateEllipsis
	id := widget.NewLabel("")
	if c.name != "" && c.name != c.id {
		id.SetText(c.id)
	}
	id.Importance = widget.LowImportance
	id.SizeName = theme.SizeNameCaptionText
	var row *fyne.Container
	remove := widget.NewButtonWithIcon("", theme.ContentRemoveIcon(), func() {
		m.ids = slices.DeleteFunc(m.ids, func(s string) bool { return s == c.id })
		m.rows.Remove(row)
		relayout(m.box)
	})
	if m.disabled {
		remove.Disable()
	}
	row = container.NewBorder(nil, nil, nil, container.NewHBox(id, remove), name)
	m.rows.Add(row)
	relayout(m.box)
}

// setEnabled allows changes or not.
func (m *multiPick) setEnabled(on bool) {
	m.disabled = !on
	setEnabled(on, m.add)
	for _, o := range m.rows.Objects {
		objs := o.(*fyne.Container).Objects
		right := objs[1].(*fyne.Container)
		setEnabled(on, right.Objects[1].(*widget.Button))
	}
}

// dateField is e with a calendar button after it: the day picked in the
// calendar is written into e as YYYY-MM-DD, which e keeps as typed text.
// A time typed after the date ("2026-11-24 09:00") is kept when a day is
// picked.
type dateField struct {
	entry  *formEntry
	button *widget.Button
	popup  *widget.PopUp
	cal    *monthView
	box    *fyne.Container
	// now gives the day the calendar opens on when e holds no date:
	// the engine's clock, or the computer's for nil.
	now func() time.Time
}

func newDateField(e *formEntry, now func() time.Time) *dateField {
	if now == nil {
		now = time.Now
	}
	d := &dateField{entry: e, now: now}
	d.button = widget.NewButtonWithIcon("", theme.CalendarIcon(), d.open)
	d.box = container.NewBorder(nil, nil, nil, d.button, e)
	return d
}

// withCalendar is e with its calendar button, for a form.
func withCalendar(e *formEntry, now func() time.Time) fyne.CanvasObject {
	return newDateField(e, now).box
}

// open shows the calendar under the field, on the date the field holds.
func (d *dateField) open() {
	if d.entry.Disabled() {
		return
	}
	c := fyne.CurrentApp().Driver().CanvasForObject(d.button)
	if c == nil {
		return
	}
	today := d.now()
	start, chosen := today, time.Time{}
	if t, err := time.Parse(time.DateOnly, d.dateText()); err == nil {
		start, chosen = t, t
	}
	d.cal = newMonthView(start, chosen, today, d.picked)
	cal := d.cal.box
	d.popup = widget.NewPopUp(cal, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(d.box)
	pos.Y += d.box.Size().Height
	size := cal.MinSize()
	if cs := c.Size(); cs.Height > 0 {
		if pos.Y+size.Height > cs.Height {
			pos.Y = max(0, pos.Y-d.box.Size().Height-size.Height)
		}
		pos.X = max(0, min(pos.X, cs.Width-size.Width))
	}
	d.popup.ShowAtPosition(pos)
}

// dateText is the date at the start of the field's text.
func (d *dateField) dateText() string {
	date, _, _ := strings.Cut(strings.TrimSpace(d.entry.Text), " ")
	return date
}

// picked writes day into the field, keeping a time typed after the date.
func (d *dateField) picked(day time.Time) {
	text := day.Format(time.DateOnly)
	if _, rest, ok := strings.Cut(strings.TrimSpace(d.entry.Text), " "); ok {
		if _, err := time.Parse(time.DateOnly, d.dateText()); err == nil {
			text += " " + rest
		}
	}
	d.entry.SetText(text)
	if d.popup != nil {
		d.popup.Hide()
	}
}

// nameOf returns the name find gives id, or "" when it finds no such id.
func nameOf(find finder, id string) string {
	if id == "" {
		return ""
	}
	found, _, err := find(id, 0)
	if err != nil {
		return ""
	}
	for _, c := range found {
		if c.id == id {
			return c.name
		}
	}
	return ""
}

// departmentFinder searches the departments the session may name.
func departmentFinder(s *session) finder {
	return func(text string, limit int) ([]choice, int, error) {
		var deps []core.Department
		var err error
		if s.can(core.PermPeopleView) {
			deps, err = s.engine.Departments(s.actor)
		} else {
			deps, err = s.engine.AttendanceDepartments(s.actor)
		}
		if err != nil {
			return nil, 0, err
		}
		return listFinder(func() []choice {
			out := make([]choice, len(deps))
			for i, d := range deps {
				out[i] = choice{id: d.ID, name: d.Name}
			}
			return out
		})(text, limit)
	}
}
