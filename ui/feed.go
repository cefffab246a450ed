package ui

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// How many events the feed reads when it opens, and keeps at most.
const (
	feedInitial = 100
	feedMax     = 500
)

// feedScreen is the live list of the latest events, newest on top.
type feedScreen struct {
	engine core.API
	actor  core.Actor
	log    *slog.Logger
	// seesPeople: the actor may read people (people.view), so rows name
	// them; else rows show ids, as the event log page does, and nobody
	// is read (a boss sees who passed their doors by id).
	seesPeople bool

	// rows are the events shown, newest (highest Seq) first.
	rows []feedItem
	// names caches person names by id: an event names its person by id,
	// and the feed shows hundreds of events of a few dozen people.
	names map[string]string

	list    *widget.List
	problem *widget.Label // a failed read of the log, hidden when all is well
	content fyne.CanvasObject

	// Each row is as high as its texts need at the list's width: sizer
	// measures them, heights keeps them by event at width.
	width   float32
	sizer   *feedRow
	heights map[uint64]float32
}

// feedItem is one event with its person's name.
type feedItem struct {
	ev   core.Event
	name string
}

func newFeedScreen(engine core.API, actor core.Actor, seesPeople bool, log *slog.Logger) *feedScreen {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &feedScreen{engine: engine, actor: actor, seesPeople: seesPeople, log: log, names: map[string]string{}}
}

// build makes the widgets and reads the latest events. Call it on the UI
// thread.
func (f *feedScreen) build() fyne.CanvasObject {
	f.list = widget.NewList(
		func() int { return len(f.rows) },
		func() fyne.CanvasObject { return newFeedRow() },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= 0 && id < len(f.rows) {
				o.(*feedRow).show(f.rows[id], f.engine)
			}
		},
	)
	f.problem = problemLabel()
	f.load(feedInitial)
	f.content = container.NewBorder(f.problem, nil, nil, nil, container.New(feedSizer{f}, f.list))
	return f.content
}

// feedSizer lays the list out and measures its rows again when its width
// changes.
type feedSizer struct{ f *feedScreen }

func (s feedSizer) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	if size.Width != s.f.width {
		s.f.width = size.Width
		s.f.heights = nil
		s.f.sizeRows()
	}
}

func (s feedSizer) MinSize(objs []fyne.CanvasObject) fyne.Size { return objs[0].MinSize() }

// sizeRows gives each row the height its texts need at the list's width.
func (f *feedScreen) sizeRows() {
	if f.width <= 0 {
		return
	}
	if f.sizer == nil {
		f.sizer = newFeedRow()
	}
	if f.heights == nil || len(f.heights) > 2*feedMax {
		f.heights = map[uint64]float32{}
	}
	for i, item := range f.rows {
		h, ok := f.heights[item.ev.Seq]
		if !ok {
			f.sizer.show(item, f.engine)
			h = f.sizer.heightAt(f.width)
			f.heights[item.ev.Seq] = h
		}
		f.list.SetItemHeight(i, h)
	}
}

// load replaces the rows with the latest limit events of the log.
func (f *feedScreen) load(limit int) {
	var evs []core.Event
	err := f.engine.Events(f.actor, core.EventQuery{Reverse: true, Limit: limit}, func(ev core.Event) error {
		evs = append(evs, ev)
		return nil
	})
	var unreadable *core.UnreadableEvents
	switch {
	case errors.As(err, &unreadable):
		// The others are shown; the bad ones are named.
		f.log.Error("feed: events cannot be read", "err", err)
		f.problem.SetText(fmt.Sprintf(lang.L("Some events cannot be read and are not shown: %v"), err))
		f.problem.Show()
	case err != nil:
		f.log.Error("feed: read events", "err", err)
		f.problem.SetText(withLabel(lang.L("Could not read the event log"), errorText(err)))
		f.problem.Show()
		return
	default:
		f.problem.Hide()
	}
	f.rows = f.rows[:0]
	for _, ev := range evs {
		f.rows = append(f.rows, feedItem{ev: ev, name: f.personName(ev.Person)})
	}
	// The log is in time order and a tap replayed from the past has an
	// older time than its sequence says: the feed is in recording order.
	sortBySeqDesc(f.rows)
	f.sizeRows()
	f.list.Refresh()
}

// reload rereads the latest events after the bridge dropped some.
func (f *feedScreen) reload() { f.load(feedMax) }

// addEvents puts new events on top, each in its place by sequence number:
// events recorded together may be published in another order.
func (f *feedScreen) addEvents(evs []core.Event) {
	changed := false
	for _, ev := range evs {
		i := 0
		for i < len(f.rows) && f.rows[i].ev.Seq > ev.Seq {
			i++
		}
		if i < len(f.rows) && f.rows[i].ev.Seq == ev.Seq {
			continue // already read from the log when the screen opened
		}
		if i >= feedMax {
			continue // older than every row kept
		}
		f.rows = append(f.rows, feedItem{})
		copy(f.rows[i+1:], f.rows[i:])
		f.rows[i] = feedItem{ev: ev, name: f.personName(ev.Person)}
		if len(f.rows) > feedMax {
			f.rows = f.rows[:feedMax]
		}
		changed = true
	}
	if changed {
		f.sizeRows()
		f.list.Refresh()
	}
}

