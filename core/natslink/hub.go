package natslink

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"

	"frontdesk/core/tlscert"
)

// HubConfig says how to run a hub.
type HubConfig struct {
	// Store is the hub's folder DIR (made at the first start): its
	// certificate, its own nkey, the sites' public keys and the streams.
	Store string
	// Listen is HOST:PORT for the sites; port 0 is any free one.
	Listen string
	// Name is the hub's name, unique in a cluster; default the host's.
	Name string
	// Cluster is HOST:PORT where the hub meets the other hubs of a
	// cluster, and Routes their cluster addresses (nats://HOST:PORT):
	// with them the streams have three replicas. The hubs of a cluster
	// share one certificate (the files hub-tls.crt and hub-tls.key of
	// the first one's store), which their routes present to each other.
	Cluster string
	Routes  []string
	// Log receives what the hub says; default nothing.
	Log *slog.Logger
	// Poll is how often the hub looks for added and removed sites;
	// default a quarter of a second.
	Poll time.Duration
}

// Hub is an embedded NATS server with JetStream for the sites of one
// company (docs/federation.md): TLS only, an nkey for every connection,
// each site with its permissions.
type Hub struct {
	cfg         HubConfig
	srv         *server.Server
	base        *server.Options
	cert        tls.Certificate
	fingerprint string
	admin       nkeys.KeyPair
	adminPub    string
	conn        *nats.Conn // the hub's own, in process

	mu    sync.Mutex
	sites map[string]Site
	bad   string // the damaged site files last said

	ready    chan struct{} // closed when the streams are there
	readyErr error
	stop     chan struct{}
	done     sync.WaitGroup
}

// StartHub starts the hub of cfg: it makes the store and the
// certificate at the first start, starts the server, and creates the
// stream and buckets in the background (Ready says when). The hub runs
// until Close.
func StartHub(cfg HubConfig) (*Hub, error) {
	if cfg.Store == "" {
		return nil, fmt.Errorf("%w: name the hub's store folder", ErrNoStore)
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 250 * time.Millisecond
	}
	host, port, err := splitHostPort("listen", cfg.Listen)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(cfg.Store, sitesDir), 0o700); err != nil {
		return nil, fmt.Errorf("hub store %s: %w", cfg.Store, err)
	}
	pair := tlscert.Pair{Cert: filepath.Join(cfg.Store, hubCertFile), Key: filepath.Join(cfg.Store, hubKeyFile), Name: "Frontdesk hub"}
	cert, fp, err := pair.LoadOrCreate([]string{host})
	if err != nil {
		return nil, err
	}
	admin, err := hubKey(filepath.Join(cfg.Store, hubSeedFile))
	if err != nil {
		return nil, err
	}
	adminPub, err := admin.PublicKey()
	if err != nil {
		return nil, err
	}
	sites, bad, err := readSites(cfg.Store)
	if err != nil {
		return nil, err
	}
	for _, err := range bad {
		cfg.Log.Error("hub site left out", "err", err)
	}
	h := &Hub{cfg: cfg, cert: cert, fingerprint: fp, admin: admin, adminPub: adminPub,
		sites: bySite(sites), bad: fmt.Sprint(bad), ready: make(chan struct{}), stop: make(chan struct{})}

	o := &server.Options{
		ServerName: cfg.Name,
		Host:       host,
		Port:       port,
		JetStream:  true,
		StoreDir:   filepath.Join(cfg.Store, jetstreamDir),
		TLSConfig: &tls.Config{
			MinVersion:   tls.VersionTLS12,
			Certificates: []tls.Certificate{cert},
		},
		TLSTimeout: 5,
		// No user means no connection: an nkey is asked of everyone.
		Nkeys:  h.users(),
		NoSigs: true,
	}
	if cfg.Cluster != "" {
		if cfg.Name == "" {
			return nil, errors.New("a hub of a cluster needs a name of its own, the same at every start")
		}
		chost, cport, err := splitHostPort("cluster", cfg.Cluster)
		if err != nil {
			return nil, err
		}
		o.Cluster = server.ClusterOpts{
			Name: "frontdesk", Host: chost, Port: cport,
			TLSConfig:  clusterTLS(cert),
			TLSTimeout: 5,
		}
		for _, r := range cfg.Routes {
			rs := server.RoutesFromStr(r)
			if len(rs) == 0 {
				return nil, fmt.Errorf("route %q: want nats://HOST:PORT", r)
			}
			o.Routes = append(o.Routes, rs...)
		}
	} else if len(cfg.Routes) > 0 {
		return nil, errors.New("routes without a cluster address: give the hub's own cluster HOST:PORT too")
	}
	srv, err := server.NewServer(o)
	if err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	srv.SetLoggerV2(slogLogger{cfg.Log}, false, false, false)
	h.srv, h.base = srv, o
	srv.Start()
	if !srv.ReadyForConnections(10 * time.Second) {
		srv.Shutdown()
		return nil, fmt.Errorf("hub: not listening on %s after 10 s (is the port in use? the hub's log says why)", cfg.Listen)
	}
	h.conn, err = nats.Connect("", nats.InProcessServer(srv), nats.Nkey(adminPub, admin.Sign),
		nats.Name("frontdesk hub"), nats.MaxReconnects(-1))
	if err != nil {
		srv.Shutdown()
		return nil, fmt.Errorf("hub: its own connection: %w", err)
	}
	h.done.Add(2)
	go h.ensureStreams()
	go h.watchSites()
	return h, nil
}

