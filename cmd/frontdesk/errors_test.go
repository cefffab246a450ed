package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/constant"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/core/i18n"
)

// errorTexts returns every English text the command line's errors are
// worded from, read from the source: the formats of usagef and refusedf,
// the words of words(...) and the formats and keys of phrase literals
// and of the translator calls in errors.go (tr.F, tr.T with a constant).
// A new usage error is covered without anyone listing it.
func errorTexts(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}    // text → where
	consts := map[string]string{} // the string constants, by name
	str := func(e ast.Expr) (string, bool) {
		if id, ok := e.(*ast.Ident); ok {
			s, ok := consts[id.Name]
			return s, ok
		}
		// A constant string, concatenated or not.
		tv, err := types.Eval(fset, nil, token.NoPos, types.ExprString(e))
		if err != nil || tv.Value == nil || tv.Value.Kind() != constant.String {
			return "", false
		}
		return constant.StringVal(tv.Value), true
	}
	files := map[string]*ast.File{}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = f
		// The constants first: a text may be used before it is declared.
		ast.Inspect(f, func(n ast.Node) bool {
			if d, ok := n.(*ast.GenDecl); ok && d.Tok == token.CONST {
				for _, spec := range d.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, id := range vs.Names {
						if i < len(vs.Values) {
							if s, ok := str(vs.Values[i]); ok {
								consts[id.Name] = s
							}
						}
					}
				}
			}
			return true
		})
	}
	for name, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				var fn string
				switch c := n.Fun.(type) {
				case *ast.Ident:
					fn = c.Name
				case *ast.SelectorExpr:
					if x, ok := c.X.(*ast.Ident); ok && x.Name == "tr" && name == "errors.go" {
						fn = "tr." + c.Sel.Name
					}
				}
				arg := -1
				switch fn {
				case "usagef", "words", "tr.F", "tr.T":
					arg = 0
				case "refusedf":
					arg = 0
				}
				if arg >= 0 && len(n.Args) > arg {
					s, ok := str(n.Args[arg])
					switch {
					case ok && fn == "refusedf":
						out[core.ErrLogin.Error()+": "+s] = fset.Position(n.Pos()).String()
					case ok:
						out[s] = fset.Position(n.Pos()).String()
					case fn == "usagef" || fn == "refusedf":
						t.Errorf("%s: the format of %s is not a constant: its translation cannot be checked", fset.Position(n.Pos()), fn)
					}
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); !ok || id.Name != "phrase" {
					return true
				}
				for _, e := range n.Elts {
					kv, ok := e.(*ast.KeyValueExpr)
					if !ok {
						continue
					}
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "key" {
						if s, ok := str(kv.Value); ok {
							out[s] = fset.Position(n.Pos()).String()
						}
					}
					if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "format" && !hasKey(n) {
						if s, ok := str(kv.Value); ok {
							out[s] = fset.Position(n.Pos()).String()
						}
					}
				}
			}
			return true
		})
	}
	for _, f := range flagErrors {
		out[f.format] = "flagErrors"
	}
	// The reasons the flag package gives, and the sentences errorLines
	// knows of core's.
	for _, s := range sessionEndings {
		out[s] = "sessionEndings"
	}
	for _, s := range append([]string{"parse error", "value out of range", "an account name is required",
		i18n.LoginRefused, core.ErrLogin.Error()}, i18n.FileReasons...) {
		out[s] = "errors.go"
	}
	// The nouns of emptyValue: for each name a flag's usage gives its
	// value (`TIME`), and for none.
	usageNames := regexp.MustCompile("`([A-Z][A-Z0-9]*(?:[.:][A-Za-z0-9.]*)?)`")
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range append(usageNames.FindAllStringSubmatch(string(b), -1), []string{"", ""}) {
			noun := valueNoun("flag", m[1])
			key := noun.format
			if noun.key != "" {
				key = noun.key
			}
			out[key] = name + " (valueNoun)"
		}
	}
	if len(out) < 80 {
		t.Fatalf("found %d texts of errors: have usagef and words moved?", len(out))
	}
	return out
}

// hasKey reports whether a phrase literal names its key.
func hasKey(lit *ast.CompositeLit) bool {
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && k.Name == "key" {
				return true
			}
		}
	}
	return false
}

// TestEveryErrorIsTranslated: each text of the command line's errors
// has a French and a Russian translation, with the same values in the
// same order, so no usage error is left in English in another language.
func TestEveryErrorIsTranslated(t *testing.T) {
	for text, where := range errorTexts(t) {
		words := verbPattern.ReplaceAllString(text, "")
		words = namePattern.ReplaceAllString(words, "")
		if !strings.ContainsFunc(words, unicode.IsLetter) {
			continue // "%s%v", "--card: %v": values and names alone
		}
		for _, lang := range []string{"fr", "ru"} {
			tr := i18n.New(lang)
			got := tr.T(text)
			if !tr.Has(text) || got == text && lang == "ru" && !sameInRussian[text] {
				t.Errorf("%s: %q has no %s translation", where, text, lang)
				continue
			}
			if verbs(got) != verbs(text) {
				t.Errorf("%s: %s %q has the values %q, the English %q", where, lang, got, verbs(got), verbs(text))
			}
		}
	}
}

