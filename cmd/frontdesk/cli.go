package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"frontdesk/core"
)

// command holds what every subcommand shares: its streams, and once
// parsed, --db and --json.
type command struct {
	stdin          io.Reader
	stdout, stderr io.Writer

	db   string
	json bool
	// user is --user: the staff account to act as; as is its actor once
	// logged in.
	user string
	as   core.Actor
	main *Main
	// readOnly: the command only reads the database (see openMode).
	readOnly bool
}

// flags returns a flag set for a subcommand with --db and --json.
func (c *command) flags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(c.stderr)
	fs.StringVar(&c.db, "db", defaultDB("frontdesk.db"), "database `PATH`")
	fs.BoolVar(&c.json, "json", false, "print JSON")
	fs.StringVar(&c.user, "user", "", "act as the staff account `NAME`, with its permissions (password from FRONTDESK_PASSWORD, or asked)")
	fs.Usage = func() {
		fmt.Fprintf(c.stderr, "usage: frontdesk %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags placed before, between or after the positional
// arguments, and checks their number.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, usageError{"help requested"}
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if len(pos) < minPos || len(pos) > maxPos {
		fs.Usage()
		return nil, usagef("%s: wrong number of arguments", fs.Name())
	}
	return pos, nil
}

// start parses the flags and arguments like parse, then opens the
// database; the caller defers close.
func (c *command) start(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	pos, err := parse(fs, args, minPos, maxPos)
	if err != nil {
		return nil, err
	}
	return pos, c.open()
}

// open opens the database named by --db and, with --user, logs in.
func (c *command) open() error {
	c.main = &Main{DBPath: c.db, ReadOnly: c.readOnly && c.user == ""}
	err := c.main.Open()
	if err != nil && c.readOnly && !c.main.ReadOnly && cannotWrite(err) {
		// A login records wrong passwords, so --user opens for writing;
		// where this user cannot write, a right password still logs in.
		c.main = &Main{DBPath: c.db, ReadOnly: true}
		err = c.main.Open()
	}
	if err != nil {
		return err
	}
	if c.user == "" {
		return nil
	}
	pw, err := c.password("FRONTDESK_PASSWORD", "Password for "+c.user+": ")
	if err == nil {
		c.as, err = c.main.Engine.Login(c.user, pw)
		err = loginOnReadOnly(err, c.main.ReadOnly)
	}
	if err != nil {
		// The caller defers close only once open has succeeded.
		c.close()
		c.main = nil
		return err
	}
	return nil
}

func (c *command) close() {
	if c.main != nil {
		c.main.Close()
	}
}

// actor is who the command acts as: the account of --user, else the
// command line as the OS user, with every permission (DESIGN §4).
func (c *command) actor() core.Actor {
	if c.as != (core.Actor{}) {
		return c.as
	}
	return core.CommandLine(osUser())
}

// time parses a TIME flag in the site's zone; "" is the zero time.
func (c *command) time(flagName, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := core.ParseTime(s, c.main.Engine.Location())
	if err != nil {
		return time.Time{}, usagef("--%s: %v", flagName, err)
	}
	return t, nil
}

// local writes an instant in the site's zone for people.
func (c *command) local(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.main.Engine.Location()).Format("2006-01-02 15:04:05")
}

// stamp writes an instant for JSON: RFC 3339 with the site's offset.
func (c *command) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.main.Engine.Location()).Format(time.RFC3339)
}

func (c *command) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (c *command) importSite(args []string) error {
	fs := c.flags("import", "FILE (- for standard input)")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	var r io.Reader = c.stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	site, err := core.ReadSiteFile(r)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	if err := c.main.Engine.Import(c.actor(), site); err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	counts := map[string]int{
		"zones": len(site.Zones), "schedules": len(site.Schedules), "holidays": len(site.Holidays),
		"shifts": len(site.Shifts), "doors": len(site.Doors), "devices": len(site.Devices),
		"access_levels": len(site.AccessLevels), "departments": len(site.Departments),
		"people": len(site.People), "grants": len(site.Grants),
		"roles": len(site.Roles), "accounts": len(site.Accounts),
	}
	if c.json {
		return c.printJSON(map[string]any{"imported": counts})
	}
	line := fmt.Sprintf("imported %d people, %d doors, %d devices, %d access levels, %d grants",
		counts["people"], counts["doors"], counts["devices"], counts["access_levels"], counts["grants"])
	if counts["roles"]+counts["accounts"] > 0 {
		line += fmt.Sprintf(", %d roles, %d accounts", counts["roles"], counts["accounts"])
	}
	fmt.Fprintln(c.stdout, line)
	return nil
}

