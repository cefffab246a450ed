package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// grantsPage is where bosses give people access to their doors, and
// admins to every door.
func grantsPage() page {
	return page{id: "grants", title: lang.L("Grants"),
		needs: []core.Permission{core.PermGrantsEditOwn, core.PermGrantsEditAny},
		build: func(s *session) fyne.CanvasObject {
			x := newGrantsScreen(s)
			content := x.build()
			if s.listen != nil {
				s.listen(x)
			}
			return content
		}}
}

// expiresSoon is how close the end of a grant is highlighted.
const expiresSoon = 7 * 24 * time.Hour

// The kinds of grant as the form offers them.
func grantPermanent() string { return lang.L("Permanent") }
func grantUntil() string     { return lang.L("Until a date") }
func grantUses() string      { return lang.L("A number of uses") }

// grantsScreen lists the grants on one door and gives or revokes them. A
// boss chooses among the doors her person owns (Engine.GrantableDoors); the
// engine checks again on every change.
type grantsScreen struct {
	s *session

	doors  []core.Door
	grants []core.Grant
	// names caches person names by id, for those who may see people.
	names map[string]string

	door    *picker
	list    *widget.List
	empty   *widget.Label
	problem *widget.Label

	person  *searchPick
	kind    *widget.RadioGroup
	from    *formEntry
	until   *formEntry
	uses    *formEntry
	grant   *widget.Button
	formMsg *widget.Label
	spots   *problemSpots
}

func newGrantsScreen(s *session) *grantsScreen {
	return &grantsScreen{s: s, names: map[string]string{}}
}

// grantColumns are the widths of the list's columns, as parts of the
// whole: person, kind, from, until, uses left, by, state, revoke.
var grantColumns = []float32{3.8, 3.2, 2, 2, 1.3, 1.6, 1.8, 1.8}

// grantUnit is the width of one weight of grantColumns at the least: a
// narrower list scrolls sideways rather than cutting the texts short.
const grantUnit = 62

