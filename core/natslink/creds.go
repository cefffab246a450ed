package natslink

import (
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nkeys"

	"frontdesk/core"
	"frontdesk/core/tlscert"
)

// Creds is a site's credentials file (docs/federation.md): the site's id
// and role, the seed of its nkey, and the hub's certificate, the only one
// Dial trusts. It is a secret: whoever holds it is the site.
type Creds struct {
	Site    string `json:"site"`
	Central bool   `json:"central"`
	Seed    string `json:"seed"`
	HubCA   string `json:"hub_ca"`
}

// Site is what the hub knows of one site, the file DIR/sites/ID.json:
// its id, its role, the public half of its nkey and when it was added.
type Site struct {
	Site      string    `json:"site"`
	Central   bool      `json:"central"`
	PublicKey string    `json:"public_key"`
	Added     time.Time `json:"added"`
}

// The errors of the hub's store and of credentials files.
var (
	// ErrBadSiteID is a site id that is not 1 to 64 letters, digits,
	// '-' or '_': an id is a token of the hub's subjects.
	ErrBadSiteID = errors.New("bad site id")
	// ErrNoStore is a hub store folder that is not there.
	ErrNoStore = errors.New("no hub store")
	// ErrUnknownSite is a site the hub's store does not hold.
	ErrUnknownSite = errors.New("unknown site")
	// ErrSiteExists is adding a site the store holds already, or writing
	// credentials over a file, without asking to replace it.
	ErrSiteExists = errors.New("site exists")
)

// The files of a hub's store DIR.
const (
	hubCertFile  = "hub-tls.crt" // the hub's TLS certificate, given to every site
	hubKeyFile   = "hub-tls.key" // its private key, 0600
	hubSeedFile  = "hub.nk"      // the seed of the hub's own nkey, 0600
	sitesDir     = "sites"       // one SITE.json a site
	jetstreamDir = "jetstream"   // the streams and buckets
)

// CheckSiteID says whether id may name a site (core.CheckSiteID: an id
// without '.', which would split a subject).
func CheckSiteID(id string) error {
	if core.CheckSiteID("site", id) != nil {
		return fmt.Errorf("%w %q: use 1 to 64 letters, digits, '-' or '_'", ErrBadSiteID, id)
	}
	return nil
}

// checkStore says whether the hub store dir is there.
func checkStore(dir string) error {
	if dir == "" {
		return fmt.Errorf("%w: name the hub's store folder", ErrNoStore)
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%w %s: no such folder (frontdesk hub --store makes it at its first start)", ErrNoStore, dir)
	case err != nil:
		return fmt.Errorf("hub store %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("%w %s: not a folder", ErrNoStore, dir)
	}
	return nil
}

func sitePath(dir, id string) string { return filepath.Join(dir, sitesDir, id+".json") }

// hubCert is the hub's certificate in dir, made if it is not there yet
// (a site added before the hub's first start), with its PEM.
func hubCert(dir string, hosts []string) (pair tlscert.Pair, pemCert string, err error) {
	pair = tlscert.Pair{Cert: filepath.Join(dir, hubCertFile), Key: filepath.Join(dir, hubKeyFile), Name: "Frontdesk hub"}
	cert, _, err := pair.LoadOrCreate(hosts)
	if err != nil {
		return pair, "", err
	}
	return pair, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Leaf.Raw})), nil
}

// AddSite makes the credentials of site id in the hub's store dir: a new
// nkey, whose public half it writes to DIR/sites/ID.json (a running hub
// accepts it within a second) and which it returns with the hub's
// certificate, after writing them to the file out (mode 0600) unless out
// is "". A site the store holds already, or an out file that is there,
// is ErrSiteExists unless replace, which gives the site a new key (its
// old credentials stop working). A bad id is ErrBadSiteID, a missing
// store ErrNoStore; on any error the store is as it was.
func AddSite(dir, id string, central bool, out string, replace bool) (Creds, error) {
	if err := CheckSiteID(id); err != nil {
		return Creds{}, err
	}
	if err := checkStore(dir); err != nil {
		return Creds{}, err
	}
	path := sitePath(dir, id)
	if _, err := os.Stat(path); err == nil && !replace {
		return Creds{}, fmt.Errorf("%w: the hub has site %s already (remove it first, or replace its credentials)", ErrSiteExists, id)
	}
	if out != "" && !replace {
		if _, err := os.Lstat(out); err == nil {
			return Creds{}, fmt.Errorf("%w: %s is there already (choose another file, or replace it)", ErrSiteExists, out)
		}
	}
	_, ca, err := hubCert(dir, nil)
	if err != nil {
		return Creds{}, err
	}
	kp, err := nkeys.CreateUser()
	if err != nil {
		return Creds{}, fmt.Errorf("make the nkey of site %s: %w", id, err)
	}
	seed, err := kp.Seed()
	if err != nil {
		return Creds{}, fmt.Errorf("make the nkey of site %s: %w", id, err)
	}
	pub, err := kp.PublicKey()
	if err != nil {
		return Creds{}, fmt.Errorf("make the nkey of site %s: %w", id, err)
	}
	rec, err := json.MarshalIndent(Site{Site: id, Central: central, PublicKey: pub, Added: time.Now().UTC().Truncate(time.Second)}, "", "  ")
	if err != nil {
		return Creds{}, err
	}
	if err := os.MkdirAll(filepath.Join(dir, sitesDir), 0o700); err != nil {
		return Creds{}, fmt.Errorf("hub store %s: %w", dir, err)
	}
	c := Creds{Site: id, Central: central, Seed: string(seed), HubCA: ca}
	// The credentials first: the hub never accepts a key nobody holds.
	if out != "" {
		if err := WriteCreds(out, c, replace); err != nil {
			return Creds{}, err
		}
	}
	if err := tlscert.WriteFile(path, append(rec, '\n'), 0o600); err != nil {
		if out != "" {
			os.Remove(out)
		}
		return Creds{}, err
	}
	return c, nil
}

