package ui

import (
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/assets"
	"frontdesk/core"
)

// smallScreen is the smallest screen the window must fit: a reception
// PC's 1024x600. A 1366x768 laptop is checked too.
var (
	smallScreen = fyne.NewSize(1024, 600)
	laptop      = fyne.NewSize(1366, 768)
)

// TestEveryScreenFits opens every page of the window as an administrator
// and the reception page as a receptionist, with each tab of each page,
// the forms of a new object, a person's details and the preferences, and
// the login screen, in English, French and Russian, at 1024x600 and at
// the window's own size (and each page's first view at 1366x768 too). It fails when a text is wider or
// taller than the room it is given, when a text is cut short by an
// ellipsis, when a text or a button lies out of sight with no scroll
// reaching it, or when a page needs more width than the window (a whole
// page scrolling sideways) or the window more room than the screen.
//
// FRONTDESK_SHOTS=DIR writes each page at 1024x600 in each language to
// DIR/<lang>-<page>.png (docs/screens holds a set for the README).
func TestEveryScreenFits(t *testing.T) {
	sizes := []fyne.Size{smallScreen}
	if windowSize != smallScreen {
		sizes = append(sizes, windowSize)
	}
	sizes = append(sizes, laptop)
	names := map[string]string{} // an English slug for each state, by its path
	for _, code := range []string{"en", "fr", "ru"} {
		t.Run(code, func(t *testing.T) {
			useLanguage(t, code)
			fa := test.NewTempApp(t)
			fa.Settings().SetTheme(theme.DefaultTheme())
			e, c := demoEngine(t)
			feedTaps(t, e)
			owner := core.CommandLine("owner")
			ui := make(uiThread, 4096)
			opts := Options{
				Log:       slog.New(slog.DiscardHandler),
				LoginHint: "Demo accounts, password frontdesk-demo: admin, manager, claire (a boss who owns the lab and the server room), desk (a receptionist).",
				Owner:     owner,
				Version:   "1.0.0",
				DemoTap: func(reader, code string) error {
					_, err := e.Tap(core.Tap{Reader: reader, Code: code})
					return err
				},
			}
			a := &App{fyne: fa, engine: e, opts: opts, pages: allPages(opts), now: c.read, printer: (&fakeCUPS{printers: []string{"Reception"}}).cups()}
			a.build(ui.do)
			defer a.window.Close()
			defer a.bridge.close()
			ck := &screenCheck{t: t, w: a.window, ui: ui, lang: code, sizes: sizes, names: names}

			ck.state("login", "login", true)
			for _, user := range []string{"admin", "desk"} {
				actor, err := e.Login(user, "frontdesk-demo")
				if err != nil {
					t.Fatal(err)
				}
				a.startSession(actor, true)
				a.shell.printer = a.printer
				ck.nav = a.shell.nav
				for _, id := range a.shell.pageIDs() {
					if user != "admin" && id != "reception" {
						continue // the receptionist's other pages are the administrator's
					}
					a.shell.show(id)
					ck.pages = []fyne.CanvasObject{a.shell.built[id]}
					name := id
					if user != "admin" {
						name = user + "-" + id
					}
					ck.page(name, a.shell.built[id], true)
				}
				if user == "admin" {
					a.shell.showPreferences()
					ck.state("preferences", "preferences", true)
					ck.closeOverlays()
				}
				a.logout()
				ck.pages, ck.nav = nil, nil
			}
		})
	}
}

// feedTaps makes the demo's feed show a row of each kind of result and
// the longest explanations: an unknown card, a refusal, a lost card, an
// inactive person, a duplicate, a temporary grant, a desk check-in and a
// refused phone check-in.
func feedTaps(t *testing.T, e *core.Engine) {
	t.Helper()
	for _, tp := range []core.Tap{
		{Reader: "main-in", Code: "em:FFFF000000"},
		{Reader: "lab-in", Code: "em:3E58A1C7D2"},
		{Reader: "main-in", Code: "em:3E58A1C7D2"},
		{Reader: "main-in", Code: "em:3E58A1C7D2"},
		{Reader: "main-in", Code: "em:7DC4A334BF"},
		{Reader: "main-in", Code: "em:1C14AA4E71"},
		{Reader: "server-in", Code: "em:AD7D836E77"},
		{Reader: "desk", Code: "dec:1531740178"},
	} {
		if _, err := e.Tap(tp); err != nil {
			t.Fatal(err)
		}
	}
	// Алексей Соколов may not check in by phone.
	if _, err := e.CheckinPhone(testCLI, "+7 916 555 01 06", time.Time{}); err != nil {
		t.Fatal(err)
	}
}