// sameInRussian are the texts Russian writes as English does.
var sameInRussian = map[string]bool{"sha256:...": true}

// verbPattern matches a format's verbs.
var verbPattern = regexp.MustCompile(`%[-+# 0-9.\[\]]*[a-zA-Z%]`)

// namePattern matches the names a text may keep in every language: a
// flag (--card), the command before a colon ("justif: ") and the name of
// a value in a command's usage (FILE, STATE).
var namePattern = regexp.MustCompile(`--?[a-z][a-z-]*|^[a-z-]+:|\b[A-Z]{2,}\b`)

// verbs are a format's verbs in order ("%s %d"), so that a translation
// takes the same values.
func verbs(format string) string {
	var out []string
	for i := 0; i < len(format); i++ {
		if format[i] != '%' || i+1 >= len(format) {
			continue
		}
		j := i + 1
		for j < len(format) && strings.IndexByte("+-# 0123456789.[]", format[j]) >= 0 {
			j++
		}
		if j < len(format) {
			if format[j] != '%' {
				out = append(out, format[i:j+1])
			}
			i = j
		}
	}
	return strings.Join(out, " ")
}

// failingRun is a command that fails, for TestErrorLinesInTheLanguage.
type failingRun struct {
	name string
	args []string
	// password is FRONTDESK_PASSWORD for a run with --user.
	password string
	// english is the error's English line, as it always read; kept are
	// the values and names each language keeps.
	english string
	kept    []string
}

// failingRuns are the errors people meet most on the command line; db
// is the database, whose accounts rita (a receptionist), mia (a
// manager) and bob (a boss, of lab) have the password "a long
// passphrase".
func failingRuns(db string) []failingRun {
	const pw = "a long passphrase"
	missing := filepath.Join(filepath.Dir(db), "missing.db")
	return []failingRun{
		{"unknown command", []string{"frobnicate"}, "",
			`unknown command "frobnicate": frontdesk help lists the commands`, []string{`"frobnicate"`, "frontdesk help"}},
		{"unknown subcommand", []string{"grant", "nope"}, "",
			`grant: unknown subcommand "nope": want add, list or revoke`, []string{"grant", `"nope"`, "add", "revoke"}},
		{"unknown flag", []string{"log", "--nope"}, "",
			"log: flag provided but not defined: -nope", []string{"log", "-nope"}},
		{"bad flag value", []string{"log", "--limit", "ten"}, "",
			`log: invalid value "ten" for flag -limit: parse error`, []string{"log", `"ten"`, "-limit"}},
		{"flag without its value", []string{"tap", "--reader", "--card", "em:01"}, "",
			"tap: flag needs an argument: -reader", []string{"tap", "-reader"}},
		{"empty value", []string{"log", "--from="}, "",
			"--from: time is empty", []string{"--from"}},
		{"missing flags", []string{"grant", "add", "--person", "ann"}, "",
			"grant add: --person, --door and --kind are required", []string{"grant add", "--person", "--door", "--kind"}},
		{"too many arguments", []string{"export", "extra"}, "",
			"export: wrong number of arguments: 1 given, want none (frontdesk export -h for help)", []string{"export", "1", "frontdesk export -h"}},
		{"bad time", []string{"log", "--from", "yesterday"}, "",
			`--from: time "yesterday": want 2026-11-24T09:00 (local), 2026-11-24T09:00:00+01:00 or 2026-11-24`, []string{"--from", "yesterday"}},
		{"bad date", []string{"timesheet", "--from", "2026-13-01", "--to", "2026-11-30"}, "",
			`--from: date "2026-13-01": month must be 01 to 12`, []string{"--from", "2026-13-01"}},
		{"bad state", []string{"attendance", "add", "--person", "ann", "--from", "2026-11-24", "--to", "2026-11-24", "--state", "weird"}, "",
			`--state: attendance state "weird": want present, late or absent`, []string{"--state", "weird"}},
		{"not found", []string{"grant", "revoke", "g999"}, "",
			`not found: no grant "g999"`, []string{"g999"}},
		{"forbidden", []string{"account", "list", "--user", "rita"}, pw,
			"forbidden: rita may not list accounts (needs accounts.edit)", []string{"rita", "(accounts.edit)"}},
		{"not one's door", []string{"grant", "add", "--user", "bob", "--person", "ann", "--door", "main", "--kind", "permanent"}, pw,
			"forbidden: bob does not own door main (grants.edit.own covers only one's own doors)", []string{"bob", "main", "grants.edit.own"}},
		{"wrong password", []string{"log", "--user", "mia"}, "not the password",
			"login refused: wrong username or password, or the account is locked or disabled", nil},
		{"no database", []string{"log", "--user", "mia", "--db", missing}, pw,
			"login refused: no database at " + missing, []string{missing}},
		{"no such file", []string{"import", missing + ".json"}, "",
			"open " + missing + ".json: no such file or directory", []string{missing + ".json"}},
		{"no database to read", []string{"log", "--db", missing}, "",
			"open database: " + missing + " does not exist", []string{missing}},
		{"period upside down", []string{"timesheet", "--from", "2026-11-30", "--to", "2026-11-01"}, "",
			"invalid: timesheet from 2026-11-30 to 2026-11-01: the end is before the start", []string{"2026-11-30", "2026-11-01"}},
		{"report without its door", []string{"report", "doorlog", "--out", missing + ".pdf", "--from", "2026-11-01", "--to", "2026-11-02"}, "",
			"invalid: the doorlog report needs --door or --person (or both)", []string{"doorlog", "--door", "--person"}},
		{"role in use", []string{"role", "delete", "receptionist"}, "",
			"conflict: role receptionist is in use by rita", []string{"receptionist", "rita"}},
		{"account exists", []string{"account", "add", "--username", "rita", "--roles", "receptionist"}, "",
			"conflict: account rita exists", []string{"rita"}},
	}
}