// splitHostPort reads HOST:PORT for the flag what.
func splitHostPort(what, s string) (string, int, error) {
	host, p, err := net.SplitHostPort(s)
	if err != nil {
		return "", 0, fmt.Errorf("%s %q: want HOST:PORT", what, s)
	}
	port, err := strconv.Atoi(p)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("%s %q: bad port", what, s)
	}
	if port == 0 {
		port = server.RANDOM_PORT
	}
	return host, port, nil
}

// hubKey is the hub's own nkey, its seed in path, made at the first
// start.
func hubKey(path string) (nkeys.KeyPair, error) {
	seed, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		kp, err := nkeys.CreateUser()
		if err != nil {
			return nil, fmt.Errorf("make the hub's nkey: %w", err)
		}
		if seed, err = kp.Seed(); err != nil {
			return nil, fmt.Errorf("make the hub's nkey: %w", err)
		}
		if err := tlscert.WriteFile(path, append(seed, '\n'), 0o600); err != nil {
			return nil, err
		}
		return kp, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the hub's nkey: %w", err)
	}
	kp, err := nkeys.FromSeed(bytes.TrimSpace(seed))
	if err != nil {
		return nil, fmt.Errorf("the hub's nkey %s: %w", path, err)
	}
	return kp, nil
}

// clusterTLS is the routes' TLS between the hubs of a cluster: each
// presents the shared certificate and accepts only a hub that presents
// it too.
func clusterTLS(cert tls.Certificate) *tls.Config {
	same := func(raw [][]byte, _ [][]*x509.Certificate) error {
		if len(raw) == 0 || !bytes.Equal(raw[0], cert.Leaf.Raw) {
			return errors.New("not a hub of this cluster: its certificate is not the cluster's")
		}
		return nil
	}
	return &tls.Config{
		MinVersion:   tls.VersionTLS12,
		Certificates: []tls.Certificate{cert},
		ClientAuth:   tls.RequireAnyClientCert,
		// The certificate is checked by VerifyPeerCertificate, whatever
		// name a route dials.
		InsecureSkipVerify:    true,
		VerifyPeerCertificate: same,
	}
}

func bySite(sites []Site) map[string]Site {
	m := make(map[string]Site, len(sites))
	for _, s := range sites {
		m[s.Site] = s
	}
	return m
}

// users are the nkeys the hub accepts: its own and each site's, with the
// permissions of docs/federation.md.
func (h *Hub) users() []*server.NkeyUser {
	users := []*server.NkeyUser{{Nkey: h.adminPub}}
	for _, id := range sortedKeys(h.sites) {
		s := h.sites[id]
		users = append(users, &server.NkeyUser{Nkey: s.PublicKey, Permissions: SitePermissions(s.Site, s.Central)})
	}
	return users
}

func sortedKeys(m map[string]Site) []string { return slices.Sorted(maps.Keys(m)) }

// replicas is 3 on a cluster, else 1.
func (h *Hub) replicas() int {
	if h.cfg.Cluster != "" {
		return 3
	}
	return 1
}

