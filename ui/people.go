package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/unicode/norm"

	"frontdesk/core"
)

// Sizes and timings of the people page.
const (
	// peopleShown bounds the people listed: beyond, the receptionist
	// refines the search rather than scrolls.
	peopleShown = 200
	// peopleSearchDelay lets the receptionist finish typing before the
	// search runs.
	peopleSearchDelay = 150 * time.Millisecond
)

// peoplePage is the people page: the search over everyone, a person's
// details, cards and doors, and the departments.
func peoplePage() page {
	return page{
		id:    "people",
		title: lang.L("People"),
		needs: []core.Permission{core.PermPeopleView},
		build: func(s *session) fyne.CanvasObject { return newPeopleScreen(s).build() },
	}
}

// peopleScreen is the people page. The search runs in a goroutine on the
// engine's index (a few milliseconds for 100,000 people), debounced
// while the receptionist types; its answer is dropped if the query
// changed meanwhile.
type peopleScreen struct {
	s *session
	// spawn runs fn away from the UI thread and do hands fn back to it:
	// a goroutine and fyne.Do, or in tests both at once.
	spawn func(fn func())
	do    func(fn func())

	choices core.PeopleChoices

	query   *widget.Entry
	dept    *widget.Select
	deptIDs []string // the filter's departments, in its order after "All"
	newBtn  *widget.Button
	list    *widget.List
	more    *widget.Label // "and N more — refine the search"
	status  *widget.Label // a failed search
	results []core.Person
	total   int
	gen     int // the query's generation: older answers are dropped

	detail      *personPanel
	departments *departmentsTab
	tabs        *container.AppTabs
}

func newPeopleScreen(s *session) *peopleScreen {
	return &peopleScreen{
		s:     s,
		spawn: func(fn func()) { go fn() },
		do:    s.onUI,
	}
}

func (x *peopleScreen) build() fyne.CanvasObject {
	x.loadChoices()
	x.query = widget.NewEntry()
	x.query.SetPlaceHolder(lang.L("Search by name, id, phone or card code"))
	x.s.searchField(x.query)
	x.query.OnChanged = func(string) { x.queryChanged() }
	x.dept = newSelect(nil, func(string) { x.search() })
	x.fillDeptFilter()
	x.list = widget.NewList(
		func() int { return len(x.results) },
		func() fyne.CanvasObject { return newPersonRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(x.results) {
				o.(*personRow).show(x.results[id], x.deptName)
			}
		},
	)
	x.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(x.results) {
			x.open(x.results[id].ID)
		}
	}
	x.more = widget.NewLabel("")
	x.more.TextStyle = fyne.TextStyle{Italic: true}
	x.more.Hide()
	x.status = problemLabel()

	top := container.NewVBox(x.query, x.dept)
	if x.s.mayChange(core.KindPerson) {
		// On a line of its own: beside the filter, the list is too wide
		// for a small screen in French or Russian.
		x.newBtn = widget.NewButtonWithIcon(lang.L("New person"), theme.ContentAddIcon(), x.newPerson)
		top.Add(container.NewHBox(x.newBtn))
	}
	left := borderInTabOrder(container.NewVBox(top, x.status), x.more, nil, nil, x.list)

	x.detail = newPersonPanel(x)
	split := container.NewHSplit(left, x.detail.build())
	split.Offset = 0.38

	x.departments = newDepartmentsTab(x)
	x.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("People"), theme.AccountIcon(), split),
		container.NewTabItemWithIcon(lang.L("Departments"), theme.ListIcon(), x.departments.build()),
	)
	// The first search lists the first people by name, and builds the
	// engine's index meanwhile.
	x.search()
	return x.s.withCentralNote(core.KindPerson, x.tabs)
}

// loadChoices reads the departments, access levels and shifts.
func (x *peopleScreen) loadChoices() {
	c, err := x.s.engine.PeopleChoices(x.s.actor)
	if err != nil {
		x.s.fail(lang.L("Read departments"), err)
		return
	}
	x.choices = c
}

// fillDeptFilter sets the department filter's options, keeping the
// department chosen if it still exists.
func (x *peopleScreen) fillDeptFilter() {
	chosen := x.deptFilter()
	opts := []string{lang.L("All departments")}
	x.deptIDs = x.deptIDs[:0]
	for _, d := range x.choices.Departments {
		opts = append(opts, d.Name)
		x.deptIDs = append(x.deptIDs, d.ID)
	}
	x.dept.Options = opts
	i := slices.Index(x.deptIDs, chosen)
	x.dept.OnChanged = nil // setting the selection is not a choice
	x.dept.SetSelectedIndex(i + 1)
	x.dept.OnChanged = func(string) { x.search() }
}

