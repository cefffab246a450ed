package httpapi

import (
	"fmt"
	"net/http"

	"frontdesk/core"
)

// This file is the client's side of staff accounts and roles
// (routes_staff.go).

// Accounts lists the staff accounts by username.
func (c *Client) Accounts(a core.Actor) ([]core.AccountInfo, error) {
	return ask[[]core.AccountInfo](c, a, http.MethodGet, "/v1/accounts", nil, nil)
}

// AddAccount creates an account with password.
func (c *Client) AddAccount(a core.Actor, acc core.AccountInfo, password string) (core.AccountInfo, error) {
	return ask[core.AccountInfo](c, a, http.MethodPost, "/v1/accounts", nil, AddAccountRequest{Account: acc, Password: password})
}

// SetAccountRoles replaces an account's roles.
func (c *Client) SetAccountRoles(a core.Actor, username string, roles []string) (core.AccountInfo, error) {
	seg, err := segment("account", username)
	if err != nil {
		return core.AccountInfo{}, err
	}
	return ask[core.AccountInfo](c, a, http.MethodPut, "/v1/accounts/"+seg+"/roles", nil, AccountRolesRequest{Roles: roles})
}

// SetAccountEnabled enables or disables an account. Disabling the
// account logged in on this client ends its session.
func (c *Client) SetAccountEnabled(a core.Actor, username string, enabled bool) (core.AccountInfo, error) {
	seg, err := segment("account", username)
	if err != nil {
		return core.AccountInfo{}, err
	}
	return ask[core.AccountInfo](c, a, http.MethodPut, "/v1/accounts/"+seg+"/enabled", nil, AccountEnabledRequest{Enabled: enabled})
}

// SetPassword sets an account's password. A new password ends the
// account's sessions; when it is the account logged in on this client,
// the client logs in again with it, so that the caller goes on as in
// process.
func (c *Client) SetPassword(a core.Actor, username, password string) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	seg, err := segment("account", username)
	if err != nil {
		return err
	}
	if err := c.send(http.MethodPut, "/v1/accounts/"+seg+"/password", nil, PasswordRequest{Password: password}, nil); err != nil {
		return err
	}
	c.mu.Lock()
	self := c.token != "" && c.as.Kind == core.ActorAccount && c.as.Name == username
	c.mu.Unlock()
	if self {
		if _, err := c.Login(username, password); err != nil {
			return fmt.Errorf("the password was changed, but the login with it failed: %w", err)
		}
	}
	return nil
}

// Roles lists the roles by id.
func (c *Client) Roles(a core.Actor) ([]core.Role, error) {
	return ask[[]core.Role](c, a, http.MethodGet, "/v1/roles", nil, nil)
}

// PutRole creates role r or replaces the role with its id.
func (c *Client) PutRole(a core.Actor, r core.Role) (core.Role, error) {
	seg, err := segment("role id", r.ID)
	if err != nil {
		return core.Role{}, err
	}
	return ask[core.Role](c, a, http.MethodPut, "/v1/roles/"+seg, nil, r)
}

// DeleteRole removes a role no account has.
func (c *Client) DeleteRole(a core.Actor, id string) error {
	if err := c.checkActor(a); err != nil {
		return err
	}
	seg, err := segment("role", id)
	if err != nil {
		return err
	}
	return c.call(http.MethodDelete, "/v1/roles/"+seg, nil, nil, nil)
}