func (c *command) export(args []string) error {
	fs := c.flags("export", "[--out FILE]")
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	c.readOnly = true
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	site, err := c.main.Engine.Export(c.actor())
	if err != nil {
		return err
	}
	if *out == "" {
		return core.WriteSiteFile(c.stdout, site)
	}
	return writeFileAtomic(*out, func(w io.Writer) error { return core.WriteSiteFile(w, site) })
}

// writeFileAtomic writes path through a temporary file, so a failed write
// leaves no half file.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(dirOf(path), ".frontdesk-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	if err := write(w); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i+1]
	}
	return "."
}

// tapJSON is the object `tap --json` prints (DESIGN §4).
type tapJSON struct {
	Result      core.Result `json:"result"`
	Person      string      `json:"person"`
	Door        string      `json:"door"`
	Reader      string      `json:"reader"`
	At          string      `json:"at"`
	Explanation string      `json:"explanation"`
	Card        string      `json:"card"`
	Grant       string      `json:"grant,omitempty"`
	Zone        string      `json:"zone,omitempty"`
	Seq         uint64      `json:"seq"`
}

func (c *command) tapJSON(e core.Event) tapJSON {
	return tapJSON{Result: e.Result, Person: e.Person, Door: e.Door, Reader: e.Reader, At: c.stamp(e.At),
		Explanation: e.Explanation, Card: e.Card, Grant: e.Grant, Zone: e.Zone, Seq: e.Seq}
}

func (c *command) tap(args []string) error {
	fs := c.flags("tap", "--reader ID --card CODE [--at TIME] | --from-file FILE")
	reader := fs.String("reader", "", "reader device `ID`")
	card := fs.String("card", "", "card `CODE` as the reader delivers it (em:, dec:, w26:, uid: or opaque)")
	at := fs.String("at", "", "`TIME` of the tap (RFC 3339, or local 2026-11-24T09:00); default now")
	from := fs.String("from-file", "", "replay taps from a CSV `FILE` of reader,card,time lines")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *from != "" {
		if *reader != "" || *card != "" || *at != "" {
			return usagef("tap: --from-file takes no --reader, --card or --at")
		}
		return c.tapFile(*from)
	}
	if *reader == "" || *card == "" {
		fs.Usage()
		return usagef("tap: --reader and --card are required")
	}
	if _, err := core.ParseCode(*card); err != nil {
		return usagef("--card: %v", err)
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	if err := c.main.Engine.Authorize(c.actor(), core.PermTapsReplay); err != nil {
		return err
	}
	t, err := c.time("at", *at)
	if err != nil {
		return err
	}
	ev, err := c.main.Engine.Tap(core.Tap{Reader: *reader, Code: *card, At: t})
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(c.tapJSON(ev))
	}
	c.printEvents([]core.Event{ev})
	return nil
}

// tapFile replays a CSV of taps. The whole file is checked first (readers
// known, codes and times well formed), so a bad line replays nothing.
func (c *command) tapFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	if err := c.main.Engine.Authorize(c.actor(), core.PermTapsReplay); err != nil {
		return err
	}
	taps, err := c.readTaps(path, f)
	if err != nil {
		return err
	}
	events := make([]core.Event, 0, len(taps))
	for i, tap := range taps {
		ev, err := c.main.Engine.Tap(tap)
		if err != nil {
			return fmt.Errorf("%s: tap %d of %d: %w", path, i+1, len(taps), err)
		}
		events = append(events, ev)
	}
	if c.json {
		out := make([]tapJSON, len(events))
		for i, e := range events {
			out[i] = c.tapJSON(e)
		}
		return c.printJSON(out)
	}
	c.printEvents(events)
	return nil
}

