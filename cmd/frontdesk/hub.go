package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core/natslink"
)

// hub is `frontdesk hub`: the NATS hub of a company's sites
// (docs/federation.md), and the credentials of each site.
func (c *command) hub(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "add-site":
			return c.hubAddSite(args[1:])
		case "remove-site":
			return c.hubRemoveSite(args[1:])
		case "sites":
			return c.hubSites(args[1:])
		case "init":
			return c.hubInit(ctx, args[1:])
		}
		if !strings.HasPrefix(args[0], "-") {
			return usagef("hub: unknown subcommand %q: want add-site, remove-site, sites or init, or flags to run the hub", args[0])
		}
	}
	return c.hubRun(ctx, args)
}

// hubFlags is a flag set for hub's subcommands: every command's flags
// (--user logs in as everywhere, though nothing here opens the
// database).
func (c *command) hubFlags(name, args string) *flag.FlagSet { return c.flags(name, args) }

func storeFlag(fs *flag.FlagSet) *string {
	return fs.String("store", "", "the hub's folder `DIR`: its certificate, its key, the sites' keys and the streams")
}

// needStore is the usage error of a missing --store.
func needStore(fs *flag.FlagSet, store string) error {
	if store == "" {
		return usagef("%s: --store DIR is required (the hub's folder)", fs.Name())
	}
	return nil
}

// siteError makes a bad site id bad input: exit status 2.
func siteError(err error, id string) error {
	if errors.Is(err, natslink.ErrBadSiteID) {
		return usagef("bad site id %q: use 1 to 64 letters, digits, '-' or '_'", id)
	}
	return err
}