// ensureStreams creates the stream and buckets, trying again every
// quarter second until it works or the hub stops: a hub of a cluster waits for
// the others.
func (h *Hub) ensureStreams() {
	defer h.done.Done()
	js, err := jetstream.New(h.conn)
	if err != nil {
		h.readyErr = err
		close(h.ready)
		return
	}
	stopped, stop := context.WithCancel(context.Background())
	defer stop()
	go func() {
		select {
		case <-h.stop:
			stop()
		case <-stopped.Done():
		}
	}()
	for {
		ctx, cancel := context.WithTimeout(stopped, 3*time.Second)
		err := EnsureStreams(ctx, js, h.replicas())
		cancel()
		if err == nil {
			h.cfg.Log.Info("hub streams ready", "replicas", h.replicas())
			close(h.ready)
			return
		}
		h.cfg.Log.Warn("hub streams not ready yet", "err", err)
		select {
		case <-h.stop:
			h.readyErr = errors.New("hub stopped")
			close(h.ready)
			return
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Ready waits until the hub's stream and buckets are there, or ctx ends.
func (h *Hub) Ready(ctx context.Context) error {
	select {
	case <-h.ready:
		return h.readyErr
	case <-ctx.Done():
		return fmt.Errorf("hub streams: %w", ctx.Err())
	}
}

// watchSites reloads the sites every Poll and gives the server the new
// list when it changed: an added site may connect, a removed one's
// connections are closed.
func (h *Hub) watchSites() {
	defer h.done.Done()
	t := time.NewTicker(h.cfg.Poll)
	defer t.Stop()
	for {
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
		if err := h.reloadSites(); err != nil {
			h.cfg.Log.Error("hub sites", "err", err)
		}
	}
}

// reloadSites applies the sites of the store, if they changed. A store
// that cannot be read leaves the hub's sites as they were; a damaged
// site file leaves that site out (it cannot connect) and is said once.
func (h *Hub) reloadSites() error {
	sites, bad, err := readSites(h.cfg.Store)
	if err != nil {
		return err
	}
	now := bySite(sites)
	h.mu.Lock()
	defer h.mu.Unlock()
	said := fmt.Sprint(bad)
	if len(bad) > 0 && said != h.bad {
		for _, err := range bad {
			h.cfg.Log.Error("hub site left out", "err", err)
		}
	}
	h.bad = said
	if maps.Equal(now, h.sites) {
		return nil
	}
	old := h.sites
	h.sites = now
	o := h.base.Clone()
	o.Nkeys = h.users()
	if err := h.srv.ReloadOptions(o); err != nil {
		h.sites = old
		return fmt.Errorf("reload the sites: %w", err)
	}
	for id := range now {
		if _, ok := old[id]; !ok {
			h.cfg.Log.Info("hub site added", "site", id)
		}
	}
	for id := range old {
		if _, ok := now[id]; !ok {
			h.cfg.Log.Info("hub site removed", "site", id)
		}
	}
	return nil
}

// Addr is the address the hub listens on for the sites, HOST:PORT.
func (h *Hub) Addr() string {
	if a := h.srv.Addr(); a != nil {
		return a.String()
	}
	return h.cfg.Listen
}

// URL is the address to give Dial: tls://HOST:PORT.
func (h *Hub) URL() string { return "tls://" + h.Addr() }

// ClusterAddr is where the hub meets the other hubs, or "".
func (h *Hub) ClusterAddr() string {
	if a := h.srv.ClusterAddr(); a != nil {
		return a.String()
	}
	return ""
}

// Fingerprint is the fingerprint of the hub's certificate, as a site's
// credentials file pins it.
func (h *Hub) Fingerprint() string { return h.fingerprint }

// Close stops the hub: the sites' connections are closed, the streams
// stay in the store.
func (h *Hub) Close() error {
	select {
	case <-h.stop:
		return nil
	default:
	}
	close(h.stop)
	h.done.Wait()
	h.conn.Close()
	h.srv.Shutdown()
	h.srv.WaitForShutdown()
	return nil
}

// slogLogger passes the server's log to a slog.Logger.
type slogLogger struct{ l *slog.Logger }

func (s slogLogger) Noticef(format string, v ...any) { s.l.Info(fmt.Sprintf(format, v...)) }
func (s slogLogger) Warnf(format string, v ...any) {
	msg := fmt.Sprintf(format, v...)
	// The server warns that it does not check the routes' certificates
	// itself: clusterTLS does, against the cluster's own.
	if strings.Contains(msg, "solicited routes will not be verified") {
		return
	}
	s.l.Warn(msg)
}
func (s slogLogger) Fatalf(format string, v ...any) { s.l.Error(fmt.Sprintf(format, v...)) }
func (s slogLogger) Errorf(format string, v ...any) { s.l.Error(fmt.Sprintf(format, v...)) }
func (s slogLogger) Debugf(format string, v ...any) { s.l.Debug(fmt.Sprintf(format, v...)) }
func (s slogLogger) Tracef(format string, v ...any) { s.l.Debug(fmt.Sprintf(format, v...)) }