// readTaps parses reader,card,time lines; blank lines, lines starting with
// # and a header line "reader,card,time" are skipped. An empty time means
// now.
func (c *command) readTaps(path string, r io.Reader) ([]core.Tap, error) {
	readers := map[string]bool{}
	// Taps are as the readers send them: the readers' ids are known to
	// whoever may replay taps, doors.view or not.
	for _, d := range c.main.Engine.Devices(core.Actor{Kind: core.ActorSystem}) {
		if d.IsReader() {
			readers[d.ID] = true
		}
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.TrimLeadingSpace = true
	var taps []core.Tap
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A csv.ParseError names its line itself.
			return nil, usagef("%s: %v", path, err)
		}
		line, _ := cr.FieldPos(0)
		if len(taps) == 0 && len(rec) == 3 && strings.EqualFold(rec[0], "reader") && strings.EqualFold(rec[1], "card") {
			continue
		}
		if len(rec) < 2 || len(rec) > 3 {
			return nil, usagef("%s:%d: want reader,card,time, got %d fields", path, line, len(rec))
		}
		tap := core.Tap{Reader: strings.TrimSpace(rec[0]), Code: strings.TrimSpace(rec[1])}
		if !readers[tap.Reader] {
			return nil, usagef("%s:%d: no reader %q", path, line, tap.Reader)
		}
		if _, err := core.ParseCode(tap.Code); err != nil {
			return nil, usagef("%s:%d: %v", path, line, err)
		}
		if len(rec) == 3 && strings.TrimSpace(rec[2]) != "" {
			if tap.At, err = core.ParseTime(strings.TrimSpace(rec[2]), c.main.Engine.Location()); err != nil {
				return nil, usagef("%s:%d: %v", path, line, err)
			}
		}
		taps = append(taps, tap)
	}
	return taps, nil
}

// printEvents writes events as a table in the site's zone.
func (c *command) printEvents(events []core.Event) {
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	for _, e := range events {
		where := e.Door
		if where == "" {
			where = e.Reader
		} else if e.Direction != "" {
			where += " (" + string(e.Direction) + ")"
		}
		who := e.Person
		if who == "" {
			who = e.Card
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", c.local(e.At), e.Result, who, where, e.Explanation)
	}
	tw.Flush()
}

func (c *command) log(args []string) error {
	fs := c.flags("log", "[--from TIME] [--to TIME] [--door ID] [--person ID] [--limit N]")
	from := fs.String("from", "", "first `TIME` (or DATE)")
	to := fs.String("to", "", "end `TIME` (or DATE), exclusive")
	door := fs.String("door", "", "only the door `ID`")
	person := fs.String("person", "", "only the person `ID`")
	limit := fs.Int("limit", 0, "at most `N` events (the latest)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *limit < 0 {
		return usagef("--limit: must not be negative")
	}
	c.readOnly = true
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	q := core.EventQuery{Door: *door, Person: *person, Limit: *limit, Reverse: *limit > 0}
	var err error
	if q.From, err = c.time("from", *from); err != nil {
		return err
	}
	if q.To, err = c.time("to", *to); err != nil {
		return err
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return usagef("--from must be before --to")
	}
	var events []core.Event
	unreadable, err := readableEvents(c.main.Engine.Events(c.actor(), q, func(e core.Event) error {
		events = append(events, e)
		return nil
	}))
	if err != nil {
		return err
	}
	if q.Reverse {
		// The latest N, shown oldest first like the rest of the log.
		for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
			events[i], events[j] = events[j], events[i]
		}
	}
	if c.json {
		out := make([]logJSON, len(events))
		for i, e := range events {
			out[i] = logJSON{tapJSON: c.tapJSON(e), Direction: e.Direction, Hash: e.Hash}
		}
		if err := c.printJSON(out); err != nil {
			return err
		}
		return unreadable.Err()
	}
	c.printEvents(events)
	return unreadable.Err()
}

// logJSON is one event of `log --json`.
type logJSON struct {
	tapJSON
	Direction core.Direction `json:"direction,omitempty"`
	Hash      string         `json:"hash"`
}

func (c *command) grant(args []string) error {
	if len(args) == 0 {
		return usagef("grant: want add, list or revoke")
	}
	switch args[0] {
	case "add":
		return c.grantAdd(args[1:])
	case "list":
		return c.grantList(args[1:])
	case "revoke":
		return c.grantRevoke(args[1:])
	}
	return usagef("grant: unknown subcommand %q: want add, list or revoke", args[0])
}

// grantJSON is a grant as the command line prints it.
type grantJSON struct {
	ID       string         `json:"id"`
	Person   string         `json:"person"`
	Door     string         `json:"door"`
	Kind     core.GrantKind `json:"kind"`
	From     string         `json:"from,omitempty"`
	Until    string         `json:"until,omitempty"`
	Uses     int            `json:"uses,omitempty"`
	UsesLeft *int           `json:"uses_left,omitempty"`
	By       string         `json:"by,omitempty"`
	Created  string         `json:"created,omitempty"`
}

func (c *command) grantJSON(g core.Grant) grantJSON {
	j := grantJSON{ID: g.ID, Person: g.Person, Door: g.Door, Kind: g.Kind, From: c.stamp(g.From),
		Until: c.stamp(g.Until), Uses: g.Uses, By: g.By, Created: c.stamp(g.Created)}
	if g.Kind == core.GrantOnce {
		left := g.UsesLeft()
		j.UsesLeft = &left
	}
	return j
}