// deptFilter is the department id chosen in the filter, "" for all.
func (x *peopleScreen) deptFilter() string {
	if x.dept == nil {
		return ""
	}
	i := x.dept.SelectedIndex() - 1
	if i < 0 || i >= len(x.deptIDs) {
		return ""
	}
	return x.deptIDs[i]
}

// deptName names department id.
func (x *peopleScreen) deptName(id string) string {
	for _, d := range x.choices.Departments {
		if d.ID == id {
			return d.Name
		}
	}
	return id
}

// queryChanged runs the search once the typing pauses.
func (x *peopleScreen) queryChanged() {
	x.s.afterPause(&x.gen, peopleSearchDelay, x.search)
}

// search runs the query in a goroutine and shows its answer, unless the
// query changed meanwhile.
func (x *peopleScreen) search() {
	x.gen++
	gen := x.gen
	q := core.PeopleQuery{Text: x.query.Text, Department: x.deptFilter(), Limit: peopleShown}
	engine, actor := x.s.engine, x.s.actor
	x.spawn(func() {
		ps, total, err := engine.People(actor, q)
		x.do(func() {
			if gen == x.gen {
				x.showResults(ps, total, err)
			}
		})
	})
}

// showResults lists ps, total matching in all.
func (x *peopleScreen) showResults(ps []core.Person, total int, err error) {
	if err != nil {
		x.s.log.Error("people: search", "err", err)
		x.status.SetText(fmt.Sprintf(lang.L("The search failed: %s"), err))
		x.status.Show()
		return
	}
	x.status.Hide()
	x.results, x.total = ps, total
	x.list.UnselectAll()
	x.list.Refresh()
	switch {
	case total > len(ps):
		x.more.SetText(fmt.Sprintf(lang.L("and %d more — refine the search"), total-len(ps)))
		x.more.Show()
	case total == 0 && x.query.Text != "":
		x.more.SetText(lang.L("Nobody matches the search"))
		x.more.Show()
	case total == 0:
		x.more.SetText(lang.L("No people yet"))
		x.more.Show()
	default:
		x.more.Hide()
	}
	// Keep the person shown selected if they are still listed.
	if id := x.detail.person.ID; id != "" && !x.detail.isNew {
		for i, p := range x.results {
			if p.ID == id {
				x.list.OnSelected = nil
				x.list.Select(i)
				x.list.OnSelected = func(id widget.ListItemID) {
					if id >= 0 && id < len(x.results) {
						x.open(x.results[id].ID)
					}
				}
				break
			}
		}
	}
}

// open shows person id in the detail panel, read afresh.
func (x *peopleScreen) open(id string) {
	p, err := x.s.engine.Person(x.s.actor, id)
	if err != nil {
		x.s.fail(lang.L("Read a person"), err)
		return
	}
	x.detail.show(p, false)
}

// newPerson opens an empty form for a new person.
func (x *peopleScreen) newPerson() {
	x.list.UnselectAll()
	x.detail.show(core.Person{}, true)
}

// personRow is one person in the list: the name, and the id, department
// and phone below.
type personRow struct {
	widget.BaseWidget
	// sub is the id and the department, more the phone and whether the
	// person is inactive: on one line they are too wide for the list on
	// a small screen.
	name, sub, more *widget.Label
}

func newPersonRow() *personRow {
	r := &personRow{
		name: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		sub:  widget.NewLabel(""),
		more: widget.NewLabel(""),
	}
	r.name.Truncation = fyne.TextTruncateEllipsis
	for _, l := range []*widget.Label{r.sub, r.more} {
		l.Truncation = fyne.TextTruncateEllipsis
		l.SizeName = theme.SizeNameCaptionText
	}
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer stacks the two lines, the second close under the first.
func (r *personRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(&tightLines{}, r.name, r.sub, r.more))
}

func (r *personRow) show(p core.Person, deptName func(string) string) {
	r.name.SetText(p.Name)
	r.name.Importance = widget.MediumImportance
	if p.Inactive {
		r.name.Importance = widget.LowImportance
	}
	parts := []string{p.ID}
	if p.Department != "" {
		parts = append(parts, deptName(p.Department))
	}
	r.sub.SetText(strings.Join(parts, " · "))
	var more []string
	if p.Phone != "" {
		more = append(more, p.Phone)
	}
	if p.Inactive {
		more = append(more, lang.L("inactive"))
	}
	r.more.SetText(strings.Join(more, " · "))
}

// tightLines stacks its objects with the labels' padding between lines
// taken out.
type tightLines struct{}