// useLanguage makes the screens built from now on speak code, until the
// test ends. Fyne reads LANGUAGE when translations are added.
func useLanguage(t *testing.T, code string) {
	t.Helper()
	old := os.Getenv("LANGUAGE")
	os.Setenv("LANGUAGE", code)
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		os.Setenv("LANGUAGE", old)
		lang.AddTranslationsFS(assets.Translations, "translations")
	})
}

// screenCheck checks the window's states in one language.
type screenCheck struct {
	t     *testing.T
	w     fyne.Window
	ui    uiThread
	lang  string
	sizes []fyne.Size
	// names are the English names of the states, by their path of page,
	// tabs and actions, so that the pictures of a state have one name in
	// every language.
	names map[string]string
	// pages are the scrolls the shell puts the shown page in: a page
	// scrolling sideways as a whole fails.
	pages []fyne.CanvasObject
	// nav is the navigation shown, whose every item must be in sight.
	nav *widget.List
}

// settle runs what the screens queued for the UI thread, until they are
// quiet.
func (ck *screenCheck) settle() {
	for quiet := time.After(20 * time.Millisecond); ; {
		select {
		case fn := <-ck.ui:
			fn()
		case <-quiet:
			return
		}
	}
}

// page checks the page shown, then each tab of each of its tab sets,
// and the forms its "add" buttons open.
func (ck *screenCheck) page(name string, root fyne.CanvasObject, shoot bool) {
	ck.settle()
	if name == "people" {
		// A person's details: the first one found.
		if l := findFirst[*widget.List](root); l != nil {
			l.Select(0)
			ck.settle()
		}
	}
	ck.explore(name, name, root, shoot, map[*container.AppTabs]bool{})
}

// explore checks the state shown, then visits the tabs found in root
// that it has not visited yet.
func (ck *screenCheck) explore(path, name string, root fyne.CanvasObject, shoot bool, seen map[*container.AppTabs]bool) {
	ck.state(path, name, shoot)
	ck.adds(path, name, root)
	for _, tabs := range findAll[*container.AppTabs](root) {
		if seen[tabs] {
			continue
		}
		seen[tabs] = true
		first := tabs.SelectedIndex()
		for i, item := range tabs.Items {
			if i == first {
				continue
			}
			tabs.SelectIndex(i)
			ck.settle()
			p := fmt.Sprintf("%s/%d", path, i)
			ck.explore(p, ck.name(p, name+"-"+slug(item.Text)), item.Content, false, seen)
		}
		tabs.SelectIndex(first)
		ck.settle()
	}
}

// adds taps each "add" button of root in turn (a new person, door,
// record…) and checks the form or dialog it opens.
func (ck *screenCheck) adds(path, name string, root fyne.CanvasObject) {
	for i, b := range findAll[*widget.Button](root) {
		if b.Icon != theme.ContentAddIcon() || b.Disabled() || !isShown(root, b) {
			continue
		}
		test.Tap(b)
		ck.settle()
		p := fmt.Sprintf("%s/add%d", path, i)
		ck.state(p, ck.name(p, name+"-"+slug(b.Text)), false)
		ck.closeOverlays()
	}
}

// name is the English name of the state at path: en, which runs first,
// names it.
func (ck *screenCheck) name(path, english string) string {
	if n, ok := ck.names[path]; ok {
		return n
	}
	ck.names[path] = english
	return english
}

// closeOverlays closes the dialogs and pop-ups shown.
func (ck *screenCheck) closeOverlays() {
	for o := ck.w.Canvas().Overlays().Top(); o != nil; o = ck.w.Canvas().Overlays().Top() {
		ck.w.Canvas().Overlays().Remove(o)
	}
	ck.settle()
}

