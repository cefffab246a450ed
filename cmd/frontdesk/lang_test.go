package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdesk/core/i18n"
)

// TestLogLanguage: `log` writes explanations in the language of its
// locale when it is one of ours, else in the site's, else in English;
// --json keeps the code and the English explanation whatever the
// language.
func TestLogLanguage(t *testing.T) {
	db := newSite(t)
	mustCLI(t, db, "tap", "--reader", "lab-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:01")
	const (
		en = "no access level or grant of Ann Martin covers Lab"
		fr = "aucun niveau d'accès ni aucune autorisation de Ann Martin ne couvre Lab"
		ru = "ни уровни доступа, ни разрешения Ann Martin не открывают дверь Lab"
	)
	siteLanguage := func(code string) {
		t.Helper()
		f := filepath.Join(t.TempDir(), "site.json")
		if err := os.WriteFile(f, []byte(`{"site": {"language": "`+code+`"}}`), 0o600); err != nil {
			t.Fatal(err)
		}
		mustCLI(t, db, "import", f)
	}
	tests := []struct {
		name               string
		lcAll, lcMsg, lang string
		site               string
		want               string
	}{
		{"LANG French", "", "", "fr_FR.UTF-8", "", fr},
		{"LC_ALL over LANG", "ru_RU.UTF-8", "", "fr_FR.UTF-8", "", ru},
		{"LC_MESSAGES over LANG", "", "fr_BE.UTF-8", "ru_RU.UTF-8", "", fr},
		{"unknown language: English without a site setting", "", "", "de_DE.UTF-8", "", en},
		{"unknown language: the site's", "", "", "de_DE.UTF-8", "ru", ru},
		{"C: the site's", "", "", "C", "fr", fr},
		{"the locale over the site's", "", "", "ru_RU.UTF-8", "fr", ru},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("LC_ALL", tt.lcAll)
			t.Setenv("LC_MESSAGES", tt.lcMsg)
			t.Setenv("LANG", tt.lang)
			siteLanguage(tt.site)
			if out := mustCLI(t, db, "log"); !strings.Contains(out, tt.want) {
				t.Errorf("got %q, want %q in it", out, tt.want)
			}
		})
	}

	t.Setenv("LC_ALL", "fr_FR.UTF-8")
	var got []struct {
		Explanation string `json:"explanation"`
		Reason      struct {
			Code string            `json:"code"`
			Args map[string]string `json:"args"`
		} `json:"reason"`
	}
	out := mustCLI(t, db, "log", "--json")
	if err := json.Unmarshal([]byte(out), &got); err != nil || len(got) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	if got[0].Explanation != en || got[0].Reason.Code != "no_access" || got[0].Reason.Args["door"] != "Lab" {
		t.Errorf("--json: got %+v, want the English explanation and the code no_access", got[0])
	}
}

