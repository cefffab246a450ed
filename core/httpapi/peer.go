package httpapi

import (
	"context"
	"net"
	"os"
	"os/user"
	"strconv"
	"strings"
)

// Peer is who is at the other end of a connection, as the service sees
// it, never as the client says.
type Peer struct {
	// Unix is a caller on the Unix socket; UID, GID and PID come from the
	// socket's peer credentials (SO_PEERCRED), User is the UID's name.
	Unix          bool
	UID, GID, PID int
	User          string
	// CommandLine says the caller acts as the command line, with every
	// permission: root, the database file's owner, or a member of its
	// group, on the Unix socket only.
	CommandLine bool
	// Addr is the caller's network address (TLS), for the per-address
	// limit on failed logins; "unix" on the socket.
	Addr string
}

type peerKey struct{}

// peerOf is the peer stored in ctx by Serve; a stranger when none.
func peerOf(ctx context.Context) *Peer {
	if p, ok := ctx.Value(peerKey{}).(*Peer); ok {
		return p
	}
	return &Peer{Addr: "unknown"}
}

// PeerPolicy says who on a listener acts as the command line.
type PeerPolicy struct {
	// Unix: a Unix socket whose callers are identified by their peer
	// credentials; false for TLS, where nobody is the command line.
	Unix bool
	// OwnerUID and GroupGID are the database file's owner and group:
	// with root, the people who could open the file themselves.
	OwnerUID, GroupGID int
}

// PolicyFor is the Unix socket policy of the database file at path.
func PolicyFor(path string) (PeerPolicy, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return PeerPolicy{}, err
	}
	uid, gid := fileOwner(fi)
	return PeerPolicy{Unix: true, OwnerUID: uid, GroupGID: gid}, nil
}

// peer identifies the caller on c.
func (p PeerPolicy) peer(c net.Conn) *Peer {
	if !p.Unix {
		host, _, err := net.SplitHostPort(c.RemoteAddr().String())
		if err != nil {
			host = c.RemoteAddr().String()
		}
		return &Peer{Addr: host}
	}
	peer := &Peer{Unix: true, Addr: "unix", UID: -1, GID: -1}
	uc, ok := c.(*net.UnixConn)
	if !ok {
		return peer
	}
	cred, err := peerCred(uc)
	if err != nil {
		return peer
	}
	peer.UID, peer.GID, peer.PID = cred.uid, cred.gid, cred.pid
	peer.User = strconv.Itoa(cred.uid)
	if u, err := user.LookupId(peer.User); err == nil {
		peer.User = u.Username
	}
	peer.CommandLine = cred.uid == 0 || cred.uid == p.OwnerUID || cred.gid == p.GroupGID ||
		inGroup(cred.pid, cred.uid, p.GroupGID)
	return peer
}

// inGroup says whether the process pid (of user uid) is in group gid: its
// supplementary groups from /proc, else the user's groups.
func inGroup(pid, uid, gid int) bool {
	if b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "Groups:"); ok {
				for _, g := range strings.Fields(rest) {
					if g == strconv.Itoa(gid) {
						return true
					}
				}
				return false
			}
		}
	}
	u, err := user.LookupId(strconv.Itoa(uid))
	if err != nil {
		return false
	}
	groups, err := u.GroupIds()
	if err != nil {
		return false
	}
	for _, g := range groups {
		if g == strconv.Itoa(gid) {
			return true
		}
	}
	return false
}

// cred is a socket peer's credentials.
type cred struct{ uid, gid, pid int }
