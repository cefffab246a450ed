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
