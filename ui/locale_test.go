package ui

// The tests run Fyne like the app does, so they read the C locale of CI
// machines as English too, instead of logging an error for it.
import _ "frontdesk/ui/locale"