func (tightLines) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - theme.Padding()*2
	}
}

func (tightLines) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		if i > 0 {
			s.Height -= theme.Padding() * 2
		}
	}
	return s
}

// personPanel is the right side of the page: the person chosen, in tabs.
type personPanel struct {
	x      *peopleScreen
	person core.Person
	isNew  bool

	title *widget.Label
	empty *widget.Label
	tabs  *container.AppTabs
	body  fyne.CanvasObject // the title and tabs, hidden until a person is chosen
	stack *fyne.Container   // body or empty

	// Details.
	id       *formEntry
	name     *formEntry
	phone    *formEntry
	dept     *widget.Select
	shift    *widget.Select
	levels   *widget.CheckGroup
	active   *widget.Check
	checkin  *widget.Select
	started  *formEntry
	left     *formEntry
	save     *widget.Button
	remove   *widget.Button
	problem  *widget.Label
	spots    *problemSpots
	saved    *widget.Label
	idEdited bool // the id was typed, not derived from the name

	cards     *cardsTab
	cardsItem *container.TabItem

	access     *accessList
	accessItem *container.TabItem
}

func newPersonPanel(x *peopleScreen) *personPanel {
	return &personPanel{x: x}
}

// checkinChoices are the phone check-in choices, in the select's order:
// the default (nil), allowed, not allowed.
func checkinChoices() []string {
	return []string{lang.L("Default (allowed unless staff)"), lang.L("Allowed"), lang.L("Not allowed")}
}

func (d *personPanel) build() fyne.CanvasObject {
	s := d.x.s
	d.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.SizeName = theme.SizeNameSubHeadingText
	d.title.Truncation = fyne.TextTruncateEllipsis
	d.empty = widget.NewLabel(lang.L("Choose a person in the list."))

	d.id = newFormEntry()
	d.id.OnChanged = func(string) { d.idEdited = true }
	d.name = newFormEntry()
	d.name.OnChanged = func(v string) {
		if d.isNew && !d.idEdited {
			d.id.OnChanged = nil
			d.id.SetText(peopleSlug(v))
			d.id.OnChanged = func(string) { d.idEdited = true }
		}
	}
	d.phone = newFormEntry()
	d.phone.SetPlaceHolder("+33 6 12 34 56 78")
	d.dept = newSelect(nil, nil)
	d.shift = newSelect(nil, nil)
	d.levels = widget.NewCheckGroup(nil, nil)
	d.levels.Horizontal = true
	d.active = widget.NewCheck(lang.L("Active (cards open doors)"), nil)
	d.checkin = newSelect(checkinChoices(), nil)
	d.started = newFormEntry()
	d.started.SetPlaceHolder(lang.L("YYYY-MM-DD; empty: the day they are added"))
	d.left = newFormEntry()
	d.left.SetPlaceHolder(lang.L("YYYY-MM-DD; empty: still here"))
	d.problem = problemLabel()
	d.spots = newProblemSpots(d.problem)
	d.saved = widget.NewLabel("")
	d.saved.Importance = widget.SuccessImportance
	d.saved.Hide()
	d.fillChoices()

	levelsHint := widget.NewLabel(lang.L("None checked: the department's level."))
	levelsHint.SizeName = theme.SizeNameCaptionText
	sp := d.spots
	form := widget.NewForm(
		sp.item(lang.L("Identifier"), d.id, "id"),
		sp.item(lang.L("Name"), d.name, "name"),
		sp.item(lang.L("Mobile phone"), d.phone, "phone"),
		sp.item(lang.L("Department"), wholeChoices(d.dept, 0), "department"),
		sp.item(lang.L("Shift"), wholeChoices(d.shift, 0), "shift"),
		sp.item(lang.L("Access levels"), container.NewVBox(d.levels, levelsHint), "access_levels"),
		widget.NewFormItem("", d.active),
		sp.item(lang.L("Phone check-in"), wholeChoices(d.checkin, 0), "phone_checkin"),
		sp.item(lang.L("Started on"), withCalendar(d.started, s.engine.Now), "started"),
		sp.item(lang.L("Left on"), withCalendar(d.left, s.engine.Now), "left"),
	)
	datesHint := widget.NewLabel(lang.L("No day before the first or after the last is scheduled or counted absent."))
	datesHint.SizeName = theme.SizeNameCaptionText
	datesHint.Wrapping = fyne.TextWrapWord
	details := container.NewVBox(form, datesHint)
	// Save, and what saving says, stay in sight under the form.
	bar := container.NewVBox(d.problem, d.saved)
	if s.mayChange(core.KindPerson) {
		d.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), d.saveDetails)
		d.save.Importance = widget.HighImportance
		d.remove = widget.NewButtonWithIcon(lang.L("Delete…"), theme.DeleteIcon(), d.confirmDelete)
		bar.Add(container.NewHBox(d.save, d.remove))
		s.formKeys(details, d.saveDetails, func() { d.show(d.person, d.isNew) }, form)
	} else {
		for _, w := range []fyne.Disableable{d.id, d.name, d.phone, d.dept, d.shift, d.levels, d.active, d.checkin, d.started, d.left} {
			w.Disable()
		}
	}
	if !s.mayChangeField(core.KindPerson, "access_levels") {
		// A person's own levels are an access decision (access.edit).
		d.levels.Disable()
	}

	d.cards = newCardsTab(s, d.cardsChanged)
	d.cardsItem = container.NewTabItemWithIcon(lang.L("Cards"), theme.AccountIcon(), d.cards.build())
	d.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("Details"), theme.DocumentIcon(),
			container.NewBorder(nil, bar, nil, nil, container.NewVScroll(details))),
		d.cardsItem,
	)
	if s.can(core.PermReportsPrint) && s.can(core.PermDoorsView) {
		d.access = newAccessList(s)
		d.accessItem = container.NewTabItemWithIcon(lang.L("Access"), theme.LoginIcon(), d.access.build())
		d.tabs.Append(d.accessItem)
	}
	d.tabs.OnSelected = func(*container.TabItem) { d.refreshTab() }
	d.body = container.NewBorder(d.title, nil, nil, nil, d.tabs)
	d.body.Hide()
	d.stack = container.NewStack(d.body, container.NewCenter(d.empty))
	return d.stack
}

