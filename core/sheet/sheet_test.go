package sheet

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// sample is two people's two days, every minute field set, and Bob's
// time bank.
func sample() core.Timesheet {
	day := func(d int, st core.DayStatus, m core.Minutes, in, out string) core.TimesheetDay {
		return core.TimesheetDay{Date: core.Date{Year: 2026, Month: 11, Day: d}, Status: st, Minutes: m, FirstIn: in, LastOut: out}
	}
	ann := core.PersonTimesheet{Person: "ann", Name: "Ann Martin", Days: []core.TimesheetDay{
		day(23, core.DayLate, core.Minutes{Scheduled: 480, Worked: 430, Presence: 500, Overtime: 20, Late: 10,
			Paid: 450, Break: 50, Night: 0, Balance: -30}, "09:10", "17:30"),
		day(24, core.DayHalfDay, core.Minutes{Scheduled: 480, Worked: 200, Presence: 200, Paid: 200, Balance: -280, Night: 7}, "08:55", ""),
	}}
	ann.Days[1].AutoClosed = true
	ann.Days[0].Bank = 90 // a bank of 2 h before, less the day's 30 minutes
	bob := core.PersonTimesheet{Person: "bob", Name: "=Bob; \"B\"", Days: []core.TimesheetDay{
		day(23, core.DayAbsent, core.Minutes{Scheduled: 480, Balance: -480}, "", ""),
		day(24, core.DayOff, core.Minutes{Presence: 61, Paid: 61, Overtime: 61, Balance: 61}, "10:00", "11:01"),
	}}
	bob.Days[0].Justified = true
	bob.Bank = core.TimeBank{From: core.Date{Year: 2026, Month: 1, Day: 1}, Opening: 125, Adjustments: -60, Closing: -354}
	ts := core.Timesheet{People: []core.PersonTimesheet{ann, bob}}
	for i := range ts.People {
		p := &ts.People[i]
		for _, d := range p.Days {
			p.Totals.Scheduled += d.Scheduled
			p.Totals.Worked += d.Worked
			p.Totals.Presence += d.Presence
			p.Totals.Overtime += d.Overtime
			p.Totals.Late += d.Late
			p.Totals.EarlyLeave += d.EarlyLeave
			p.Totals.Paid += d.Paid
			p.Totals.Break += d.Break
			p.Totals.Night += d.Night
			p.Totals.Balance += d.Balance
		}
	}
	return ts
}

// TestKeysKeepTheirOrder: the CSV for programs starts with the columns
// it always had, the payroll ones after them; keys are unique.
func TestKeysKeepTheirOrder(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sample()); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	want := "person,name,date,status,scheduled_minutes,worked_minutes,presence_minutes,overtime_minutes,late_minutes," +
		"early_leave_minutes,first_in,last_out,justified,auto_closed,paid_minutes,break_minutes,night_minutes,balance_minutes,bank_minutes"
	if lines[0] != want {
		t.Errorf("header\n%s\nwant\n%s", lines[0], want)
	}
	if got := lines[1]; got != "ann,Ann Martin,2026-11-23,late,480,430,500,20,10,0,09:10,17:30,false,false,450,50,0,-30,90" {
		t.Errorf("Ann's Monday %q", got)
	}
	if got := lines[4]; got != `bob,"=Bob; ""B""",2026-11-24,off,0,0,61,61,0,0,10:00,11:01,false,false,61,0,0,61,0` {
		t.Errorf("Bob's Tuesday %q", got)
	}
	if len(lines) != 6 || lines[5] != "" {
		t.Errorf("%d lines, want a header, 4 days and LF ends", len(lines))
	}
	seen := map[string]bool{}
	for _, c := range Columns {
		if seen[c.Key] {
			t.Errorf("key %s twice", c.Key)
		}
		seen[c.Key] = true
	}
}

// TestEveryHeaderIsTranslated: headers, sheet names, statuses and words
// of the files have French and Russian.
func TestEveryHeaderIsTranslated(t *testing.T) {
	texts := []string{"Days", "Totals", "Metrics", "yes", "no"}
	for _, c := range Columns {
		texts = append(texts, c.Header)
	}
	for _, c := range MetricColumns {
		texts = append(texts, c.Header)
	}
	for _, w := range statusWords {
		texts = append(texts, w)
	}
	for _, r := range MetricRows(core.Metrics{}) {
		texts = append(texts, r.State, r.Part)
	}
	for _, code := range []string{"fr", "ru"} {
		tr := i18n.New(code)
		for _, s := range texts {
			if !tr.Has(s) {
				t.Errorf("%s: no translation of %q", code, s)
			}
		}
	}
	for _, st := range []core.DayStatus{core.DayPresent, core.DayLate, core.DayAbsent, core.DayHalfDay, core.DayOff,
		core.DayHoliday, core.DayUpcoming, core.DayNotEmployed} {
		if _, ok := statusWords[st]; !ok {
			t.Errorf("status %s has no words", st)
		}
	}
}

