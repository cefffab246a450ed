package httpapi

import (
	"frontdesk/core"
)

// This file serves the staff accounts and their roles (core.API's "Staff
// accounts and roles"). A change to an account ends its sessions when it
// disables it or sets its password (the session's stamp, see sessions).

// routesStaff registers the routes of staff accounts and roles.
func (s *Server) routesStaff() {
	s.handle("GET /v1/accounts", s.accounts)
	s.handle("POST /v1/accounts", s.addAccount)
	s.handle("PUT /v1/accounts/{username}/roles", s.setAccountRoles)
	s.handle("PUT /v1/accounts/{username}/enabled", s.setAccountEnabled)
	s.handle("PUT /v1/accounts/{username}/password", s.setPassword)
	s.handle("GET /v1/roles", s.roles)
	s.handle("PUT /v1/roles/{id}", s.putRole)
	s.handle("DELETE /v1/roles/{id}", s.deleteRole)
}

// AddAccountRequest is the body of POST /v1/accounts: the account and its
// first password.
type AddAccountRequest struct {
	Account  core.AccountInfo `json:"account"`
	Password string           `json:"password"`
}

// AccountRolesRequest is the body of PUT /v1/accounts/{username}/roles:
// the account's roles, replacing its others.
type AccountRolesRequest struct {
	Roles []string `json:"roles"`
}

// AccountEnabledRequest is the body of PUT /v1/accounts/{username}/enabled.
type AccountEnabledRequest struct {
	Enabled bool `json:"enabled"`
}

// PasswordRequest is the body of PUT /v1/accounts/{username}/password.
type PasswordRequest struct {
	Password string `json:"password"`
}

// POST /v1/accounts and the PUTs of an account answer the account as it
// is (core.AccountInfo); PUT /v1/roles/{id} takes and answers a
// core.Role.

func (s *Server) accounts(c *call) (any, error) { return s.engine.Accounts(c.actor) }

func (s *Server) addAccount(c *call) (any, error) {
	var req AddAccountRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.AddAccount(c.actor, req.Account, req.Password)
}

func (s *Server) setAccountRoles(c *call) (any, error) {
	var req AccountRolesRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.SetAccountRoles(c.actor, c.r.PathValue("username"), req.Roles)
}

func (s *Server) setAccountEnabled(c *call) (any, error) {
	var req AccountEnabledRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	return s.engine.SetAccountEnabled(c.actor, c.r.PathValue("username"), req.Enabled)
}

func (s *Server) setPassword(c *call) (any, error) {
	var req PasswordRequest
	if err := c.decode(&req); err != nil {
		return nil, err
	}
	if err := s.engine.SetPassword(c.actor, c.r.PathValue("username"), req.Password); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func (s *Server) roles(c *call) (any, error) { return s.engine.Roles(c.actor) }

func (s *Server) putRole(c *call) (any, error) {
	var r core.Role
	if err := c.decode(&r); err != nil {
		return nil, err
	}
	if err := sameID("id", c.r.PathValue("id"), r.ID); err != nil {
		return nil, err
	}
	return s.engine.PutRole(c.actor, r)
}

func (s *Server) deleteRole(c *call) (any, error) {
	if err := s.engine.DeleteRole(c.actor, c.r.PathValue("id")); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}