func (x *grantsScreen) build() fyne.CanvasObject {
	x.doors = x.s.engine.GrantableDoors(x.s.actor)
	x.door = newPicker("")
	x.door.PlaceHolder = lang.L("Choose a door")
	var ids, names []string
	for _, d := range x.doors {
		ids, names = append(ids, d.ID), append(names, d.Name)
	}
	x.door.setItems(ids, names)
	x.door.OnChanged = func(string) { x.reload() }

	x.list = widget.NewList(func() int { return len(x.grants) }, x.newRow, x.updateRow)
	x.empty = widget.NewLabel("")
	x.empty.Importance = widget.LowImportance
	x.problem = problemLabel()

	head := make([]fyne.CanvasObject, len(grantColumns))
	for i, h := range []string{lang.L("Person"), lang.L("Kind"), lang.L("From"), lang.L("Until"),
		lang.L("Uses left"), lang.L("By"), lang.L("State"), ""} {
		l := widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		l.SizeName = theme.SizeNameCaptionText
		head[i] = l
	}
	header := container.New(columnsLayout{weights: grantColumns, unit: grantUnit}, head...)

	top := container.NewBorder(nil, nil, widget.NewLabelWithStyle(lang.L("Door"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, x.door.Select)
	listArea := borderInTabOrder(container.NewVBox(x.problem, header, widget.NewSeparator()), nil, nil, nil,
		container.NewStack(x.list, container.NewCenter(x.empty)))
	// The list scrolls sideways inside, and the form under it scrolls
	// up and down, so that both fit a small screen.
	// The button and what it says stay in sight under the form.
	fields := container.NewVScroll(x.buildForm())
	form := container.NewBorder(nil, container.NewVBox(x.formMsg, container.NewHBox(x.grant)), nil, nil, fields)
	split := container.NewVSplit(container.NewHScroll(listArea), form)
	split.Offset = 0.4
	content := container.NewPadded(borderInTabOrder(container.NewVBox(top, widget.NewSeparator()), nil, nil, nil, split))
	if len(x.doors) == 0 {
		x.empty.SetText(lang.L("You own no door: there is nothing to grant."))
		x.door.Disable()
		x.grant.Disable()
	} else {
		x.door.setID(x.doors[0].ID) // reloads
	}
	return content
}

func (x *grantsScreen) buildForm() fyne.CanvasObject {
	x.person = newPeoplePick(grantFinder(x.s))
	x.kind = widget.NewRadioGroup([]string{grantPermanent(), grantUntil(), grantUses()}, func(string) { x.updateForm() })
	x.kind.Required = true
	x.from = newFormEntry()
	x.from.SetPlaceHolder(lang.L("now"))
	x.until = newFormEntry()
	x.until.SetPlaceHolder("2026-12-31")
	x.uses = newFormEntry()
	x.uses.SetPlaceHolder("1")
	x.grant = widget.NewButtonWithIcon(lang.L("Grant access"), theme.ConfirmIcon(), x.addGrant)
	x.grant.Importance = widget.HighImportance
	x.formMsg = widget.NewLabel("")
	x.formMsg.Wrapping = fyne.TextWrapWord
	x.formMsg.Hide()
	help := widget.NewLabel(lang.L("Dates are local; a date alone means until the end of that day. A number of uses may also have an end date."))
	help.Importance = widget.LowImportance
	help.Wrapping = fyne.TextWrapWord

	form := newFormGrid()
	form.add(lang.L("Person"), x.person.box)
	form.add(lang.L("Kind"), x.kind)
	form.add(lang.L("Starts"), withCalendar(x.from, x.s.engine.Now))
	form.add(lang.L("Until"), withCalendar(x.until, x.s.engine.Now))
	form.add(lang.L("Uses"), x.uses)
	form.field(x.person, "person")
	form.field(x.kind, "kind")
	form.field(x.from, "from")
	form.field(x.until, "until")
	form.field(x.uses, "uses", "used")
	x.spots = form.spots
	x.spots.rest = problemLabel()
	x.kind.SetSelected(grantPermanent())
	title := widget.NewLabelWithStyle(lang.L("Grant access"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	box := container.NewVBox(widget.NewSeparator(), title, form.box, help, x.spots.rest)
	x.s.formKeys(box, x.addGrant, x.clearForm, form.box)
	return box
}

// clearForm empties the form, for Escape.
func (x *grantsScreen) clearForm() {
	x.person.setPicked(choice{})
	for _, e := range []*formEntry{x.from, x.until, x.uses} {
		e.SetText("")
	}
	x.formMsg.Hide()
}

// updateForm offers the bounds the kind chosen has.
func (x *grantsScreen) updateForm() {
	switch x.kind.Selected {
	case grantPermanent():
		setEnabled(false, x.from, x.until, x.uses)
	case grantUntil():
		setEnabled(true, x.from, x.until)
		setEnabled(false, x.uses)
	case grantUses():
		setEnabled(true, x.from, x.until, x.uses)
	}
}

// reload rereads the grants on the chosen door.
func (x *grantsScreen) reload() {
	door := x.door.id()
	x.grants = nil
	if door != "" {
		gs, err := x.s.engine.Grants(x.s.actor, core.GrantQuery{Door: door})
		if err != nil {
			x.problem.SetText(fmt.Sprintf(lang.L("Could not read the grants: %s"), err))
			x.problem.Show()
		} else {
			x.problem.Hide()
			x.grants = gs
		}
	}
	x.empty.SetText("")
	if door != "" && len(x.grants) == 0 {
		x.empty.SetText(lang.L("Nobody has a grant on this door."))
	}
	x.list.Refresh()
}

// addEvents rereads the grants when a tap spent a use of one on the door
// shown.
func (x *grantsScreen) addEvents(evs []core.Event) {
	door := x.door.id()
	for _, ev := range evs {
		if ev.Grant != "" && ev.Door == door {
			x.reload()
			return
		}
	}
}

// name returns how to show person id: "Ann Martin (ann)".
func (x *grantsScreen) name(id string) string {
	if n, ok := x.names[id]; ok {
		return n
	}
	n := id
	if !x.s.can(core.PermPeopleView) {
		// Who grants without people.view finds people by name or id.
		refs, _, err := x.s.engine.GrantablePeople(x.s.actor, id, 0)
		if err != nil {
			return id
		}
		for _, r := range refs {
			if r.ID == id && r.Name != "" {
				n = fmt.Sprintf("%s (%s)", r.Name, id)
			}
		}
	} else if p, err := x.s.engine.Person(x.s.actor, id); err == nil && p.Name != "" {
		n = fmt.Sprintf("%s (%s)", p.Name, id)
	} else if err != nil && !errors.Is(err, core.ErrNotFound) {
		return id // not cached: try again next time
	}
	x.names[id] = n
	return n
}

// grantState words where a grant stands at now, and how to show it.
func grantState(g core.Grant, now time.Time) (string, widget.Importance) {
	switch {
	case !g.Until.IsZero() && !now.Before(g.Until):
		return lang.L("Expired"), widget.LowImportance
	case g.Kind == core.GrantOnce && g.UsesLeft() == 0:
		return lang.L("Used up"), widget.LowImportance
	case !g.From.IsZero() && now.Before(g.From):
		return lang.L("Not yet valid"), widget.MediumImportance
	case !g.Until.IsZero() && g.Until.Sub(now) < expiresSoon,
		g.Kind == core.GrantOnce && g.UsesLeft() <= 1:
		return lang.L("Expires soon"), widget.WarningImportance
	}
	return lang.L("Active"), widget.SuccessImportance
}

func kindWords(k core.GrantKind) string {
	switch k {
	case core.GrantPermanent:
		return lang.L("permanent")
	case core.GrantTemporary:
		return lang.L("temporary")
	case core.GrantOnce:
		return lang.L("number of uses")
	}
	return string(k)
}

func (x *grantsScreen) newRow() fyne.CanvasObject {
	objs := make([]fyne.CanvasObject, len(grantColumns))
	for i := range len(grantColumns) - 1 {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		objs[i] = l
	}
	objs[len(objs)-1] = widget.NewButtonWithIcon(lang.L("Revoke"), theme.DeleteIcon(), nil)
	return container.New(columnsLayout{weights: grantColumns, unit: grantUnit}, objs...)
}

func (x *grantsScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(x.grants) {
		return
	}
	g := x.grants[id]
	loc := x.s.engine.Location()
	when := func(t time.Time) string {
		if t.IsZero() {
			return "—"
		}
		return t.In(loc).Format("2006-01-02 15:04")
	}
	uses := "—"
	if g.Kind == core.GrantOnce {
		uses = fmt.Sprintf("%d / %d", g.UsesLeft(), g.Uses)
	}
	state, imp := grantState(g, x.s.engine.Now())
	objs := o.(*fyne.Container).Objects
	texts := []string{x.name(g.Person), kindWords(g.Kind), when(g.From), when(g.Until), uses, g.By, state}
	for i, text := range texts {
		l := objs[i].(*widget.Label)
		want := widget.MediumImportance
		if i == 6 {
			want = imp
		}
		if l.Text != text || l.Importance != want {
			l.Text, l.Importance = text, want
			l.TextStyle.Bold = i == 6 && imp == widget.WarningImportance
			l.Refresh()
		}
	}
	objs[len(objs)-1].(*widget.Button).OnTapped = func() { x.revoke(g) }
}

// revoke asks, then revokes g.
func (x *grantsScreen) revoke(g core.Grant) {
	door := x.door.Selected
	confirm(x.s, lang.L("Revoke access"),
		fmt.Sprintf(lang.L("Revoke the %s access of %s to %s? They will no longer open it with this grant."),
			kindWords(g.Kind), x.name(g.Person), door),
		lang.L("Revoke"), func() {
			if _, err := x.s.engine.RevokeGrant(x.s.actor, g.ID); err != nil {
				x.s.fail(lang.L("Revoke access"), err)
			}
			x.reload()
		})
}

// addGrant gives the access the form describes.
func (x *grantsScreen) addGrant() {
	g, err := x.formGrant()
	if err == nil {
		g, err = x.s.engine.AddGrant(x.s.actor, g)
	}
	if err != nil {
		x.formMsg.Hide()
		if !x.spots.show(err) {
			x.s.fail(lang.L("Grant access"), err)
		}
		return
	}
	x.spots.clear()
	x.formMsg.Importance = widget.SuccessImportance
	x.formMsg.SetText(fmt.Sprintf(lang.L("%s may now open %s."), x.name(g.Person), x.door.Selected))
	x.formMsg.Show()
	x.person.setPicked(choice{})
	x.from.SetText("")
	x.until.SetText("")
	x.uses.SetText("")
	x.reload()
}

// formGrant reads the form; the error holds every problem it has.
func (x *grantsScreen) formGrant() (core.Grant, error) {
	g := core.Grant{Door: x.door.id()}
	var ps core.Problems
	if g.Door == "" {
		ps = append(ps, fieldError("door", lang.L("choose a door")))
	}
	var err error
	if g.Person, err = x.person.value("person"); err != nil {
		ps = append(ps, err)
	} else if g.Person == "" {
		ps = append(ps, fieldError("person", lang.L("required")))
	}
	loc := x.s.engine.Location()
	switch x.kind.Selected {
	case grantPermanent():
		g.Kind = core.GrantPermanent
		return g, ps.Err()
	case grantUntil():
		g.Kind = core.GrantTemporary
		if strings.TrimSpace(x.until.Text) == "" {
			ps = append(ps, fieldError("until", lang.L("required for access until a date")))
		}
	case grantUses():
		g.Kind = core.GrantOnce
		if g.Uses, err = strconv.Atoi(strings.TrimSpace(x.uses.Text)); err != nil || g.Uses < 1 {
			ps = append(ps, fieldError("uses", lang.L("a whole number, 1 or more")))
		}
	default:
		ps = append(ps, fieldError("kind", lang.L("choose one")))
	}
	if g.From, err = localTime(x.from.Text, loc, false); err != nil {
		ps = append(ps, fieldError("from", timeProblem(x.from.Text)))
	}
	if g.Until, err = localTime(x.until.Text, loc, true); err != nil {
		ps = append(ps, fieldError("until", timeProblem(x.until.Text)))
	}
	return g, ps.Err()
}

// timeProblem says that text is not a time, in the window's language.
func timeProblem(text string) string {
	return problemText(&core.FieldError{Code: "bad_time", Args: map[string]string{"value": strings.TrimSpace(text)}})
}

// localTime reads a time typed in the site's zone; "" is the zero time. A
// date alone is the start of that day, or with end its end
// (core.ParseEnd), so that "until 2026-12-24" includes the 24th.
func localTime(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return time.Time{}, nil
	case end:
		return core.ParseEnd(s, loc)
	}
	return core.ParseTime(s, loc)
}

// columnsLayout lays objects side by side, each as wide as its share of
// the weights, so that a header and its rows line up.
type columnsLayout struct {
	weights []float32
	// unit is the width of one weight at the least.
	unit float32
}

func (c columnsLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var total float32
	for _, w := range c.weights {
		total += w
	}
	pad := theme.Padding()
	avail := size.Width - pad*float32(len(objs)-1)
	x := float32(0)
	for i, o := range objs {
		w := avail * c.weights[i] / total
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
		x += w + pad
	}
}

func (c columnsLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var h float32
	for _, o := range objs {
		h = fyne.Max(h, o.MinSize().Height)
	}
	var total float32
	for _, w := range c.weights {
		total += w
	}
	return fyne.NewSize(max(float32(len(objs))*40, total*c.unit+theme.Padding()*float32(len(objs)-1)), h)
}
