package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// commandLines returns every command the program has, read from the
// source: the cases of the switch in dispatch (main.go) and, for a command
// whose method switches on its first argument (grant, account, ...), each
// of those subcommands. A command added to dispatch is covered by the
// tests that use this list without anyone adding it to them.
func commandLines(t testing.TB) [][]string {
	t.Helper()
	fset := token.NewFileSet()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	methods := map[string]*ast.FuncDecl{}
	var dispatch *ast.FuncDecl
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			if fd.Recv != nil && fd.Name.Name == "do" {
				dispatch = fd // command.do, the switch on the command's name
			}
			if fd.Recv != nil {
				methods[fd.Name.Name] = fd
			}
		}
	}
	if dispatch == nil {
		t.Fatal("no method do, which runs a command by name, in package main")
	}
	var out [][]string
	for name, method := range switchCases(dispatch.Body, "name") {
		if name == "help" || strings.HasPrefix(name, "-") {
			continue
		}
		subs := map[string]string{}
		if fd := methods[method]; fd != nil {
			subs = switchCases(fd.Body, "args[0]")
		}
		if len(subs) == 0 {
			out = append(out, []string{name})
		}
		for sub := range subs {
			out = append(out, []string{name, sub})
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(strings.Join(a, " "), strings.Join(b, " ")) })
	if len(out) < 20 {
		t.Fatalf("found %d commands in command.do: is the switch still on name?", len(out))
	}
	return out
}

// switchCases finds the first switch on tag in body and returns each
// case's string values with the method its body calls on c ("" when it
// calls none).
func switchCases(body *ast.BlockStmt, tag string) map[string]string {
	out := map[string]string{}
	ast.Inspect(body, func(n ast.Node) bool {
		sw, ok := n.(*ast.SwitchStmt)
		if !ok || sw.Tag == nil || exprString(sw.Tag) != tag || len(out) > 0 {
			return len(out) == 0
		}
		for _, s := range sw.Body.List {
			cc := s.(*ast.CaseClause)
			method := ""
			ast.Inspect(cc, func(n ast.Node) bool {
				if call, ok := n.(*ast.CallExpr); ok && method == "" {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && exprString(sel.X) == "c" {
						method = sel.Sel.Name
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

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.IndexExpr:
		return exprString(e.X) + "[" + exprString(e.Index) + "]"
	case *ast.BasicLit:
		return e.Value
	}
	return ""
}

// flagLine is a flag in the usage -h prints: "  -card CODE".
var flagLine = regexp.MustCompile(`(?m)^  -([a-z][a-z-]*)(?: ([A-Za-z]+))?`)

// runArgs runs the program with exactly args, in a home where no default
// database exists.
func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestBadFlagsOneLine runs every command with a flag without its value,
// an unknown flag, each of its flags given an empty value and each given
// the next flag as value: each exits 2 with exactly one line on standard
// error, naming the flag, and prints nothing else. -h prints the usage
// on standard output and exits 0.
func TestBadFlagsOneLine(t *testing.T) {
	home := t.TempDir()
	t.Setenv("XDG_DATA_HOME", home)
	t.Setenv("FRONTDESK_DB", "")
	commands := append(commandLines(t), nil) // nil: the window's own flags
	for _, cmd := range commands {
		name := strings.Join(cmd, " ")
		if cmd == nil {
			name = "(window)"
		}
		t.Run(name, func(t *testing.T) {
			help := append(slices.Clone(cmd), "-h")
			if cmd == nil {
				help = []string{"--demo", "-h"}
			}
			code, out, errs := runArgs(help...)
			if code != 0 || !strings.HasPrefix(out, "usage: frontdesk") || errs != "" {
				t.Fatalf("-h: got exit %d, stdout %q, stderr %q; want exit 0 and the usage on stdout", code, out, errs)
			}
			var valued, all []string
			for _, m := range flagLine.FindAllStringSubmatch(out, -1) {
				all = append(all, m[1])
				if m[2] != "" {
					valued = append(valued, m[1])
				}
			}
			if !slices.Contains(valued, "db") {
				t.Fatalf("-h lists no --db flag with a value:\n%s", out)
			}
			type bad struct {
				args []string
				want string
			}
			bads := []bad{{[]string{"--no-such-flag"}, "flag provided but not defined: -no-such-flag"}}
			for _, f := range valued {
				other := all[0]
				if other == f {
					other = all[1]
				}
				bads = append(bads,
					bad{[]string{"--" + f}, "flag needs an argument: -" + f},
					bad{[]string{"--" + f, ""}, "--" + f + ": "},
					bad{[]string{"--" + f, "  "}, "--" + f + ": "},
					bad{[]string{"--" + f, "--" + other}, "flag needs an argument: -" + f},
					bad{[]string{"--" + f + "=", "x"}, "--" + f + ": "},
				)
			}
			for _, b := range bads {
				args := append(slices.Clone(cmd), b.args...)
				if cmd == nil && b.args[0] == "--no-such-flag" {
					args = []string{"--demo", "--no-such-flag"}
				}
				code, out, errs := runArgs(args...)
				if code != 2 || out != "" || strings.Count(errs, "\n") != 1 || !strings.HasSuffix(errs, "\n") ||
					!strings.HasPrefix(errs, "frontdesk: ") || !strings.Contains(errs, b.want) {
					t.Errorf("%q: got exit %d, stdout %q, stderr %q; want exit 2 and one line containing %q",
						args, code, out, errs, b.want)
				}
			}
		})
	}
}

// TestRequiredValuesOneLine gives the values commands need empty or not
// at all: one line, exit 2.
func TestRequiredValuesOneLine(t *testing.T) {
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	t.Setenv("FRONTDESK_DB", "")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"tap", "--reader", "main-in", "--card", ""}, "frontdesk: --card: card code is empty\n"},
		{[]string{"tap", "--reader"}, "frontdesk: tap: flag needs an argument: -reader\n"},
		{[]string{"tap", "--reader", "main-in"}, "frontdesk: tap: --reader and --card are required\n"},
		{[]string{"tap", "--reader", "--card", "em:0102B0A5FD"}, "frontdesk: tap: flag needs an argument: -reader\n"},
		{[]string{"tap", "--at", "", "--reader", "main-in", "--card", "x"}, "frontdesk: --at: time is empty\n"},
		{[]string{"checkin", "--phone", ""}, "frontdesk: --phone: phone number is empty\n"},
		{[]string{"grant", "add", "--person", "ann"}, "frontdesk: grant add: --person, --door and --kind are required\n"},
		{[]string{"grant", "revoke"}, "frontdesk: grant revoke: wrong number of arguments: 0 given, want 1 (frontdesk grant revoke -h for help)\n"},
		{[]string{"grant"}, "frontdesk: grant: want add, list or revoke\n"},
		{[]string{"nosuch"}, "frontdesk: unknown command \"nosuch\": frontdesk help lists the commands\n"},
		{[]string{"import"}, "frontdesk: import: wrong number of arguments: 0 given, want 1 (frontdesk import -h for help)\n"},
		{[]string{"--db"}, "frontdesk: flag needs an argument: -db\n"},
	}
	for _, tt := range tests {
		code, out, errs := runArgs(tt.args...)
		if code != 2 || out != "" || errs != tt.want {
			t.Errorf("%q: got exit %d, stdout %q, stderr %q; want exit 2 and %q", tt.args, code, out, errs, tt.want)
		}
	}
}
