package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/png"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/image/draw"

	"frontdesk/assets"
	"frontdesk/core"
	"frontdesk/core/httpapi"
)

// Where `frontdesk service install` puts things on a reception PC, each
// under --root.
const (
	serviceAccount = "frontdesk"
	serviceDB      = "/var/lib/frontdesk/frontdesk.db"
	unitPath       = "/etc/systemd/system/frontdesk.service"
	udevRulesPath  = "/etc/udev/rules.d/99-frontdesk.rules"
	desktopPath    = "/usr/share/applications/frontdesk.desktop"
	iconPath       = "/usr/share/icons/hicolor/256x256/apps/frontdesk.png"
	// copiedBinary is where the program goes when the service cannot run
	// it from where it is (--binary, or a folder the unit hides).
	copiedBinary = "/usr/local/bin/frontdesk"
)

// serviceGroups are the groups the service's account joins: dialout owns
// the serial ports (/dev/ttyUSB*, /dev/ttyACM*), plugdev the USB readers
// and relay boards (assets/udev).
var serviceGroups = []string{"dialout", "plugdev"}

// hiddenFromService are the folders the unit's hardening hides from the
// service (ProtectHome, PrivateTmp): a program there is copied to
// copiedBinary, since the service could not start it.
var hiddenFromService = []string{"/home/", "/root/", "/run/user/", "/tmp/", "/var/tmp/"}

// runner runs an external command and returns what it printed on
// standard output; its error holds what it printed on standard error.
type runner func(name string, args ...string) (string, error)

// execRunner runs commands on this machine.
func execRunner(name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.IndexByte(msg, '\n'); i >= 0 {
			msg = msg[:i]
		}
		if msg != "" {
			err = fmt.Errorf("%w: %s", err, msg)
		}
		return stdout.String(), fmt.Errorf("%s: %w", strings.Join(append([]string{name}, args...), " "), err)
	}
	return stdout.String(), nil
}

// errNotRun is what a command answers when --root names another tree
// than this machine's: the files go there, and no command changes this
// machine.
var errNotRun = errors.New("not run")

// host is the machine the service goes on: its files under root, its
// commands through run. An install or uninstall notes each step in log.
type host struct {
	root string
	run  runner
	// euid is the effective user id (os.Geteuid); exe is this program's
	// path (os.Executable).
	euid func() int
	exe  func() (string, error)
	log  steps
}

// hostAt is this machine, or with root other than "/" a tree of files
// for which no command runs: each is noted instead, "not run".
func hostAt(root string) *host {
	h := &host{root: root, run: execRunner, euid: os.Geteuid, exe: os.Executable}
	if !h.live() {
		h.run = func(string, ...string) (string, error) { return "", errNotRun }
	}
	return h
}

// live says the root is this machine's.
func (h *host) live() bool { return filepath.Clean(h.root) == "/" }

// path is p under the root.
func (h *host) path(p string) string { return filepath.Join(h.root, p) }

// mustBeRoot refuses to change this machine without root's rights; a
// tree under --root needs none.
func (h *host) mustBeRoot(what string) error {
	if h.live() && h.euid() != 0 {
		return fmt.Errorf("%w: service %s changes the system: run it with sudo (sudo frontdesk service %s)", core.ErrForbidden, what, what)
	}
	return nil
}

// exec runs a command that changes the machine; ran is false when the
// root is not this machine's, and the step says so.
func (h *host) exec(name string, args ...string) (ran bool, err error) {
	_, err = h.run(name, args...)
	if errors.Is(err, errNotRun) {
		h.log.kept("not run (--root %s): %s", h.root, strings.Join(append([]string{name}, args...), " "))
		return false, nil
	}
	return err == nil, err
}

// query runs a command that only looks, and returns its output trimmed,
// also when it fails ("systemctl is-enabled" prints "disabled" and fails);
// "" when it printed nothing or did not run.
func (h *host) query(name string, args ...string) string {
	out, _ := h.run(name, args...)
	return strings.TrimSpace(out)
}