// state checks what the window shows at the small screen's size and at
// the window's own, and when shoot (the first state of a page) at the
// laptop's too, and draws it at the small screen's size.
func (ck *screenCheck) state(path, name string, shoot bool) {
	ck.t.Helper()
	name = ck.name(path, name)
	sizes := ck.sizes
	if !shoot {
		sizes = sizes[:len(sizes)-1] // the laptop's is last
	}
	for _, size := range sizes {
		// Laid out twice, as a window's frames do when the sizes of
		// what it shows change (a wrapped text is as high as its width
		// makes it).
		ck.w.Resize(size.AddWidthHeight(1, 1))
		ck.settle()
		ck.w.Resize(size)
		dir := os.Getenv("FRONTDESK_SHOTS")
		if shoot && size == smallScreen && dir != "" {
			writePNG(ck.t, filepath.Join(dir, ck.lang+"-"+name+".png"), ck.w.Canvas().Capture())
		}
		where := fmt.Sprintf("%s, %s, %.0fx%.0f", ck.lang, name, size.Width, size.Height)
		for _, p := range misfits(ck.w, ck.pages) {
			ck.t.Errorf("%s: %s", where, p)
		}
		if p := navOutOfSight(ck.nav); p != "" {
			ck.t.Errorf("%s: %s", where, p)
		}
	}
	ck.w.Resize(smallScreen)
}

// navOutOfSight says when some items of nav need a scroll to be seen:
// its items are more than its height holds.
func navOutOfSight(nav *widget.List) string {
	if nav == nil {
		return ""
	}
	s := findFirst[*container.Scroll](nav)
	if s == nil || s.Content == nil {
		return "the navigation has no scroll to measure"
	}
	if need, has := s.Content.MinSize().Height, s.Size().Height; need > has+1 {
		return fmt.Sprintf("the navigation's %d items need %.0f px high, it has %.0f: the last ones are out of sight", nav.Length(), need, has)
	}
	return ""
}

// writePNG writes img to path, compressed as much as PNG allows.
func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

// slug is s as a file name: "Access levels" → "access-levels".
func slug(s string) string {
	s = strings.ToLower(strings.TrimRight(s, "…. "))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), "-")
}

// findAll returns the visible objects of type T in o, in the order of a
// walk of the tree.
func findAll[T fyne.CanvasObject](o fyne.CanvasObject) []T {
	var out []T
	walkTree(o, func(o fyne.CanvasObject) {
		if x, ok := o.(T); ok {
			out = append(out, x)
		}
	})
	return out
}

// findFirst returns the first visible object of type T in o, or the zero T.
func findFirst[T fyne.CanvasObject](o fyne.CanvasObject) T {
	var zero T
	if all := findAll[T](o); len(all) > 0 {
		return all[0]
	}
	return zero
}

// isShown reports whether x is among the visible objects of root.
func isShown(root, x fyne.CanvasObject) bool {
	found := false
	walkTree(root, func(o fyne.CanvasObject) { found = found || o == x })
	return found
}

// walkTree calls fn on o and on its visible children, through the
// widgets' current renderers.
func walkTree(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	fn(o)
	for _, c := range children(o) {
		walkTree(c, fn)
	}
}

// children are o's objects: a container's, or a widget's renderer's.
func children(o fyne.CanvasObject) []fyne.CanvasObject {
	switch x := o.(type) {
	case *fyne.Container:
		return x.Objects
	case fyne.Widget:
		return test.WidgetRenderer(x).Objects()
	}
	return nil
}

// area is a rectangle of the window, in absolute coordinates.
type area struct{ x0, y0, x1, y1 float32 }

func (a area) intersect(b area) area {
	return area{max(a.x0, b.x0), max(a.y0, b.y0), min(a.x1, b.x1), min(a.y1, b.y1)}
}

// holds reports whether b lies in a, give or take a pixel.
func (a area) holds(b area) bool {
	return b.x0 >= a.x0-1 && b.y0 >= a.y0-1 && b.x1 <= a.x1+1 && b.y1 <= a.y1+1
}

// endless is no bound.
const endless = math.MaxFloat32 / 4