// cyrillic are the letters of Russian.
const cyrillic = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"

// TestErrorLinesInTheLanguage: the errors people meet most (usage
// mistakes, flags the flag package refuses, bad times and dates, a
// forbidden action, a refused login, an unknown command) are said in the
// run's language, with the same exit status as in English, the values
// and names kept; the English lines are as they always read. Then the
// same through a running service: the same lines, whose refusals came
// over the socket.
func TestErrorLinesInTheLanguage(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	db := newSite(t)
	t.Setenv("FRONTDESK_NEW_PASSWORD", "a long passphrase")
	mustCLI(t, db, "account", "add", "--username", "rita", "--roles", "receptionist")
	mustCLI(t, db, "account", "add", "--username", "mia", "--roles", "manager")
	mustCLI(t, db, "account", "add", "--username", "bob", "--person", "bob", "--roles", "boss")
	runs := failingRuns(db)
	type said struct {
		code int
		errs string
	}
	runAll := func(t *testing.T) map[string]said {
		t.Helper()
		got := map[string]said{}
		for _, lang := range []string{"C", "fr_FR.UTF-8", "ru_RU.UTF-8"} {
			t.Setenv("LC_ALL", lang)
			for _, r := range runs {
				t.Setenv("FRONTDESK_PASSWORD", r.password)
				on := db
				if slices.Contains(r.args, "--db") {
					on = "" // the run names its own
				}
				code, _, errs := cli(t, on, r.args...)
				got[lang+" "+r.name] = said{code, errs}
			}
		}
		return got
	}
	inProcess := runAll(t)
	for _, r := range runs {
		en := inProcess["C "+r.name]
		if want := "frontdesk: " + r.english + "\n"; en.errs != want {
			t.Errorf("%s: English %q, want %q", r.name, en.errs, want)
		}
		if en.code == 0 {
			t.Errorf("%s: exit 0", r.name)
		}
		for _, lang := range []string{"fr_FR.UTF-8", "ru_RU.UTF-8"} {
			got := inProcess[lang+" "+r.name]
			if got.code != en.code {
				t.Errorf("%s in %s: exit %d, in English %d", r.name, lang, got.code, en.code)
			}
			line := strings.TrimSuffix(got.errs, "\n")
			if !strings.HasPrefix(line, "frontdesk: ") || strings.Contains(line, "\n") {
				t.Errorf("%s in %s: %q is not one line", r.name, lang, got.errs)
			}
			if got.errs == en.errs {
				t.Errorf("%s in %s: in English: %q", r.name, lang, got.errs)
			}
			if strings.HasPrefix(lang, "ru") && !strings.ContainsAny(strings.ToLower(line), cyrillic) {
				t.Errorf("%s in %s: no Russian in %q", r.name, lang, line)
			}
			for _, k := range r.kept {
				if !strings.Contains(line, k) {
					t.Errorf("%s in %s: %q lost %q", r.name, lang, line, k)
				}
			}
		}
	}
	for _, tt := range []struct{ lang, want string }{
		{"fr_FR.UTF-8", "frontdesk: interdit : « rita » n'a pas le droit de : créer et modifier les comptes du personnel (accounts.edit)\n"},
		{"ru_RU.UTF-8", "frontdesk: запрещено: у «rita» нет права: "},
	} {
		if got := inProcess[tt.lang+" forbidden"].errs; !strings.HasPrefix(got, tt.want) {
			t.Errorf("forbidden in %s: got %q, want %q", tt.lang, got, tt.want)
		}
	}

	serve := startServe(t, db)
	waitService(t, db, serve)
	through := runAll(t)
	for key, want := range inProcess {
		if got := through[key]; got != want {
			t.Errorf("%s through the service: exit %d %q, in process exit %d %q", key, got.code, got.errs, want.code, want.errs)
		}
	}
	stopServe(t, serve)
}

