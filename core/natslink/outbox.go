package natslink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// EventLog is a site's event log as its outbox reads it: storage.DB.
type EventLog interface {
	// RawEvents calls fn with at most limit events after seq after, in
	// seq order, each as the log stores it; the bytes are fn's.
	RawEvents(after uint64, limit int, fn func(seq uint64, data []byte) error) error
	// OutboxAcked is the seq below which the hub acknowledged every event.
	OutboxAcked() (uint64, error)
	// SetOutboxAcked records it; a lower seq than the one recorded is
	// ignored.
	SetOutboxAcked(seq uint64) error
	// SetFederationSite records the site's id, which its events are sent
	// up as; core.ErrConflict once events were sent up as another.
	SetFederationSite(site string) error
}

// OutboxOptions tune an Outbox. The zero value is the production setting.
type OutboxOptions struct {
	// Window is how many events may await the hub's acknowledgement at
	// once; default 1024.
	Window int
	// AckTimeout is how long an event may await it before the outbox
	// starts again from the last acknowledged one; default 5s.
	AckTimeout time.Duration
	// Retry is the wait before starting again after a failure, and the
	// longest wait between two looks at the log without a Notify;
	// default 1s.
	Retry time.Duration
	// Logger receives failures; default none.
	Logger *slog.Logger
}

// readBatch is how many events the outbox reads from the log at a time:
// a read transaction stays short while thousands wait to be sent.
const readBatch = 512

// persistEvery is how often the acknowledged seq is written to the log
// while events flow: an acknowledgement lost in a crash only makes the
// outbox send again what the hub, then the central site, deduplicate.
const persistEvery = 200 * time.Millisecond

// Outbox sends a branch's events up to the hub (docs/federation.md,
// "Events up"): each event of the log after the last acknowledged one,
// in seq order, to EventsSubject(site) with the message id EventMsgID,
// several awaiting their acknowledgement at once; it records the highest
// seq below which all are acknowledged, and after an outage starts again
// from there. The hub's deduplication and the central site's storing by
// site and seq make what is sent twice count once.
type Outbox struct {
	site  string
	log   EventLog
	js    jetstream.JetStream
	opts  OutboxOptions
	wake  chan struct{}
	mu    sync.Mutex
	acked uint64
	// persisted is the acknowledged seq last recorded in the log.
	persisted uint64
}

