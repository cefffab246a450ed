package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"frontdesk/core"
	"frontdesk/core/i18n"
	"frontdesk/storage"
	"frontdesk/storage/storagetest"
)

// verifyFormats returns the format of every problem storage's
// verification can find, as its Finding keeps it (the key of its
// translations), with where it is: the literal given to findingf, and
// to the problem methods (the page scan's with its prefix). Read from
// the source, so that a new problem is covered without anyone listing
// it.
func verifyFormats(t *testing.T) map[string]string {
	t.Helper()
	names, err := filepath.Glob("../../storage/*.go")
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
			if !ok || len(call.Args) == 0 {
				return true
			}
			prefix := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				if fn.Name != "findingf" {
					return true
				}
			case *ast.SelectorExpr:
				x, ok := fn.X.(*ast.Ident)
				if !ok || fn.Sel.Name != "problem" || x.Name != "s" && x.Name != "c" {
					return true
				}
				if x.Name == "s" {
					prefix = "page structure: "
				}
			default:
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				if passesFormat(call.Args[0]) {
					return true // a problem method passing on its own format
				}
				t.Errorf("%s: a problem's format is not a literal: its translation cannot be checked", fset.Position(call.Pos()))
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			out[core.PhraseFormat(prefix+s)] = fset.Position(call.Pos()).String()
			return true
		})
	}
	if len(out) < 50 {
		t.Fatalf("found %d problems of the verification: have they moved?", len(out))
	}
	return out
}

// passesFormat reports whether e is made of the identifier format: a
// function passing its own format on ("page structure: "+format).
func passesFormat(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name == "format"
	case *ast.BinaryExpr:
		return passesFormat(e.X) || passesFormat(e.Y)
	}
	return false
}

// TestVerifyLinesAreTranslated: every problem `verify` can print has a
// French and a Russian sentence taking the same values, so that a damaged
// file is described in the run's language.
func TestVerifyLinesAreTranslated(t *testing.T) {
	formats := verifyFormats(t)
	for _, code := range []string{"fr", "ru"} {
		tr := i18n.New(code)
		for format, where := range formats {
			if format == "%s" {
				continue // another error's text, said as it is
			}
			if !tr.Has(format) {
				t.Errorf("%s: %q has no %s translation", where, format, code)
				continue
			}
			if got, want := strings.Count(tr.T(format), "%"), strings.Count(format, "%"); got != want {
				t.Errorf("%s: %q in %s takes %d values, want %d", where, format, code, got, want)
			}
		}
	}
	// The reasons a meta page is unreadable, said with its line.
	for _, code := range []string{"fr", "ru"} {
		for _, reason := range []string{"cut short", "not a bbolt meta page", "checksum does not match"} {
			if !i18n.New(code).Has(reason) {
				t.Errorf("the meta page reason %q has no %s translation", reason, code)
			}
		}
	}
	// A line is said with its values, and the English stays as it was.
	rep := storage.Report{Problems: []string{"event 12: prev_hash does not match event 11"},
		Found: []storage.Finding{{Format: "event %s: prev_hash does not match event %s", Args: []string{"12", "11"}}}}
	if got := problemLine(rep, 0, i18n.New("en")); got != rep.Problems[0] {
		t.Errorf("English line %q, want %q", got, rep.Problems[0])
	}
	for _, code := range []string{"fr", "ru"} {
		got := problemLine(rep, 0, i18n.New(code))
		if got == rep.Problems[0] || !strings.Contains(got, "12") || !strings.Contains(got, "11") || strings.Contains(got, "does not match") {
			t.Errorf("%s line %q", code, got)
		}
	}
}

// TestDamageSaidInTheLanguage: `verify` on a damaged file lists the same
// problems in French and Russian as in English, a line each, each said
// in the language with its values (the event's number) kept.
func TestDamageSaidInTheLanguage(t *testing.T) {
	sound, err := damageFixture()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	soundPath := filepath.Join(dir, "sound.db")
	if err := os.WriteFile(soundPath, sound, 0o600); err != nil {
		t.Fatal(err)
	}
	pages, err := storagetest.ReadPages(soundPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range damages() {
		if d.name != "one event's record" && d.name != "meta page 0" {
			continue
		}
		t.Run(d.name, func(t *testing.T) {
			damaged := d.apply(t, sound, pages)
			lines := map[string][]string{}
			for _, locale := range []string{"en_US.UTF-8", "fr_FR.UTF-8", "ru_RU.UTF-8"} {
				t.Setenv("LC_ALL", locale)
				db := filepath.Join(t.TempDir(), "frontdesk.db")
				if err := os.WriteFile(db, damaged, 0o600); err != nil {
					t.Fatal(err)
				}
				o := runContained(t, []string{"verify", "--db", db})
				if o.code != 3 {
					t.Fatalf("%s: exit %d (%s), want 3", locale, o.code, o.stderr)
				}
				lines[locale[:2]] = strings.Split(strings.TrimSpace(o.stdout), "\n")
				if locale[:2] == "en" && !strings.Contains(o.stdout+o.stderr, d.message) {
					t.Fatalf("English run said %q %q, want %q", o.stdout, o.stderr, d.message)
				}
			}
			t.Logf("%q", lines)
			en := lines["en"]
			for _, code := range []string{"fr", "ru"} {
				if len(lines[code]) != len(en) {
					t.Fatalf("%s: %d lines %q, English has %d", code, len(lines[code]), lines[code], len(en))
				}
				for i, line := range lines[code] {
					if line == en[i] {
						t.Errorf("%s: line %d is the English %q", code, i, line)
					}
					for _, n := range strings.FieldsFunc(en[i], func(r rune) bool { return r < '0' || r > '9' }) {
						if !strings.Contains(line, n) {
							t.Errorf("%s: line %q lacks %s of %q", code, line, n, en[i])
						}
					}
				}
			}
		})
	}
}