// fillChoices sets the form's options from the screen's choices.
func (d *personPanel) fillChoices() {
	c := d.x.choices
	d.dept.Options = []string{lang.L("No department")}
	for _, dep := range c.Departments {
		d.dept.Options = append(d.dept.Options, dep.Name)
	}
	d.shift.Options = []string{lang.L("The department's shift")}
	for _, sh := range c.Shifts {
		d.shift.Options = append(d.shift.Options, sh.Name)
	}
	d.levels.Options = nil
	for _, l := range c.AccessLevels {
		d.levels.Options = append(d.levels.Options, l.Name)
	}
	d.dept.Refresh()
	d.shift.Refresh()
	d.levels.Refresh()
}

// show fills the panel with p; isNew for a person not stored yet.
func (d *personPanel) show(p core.Person, isNew bool) {
	d.person, d.isNew = p, isNew
	d.body.Show()
	d.empty.Hide()
	d.stack.Refresh()
	d.spots.clear()
	d.saved.Hide()
	if isNew {
		d.title.SetText(lang.L("New person"))
		d.id.Enable()
		d.tabs.SelectIndex(0)
	} else {
		d.title.SetText(p.Name)
		d.id.Disable()
	}
	d.id.OnChanged = nil
	d.id.SetText(p.ID)
	d.idEdited = false
	d.id.OnChanged = func(string) { d.idEdited = true }
	d.name.SetText(p.Name)
	d.phone.SetText(p.Phone)
	d.started.SetText(dateEntryText(p.Started))
	d.left.SetText(dateEntryText(p.Left))
	c := d.x.choices
	d.dept.SetSelectedIndex(1 + slices.IndexFunc(c.Departments, func(x core.Department) bool { return x.ID == p.Department }))
	d.shift.SetSelectedIndex(1 + slices.IndexFunc(c.Shifts, func(x core.Shift) bool { return x.ID == p.Shift }))
	var levels []string
	for _, l := range c.AccessLevels {
		if slices.Contains(p.AccessLevels, l.ID) {
			levels = append(levels, l.Name)
		}
	}
	d.levels.SetSelected(levels)
	d.active.SetChecked(!p.Inactive)
	switch {
	case p.PhoneCheckin == nil:
		d.checkin.SetSelectedIndex(0)
	case *p.PhoneCheckin:
		d.checkin.SetSelectedIndex(1)
	default:
		d.checkin.SetSelectedIndex(2)
	}
	if d.remove != nil {
		d.remove.Hidden = isNew
		d.remove.Refresh()
	}
	// A person not stored yet has no cards or doors.
	for _, item := range []*container.TabItem{d.cardsItem, d.accessItem} {
		if item == nil {
			continue
		}
		if isNew {
			d.tabs.DisableItem(item)
		} else {
			d.tabs.EnableItem(item)
		}
	}
	d.cards.setPerson(p)
	d.refreshTab()
}

