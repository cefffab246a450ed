package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// countryName is the name of each country of core.HolidayCountries in
// the window's language.
func countryName(code string) string {
	switch code {
	case "DE":
		return lang.L("Germany")
	case "FR":
		return lang.L("France")
	case "GB":
		return lang.L("United Kingdom (England and Wales)")
	case "RU":
		return lang.L("Russia")
	case "US":
		return lang.L("United States (federal holidays)")
	}
	return code
}

// publicHolidays is the dialog of the holidays editor that adds a
// country's public holidays of a year to the site's holidays: it shows
// what it will add and what the site has already, and adds on
// confirmation (core.API's AddPublicHolidays).
type publicHolidays struct {
	x       *accessScreen
	d       *dialog.CustomDialog
	country *picker
	year    *formEntry
	preview *widget.Label
	problem *widget.Label
	addBtn  *widget.Button
	cancel  *widget.Button
	// plan is the last dry run, what the add button adds.
	plan core.PublicHolidayMerge
}

// showPublicHolidays opens the dialog, the country guessed from the
// site's phone prefix or time zone, the year this one (the next one in
// December, when next year's holidays are entered).
func (x *accessScreen) showPublicHolidays() {
	if x.s.window == nil {
		return
	}
	e := x.s.engine
	p := &publicHolidays{x: x, country: newPicker(""), year: newFormEntry()}
	p.country.plain = true
	names := make([]string, len(core.HolidayCountries))
	for i, c := range core.HolidayCountries {
		names[i] = countryName(c)
	}
	p.country.setItems(core.HolidayCountries, names)
	p.country.PlaceHolder = lang.L("Choose a country")
	if c := core.HolidayCountryOf(e.Site(), e.Location()); c != "" {
		p.country.setID(c)
	}
	now := e.Now().In(e.Location())
	year := now.Year()
	if now.Month() == time.December {
		year++
	}
	p.year.SetText(strconv.Itoa(year))
	p.country.OnChanged = func(string) { p.refresh() }
	p.year.OnChanged = func(string) { p.refresh() }

	p.preview = widget.NewLabel("")
	p.preview.Wrapping = fyne.TextWrapWord
	p.problem = problemLabel()
	form := newFormGrid()
	form.add(lang.L("Country"), p.country.Select)
	form.add(lang.L("Year"), p.year)
	help := widget.NewLabel(lang.L("The nationwide public holidays, from a holiday library. A date that is a holiday of the site already keeps its name."))
	help.Importance = widget.LowImportance
	help.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(p.preview)
	scroll.SetMinSize(fyne.NewSize(0, 180))
	content := container.NewBorder(container.NewVBox(form.box, help, p.problem), nil, nil, nil, scroll)

	p.d = dialog.NewCustomWithoutButtons(lang.L("Add public holidays"), content, x.s.window)
	p.cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), p.d.Hide)
	p.addBtn = widget.NewButtonWithIcon(lang.L("Add"), theme.ContentAddIcon(), p.add)
	p.addBtn.Importance = widget.HighImportance
	p.d.SetButtons([]fyne.CanvasObject{p.cancel, p.addBtn})
	x.public = p
	p.refresh()
	p.d.Resize(fyne.NewSize(600, 500))
	p.d.Show()
}

// refresh asks what adding the chosen country and year would do, and
// shows it.
func (p *publicHolidays) refresh() {
	p.plan = core.PublicHolidayMerge{}
	p.addBtn.Disable()
	p.problem.Hide()
	p.preview.SetText("")
	country := p.country.id()
	if country == "" {
		return
	}
	year, err := strconv.Atoi(strings.TrimSpace(p.year.Text))
	if err != nil {
		p.showProblem(lang.L("want a year such as 2027"))
		return
	}
	plan, err := p.x.s.engine.AddPublicHolidays(p.x.s.actor, country, year, true)
	if err != nil {
		p.showError(err)
		return
	}
	p.plan = plan
	p.preview.SetText(mergeText(plan))
	setEnabled(len(plan.Added) > 0, p.addBtn)
}

// add adds the holidays of the last dry run, and says what it did under
// the holidays' list.
func (p *publicHolidays) add() {
	if len(p.plan.Added) == 0 {
		return
	}
	done, err := p.x.s.engine.AddPublicHolidays(p.x.s.actor, p.plan.Country, p.plan.Year, false)
	if err != nil {
		p.showError(err)
		return
	}
	if len(done.Added) == 0 { // added meanwhile by someone else
		p.x.reload()
		p.refresh()
		return
	}
	p.d.Hide()
	// The list shows the first holiday added; the note under the form
	// stays until another holiday is chosen.
	p.x.holCat.refresh(done.Added[0].Date.String())
	l := p.x.holCat.saved
	l.SetText(fmt.Sprintf(lang.L("%s %d: %s, %s."), countryName(done.Country), done.Year,
		plural("holidays.added", "{{.Count}} holiday added", "{{.Count}} holidays added", len(done.Added)),
		plural("holidays.skipped", "{{.Count}} skipped", "{{.Count}} skipped", len(done.Skipped))))
	l.Show()
}

// showError shows a refusal of the engine: its problems in the window's
// language, or its text.
func (p *publicHolidays) showError(err error) {
	if ps := core.ProblemsOf(err); len(ps) > 0 {
		texts := make([]string, len(ps))
		for i, fe := range ps {
			texts[i] = problemText(fe)
		}
		p.showProblem(strings.Join(texts, "\n"))
		return
	}
	if errors.Is(err, core.ErrForbidden) {
		p.showProblem(lang.L("You may not change the holidays."))
		return
	}
	p.showProblem(errorText(err))
	p.x.s.log.Error("public holidays", "err", err, "by", p.x.s.actor.String())
}

func (p *publicHolidays) showProblem(text string) {
	p.problem.SetText(text)
	p.problem.Show()
}

// mergeText lists the holidays a merge adds, then those it skips.
func mergeText(m core.PublicHolidayMerge) string {
	var b strings.Builder
	line := func(h core.Holiday) {
		fmt.Fprintf(&b, "%s  %s  %s\n", h.Date, dayName(h.Date.Weekday()), h.Name)
	}
	if len(m.Added) == 0 {
		b.WriteString(lang.L("Every one of these dates is a holiday of the site already.") + "\n")
	} else {
		b.WriteString(plural("holidays.toadd", "{{.Count}} holiday to add:", "{{.Count}} holidays to add:", len(m.Added)) + "\n")
	}
	for _, h := range m.Added {
		line(h)
	}
	if len(m.Skipped) > 0 {
		b.WriteString("\n" + plural("holidays.tokeep", "{{.Count}} date is a holiday of the site already, kept as it is:",
			"{{.Count}} dates are holidays of the site already, kept as they are:", len(m.Skipped)) + "\n")
		for _, h := range m.Skipped {
			line(h)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
