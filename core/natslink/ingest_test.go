package natslink_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
	"frontdesk/core/natslink"
)

// TestIngestOnceAndRefusesTampered publishes events by hand, as a branch
// whose acknowledgement was lost, or one whose file was changed, would.
func TestIngestOnceAndRefusesTampered(t *testing.T) {
	branchDB := openSiteDB(t, false)
	logTaps(t, branchDB, 5)
	var evs []core.Event
	if err := branchDB.View(func(tx core.Tx) error {
		return tx.Events(core.EventQuery{}, func(e core.Event) error { evs = append(evs, e); return nil })
	}); err != nil {
		t.Fatal(err)
	}
	tampered := evs[1]
	tampered.Result, tampered.Explanation = core.DeniedCardBlocked, "card blocked"
	type send struct {
		ev    core.Event
		msgID string // "" publishes without one: past the hub's window
	}
	tests := []struct {
		name  string
		sends []send
		want  []core.Event // what the central site holds afterwards
	}{
		{"a lost ack: the same id again", []send{{evs[0], "lyon:1"}, {evs[0], "lyon:1"}, {evs[1], "lyon:2"}}, evs[:2]},
		{"resent after the hub forgot its id", []send{{evs[0], ""}, {evs[1], ""}, {evs[0], ""}, {evs[1], ""}, {evs[2], ""}}, evs[:3]},
		{"tampered, then the next", []send{{evs[0], ""}, {evs[1], ""}, {tampered, ""}, {evs[2], ""}}, evs[:3]},
		{"tampered in the same batch as good ones", []send{{evs[0], ""}, {evs[1], ""}, {evs[2], ""}, {tampered, ""}, {evs[3], ""}, {evs[4], ""}}, evs},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hub := startEventsHub(t)
			centralDB := openSiteDB(t, false)
			nc := connectSite(t, hub.url())
			js, err := jetstream.New(nc)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			for _, s := range tt.sends {
				data, err := json.Marshal(s.ev)
				if err != nil {
					t.Fatal(err)
				}
				var opts []jetstream.PublishOpt
				if s.msgID != "" {
					opts = append(opts, jetstream.WithMsgID(s.msgID))
				}
				if _, err := js.Publish(ctx, natslink.EventsSubject("lyon"), data, opts...); err != nil {
					t.Fatal(err)
				}
			}
			startIngest(t, hub.url(), centralDB)
			eventually(t, 10*time.Second, "every message acknowledged or refused", func() bool {
				info, err := js.Consumer(ctx, natslink.EventsStream, natslink.CentralConsumer)
				if err != nil {
					return false
				}
				ci, err := info.Info(ctx)
				last, lerr := centralDB.SiteLastSeq("lyon")
				return err == nil && ci.NumPending == 0 && ci.NumAckPending == 0 &&
					lerr == nil && last == tt.want[len(tt.want)-1].Seq
			})
			var got []core.Event
			if err := centralDB.SiteEvents("lyon", 1, func(e core.Event) error {
				e.Site = ""
				got = append(got, e)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if a, b := asJSON(got), asJSON(tt.want); a != b {
				t.Errorf("central holds\n%s\nwant\n%s", a, b)
			}
		})
	}
}

// TestEventsUpCentralRestarts stops the central site's ingest while a
// branch's backlog flows, and starts a new one on the same file: the
// durable consumer delivers again what was not acknowledged, and the
// central site stores each event once.
func TestEventsUpCentralRestarts(t *testing.T) {
	hub := startEventsHub(t)
	centralDB := openSiteDB(t, false)
	central := startIngest(t, hub.url(), centralDB)
	branchDB := openSiteDB(t, false)
	logTaps(t, branchDB, 8000)
	startOutbox(t, hub.url(), "lyon", branchDB)
	eventually(t, 30*time.Second, "a part of the backlog at the central site", func() bool {
		last, err := centralDB.SiteLastSeq("lyon")
		return err == nil && last > 1000
	})
	central.stop()
	other := openSiteDB(t, false) // a second branch, sending while the central site is away
	logTaps(t, other, 300)
	startOutbox(t, hub.url(), "nice", other)
	time.Sleep(200 * time.Millisecond)
	startIngest(t, hub.url(), centralDB)
	checkArrived(t, centralDB, branchDB, "lyon", 8000)
	checkArrived(t, centralDB, other, "nice", 300)
}
