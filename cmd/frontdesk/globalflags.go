package main

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// globalFlags are the flags every command takes, which may also come
// before the command's name; each says whether it takes a value.
var globalFlags = map[string]bool{"db": true, "json": false, "user": true, "connect": true, "fingerprint": true}

// commandFirst moves the global flags written before a command's name to
// after its arguments, where the command reads them: "--db X log --limit
// 5" is "log --limit 5 --db X". A --version among them is the command
// version. Arguments that name no command after their global flags ("--db
// X", "--demo": the window's, which says what is wrong with them) are
// returned as they are.
func commandFirst(args []string) []string {
	i := 0
	for i < len(args) {
		if a := args[i]; a == "--version" || a == "-version" {
			return slices.Concat([]string{"version"}, args[:i], args[i+1:])
		}
		valued, ok := globalFlag(args[i])
		if !ok {
			break
		}
		if valued && !strings.Contains(args[i], "=") {
			i++
		}
		i++
	}
	if i == 0 || i >= len(args) || !isCommand(args[i]) {
		return args
	}
	lead, name, rest := args[:i], args[i], args[i+1:]
	// Before a "--", after which everything is an argument.
	end := len(rest)
	if k := slices.Index(rest, "--"); k >= 0 {
		end = k
	}
	return slices.Concat([]string{name}, rest[:end], lead, rest[end:])
}

// isCommand says whether name is a command: one the usage lists, or
// help.
func isCommand(name string) bool {
	if name == "help" {
		return true
	}
	_, list, _ := strings.Cut(usage, "\ncommands:\n")
	list, _, _ = strings.Cut(list, "\n\n")
	for _, line := range strings.Split(list, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == name {
			return true
		}
	}
	return false
}

// globalFlag says whether arg is a global flag (-db, --db, --db=X), and
// whether it takes a value.
func globalFlag(arg string) (valued, ok bool) {
	if len(arg) < 2 || arg[0] != '-' {
		return false, false
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
	valued, ok = globalFlags[name]
	return valued, ok
}

// groupHelp answers "frontdesk grant -h" for a command made of
// subcommands (grant, account, service...): its line of the usage, on
// standard output. It says whether it answered.
func groupHelp(name string, rest []string, stdout io.Writer) bool {
	if len(rest) == 0 || (rest[0] != "-h" && rest[0] != "--help" && rest[0] != "-help") {
		return false
	}
	for _, line := range strings.Split(usage, "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && line[0] == ' ' && f[0] == name && strings.Contains(f[1], "|") {
			fmt.Fprintf(stdout, "usage: frontdesk %s %s\n%s; \"frontdesk %s SUBCOMMAND -h\" for its flags\n",
				name, f[1], strings.Join(f[2:], " "), name)
			return true
		}
	}
	return false
}
