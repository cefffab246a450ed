package ui

// allPages are the pages of the navigation, in order; each actor sees
// those its permissions allow (pagesFor). The demo's tap panel comes
// second when o has a way to tap; the settings page backs up through o's
// hooks.
func allPages(o Options) []page {
	pages := []page{receptionPage()}
	if o.DemoTap != nil {
		pages = append(pages, demoTapPage(o.DemoTap))
	}
	return append(pages,
		peoplePage(), attendancePage(), justificationsPage(), reportsPage(),
		grantsPage(), doorsPage(), accessPage(), staffPage(), settingsPage(o.Backup, o.Restore),
		eventLogPage(), auditPage())
}
