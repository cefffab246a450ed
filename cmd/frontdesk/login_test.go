package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"frontdesk/core"
)

// subcommands lists every command dispatch runs, read from this
// package's source so that a command added later is in the list without
// anyone thinking of it: the cases of dispatch's switch, and for a
// command whose method switches on args[0] (grant, account, ...), each of
// those cases. help is left out: it only prints the usage.
func subcommands(t *testing.T) [][]string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]*ast.FuncDecl{}
	for _, en := range entries {
		if !strings.HasSuffix(en.Name(), ".go") || strings.HasSuffix(en.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, en.Name(), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				funcs[fd.Name.Name] = fd
			}
		}
	}
	// cases returns the string cases of the first switch in fn whose tag
	// satisfies tag, each with the method of *command its body calls.
	cases := func(fn *ast.FuncDecl, tag func(ast.Expr) bool) map[string]string {
		out := map[string]string{}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			sw, ok := n.(*ast.SwitchStmt)
			if !ok || len(out) > 0 || sw.Tag == nil || !tag(sw.Tag) {
				return true
			}
			for _, s := range sw.Body.List {
				cc := s.(*ast.CaseClause)
				method := ""
				ast.Inspect(cc, func(n ast.Node) bool {
					if call, ok := n.(*ast.CallExpr); ok && method == "" {
						if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
							if x, ok := sel.X.(*ast.Ident); ok && x.Name == "c" {
								method = sel.Sel.Name
							}
						}
					}
					return true
				})
				for _, e := range cc.List {
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						out[v] = method
					}
				}
			}
			return false
		})
		return out
	}
	isIdent := func(name string) func(ast.Expr) bool {
		return func(e ast.Expr) bool { id, ok := e.(*ast.Ident); return ok && id.Name == name }
	}
	isArgs0 := func(e ast.Expr) bool {
		ix, ok := e.(*ast.IndexExpr)
		if !ok {
			return false
		}
		lit, ok := ix.Index.(*ast.BasicLit)
		return ok && lit.Value == "0" && isIdent("args")(ix.X)
	}
	dispatch, ok := funcs["dispatch"]
	if !ok {
		t.Fatal("no func dispatch in package main")
	}
	var out [][]string
	for name, method := range cases(dispatch, isIdent("name")) {
		if name == "help" || strings.HasPrefix(name, "-") {
			continue
		}
		subs := map[string]string{}
		if fn, ok := funcs[method]; ok {
			subs = cases(fn, isArgs0)
		}
		if len(subs) == 0 {
			out = append(out, []string{name})
		}
		for sub := range subs {
			out = append(out, []string{name, sub})
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(strings.Join(a, " "), strings.Join(b, " ")) })
	return out
}

// dbState is what a command may change in the database, but for the
// record of failed logins: the site as exported (accounts without their
// failed logins), the events and the audit trail.
func dbState(t *testing.T, db string) string {
	t.Helper()
	m := &Main{DBPath: db}
	if err := m.Open(); err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	cl := core.CommandLine("test")
	f, err := m.Engine.Export(cl)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := core.WriteSiteFile(&b, f); err != nil {
		t.Fatal(err)
	}
	if err := m.Engine.Events(cl, core.EventQuery{}, func(ev core.Event) error {
		fmt.Fprintf(&b, "event %d %s\n", ev.Seq, ev.Hash)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := m.Engine.Audit(cl, core.AuditQuery{}, func(a core.AuditEntry) error {
		if !strings.HasPrefix(a.Action, "login.") {
			fmt.Fprintf(&b, "audit %s %s %s\n", a.Action, a.Object, a.After)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestEveryCommandLogsIn: every subcommand, run with --user and a wrong
// password, is refused with exit status 4 and "login refused" before it
// does anything, for an account that exists and for one that does not,
// with one key derivation each.
func TestEveryCommandLogsIn(t *testing.T) {
	db := newSite(t)
	t.Setenv("FRONTDESK_NEW_PASSWORD", bobPassword)
	mustCLI(t, db, "account", "add", "--username", "desk", "--roles", "receptionist")
	t.Setenv("FRONTDESK_PASSWORD", "not the password")
	cmds := subcommands(t)
	for _, must := range [][]string{{"serve"}, {"devices"}, {"import"}, {"account", "set-roles"}, {"role", "set"}, {"grant", "add"}} {
		if !slices.ContainsFunc(cmds, func(c []string) bool { return slices.Equal(c, must) }) {
			t.Fatalf("the commands read from dispatch %q lack %q", cmds, must)
		}
	}
	before := dbState(t, db)
	for i, cmd := range cmds {
		// Each command once, as the account or as a name no account has.
		user := "desk"
		if i%2 == 1 {
			user = "ghost"
		}
		name := strings.Join(cmd, " ") + " as " + user
		keys := core.KeyDerivations()
		code, out, errs := cli(t, db, append(slices.Clone(cmd), "--user", user)...)
		if code != 4 || !strings.Contains(errs, "login refused") || out != "" {
			t.Errorf("%s with a wrong password: exit %d, out %q, err %q; want 4 and login refused", name, code, out, errs)
		}
		if n := core.KeyDerivations() - keys; n != 1 {
			t.Errorf("%s: %d key derivations, want 1", name, n)
		}
	}
	if after := dbState(t, db); after != before {
		t.Errorf("refused commands changed the database:\n%s\nwas\n%s", after, before)
	}
	t.Logf("%d commands refused: %q", len(cmds), cmds)
}