// personName returns the name of person id, read once per person.
func (f *feedScreen) personName(id string) string {
	if id == "" || !f.seesPeople {
		return id
	}
	if name, ok := f.names[id]; ok {
		return name
	}
	name := id
	p, err := f.engine.Person(f.actor, id)
	switch {
	case err == nil && p.Name != "":
		name = p.Name
	case err != nil && !errors.Is(err, core.ErrNotFound):
		// Not cached: the next event of this person tries again.
		f.log.Warn("feed: read person", "person", id, "err", err)
		return id
	}
	f.names[id] = name
	return name
}

// sortBySeqDesc sorts rows newest first; rows are nearly sorted already.
func sortBySeqDesc(rows []feedItem) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].ev.Seq > rows[j-1].ev.Seq; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// resultStyle returns the words and the colour (as a theme importance, so
// that light and dark themes both read well) the feed shows for r:
// granted green, refusals red, duplicates grey, presence at the desk blue,
// and automatic check-outs orange, since they are flagged for review.
func resultStyle(r core.Result) (string, widget.Importance) {
	switch r {
	case core.Granted:
		return lang.L("Granted"), widget.SuccessImportance
	case core.IgnoredDuplicate:
		return lang.L("Ignored (duplicate)"), widget.LowImportance
	case core.DeniedUnknownCard:
		return lang.L("Denied: unknown card"), widget.DangerImportance
	case core.DeniedAmbiguousCard:
		return lang.L("Denied: ambiguous card"), widget.DangerImportance
	case core.DeniedCardBlocked:
		return lang.L("Denied: card blocked"), widget.DangerImportance
	case core.DeniedDoorLocked:
		return lang.L("Denied: door locked down"), widget.DangerImportance
	case core.DeniedAntipassback:
		return lang.L("Denied: anti-passback"), widget.DangerImportance
	case core.DeniedNoUsesLeft:
		return lang.L("Denied: no uses left"), widget.DangerImportance
	case core.DeniedGrantExpired:
		return lang.L("Denied: grant not valid now"), widget.DangerImportance
	case core.DeniedOutsideSchedule:
		return lang.L("Denied: outside schedule"), widget.DangerImportance
	case core.DeniedNoAccess:
		return lang.L("Denied: no access"), widget.DangerImportance
	case core.DeniedUnknownPhone:
		return lang.L("Denied: unknown phone"), widget.DangerImportance
	case core.DeniedPhoneCheckin:
		return lang.L("Denied: no phone check-in"), widget.DangerImportance
	case core.CheckedIn:
		return lang.L("Checked in"), widget.HighImportance
	case core.CheckedOut:
		return lang.L("Checked out"), widget.HighImportance
	case core.AlreadyCheckedIn:
		return lang.L("Already checked in"), widget.HighImportance
	case core.AutoCheckout:
		return lang.L("Checked out automatically"), widget.WarningImportance
	case core.CardRead:
		return lang.L("Card read for enrolment"), widget.MediumImportance
	}
	// A result newer than this screen: its code in words, refusals still red.
	words := strings.ReplaceAll(string(r), "_", " ")
	if r.Denied() {
		return lang.L("Denied:") + " " + strings.TrimPrefix(words, "denied "), widget.DangerImportance
	}
	if words == "" {
		return lang.L("Unknown"), widget.MediumImportance
	}
	return strings.ToUpper(words[:1]) + words[1:], widget.MediumImportance
}

// feedRow is the widget of one row: the time, who and the result on the
// first line, where and the explanation under them in smaller text. Each
// text wraps rather than being cut, so that a row says the whole result
// and explanation on a small screen in every language: the row is as high
// as its width makes it (heightAt).
type feedRow struct {
	widget.BaseWidget
	time, who, where, result, why *widget.Label
	lay                           *rowLayout
}

func newFeedRow() *feedRow {
	r := &feedRow{
		time:   widget.NewLabelWithStyle("00:00:00", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true}),
		who:    widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		where:  widget.NewLabel(""),
		result: widget.NewLabelWithStyle("", fyne.TextAlignTrailing, fyne.TextStyle{Bold: true}),
		why:    widget.NewLabel(""),
		lay:    &rowLayout{},
	}
	for _, l := range []*widget.Label{r.who, r.where, r.result, r.why} {
		l.Wrapping = fyne.TextWrapWord
	}
	r.where.SizeName = theme.SizeNameCaptionText
	r.why.SizeName = theme.SizeNameCaptionText
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer lays the row out: the time on the left, the rest on its
// right in two lines.
func (r *feedRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(r.lay, r.time, r.who, r.result, r.where, r.why))
}

// heightAt is the row's height when it is width wide.
func (r *feedRow) heightAt(width float32) float32 {
	return r.lay.place([]fyne.CanvasObject{r.time, r.who, r.result, r.where, r.why}, width)
}