// refreshTab rereads what the tab shown shows.
func (d *personPanel) refreshTab() {
	if d.isNew || d.person.ID == "" {
		return
	}
	switch d.tabs.Selected() {
	case d.cardsItem:
		d.cards.reloadCards()
	case d.accessItem:
		d.access.load(d.person.ID)
	}
}

// formPerson is the person as the form gives it.
func (d *personPanel) formPerson() core.Person {
	p := d.person
	c := d.x.choices
	p.ID = strings.TrimSpace(d.id.Text)
	p.Name = d.name.Text
	p.Phone = d.phone.Text
	p.Department = ""
	if i := d.dept.SelectedIndex() - 1; i >= 0 && i < len(c.Departments) {
		p.Department = c.Departments[i].ID
	}
	p.Shift = ""
	if i := d.shift.SelectedIndex() - 1; i >= 0 && i < len(c.Shifts) {
		p.Shift = c.Shifts[i].ID
	}
	p.AccessLevels = nil
	for _, l := range c.AccessLevels {
		if slices.Contains(d.levels.Selected, l.Name) {
			p.AccessLevels = append(p.AccessLevels, l.ID)
		}
	}
	p.Inactive = !d.active.Checked
	switch d.checkin.SelectedIndex() {
	case 1:
		p.PhoneCheckin = new(true)
	case 2:
		p.PhoneCheckin = new(false)
	default:
		p.PhoneCheckin = nil
	}
	return p
}

// dateEntryText writes a date for an entry, "" for none.
func dateEntryText(d core.Date) string {
	if d == (core.Date{}) {
		return ""
	}
	return d.String()
}

// formDates reads the started and left entries into p: YYYY-MM-DD, or
// empty for none. Each problem names its field.
func (d *personPanel) formDates(p *core.Person) core.Problems {
	var ps core.Problems
	for _, f := range []struct {
		field string
		entry *formEntry
		to    *core.Date
	}{{"started", d.started, &p.Started}, {"left", d.left, &p.Left}} {
		*f.to = core.Date{}
		text := strings.TrimSpace(f.entry.Text)
		if text == "" {
			continue
		}
		v, err := core.ParseDate(text)
		if err != nil {
			ps = append(ps, fieldError(f.field, fmt.Sprintf(lang.L("'%s' is not a date such as 2026-12-25"), text)))
			continue
		}
		*f.to = v
	}
	return ps
}

// fieldLabel names an engine's field as the forms do.
func fieldLabel(field string) (string, bool) {
	switch field {
	case "id":
		return lang.L("Identifier"), true
	case "name":
		return lang.L("Name"), true
	case "phone":
		return lang.L("Mobile phone"), true
	case "department":
		return lang.L("Department"), true
	case "shift":
		return lang.L("Shift"), true
	case "access_levels":
		return lang.L("Access levels"), true
	case "access_level":
		return lang.L("Access level"), true
	case "started":
		return lang.L("Started on"), true
	case "left":
		return lang.L("Left on"), true
	}
	return "", false
}

// saveDetails stores the form. A problem with a field shows under the
// form; nothing is changed.
func (d *personPanel) saveDetails() {
	p := d.formPerson()
	d.saved.Hide()
	var err error
	if ps := d.formDates(&p); len(ps) > 0 {
		// The engine is not asked: the form checks what it can itself,
		// so that every problem shows at once.
		err = append(d.checkFields(p), ps...)
	} else if d.isNew {
		p, err = d.x.s.engine.AddPerson(d.x.s.actor, p)
	} else {
		p, err = d.x.s.engine.PutPerson(d.x.s.actor, p)
	}
	if err != nil {
		if !d.spots.show(err) {
			d.showProblem(errorText(err))
			d.x.s.log.Error("people: save", "err", err, "by", d.x.s.actor.String())
		}
		return
	}
	d.spots.clear()
	d.show(p, false)
	d.saved.SetText(fmt.Sprintf(lang.L("Saved %s."), p.Name))
	d.saved.Show()
	d.x.search()
}

// checkFields checks the fields of p the engine would, but for what needs
// the store: for a form whose dates do not read, which is not sent.
func (d *personPanel) checkFields(p core.Person) core.Problems {
	ps := required(p.ID, "id", p.Name, "name")
	if err := core.CheckName(p.Name); err != nil {
		ps = append(ps, core.ProblemAt("name", err))
	}
	if p.Phone != "" {
		if _, err := core.NormalizePhone(p.Phone, d.x.s.engine.Site().CallingCode()); err != nil {
			ps = append(ps, core.ProblemAt("phone", err))
		}
	}
	return ps
}

