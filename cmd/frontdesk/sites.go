package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
	"frontdesk/core/natslink"
)

// joinCompany keeps serve's --hub, --site-id, --central and --hub-creds
// in the site settings (as a site file's federation would), so that every
// command on the database, and the window's service, know the site's
// place: a branch refuses directory changes whoever makes them.
func joinCompany(m *Main, a core.Actor, fed core.FederationSettings) error {
	if abs, err := filepath.Abs(fed.Creds); err == nil {
		fed.Creds = abs
	}
	if _, err := natslink.ReadCreds(fed.Creds); err != nil {
		return fmt.Errorf("--hub-creds: %w", err)
	}
	cur := m.Engine.Site().Federation
	switch {
	case fed.Central:
		fed.CentralSite = fed.SiteID
	case cur != nil && cur.SiteID == fed.SiteID:
		fed.CentralSite = cur.CentralSite // what the hub told this branch
	}
	if cur != nil && *cur == fed {
		return nil
	}
	return m.Engine.Import(a, &core.SiteFile{Site: &core.SiteSettings{Federation: &fed}})
}

// runLink runs the site's link to its company's hub while ctx lasts, when
// the site settings name one; a link that cannot run is logged, and the
// doors run on.
func runLink(ctx context.Context, m *Main) {
	fs := m.Engine.Site().Federation
	if fs == nil {
		return
	}
	creds, err := natslink.ReadCreds(fs.Creds)
	if err != nil {
		m.Log.Error("hub: not joined: the site's credentials", "file", fs.Creds, "err", err)
		return
	}
	l := &natslink.Link{Hub: fs.Hub, Creds: creds, Engine: m.Engine, Store: m.DB, Log: m.Log}
	// A refusal may end: the hub may not know the site yet (added a
	// moment ago) or be restored from a backup. The doors run meanwhile.
	for wait := time.Second; ; wait = min(2*wait, time.Minute) {
		err := l.Run(ctx)
		if ctx.Err() != nil {
			return
		}
		m.Log.Error("hub: not joined; trying again", "hub", fs.Hub, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

// siteRow is a line of `frontdesk sites`.
type siteRow struct {
	Site    string    `json:"site"`
	Central bool      `json:"central"`
	At      time.Time `json:"last_contact"`
	// EventsNotSent are the site's events the hub has not acknowledged.
	EventsNotSent uint64 `json:"events_not_sent"`
	// DirectoryBehind is, at a branch, how many revisions of the
	// directory it has not applied.
	DirectoryBehind uint64 `json:"directory_behind"`
	// Clashes are the doors and devices of other sites the site left
	// out, their ids taken there: SITE/KIND/ID.
	Clashes []string `json:"left_out"`
}

// sites lists the company's sites as the hub knows them: each one's last
// contact, the events it has not sent up, how far behind the directory
// it is, and the other sites' doors and devices it left out.
func (c *command) sites(args []string) error {
	fs := c.flags("sites", "[--db PATH] [--json]")
	c.readOnly = true
	if _, err := c.start(fs, args, 0, 0); err != nil {
		return err
	}
	defer c.close()
	fed := c.api.Site().Federation
	if fed == nil {
		return fmt.Errorf("%w: this site is alone: join a hub with serve --hub, or the site setting federation", core.ErrNotFound)
	}
	creds, err := natslink.ReadCreds(fed.Creds)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	nc, err := natslink.Dial(ctx, fed.Hub, creds)
	if err != nil {
		return fmt.Errorf("the hub %s does not answer: %w", fed.Hub, err)
	}
	defer nc.Close()
	rows, err := readSites(ctx, nc)
	if err != nil {
		return err
	}
	if c.json {
		return c.printJSON(rows)
	}
	tr := c.tr()
	tab := newTable(c.stdout, 2, 8, 2, 0)
	c.header(tab, "SITE", "ROLE", "LAST CONTACT", "EVENTS NOT SENT", "DIRECTORY BEHIND", "LEFT OUT")
	for _, r := range rows {
		role := tr.T("branch")
		if r.Central {
			role = tr.T("central")
		}
		tab.row(r.Site, role, c.local(r.At), r.EventsNotSent, r.DirectoryBehind, strings.Join(r.Clashes, ", "))
	}
	return tab.flush()
}

// readSites reads every site's status from the hub, in site order.
func readSites(ctx context.Context, nc *nats.Conn) ([]siteRow, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	kv, err := js.KeyValue(ctx, natslink.SitesBucket)
	if err != nil {
		return nil, fmt.Errorf("the hub's %s: %w", natslink.SitesBucket, err)
	}
	var directoryLast uint64
	if st, err := js.Stream(ctx, "KV_"+natslink.DirectoryBucket); err == nil {
		if info, err := st.Info(ctx); err == nil {
			directoryLast = info.State.LastSeq
		}
	}
	keys, err := kv.ListKeys(ctx)
	if err != nil {
		return nil, err
	}
	var rows []siteRow
	for key := range keys.Keys() {
		// The key names the site: only it may write it (the hub's
		// permissions), whatever its status says.
		site, ok := strings.CutSuffix(key, ".status")
		if !ok {
			continue
		}
		e, err := kv.Get(ctx, key)
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		var st natslink.SiteStatus
		if err := json.Unmarshal(e.Value(), &st); err != nil {
			continue
		}
		r := siteRow{Site: site, Central: st.Central, At: st.At, Clashes: st.Clashes}
		if st.EventsLast > st.EventsSent {
			r.EventsNotSent = st.EventsLast - st.EventsSent
		}
		if !st.Central && directoryLast > st.DirectoryApplied {
			r.DirectoryBehind = directoryLast - st.DirectoryApplied
		}
		rows = append(rows, r)
	}
	slices.SortFunc(rows, func(a, b siteRow) int { return strings.Compare(a.Site, b.Site) })
	return rows, nil
}