// show fills the row with item.
func (r *feedRow) show(item feedItem, engine core.API) {
	ev := item.ev
	r.time.SetText(ev.At.In(engine.Location()).Format("15:04:05"))
	if ev.Person == "" {
		r.who.TextStyle = fyne.TextStyle{Italic: true}
		r.who.SetText(lang.L("Unknown card"))
	} else {
		r.who.TextStyle = fyne.TextStyle{Bold: true}
		r.who.SetText(item.name)
	}
	r.where.SetText(place(ev))
	words, imp := resultStyle(ev.Result)
	r.result.Importance = imp
	r.result.SetText(words)
	r.why.SetText(explain(ev))
}

// place names where the event happened: "reader / door", or the desk
// reader alone.
func place(ev core.Event) string {
	switch {
	case ev.Door != "" && ev.Reader != "":
		return fmt.Sprintf("%s / %s", ev.Reader, ev.Door)
	case ev.Reader != "":
		return ev.Reader
	}
	return ev.Door
}

// rowLayout places a feed row's objects: time, who, result, where and
// why. The time is on the left; who and the result share the first line
// (the result as wide as its words, up to half the room, and who the
// rest); where and the explanation share the second (where up to a third
// of the room). A text longer than its room wraps, and the row grows.
type rowLayout struct {
	// width is the width laid out last, for MinSize.
	width float32
}

func (l *rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	l.width = size.Width
	l.place(objs, size.Width)
}

func (l *rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	width := l.width
	if width <= 0 {
		width = feedRowWidth
	}
	return fyne.NewSize(timeWidth(objs[0])+2*theme.Padding(), l.place(objs, width))
}

// feedRowWidth is the width a row is measured at before it is laid out.
const feedRowWidth = 480

// place lays objs out width wide and returns the height they take.
func (l *rowLayout) place(objs []fyne.CanvasObject, width float32) float32 {
	t, who, result, where, why := objs[0], objs[1], objs[2], objs[3], objs[4]
	tw := timeWidth(t)
	rest := max(width-tw, 0)
	rw := min(textWidth(result), rest/2)
	if !result.Visible() {
		rw = 0
	}
	h1 := max(t.MinSize().Height, heightIn(who, rest-rw), heightIn(result, rw))
	t.Move(fyne.NewPos(0, 0))
	t.Resize(fyne.NewSize(tw, h1))
	who.Move(fyne.NewPos(tw, 0))
	who.Resize(fyne.NewSize(rest-rw, h1))
	result.Move(fyne.NewPos(tw+rest-rw, 0))
	result.Resize(fyne.NewSize(rw, h1))
	if !where.Visible() && !why.Visible() {
		return h1
	}
	pw := min(textWidth(where), rest/3)
	switch {
	case !where.Visible() || where.(*widget.Label).Text == "":
		pw = 0
	case !why.Visible():
		pw = min(textWidth(where), rest) // the headings' "Reader / door"
	}
	// The labels' own padding would leave a gap between the lines.
	y := h1 - theme.Padding()
	h2 := max(heightIn(where, pw), heightIn(why, rest-pw))
	where.Move(fyne.NewPos(tw, y))
	where.Resize(fyne.NewSize(pw, h2))
	why.Move(fyne.NewPos(tw+pw, y))
	why.Resize(fyne.NewSize(rest-pw, h2))
	return y + h2
}

// heightIn is how high o is when width wide: a wrapped label is as high
// as its lines.
func heightIn(o fyne.CanvasObject, width float32) float32 {
	if !o.Visible() || width <= 0 {
		return 0
	}
	o.Resize(fyne.NewSize(width, o.Size().Height))
	return o.MinSize().Height
}

// textWidth is the width o, a label, needs to show its text on one line.
func textWidth(o fyne.CanvasObject) float32 {
	l, ok := o.(*widget.Label)
	if !ok || l.Text == "" {
		return 0
	}
	th := theme.Current()
	size := th.Size(theme.SizeNameText)
	if l.SizeName != "" {
		size = th.Size(l.SizeName)
	}
	return fyne.MeasureText(l.Text, size, l.TextStyle).Width + 2*th.Size(theme.SizeNameInnerPadding) + 2
}

// timeWidth is the width of the time column: a label of "00:00:00" in
// monospace, whatever t holds, so that the headings line up with the rows.
func timeWidth(t fyne.CanvasObject) float32 {
	text := fyne.MeasureText("00:00:00", theme.TextSize(), fyne.TextStyle{Monospace: true})
	return fyne.Max(t.MinSize().Width, text.Width+2*theme.InnerPadding())
}

// feedHeadings names the feed's columns, aligned with its rows.
func feedHeadings() fyne.CanvasObject {
	r := newFeedRow()
	r.time.SetText(lang.L("Time"))
	r.who.SetText(lang.L("Person"))
	r.where.SetText(lang.L("Reader / door"))
	r.result.SetText(lang.L("Result"))
	for _, l := range []*widget.Label{r.time, r.who, r.where, r.result} {
		l.TextStyle = fyne.TextStyle{Bold: true}
		l.SizeName = theme.SizeNameCaptionText
	}
	r.why.Hide()
	return r
}
