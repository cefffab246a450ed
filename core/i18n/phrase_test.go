package i18n_test

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// phraseFormats returns the format of every phrasef call in core, as a
// core.PhraseError keeps it (the key of its translations), with where
// it is; read from the source, so a new error is covered without anyone
// listing it.
func phraseFormats(t *testing.T) map[string]string {
	t.Helper()
	names, err := filepath.Glob("../*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	out := map[string]string{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "phrasef" || len(call.Args) < 2 {
				return true
			}
			lit, ok := call.Args[1].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: the format of phrasef is not a literal: its translation cannot be checked", fset.Position(call.Pos()))
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			out[core.PhraseFormat(s)] = fset.Position(call.Pos()).String()
			return true
		})
	}
	if len(out) < 40 {
		t.Fatalf("found %d formats of phrasef: has it moved?", len(out))
	}
	return out
}

// phraseWords are the English words given as word(...) to phrasef: the
// nouns of the kinds DeleteObject deletes and the records a person may
// have.
var phraseWords = []string{"zone", "door", "device", "schedule", "shift", "access level", "department",
	"person", "role", "account", "holiday", "attendance", "justifications", "balance adjustments"}

// TestEveryPhraseIsTranslated: every sentence of the engine's errors
// made by phrasef, its sentinels and its words have a French and a
// Russian translation taking the same values in the same order, so that
// no error of the engine is left in English in another language.
func TestEveryPhraseIsTranslated(t *testing.T) {
	texts := phraseFormats(t)
	for _, s := range []string{"invalid: %s", "conflict: %s", "not found: %s"} {
		texts[s] = "the sentinels"
	}
	for _, w := range phraseWords {
		texts[w] = "the words"
	}
	for text, where := range texts {
		for _, lang := range []string{"fr", "ru"} {
			tr := i18n.New(lang)
			got := tr.T(text)
			if !tr.Has(text) || got == text && lang == "ru" {
				t.Errorf("%s: %q has no %s translation", where, text, lang)
				continue
			}
			if verbsOf(got) != verbsOf(text) {
				t.Errorf("%s: %s %q has the values %q, the English %q", where, lang, got, verbsOf(got), verbsOf(text))
			}
		}
	}
}

// verbsOf are a format's verbs in order.
func verbsOf(format string) string {
	var out []string
	for i := 0; i < len(format)-1; i++ {
		if format[i] == '%' {
			if format[i+1] != '%' {
				out = append(out, format[i:i+2])
			}
			i++
		}
	}
	return strings.Join(out, " ")
}

// TestPhraseError: a PhraseError's English text is the sentinel's and
// the sentence fmt.Sprintf makes, it matches its sentinel, and another
// language says its sentence with the values kept and its words
// translated.
func TestPhraseError(t *testing.T) {
	e := &core.PhraseError{Err: core.ErrConflict, Format: "%s %s is used by %s", Args: []string{"door", "main", "door-level"}, Words: []int{0}}
	if got, want := e.Error(), "conflict: door main is used by door-level"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if !errors.Is(e, core.ErrConflict) {
		t.Errorf("got %v not a conflict, want one", e)
	}
	if got := i18n.New("en").Phrase(e); got != "door main is used by door-level" {
		t.Errorf("English: got %q", got)
	}
	for _, lang := range []string{"fr", "ru"} {
		got := i18n.New(lang).Phrase(e)
		if strings.Contains(got, "door ") || !strings.Contains(got, "main") || !strings.Contains(got, "door-level") {
			t.Errorf("%s: got %q, want the word translated and the values kept", lang, got)
		}
	}
}
