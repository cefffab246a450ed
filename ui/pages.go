package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"frontdesk/core"
)

// allPages are the pages of the navigation, in order; each actor sees
// those its permissions allow (pagesFor).
func allPages() []page {
	return []page{feedPage()}
}

// feedPage is the live feed of taps with the device strip.
func feedPage() page {
	return page{id: "feed", title: lang.L("Live feed"), needs: []core.Permission{core.PermLogsViewAny, core.PermLogsViewOwn},
		build: func(s *session) fyne.CanvasObject {
			f := newFeedScreen(s.engine, s.actor, s.log)
			if s.listen != nil {
				s.listen(f)
			}
			bar := newDeviceBar(s.engine, s.actor, s.after)
			bottom := container.NewVBox(widget.NewSeparator(), bar.build())
			return container.NewBorder(feedHeadings(), bottom, nil, nil, f.build())
		}}
}