// steps is what an install or uninstall did, one line each; changed
// says whether any changed the machine.
type steps struct {
	lines   []string
	changed bool
}

func (s *steps) did(format string, args ...any) {
	s.lines = append(s.lines, fmt.Sprintf(format, args...))
	s.changed = true
}

func (s *steps) kept(format string, args ...any) {
	s.lines = append(s.lines, fmt.Sprintf(format, args...))
}

func (c *command) service(args []string) error {
	if len(args) == 0 {
		return usagef("service: want install, status or uninstall")
	}
	switch args[0] {
	case "install":
		return c.serviceInstall(args[1:], hostAt)
	case "status":
		return c.serviceStatus(args[1:], hostAt)
	case "uninstall":
		return c.serviceUninstall(args[1:], hostAt)
	}
	return usagef("service: unknown subcommand %q: want install, status or uninstall", args[0])
}

// serviceFlags are the flags of service's subcommands: --db is the
// service's database, /var/lib/frontdesk/frontdesk.db unless given, and
// --root the tree it goes in.
func (c *command) serviceFlags(name, args string) (*flag.FlagSet, *string) {
	fs := c.flags(name, args)
	fs.Lookup("db").DefValue = serviceDB
	c.db = serviceDB
	root := fs.String("root", "/", "install under `DIR` instead of /, running no command (packaging, tests)")
	return fs, root
}

// serviceDataDir is the service's folder: its home, and the only one it
// may write.
var serviceDataDir = filepath.Dir(serviceDB)

// checkServiceDB checks --db for the service: a file in
// /var/lib/frontdesk, the folder the install makes the service's own.
func checkServiceDB(db string) error {
	if filepath.Dir(db) != serviceDataDir || !filepath.IsAbs(db) {
		return usagef("--db: the service's database is a file in %s, not %s", serviceDataDir, db)
	}
	if strings.ContainsAny(db, " \t\n\"'\\%$;") {
		return usagef("--db: a name without spaces, quotes or %%$;\\ for the service's database, not %q", filepath.Base(db))
	}
	return nil
}

func (c *command) serviceInstall(args []string, at func(root string) *host) error {
	fs, root := c.serviceFlags("service install", "[--binary PATH] [--db PATH] [--root DIR]")
	binary := fs.String("binary", "", "copy the program at `PATH` to "+copiedBinary+" and run the service from there (default: this program, where it is)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := checkServiceDB(c.db); err != nil {
		return err
	}
	h := at(*root)
	if err := h.mustBeRoot("install"); err != nil {
		return err
	}
	err := h.install(c.db, *binary)
	if err == nil {
		if h.log.changed {
			h.log.kept("installed: frontdesk service status shows the service; who uses the window on this PC joins the group %s (sudo usermod -aG %s USER, then log in again)", serviceAccount, serviceAccount)
		} else {
			h.log.kept("nothing changed: the service was installed already")
		}
	}
	return c.printSteps(&h.log, err)
}

func (c *command) serviceUninstall(args []string, at func(root string) *host) error {
	fs, root := c.serviceFlags("service uninstall", "[--root DIR]")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	h := at(*root)
	if err := h.mustBeRoot("uninstall"); err != nil {
		return err
	}
	err := h.uninstall()
	if err == nil && !h.log.changed {
		h.log.kept("nothing to remove: the service was not installed")
	}
	return c.printSteps(&h.log, err)
}

// printSteps prints what an install or uninstall did, one line each, or
// with --json {"changed": bool, "steps": [...]}. After a failure the
// steps done are printed, then the error once by run.
func (c *command) printSteps(s *steps, err error) error {
	if c.json && err == nil {
		return c.printJSON(struct {
			Changed bool     `json:"changed"`
			Steps   []string `json:"steps"`
		}{s.changed, s.lines})
	}
	if !c.json {
		for _, l := range s.lines {
			fmt.Fprintln(c.stdout, printable(l))
		}
	}
	return err
}

