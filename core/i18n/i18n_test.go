package i18n_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"

	"frontdesk/assets"
	"frontdesk/core"
	"frontdesk/core/i18n"
)

// sampleArgs gives every argument a reason can name a value.
var sampleArgs = map[string]string{
	"card": "em:3C00423C15", "bits": "32", "holders": "Ann Martin (ann)\nVic Visitor (vic)", "person": "Ann Martin",
	"state": "lost", "from": "2026-11-24 09:00", "until": "2026-12-01 18:00", "gap": "1.2s", "debounce": "3s",
	"door": "Main entrance", "site": "lyon", "zone": "Office", "since": "2026-11-24 08:55", "source": "Lobby", "level": "Staff",
	"schedule": "Office hours", "weekday": "Mon", "window": "08:00-18:00", "grant": "g-12", "by": "boss",
	"left": "1", "uses": "2", "used": "2", "time": "21:30", "phone": "+33612345678", "count": "2",
	"account": "maria", "at": "2026-11-24T21:00:00+01:00", "to": "2026-11-30", "id": "ann", "department": "Sales",
}

// placeholder matches a template's {{.name}}.
var placeholder = regexp.MustCompile(`\{\{\.[a-zA-Z]+\}\}`)

// englishPieces are the words of an English template between its
// values: none may be left in a translation.
func englishPieces(template string) []string {
	var out []string
	for _, p := range placeholder.Split(template, -1) {
		p = strings.Trim(p, " ,.:;()'")
		if len(p) >= 4 {
			out = append(out, p)
		}
	}
	return out
}

// sameIn are the pieces of English templates that a language writes
// the same.
var sameIn = map[string]map[string]bool{"fr": {"bits": true, "anti-passback": true}}

// hasWords reports whether s holds the words w, not inside longer words
// ("person" is not in "personne").
func hasWords(s, w string) bool {
	return regexp.MustCompile(`(^|[^\pL])` + regexp.QuoteMeta(w) + `($|[^\pL])`).MatchString(s)
}

func TestEveryReasonIsTranslated(t *testing.T) {
	if err := i18n.Check(); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "ru"} {
		tr := i18n.New(lang)
		for _, code := range core.ReasonCodes() {
			t.Run(lang+"/"+string(code), func(t *testing.T) {
				other, _ := code.Text()
				if !tr.Has(other) {
					t.Fatalf("no %s translation of %q", lang, other)
				}
				r := &core.Reason{Code: code, Args: map[string]string{}}
				for _, name := range placeholder.FindAllString(other, -1) {
					name = strings.TrimSuffix(strings.TrimPrefix(name, "{{."), "}}")
					v, ok := sampleArgs[name]
					if !ok {
						t.Fatalf("no sample value for %q", name)
					}
					r.Args[name] = v
				}
				got := tr.Reason(r)
				if strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
					t.Errorf("got %q: a value is missing", got)
				}
				for _, p := range englishPieces(other) {
					if hasWords(got, p) && !sameIn[lang][p] {
						t.Errorf("got %q: English %q left", got, p)
					}
				}
				for _, w := range []string{" and ", "lost", "Mon "} {
					if strings.Contains(got, w) {
						t.Errorf("got %q: English %q left", got, w)
					}
				}
				if en := r.String(); got == en {
					t.Errorf("got the English %q", got)
				}
			})
		}
	}
}

func TestReasonEnglishIsTheExplanation(t *testing.T) {
	r := core.NewReason(core.ReasonAmbiguousCard, "bits", 32, "card", "dec:0004340757",
		"holders", "Ann Martin (ann)"+core.ListSep+"Vic Visitor (vic)")
	want := "the reader read 32 bits (dec:0004340757), which match the cards of Ann Martin (ann) and Vic Visitor (vic): the tap is given to no one"
	for _, tr := range []*i18n.Translator{nil, i18n.New("en"), i18n.New("de")} {
		if got := tr.Reason(r); got != want {
			t.Errorf("%s: got %q, want %q", tr.Language(), got, want)
		}
	}
	if got := r.String(); got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}
}

