package natslink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"frontdesk/core"
)

// SiteEventStore is where the central site keeps the other sites' events:
// storage.DB.
type SiteEventStore interface {
	// PutSiteEvents stores events of site in one transaction; one already
	// stored with the same content is skipped, one with other content is
	// an error matching core.ErrConflict, and then nothing is stored.
	PutSiteEvents(site string, evs []core.Event) error
}

// IngestOptions tune an Ingest. The zero value is the production setting.
type IngestOptions struct {
	// Batch is the most events stored in one transaction; default 1024.
	Batch int
	// AckWait is how long the hub waits for an event's acknowledgement
	// before it delivers the event again; default 30s.
	AckWait time.Duration
	// Retry is the wait before the hub delivers again events that could
	// not be stored; default 1s.
	Retry time.Duration
	// Logger receives failures and refused events; default none.
	Logger *slog.Logger
}

// Ingest is the central site's side of "Events up" (docs/federation.md):
// it reads EventsStream with the durable consumer CentralConsumer, stores
// each batch of events by site in one transaction, and acknowledges them
// once stored, so that an event the central site crashed before storing
// is delivered again, and one delivered twice is stored once.
type Ingest struct {
	own   string
	store SiteEventStore
	js    jetstream.JetStream
	opts  IngestOptions
}

// NewIngest returns the ingest of the central site own (whose own
// events, if any site sends them, are not stored again), storing into
// store what it reads over nc.
func NewIngest(nc *nats.Conn, own string, store SiteEventStore, opts IngestOptions) (*Ingest, error) {
	if opts.Batch <= 0 {
		opts.Batch = 1024
	}
	if opts.AckWait <= 0 {
		opts.AckWait = 30 * time.Second
	}
	if opts.Retry <= 0 {
		opts.Retry = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", err)
	}
	return &Ingest{own: own, store: store, js: js, opts: opts}, nil
}

// consumer creates the durable consumer, or brings its settings up to
// date.
func (in *Ingest) consumer(ctx context.Context) (jetstream.Consumer, error) {
	return in.js.CreateOrUpdateConsumer(ctx, EventsStream, jetstream.ConsumerConfig{
		Durable:       CentralConsumer,
		Description:   "the central site stores every branch's events",
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       in.opts.AckWait,
		MaxAckPending: 4 * in.opts.Batch,
		FilterSubject: eventsPrefix + "*",
	})
}

// Run stores events until ctx ends. It waits out a hub that is not there
// yet; its error is for one that refuses the consumer.
func (in *Ingest) Run(ctx context.Context) error {
	var cons jetstream.Consumer
	for {
		var err error
		if cons, err = in.consumer(ctx); err == nil {
			break
		}
		switch {
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, jetstream.ErrStreamNotFound):
			return fmt.Errorf("ingest: the hub has no stream %s: run frontdesk hub init: %w", EventsStream, err)
		}
		in.opts.Logger.Warn("ingest: hub not reached: trying again", "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(in.opts.Retry):
		}
	}
	msgs := make(chan jetstream.Msg, 2*in.opts.Batch)
	// A message delivered and never stored is handed back at once when
	// the ingest stops: the hub delivers it again at the next start, not
	// after AckWait, so that the central site's events have no gap for
	// long after a restart.
	cc, err := cons.Consume(func(m jetstream.Msg) {
		select {
		case msgs <- m:
		case <-ctx.Done():
			_ = m.Nak()
		}
	}, jetstream.PullMaxMessages(in.opts.Batch),
		jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
			in.opts.Logger.Debug("ingest: consumer", "err", err)
		}))
	if err != nil {
		return fmt.Errorf("ingest: %w", err)
	}
	defer func() {
		// Drain hands what the client holds to the callback, which
		// hands it back (ctx has ended); a hub away lets it wait for
		// nothing long.
		cc.Drain()
		select {
		case <-cc.Closed():
		case <-time.After(2 * time.Second):
			cc.Stop()
		}
		for {
			select {
			case m := <-msgs:
				_ = m.Nak()
			default:
				return
			}
		}
	}()
	batch := make([]jetstream.Msg, 0, in.opts.Batch)
	for {
		batch = batch[:0]
		select {
		case <-ctx.Done():
			return nil
		case m := <-msgs:
			batch = append(batch, m)
		}
		// Take what is there without waiting: a tap alone goes up at
		// once, a backlog in batches.
	more:
		for len(batch) < cap(batch) {
			select {
			case m := <-msgs:
				batch = append(batch, m)
			default:
				break more
			}
		}
		in.storeBatch(batch)
	}
}

// storeBatch stores a batch of messages and acknowledges them: by site, in
// the order they came, which is the order each site sent them in.
func (in *Ingest) storeBatch(batch []jetstream.Msg) {
	type siteBatch struct {
		msgs []jetstream.Msg
		evs  []core.Event
	}
	var order []string
	bySite := map[string]*siteBatch{}
	for _, m := range batch {
		site, ok := strings.CutPrefix(m.Subject(), eventsPrefix)
		if !ok || CheckSiteID(site) != nil || site == in.own {
			in.opts.Logger.Warn("ingest: a message on a subject of no branch: dropped", "subject", m.Subject())
			_ = m.Term()
			continue
		}
		var e core.Event
		if err := json.Unmarshal(m.Data(), &e); err != nil || e.Seq == 0 || e.Site != "" && e.Site != site {
			in.opts.Logger.Error("ingest: an event that cannot be read: refused", "site", site, "err", err)
			_ = m.Term()
			continue
		}
		b := bySite[site]
		if b == nil {
			b = &siteBatch{}
			bySite[site] = b
			order = append(order, site)
		}
		b.msgs, b.evs = append(b.msgs, m), append(b.evs, e)
	}
	for _, site := range order {
		b := bySite[site]
		err := in.store.PutSiteEvents(site, b.evs)
		switch {
		case err == nil:
			ackAll(b.msgs)
		case errors.Is(err, core.ErrConflict):
			// One event differs from the one stored: store the others,
			// one at a time, and refuse that one.
			for i, e := range b.evs {
				in.storeOne(site, e, b.msgs[i])
			}
		default:
			in.opts.Logger.Error("ingest: events not stored: the hub delivers them again", "site", site, "n", len(b.evs), "err", err)
			for _, m := range b.msgs {
				_ = m.NakWithDelay(in.opts.Retry)
			}
		}
	}
}

// storeOne stores one event and acknowledges it, or refuses it for good
// if it differs from the one stored.
func (in *Ingest) storeOne(site string, e core.Event, m jetstream.Msg) {
	err := in.store.PutSiteEvents(site, []core.Event{e})
	switch {
	case err == nil:
		_ = m.Ack()
	case errors.Is(err, core.ErrConflict):
		in.opts.Logger.Error("ingest: an event differs from the one stored: refused", "site", site, "seq", e.Seq, "err", err)
		_ = m.Term()
	default:
		in.opts.Logger.Error("ingest: event not stored: the hub delivers it again", "site", site, "seq", e.Seq, "err", err)
		_ = m.NakWithDelay(in.opts.Retry)
	}
}

func ackAll(msgs []jetstream.Msg) {
	for _, m := range msgs {
		_ = m.Ack()
	}
}
