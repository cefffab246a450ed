package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"frontdesk/core"
)

// password reads a password: from the environment variable env when it is
// set (scripts), else asked on the terminal without echo, else one line
// of standard input. It never prints the password.
func (c *command) password(env, prompt string) (string, error) {
	if pw, ok := os.LookupEnv(env); ok {
		return pw, nil
	}
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(c.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return "", fmt.Errorf("read password: %w", err)
		}
		return string(b), nil
	}
	line, err := bufio.NewReader(c.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", usagef("no password: set %s or give it on standard input", env)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// newPassword reads an account's new password: FRONTDESK_NEW_PASSWORD, or
// asked twice on the terminal, or one line of standard input.
func (c *command) newPassword(username string) (string, error) {
	if pw, ok := os.LookupEnv("FRONTDESK_NEW_PASSWORD"); ok {
		return pw, nil
	}
	pw, err := c.password("FRONTDESK_NEW_PASSWORD", fmt.Sprintf("New password for %s (at least %d characters): ", username, core.MinPasswordLen))
	if err != nil {
		return "", err
	}
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		again, err := c.password("FRONTDESK_NEW_PASSWORD", "Again: ")
		if err != nil {
			return "", err
		}
		if again != pw {
			return "", usagef("the two passwords differ")
		}
	}
	return pw, nil
}

// list splits a comma-separated flag value, dropping empty items.
func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

func (c *command) account(args []string) error {
	if len(args) == 0 {
		return usagef("account: want add, list, set-roles, enable, disable or passwd")
	}
	switch args[0] {
	case "add":
		return c.accountAdd(args[1:])
	case "list":
		return c.accountList(args[1:])
	case "set-roles":
		return c.accountSetRoles(args[1:])
	case "enable", "disable":
		return c.accountEnable(args[0], args[1:])
	case "passwd":
		return c.accountPasswd(args[1:])
	}
	return usagef("account: unknown subcommand %q: want add, list, set-roles, enable, disable or passwd", args[0])
}

func (c *command) printAccounts(accs []core.AccountInfo) error {
	if c.json {
		return c.printJSON(accs)
	}
	tab := newTable(c.stdout, 2, 8, 2, 0)
	for _, a := range accs {
		state := "enabled"
		if !a.Enabled {
			state = "disabled"
		}
		if a.LockedUntil.After(time.Now()) {
			state += ", locked until " + c.local(a.LockedUntil)
		}
		tab.row(a.Username, orDash(a.Person, ""), strings.Join(a.Roles, ","), state)
	}
	return tab.flush()
}

func (c *command) accountAdd(args []string) error {
	fs := c.flags("account add", "--username NAME --roles ROLE[,ROLE] [--person ID]  (password from FRONTDESK_NEW_PASSWORD, or asked)")
	username := fs.String("username", "", "the account's `NAME`")
	person := fs.String("person", "", "the person `ID` the account belongs to (a boss's doors are this person's)")
	roles := fs.String("roles", "", "comma-separated role `IDS`")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *username == "" || *roles == "" {
		return usagef("account add: --username and --roles are required")
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	if err := c.api.Authorize(c.actor(), core.PermAccountsEdit); err != nil {
		return err // before asking for a password that would be refused
	}
	pw, err := c.newPassword(*username)
	if err != nil {
		return err
	}
	acc, err := c.api.AddAccount(c.actor(), core.AccountInfo{Username: *username, Person: *person, Roles: list(*roles)}, pw)
	if err != nil {
		return err
	}
	return c.printAccounts([]core.AccountInfo{acc})
}

func (c *command) accountList(args []string) error {
	fs := c.flags("account list", "")
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	accs, err := c.api.Accounts(c.actor())
	if err != nil {
		return err
	}
	if len(accs) == 0 && !c.json {
		c.say("no accounts yet: create the first admin with\n  %s", "frontdesk account add --username NAME --roles admin")
		return nil
	}
	return c.printAccounts(accs)
}

func (c *command) accountSetRoles(args []string) error {
	fs := c.flags("account set-roles", "NAME --roles ROLE[,ROLE]")
	roles := fs.String("roles", "", "comma-separated role `IDS`")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *roles == "" {
		return usagef("account set-roles: --roles is required")
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	acc, err := c.api.SetAccountRoles(c.actor(), pos[0], list(*roles))
	if err != nil {
		return err
	}
	return c.printAccounts([]core.AccountInfo{acc})
}

func (c *command) accountEnable(verb string, args []string) error {
	fs := c.flags("account "+verb, "NAME")
	pos, err := c.start(fs, args, 1, 1)
	if err != nil {
		return err
	}
	defer c.close()
	acc, err := c.api.SetAccountEnabled(c.actor(), pos[0], verb == "enable")
	if err != nil {
		return err
	}
	return c.printAccounts([]core.AccountInfo{acc})
}

func (c *command) accountPasswd(args []string) error {
	fs := c.flags("account passwd", "NAME  (password from FRONTDESK_NEW_PASSWORD, or asked)")
	pos, err := c.start(fs, args, 1, 1)
	if err != nil {
		return err
	}
	defer c.close()
	pw, err := c.newPassword(pos[0])
	if err != nil {
		return err
	}
	if err := c.api.SetPassword(c.actor(), pos[0], pw); err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]string{"passwd": pos[0]})
	}
	c.say("password of %s changed", pos[0])
	return nil
}