// install puts the service on the machine, the database at db, and
// starts it; each step changes only what differs.
func (h *host) install(db, binary string) error {
	exe, copied, err := h.program(binary)
	if err != nil {
		return err
	}
	for _, g := range serviceGroups {
		if h.query("getent", "group", g) != "" {
			continue
		}
		if ran, err := h.exec("groupadd", "--system", g); err != nil {
			return err
		} else if ran {
			h.log.did("created the system group %s", g)
		}
	}
	if err := h.account(); err != nil {
		return err
	}
	if err := h.dataDir(); err != nil {
		return err
	}
	unitChanged, err := h.installFile(unitPath, []byte(unitFile(exe, db)), 0o644)
	if err != nil {
		return err
	}
	udevChanged, err := h.installFile(udevRulesPath, assets.UdevRules, 0o644)
	if err != nil {
		return err
	}
	if _, err := h.installFile(desktopPath, []byte(desktopEntry(exe, db)), 0o644); err != nil {
		return err
	}
	icon, err := iconPNG(256)
	if err != nil {
		return err
	}
	if _, err := h.installFile(iconPath, icon, 0o644); err != nil {
		return err
	}
	if unitChanged {
		if ran, err := h.exec("systemctl", "daemon-reload"); err != nil {
			return err
		} else if ran {
			h.log.did("systemd read the new unit")
		}
	}
	enabled := h.query("systemctl", "is-enabled", "frontdesk")
	active := h.query("systemctl", "is-active", "frontdesk")
	switch {
	case enabled != "enabled" || active != "active":
		if ran, err := h.exec("systemctl", "enable", "--now", "frontdesk"); err != nil {
			return err
		} else if ran {
			h.log.did("enabled and started frontdesk.service: it starts with the PC")
		}
	case unitChanged || copied:
		if ran, err := h.exec("systemctl", "restart", "frontdesk"); err != nil {
			return err
		} else if ran {
			h.log.did("restarted frontdesk.service: its unit or its program changed")
		}
	default:
		h.log.kept("frontdesk.service is enabled and running")
	}
	if udevChanged {
		if ran, err := h.exec("udevadm", "control", "--reload-rules"); err != nil {
			return err
		} else if ran {
			h.log.did("udev read the new rules: unplug and plug again the USB readers and relays plugged in before")
		}
	}
	return nil
}

// program is the program the service runs: binary copied to
// /usr/local/bin/frontdesk when given, else this program where it is,
// unless the unit hides that folder from the service. copied says the
// copy changed the program there.
func (h *host) program(binary string) (exe string, copied bool, err error) {
	why := ""
	if binary == "" {
		if binary, err = h.exe(); err != nil {
			return "", false, fmt.Errorf("this program's path: %w", err)
		}
		if p, err := filepath.EvalSymlinks(binary); err == nil {
			binary = p
		}
		if !slices.ContainsFunc(hiddenFromService, func(dir string) bool { return strings.HasPrefix(binary, dir) }) {
			h.log.kept("the service runs %s", binary)
			return binary, false, nil
		}
		why = " (the service cannot see " + filepath.Dir(binary) + ")"
	}
	if binary, err = filepath.Abs(binary); err != nil {
		return "", false, err
	}
	data, err := os.ReadFile(binary)
	if err != nil {
		return "", false, fmt.Errorf("read the program to copy: %w", err)
	}
	if old, err := os.ReadFile(h.path(copiedBinary)); err == nil && bytes.Equal(old, data) {
		h.log.kept("%s is up to date", copiedBinary)
		return copiedBinary, false, nil
	}
	if err := writeInstalled(h.path(copiedBinary), data, 0o755); err != nil {
		return "", false, err
	}
	h.log.did("copied %s to %s%s", binary, copiedBinary, why)
	return copiedBinary, true, nil
}

