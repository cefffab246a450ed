package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/term"

	"frontdesk/core/httpapi"
)

// dial finds the service of the database named by --db: a live Frontdesk
// on its socket (httpapi.SocketPath). httpapi.ErrNoService means none
// answers, and the command opens the file itself.
//
// With --connect HOST:PORT (or FRONTDESK_CONNECT) it is the service at
// that address over TLS, and nothing else: no file is opened instead.
// Over the network only staff act, so a command there needs --user.
func (c *command) dial() (*httpapi.Client, error) {
	if c.connect == "" {
		return httpapi.DialUnix(httpapi.SocketPath(c.db))
	}
	if c.user == "" {
		return nil, usagef("--connect %s: over the network only staff accounts act: give --user NAME", c.connect)
	}
	cl, err := c.dialTLS(c.connect)
	if errors.Is(err, httpapi.ErrNoService) {
		// Not ErrNoService for the caller: there is no file to fall back on.
		return nil, fmt.Errorf("--connect %s: %s", c.connect, strings.TrimPrefix(err.Error(), httpapi.ErrNoService.Error()+" "))
	}
	return cl, err
}

// serveAPI serves the engine of m on the database's Unix socket, and over
// TLS on m.Listen when set, until ctx ends: whichever process owns the
// database (serve, or the window when no service runs) answers every
// other command and window. The socket is mode 0660 in the database's
// group, and callers are told apart by their peer credentials
// (httpapi.PeerPolicy); over TLS only staff logins act.
func serveAPI(ctx context.Context, m *Main) error {
	policy, err := httpapi.PolicyFor(m.DBPath)
	if err != nil {
		return err
	}
	srv := httpapi.NewServer(m.Engine, httpapi.Options{Ops: m.ops(), Log: m.Log, Version: buildVersion()})
	errs := make(chan error, 2)
	n := 0
	if m.tls != nil {
		n++
		go func() { errs <- srv.ServeTLS(ctx, m.tls.ln, m.tls.cert) }()
	}
	path := httpapi.SocketPath(m.DBPath)
	ln, err := httpapi.Listen(path, policy.GroupGID)
	if err != nil {
		m.Log.Warn("api: no socket; commands on this PC cannot reach the database while it runs", "socket", path, "err", err)
	} else {
		n++
		m.Log.Info("api: serving", "socket", path)
		go func() { errs <- srv.Serve(ctx, ln, policy) }()
	}
	var first error
	for range n {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// tlsListener is serve --listen: the address, open before the doors
// start so that a port in use is an error at once, and the certificate.
type tlsListener struct {
	ln          net.Listener
	cert        tls.Certificate
	fingerprint string
}

// listenTLS opens addr for the API over TLS, with the certificate kept
// beside the database (made at the first start).
func listenTLS(db, addr string) (*tlsListener, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, usagef("--listen: %v (want HOST:PORT)", err)
	}
	var hosts []string
	if host != "" {
		hosts = append(hosts, host)
	}
	cert, fp, err := httpapi.LoadOrCreateCert(filepath.Dir(db), hosts)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen: %w", err)
	}
	return &tlsListener{ln: ln, cert: cert, fingerprint: fp}, nil
}

// dialTLS connects to the service at addr (--connect), trusting its
// certificate by fingerprint: --fingerprint, the user's known services,
// else the user is shown the fingerprint and asked (when standard input
// is a terminal).
func (c *command) dialTLS(addr string) (*httpapi.Client, error) {
	known, err := httpapi.UserKnownHosts()
	if err != nil {
		return nil, err
	}
	o := httpapi.TLSOptions{Fingerprint: c.fingerprint, Known: known}
	if f, ok := c.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		o.Ask = func(addr, fp string) (bool, error) {
			fmt.Fprintf(c.stderr, "The Frontdesk service at %s is not known yet.\nIts certificate's fingerprint is %s.\n"+
				"Check it with the service's administrator (frontdesk serve prints it). Trust it? [yes/no] ", addr, fp)
			line, err := bufio.NewReader(c.stdin).ReadString('\n')
			if err != nil && line == "" {
				return false, err
			}
			return strings.EqualFold(strings.TrimSpace(line), "yes"), nil
		}
	}
	return httpapi.DialTLS(addr, o)
}

// reportCheckpoint is the checkpoint a report's footer carries: signed by
// the service when there is one (its key, its file), else here.
func (c *command) reportCheckpoint() (string, error) {
	if c.remote != nil {
		return c.remote.ReportCheckpoint(c.actor())
	}
	return c.main.checkpoints().forReport()
}
