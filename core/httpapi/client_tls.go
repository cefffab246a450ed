package httpapi

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// TLSOptions say which certificate DialTLS trusts. The system's
// certificate authorities are never asked: a service is trusted by the
// fingerprint of its own, self-signed certificate, like an SSH server by
// its host key.
type TLSOptions struct {
	// Fingerprint (--fingerprint SHA256:...) is the certificate the
	// service must present, trusted without asking and remembered in
	// Known, in place of what Known remembered for the address.
	Fingerprint string
	// Known remembers the certificate of each service trusted once; nil
	// remembers nothing.
	Known *KnownHosts
	// Ask shows a service's fingerprint at the first connection to it and
	// says whether to trust it (then remembered in Known). Nil refuses,
	// with a message saying to pass --fingerprint.
	Ask func(addr, fingerprint string) (bool, error)
}

// ErrUntrusted is a service whose certificate is not trusted: not the
// one given, not the one remembered (CertificateChangedError), or not
// accepted at the first connection.
var ErrUntrusted = errors.New("the Frontdesk service's certificate is not trusted")

// CertificateChangedError is a service presenting another certificate
// than the one remembered for its address: an attacker in the middle, or
// a service reinstalled without its certificate files. Nothing is sent to
// it.
type CertificateChangedError struct {
	Addr string
	// Known is the fingerprint remembered, Presented the one seen.
	Known, Presented string
	// File and Line are where Known is remembered (Line 0 when it was
	// only remembered by this client since it connected).
	File string
	Line int
}

func (e *CertificateChangedError) Error() string {
	where := "when this program connected"
	remove := "Connect again once the change is explained."
	if e.Line > 0 {
		where = fmt.Sprintf("in %s, line %d", e.File, e.Line)
		remove = fmt.Sprintf("If the change is expected, check the new fingerprint with the service's administrator, then remove line %d from %s (or connect with --fingerprint and the fingerprint the administrator gives you).", e.Line, e.File)
	}
	return fmt.Sprintf(`WARNING: THE CERTIFICATE OF THE FRONTDESK SERVICE AT %s HAS CHANGED. Refused.
It presents the certificate   %s
but the one remembered is     %s (%s).
Someone may be intercepting the connection (an attack), or the service was reinstalled without its certificate files. Nothing was sent to it.
%s`, e.Addr, e.Presented, e.Known, where, remove)
}

// Is makes a changed certificate an ErrUntrusted.
func (e *CertificateChangedError) Is(target error) bool { return target == ErrUntrusted }

// dialTimeout bounds a connection to a service and its TLS handshake.
const dialTimeout = 10 * time.Second

// DialTLS connects to the service at addr (HOST:PORT) over TLS 1.3 and
// says hello, trusting its certificate as o says:
//
//   - with o.Fingerprint, the certificate must be that one; it is then
//     remembered in o.Known;
//   - else, when o.Known remembers addr, it must be that one: another is
//     refused with a *CertificateChangedError, loudly;
//   - else o.Ask is asked, and a yes remembered; a no or a nil Ask
//     refuses.
//
// A refused certificate is an ErrUntrusted; nothing answering, or not
// over TLS, is an ErrNoService. The question is asked before the
// connection that carries calls is opened, so a person may take their
// time; every later connection must present the same certificate.
func DialTLS(addr string, o TLSOptions) (*Client, error) {
	if _, err := hostKey(addr); err != nil {
		return nil, err
	}
	if o.Fingerprint != "" {
		if err := checkFingerprint(o.Fingerprint); err != nil {
			return nil, fmt.Errorf("--fingerprint: %w", err)
		}
	}
	presented, err := probeFingerprint(addr)
	if err != nil {
		return nil, fmt.Errorf("%w at %s: %v", ErrNoService, addr, err)
	}
	if err := o.trust(addr, presented); err != nil {
		return nil, err
	}
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSClientConfig:     pinnedConfig(addr, presented, 0, ""),
		TLSHandshakeTimeout: dialTimeout,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
	}
	c := &Client{hc: &http.Client{Transport: tr}, base: "https://" + addr, where: addr}
	if err := c.sayHello(); err != nil {
		tr.CloseIdleConnections()
		var changed *CertificateChangedError
		switch {
		case errors.As(err, &changed):
			// The service switched certificates between the first look
			// and the call.
			return nil, changed
		case unreachable(err):
			return nil, fmt.Errorf("%w at %s: %v", ErrNoService, addr, err)
		}
		return nil, err
	}
	return c, nil
}

// unreachable says whether err is a connection that failed or a peer
// that does not speak TLS: no service there.
func unreachable(err error) bool {
	var ne net.Error
	var re tls.RecordHeaderError
	return errors.As(err, &ne) || errors.As(err, &re) || errors.Is(err, io.EOF)
}

// probeFingerprint connects to addr and returns the fingerprint of the
// certificate it presents, sending nothing else.
func probeFingerprint(addr string) (string, error) {
	var fp string
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS13,
		// The certificate is only read here: trust decides on its
		// fingerprint, and the connections that carry calls are pinned
		// to it (pinnedConfig).
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the service presented no certificate")
			}
			fp = Fingerprint(cs.PeerCertificates[0])
			return nil
		},
	}
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: dialTimeout}, "tcp", addr, cfg)
	if err != nil {
		return "", err
	}
	conn.Close()
	return fp, nil
}

// pinnedConfig is the TLS configuration of the connections to addr: the
// system's certificate authorities are not asked, the certificate must
// be the one of fingerprint fp (remembered at line of file, if it is).
func pinnedConfig(addr, fp string, line int, file string) *tls.Config {
	return &tls.Config{
		MinVersion:         tls.VersionTLS13,
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return fmt.Errorf("%w: the service at %s presented no certificate", ErrUntrusted, addr)
			}
			if got := Fingerprint(cs.PeerCertificates[0]); got != fp {
				return &CertificateChangedError{Addr: addr, Known: fp, Presented: got, File: file, Line: line}
			}
			return nil
		},
	}
}

// trust decides whether the certificate of fingerprint presented, seen
// at addr, is the service's (DialTLS's rules).
func (o TLSOptions) trust(addr, presented string) error {
	if o.Fingerprint != "" {
		if presented != o.Fingerprint {
			return fmt.Errorf("%w: the service at %s presents the certificate %s, not %s given with --fingerprint: refused; check the fingerprint with the service's administrator", ErrUntrusted, addr, presented, o.Fingerprint)
		}
		return o.remember(addr, presented)
	}
	if o.Known != nil {
		known, line, err := o.Known.lookup(addr)
		if err != nil {
			return err
		}
		if line > 0 {
			if presented != known {
				return &CertificateChangedError{Addr: addr, Known: known, Presented: presented, File: o.Known.Path, Line: line}
			}
			return nil
		}
	}
	if o.Ask == nil {
		return fmt.Errorf("%w: the service at %s is not known on this computer; its certificate is %s. Check that fingerprint with the service's administrator, then connect again with --fingerprint and the fingerprint they give you", ErrUntrusted, addr, presented)
	}
	ok, err := o.Ask(addr, presented)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: the certificate %s of the service at %s was not accepted", ErrUntrusted, presented, addr)
	}
	return o.remember(addr, presented)
}

// remember keeps fp as addr's certificate in o.Known, if any.
func (o TLSOptions) remember(addr, fp string) error {
	if o.Known == nil {
		return nil
	}
	if err := o.Known.Add(addr, fp); err != nil {
		return fmt.Errorf("remember the certificate of %s: %w", addr, err)
	}
	return nil
}
