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
	"strconv"
	"strings"
	"time"

	"frontdesk/core"
	"frontdesk/core/httpapi"
	"frontdesk/core/i18n"
	"frontdesk/storage"
	"frontdesk/ui/locale"
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
	// api is what the command reads and changes through: the service of
	// the database when one answers (remote), else the engine of the
	// database opened by this process (main).
	api    core.API
	remote *httpapi.Client
	main   *Main
	// connect and fingerprint are --connect and --fingerprint: a
	// service on another PC, over TLS (connect.go).
	connect, fingerprint string
	// readOnly: the command only reads the database (see openMode).
	readOnly bool
	// getenv reads the environment, for the locale; nil is
	// locale.Getenv.
	getenv func(string) string
}

// language is the language of the command's texts for people: its
// locale's when it is one of ours, else the site's (i18n.Choose). The
// database must be open.
func (c *command) language() string {
	getenv := c.getenv
	if getenv == nil {
		getenv = locale.Getenv
	}
	site := ""
	if c.api != nil {
		site = c.api.Site().Language
	}
	return i18n.Choose(getenv, site)
}

// tr writes the command's texts in its language.
func (c *command) tr() *i18n.Translator { return i18n.New(c.language()) }

// say writes one line of a command's result: format in the command's
// language (the translation files key it by the English format), then
// args as fmt.Sprintf does.
func (c *command) say(format string, args ...any) {
	fmt.Fprintln(c.stdout, c.tr().F(format, args...))
}

// header writes a table's header row in the command's language.
func (c *command) header(tab *table, titles ...string) {
	tr := c.tr()
	cells := make([]any, len(titles))
	for i, s := range titles {
		cells[i] = s
		// "ID" is the same in every language, and go-i18n reserves it.
		if s != "" && s != "ID" {
			cells[i] = tr.T(s)
		}
	}
	tab.row(cells...)
}