func TestLocaleOf(t *testing.T) {
	for _, tc := range []struct {
		env      map[string]string
		language string
		want     Locale
	}{
		{map[string]string{"LANG": "fr_FR.UTF-8"}, "fr", Locale{"fr", ';', ','}},
		{map[string]string{"LANG": "ru_RU.UTF-8"}, "ru", Locale{"ru", ';', ','}},
		{map[string]string{"LANG": "de_DE.UTF-8"}, "en", Locale{"en", ';', ','}},
		{map[string]string{"LANG": "en_US.UTF-8"}, "en", Locale{"en", ',', '.'}},
		{map[string]string{"LANG": "en_US.UTF-8"}, "fr", Locale{"fr", ',', '.'}},
		{map[string]string{"LANG": "C"}, "en", Locale{"en", ',', '.'}},
		{map[string]string{"LANG": "C"}, "fr", Locale{"fr", ';', ','}}, // no preference: the site's language
		{map[string]string{}, "ru", Locale{"ru", ';', ','}},
		{map[string]string{"LANG": "es_ES.UTF-8"}, "en", Locale{"en", ',', '.'}},
		{map[string]string{"LC_ALL": "de_AT", "LANG": "en_GB.UTF-8"}, "en", Locale{"en", ';', ','}},
		{map[string]string{"LC_MESSAGES": "en_US", "LANG": "fr_FR.UTF-8"}, "en", Locale{"en", ',', '.'}},
		{map[string]string{}, "xx", Locale{"en", ',', '.'}},
	} {
		got := Of(func(k string) string { return tc.env[k] }, tc.language)
		if got != tc.want {
			t.Errorf("Of(%v, %s) = %+v, want %+v", tc.env, tc.language, got, tc.want)
		}
	}
}

func TestDecimalHours(t *testing.T) {
	for _, tc := range []struct {
		minutes int
		mark    byte
		want    string
	}{
		{0, '.', "0.00"}, {450, ',', "7,50"}, {430, '.', "7.17"}, {1, '.', "0.02"}, {-125, ',', "-2,08"},
		{-30, '.', "-0.50"}, {61, '.', "1.02"}, {600000, '.', "10000.00"},
	} {
		if got := decimalHours(tc.minutes, tc.mark); got != tc.want {
			t.Errorf("decimalHours(%d) = %q, want %q", tc.minutes, got, tc.want)
		}
	}
}

// TestSpreadsheetCSV writes the days in each locale's dialect and reads
// them back.
func TestSpreadsheetCSV(t *testing.T) {
	for _, tc := range []struct {
		l                  Locale
		header, monday     []string
		bobName, bobMonday string
	}{
		{Locale{"en", ',', '.'}, []string{"Person", "Name", "Date", "Status", "Scheduled (h)"},
			[]string{"ann", "Ann Martin", "2026-11-23", "late", "8.00", "7.17", "8.33", "0.33", "0.17", "0.00", "09:10", "17:30", "no", "no", "7.50", "0.83", "0.00", "-0.50", "1.50"},
			`'=Bob; "B"`, "absent"},
		{Locale{"fr", ';', ','}, []string{"Personne", "Nom", "Date", "Statut", "Prévu (h)"},
			[]string{"ann", "Ann Martin", "2026-11-23", "retard", "8,00", "7,17", "8,33", "0,33", "0,17", "0,00", "09:10", "17:30", "non", "non", "7,50", "0,83", "0,00", "-0,50", "1,50"},
			`'=Bob; "B"`, "absent"},
		{Locale{"ru", ';', ','}, []string{"Сотрудник", "Имя", "Дата", "Статус", "По графику (ч)"}, nil, `'=Bob; "B"`, "отсутствие"},
	} {
		t.Run(tc.l.Language, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteSpreadsheetCSV(&b, sample(), tc.l); err != nil {
				t.Fatal(err)
			}
			s := b.String()
			if !strings.HasPrefix(s, "\uFEFF") || !strings.HasSuffix(s, "\r\n") || strings.Count(s, "\r\n") != 5 {
				t.Fatalf("no BOM or CRLF ends:\n%q", s)
			}
			r := csv.NewReader(strings.NewReader(strings.TrimPrefix(s, "\uFEFF")))
			r.Comma = tc.l.Comma
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 5 || len(rows[0]) != len(dayColumns()) {
				t.Fatalf("%d rows of %d columns", len(rows), len(rows[0]))
			}
			if !slices.Equal(rows[0][:5], tc.header) {
				t.Errorf("header %q, want %q", rows[0][:5], tc.header)
			}
			if tc.monday != nil && !slices.Equal(rows[1], tc.monday) {
				t.Errorf("Ann's Monday\n%q\nwant\n%q", rows[1], tc.monday)
			}
			if rows[3][1] != tc.bobName {
				t.Errorf("Bob's name %q, want %q (no formula)", rows[3][1], tc.bobName)
			}
			if tc.l.Language == "ru" && rows[3][3] != i18n.New("ru").T("absent") {
				t.Errorf("Bob's Monday %q", rows[3][3])
			}
		})
	}
}