func (c *command) printGrants(gs []core.Grant) {
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPERSON\tDOOR\tKIND\tFROM\tUNTIL\tUSES LEFT\tBY")
	for _, g := range gs {
		uses := ""
		if g.Kind == core.GrantOnce {
			uses = fmt.Sprintf("%d of %d", g.UsesLeft(), g.Uses)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", g.ID, g.Person, g.Door, g.Kind,
			c.local(g.From), c.local(g.Until), uses, g.By)
	}
	tw.Flush()
}

func (c *command) grantAdd(args []string) error {
	fs := c.flags("grant add", "--person ID --door ID --kind permanent|temporary|once [--from TIME] [--until TIME] [--uses N]")
	person := fs.String("person", "", "person `ID`")
	door := fs.String("door", "", "door `ID`")
	kind := fs.String("kind", "", "permanent, temporary or once")
	from := fs.String("from", "", "valid from `TIME`")
	until := fs.String("until", "", "valid until `TIME` (exclusive)")
	uses := fs.Int("uses", 0, "number of passages of a once grant")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *person == "" || *door == "" || *kind == "" {
		fs.Usage()
		return usagef("grant add: --person, --door and --kind are required")
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	g := core.Grant{Person: *person, Door: *door, Kind: core.GrantKind(*kind), Uses: *uses}
	var err error
	if g.From, err = c.time("from", *from); err != nil {
		return err
	}
	if g.Until, err = c.time("until", *until); err != nil {
		return err
	}
	g, err = c.main.Engine.AddGrant(c.actor(), g)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(c.grantJSON(g))
	}
	fmt.Fprintln(c.stdout, g.ID)
	return nil
}

func (c *command) grantList(args []string) error {
	fs := c.flags("grant list", "[--person ID] [--door ID]")
	person := fs.String("person", "", "only the person `ID`")
	door := fs.String("door", "", "only the door `ID`")
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	gs, err := c.main.Engine.Grants(c.actor(), core.GrantQuery{Person: *person, Door: *door})
	if err != nil {
		return err
	}
	if c.json {
		out := make([]grantJSON, len(gs))
		for i, g := range gs {
			out[i] = c.grantJSON(g)
		}
		return c.printJSON(out)
	}
	c.printGrants(gs)
	return nil
}

func (c *command) grantRevoke(args []string) error {
	fs := c.flags("grant revoke", "ID")
	pos, err := c.start(fs, args, 1, 1)
	if err != nil {
		return err
	}
	defer c.close()
	g, err := c.main.Engine.RevokeGrant(c.actor(), pos[0])
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]any{"revoked": c.grantJSON(g)})
	}
	fmt.Fprintf(c.stdout, "revoked %s (%s on %s)\n", g.ID, g.Person, g.Door)
	return nil
}

func (c *command) backup(args []string) error {
	fs := c.flags("backup", "FILE")
	c.readOnly = true
	pos, err := c.start(fs, args, 1, 1)
	if err != nil {
		return err
	}
	defer c.close()
	if err := c.main.Engine.Authorize(c.actor(), core.PermBackupRun); err != nil {
		return err
	}
	if err := c.main.DB.Backup(pos[0]); err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]string{"backup": pos[0]})
	}
	fmt.Fprintf(c.stdout, "backup written to %s\n", pos[0])
	return nil
}

// verifyError is a database that failed its check: exit status 3.
type verifyError struct{ problems int }

func (e verifyError) Error() string {
	return fmt.Sprintf("database damaged: verify found %d problem(s); %s", e.problems, core.DamagedAdvice)
}

func (c *command) verify(args []string) error {
	fs := c.flags("verify", "")
	c.readOnly = true
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	if err := c.main.Engine.Authorize(c.actor(), core.PermBackupRun); err != nil {
		return err
	}
	rep, err := c.main.DB.Verify()
	if err != nil {
		return err
	}
	if c.json {
		if err := c.printJSON(map[string]any{"ok": len(rep.Problems) == 0, "events": rep.Events,
			"cards": rep.Cards, "audit": rep.Audit, "problems": nonNil(rep.Problems)}); err != nil {
			return err
		}
	} else {
		for _, p := range rep.Problems {
			fmt.Fprintln(c.stdout, p)
		}
		if len(rep.Problems) == 0 {
			fmt.Fprintf(c.stdout, "ok: %d events, %d cards, %d audit entries, hash chains intact\n", rep.Events, rep.Cards, rep.Audit)
		}
	}
	if len(rep.Problems) > 0 {
		return verifyError{len(rep.Problems)}
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
