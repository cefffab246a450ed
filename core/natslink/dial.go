package natslink

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
)

// The backoff between attempts to reach the hub: from reconnectMin,
// doubling, up to reconnectMax, each with up to a quarter more at random
// so that a hundred branches back after the same outage do not knock
// together.
const (
	reconnectMin = 250 * time.Millisecond
	reconnectMax = 30 * time.Second
)

func backoff(attempt int) time.Duration {
	d := reconnectMax
	if attempt < 16 {
		d = min(reconnectMin<<attempt, reconnectMax)
	}
	return d + rand.N(d/4+1)
}

// Dial connects to the hub at url (nats://HOST:PORT or tls://HOST:PORT,
// several separated by commas for a cluster) as the site of creds: over
// TLS, trusting only the hub's certificate of the creds, signing in with
// the site's nkey, with replies under the site's inbox prefix
// (InboxPrefix), and reconnecting forever, with backoff, once connected.
// opts come after Dial's own, so they may override them.
//
// Until the first connection Dial tries again with the same backoff
// until ctx ends, except for what trying again does not fix: a refused
// key or certificate is an error at once.
func Dial(ctx context.Context, url string, creds Creds, opts ...nats.Option) (*nats.Conn, error) {
	if err := creds.check(); err != nil {
		return nil, fmt.Errorf("hub credentials: %w", err)
	}
	kp, err := creds.keyPair()
	if err != nil {
		return nil, err
	}
	pub, err := kp.PublicKey()
	if err != nil {
		return nil, err
	}
	certs, err := creds.hubCerts()
	if err != nil {
		return nil, err
	}
	host, _ := os.Hostname()
	all := []nats.Option{
		nats.Name(strings.TrimSpace("frontdesk " + creds.Site + " " + host)),
		nats.Secure(pinnedTLS(certs)),
		nats.Nkey(pub, kp.Sign),
		nats.CustomInboxPrefix(InboxPrefix(creds.Site)),
		nats.MaxReconnects(-1),
		nats.CustomReconnectDelay(backoff),
		// A refused key is tried again too: the hub may be restored
		// from a backup that knows the site.
		nats.IgnoreAuthErrorAbort(),
		nats.Timeout(5 * time.Second),
	}
	all = append(all, opts...)
	for attempt := 0; ; attempt++ {
		nc, err := nats.Connect(url, all...)
		if err == nil {
			return nc, nil
		}
		if permanent(err) {
			return nil, fmt.Errorf("hub %s as site %s: %w", url, creds.Site, err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("hub %s: %w (%w)", url, err, ctx.Err())
		case <-time.After(backoff(attempt)):
		}
	}
}

// permanent says whether err is one trying again does not fix: the hub
// refused the key, or it is not the hub of the credentials.
func permanent(err error) bool {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var hostname x509.HostnameError
	return errors.Is(err, nats.ErrAuthorization) || errors.Is(err, nats.ErrAuthExpired) ||
		errors.Is(err, nats.ErrAuthRevoked) || errors.Is(err, nats.ErrNkeysNotSupported) ||
		errors.Is(err, errNotTheHub) ||
		errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &hostname) ||
		strings.Contains(err.Error(), "Authorization Violation")
}

var errNotTheHub = errors.New("the server's TLS certificate is not the hub's of the credentials")

// pinnedTLS is the TLS of a connection to the hub. A hub's own
// certificate (self-signed, no authority) is trusted as itself, whatever
// name it is reached by: it was made for the names the hub knew at its
// first start. An authority (a company's own NATS) is trusted for the
// certificates it signed for the name dialled, as usual. Never the
// system's roots.
func pinnedTLS(certs []*x509.Certificate) *tls.Config {
	roots := x509.NewCertPool()
	authority := false
	for _, c := range certs {
		roots.AddCert(c)
		authority = authority || c.IsCA
	}
	if authority {
		// nats.go sets ServerName to the host of the address dialled.
		return &tls.Config{MinVersion: tls.VersionTLS12, RootCAs: roots}
	}
	return &tls.Config{
		MinVersion: tls.VersionTLS12,
		// Checked below: the server's certificate must be one of certs.
		InsecureSkipVerify: true,
		VerifyConnection: func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) > 0 {
				for _, c := range certs {
					if bytes.Equal(cs.PeerCertificates[0].Raw, c.Raw) {
						return nil
					}
				}
			}
			return errNotTheHub
		},
	}
}