func (d *personPanel) showProblem(text string) {
	d.problem.SetText(text)
	d.problem.Show()
}

// confirmDelete asks, then deletes the person.
func (d *personPanel) confirmDelete() {
	p := d.person
	msg := fmt.Sprintf(lang.L("Delete %s and their cards? A person with a history cannot be deleted: make them inactive instead."), p.Name)
	if d.x.s.window == nil {
		d.deletePerson()
		return
	}
	dialog.ShowConfirm(lang.L("Delete a person"), msg, func(ok bool) {
		if ok {
			d.deletePerson()
		}
	}, d.x.s.window)
}

func (d *personPanel) deletePerson() {
	p := d.person
	if _, err := d.x.s.engine.DeletePerson(d.x.s.actor, p.ID); err != nil {
		if errors.Is(err, core.ErrConflict) {
			d.showProblem(errorText(err))
			return
		}
		d.x.s.fail(lang.L("Delete a person"), err)
		return
	}
	d.person = core.Person{}
	d.body.Hide()
	d.empty.Show()
	d.stack.Refresh()
	d.x.search()
}

// cardsChanged follows a change of the person's cards: the search finds
// them by code.
func (d *personPanel) cardsChanged() { d.x.search() }

// accessList is the Access tab: the doors a person may open and how,
// from the access report.
type accessList struct {
	s       *session
	rows    []string
	list    *widget.List
	problem *widget.Label
}

func newAccessList(s *session) *accessList { return &accessList{s: s} }

func (a *accessList) build() fyne.CanvasObject {
	a.list = widget.NewList(
		func() int { return len(a.rows) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(a.rows) {
				o.(*widget.Label).SetText(a.rows[id])
			}
		},
	)
	a.problem = widget.NewLabel("")
	a.problem.Wrapping = fyne.TextWrapWord
	a.problem.Hide()
	return container.NewBorder(a.problem, nil, nil, nil, a.list)
}

// load reads the doors person may open.
func (a *accessList) load(person string) {
	r, err := a.s.engine.Report(a.s.actor, core.ReportQuery{Kind: core.ReportAccess, Person: person})
	a.rows = a.rows[:0]
	if err != nil {
		a.problem.SetText(fmt.Sprintf(lang.L("Could not read the doors: %s"), err))
		a.problem.Importance = widget.DangerImportance
		a.problem.Show()
		a.list.Refresh()
		return
	}
	loc := a.s.engine.Location()
	for _, d := range r.Access.Doors {
		for _, en := range d.Entries {
			a.rows = append(a.rows, d.Name+" — "+accessWords(en, loc))
		}
	}
	a.problem.Importance = widget.MediumImportance
	switch {
	case len(a.rows) == 0:
		a.problem.SetText(lang.L("This person may open no door."))
		a.problem.Show()
	case len(r.Access.Doors) > 0 && len(r.Access.Doors[0].Entries) > 0 && r.Access.Doors[0].Entries[0].NoCard:
		a.problem.SetText(lang.L("No active card: these doors stay closed to them until a card is enrolled."))
		a.problem.Importance = widget.WarningImportance
		a.problem.Show()
	default:
		a.problem.Hide()
	}
	a.list.Refresh()
}

// accessWords says how an access entry opens its door.
func accessWords(en core.AccessEntry, loc *time.Location) string {
	switch en.Via {
	case core.AccessViaMaster:
		return lang.L("master: every door, at any time")
	case core.AccessViaLevel:
		from := ""
		if en.Inherited {
			from = " " + lang.L("(from the department)")
		}
		if en.Schedule == "" {
			return fmt.Sprintf(lang.L("level %s%s, at any time"), en.Level, from)
		}
		return fmt.Sprintf(lang.L("level %s%s, during %s"), en.Level, from, en.Schedule)
	}
	return grantWords(en.GrantKind, en.From, en.Until, en.UsesLeft, loc)
}

// grantWords says a grant's restrictions: "permanent", "until
// 2026-12-01 18:00", "2 uses left".
func grantWords(kind core.GrantKind, from, until time.Time, usesLeft int, loc *time.Location) string {
	var parts []string
	switch kind {
	case core.GrantPermanent:
		parts = append(parts, lang.L("permanent grant"))
	case core.GrantTemporary:
		parts = append(parts, lang.L("temporary grant"))
	case core.GrantOnce:
		if usesLeft == 1 {
			parts = append(parts, lang.L("1 use left"))
		} else {
			parts = append(parts, fmt.Sprintf(lang.L("%d uses left"), usesLeft))
		}
	}
	if !from.IsZero() {
		parts = append(parts, fmt.Sprintf(lang.L("from %s"), from.In(loc).Format("2006-01-02 15:04")))
	}
	if !until.IsZero() {
		parts = append(parts, fmt.Sprintf(lang.L("until %s"), until.In(loc).Format("2006-01-02 15:04")))
	}
	return strings.Join(parts, ", ")
}

