package ui

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"frontdesk/assets"
)

// screenTexts returns the literal texts the screens pass to lang.L, by
// file, read from the package's source.
func screenTexts(t *testing.T) map[string]string {
	return firstLiterals(t, func(fun ast.Expr) bool {
		sel, ok := fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "L" {
			return false
		}
		id, ok := sel.X.(*ast.Ident)
		return ok && id.Name == "lang"
	})
}

// pluralKeys are the keys the screens pass to plural, by file.
func pluralKeys(t *testing.T) map[string]string {
	return firstLiterals(t, func(fun ast.Expr) bool {
		id, ok := fun.(*ast.Ident)
		return ok && id.Name == "plural"
	})
}

// firstLiterals returns, with where they are, the string literals the
// package's source (tests aside) passes first to the calls of the
// functions called matches.
func firstLiterals(t *testing.T, called func(ast.Expr) bool) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]string{}
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
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 || !called(call.Fun) {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if s, err := strconv.Unquote(lit.Value); err == nil {
					found[s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
	}
	return found
}

// TestEveryTextIsTranslated: each text of the screens has a French and a
// Russian translation, keeping its %-verbs. FRONTDESK_MISSING_TEXTS=FILE
// writes the missing ones as JSON, to translate.
func TestEveryTextIsTranslated(t *testing.T) {
	texts := screenTexts(t)
	if len(texts) < 20 {
		t.Fatalf("found only %d texts: the extraction is broken", len(texts))
	}
	missing := map[string]string{}
	for _, code := range []string{"fr", "ru"} {
		raw, err := os.ReadFile(filepath.Join("..", "assets", "translations", "frontdesk."+code+".json"))
		if err != nil {
			t.Fatal(err)
		}
		tr, err := translationStrings(raw)
		if err != nil {
			t.Fatalf("frontdesk.%s.json: %v", code, err)
		}
		var absent []string
		for text := range texts {
			got, ok := tr[text]
			if !ok || got == "" {
				absent = append(absent, text)
				missing[text] = ""
				continue
			}
			if verbs(got) != verbs(text) {
				t.Errorf("%s: %q → %q changes the %%-verbs", code, text, got)
			}
		}
		slices.Sort(absent)
		for _, text := range absent {
			t.Errorf("%s: no translation of %q (%s)", code, text, texts[text])
		}
	}
	if out := os.Getenv("FRONTDESK_MISSING_TEXTS"); out != "" && len(missing) > 0 {
		b, _ := json.MarshalIndent(missing, "", "  ")
		os.WriteFile(out, b, 0o644)
	}
}

// translationStrings are the texts of a translation file that translate
// one string; the plural messages (objects of forms) are left to
// TestPluralsTranslated.
func translationStrings(raw []byte) (map[string]string, error) {
	var all map[string]json.RawMessage
	if err := json.Unmarshal(raw, &all); err != nil {
		return nil, err
	}
	out := map[string]string{}
	for k, v := range all {
		var s string
		if json.Unmarshal(v, &s) == nil {
			out[k] = s
		}
	}
	return out, nil
}

// TestPluralsTranslated: each count the screens say has, in French and in
// Russian, every plural form the language's grammar has, each with the
// count; and a real localizer on the files says 1, 2, 5, 21 and 22 people
// as each language does.
func TestPluralsTranslated(t *testing.T) {
	keys := pluralKeys(t)
	if len(keys) < 2 {
		t.Fatalf("found only %d plural keys: the extraction is broken", len(keys))
	}
	forms := map[string][]string{"fr": {"one", "many", "other"}, "ru": {"one", "few", "many", "other"}}
	bundle := i18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	for code, need := range forms {
		raw, err := assets.Translations.ReadFile("translations/frontdesk." + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := bundle.ParseMessageFileBytes(raw, "frontdesk."+code+".json"); err != nil {
			t.Fatalf("%s: %v", code, err)
		}
		var all map[string]json.RawMessage
		if err := json.Unmarshal(raw, &all); err != nil {
			t.Fatal(err)
		}
		for key, where := range keys {
			var got map[string]string
			if err := json.Unmarshal(all[key], &got); err != nil {
				t.Errorf("%s: %q (%s) is not an object of plural forms: %v", code, key, where, err)
				continue
			}
			for _, form := range need {
				if !strings.Contains(got[form], "{{.Count}}") {
					t.Errorf("%s: %q (%s) has no %q form with {{.Count}}: %q", code, key, where, form, got[form])
				}
			}
		}
	}
	say := func(code string, n int) string {
		s, err := i18n.NewLocalizer(bundle, code).Localize(&i18n.LocalizeConfig{MessageID: "people.count", PluralCount: n,
			TemplateData: map[string]any{"Count": n}})
		if err != nil {
			t.Fatalf("%s %d: %v", code, n, err)
		}
		return s
	}
	for _, tc := range []struct {
		code string
		n    int
		want string
	}{
		{"ru", 1, "1 человек"}, {"ru", 2, "2 человека"}, {"ru", 5, "5 человек"}, {"ru", 21, "21 человек"},
		{"ru", 22, "22 человека"}, {"ru", 11, "11 человек"},
		{"fr", 0, "0 personne"}, {"fr", 1, "1 personne"}, {"fr", 2, "2 personnes"},
	} {
		if got := say(tc.code, tc.n); got != tc.want {
			t.Errorf("%s, %d people: %q, want %q", tc.code, tc.n, got, tc.want)
		}
	}
	// In English, the screens' own forms.
	if got := plural("people.count", "{{.Count}} person", "{{.Count}} people", 1); got != "1 person" {
		t.Errorf("English, 1: %q", got)
	}
	if got := plural("people.count", "{{.Count}} person", "{{.Count}} people", 3); got != "3 people" {
		t.Errorf("English, 3: %q", got)
	}
}

// verbs are the %-verbs of s, in order.
func verbs(s string) string {
	var out []string
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			out = append(out, s[i:i+2])
			i++
		}
	}
	return strings.Join(out, "")
}

// TestTranslationsLoad: the files parse as Fyne's translations (go-i18n
// refuses a file whose keys include its reserved words, such as "Id" or
// "Description", and then the whole language is lost).
func TestTranslationsLoad(t *testing.T) {
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		t.Fatalf("the translations do not load: %v", err)
	}
	for code := range map[string]bool{"fr": true, "ru": true} {
		raw, err := assets.Translations.ReadFile("translations/frontdesk." + code + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var tr map[string]any
		if err := json.Unmarshal(raw, &tr); err != nil {
			t.Fatal(err)
		}
		for k := range tr {
			switch strings.ToLower(k) {
			case "id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few", "many", "other":
				t.Errorf("%s: %q is a reserved word of the translation files: reword the text", code, k)
			}
		}
	}
}