// NewOutbox returns the outbox of site, which sends log's events over
// nc. nc must reconnect on its own (nats.MaxReconnects(-1)): Run goes on
// through outages. The caller wakes it with each event recorded, from
// the engine's Subscribe (Notify); without, it looks at the log every
// opts.Retry.
func NewOutbox(nc *nats.Conn, site string, log EventLog, opts OutboxOptions) (*Outbox, error) {
	if opts.Window <= 0 {
		opts.Window = 1024
	}
	if opts.AckTimeout <= 0 {
		opts.AckTimeout = 5 * time.Second
	}
	if opts.Retry <= 0 {
		opts.Retry = time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if err := CheckSiteID(site); err != nil {
		return nil, err
	}
	// The window bounds what is in flight (send's channel), so that the
	// client's own cap, a little above it, never makes a publish stall.
	js, err := jetstream.New(nc,
		jetstream.WithPublishAsyncMaxPending(opts.Window+16),
		jetstream.WithPublishAsyncTimeout(opts.AckTimeout))
	if err != nil {
		return nil, fmt.Errorf("outbox: %w", err)
	}
	return &Outbox{site: site, log: log, js: js, opts: opts, wake: make(chan struct{}, 1)}, nil
}

// EventMsgID is the message id of event seq of site, whose stored JSON
// is data: SITE:SEQ:HASH, HASH the first 16 hex digits of the event's
// hash. The hub deduplicates by id over the whole stream; with the hash
// in it, no other site can take an event's id before the event is sent
// (its hash depends on its content and on every event before it), so a
// stolen branch credential cannot make the hub drop another site's
// events as duplicates.
func EventMsgID(site string, seq uint64, data []byte) string {
	var e struct {
		Hash string `json:"hash"`
	}
	id := site + ":" + strconv.FormatUint(seq, 10)
	if json.Unmarshal(data, &e) == nil && e.Hash != "" {
		id += ":" + e.Hash[:min(16, len(e.Hash))]
	}
	return id
}

// Notify tells the outbox that the log has new events; it never blocks.
// The engine's Subscribe calls it with each event recorded.
func (o *Outbox) Notify() {
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

// Acked returns the highest seq below which the hub acknowledged every
// event.
func (o *Outbox) Acked() uint64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.acked
}

// Run sends events until ctx ends, then records how far the hub
// acknowledged them. Its error is for an outbox that cannot run at all:
// the log's bookkeeping cannot be read, or the site's id is not the one
// its events were sent up as. Outages are logged and waited out.
func (o *Outbox) Run(ctx context.Context) error {
	if err := o.log.SetFederationSite(o.site); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	acked, err := o.log.OutboxAcked()
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	o.setAcked(acked)
	o.persisted = acked
	for {
		err := o.send(ctx)
		if ctx.Err() != nil {
			return nil
		}
		wait := o.opts.Retry
		if err != nil {
			o.opts.Logger.Warn("events not sent up: trying again", "site", o.site, "acked", o.Acked(), "err", err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-o.wake:
			if err != nil {
				// After a failure, wait the retry out all the same: a
				// tap a second must not make a storm of attempts.
				select {
				case <-ctx.Done():
				case <-t.C:
				}
			}
		case <-t.C:
		}
		t.Stop()
	}
}

// inflight is an event sent and not yet acknowledged.
type inflight struct {
	seq uint64
	ack jetstream.PubAckFuture
}

// send sends every event after the acknowledged one until the log has no
// more, and waits for their acknowledgements. It stops at the first
// failure; what was acknowledged in order before it is recorded.
func (o *Outbox) send(ctx context.Context) error {
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	queue := make(chan inflight, o.opts.Window)
	acker := make(chan error, 1)
	go func() { acker <- o.awaitAcks(ctx, queue, stop) }()

	var sendErr error
	next := o.Acked()
	subject := EventsSubject(o.site)
	for sendErr == nil && ctx.Err() == nil {
		n := 0
		err := o.log.RawEvents(next, readBatch, func(seq uint64, data []byte) error {
			n++
			msg := &nats.Msg{Subject: subject, Data: data, Header: nats.Header{}}
			f, err := o.js.PublishMsgAsync(msg, jetstream.WithMsgID(EventMsgID(o.site, seq, data)),
				jetstream.WithExpectStream(EventsStream))
			if err != nil {
				return fmt.Errorf("send event %d: %w", seq, err)
			}
			select {
			case queue <- inflight{seq: seq, ack: f}:
			case <-ctx.Done():
				return ctx.Err()
			}
			next = seq
			return nil
		})
		switch {
		case err != nil:
			sendErr = err
		case n == 0:
			// Caught up: what was read is all there is for now.
			close(queue)
			return errors.Join(<-acker, o.persist())
		}
	}
	close(queue)
	ackErr := <-acker
	if sendErr != nil && errors.Is(sendErr, context.Canceled) && ackErr != nil {
		sendErr = nil // the acker stopped the sending: its error says why
	}
	return errors.Join(sendErr, ackErr, o.persist())
}

// awaitAcks takes the events of queue in seq order and waits for each
// one's acknowledgement, moving the acknowledged seq on and recording it
// now and then. At the first failure it stops the sending (stop) and
// returns the failure.
func (o *Outbox) awaitAcks(ctx context.Context, queue <-chan inflight, stop func()) error {
	last := time.Now()
	for f := range queue {
		select {
		case <-f.ack.Ok():
			o.setAcked(f.seq)
		case err := <-f.ack.Err():
			stop()
			for range queue { // let the sender finish
			}
			return fmt.Errorf("event %d not acknowledged: %w", f.seq, err)
		case <-ctx.Done():
			for range queue {
			}
			return nil
		}
		if time.Since(last) >= persistEvery {
			if err := o.persist(); err != nil {
				o.opts.Logger.Error("outbox: cannot record the acknowledged events", "err", err)
			}
			last = time.Now()
		}
	}
	return nil
}

func (o *Outbox) setAcked(seq uint64) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.acked = max(o.acked, seq)
}

// persist records the acknowledged seq in the log, if it moved.
func (o *Outbox) persist() error {
	o.mu.Lock()
	acked, done := o.acked, o.acked == o.persisted
	o.mu.Unlock()
	if done {
		return nil
	}
	if err := o.log.SetOutboxAcked(acked); err != nil {
		return fmt.Errorf("record the acknowledged events: %w", err)
	}
	o.mu.Lock()
	o.persisted = max(o.persisted, acked)
	o.mu.Unlock()
	return nil
}