// misfits walks what w shows and says what does not fit; pages are the
// page scrolls of the shell, which must not scroll.
func misfits(w fyne.Window, pages []fyne.CanvasObject) []string {
	var out []string
	size := w.Canvas().Size()
	if c := w.Content(); c != nil {
		if m, s := c.MinSize(), c.Size(); m.Width > s.Width+1 || m.Height > s.Height+1 {
			out = append(out, fmt.Sprintf("the window needs %.0fx%.0f, its content has %.0fx%.0f", m.Width, m.Height, s.Width, s.Height))
		}
	}
	f := &fitter{pages: pages}
	screen := area{0, 0, size.Width, size.Height}
	roots := []fyne.CanvasObject{w.Content()}
	roots = append(roots, w.Canvas().Overlays().List()...)
	for _, r := range roots {
		f.walk(r, fyne.Position{}, screen, roam{}, "", false)
		hiddenSaves(r, fyne.Position{}, screen, &f.out)
	}
	return append(out, f.out...)
}

// hiddenSaves says which primary buttons (Save, Grant, Log in) are out of
// sight where o shows them: one that needs scrolling to is as good as
// missing on a small screen.
func hiddenSaves(o fyne.CanvasObject, at fyne.Position, sight area, out *[]string) {
	if o == nil || !o.Visible() {
		return
	}
	pos := at.Add(o.Position())
	size := o.Size()
	if size.IsZero() {
		return
	}
	here := area{pos.X, pos.Y, pos.X + size.Width, pos.Y + size.Height}
	if b, ok := o.(*widget.Button); ok && b.Importance == widget.HighImportance && b.Text != "" && !sight.holds(here) {
		*out = append(*out, fmt.Sprintf("the button %q is out of sight without scrolling, at %.0f,%.0f", b.Text, pos.X, pos.Y))
		return
	}
	switch o.(type) {
	case *widget.Table, *widget.Tree, *widget.GridWrap, *widget.List:
		return // rows, not forms
	}
	inner := sight.intersect(here)
	for _, c := range children(o) {
		hiddenSaves(c, pos, inner, out)
	}
}

// fitter walks a canvas tree for what does not fit.
type fitter struct {
	pages []fyne.CanvasObject
	out   []string
}

// roam tells the directions in which what an object holds may lie
// beyond it: a scroll reaches it.
type roam struct{ x, y bool }