// account makes the service's system account if missing, in the groups
// of the serial ports and USB devices.
func (h *host) account() error {
	if h.query("getent", "passwd", serviceAccount) == "" {
		ran, err := h.exec("useradd", "--system", "--user-group", "--home-dir", serviceDataDir,
			"--no-create-home", "--shell", "/usr/sbin/nologin", serviceAccount)
		if err != nil {
			return err
		}
		if ran {
			h.log.did("created the system user %s (home %s, no login)", serviceAccount, serviceDataDir)
		}
	} else {
		h.log.kept("the system user %s exists", serviceAccount)
	}
	in := strings.Fields(h.query("id", "-nG", serviceAccount))
	var missing []string
	for _, g := range serviceGroups {
		if !slices.Contains(in, g) {
			missing = append(missing, g)
		}
	}
	if len(missing) == 0 {
		h.log.kept("%s is in the groups %s", serviceAccount, strings.Join(serviceGroups, ", "))
		return nil
	}
	ran, err := h.exec("usermod", "--append", "--groups", strings.Join(missing, ","), serviceAccount)
	if ran {
		h.log.did("added %s to the groups %s", serviceAccount, strings.Join(missing, ", "))
	}
	return err
}

// dataDir makes /var/lib/frontdesk the service account's, mode 0750: the
// database, its socket and the checkpoint key are there.
func (h *host) dataDir() error {
	dir := h.path(serviceDataDir)
	var done []string
	fi, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
		done = append(done, "created")
		fi, err = os.Stat(dir)
		if err == nil && fi.Mode().Perm() == 0o750 {
			done = append(done, "mode 0750")
		}
	}
	if err != nil {
		return err
	}
	if fi.Mode().Perm() != 0o750 {
		if err := os.Chmod(dir, 0o750); err != nil {
			return err
		}
		done = append(done, "mode 0750")
	}
	owner := "owner " + serviceAccount + ":" + serviceAccount
	uid, gid, ok := h.ids()
	if st, isUnix := fi.Sys().(*syscall.Stat_t); ok && isUnix && (int(st.Uid) != uid || int(st.Gid) != gid) {
		if err := os.Chown(dir, uid, gid); err != nil {
			return err
		}
		done = append(done, owner)
	} else if !ok {
		owner = "no owner set: no user " + serviceAccount + " here"
	}
	if len(done) == 0 {
		h.log.kept("%s is there, mode 0750, %s", serviceDataDir, owner)
		return nil
	}
	h.log.did("%s: %s", serviceDataDir, strings.Join(done, ", "))
	return nil
}

// ids are the service account's user and group ids.
func (h *host) ids() (uid, gid int, ok bool) {
	f := strings.Split(h.query("getent", "passwd", serviceAccount), ":")
	if len(f) < 4 {
		return 0, 0, false
	}
	uid, err1 := strconv.Atoi(f[2])
	gid, err2 := strconv.Atoi(f[3])
	return uid, gid, err1 == nil && err2 == nil
}

// installFile writes data to p under the root unless it holds it
// already, and says which.
func (h *host) installFile(p string, data []byte, mode fs.FileMode) (changed bool, err error) {
	full := h.path(p)
	old, err := os.ReadFile(full)
	existed := err == nil
	if existed && bytes.Equal(old, data) {
		if fi, err := os.Stat(full); err == nil && fi.Mode().Perm() == mode {
			h.log.kept("%s is up to date", p)
			return false, nil
		}
	}
	if err := writeInstalled(full, data, mode); err != nil {
		return false, err
	}
	if existed {
		h.log.did("updated %s", p)
	} else {
		h.log.did("wrote %s", p)
	}
	return true, nil
}

