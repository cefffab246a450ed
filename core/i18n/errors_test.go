package i18n_test

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"frontdesk/core"
	"frontdesk/core/i18n"
)

// TestSayingKeysAreTranslated: every text Saying translates (the
// literal of each t.F and t.T in errors.go, the refused login's
// sentence and the file reasons) has a French and a Russian translation,
// read from the source so that a new error is covered without anyone
// listing it.
func TestSayingKeysAreTranslated(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "errors.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{i18n.LoginRefused: "LoginRefused", core.ErrLogin.Error(): "ErrLogin"}
	for _, r := range i18n.FileReasons {
		keys[r] = "FileReasons"
	}
	literals := 0
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || len(call.Args) == 0 || sel.Sel.Name != "F" && sel.Sel.Name != "T" {
			return true
		}
		if lit, ok := call.Args[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			s, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			keys[s] = fset.Position(call.Pos()).String()
			literals++
		}
		return true
	})
	if literals < 6 {
		t.Fatalf("found %d texts in errors.go: has Saying moved?", literals)
	}
	for _, code := range []string{"fr", "ru"} {
		tr := i18n.New(code)
		for key, where := range keys {
			if !tr.Has(key) {
				t.Errorf("%s: %q has no %s translation", where, key, code)
			}
		}
		for _, sentinel := range []error{core.ErrInvalid, core.ErrConflict, core.ErrNotFound} {
			if key := sentinel.Error() + ": %s"; !tr.Has(key) {
				t.Errorf("%q (a phrase's sentinel) has no %s translation", key, code)
			}
		}
	}
}

// TestSaying: each error Saying knows is found inside the context a
// caller wrapped it in, its English is the error's own text, and in
// French and Russian it is said with its values and without the
// English sentence.
func TestSaying(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		values []string
	}{
		{"forbidden", core.ForbiddenError{Actor: "account:ann", Permission: core.PermDoorsLockdown, What: "lock down the doors"}, []string{"ann", string(core.PermDoorsLockdown)}},
		{"forbidden door", core.ForbiddenError{Actor: "account:bob", Permission: core.PermGrantsEditOwn, Door: "lab"}, []string{"bob", "lab"}},
		{"not found", &core.NotFoundError{What: "person", ID: "Paul"}, []string{"Paul"}},
		{"central", &core.CentralError{Kind: core.KindPerson, ID: "p1", Central: "hq"}, []string{"p1", "hq"}},
		{"central unknown", &core.CentralError{Kind: core.KindPerson, ID: "p1"}, []string{"p1"}},
		{"site own", &core.SiteOwnError{Kind: core.KindDoor, ID: "d9", Site: "lyon"}, []string{"d9", "lyon"}},
		{"site own here", &core.SiteOwnError{Kind: core.KindDevice, ID: "r1", Site: "lyon", Here: "hq"}, []string{"r1", "lyon", "hq"}},
		{"login", fmt.Errorf("%w: wrong username or password, or the account is locked or disabled", core.ErrLogin), nil},
		{"file", &fs.PathError{Op: "open", Path: "/tmp/x.pdf", Err: fs.ErrPermission}, []string{"/tmp/x.pdf"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wrapped := fmt.Errorf("make the muster list: %w", c.err)
			say, said := i18n.Saying(wrapped)
			if said == nil {
				t.Fatalf("Saying(%v) found nothing", wrapped)
			}
			if !strings.HasSuffix(wrapped.Error(), said.Error()) {
				t.Errorf("said %q is not the end of %q", said, wrapped)
			}
			if got := say(i18n.New("en")); c.name != "login" && got == "" {
				t.Errorf("English says nothing")
			}
			for _, code := range []string{"fr", "ru"} {
				got := say(i18n.New(code))
				if got == said.Error() || strings.Contains(got, said.Error()) {
					t.Errorf("%s: %q is the English", code, got)
				}
				for _, v := range c.values {
					if !strings.Contains(got, v) {
						t.Errorf("%s: %q lacks %q", code, got, v)
					}
				}
			}
		})
	}
	if say, said := i18n.Saying(errors.New("disk full")); said != nil || say != nil {
		t.Errorf("an error of no kind was said: %v", said)
	}
}