// peopleSlug suggests an id for a new person from their name: "Élodie
// Durand" gives "elodie-durand".
func peopleSlug(name string) string {
	// (Cyrillic letters are written as Russian passports write them:
	// cyrillicLatin.)
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		latin, cyrillic := cyrillicLatin[r]
		switch {
		case cyrillic && latin == "":
		case cyrillic || r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if cyrillic {
				b.WriteString(latin)
			} else {
				b.WriteRune(r)
			}
		case unicode.Is(unicode.Mn, r):
		default:
			dash = true
		}
	}
	s := b.String()
	if len(s) > 64 {
		s = strings.TrimRight(s[:64], "-")
	}
	return s
}

// cyrillicLatin writes the Russian alphabet in Latin letters as Russian
// passports do (ICAO Doc 9303): "Ольга Кузнецова" is olga-kuznetsova. The
// soft sign is left out. NFD has split й into и and a breve, and ё into
// е and a diaeresis, whose marks are dropped like any accent.
var cyrillicLatin = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "ie",
	'ы': "y", 'ь': "", 'э': "e", 'ю': "iu", 'я': "ia",
}

// departmentsTab lists the departments and edits one.
type departmentsTab struct {
	x     *peopleScreen
	list  *widget.List
	depts []core.Department
	chose int // the department in the form, -1 for a new one

	form    *widget.Form
	formBox *fyne.Container
	scroll  *container.Scroll // holds formBox
	id      *formEntry
	name    *formEntry
	level   *widget.Select
	shift   *widget.Select
	save    *widget.Button
	remove  *widget.Button
	problem *widget.Label
	saved   *widget.Label
	spots   *problemSpots
}

func newDepartmentsTab(x *peopleScreen) *departmentsTab { return &departmentsTab{x: x, chose: -1} }

func (t *departmentsTab) build() fyne.CanvasObject {
	t.depts = t.x.choices.Departments
	t.list = widget.NewList(
		func() int { return len(t.depts) },
		func() fyne.CanvasObject { return newPersonRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id < 0 || id >= len(t.depts) {
				return
			}
			d := t.depts[id]
			r := o.(*personRow)
			r.name.SetText(d.Name)
			r.sub.SetText(t.summary(d))
		},
	)
	t.list.OnSelected = func(id widget.ListItemID) {
		if id >= 0 && id < len(t.depts) {
			t.edit(id)
		}
	}
	t.id = newFormEntry()
	t.name = newFormEntry()
	t.level = newSelect(nil, nil)
	t.shift = newSelect(nil, nil)
	t.problem = problemLabel()
	t.spots = newProblemSpots(t.problem)
	t.fillChoices()
	t.form = widget.NewForm(
		t.spots.item(lang.L("Identifier"), t.id, "id"),
		t.spots.item(lang.L("Name"), t.name, "name"),
		t.spots.item(lang.L("Access level"), t.level, "access_level"),
		t.spots.item(lang.L("Shift"), t.shift, "shift"),
	)
	t.saved = newSavedNote()
	t.formBox = container.NewVBox(t.form, t.problem, t.saved)
	var top fyne.CanvasObject
	if t.x.s.mayChange(core.KindDepartment) {
		t.save = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), t.saveDept)
		t.save.Importance = widget.HighImportance
		t.remove = widget.NewButtonWithIcon(lang.L("Delete"), theme.DeleteIcon(), t.deleteDept)
		t.formBox.Add(container.NewHBox(t.save, t.remove))
		t.x.s.formKeys(t.formBox, t.saveDept, t.cancelEdit, t.id, t.name)
		top = container.NewHBox(widget.NewButtonWithIcon(lang.L("New department"), theme.ContentAddIcon(), t.newDept))
	} else {
		for _, w := range []fyne.Disableable{t.id, t.name, t.level, t.shift} {
			w.Disable()
		}
	}
	if !t.x.s.mayChangeField(core.KindDepartment, "access_level") {
		t.level.Disable()
	}
	t.formBox.Hide()
	left := borderInTabOrder(top, nil, nil, nil, t.list)
	t.scroll = container.NewVScroll(t.formBox)
	split := container.NewHSplit(left, t.scroll)
	split.Offset = 0.38
	return split
}

