package ui

// allPages are the pages of the navigation, in order; each actor sees
// those its permissions allow (pagesFor). The settings page backs up and
// restores through o's hooks.
func allPages(o Options) []page {
	return []page{
		receptionPage(), peoplePage(), attendancePage(), justificationsPage(), reportsPage(),
		grantsPage(), doorsPage(), accessPage(), staffPage(), settingsPage(o.Backup, o.Restore),
		eventLogPage(), auditPage(),
	}
}
