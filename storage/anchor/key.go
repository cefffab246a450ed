package anchor

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"frontdesk/core"
)

// Dir is the folder of the signing key and of the checkpoint files:
// frontdesk in the user's config folder ($XDG_CONFIG_HOME, else
// ~/.config, on Linux).
func Dir() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("checkpoint folder: %w", err)
	}
	return filepath.Join(base, "frontdesk"), nil
}

// keyFile is the private key's file name in Dir: PKCS #8 in PEM.
const keyFile = "checkpoint-key.pem"

// KeyPath is the private key's file in dir.
func KeyPath(dir string) string { return filepath.Join(dir, keyFile) }

// Key is a private key that signs checkpoints.
type Key struct {
	priv ed25519.PrivateKey
}

// Public is the key's public half, which checks what it signs.
func (k *Key) Public() PublicKey {
	return PublicKey{key: k.priv.Public().(ed25519.PublicKey)}
}

// Sign returns c, with its time cut to the second in UTC, signed by k.
func (k *Key) Sign(c Checkpoint) Checkpoint {
	c.At = c.At.UTC().Truncate(time.Second)
	c.Key = k.Public().ID()
	c.Sig = ed25519.Sign(k.priv, []byte(c.body()))
	return c
}

// PublicKey checks checkpoints.
type PublicKey struct {
	key ed25519.PublicKey
}

// ID names the key in checkpoints: the first 16 hex digits of the SHA-256
// of the key.
func (p PublicKey) ID() string {
	sum := sha256.Sum256(p.key)
	return hex.EncodeToString(sum[:keyIDLen/2])
}

// String is the key as ParsePublicKey reads it: "ed25519:" and 64 hex
// digits.
func (p PublicKey) String() string { return "ed25519:" + hex.EncodeToString(p.key) }

// ParsePublicKey reads a public key as String writes it, or a PEM
// "PUBLIC KEY" block (PKIX, as openssl writes it). The error wraps
// core.ErrInvalid.
func ParsePublicKey(s string) (PublicKey, error) {
	s = strings.TrimSpace(s)
	if block, _ := pem.Decode([]byte(s)); block != nil {
		if block.Type != "PUBLIC KEY" {
			return PublicKey{}, fmt.Errorf("%w: public key: a PEM %q block, want PUBLIC KEY", core.ErrInvalid, block.Type)
		}
		k, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return PublicKey{}, fmt.Errorf("%w: public key: %v", core.ErrInvalid, err)
		}
		ek, ok := k.(ed25519.PublicKey)
		if !ok {
			return PublicKey{}, fmt.Errorf("%w: public key: a %T, want Ed25519", core.ErrInvalid, k)
		}
		return PublicKey{key: ek}, nil
	}
	h, ok := strings.CutPrefix(s, "ed25519:")
	b, err := hex.DecodeString(h)
	if !ok || err != nil || len(b) != ed25519.PublicKeySize {
		return PublicKey{}, fmt.Errorf("%w: public key %q: want ed25519: and %d hex digits, or a PEM PUBLIC KEY",
			core.ErrInvalid, clip(s), 2*ed25519.PublicKeySize)
	}
	return PublicKey{key: ed25519.PublicKey(b)}, nil
}

// LoadKey reads the key in dir. Its error matches fs.ErrNotExist when
// there is none yet. A key file that other users may read is refused:
// whoever reads it can sign checkpoints.
func LoadKey(dir string) (*Key, error) {
	path := KeyPath(dir)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("checkpoint key %s: other users may read it (mode %04o): run chmod 600 on it", path, perm)
	}
	data, err := io.ReadAll(io.LimitReader(f, 64<<10))
	if err != nil {
		return nil, fmt.Errorf("checkpoint key %s: %w", path, err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("checkpoint key %s: not a PEM PRIVATE KEY", path)
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("checkpoint key %s: %w", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("checkpoint key %s: a %T, want Ed25519", path, k)
	}
	return &Key{priv: priv}, nil
}

// OpenKey reads the key in dir, making it first if there is none: the
// folder with mode 0700 (set so if it was there), the file with mode 0600. The
// file appears whole or not at all, and when two processes make one at
// once, both end up with the same.
func OpenKey(dir string) (*Key, error) {
	k, err := LoadKey(dir)
	if !errors.Is(err, fs.ErrNotExist) {
		return k, err
	}
	// The folder is Frontdesk's: only its user enters it, even when it
	// was there before the key.
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+keyFile+".*") // mode 0600
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	defer os.Remove(tmp.Name())
	err = pem.Encode(tmp, &pem.Block{Type: "PRIVATE KEY", Bytes: der})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	// Link, unlike Rename, never replaces a key another process made
	// meanwhile: the one made first is the key.
	if err := os.Link(tmp.Name(), KeyPath(dir)); err != nil && !errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	syncDir(dir)
	return LoadKey(dir)
}

// syncDir makes a new name in dir durable; where it cannot, the name is
// still there unless the machine crashes.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