// TestXLSX reads the workbook back: its sheets, headers, a day's values
// and totals that are the sum of the days.
func TestXLSX(t *testing.T) {
	ts := sample()
	var b bytes.Buffer
	if err := WriteXLSX(&b, ts, ForLanguage("fr")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Jours", "Totaux"}) {
		t.Fatalf("sheets %q", got)
	}
	rows, err := f.GetRows("Jours")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 5 || rows[0][0] != "Personne" || rows[0][14] != "Payé (h)" {
		t.Fatalf("days %q", rows)
	}
	if got := rows[1][:5]; !slices.Equal(got, []string{"ann", "Ann Martin", "2026-11-23", "retard", "8.00"}) {
		t.Errorf("Ann's Monday as shown: %q", got)
	}
	if rows[3][1] != `=Bob; "B"` {
		t.Errorf("Bob's name %q", rows[3][1])
	}
	for _, cell := range []string{"A1", "R1"} {
		st, _ := f.GetCellStyle("Jours", cell)
		style, _ := f.GetStyle(st)
		if style == nil || style.Font == nil || !style.Font.Bold {
			t.Errorf("header cell %s not bold", cell)
		}
	}
	panes, err := f.GetPanes("Jours")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v (%v), want the header frozen", panes, err)
	}
	// Each minute column of the totals is the sum of the days, as
	// numbers of hours.
	raw := func(sheet, cell string) float64 {
		t.Helper()
		v, err := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		if v == "" {
			return 0
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s!%s = %q: %v", sheet, cell, v, err)
		}
		return x
	}
	days, tot := dayColumns(), totalColumns()
	for ti, c := range tot {
		if c.Kind != Minutes || c.DayValue == nil {
			continue
		}
		di := slices.IndexFunc(days, func(d Column) bool { return d.Key == c.Key })
		dcol, _ := excelize.ColumnNumberToName(di + 1)
		tcol, _ := excelize.ColumnNumberToName(ti + 1)
		for p := range 2 {
			sum := raw("Jours", dcol+strconv.Itoa(2+2*p)) + raw("Jours", dcol+strconv.Itoa(3+2*p))
			if got := raw("Totaux", tcol+strconv.Itoa(2+p)); math.Abs(got-sum) > 1e-9 {
				t.Errorf("%s of person %d: total %v, days sum to %v", c.Key, p, got, sum)
			}
		}
	}
	trows, _ := f.GetRows("Totaux")
	last := len(trows[0]) - 1
	if trows[0][last] != "Compteur d'heures, fin (h)" || trows[2][last] != "-5.90" || trows[2][last-3] != "2026-01-01" {
		t.Errorf("Bob's totals %q under %q", trows[2], trows[0])
	}
	if v := raw("Totaux", "D3"); v != 0 {
		// D is worked: Bob's worked nothing.
		t.Errorf("Bob's worked %v", v)
	}
}

func TestMetricsFiles(t *testing.T) {
	m := core.Metrics{Late: core.StateMetrics{MetricValues: core.MetricValues{Count: 2, Days: 2, Hours: 0.5},
		Unjustified: core.MetricValues{Count: 2, Days: 2, Hours: 0.5}}}
	var b bytes.Buffer
	if err := WriteMetricsCSV(&b, m, Locale{"ru", ';', ','}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\r\n")
	if len(lines) != 14 || !strings.HasPrefix(lines[0], "\uFEFFСтатус;") || lines[4] != "опоздание;всего;2;2;0;0,50" {
		t.Errorf("metrics CSV:\n%s", b.String())
	}
	b.Reset()
	if err := WriteMetricsXLSX(&b, m, ForLanguage("en")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Metrics")
	if len(rows) != 13 || !slices.Equal(rows[4], []string{"late", "all", "2", "2", "0", "0.50"}) {
		t.Errorf("metrics sheet %q", rows)
	}
}

// TestXLSXSameBytes: the same timesheet makes the same file, so that a
// workbook made through the service and one made on the database are
// the same.
func TestXLSXSameBytes(t *testing.T) {
	var first []byte
	for i := range 5 {
		var b bytes.Buffer
		if err := WriteXLSX(&b, sample(), ForLanguage("ru")); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.Bytes()
		} else if !bytes.Equal(b.Bytes(), first) {
			t.Fatalf("run %d wrote other bytes", i)
		}
	}
}