// TestFlagErrorsSaid: each error the flag package gives is worded in
// French and Russian with the flag's name and value kept, and stays as
// the package said it in English.
func TestFlagErrorsSaid(t *testing.T) {
	tests := []struct {
		args []string
		kept []string
	}{
		{[]string{"-nope"}, []string{"-nope"}},
		{[]string{"-limit", "ten"}, []string{`"ten"`, "-limit"}},
		{[]string{"-limit", "99999999999999999999"}, []string{`"99999999999999999999"`, "-limit"}},
		{[]string{"-json=maybe"}, []string{`"maybe"`, "-json"}},
		{[]string{"---x"}, []string{"---x"}},
		{[]string{"-limit"}, []string{"-limit"}},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("log", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.Int("limit", 0, "")
		fs.Bool("json", false, "")
		err := fs.Parse(tt.args)
		if err == nil {
			t.Fatalf("%v: parsed", tt.args)
		}
		said := flagError(err)
		if said.Error() != err.Error() {
			t.Errorf("%v: English %q, the flag package's %q", tt.args, said.Error(), err)
		}
		for _, lang := range []string{"en", "fr", "ru"} {
			line := errorLines(said, i18n.New(lang))[0]
			if lang == "en" {
				if line != err.Error() {
					t.Errorf("%v: English %q, want %q", tt.args, line, err)
				}
				continue
			}
			if line == err.Error() || lang == "ru" && !strings.ContainsAny(line, cyrillic) {
				t.Errorf("%v in %s: %q is not in the language", tt.args, lang, line)
			}
			for _, k := range tt.kept {
				if !strings.Contains(line, k) {
					t.Errorf("%v in %s: %q lost %q", tt.args, lang, line, k)
				}
			}
		}
	}
}

// TestTooManyLoginsSaid: the service's refusal of a login after too many
// failures from an address is said in the language with the address and
// the wait it gives.
func TestTooManyLoginsSaid(t *testing.T) {
	err := error(&httpapi.Error{Kind: httpapi.KindTooMany,
		Message: "login refused: too many failed logins from 192.0.2.7; wait 5m0s",
		Args:    map[string]string{"address": "192.0.2.7", "wait": "5m0s"}})
	if got := errorLines(err, i18n.New("en")); got[0] != err.Error() {
		t.Errorf("English: got %q, want %q", got[0], err)
	}
	for _, lang := range []string{"fr", "ru"} {
		got := errorLines(err, i18n.New(lang))[0]
		if got == err.Error() || !strings.Contains(got, "192.0.2.7") || !strings.Contains(got, "5m0s") {
			t.Errorf("%s: got %q, want the address and the wait in the language", lang, got)
		}
	}
}

// TestSessionEndedInTheLanguage: the service's refusal of a call whose
// session ended, or that has none, reads in the run's language by the
// code its answer gives, the idle timeout kept; the English line is the
// service's own.
func TestSessionEndedInTheLanguage(t *testing.T) {
	for _, tt := range []struct {
		args  map[string]string
		value string
	}{
		{map[string]string{"login": "required"}, "--user"},
		{map[string]string{"ended": "logged_out"}, ""},
		{map[string]string{"ended": "idle", "idle": "15m0s"}, "15m0s"},
		{map[string]string{"ended": "account"}, ""},
		{map[string]string{"ended": "password"}, ""},
	} {
		answer := &httpapi.Error{Kind: httpapi.KindNoSession, Message: "unauthorized: something English", Args: tt.args}
		err := fmt.Errorf("log: %w", answer)
		if got := errorLines(err, i18n.New("en")); len(got) != 1 || got[0] != err.Error() {
			t.Errorf("%v in English: %q, want %q", tt.args, got, err.Error())
		}
		for _, code := range []string{"fr", "ru"} {
			got := errorLines(err, i18n.New(code))
			if len(got) != 1 || strings.Contains(got[0], "unauthorized") || strings.Contains(got[0], "session ended") ||
				!strings.HasPrefix(got[0], "log: ") || !strings.Contains(got[0], tt.value) {
				t.Errorf("%v in %s: %q", tt.args, code, got)
			}
		}
	}
}
