package httpapi

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"
)

// maxSocketPath is the longest path a Unix socket may have (sun_path,
// less its terminating zero).
const maxSocketPath = 107

// SocketPath is where the service of the database at db listens: beside
// it, "frontdesk.db" → "frontdesk.db.sock", so that whoever may reach the
// database's folder finds its service, and two databases never share
// one. A path too long for a socket (about 107 bytes) falls back to
// $XDG_RUNTIME_DIR (else the temporary folder) as
// frontdesk-HASH.sock, HASH naming the database's absolute path.
func SocketPath(db string) string {
	abs, err := filepath.Abs(db)
	if err != nil {
		abs = db
	}
	p := abs + ".sock"
	if len(p) <= maxSocketPath {
		return p
	}
	sum := sha256.Sum256([]byte(abs))
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "frontdesk-"+hex.EncodeToString(sum[:8])+".sock")
}

// ErrServed is Listen finding a live service already on the socket.
var ErrServed = errors.New("another Frontdesk already serves this database")

// Listen opens the Unix socket at path, mode 0660 (the database's owner
// and group), group gid when gid ≥ 0. A socket left by a process that
// died is replaced; one a live service answers on is not (ErrServed).
func Listen(path string, gid int) (net.Listener, error) {
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("%w (socket %s)", ErrServed, path)
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("listen %s: a file that is not a socket is in the way", path)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("listen %s: remove the stale socket: %w", path, err)
		}
	}
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", path, err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(true)
	// Connecting needs write permission on the socket: 0660 lets the
	// owner and the group in. Before this chmod the usual umask leaves it
	// writable by its owner only, so nobody else gets in early.
	if err := os.Chmod(path, 0o660); err != nil {
		ln.Close()
		return nil, fmt.Errorf("listen %s: %w", path, err)
	}
	if gid >= 0 {
		// Best effort: the group of the database when the owner is in it.
		_ = os.Chown(path, -1, gid)
	}
	return ln, nil
}