// walk checks o, placed at the absolute position at of its parent,
// where visible is the area its parent may show it in, unbounded in the
// directions free; source is the
// text of the widget o draws a part of (a label's text), and inText tells
// that o is inside a text widget checked already.
func (f *fitter) walk(o fyne.CanvasObject, at fyne.Position, visible area, free roam, source string, inText bool) {
	if o == nil || !o.Visible() {
		return
	}
	pos := at.Add(o.Position())
	size := o.Size()
	here := area{pos.X, pos.Y, pos.X + size.Width, pos.Y + size.Height}
	if size.IsZero() {
		return // not laid out, not drawn
	}
	text, isText := textOf(o)
	if t, ok := o.(*canvas.Text); ok {
		// A bare text draws its letters from its place, whatever its
		// size: what must be in sight is the letters.
		w := t.MinSize().Width
		switch t.Alignment {
		case fyne.TextAlignCenter:
			here.x0 += (size.Width - w) / 2
		case fyne.TextAlignTrailing:
			here.x0 += size.Width - w
		}
		here.x1 = here.x0 + w
	}
	if isText && !inText {
		m := o.MinSize()
		if b, ok := o.(*widget.Button); ok && b.Text == "" {
			m = size // an icon alone, such as an entry's action, may be a little smaller
		}
		switch {
		case size.Width+1 < m.Width:
			f.out = append(f.out, fmt.Sprintf("%q needs %.0f px wide, has %.0f (at %.0f,%.0f)", text, m.Width, size.Width, pos.X, pos.Y))
		case size.Height+1 < m.Height:
			f.out = append(f.out, fmt.Sprintf("%q needs %.0f px high, has %.0f (at %.0f,%.0f)", text, m.Height, size.Height, pos.X, pos.Y))
		case !visible.holds(here):
			f.out = append(f.out, fmt.Sprintf("%q lies out of sight, at %.0f,%.0f–%.0f,%.0f, in %.0f,%.0f–%.0f,%.0f",
				text, here.x0, here.y0, here.x1, here.y1, visible.x0, visible.y0, visible.x1, visible.y1))
		}
	}
	if e := entryOf(o); e != nil {
		if need := placeholderWidth(e); size.Width+1 < need {
			f.out = append(f.out, fmt.Sprintf("the placeholder %q needs %.0f px wide, its field has %.0f (at %.0f,%.0f)",
				e.PlaceHolder, need, size.Width, pos.X, pos.Y))
		}
	}
	if t, ok := o.(*canvas.Text); ok && strings.HasSuffix(t.Text, "…") && !strings.Contains(source, t.Text) {
		f.out = append(f.out, fmt.Sprintf("%q is cut short: %q", source, t.Text))
	}
	if isText {
		source, inText = text, true
	}
	// Tables and lists draw the rows in view only, placed as if the
	// whole table were there: what lies beyond is scrolled to, as is
	// what a scroll holds beyond its view in the directions it scrolls.
	switch o.(type) {
	case *widget.Table, *widget.Tree, *widget.GridWrap:
		free = roam{true, true}
	case *widget.List:
		free.y = true
	}
	if s, ok := o.(*container.Scroll); ok {
		page := slices.Contains(f.pages, fyne.CanvasObject(s))
		if page && s.Content != nil {
			if m := s.Content.MinSize(); m.Width > size.Width+1 {
				f.out = append(f.out, fmt.Sprintf("the page needs %.0f px wide, the window gives it %.0f", m.Width, size.Width))
			}
		}
		if s.Content != nil && s.Direction == container.ScrollVerticalOnly && size.Width > 0 {
			if m := s.Content.MinSize(); m.Width > size.Width+1 {
				f.out = append(f.out, fmt.Sprintf("a list or scroll of %q needs %.0f px wide, has %.0f (at %.0f,%.0f)",
					firstText(s.Content), m.Width, size.Width, pos.X, pos.Y))
			}
		}
		if !page && s.Direction != container.ScrollVerticalOnly && s.Direction != container.ScrollNone {
			free.x = true
		}
		if s.Direction == container.ScrollVerticalOnly || s.Direction == container.ScrollBoth {
			free.y = true
		}
	}
	inner := visible.intersect(here)
	if free.x {
		inner.x0, inner.x1 = -endless, endless
	}
	if free.y {
		inner.y0, inner.y1 = -endless, endless
	}
	for _, c := range children(o) {
		f.walk(c, pos, inner, free, source, inText)
	}
}

// placeholderWidth is the width e needs to show its placeholder whole
// while it is empty, with its action (a password's reveal) beside it; 0
// when it shows no placeholder.
func placeholderWidth(e *widget.Entry) float32 {
	if e.Text != "" || e.PlaceHolder == "" || e.MultiLine {
		return 0
	}
	th := theme.Current()
	w := fyne.MeasureText(e.PlaceHolder, th.Size(theme.SizeNameText), e.TextStyle).Width +
		2*th.Size(theme.SizeNameInnerPadding) + 2*th.Size(theme.SizeNameInputBorder)
	if e.ActionItem != nil {
		w += e.ActionItem.MinSize().Width + th.Size(theme.SizeNamePadding)
	}
	return w
}

// firstText is the first text shown in o, to say where o is.
func firstText(o fyne.CanvasObject) string {
	first := ""
	walkTree(o, func(o fyne.CanvasObject) {
		if t, ok := textOf(o); ok && first == "" {
			first = t
		}
	})
	return first
}

// textOf is the text o shows, for the objects whose text must fit: a
// label, a button, a choice, a check box, a link, a bare text.
func textOf(o fyne.CanvasObject) (string, bool) {
	switch x := o.(type) {
	case *widget.Label:
		return x.Text, x.Text != ""
	case *widget.Button:
		return x.Text, true
	case *widget.Select:
		if x.Selected != "" {
			return x.Selected, true
		}
		return x.PlaceHolder, true
	case *widget.Check:
		return x.Text, true
	case *widget.Hyperlink:
		return x.Text, true
	case *canvas.Text:
		return x.Text, x.Text != ""
	}
	return "", false
}
