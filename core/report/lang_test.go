package report

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// englishTexts are the texts the reports print, read from this package's
// source: the arguments of T, F and N, the titles of columns and column
// groups, the words of results and the kinds' titles. A text added to a
// report is in the list without anyone adding it.
func englishTexts(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	add := func(lit ast.Expr) {
		if b, ok := lit.(*ast.BasicLit); ok && b.Kind == token.STRING {
			if s, err := strconv.Unquote(b.Value); err == nil && s != "" {
				seen[s] = true
			}
		}
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && len(n.Args) > 0 {
					switch sel.Sel.Name {
					case "T", "F":
						add(n.Args[0])
					case "N":
						// The singular is no key of its own: its words
						// are those of the plural's translation.
						add(n.Args[1])
					}
				}
			case *ast.KeyValueExpr:
				if id, ok := n.Key.(*ast.Ident); ok && id.Name == "title" {
					add(n.Value)
				}
			case *ast.CompositeLit:
				// group{"Count", 3} and the rows' {"Present", m.Present}.
				if len(n.Elts) == 2 {
					add(n.Elts[0])
				}
			}
			return true
		})
	}
	for _, k := range core.ReportKinds {
		seen[k.Title()] = true
	}
	for _, r := range []core.Result{core.Granted, core.IgnoredDuplicate, core.CheckedIn, core.CheckedOut, core.AlreadyCheckedIn,
		core.AutoCheckout, core.CardRead, core.DeniedAntipassback, core.DeniedOutsideSchedule, core.DeniedUnknownCard} {
		seen[resultWords(r)] = true
	}
	var out []string
	for s := range seen {
		out = append(out, s)
	}
	return out
}

// verb matches what a text's values replace: fmt verbs and templates.
var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]|\{\{\.[A-Za-z]+\}\}`)

// englishWords are the pieces of texts, between their values, that would
// show an English text left in a translated report: at least four
// letters, and not written the same in the translation.
func englishWords(t *testing.T, tr *i18n.Translator, texts []string) []string {
	var out []string
	for _, s := range texts {
		translated := verb.ReplaceAllString(tr.T(s), " ")
		for _, p := range verb.Split(s, -1) {
			p = strings.Trim(p, " ,.:;()?·—–-")
			if len([]rune(p)) < 4 || hasWords(translated, p) || !strings.ContainsFunc(p, func(r rune) bool { return r >= 'a' && r <= 'z' }) {
				continue
			}
			out = append(out, p)
		}
	}
	return out
}

// fixtureData are the fixtures' English names and notes, data that
// no language changes.
var fixtureData = []string{"Expected Person", "Stale Person", "Person Number", "Nobody Special", "Department d",
	"Office hours", "by hand because", "Main entrance"}

// hasWords reports whether s holds the words w, not inside longer words.
func hasWords(s, w string) bool {
	return regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(w) + `($|[^\pL])`).MatchString(s)
}

// translated gives r's events reasons and r a scope, as the engine does.
func translated(r core.Report) core.Report {
	r.Scope = []core.Reason{*core.NewReason(core.ReasonPeriodDates, "from", "2026-11-01", "to", "2026-11-30"),
		*core.NewReason(core.ReasonFilterDoor, "door", "Main entrance")}
	if r.DoorLog != nil {
		events := make([]core.DoorLogEntry, len(r.DoorLog.Events))
		for i, e := range r.DoorLog.Events {
			switch e.Result {
			case core.Granted:
				e.Why = core.NewReason(core.ReasonLevelSchedule, "level", "Staff", "schedule", "Office hours", "weekday", "Tue", "window", "07:00-19:00")
			case core.DeniedOutsideSchedule:
				e.Why = core.NewReason(core.ReasonOutsideSchedule, "level", "Staff", "schedule", "Office hours", "weekday", "Sun", "time", "07:00")
			case core.DeniedUnknownCard:
				e.Why = core.NewReason(core.ReasonUnknownCard, "card", e.Card)
			case core.IgnoredDuplicate:
				e.Why = core.NewReason(core.ReasonDuplicate, "gap", "1.2s", "debounce", "3s")
			}
			e.Explanation = e.Why.String()
			events[i] = e
		}
		l := *r.DoorLog
		l.Events = events
		r.DoorLog = &l
	}
	return r
}

// TestReportsHaveNoEnglishLeft prints every report in French and in
// Russian and reads it back: no English text of the reports may be in it,
// and its dates are the language's.
func TestReportsHaveNoEnglishLeft(t *testing.T) {
	needPoppler(t)
	texts := englishTexts(t)
	if len(texts) < 100 {
		t.Fatalf("found %d texts in the source: the walk misses some", len(texts))
	}
	reports := map[string]core.Report{
		"attendance": attendanceReport(12, 7),
		"timesheet":  timesheetReport(4, 2, 10),
		"absences":   absencesReport(true, false),
		"withheld":   absencesReport(true, true),
		"doorlog":    doorLogReport(30),
		"muster":     musterReport(),
		"access":     accessReport(),
	}
	for _, lang := range []string{"fr", "ru"} {
		tr := i18n.New(lang)
		words := englishWords(t, tr, texts)
		for _, s := range texts {
			if !tr.Has(s) {
				t.Errorf("%s: no translation of %q", lang, s)
			}
		}
		dateRE := map[string]*regexp.Regexp{"fr": regexp.MustCompile(`\d\d/\d\d/20\d\d`), "ru": regexp.MustCompile(`\d\d\.\d\d\.20\d\d`)}[lang]
		for name, r := range reports {
			t.Run(lang+"/"+name, func(t *testing.T) {
				path := render(t, translated(r), Options{Language: lang})
				text := strings.Join(strings.Fields(pdfText(t, path, 0, 0)), " ")
				for _, data := range fixtureData {
					text = strings.ReplaceAll(text, data, "…")
				}
				if dir := os.Getenv("FRONTDESK_REPORT_SAMPLES"); dir != "" {
					b, _ := os.ReadFile(path)
					os.WriteFile(filepath.Join(dir, "report-"+name+"."+lang+".pdf"), b, 0o644)
				}
				for _, w := range words {
					if hasWords(text, w) {
						t.Errorf("English %q left in:\n%s", w, text)
					}
				}
				if !dateRE.MatchString(text) {
					t.Errorf("no date written the %s way in:\n%s", lang, text)
				}
				if regexp.MustCompile(`20\d\d-\d\d-\d\d`).MatchString(text) {
					t.Errorf("an ISO date left in:\n%s", text)
				}
			})
		}
	}
}

// TestMusterCountsInRussian checks the muster's plural in a real PDF.
func TestMusterCountsInRussian(t *testing.T) {
	needPoppler(t)
	r := musterReport()
	text := pdfText(t, render(t, r, Options{Language: "ru"}), 1, 1)
	want := i18n.New("ru").N("{{.Count}} people inside", "{{.Count}} person inside", "{{.Count}} people inside", r.Muster.Total)
	contains(t, "muster", text, want, "Страница 1 из")
}