// writeInstalled writes a file whole or not at all, with its mode, making
// its folders.
func writeInstalled(path string, data []byte, mode fs.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".frontdesk-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// uninstall stops the service and removes what install wrote but the
// data, the account and the program.
func (h *host) uninstall() error {
	if _, err := os.Stat(h.path(unitPath)); err == nil {
		if ran, err := h.exec("systemctl", "disable", "--now", "frontdesk"); err != nil {
			return err
		} else if ran {
			h.log.did("stopped and disabled frontdesk.service")
		}
	}
	removed := map[string]bool{}
	for _, p := range []string{unitPath, udevRulesPath, desktopPath, iconPath} {
		err := os.Remove(h.path(p))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			h.log.kept("%s was not there", p)
		case err != nil:
			return err
		default:
			h.log.did("removed %s", p)
			removed[p] = true
		}
	}
	if removed[unitPath] {
		if _, err := h.exec("systemctl", "daemon-reload"); err != nil {
			return err
		}
	}
	if removed[udevRulesPath] {
		if _, err := h.exec("udevadm", "control", "--reload-rules"); err != nil {
			return err
		}
	}
	h.log.kept("kept %s (the database) and the user %s: sudo userdel %s && sudo rm -r %s removes them",
		serviceDataDir, serviceAccount, serviceAccount, serviceDataDir)
	if _, err := os.Stat(h.path(copiedBinary)); err == nil {
		h.log.kept("kept %s: sudo rm %s removes it", copiedBinary, copiedBinary)
	}
	return nil
}

// serviceStatusJSON is what `service status --json` prints.
type serviceStatusJSON struct {
	Unit      string `json:"unit"`
	Installed bool   `json:"installed"`
	// Enabled and Active are systemctl's words (enabled, disabled,
	// active, inactive, failed...), "unknown" when it could not say.
	Enabled string `json:"enabled"`
	Active  string `json:"active"`
	DB      string `json:"db"`
	Socket  string `json:"socket"`
	// Answers says a service answered on the socket; Site and Version
	// are what it said, Problem why none answered.
	Answers bool   `json:"answers"`
	Site    string `json:"site,omitempty"`
	Version string `json:"version,omitempty"`
	Problem string `json:"problem,omitempty"`
}

func (c *command) serviceStatus(args []string, at func(root string) *host) error {
	fs, root := c.serviceFlags("service status", "[--db PATH] [--root DIR]")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	h := at(*root)
	st := serviceStatusJSON{Unit: unitPath, DB: c.db}
	if unit, err := os.ReadFile(h.path(unitPath)); err == nil {
		st.Installed = true
		if db := unitDB(string(unit)); db != "" && !flagGiven(fs, "db") {
			st.DB = db
		}
	}
	st.Enabled = orUnknown(h.query("systemctl", "is-enabled", "frontdesk"))
	st.Active = orUnknown(h.query("systemctl", "is-active", "frontdesk"))
	st.Socket = httpapi.SocketPath(st.DB)
	if cl, err := httpapi.DialUnix(h.path(st.Socket)); err != nil {
		st.Problem = dialProblem(h.path(st.Socket), err)
	} else {
		hello := cl.Hello()
		st.Answers, st.Site, st.Version = true, hello.Site, hello.Version
		cl.Close()
	}
	if c.json {
		return c.printJSON(st)
	}
	installed := "not installed"
	if st.Installed {
		installed = "installed"
	}
	answers := "no service answers: " + st.Problem
	if st.Answers {
		answers = fmt.Sprintf("answers: site %q", st.Site)
		if st.Version != "" {
			answers += ", Frontdesk " + st.Version
		}
	}
	tw := newTable(c.stdout, 0, 8, 2, 0)
	for _, row := range [][2]string{
		{"unit", st.Unit + " (" + installed + ")"},
		{"enabled", st.Enabled},
		{"active", st.Active},
		{"database", st.DB},
		{"socket", st.Socket},
		{"service", answers},
	} {
		tw.row(row[0], row[1])
	}
	return tw.flush()
}

