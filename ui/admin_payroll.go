package ui

import (
	"fmt"
	"strings"

	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// payrollForm is the site settings' payroll rules (docs/payroll.md):
// each optional, an empty field turns its rule off.
type payrollForm struct {
	dailyAfter, weeklyAfter *formEntry
	weekStart               *picker
	halfDayBelow            *formEntry
	absentBelow             *formEntry
	earlyGrace              *formEntry
	autoCheckout            *formEntry
	maxPresence             *formEntry
	night                   *formEntry
	balanceFrom             *formEntry
}

// weekStartIDs are the days a payroll week may start on, as the site
// file names them.
var weekStartIDs = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// build adds the rules' rows to form, under a heading.
func (p *payrollForm) build(form *formGrid, now func() time.Time) {
	entry := func(placeholder string) *formEntry {
		e := newFormEntry()
		e.SetPlaceHolder(placeholder)
		return e
	}
	p.dailyAfter = entry(lang.L("none, or such as 8h"))
	p.weeklyAfter = entry(lang.L("none, or such as 35h"))
	p.weekStart = newPicker("")
	p.weekStart.plain = true
	p.weekStart.setItems(weekStartIDs, []string{lang.L("Monday"), lang.L("Tuesday"), lang.L("Wednesday"),
		lang.L("Thursday"), lang.L("Friday"), lang.L("Saturday"), lang.L("Sunday")})
	p.halfDayBelow = entry(lang.L("none, or such as 4h"))
	p.absentBelow = entry(lang.L("none, or such as 2h"))
	p.earlyGrace = entry(lang.L("as for lateness"))
	p.autoCheckout = entry(lang.L("at the close of the day"))
	p.maxPresence = entry(lang.L("none, or such as 12h"))
	p.night = entry(lang.L("none, or such as 21:00-06:00"))
	p.balanceFrom = entry(lang.L("none, or such as 2027-01-01"))

	form.add("", widget.NewLabelWithStyle(lang.L("Payroll rules"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
	rows := []struct {
		label string
		w     fyne.CanvasObject
		field string
	}{
		{lang.L("Overtime after, per day"), p.dailyAfter, "overtime.daily_after"},
		{lang.L("Overtime after, per week"), p.weeklyAfter, "overtime.weekly_after"},
		{lang.L("Payroll week starts on"), p.weekStart.Select, "overtime.week_start"},
		{lang.L("Half day below"), p.halfDayBelow, "half_day_below"},
		{lang.L("Absent below"), p.absentBelow, "absent_below"},
		{lang.L("Early leave after"), p.earlyGrace, "early_leave_grace"},
		{lang.L("Forgotten check-out closed after the shift by"), p.autoCheckout, "auto_checkout_after"},
		{lang.L("Longest presence"), p.maxPresence, "max_presence"},
		{lang.L("Night hours"), p.night, "night"},
		{lang.L("Time bank from"), withCalendar(p.balanceFrom, now), "balance_from"},
	}
	for _, r := range rows {
		form.add(r.label, r.w)
		form.field(r.w, r.field)
	}
}

// fill shows the site's rules.
func (p *payrollForm) fill(site core.Site) {
	dur := func(e *formEntry, d core.Duration) {
		e.SetText("")
		if d > 0 {
			e.SetText(d.String())
		}
	}
	o := core.OvertimePolicy{}
	if site.Overtime != nil {
		o = *site.Overtime
	}
	dur(p.dailyAfter, o.DailyAfter)
	dur(p.weeklyAfter, o.WeeklyAfter)
	start := o.WeekStart
	if start == "" {
		start = "mon"
	}
	p.weekStart.setID(start)
	dur(p.halfDayBelow, site.HalfDayBelow)
	dur(p.absentBelow, site.AbsentBelow)
	dur(p.earlyGrace, site.EarlyLeaveGrace)
	dur(p.autoCheckout, site.AutoCheckoutAfter)
	dur(p.maxPresence, site.MaxPresence)
	p.night.SetText("")
	if site.Night != nil {
		p.night.SetText(site.Night.String())
	}
	p.balanceFrom.SetText("")
	if site.BalanceFrom != (core.Date{}) {
		p.balanceFrom.SetText(site.BalanceFrom.String())
	}
}

// read sets s's payroll rules from the form, each empty field turning
// its rule off; the problems the form finds itself are added to ps.
func (p *payrollForm) read(s *core.SiteSettings, ps *core.Problems) {
	// The engine names these fields as the site file does
	// ("site.overtime.daily_after"); so do the form's own problems.
	duration := func(field string, e *formEntry) *core.Duration {
		field = "site." + field
		text := strings.TrimSpace(e.Text)
		var d core.Duration
		if text == "" {
			return &d // off
		}
		d, err := core.ParseDuration(text)
		switch {
		case err != nil:
			*ps = append(*ps, fieldError(field, fmt.Sprintf(lang.L("'%s' is not a duration such as 8h or 7h30m"), text)))
		case d < 0:
			*ps = append(*ps, &core.FieldError{Field: field, Code: "negative", Err: core.ErrInvalid})
		}
		return &d
	}
	o := core.OvertimePolicy{
		DailyAfter:  *duration("overtime.daily_after", p.dailyAfter),
		WeeklyAfter: *duration("overtime.weekly_after", p.weeklyAfter),
	}
	if o.WeeklyAfter > 0 {
		if start := p.weekStart.id(); start != "mon" {
			o.WeekStart = start
		}
	}
	s.Overtime = &o
	s.HalfDayBelow = duration("half_day_below", p.halfDayBelow)
	s.AbsentBelow = duration("absent_below", p.absentBelow)
	s.EarlyLeaveGrace = duration("early_leave_grace", p.earlyGrace)
	s.AutoCheckoutAfter = duration("auto_checkout_after", p.autoCheckout)
	s.MaxPresence = duration("max_presence", p.maxPresence)
	night := core.NightHours{}
	if text := strings.TrimSpace(p.night.Text); text != "" {
		w, err := core.ParseWindow(text)
		if err != nil {
			*ps = append(*ps, &core.FieldError{Field: "site.night", Code: "bad_window", Args: map[string]string{"value": text}, Err: core.ErrInvalid})
		} else {
			night = core.NightHours{From: w.Start, To: w.End}
		}
	}
	s.Night = &night
	from := core.Date{}
	if text := strings.TrimSpace(p.balanceFrom.Text); text != "" {
		d, err := core.ParseDate(text)
		if err != nil {
			*ps = append(*ps, &core.FieldError{Field: "site.balance_from", Code: "bad_time", Args: map[string]string{"value": text}, Err: core.ErrInvalid})
		}
		from = d
	}
	s.BalanceFrom = &from
}

// payrollHelp says how the rules read.
func payrollHelp() fyne.CanvasObject {
	l := widget.NewLabel(lang.L("Payroll rules are optional: leave a field empty to not use it. Overtime then counts paid time beyond the day's or the week's hours; a day paid less than 'half day below' is a half day; night hours are paid presence between two times."))
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}