func (t *departmentsTab) fillChoices() {
	c := t.x.choices
	t.level.Options = []string{lang.L("None")}
	for _, l := range c.AccessLevels {
		t.level.Options = append(t.level.Options, l.Name)
	}
	t.shift.Options = []string{lang.L("None")}
	for _, s := range c.Shifts {
		t.shift.Options = append(t.shift.Options, s.Name)
	}
	t.level.Refresh()
	t.shift.Refresh()
}

// summary says a department's level and shift.
func (t *departmentsTab) summary(d core.Department) string {
	c := t.x.choices
	level, shift := lang.L("no access level"), lang.L("no shift")
	for _, l := range c.AccessLevels {
		if l.ID == d.AccessLevel {
			level = fmt.Sprintf(lang.L("level %s"), l.Name)
		}
	}
	for _, s := range c.Shifts {
		if s.ID == d.Shift {
			shift = fmt.Sprintf(lang.L("shift %s"), s.Name)
		}
	}
	return d.ID + " · " + level + " · " + shift
}

// edit opens department i in the form.
func (t *departmentsTab) edit(i int) {
	t.chose = i
	d := t.depts[i]
	t.fill(d)
	t.id.Disable()
	if t.remove != nil {
		t.remove.Show()
	}
}

// cancelEdit puts the form back as the department is stored, or empties
// a new one.
func (t *departmentsTab) cancelEdit() {
	if t.chose >= 0 && t.chose < len(t.depts) {
		t.edit(t.chose)
		return
	}
	t.newDept()
}

func (t *departmentsTab) newDept() {
	t.chose = -1
	t.list.UnselectAll()
	t.fill(core.Department{})
	t.id.Enable()
	t.remove.Hide()
}

func (t *departmentsTab) fill(d core.Department) {
	c := t.x.choices
	t.id.SetText(d.ID)
	t.name.SetText(d.Name)
	t.level.SetSelectedIndex(1 + slices.IndexFunc(c.AccessLevels, func(l core.AccessLevel) bool { return l.ID == d.AccessLevel }))
	t.shift.SetSelectedIndex(1 + slices.IndexFunc(c.Shifts, func(s core.Shift) bool { return s.ID == d.Shift }))
	t.spots.clear()
	t.saved.Hide()
	t.formBox.Show()
	t.scroll.Refresh()
}

func (t *departmentsTab) saveDept() {
	c := t.x.choices
	t.saved.Hide()
	d := core.Department{ID: strings.TrimSpace(t.id.Text), Name: t.name.Text}
	if i := t.level.SelectedIndex() - 1; i >= 0 && i < len(c.AccessLevels) {
		d.AccessLevel = c.AccessLevels[i].ID
	}
	if i := t.shift.SelectedIndex() - 1; i >= 0 && i < len(c.Shifts) {
		d.Shift = c.Shifts[i].ID
	}
	if t.chose < 0 && slices.ContainsFunc(t.depts, func(x core.Department) bool { return x.ID == d.ID }) {
		t.spots.show(append(core.Problems{fieldError("id", fmt.Sprintf(lang.L("%q is taken"), d.ID))}, required(d.Name, "name")...))
		return
	}
	d, err := t.x.s.engine.PutDepartment(t.x.s.actor, d)
	if err != nil {
		if !t.spots.show(err) {
			t.problem.SetText(errorText(err))
			t.problem.Show()
		}
		return
	}
	t.reloaded(d.ID)
	showSaved(t.saved, d.Name)
}

func (t *departmentsTab) deleteDept() {
	if t.chose < 0 || t.chose >= len(t.depts) {
		return
	}
	d := t.depts[t.chose]
	confirm(t.x.s, lang.L("Delete department"), fmt.Sprintf(lang.L("Delete department %s? This cannot be undone."), d.Name), lang.L("Delete"), func() {
		if err := t.x.s.engine.DeleteDepartment(t.x.s.actor, d.ID); err != nil {
			t.problem.SetText(errorText(err))
			t.problem.Show()
			return
		}
		t.formBox.Hide()
		t.scroll.Refresh()
		t.chose = -1
		t.reloaded("")
	})
}

// reloaded rereads the choices after a change, on this tab and the
// people tab, and selects department id.
func (t *departmentsTab) reloaded(id string) {
	x := t.x
	x.loadChoices()
	x.fillDeptFilter()
	x.detail.fillChoices()
	t.depts = x.choices.Departments
	t.list.UnselectAll()
	t.list.Refresh()
	if i := slices.IndexFunc(t.depts, func(d core.Department) bool { return d.ID == id }); i >= 0 {
		t.list.Select(i)
	}
	x.list.Refresh()
}