func (c *command) role(args []string) error {
	if len(args) == 0 {
		return usagef("role: want add, list, set or delete")
	}
	switch args[0] {
	case "add", "set":
		return c.rolePut(args[0], args[1:])
	case "list":
		return c.roleList(args[1:])
	case "delete":
		return c.roleDelete(args[1:])
	}
	return usagef("role: unknown subcommand %q: want add, list, set or delete", args[0])
}

func (c *command) printRoles(rs []core.Role) error {
	if c.json {
		return c.printJSON(rs)
	}
	tab := newTable(c.stdout, 2, 8, 2, 0)
	for _, r := range rs {
		ps := make([]string, len(r.Permissions))
		for i, p := range r.Permissions {
			ps[i] = string(p)
		}
		tab.row(r.ID, r.Name, strings.Join(ps, " "))
	}
	return tab.flush()
}

func (c *command) roleList(args []string) error {
	fs := c.flags("role list", "[--permissions]")
	perms := fs.Bool("permissions", false, "list the permissions roles are made of instead")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *perms {
		if c.json {
			return c.printJSON(core.Permissions())
		}
		tab := newTable(c.stdout, 2, 8, 2, 0)
		tr := c.tr()
		for _, p := range core.Permissions() {
			tab.row(p.Name, tr.T(p.About))
		}
		return tab.flush()
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	rs, err := c.api.Roles(c.actor())
	if err != nil {
		return err
	}
	return c.printRoles(rs)
}

func (c *command) rolePut(verb string, args []string) error {
	fs := c.flags("role "+verb, "ID [--name NAME] --permissions PERM[,PERM]")
	name := fs.String("name", "", "the role's `NAME` as people read it")
	perms := fs.String("permissions", "", "comma-separated `PERMISSIONS` (frontdesk role list --permissions)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if *perms == "" && verb == "add" {
		return usagef("role add: --permissions is required")
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	roles, err := c.api.Roles(c.actor())
	if err != nil {
		return err
	}
	r := core.Role{ID: pos[0], Name: *name}
	var exists bool
	for _, old := range roles {
		if old.ID == r.ID {
			exists = true
			if r.Name == "" {
				r.Name = old.Name
			}
			if *perms == "" {
				r.Permissions = old.Permissions
			}
		}
	}
	switch {
	case verb == "add" && exists:
		return fmt.Errorf("%w: role %s exists: use role set", core.ErrConflict, r.ID)
	case verb == "set" && !exists:
		return fmt.Errorf("%w: no role %q: use role add", core.ErrNotFound, r.ID)
	}
	if r.Name == "" {
		r.Name = r.ID
	}
	for _, p := range list(*perms) {
		r.Permissions = append(r.Permissions, core.Permission(p))
	}
	r, err = c.api.PutRole(c.actor(), r)
	if err != nil {
		return err
	}
	return c.printRoles([]core.Role{r})
}

func (c *command) roleDelete(args []string) error {
	fs := c.flags("role delete", "ID")
	pos, err := c.start(fs, args, 1, 1)
	if err != nil {
		return err
	}
	defer c.close()
	if err := c.api.DeleteRole(c.actor(), pos[0]); err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]string{"deleted": pos[0]})
	}
	c.say("role %s deleted", pos[0])
	return nil
}

// auditJSON is an audit entry as `audit --json` prints it: times in the
// site's zone.
type auditJSON struct {
	core.AuditEntry
	At string `json:"at"`
}

func (c *command) audit(args []string) error {
	fs := c.flags("audit", "[--from TIME] [--to TIME] [--limit N]")
	from := fs.String("from", "", "entries from `TIME` (or DATE: from that day's start)")
	to := fs.String("to", "", "entries before `TIME` (or DATE: through the end of that day)")
	limit := fs.Int("limit", 0, "show the latest `N` entries")
	c.readOnly = true
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	q := core.AuditQuery{}
	var err error
	if q.From, err = c.time("from", *from); err != nil {
		return err
	}
	if q.To, err = c.end("to", *to); err != nil {
		return err
	}
	var entries []core.AuditEntry
	if err := c.api.Audit(c.actor(), q, func(e core.AuditEntry) error {
		entries = append(entries, e)
		return nil
	}); err != nil {
		return err
	}
	if *limit > 0 && len(entries) > *limit {
		entries = entries[len(entries)-*limit:]
	}
	if c.json {
		out := make([]auditJSON, len(entries))
		for i, e := range entries {
			out[i] = auditJSON{AuditEntry: e, At: c.stamp(e.At)}
		}
		return c.printJSON(out)
	}
	tab := newTable(c.stdout, 2, 8, 2, 0)
	for _, e := range entries {
		tab.row(c.local(e.At), e.Actor, e.Action, orDash(e.Object, ""), auditChange(e))
	}
	return tab.flush()
}

// auditChange says in a few words what an entry changed.
func auditChange(e core.AuditEntry) string {
	const max = 120
	cut := func(s string) string {
		if len(s) > max {
			return s[:max] + "…"
		}
		return s
	}
	switch {
	case e.Object == "" && len(e.After) > 0:
		return cut(string(e.After))
	case len(e.Before) == 0:
		return "created " + cut(string(e.After))
	case len(e.After) == 0:
		return "deleted, was " + cut(string(e.Before))
	}
	return cut(string(e.Before)) + " → " + cut(string(e.After))
}
