// Command frontdesk is the Frontdesk desktop app and its command line.
//
// With no subcommand it opens the window (DESIGN §4); subcommands drive the
// same engine for scripts: import, export, tap, log, grant, attendance,
// justif, backup, verify.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"sync"
	"time"
	_ "time/tzdata" // the site's zone loads on machines without a zone database

	"frontdesk/core"
	"frontdesk/core/i18n"
	"frontdesk/storage"
	"frontdesk/ui/locale"
	_ "frontdesk/ui/locale" // before Fyne reads the locale
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Main wires the store and the engine for one run of the program. Tests
// drive it too.
type Main struct {
	// DBPath is the database file.
	DBPath string
	// Now is the clock; time.Now unless a test sets it.
	Now core.Clock
	// Log receives operational messages.
	Log *slog.Logger
	// OpenTimeout bounds the wait for a database another process holds;
	// default storage.DefaultTimeout.
	OpenTimeout time.Duration
	// ConfigDir holds the checkpoint key and files; "" is the user's
	// config folder (anchor.Dir). CheckpointEvery is how often the
	// running app looks whether a day has passed; default a minute.
	ConfigDir       string
	CheckpointEvery time.Duration
	// ReadOnly opens the database for reading only (storage.Options), for
	// a run that only reads: it works on a full disk and in a read-only
	// folder, and shares the file with other such runs.
	ReadOnly bool

	DB     *storage.DB
	Engine *core.Engine

	anchorsOnce sync.Once
	anchors     *checkpointer
	// tls is serve --listen: the API over TLS beside the socket.
	tls *tlsListener
}

// Open opens the database and builds the engine.
func (m *Main) Open() error {
	if m.Now == nil {
		m.Now = time.Now
	}
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	// A staged restore waits for a run that may write: a read-only one
	// reads the database as it is.
	if !m.ReadOnly {
		if err := applyRestore(m.DBPath, m.Log); err != nil {
			return err
		}
	}
	db, err := storage.Open(m.DBPath, storage.Options{Logger: m.Log, Timeout: m.OpenTimeout, ReadOnly: m.ReadOnly})
	if err != nil {
		return err
	}
	eng, err := core.NewEngine(db, m.Now, m.Log)
	if err != nil {
		db.Close()
		return err
	}
	m.DB, m.Engine = db, eng
	return nil
}

// Close releases the database.
func (m *Main) Close() error {
	if m.DB == nil {
		return nil
	}
	return m.DB.Close()
}

// defaultDB is the database in the user's data folder:
// $XDG_DATA_HOME/frontdesk (~/.local/share/frontdesk), unless FRONTDESK_DB
// names one.
func defaultDB(name string) string {
	if p := os.Getenv("FRONTDESK_DB"); p != "" && name == "frontdesk.db" {
		return p
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "frontdesk", name)
}

// osUser names who runs the command line, for the record of changes.
func osUser() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

// run is the program: it returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := dispatch(context.Background(), args, stdin, stdout, stderr)
	if err == nil || errors.Is(err, errHelp) {
		return 0
	}
	// An error may quote text from the database or the command line:
	// escaped, it stays one line and moves no cursor.
	for _, line := range errorLines(err, i18n.New(errorLanguage(err, locale.Getenv))) {
		fmt.Fprintf(stderr, "frontdesk: %s\n", printable(line))
	}
	var ue usageError
	var ve verifyError
	var ae anchorError
	switch {
	case errors.As(err, &ue):
		return 2
	case errors.As(err, &ve), errors.Is(err, core.ErrDamaged):
		return 3
	case errors.As(err, &ae):
		return 3
	case errors.Is(err, core.ErrForbidden), errors.Is(err, core.ErrLogin):
		return 4
	}
	return 1
}

