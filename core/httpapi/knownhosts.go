package httpapi

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
)

// KnownHosts is a user's file of the services they trust, like SSH's
// known_hosts: one line per service, "HOST:PORT SHA256:...", the address
// dialled and the fingerprint of the certificate it presented the first
// time. Blank lines and lines starting with # are skipped. The usual
// file is UserKnownHosts'.
type KnownHosts struct {
	Path string
}

// UserKnownHosts is the user's known services file:
// $XDG_CONFIG_HOME/frontdesk/known_services, by default
// ~/.config/frontdesk/known_services.
func UserKnownHosts() (*KnownHosts, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) {
		// The XDG rule: a relative value is ignored.
		home, err := os.UserHomeDir()
		if err != nil {
			return nil, fmt.Errorf("known services file: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return &KnownHosts{Path: filepath.Join(dir, "frontdesk", "known_services")}, nil
}

// Lookup returns the fingerprint remembered for addr (HOST:PORT; the
// host's case does not matter). A missing file remembers nothing; a line
// that is not "HOST:PORT SHA256:..." is an error naming it.
func (k *KnownHosts) Lookup(addr string) (fp string, ok bool, err error) {
	fp, line, err := k.lookup(addr)
	return fp, line > 0, err
}

// lookup is Lookup with the line number (0 when addr is not there).
func (k *KnownHosts) lookup(addr string) (fp string, line int, err error) {
	key, err := hostKey(addr)
	if err != nil {
		return "", 0, err
	}
	lines, err := k.read()
	if err != nil {
		return "", 0, err
	}
	for i, l := range lines {
		if l.addr == key {
			return l.fp, i + 1, nil
		}
	}
	return "", 0, nil
}

// Add remembers fp for addr, in place of what was remembered for it. The
// file is rewritten whole (a temporary file renamed over it), mode 0600;
// its folder is made, mode 0700, when missing.
func (k *KnownHosts) Add(addr, fp string) error {
	key, err := hostKey(addr)
	if err != nil {
		return err
	}
	if err := checkFingerprint(fp); err != nil {
		return err
	}
	lines, err := k.read()
	if err != nil {
		return err
	}
	var b bytes.Buffer
	added := false
	for _, l := range lines {
		switch {
		case l.addr != key:
			b.WriteString(l.text)
		case !added:
			fmt.Fprintf(&b, "%s %s", key, fp)
			added = true
		default:
			continue
		}
		b.WriteByte('\n')
	}
	if !added {
		fmt.Fprintf(&b, "%s %s\n", key, fp)
	}
	if err := os.MkdirAll(filepath.Dir(k.Path), 0o700); err != nil {
		return fmt.Errorf("known services file: %w", err)
	}
	return writeFileAtomic(k.Path, b.Bytes(), 0o600)
}

// knownLine is one line of the file: its text as written, and the
// service it names (none for a blank line or a comment).
type knownLine struct {
	text     string
	addr, fp string
}

// read returns the file's lines; none when it does not exist.
func (k *KnownHosts) read() ([]knownLine, error) {
	f, err := os.Open(k.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("known services file: %w", err)
	}
	defer f.Close()
	var lines []knownLine
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := knownLine{text: sc.Text()}
		t := strings.TrimSpace(l.text)
		if t != "" && !strings.HasPrefix(t, "#") {
			fields := strings.Fields(t)
			if len(fields) != 2 {
				return nil, fmt.Errorf("%s line %d: want HOST:PORT SHA256:..., not %q", k.Path, n, t)
			}
			key, err := hostKey(fields[0])
			if err != nil {
				return nil, fmt.Errorf("%s line %d: %w", k.Path, n, err)
			}
			if err := checkFingerprint(fields[1]); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", k.Path, n, err)
			}
			l.addr, l.fp = key, fields[1]
		}
		lines = append(lines, l)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("known services file %s: %w", k.Path, err)
	}
	return lines, nil
}

// hostKey is addr as the file writes it: HOST:PORT, the host in lower
// case, an IPv6 address in brackets.
func hostKey(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" || port == "" {
		return "", fmt.Errorf("service address %q: want HOST:PORT", addr)
	}
	return net.JoinHostPort(strings.ToLower(host), port), nil
}