// flags returns a flag set for a subcommand with --db and --json.
func (c *command) flags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	// -h prints the usage on standard output: it is what was asked for.
	fs.SetOutput(c.stdout)
	fs.StringVar(&c.db, "db", defaultDB("frontdesk.db"), "database `PATH`")
	fs.BoolVar(&c.json, "json", false, "print JSON")
	fs.StringVar(&c.connect, "connect", os.Getenv("FRONTDESK_CONNECT"), "use the Frontdesk service at `HOST:PORT` over TLS (default $FRONTDESK_CONNECT)")
	fs.StringVar(&c.fingerprint, "fingerprint", "", "trust the service of --connect whose certificate has this `SHA256:...` fingerprint")
	fs.Var(&userFlag{c: c}, "user", "act as the staff account `NAME`, with its permissions (password from FRONTDESK_PASSWORD, or asked)")
	fs.Usage = func() {
		fmt.Fprintf(c.stdout, "usage: frontdesk %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// userFlag is --user: the account to act as. parse logs in with it as
// soon as the flags are read, before anything else the command does.
type userFlag struct{ c *command }

func (u *userFlag) String() string {
	if u == nil || u.c == nil {
		return ""
	}
	return u.c.user
}

func (u *userFlag) Set(name string) error {
	if name == "" {
		return errors.New("an account name is required")
	}
	u.c.user = name
	return nil
}

// parse parses flags placed before, between or after the positional
// arguments, logs in with --user, then checks their number. Every mistake
// is one line, exit status 2 (usageError): a flag without its value ("tap:
// flag needs an argument: -reader"), an unknown flag, a flag given an
// empty value ("--card: card code is empty"), too many or too few
// arguments. -h and --help print the flags' usage and end the command
// with errHelp. Every subcommand reads its flags here, so none can act as
// an account without its password: a refused login ends the command before
// it reads, opens or changes anything else.
func parse(fs *flag.FlagSet, args []string, minPos, maxPos int) ([]string, error) {
	// The flag package would print the error and the whole usage: a
	// page on the terminal for one mistake. It is quiet here, and the
	// usage is printed only when asked for.
	usage, output := fs.Usage, fs.Output()
	fs.Usage = func() {}
	fs.SetOutput(io.Discard)
	defer func() {
		fs.Usage = usage
		fs.SetOutput(output)
	}()
	if err := checkFlagArgs(fs, args); err != nil {
		return nil, err
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(output)
				usage()
				return nil, errHelp
			}
			return nil, usagef("%s%v", commandPrefix(fs), flagError(err))
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
	if f := fs.Lookup("user"); f != nil {
		if u, ok := f.Value.(*userFlag); ok {
			if err := u.c.login(); err != nil {
				return nil, err
			}
		}
	}
	if len(pos) < minPos || len(pos) > maxPos {
		return nil, usagef("%swrong number of arguments: %d given, want %s (%s -h for help)",
			commandPrefix(fs), len(pos), wantArgs(minPos, maxPos), commandName(fs))
	}
	return pos, nil
}

// errHelp ends a command whose usage -h printed: exit status 0.
var errHelp = errors.New("help printed")

// checkFlagArgs looks at args before the flag package does, for two
// mistakes it would misread: a flag followed by the next flag instead of
// its value ("tap --reader --card X" would read the reader "--card"), and
// a flag given a blank value (--card "", --card=), which it would
// take as a value, or for a number call a parse error. Each is named in
// one line.
func checkFlagArgs(fs *flag.FlagSet, args []string) error {
	for i, a := range args {
		if a == "--" {
			return nil
		}
		f := lookupFlag(fs, a)
		if f == nil || isBoolFlag(f) {
			continue
		}
		if _, v, ok := strings.Cut(a, "="); ok {
			if strings.TrimSpace(v) == "" {
				return emptyValue(f)
			}
			continue
		}
		if i+1 >= len(args) {
			continue
		}
		next := args[i+1]
		switch {
		case lookupFlag(fs, next) != nil:
			return usagef("%sflag needs an argument: -%s", commandPrefix(fs), f.Name)
		case strings.TrimSpace(next) == "":
			return emptyValue(f)
		}
	}
	return nil
}

// lookupFlag returns the flag that arg names ("-db", "--db", "--db=x"),
// or nil when arg is not a flag of fs.
func lookupFlag(fs *flag.FlagSet, arg string) *flag.Flag {
	if len(arg) < 2 || arg[0] != '-' {
		return nil
	}
	name, _, _ := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
	return fs.Lookup(name)
}

// isBoolFlag reports whether f takes no value.
func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// emptyValue is the error for flag f given an empty value.
func emptyValue(f *flag.Flag) error {
	name, _ := flag.UnquoteUsage(f)
	return usagef("--%s: %s is empty", f.Name, valueNoun(f.Name, name))
}

// valueNoun names a flag's value for a message: "card code" for --card
// CODE, "time" for --at TIME, "value" when its usage names none.
func valueNoun(flagName, usageName string) phrase {
	noun := strings.ToLower(usageName)
	switch noun {
	case "", "string", "value", "int":
		return words("value")
	case "id", "code", "number":
		return phrase{format: "%s " + noun, args: []any{flagName}}
	}
	return words(noun)
}

// wantArgs says how many arguments a command takes.
func wantArgs(minPos, maxPos int) phrase {
	switch {
	case maxPos == 0:
		// "none" alone is another word in French ("aucune").
		return phrase{format: "none", key: "none (arguments)"}
	case minPos == maxPos:
		return phrase{format: strconv.Itoa(minPos)}
	}
	return phrase{format: "%d to %d", args: []any{minPos, maxPos}}
}

// commandPrefix starts a message about a command's flags: "tap: ", or
// nothing for the window's, whose messages start "frontdesk: " anyway.
func commandPrefix(fs *flag.FlagSet) phrase {
	if fs.Name() == "frontdesk" {
		return phrase{}
	}
	return phrase{format: "%s: ", args: []any{fs.Name()}}
}

// commandName is how a flag set's command is typed: "frontdesk grant
// revoke", or "frontdesk" for the window's.
func commandName(fs *flag.FlagSet) string {
	if fs.Name() == "frontdesk" {
		return "frontdesk"
	}
	return "frontdesk " + fs.Name()
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

// open reaches the database named by --db: through its service when one
// answers (connect.go), else by opening the file itself, read-only for a
// command that only reads (c.readOnly). parse has logged in with --user.
func (c *command) open() error {
	if c.user != "" && c.as == (core.Actor{}) {
		return refusedf("not logged in as %s", c.user)
	}
	if c.remote != nil {
		return nil // login connected
	}
	cl, err := c.dial()
	switch {
	case err == nil:
		c.remote, c.api = cl, cl
		return nil
	case !errors.Is(err, httpapi.ErrNoService):
		return err
	}
	c.main = &Main{DBPath: c.db, ReadOnly: c.readOnly}
	if err := c.main.Open(); err != nil {
		return missingDatabase(c.db, err)
	}
	c.api = c.main.Engine
	return nil
}

// login checks --user's password, once: through the service when one
// answers (the session then serves every call of the command), else by
// opening the database, logging in and closing it again, so that the
// command then opens the database as it needs (read-only, or serve and
// devices with their own options). A login records wrong passwords, so
// it opens for writing; where this user cannot write the file, a right
// password still logs in. A database that does not exist has no
// accounts: it is refused like a wrong password, and not created.
func (c *command) login() error {
	if c.user == "" || c.as != (core.Actor{}) {
		return nil
	}
	pw, err := c.password("FRONTDESK_PASSWORD", "Password for "+c.user+": ")
	if err != nil {
		return err
	}
	cl, err := c.dial()
	switch {
	case err == nil:
		c.remote, c.api = cl, cl
		c.as, err = cl.Login(c.user, pw)
		return err
	case !errors.Is(err, httpapi.ErrNoService):
		return err
	}
	if _, err := os.Stat(c.db); errors.Is(err, os.ErrNotExist) {
		return refusedf("no database at %s", c.db)
	}
	m := &Main{DBPath: c.db}
	err = m.Open()
	if err != nil && cannotWrite(err) {
		m = &Main{DBPath: c.db, ReadOnly: true}
		err = m.Open()
	}
	if err != nil {
		return err
	}
	defer m.Close()
	c.as, err = m.Engine.Login(c.user, pw)
	return loginOnReadOnly(err, m.ReadOnly)
}

func (c *command) close() {
	if c.remote != nil {
		c.remote.Close()
	}
	if c.main != nil {
		c.main.Close()
	}
}

// actor is who the command acts as: the account of --user, else the
// command line as the OS user, with every permission (DESIGN §4). With
// --user and no login (which parse makes) it is an account with no name,
// which may do nothing: never the command line's rights.
func (c *command) actor() core.Actor {
	switch {
	case c.as != (core.Actor{}):
		return c.as
	case c.user != "":
		return core.Actor{Kind: core.ActorAccount}
	}
	return core.CommandLine(osUser())
}

// time parses a TIME flag in the site's zone; "" is the zero time.
func (c *command) time(flagName, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := core.ParseTime(s, c.api.Location())
	if err != nil {
		return time.Time{}, usagef("--%s: %v", flagName, badTime(s, err))
	}
	return t, nil
}

// end parses a flag that ends a period (--to, --until) in the site's
// zone: a DATE alone is the end of that day (core.ParseEnd); "" is the
// zero time.
func (c *command) end(flagName, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := core.ParseEnd(s, c.api.Location())
	if err != nil {
		return time.Time{}, usagef("--%s: %v", flagName, badTime(s, err))
	}
	return t, nil
}

// local writes an instant in the site's zone for people.
func (c *command) local(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.api.Location()).Format("2006-01-02 15:04:05")
}

// stamp writes an instant for JSON: RFC 3339 with the site's offset.
func (c *command) stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.api.Location()).Format(time.RFC3339)
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
	if err := c.api.Import(c.actor(), site); err != nil {
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
	tr := c.tr()
	parts := []string{
		tr.N("{{.Count}} people", "{{.Count}} person", "{{.Count}} people", counts["people"]),
		tr.N("{{.Count}} doors", "{{.Count}} door", "{{.Count}} doors", counts["doors"]),
		tr.N("{{.Count}} devices", "{{.Count}} device", "{{.Count}} devices", counts["devices"]),
		tr.N("{{.Count}} access levels", "{{.Count}} access level", "{{.Count}} access levels", counts["access_levels"]),
		tr.N("{{.Count}} grants", "{{.Count}} grant", "{{.Count}} grants", counts["grants"]),
	}
	if counts["roles"]+counts["accounts"] > 0 {
		parts = append(parts, tr.N("{{.Count}} roles", "{{.Count}} role", "{{.Count}} roles", counts["roles"]),
			tr.N("{{.Count}} accounts", "{{.Count}} account", "{{.Count}} accounts", counts["accounts"]))
	}
	c.say("imported %s", strings.Join(parts, ", "))
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
	site, err := c.api.Export(c.actor())
	if err != nil {
		return err
	}
	if *out == "" {
		return core.WriteSiteFile(c.stdout, site)
	}
	return writeFileAtomic(*out, func(w io.Writer) error { return core.WriteSiteFile(w, site) })
}

// writeFileAtomic writes path through a temporary file, so a failed write
// leaves no half file; the file is the user's alone (0600).
func writeFileAtomic(path string, write func(io.Writer) error) error {
	return writeFileAtomicMode(path, 0o600, write)
}

// writeFileAtomicMode is writeFileAtomic with the file's mode.
func writeFileAtomicMode(path string, mode os.FileMode, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(dirOf(path), ".frontdesk-*")
	if err != nil {
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
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
	Result      core.Result  `json:"result"`
	Person      string       `json:"person"`
	Door        string       `json:"door"`
	Reader      string       `json:"reader"`
	At          string       `json:"at"`
	Explanation string       `json:"explanation"`
	Reason      *core.Reason `json:"reason,omitempty"`
	Card        string       `json:"card"`
	Grant       string       `json:"grant,omitempty"`
	Zone        string       `json:"zone,omitempty"`
	Seq         uint64       `json:"seq"`
}

func (c *command) tapJSON(e core.Event) tapJSON {
	return tapJSON{Result: e.Result, Person: e.Person, Door: e.Door, Reader: e.Reader, At: c.stamp(e.At),
		Explanation: e.Explanation, Reason: e.Why, Card: e.Card, Grant: e.Grant, Zone: e.Zone, Seq: e.Seq}
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
		return usagef("tap: --reader and --card are required")
	}
	if _, err := core.ParseCode(*card); err != nil {
		return usagef("--card: %v", err)
	}
	if err := c.open(); err != nil {
		return err
	}
	defer c.close()
	if err := c.api.Authorize(c.actor(), core.PermTapsReplay); err != nil {
		return err
	}
	t, err := c.time("at", *at)
	if err != nil {
		return err
	}
	ev, err := c.api.Tap(core.Tap{Reader: *reader, Code: *card, At: t})
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
	if err := c.api.Authorize(c.actor(), core.PermTapsReplay); err != nil {
		return err
	}
	taps, err := c.readTaps(path, f)
	if err != nil {
		return err
	}
	events := make([]core.Event, 0, len(taps))
	for i, tap := range taps {
		ev, err := c.api.Tap(tap)
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
	for _, d := range c.api.Devices(core.Actor{Kind: core.ActorSystem}) {
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
			if tap.At, err = core.ParseTime(strings.TrimSpace(rec[2]), c.api.Location()); err != nil {
				return nil, usagef("%s:%d: %v", path, line, badTime(strings.TrimSpace(rec[2]), err))
			}
		}
		taps = append(taps, tap)
	}
	return taps, nil
}

// eventCells are an event's cells in the log's table: when, the result,
// who, where, and why in tr's language.
func (c *command) eventCells(tr *i18n.Translator, e core.Event) []any {
	where := e.Door
	if where == "" {
		where = e.Reader
	} else if e.Direction != "" {
		where += " (" + tr.T(string(e.Direction)) + ")"
	}
	who := e.Person
	if who == "" {
		who = e.Card
	}
	return []any{c.local(e.At), tr.Result(e.Result), who, where, tr.Explain(e)}
}

// printEvents writes events as a table in the site's zone, their
// explanations in the command's language.
func (c *command) printEvents(events []core.Event) {
	tr := c.tr()
	tab := newTable(c.stdout, 0, 0, 2, 0)
	for _, e := range events {
		tab.row(c.eventCells(tr, e)...)
	}
	tab.flush()
}

func (c *command) log(args []string) error {
	fs := c.flags("log", "[--from TIME] [--to TIME] [--door ID] [--person ID] [--limit N] [--site ID|all]")
	from := fs.String("from", "", "first `TIME` (or DATE: from that day's start)")
	to := fs.String("to", "", "end `TIME`, exclusive (or DATE: through the end of that day)")
	door := fs.String("door", "", "only the door `ID`")
	person := fs.String("person", "", "only the person `ID`")
	limit := fs.Int("limit", 0, "at most `N` events (the latest)")
	site := fs.String("site", "", "at the central site: the events of the site `ID`, or of all, with their site and seq")
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
	if q.To, err = c.end("to", *to); err != nil {
		return err
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		return usagef("--from must be before --to")
	}
	if *site != "" {
		return c.siteLog(httpapi.SiteEventsQuery{Site: *site, From: q.From, To: q.To, Door: q.Door, Person: q.Person, Limit: q.Limit})
	}
	var events []core.Event
	unreadable, err := readableEvents(c.api.Events(c.actor(), q, func(e core.Event) error {
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
	tab := newTable(c.stdout, 0, 0, 2, 0)
	c.header(tab, "ID", "PERSON", "DOOR", "KIND", "FROM", "UNTIL", "USES LEFT", "BY")
	for _, g := range gs {
		uses := ""
		if g.Kind == core.GrantOnce {
			uses = fmt.Sprintf("%d of %d", g.UsesLeft(), g.Uses)
		}
		tab.row(g.ID, g.Person, g.Door, g.Kind, c.local(g.From), c.local(g.Until), uses, g.By)
	}
	tab.flush()
}

func (c *command) grantAdd(args []string) error {
	fs := c.flags("grant add", "--person ID --door ID --kind permanent|temporary|once [--from TIME] [--until TIME] [--uses N]")
	person := fs.String("person", "", "person `ID`")
	door := fs.String("door", "", "door `ID`")
	kind := fs.String("kind", "", "permanent, temporary or once")
	from := fs.String("from", "", "valid from `TIME` (or DATE: from that day's start)")
	until := fs.String("until", "", "valid until `TIME`, exclusive (or DATE: through the end of that day)")
	uses := fs.Int("uses", 0, "number of passages of a once grant")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *person == "" || *door == "" || *kind == "" {
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
	if g.Until, err = c.end("until", *until); err != nil {
		return err
	}
	g, err = c.api.AddGrant(c.actor(), g)
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
	gs, err := c.api.Grants(c.actor(), core.GrantQuery{Person: *person, Door: *door})
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
	g, err := c.api.RevokeGrant(c.actor(), pos[0])
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]any{"revoked": c.grantJSON(g)})
	}
	c.say("revoked %s (%s on %s)", printable(g.ID), printable(g.Person), printable(g.Door))
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
	if err := c.api.Authorize(c.actor(), core.PermBackupRun); err != nil {
		return err
	}
	if c.remote != nil {
		// A hot backup: the service sends a snapshot of the live database.
		err = storage.SaveBackup(pos[0], c.remote.Where(), func(w io.Writer) error {
			return c.remote.Backup(c.actor(), w)
		}, nil)
	} else {
		err = c.main.DB.Backup(pos[0])
	}
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(map[string]string{"backup": pos[0]})
	}
	c.say("backup written to %s", pos[0])
	return nil
}

// verifyError is a database that failed its check: exit status 3.
type verifyError struct{ problems int }

func (e verifyError) Error() string {
	return fmt.Sprintf("database damaged: verify found %d problem(s); %s", e.problems, core.DamagedAdvice)
}

// in is the error in tr's language (errorLines).
func (e verifyError) in(tr *i18n.Translator) string {
	return tr.N("database damaged: verify found {{.Count}} problems; {{.Advice}}",
		"database damaged: verify found {{.Count}} problem; {{.Advice}}",
		"database damaged: verify found {{.Count}} problems; {{.Advice}}", e.problems, "Advice", tr.T(core.DamagedAdvice))
}

func (c *command) verify(args []string) error {
	fs := c.flags("verify", "[--checkpoint FILE|TEXT [--key KEY]] [--site ID]")
	anchors := addCheckpointFlags(fs)
	site := fs.String("site", "", "at the central site: check the hash chain of the events of the site `ID`")
	c.readOnly = true
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	if err := c.api.Authorize(c.actor(), core.PermBackupRun); err != nil {
		return err
	}
	if *site != "" {
		if len(anchors.sources) > 0 {
			return usagef("--site and --checkpoint: checkpoints are of this site's logs")
		}
		return c.verifySite(*site)
	}
	var rep storage.Report
	var err error
	if c.remote != nil {
		rep, err = c.remote.Verify(c.actor()) // the live database, checked by its service
	} else {
		rep, err = c.main.DB.Verify()
	}
	if err != nil {
		return err
	}
	// With --checkpoint, the logs are also checked against signed
	// checkpoints (checkpoint.go).
	var anchored *checkpointReport
	if len(anchors.sources) > 0 {
		if anchored, err = c.checkCheckpoints(anchors); err != nil {
			return err
		}
	}
	pairs, note := c.ambiguousCards()
	if c.json {
		out := map[string]any{"ok": len(rep.Problems) == 0, "events": rep.Events,
			"cards": rep.Cards, "audit": rep.Audit, "problems": nonNil(rep.Problems),
			"ambiguous_cards": pairs}
		if anchored != nil {
			out["ok"] = out["ok"].(bool) && anchored.err() == nil
			out["checkpoint"] = anchored
		}
		if err := c.printJSON(out); err != nil {
			return err
		}
	} else {
		for i := range rep.Problems {
			fmt.Fprintln(c.stdout, printable(problemLine(rep, i, c.tr())))
		}
		if len(rep.Problems) == 0 {
			tr := c.tr()
			c.say("ok: %s, %s, %s, hash chains intact",
				tr.N("{{.Count}} events", "{{.Count}} event", "{{.Count}} events", rep.Events),
				tr.N("{{.Count}} cards", "{{.Count}} card", "{{.Count}} cards", rep.Cards),
				tr.N("{{.Count}} audit entries", "{{.Count}} audit entry", "{{.Count}} audit entries", rep.Audit))
		}
		c.printAmbiguousCards(pairs, note)
		if anchored != nil {
			c.printCheckpointReport(anchored)
		}
	}
	if len(rep.Problems) > 0 {
		return verifyError{len(rep.Problems)}
	}
	if anchored != nil {
		return anchored.err()
	}
	return nil
}

// problemLine is the i-th problem of rep in tr's language: its finding
// said by the files when they have it, else the English line.
func problemLine(rep storage.Report, i int, tr *i18n.Translator) string {
	if tr.Language() == "en" || i >= len(rep.Found) || !tr.Has(rep.Found[i].Format) {
		return rep.Problems[i]
	}
	return tr.Phrase(rep.Found[i].Phrase())
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