func TestExplainOldEvent(t *testing.T) {
	old := core.Event{Result: core.Granted, Explanation: "level Staff, at any time"}
	if got := i18n.New("fr").Explain(old); got != old.Explanation {
		t.Errorf("got %q, want the stored %q", got, old.Explanation)
	}
	ev := old
	ev.Why = core.NewReason(core.ReasonLevelAnyTime, "level", "Staff")
	if got, want := i18n.New("fr").Explain(ev), "niveau Staff, à toute heure"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRussianPlurals(t *testing.T) {
	tr := i18n.New("ru")
	tests := []struct {
		n            int
		people, door string
	}{
		{1, "1 человек", "1 дверь"},
		{2, "2 человека", "2 двери"},
		{5, "5 человек", "5 дверей"},
		{21, "21 человек", "21 дверь"},
		{1234, "1\u00a0234 человека", "1\u00a0234 двери"},
	}
	for _, tt := range tests {
		if got := tr.N("{{.Count}} people", "{{.Count}} person", "{{.Count}} people", tt.n); got != tt.people {
			t.Errorf("%d people: got %q, want %q", tt.n, got, tt.people)
		}
		if got := tr.N("{{.Count}} doors", "{{.Count}} door", "{{.Count}} doors", tt.n); got != tt.door {
			t.Errorf("%d doors: got %q, want %q", tt.n, got, tt.door)
		}
		shared := tr.Reason(core.NewReason(core.ReasonPhoneShared, "phone", "+7900", core.CountArg, tt.n))
		want := map[int]string{1: "у 1 человека", 2: "у 2 человек", 5: "у 5 человек", 21: "у 21 человека", 1234: "у 1234 человек"}[tt.n]
		if !strings.Contains(shared, want) {
			t.Errorf("phone shared by %d: got %q, want %q in it", tt.n, shared, want)
		}
	}
	fr := i18n.New("fr")
	for n, want := range map[int]string{1: "1 personne", 2: "2 personnes", 0: "0 personne"} {
		if got := fr.N("{{.Count}} people", "{{.Count}} person", "{{.Count}} people", n); got != want {
			t.Errorf("fr %d: got %q, want %q", n, got, want)
		}
	}
	en := i18n.New("en")
	for n, want := range map[int]string{1: "1 person", 2: "2 people", 12345: "12,345 people"} {
		if got := en.N("{{.Count}} people", "{{.Count}} person", "{{.Count}} people", n); got != want {
			t.Errorf("en %d: got %q, want %q", n, got, want)
		}
	}
}

func TestChoose(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		site string
		want string
	}{
		{"LANG French", map[string]string{"LANG": "fr_FR.UTF-8"}, "", "fr"},
		{"LC_ALL over LANG", map[string]string{"LC_ALL": "ru_RU.UTF-8", "LANG": "fr_FR.UTF-8"}, "", "ru"},
		{"LC_MESSAGES over LANG", map[string]string{"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "ru_RU.UTF-8"}, "en", "fr"},
		{"LC_ALL over LC_MESSAGES", map[string]string{"LC_ALL": "en_GB.UTF-8", "LC_MESSAGES": "fr_FR"}, "ru", "en"},
		{"unknown language: the site's", map[string]string{"LANG": "de_DE.UTF-8"}, "ru", "ru"},
		{"C: the site's", map[string]string{"LANG": "C"}, "fr", "fr"},
		{"POSIX: the site's", map[string]string{"LC_ALL": "POSIX", "LANG": "ru_RU.UTF-8"}, "fr", "fr"},
		{"unknown language, no site: English", map[string]string{"LANG": "de_DE.UTF-8"}, "", "en"},
		{"nothing set: the site's", nil, "ru", "ru"},
		{"nothing at all: English", nil, "", "en"},
		{"bad site setting: English", nil, "xx", "en"},
		{"modifier", map[string]string{"LANG": "fr_FR@euro"}, "", "fr"},
		{"language only", map[string]string{"LANG": "ru"}, "", "ru"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			if got := i18n.Choose(getenv, tt.site); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNumbersAndDates(t *testing.T) {
	tests := []struct {
		lang, number, date string
	}{
		{"en", "12,345", "2006-01-02"},
		{"fr", "12\u00a0345", "02/01/2006"},
		{"ru", "12\u00a0345", "02.01.2006"},
	}
	for _, tt := range tests {
		tr := i18n.New(tt.lang)
		if got := tr.Number(12345); got != tt.number {
			t.Errorf("%s: got %q, want %q", tt.lang, got, tt.number)
		}
		if got := tr.DateLayout(); got != tt.date {
			t.Errorf("%s: got %q, want %q", tt.lang, got, tt.date)
		}
	}
	if got := i18n.New("en").Number(-1234567); got != "-1,234,567" {
		t.Errorf("got %q", got)
	}
}

// TestTranslationFiles: every file loads (a key go-i18n reserves, such as
// "ID", would make a file a single message), and a text translated in two
// files is translated the same, since the last file read would win.
func TestTranslationFiles(t *testing.T) {
	if err := i18n.Check(); err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"fr", "ru"} {
		seen := map[string]string{}
		for _, name := range []string{"core", "frontdesk"} {
			b, err := fs.ReadFile(assets.Translations, "translations/"+name+"."+lang+".json")
			if err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(b, &m); err != nil {
				t.Fatalf("%s.%s.json: %v", name, lang, err)
			}
			for k, v := range m {
				s := fmt.Sprint(v)
				if was, ok := seen[k]; ok && was != s {
					t.Errorf("%s: %q is %q in one file and %q in another", lang, k, was, s)
				}
				seen[k] = s
			}
		}
	}
}

// TestActor: who made something is named in the language; an account's
// name stays as it is.
func TestActor(t *testing.T) {
	for _, tt := range []struct{ code, by, want string }{
		{"en", "command line (root)", "command line (root)"},
		{"fr", "command line (root)", "ligne de commande (root)"},
		{"ru", "command line (root)", "командная строка (root)"},
		{"ru", "system", "система"},
		{"fr", "device desk", "appareil desk"},
		{"ru", "claire", "claire"},
	} {
		if got := i18n.New(tt.code).Actor(tt.by); got != tt.want {
			t.Errorf("%s %q: got %q, want %q", tt.code, tt.by, got, tt.want)
		}
	}
}

// TestExplanationTimesInTheLanguage: a time a reason carries as core
// writes it in the site's zone (core.FormatLocal, the automatic
// check-out's) reads as the language writes dates; English keeps it.
func TestExplanationTimesInTheLanguage(t *testing.T) {
	r := core.NewReason(core.ReasonAutoCheckout, "person", "Paul Durand", "at", core.FormatLocal(time.Date(2026, 12, 2, 21, 0, 0, 0, time.UTC), time.UTC))
	for _, tt := range []struct{ lang, want string }{
		{"en", "(2026-12-02T21:00)"},
		{"fr", "(02/12/2026 21:00)"},
		{"ru", "(02.12.2026 21:00)"},
	} {
		if got := i18n.New(tt.lang).Reason(r); !strings.Contains(got, tt.want) || strings.Contains(got, "T21") && tt.lang != "en" {
			t.Errorf("%s: %q, want it to say %q", tt.lang, got, tt.want)
		}
	}
}
