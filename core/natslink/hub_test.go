package natslink

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"
)

// testHub starts a hub on loopback with its store in a temporary folder
// and waits for its streams.
func testHub(t *testing.T) *Hub {
	t.Helper()
	h, err := StartHub(HubConfig{Store: filepath.Join(t.TempDir(), "hub"), Listen: "127.0.0.1:0", Poll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	return h
}

// addSite adds a site to h's store and waits until the hub knows it.
func addSite(t *testing.T, h *Hub, id string, central bool) Creds {
	t.Helper()
	c, err := AddSite(h.cfg.Store, id, central, "", false)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.reloadSites(); err != nil {
		t.Fatal(err)
	}
	return c
}

// site is one site's connection, with the permission errors the hub
// sent it.
type site struct {
	nc     *nats.Conn
	js     jetstream.JetStream
	denied chan error
}

func dialSite(t *testing.T, h *Hub, c Creds) *site {
	t.Helper()
	s := &site{denied: make(chan error, 100)}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	nc, err := Dial(ctx, h.URL(), c, nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
		if errors.Is(err, nats.ErrPermissionViolation) {
			select {
			case s.denied <- err:
			default:
			}
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	s.nc = nc
	if s.js, err = jetstream.New(nc); err != nil {
		t.Fatal(err)
	}
	return s
}

// quick bounds one request to the hub: on loopback an answer takes
// milliseconds, and a refused publish waits for an ack that never comes.
func quick(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	t.Cleanup(cancel)
	return ctx
}

// federation is a hub with a central site and two branches.
type federation struct {
	hub                  *Hub
	central, lyon, paris *site
}

func newFederation(t *testing.T) *federation {
	t.Helper()
	h := testHub(t)
	f := &federation{hub: h}
	f.central = dialSite(t, h, addSite(t, h, "hq", true))
	f.lyon = dialSite(t, h, addSite(t, h, "lyon", false))
	f.paris = dialSite(t, h, addSite(t, h, "paris", false))
	return f
}

// count is how many messages FD_EVENTS holds on subject, as the central
// site sees it.
func (f *federation) count(t *testing.T, stream, subject string) uint64 {
	t.Helper()
	st, err := f.central.js.Stream(quick(t), stream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(quick(t), jetstream.WithSubjectFilter(subject))
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Subjects[subject]
}

func TestHubPermissions(t *testing.T) {
	f := newFederation(t)
	dir, err := f.central.js.KeyValue(quick(t), DirectoryBucket)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dir.Put(quick(t), "person.p1", []byte(`{"name":"Ann"}`)); err != nil {
		t.Fatalf("the central site writes the directory: %v", err)
	}

	publish := func(s *site, subject, id string) error {
		_, err := s.js.Publish(quick(t), subject, []byte(`{}`), jetstream.WithMsgID(id))
		return err
	}
	kv := func(s *site, bucket string) jetstream.KeyValue {
		b, err := s.js.KeyValue(quick(t), bucket)
		if err != nil {
			t.Fatalf("bucket %s: %v", bucket, err)
		}
		return b
	}
	cases := []struct {
		name string
		do   func() error
		may  bool
		// held says afterwards whether what was done is on the hub.
		held func() bool
	}{
		{"branch publishes its events", func() error { return publish(f.lyon, EventsSubject("lyon"), "lyon:1") }, true,
			func() bool { return f.count(t, EventsStream, EventsSubject("lyon")) == 1 }},
		{"branch publishes another's events", func() error { return publish(f.lyon, EventsSubject("paris"), "paris:1") }, false,
			func() bool { return f.count(t, EventsStream, EventsSubject("paris")) > 0 }},
		{"branch publishes to an events subject of no site", func() error { return publish(f.lyon, "fd.events.x", "x:1") }, false,
			func() bool { return f.count(t, EventsStream, "fd.events.x") > 0 }},
		{"central publishes a branch's events", func() error { return publish(f.central, EventsSubject("lyon"), "lyon:2") }, true, nil},
		{"branch reads the directory", func() error {
			e, err := kv(f.lyon, DirectoryBucket).Get(quick(t), "person.p1")
			if err == nil && string(e.Value()) != `{"name":"Ann"}` {
				err = fmt.Errorf("got %s", e.Value())
			}
			return err
		}, true, nil},
		{"branch watches the directory", func() error { return watchOne(t, kv(f.lyon, DirectoryBucket), "person.p1") }, true, nil},
		{"branch reads the directory with an ordered consumer", func() error {
			c, err := f.lyon.js.OrderedConsumer(quick(t), "KV_"+DirectoryBucket, jetstream.OrderedConsumerConfig{})
			if err != nil {
				return err
			}
			_, err = c.Next(jetstream.FetchMaxWait(2 * time.Second))
			return err
		}, true, nil},
		{"branch puts a directory key", func() error {
			_, err := kv(f.lyon, DirectoryBucket).Put(quick(t), "person.p2", []byte("{}"))
			return err
		}, false,
			func() bool { _, err := dir.Get(quick(t), "person.p2"); return err == nil }},
		{"branch deletes a directory key", func() error { return kv(f.lyon, DirectoryBucket).Delete(quick(t), "person.p1") }, false,
			func() bool { _, err := dir.Get(quick(t), "person.p1"); return err != nil }},
		{"branch purges the directory's stream", func() error {
			st, err := f.lyon.js.Stream(quick(t), "KV_"+DirectoryBucket)
			if err == nil {
				err = st.Purge(quick(t))
			}
			return err
		}, false, func() bool { _, err := dir.Get(quick(t), "person.p1"); return err != nil }},
		{"branch deletes the directory's bucket", func() error { return f.lyon.js.DeleteKeyValue(quick(t), DirectoryBucket) }, false,
			func() bool { _, err := f.central.js.KeyValue(quick(t), DirectoryBucket); return err != nil }},
		{"branch writes its FD_SITES key", func() error { _, err := kv(f.lyon, SitesBucket).Put(quick(t), "lyon.status", []byte("{}")); return err }, true, nil},
		{"branch reads another's FD_SITES key", func() error {
			if _, err := kv(f.paris, SitesBucket).Put(quick(t), "paris.doors", []byte("[]")); err != nil {
				return err
			}
			_, err := kv(f.lyon, SitesBucket).Get(quick(t), "paris.doors")
			return err
		}, true, nil},
		{"branch writes another's FD_SITES key", func() error {
			_, err := kv(f.lyon, SitesBucket).Put(quick(t), "paris.status", []byte("{}"))
			return err
		}, false,
			func() bool { _, err := kv(f.central, SitesBucket).Get(quick(t), "paris.status"); return err == nil }},
		{"branch deletes another's FD_SITES key", func() error { return kv(f.lyon, SitesBucket).Delete(quick(t), "paris.doors") }, false,
			func() bool { _, err := kv(f.central, SitesBucket).Get(quick(t), "paris.doors"); return err != nil }},
		{"branch erases FD_SITES with a rollup", func() error {
			m := nats.NewMsg("$KV." + SitesBucket + ".lyon.x")
			m.Header.Set(jetstream.MsgRollup, jetstream.MsgRollupAll)
			_, err := f.lyon.js.PublishMsg(quick(t), m)
			return err
		}, false, func() bool { _, err := kv(f.central, SitesBucket).Get(quick(t), "paris.doors"); return err != nil }},
		{"branch writes its presence", func() error {
			_, err := kv(f.lyon, SitesBucket).Put(quick(t), "lyon.presence", []byte("{}"))
			return err
		}, true, nil},
		{"branch writes another's presence", func() error {
			_, err := kv(f.lyon, SitesBucket).Put(quick(t), "paris.presence", []byte("{}"))
			return err
		}, false,
			func() bool { _, err := kv(f.central, SitesBucket).Get(quick(t), "paris.presence"); return err == nil }},
		{"branch deletes its FD_SITES key", func() error { return kv(f.lyon, SitesBucket).Delete(quick(t), "lyon.status") }, true, nil},
		{"branch creates a consumer on FD_EVENTS", func() error {
			_, err := f.lyon.js.CreateOrUpdateConsumer(quick(t), EventsStream, jetstream.ConsumerConfig{Durable: "central"})
			return err
		}, false, nil},
		{"branch reads FD_EVENTS", func() error {
			_, err := f.lyon.js.OrderedConsumer(quick(t), EventsStream, jetstream.OrderedConsumerConfig{})
			return err
		}, false, nil},
		{"central creates its consumer on FD_EVENTS", func() error {
			_, err := f.central.js.CreateOrUpdateConsumer(quick(t), EventsStream, jetstream.ConsumerConfig{Durable: CentralConsumer, AckPolicy: jetstream.AckExplicitPolicy})
			return err
		}, true, nil},
		{"branch subscribes to another site's inbox", func() error { return subscribeOnly(t, f.lyon, f.central, InboxPrefix("paris")+".x") }, false, nil},
		{"branch subscribes to every subject", func() error { return subscribeOnly(t, f.lyon, f.central, "fd.events.paris") }, false, nil},
		{"branch subscribes to its own inbox", func() error { return subscribeOnly(t, f.lyon, f.central, InboxPrefix("lyon")+".x") }, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.do()
			switch {
			case c.may && err != nil:
				t.Fatalf("got %v, want it allowed", err)
			case !c.may && err == nil:
				t.Fatal("got it done, want it refused")
			}
			if c.held != nil && c.held() != c.may {
				t.Errorf("on the hub afterwards: got %v, want %v", !c.may, c.may)
			}
		})
	}
}

// watchOne watches key of b and waits for its value.
func watchOne(t *testing.T, b jetstream.KeyValue, key string) error {
	w, err := b.Watch(quick(t), key)
	if err != nil {
		return err
	}
	defer w.Stop()
	timeout := time.After(2 * time.Second)
	for {
		select {
		case e := <-w.Updates():
			if e != nil && e.Key() == key {
				return nil
			}
		case <-timeout:
			return errors.New("no value")
		}
	}
}

// subscribeOnly subscribes s to subject, has from publish to it, and
// says whether s received it.
func subscribeOnly(t *testing.T, s, from *site, subject string) error {
	sub, err := s.nc.SubscribeSync(subject)
	if err != nil {
		return err
	}
	defer sub.Unsubscribe()
	if err := s.nc.Flush(); err != nil {
		return err
	}
	if err := from.nc.Publish(subject, []byte("secret")); err != nil {
		t.Fatal(err)
	}
	if _, err := sub.NextMsg(500 * time.Millisecond); err != nil {
		return err
	}
	return nil
}

// TestHubNoInjection: a branch cannot have the hub write for it what it
// may not write itself, through a consumer delivering into another
// subject.
func TestHubNoInjection(t *testing.T) {
	f := newFederation(t)
	b, err := f.lyon.js.KeyValue(quick(t), SitesBucket)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Put(quick(t), "lyon.doors", []byte(`{"forged":true}`)); err != nil {
		t.Fatal(err)
	}
	// Someone listening on the targets makes the consumers deliver.
	for _, subject := range []string{"fd.events.>", "$KV.>", EventsSubject("paris"), "$KV." + DirectoryBucket + ".person.evil"} {
		sub, err := f.central.nc.SubscribeSync(subject)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Unsubscribe()
	}
	f.central.nc.Flush()
	for _, target := range []string{EventsSubject("paris"), "$KV." + DirectoryBucket + ".person.evil"} {
		pc, err := f.lyon.js.CreateOrUpdatePushConsumer(quick(t), "KV_"+SitesBucket, jetstream.ConsumerConfig{
			Name: "evil" + fmt.Sprint(len(target)), DeliverSubject: target, FilterSubject: "$KV." + SitesBucket + ".lyon.doors",
		})
		if err != nil {
			continue // refused: nothing delivered
		}
		// The test shows something only if the consumer delivered.
		for deadline := time.Now().Add(2 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			ci, err := pc.Info(quick(t))
			if err != nil {
				t.Fatal(err)
			}
			if ci.Delivered.Consumer > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: the consumer delivered nothing", target)
			}
		}
		st, err := f.central.js.Stream(quick(t), map[bool]string{true: EventsStream, false: "KV_" + DirectoryBucket}[strings.HasPrefix(target, "fd.")])
		if err != nil {
			t.Fatal(err)
		}
		info, err := st.Info(quick(t), jetstream.WithSubjectFilter(target))
		if err != nil {
			t.Fatal(err)
		}
		if n := info.State.Subjects[target]; n > 0 {
			t.Errorf("%s: got %d messages written by a branch's consumer, want none", target, n)
		}
	}
}

func TestHubRefuses(t *testing.T) {
	h := testHub(t)
	lyon := addSite(t, h, "lyon", false)
	host := strings.TrimPrefix(h.URL(), "tls://")

	t.Run("anonymous", func(t *testing.T) {
		certs, _ := lyon.hubCerts()
		nc, err := nats.Connect(h.URL(), nats.Secure(pinnedTLS(certs)), nats.Timeout(2*time.Second))
		if err == nil {
			nc.Close()
			t.Fatal("got connected, want refused")
		}
	})
	t.Run("plain TCP", func(t *testing.T) {
		kp, _ := lyon.keyPair()
		pub, _ := kp.PublicKey()
		nc, err := nats.Connect("nats://"+host, nats.Nkey(pub, kp.Sign), nats.Timeout(2*time.Second))
		if err == nil {
			nc.Close()
			t.Fatal("got connected, want refused")
		}
	})
	t.Run("wrong seed", func(t *testing.T) {
		kp, _ := nkeys.CreateUser()
		seed, _ := kp.Seed()
		c := lyon
		c.Seed = string(seed)
		start := time.Now()
		nc, err := Dial(quick(t), h.URL(), c)
		if err == nil {
			nc.Close()
			t.Fatal("got connected, want refused")
		}
		if time.Since(start) > time.Second {
			t.Errorf("refused after %v, want at once", time.Since(start))
		}
	})
	t.Run("another hub's certificate", func(t *testing.T) {
		other := testHub(t)
		c, err := AddSite(other.cfg.Store, "lyon", false, "", false)
		if err != nil {
			t.Fatal(err)
		}
		c.Seed = lyon.Seed
		nc, err := Dial(quick(t), h.URL(), c)
		if err == nil {
			nc.Close()
			t.Fatal("got connected, want refused")
		}
	})
}

// TestHubSitesWhileRunning: a site added to the store is accepted
// within 2 s, without a restart; a removed one is refused and its
// connection closed.
func TestHubSitesWhileRunning(t *testing.T) {
	h, err := StartHub(HubConfig{Store: filepath.Join(t.TempDir(), "hub"), Listen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	// A damaged site file leaves that site out, not the others.
	if err := os.WriteFile(sitePath(h.cfg.Store, "broken"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := AddSite(h.cfg.Store, "nice", false, "", false)
	if err != nil {
		t.Fatal(err)
	}
	var nc *nats.Conn
	deadline := time.Now().Add(2 * time.Second)
	for nc == nil {
		nc, err = Dial(quick(t), h.URL(), c)
		if err != nil && time.Now().After(deadline) {
			t.Fatalf("not accepted 2 s after it was added: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	defer nc.Close()
	closed := make(chan struct{}, 1)
	nc.SetDisconnectErrHandler(func(*nats.Conn, error) { closed <- struct{}{} })

	if err := RemoveSite(h.cfg.Store, "nice"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-closed:
	case <-time.After(2 * time.Second):
		t.Fatal("the removed site's connection still open after 2 s")
	}
	if nc2, err := Dial(quick(t), h.URL(), c); err == nil {
		nc2.Close()
		t.Fatal("a removed site got connected, want refused")
	}
	if _, err := os.Stat(sitePath(h.cfg.Store, "nice")); err == nil {
		t.Fatal("the site's file is still there")
	}
}