// RemoveSite revokes site id's credentials: a running hub refuses them,
// and closes the site's connections, within a second. A site the store
// does not hold is ErrUnknownSite.
func RemoveSite(dir, id string) error {
	if err := CheckSiteID(id); err != nil {
		return err
	}
	if err := checkStore(dir); err != nil {
		return err
	}
	err := os.Remove(sitePath(dir, id))
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w %s: the hub has no such site (frontdesk hub sites lists them)", ErrUnknownSite, id)
	}
	if err != nil {
		return fmt.Errorf("remove site %s: %w", id, err)
	}
	return nil
}

// Sites lists the sites of the hub's store dir, by id. A file that is
// not a site's record is an error naming it: the hub would not know
// whom it names.
func Sites(dir string) ([]Site, error) {
	sites, bad, err := readSites(dir)
	if err != nil {
		return nil, err
	}
	if len(bad) > 0 {
		return nil, bad[0]
	}
	return sites, nil
}

// readSites reads the sites of dir: the good ones, and an error for each
// file that is not a site's record. err is a store that cannot be read.
func readSites(dir string) (sites []Site, bad []error, err error) {
	if err := checkStore(dir); err != nil {
		return nil, nil, err
	}
	entries, err := os.ReadDir(filepath.Join(dir, sitesDir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("hub store %s: %w", dir, err)
	}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if !ok || e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue // temporary files of a write under way, and others
		}
		path := filepath.Join(dir, sitesDir, e.Name())
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue // removed since the listing
		}
		if err != nil {
			bad = append(bad, fmt.Errorf("site file %s: %w", path, err))
			continue
		}
		var s Site
		switch err := json.Unmarshal(b, &s); {
		case err != nil:
			bad = append(bad, fmt.Errorf("site file %s: %w", path, err))
		case CheckSiteID(id) != nil:
			bad = append(bad, fmt.Errorf("site file %s: %w", path, CheckSiteID(id)))
		case s.Site != id:
			bad = append(bad, fmt.Errorf("site file %s: it names site %q", path, s.Site))
		case !nkeys.IsValidPublicUserKey(s.PublicKey):
			bad = append(bad, fmt.Errorf("site file %s: %q is not a user's public nkey", path, s.PublicKey))
		default:
			sites = append(sites, s)
		}
	}
	slices.SortFunc(sites, func(a, b Site) int { return strings.Compare(a.Site, b.Site) })
	return sites, bad, nil
}

// WriteCreds writes c to path, mode 0600. An existing file is
// ErrSiteExists unless replace: credentials are not overwritten by
// mistake.
func WriteCreds(path string, c Creds, replace bool) error {
	if !replace {
		if _, err := os.Lstat(path); err == nil {
			return fmt.Errorf("%w: %s is there already (choose another file, or replace it)", ErrSiteExists, path)
		}
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return tlscert.WriteFile(path, append(b, '\n'), 0o600)
}

// ReadCreds reads and checks the credentials file at path.
func ReadCreds(path string) (Creds, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Creds{}, fmt.Errorf("hub credentials: %w", err)
	}
	var c Creds
	if err := json.Unmarshal(b, &c); err != nil {
		return Creds{}, fmt.Errorf("hub credentials %s: %w", path, err)
	}
	if err := c.check(); err != nil {
		return Creds{}, fmt.Errorf("hub credentials %s: %w", path, err)
	}
	return c, nil
}

// check says whether c can be used: a good id, a user's seed and a
// certificate.
func (c Creds) check() error {
	if err := CheckSiteID(c.Site); err != nil {
		return err
	}
	if _, err := c.keyPair(); err != nil {
		return err
	}
	_, err := c.hubCerts()
	return err
}

func (c Creds) keyPair() (nkeys.KeyPair, error) {
	kp, err := nkeys.FromSeed([]byte(c.Seed))
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if pub, err := kp.PublicKey(); err != nil || !nkeys.IsValidPublicUserKey(pub) {
		return nil, errors.New("seed: not a user's nkey")
	}
	return kp, nil
}

func (c Creds) hubCerts() ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	rest := []byte(c.HubCA)
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("hub_ca: %w", err)
		}
		certs = append(certs, cert)
	}
	if len(certs) == 0 {
		return nil, errors.New("hub_ca: no certificate")
	}
	return certs, nil
}
