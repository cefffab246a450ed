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

	"frontdesk/assets"
)

// screenTexts returns the literal texts the screens pass to lang.L, by
// file, read from the package's source.
func screenTexts(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	texts := map[string]string{}
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
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "L" {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "lang" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
				s, err := strconv.Unquote(lit.Value)
				if err == nil {
					texts[s] = fset.Position(lit.Pos()).String()
				}
			}
			return true
		})
	}
	return texts
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
		var tr map[string]string
		if err := json.Unmarshal(raw, &tr); err != nil {
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
