package httpapi

// routesAreas registers the routes of each area of the API.
func (s *Server) routesAreas() {
	s.handle("GET /v1/me/authorize", s.authorize)
	s.routesPeople()
	s.routesAccess()
	s.routesStaff()
	s.routesDoors()
	s.routesLog()
	s.routesAttendance()
	s.routesOps()
}