const usage = `usage: frontdesk [--demo] [--db PATH]        the desktop app
       frontdesk COMMAND [flags]

commands:
  serve                run the readers and relays without a window
  devices              serial ports and USB devices seen, configured devices' state
  import FILE          load a site file (all or nothing)
  import-people FILE.csv  merge an HR list of people into the site (all or nothing) [--dry-run]
  export               print the site file
  tap                  one tap (--reader --card [--at]) or --from-file FILE
  checkin              check-in by mobile number (--phone NUMBER [--at TIME])
  log                  events [--from --to --door --person --limit] [--site ID|all]
  grant add|list|revoke  grants on doors
  holidays add|list    the site's holidays; add a country's public holidays of a year
                       (--country DE|FR|GB|RU|US [--year YYYY] [--dry-run])
  attendance add|list|delete  attendance records entered by hand
  justif add|set-state|attach|list|get-file|delete-file  justifications and their files
  balance adjust|list|delete  time bank corrections (--person --date --minutes -120 --reason TEXT) and banks
  backup FILE          hot backup of the database
  verify               integrity and hash-chain check [--checkpoint FILE|TEXT [--key KEY]] [--site ID]
  checkpoint           print a signed checkpoint of the logs and add it to the checkpoint file [--public-key]
  account add|list|set-roles|enable|disable|passwd  staff accounts
  role add|list|set|delete  roles and their permissions
  audit                the audit trail of changes [--from --to --limit]
  close-day            the automatic check-out as of --at TIME (normally automatic)
  metrics              counts, days, half-days and hours per attendance state (--from --to [--person|--department] [--json|--csv-excel|--xlsx FILE])
  timesheet            worked time per person and day, and time banks (--from --to [--person|--department] [--json|--csv|--csv-excel|--xlsx FILE])
  report KIND          a PDF report (--out FILE.pdf): attendance, timesheet, absences, doorlog, muster, access
  presence             who is inside, by zone [--site ID|all: at the central site, a branch's latest list]
  sites                the company's sites as the hub knows them: last contact, events not sent, directory behind
  service install|status|uninstall  the systemd service of this PC (install and uninstall as root)
  hub                  run the NATS hub of a company's sites (--listen HOST:PORT --store DIR
                       [--cluster HOST:PORT --routes URL,URL --name NAME]); each site's credentials:
                       hub add-site ID [--central] --store DIR --out FILE, remove-site, sites, init
  version              the build's version (also frontdesk --version)

every command takes --db PATH, --json, and --user NAME to act as a staff account
with its permissions instead of the command line's, before or after the command's
name (frontdesk --db PATH log is frontdesk log --db PATH); "frontdesk COMMAND -h"
for its flags

TIME is RFC 3339 or local 2026-11-24T09:00 in the site's zone; DATE is 2026-11-24.
A DATE given as the end of a period (--to, --until) means the end of that day.`

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	args = commandFirst(args)
	if len(args) == 0 || (len(args[0]) > 0 && args[0][0] == '-' && args[0] != "-h" && args[0] != "--help") {
		return runGUI(ctx, args, stdout, stderr)
	}
	c := &command{stdin: stdin, stdout: stdout, stderr: stderr}
	name, rest := args[0], args[1:]
	if groupHelp(name, rest, stdout) {
		return nil
	}
	if err := c.do(ctx, name, rest); err != nil {
		return spokenError{err, c.language()}
	}
	return nil
}

// do runs the command name with its arguments.
func (c *command) do(ctx context.Context, name string, rest []string) error {
	switch name {
	case "serve":
		return c.serve(ctx, rest)
	case "devices":
		return c.devices(rest)
	case "import":
		return c.importSite(rest)
	case "import-people":
		return c.importPeople(rest)
	case "export":
		return c.export(rest)
	case "tap":
		return c.tap(rest)
	case "checkin":
		return c.checkin(rest)
	case "log":
		return c.log(rest)
	case "grant":
		return c.grant(rest)
	case "holidays":
		return c.holidays(rest)
	case "attendance":
		return c.attendance(rest)
	case "justif":
		return c.justif(rest)
	case "balance":
		return c.balance(rest)
	case "backup":
		return c.backup(rest)
	case "account":
		return c.account(rest)
	case "role":
		return c.role(rest)
	case "audit":
		return c.audit(rest)
	case "timesheet":
		return c.timesheet(rest)
	case "close-day":
		return c.closeDay(rest)
	case "metrics":
		return c.metrics(rest)
	case "report":
		return c.report(rest)
	case "presence":
		return c.presence(rest)
	case "verify":
		return c.verify(rest)
	case "checkpoint":
		return c.checkpoint(rest)
	case "service":
		return c.service(rest)
	case "version":
		return c.showVersion(rest)
	case "sites":
		return c.sites(rest)
	case "hub":
		return c.hub(ctx, rest)
	case "help", "-h", "--help":
		fmt.Fprintln(c.stdout, usage)
		return nil
	}
	return usagef("unknown command %q: frontdesk help lists the commands", name)
}