func (c *command) hubRun(ctx context.Context, args []string) error {
	fs := c.hubFlags("hub", "--listen HOST:PORT --store DIR [--cluster HOST:PORT --routes URL,URL --name NAME]\n"+
		"       frontdesk hub add-site|remove-site|sites|init ...  each site's credentials (frontdesk hub add-site -h)")
	listen := fs.String("listen", "", "listen for the sites on `HOST:PORT` (TLS)")
	store := storeFlag(fs)
	cluster := fs.String("cluster", "", "meet the other hubs of a cluster of three on `HOST:PORT`")
	routes := fs.String("routes", "", "the other hubs' cluster addresses, `URL,URL` (nats://HOST:PORT)")
	name := fs.String("name", "", "this hub's `NAME`, unique in its cluster (default the host's name)")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if *listen == "" {
		return usagef("hub: --listen HOST:PORT is required")
	}
	for flag, addr := range map[string]string{"listen": *listen, "cluster": *cluster} {
		if _, port, err := net.SplitHostPort(addr); addr != "" && (err != nil || port == "") {
			return usagef("hub: --%s %q: want HOST:PORT", flag, addr)
		}
	}
	if err := needStore(fs, *store); err != nil {
		return err
	}
	cfg := natslink.HubConfig{Store: *store, Listen: *listen, Name: *name, Cluster: *cluster,
		Log: slog.New(slog.NewTextHandler(c.stderr, nil))}
	if *routes != "" {
		if *cluster == "" {
			return usagef("hub: --routes needs --cluster HOST:PORT, where this hub meets them")
		}
		for _, r := range strings.Split(*routes, ",") {
			if r = strings.TrimSpace(r); r != "" {
				cfg.Routes = append(cfg.Routes, r)
			}
		}
	}
	if *cluster != "" && cfg.Name == "" {
		cfg.Name, _ = os.Hostname()
	}
	h, err := natslink.StartHub(cfg)
	if err != nil {
		return err
	}
	defer h.Close()
	fmt.Fprintf(c.stdout, "hub on %s; certificate fingerprint %s\n", h.URL(), h.Fingerprint())
	if a := h.ClusterAddr(); a != "" {
		fmt.Fprintf(c.stdout, "cluster on %s\n", a)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := h.Ready(ctx); err == nil {
		fmt.Fprintln(c.stdout, "streams ready")
	}
	<-ctx.Done()
	return nil
}

func (c *command) hubAddSite(args []string) error {
	fs := c.hubFlags("hub add-site", "ID [--central] --store DIR --out FILE [--replace]")
	central := fs.Bool("central", false, "the central site, which owns the directory and may do everything")
	store := storeFlag(fs)
	out := fs.String("out", "", "write the site's credentials to `FILE` (mode 0600)")
	replace := fs.Bool("replace", false, "give a site the hub has already new credentials, and overwrite FILE")
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if err := needStore(fs, *store); err != nil {
		return err
	}
	if *out == "" {
		return usagef("hub add-site: --out FILE is required (the site's credentials)")
	}
	creds, err := natslink.AddSite(*store, pos[0], *central, *out, *replace)
	if err != nil {
		return siteError(err, pos[0])
	}
	role := "branch"
	if creds.Central {
		role = "central site"
	}
	fmt.Fprintf(c.stdout, "site %s (%s) added; its credentials are in %s: give them to that site only\n", creds.Site, role, *out)
	return nil
}

func (c *command) hubRemoveSite(args []string) error {
	fs := c.hubFlags("hub remove-site", "ID --store DIR")
	store := storeFlag(fs)
	pos, err := parse(fs, args, 1, 1)
	if err != nil {
		return err
	}
	if err := needStore(fs, *store); err != nil {
		return err
	}
	if err := natslink.RemoveSite(*store, pos[0]); err != nil {
		return siteError(err, pos[0])
	}
	fmt.Fprintf(c.stdout, "site %s removed: the hub refuses its credentials and closes its connections\n", pos[0])
	return nil
}

func (c *command) hubSites(args []string) error {
	fs := c.hubFlags("hub sites", "--store DIR [--json]")
	store := storeFlag(fs)
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	if err := needStore(fs, *store); err != nil {
		return err
	}
	sites, err := natslink.Sites(*store)
	if err != nil {
		return err
	}
	if c.json {
		if sites == nil {
			sites = []natslink.Site{}
		}
		return c.printJSON(sites)
	}
	if len(sites) == 0 {
		fmt.Fprintln(c.stdout, "no sites: frontdesk hub add-site adds one")
		return nil
	}
	tw := tabwriter.NewWriter(c.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SITE\tROLE\tADDED\tPUBLIC KEY")
	for _, s := range sites {
		role := "branch"
		if s.Central {
			role = "central"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", s.Site, role, s.Added.Local().Format(time.DateTime), s.PublicKey)
	}
	return tw.Flush()
}

// hubInit is `frontdesk hub init`: the stream and buckets on a company's
// own NATS, made with the central site's credentials.
func (c *command) hubInit(ctx context.Context, args []string) error {
	fs := c.hubFlags("hub init", "--connect URL --creds FILE [--replicas 1|3]")
	// --connect, every command's flag for the service over TLS, names
	// the company's NATS here.
	connect := fs.Lookup("connect")
	connect.Usage, connect.DefValue, c.connect = "the company's NATS at `URL` (tls://HOST:PORT)", "", ""
	credsPath := fs.String("creds", "", "the central site's credentials `FILE`")
	replicas := fs.Int("replicas", 1, "the streams' replicas: 1, or 3 on a cluster of three")
	if _, err := parse(fs, args, 0, 0); err != nil {
		return err
	}
	url := &c.connect
	switch {
	case *url == "":
		return usagef("hub init: --connect URL is required")
	case *credsPath == "":
		return usagef("hub init: --creds FILE is required (the central site's)")
	case *replicas != 1 && *replicas != 3:
		return usagef("hub init: --replicas is 1 or 3, not %d", *replicas)
	}
	creds, err := natslink.ReadCreds(*credsPath)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	nc, err := natslink.Dial(ctx, *url, creds)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}
	if err := natslink.EnsureStreams(ctx, js, *replicas); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "the stream %s and the buckets %s and %s are ready on %s\n",
		natslink.EventsStream, natslink.DirectoryBucket, natslink.SitesBucket, *url)
	return nil
}