// TestSiteLanguageChecked: a language Frontdesk does not speak is
// refused and changes nothing.
func TestSiteLanguageChecked(t *testing.T) {
	db := newSite(t)
	f := filepath.Join(t.TempDir(), "site.json")
	if err := os.WriteFile(f, []byte(`{"site": {"language": "de", "name": "Other"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := cli(t, db, "import", f)
	if code == 0 || !strings.Contains(errs, "site.language") {
		t.Fatalf("got exit %d, %q; want an error naming site.language", code, errs)
	}
	if out := mustCLI(t, db, "export"); strings.Contains(out, `"Other"`) || strings.Contains(out, `"language"`) {
		t.Errorf("the refused file changed the site: %s", out)
	}
}

// TestTableHeadersInTheLanguage: the tables' headers and statuses follow
// the command's language.
func TestTableHeadersInTheLanguage(t *testing.T) {
	db := newSite(t)
	mustCLI(t, db, "tap", "--reader", "main-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:00")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "fr_FR.UTF-8")
	out := mustCLI(t, db, "timesheet", "--from", "2026-11-24", "--to", "2026-11-24")
	for _, want := range []string{"personne", "statut", "départ anticipé", "total"} {
		if !strings.Contains(out, want) {
			t.Errorf("timesheet: %q not in\n%s", want, out)
		}
	}
	for _, english := range []string{"status", "early leave", "scheduled"} {
		if strings.Contains(out, english) {
			t.Errorf("timesheet: English %q left in\n%s", english, out)
		}
	}
}

// TestLoginHintTranslated: the demo's login hint, which the window
// translates, has French and Russian.
func TestLoginHintTranslated(t *testing.T) {
	for _, lang := range []string{"fr", "ru"} {
		if tr := i18n.New(lang); !tr.Has(demoLoginHint) || tr.T(demoLoginHint) == demoLoginHint {
			t.Errorf("%s: no translation of the login hint", lang)
		}
	}
}

// TestResultsInTheLanguage: what a command says when it is done, the
// log's results and the devices table are in the run's language; the
// English words of each line are gone in French and Russian.
func TestResultsInTheLanguage(t *testing.T) {
	db := newSite(t)
	mustCLI(t, db, "tap", "--reader", "lab-in", "--card", "em:0102B0A5FD", "--at", "2026-11-24T09:01")
	dir := t.TempDir()
	n := 0
	type step struct {
		args    func() []string
		english []string // words of the English line that must be gone
	}
	var grant string
	steps := []step{
		{func() []string { return []string{"import", "testdata/site.json"} }, []string{"imported", "people", "doors"}},
		{func() []string { return []string{"log"} }, []string{"denied_no_access"}},
		{func() []string {
			return []string{"grant", "add", "--person", "ann", "--door", "lab", "--kind", "permanent"}
		}, nil},
		{func() []string { return []string{"grant", "revoke", grant} }, []string{"revoked"}},
		{func() []string { n++; return []string{"backup", filepath.Join(dir, fmt.Sprint("b", n, ".db"))} }, []string{"backup written"}},
		{func() []string { return []string{"verify"} }, []string{"events", "cards", "hash chains intact"}},
		{func() []string { return []string{"devices"} }, []string{"Serial ports", "USB devices", "Configured devices"}},
		{func() []string { return []string{"close-day"} }, []string{"nobody to check out"}},
	}
	for _, lang := range []struct{ locale, letters string }{
		{"fr_FR.UTF-8", "éèàùç"}, {"ru_RU.UTF-8", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"},
	} {
		t.Run(lang.locale, func(t *testing.T) {
			t.Setenv("LC_ALL", lang.locale)
			for _, s := range steps {
				args := s.args()
				out := mustCLI(t, db, args...)
				if args[0] == "grant" && args[1] == "add" {
					grant = strings.TrimSpace(out)
					continue
				}
				for _, w := range s.english {
					if strings.Contains(out, w) {
						t.Errorf("%s: English %q left in %q", args[0], w, out)
					}
				}
				if !strings.ContainsAny(strings.ToLower(out), lang.letters) {
					t.Errorf("%s: nothing in the language in %q", args[0], out)
				}
			}
		})
	}
}

// TestErrorsInTheLanguage: a command refused for bad input says each
// problem on a line of its own, after the JSON path or field it names,
// in the run's language (the locale's, else the site's), with the same
// exit status in every language, and changes nothing.
func TestErrorsInTheLanguage(t *testing.T) {
	db := newSite(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(`{"site":{"timezone":"Europe/Nowhere"},"doors":[{"id":"d 1","owners":["nobody"]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("FRONTDESK_NEW_PASSWORD", "12")
	cases := []struct {
		args  []string
		paths []string // the fields or paths named, one a line
	}{
		{[]string{"import", bad}, []string{"doors[0].id", "doors[0].name", "site.timezone"}},
		{[]string{"grant", "add", "--person", "Paul", "--door", "front", "--kind", "permanent"}, []string{"person", "door"}},
		{[]string{"account", "add", "--username", "a b", "--roles", "nope"}, []string{"username", "password", "roles"}},
	}
	before := mustCLI(t, db, "export")
	english := map[string][]string{}
	codes := map[string]int{}
	// letters: some letter of the language is in each line ("" for
	// French, whose sentences may have no accent: not English suffices).
	for _, lang := range []struct {
		locale, letters string
		english         bool
	}{
		{"C", "", true}, {"fr_FR.UTF-8", "", false}, {"ru_RU.UTF-8", "абвгдеёжзийклмнопрстуфхцчшщъыьэюя", false},
	} {
		t.Run(lang.locale, func(t *testing.T) {
			t.Setenv("LC_ALL", lang.locale)
			for _, c := range cases {
				code, _, errs := cli(t, db, c.args...)
				lines := strings.Split(strings.TrimSuffix(errs, "\n"), "\n")
				key := strings.Join(c.args, " ")
				if lang.english {
					english[key], codes[key] = lines, code
				} else if code != codes[key] {
					t.Errorf("%s: exit %d, in English %d", key, code, codes[key])
				}
				if len(lines) != len(c.paths) {
					t.Errorf("%s: %d lines, want one for each of %v:\n%s", key, len(lines), c.paths, errs)
					continue
				}
				for i, line := range lines {
					if !strings.HasPrefix(line, "frontdesk: ") || !strings.Contains(line, " "+c.paths[i]+": ") {
						t.Errorf("%s: line %d %q does not name %s", key, i, line, c.paths[i])
					}
					if lang.english {
						continue
					}
					if line == english[key][i] {
						t.Errorf("%s: line %d in English: %q", key, i, line)
					}
					if lang.letters != "" && !strings.ContainsAny(strings.ToLower(line), lang.letters) {
						t.Errorf("%s: nothing in the language in %q", key, line)
					}
				}
			}
		})
	}
	if after := mustCLI(t, db, "export"); after != before {
		t.Error("a refused command changed the site")
	}
	// With no locale of ours, the site's language.
	t.Setenv("LC_ALL", "C")
	site := strings.Replace(before, `"timezone"`, `"language": "fr", "timezone"`, 1)
	file := filepath.Join(dir, "fr.json")
	if err := os.WriteFile(file, []byte(site), 0o600); err != nil {
		t.Fatal(err)
	}
	mustCLI(t, db, "import", file)
	_, _, errs := cli(t, db, "grant", "add", "--person", "Paul", "--door", "front", "--kind", "permanent")
	if !strings.Contains(errs, "person: personne ne s'appelle « Paul »") {
		t.Errorf("with the site in French and no locale: %q", errs)
	}
}
