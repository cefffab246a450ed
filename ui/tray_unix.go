//go:build linux || freebsd || openbsd || netbsd

package ui

import "github.com/godbus/dbus/v5"

// trayHost reports whether the desktop shows tray icons: on these systems
// a tray is a StatusNotifierWatcher on the session bus. Without one, Fyne's
// tray shows nothing (a window kept running in it could not be found
// again), and its library crashes when the app quits
// (fyne-io/fyne#6403). It never starts a session bus to ask.
func trayHost() bool {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return false
	}
	defer conn.Close()
	if conn.Auth(nil) != nil || conn.Hello() != nil {
		return false
	}
	var owned bool
	err = conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, "org.kde.StatusNotifierWatcher").Store(&owned)
	return err == nil && owned
}