// dialProblem says in short why no service answered on the socket.
func dialProblem(socket string, err error) string {
	if _, serr := os.Stat(socket); errors.Is(serr, fs.ErrNotExist) {
		return "no socket (the service is not running, or serves another database)"
	}
	var se *os.SyscallError
	if errors.As(err, &se) {
		return se.Error()
	}
	return err.Error()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// flagGiven says whether the command line set the flag name.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}

// unitDB is the --db of an installed unit's ExecStart, "" if none.
func unitDB(unit string) string {
	for _, line := range strings.Split(unit, "\n") {
		cmd, ok := strings.CutPrefix(line, "ExecStart=")
		if !ok {
			continue
		}
		f := strings.Fields(cmd)
		if i := slices.Index(f, "--db"); i >= 0 && i+1 < len(f) {
			return f[i+1]
		}
	}
	return ""
}

// unitFile is the systemd unit of the service running exe on db.
//
// The hardening keeps the service from changing the system outside its
// folder, and leaves it the devices: PrivateDevices and DeviceAllow are
// not used, since readers and relays come and go and are reached by
// their groups (SupplementaryGroups). UMask 0007 makes the database and
// the socket its group's: who is in the group frontdesk reaches the
// service. LimitRTPRIO=1 lets the devices' threads take the lowest
// real-time priority (procs.Raise), so that a tap runs as soon as its
// frame or its commit's sync is there, whatever the calls are doing; no
// other right comes with it, and RestrictRealtime must stay unset.
func unitFile(exe, db string) string {
	dir := filepath.Dir(db)
	return `# Frontdesk: the doors, readers and relays of this PC, without a window.
# Written by "frontdesk service install"; "frontdesk service uninstall" removes it.
[Unit]
Description=Frontdesk access control and attendance

[Service]
Type=simple
ExecStart=` + systemdArg(exe) + ` serve --db ` + db + `
User=` + serviceAccount + `
Group=` + serviceAccount + `
SupplementaryGroups=` + strings.Join(serviceGroups, " ") + `
Restart=on-failure
RestartSec=2
UMask=0007
LimitRTPRIO=1
NoNewPrivileges=yes
ProtectSystem=strict
ReadWritePaths=` + dir + `
ProtectHome=yes
PrivateTmp=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes

[Install]
WantedBy=multi-user.target
`
}

// systemdArg quotes a word of a unit's command line: "%" and "$" are
// systemd's specifiers and variables, spaces split words.
func systemdArg(s string) string {
	s = strings.NewReplacer("%", "%%", "$", "$$").Replace(s)
	if !strings.ContainsAny(s, " \t\"'\\;") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// desktopEntry is the menu's entry of the window, opened on the service's
// database: the window then works through the service.
func desktopEntry(exe, db string) string {
	return `[Desktop Entry]
Type=Application
Name=Frontdesk
GenericName=Access control and attendance
Comment=Doors, badges and attendance of this office
Exec=` + desktopArg(exe) + ` --db ` + db + `
Icon=frontdesk
Terminal=false
Categories=Office;
`
}

// desktopArg quotes a word of a desktop entry's Exec: "%" is a field
// code, and a word with a space or a reserved character is quoted.
func desktopArg(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if !strings.ContainsAny(s, " \t\n\"'\\><~|&;$*?#()`") {
		return s
	}
	return `"` + strings.NewReplacer(`\`, `\\\\`, `"`, `\\"`, "`", "\\\\`", `$`, `\\$`).Replace(s) + `"`
}

// iconPNG is the application icon at size×size pixels, for the icon
// theme's folder of that size.
func iconPNG(size int) ([]byte, error) {
	src, err := png.Decode(bytes.NewReader(assets.Icon))
	if err != nil {
		return nil, fmt.Errorf("icon: %w", err)
	}
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), draw.Src, nil)
	var b bytes.Buffer
	if err := png.Encode(&b, dst); err != nil {
		return nil, fmt.Errorf("icon: %w", err)
	}
	return b.Bytes(), nil
}
