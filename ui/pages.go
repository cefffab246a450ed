package ui

// allPages are the pages of the navigation, in order; each actor sees
// those its permissions allow (pagesFor).
func allPages() []page {
	return []page{receptionPage(), attendancePage(), justificationsPage(), reportsPage(), eventLogPage(), auditPage()}
}
