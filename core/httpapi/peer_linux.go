package httpapi

import (
	"net"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// peerCred reads the credentials of the process at the other end of c
// (SO_PEERCRED): the kernel's word, not the client's.
func peerCred(c *net.UnixConn) (cred, error) {
	raw, err := c.SyscallConn()
	if err != nil {
		return cred{}, err
	}
	var uc *unix.Ucred
	var serr error
	if err := raw.Control(func(fd uintptr) {
		uc, serr = unix.GetsockoptUcred(int(fd), unix.SOL_SOCKET, unix.SO_PEERCRED)
	}); err != nil {
		return cred{}, err
	}
	if serr != nil {
		return cred{}, serr
	}
	return cred{uid: int(uc.Uid), gid: int(uc.Gid), pid: int(uc.Pid)}, nil
}

// fileOwner is a file's owner and group.
func fileOwner(fi os.FileInfo) (uid, gid int) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return int(st.Uid), int(st.Gid)
	}
	return -1, -1
}
