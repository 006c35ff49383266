package billing

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/riverqueue/river"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Webhook limits: Stripe's events are a few kB; a signature older than the tolerance is a replay.
const (
	MaxWebhookBytes  = 64 << 10
	WebhookTolerance = 300 * time.Second
	maxEventAttempts = 20
)

// ErrBadSignature means the Stripe-Signature header does not match the payload or is stale.
var ErrBadSignature = errors.New("invalid or stale Stripe-Signature")

// ProcessEventArgs is the River job that applies one stored Stripe event.
type ProcessEventArgs struct {
	EventID string `json:"event_id"`
}

// Kind names the job type in the queue.
func (ProcessEventArgs) Kind() string { return "billing_process_event" }

// InsertOpts make the job unique per event, so re-enqueueing a re-delivered event is safe.
func (ProcessEventArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: maxEventAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

// Worker applies stored Stripe events; an error makes River retry with backoff.
type Worker struct {
	river.WorkerDefaults[ProcessEventArgs]
	svc *Service
}

// NewWorker returns the webhook worker to register on the queue before it starts.
func NewWorker(s *Service) *Worker { return &Worker{svc: s} }

// Work applies the event.
func (w *Worker) Work(ctx context.Context, job *river.Job[ProcessEventArgs]) error {
	return w.svc.ProcessEvent(ctx, job.Args.EventID)
}

// ReceiveWebhook verifies and stores a Stripe event and queues its processing. It reports
// whether the event was already known (a re-delivery), in which case nothing changes; an event
// whose processing has not finished is queued again (the job is unique, so this is harmless).
func (s *Service) ReceiveWebhook(ctx context.Context, payload []byte, signature string) (duplicate bool, err error) {
	if !s.Enabled() || s.StripeWebhookSecret == "" {
		return false, errNotConfigured
	}
	ev, err := webhook.ConstructEventWithOptions(payload, signature, s.StripeWebhookSecret,
		webhook.ConstructEventOptions{Tolerance: WebhookTolerance})
	if err != nil {
		s.Log.WarnContext(ctx, "stripe webhook rejected", "reason", err.Error())
		return false, ErrBadSignature
	}
	if ev.ID == "" || ev.Type == "" {
		return false, apperr.New(apperr.Invalid, "The event has no id or type.")
	}
	// A time outside years 1-9999 has no RFC 3339 form: stored, it would break the events list.
	if y := time.Unix(ev.Created, 0).UTC().Year(); y < 1 || y > 9999 {
		return false, apperr.New(apperr.Invalid, "The event’s created time is out of range.")
	}
	received := Event{ID: ev.ID, Type: string(ev.Type), Created: time.Unix(ev.Created, 0).UTC(), State: EventReceived,
		ReceivedAt: s.Now().UTC()}
	// The event and its processing job commit together: a stored event is never left without
	// its job. A redelivered event whose processing has not finished is queued again (the job is
	// unique, so this is harmless); a finished one is acknowledged as a duplicate.
	var inserted bool
	err = s.store.Tx(ctx, func(st *Store) error {
		var err error
		if inserted, err = st.InsertEvent(ctx, received, payload); err != nil {
			return err
		}
		if !inserted {
			old, err := st.FindEvent(ctx, ev.ID)
			if err != nil || old.Finished() {
				return err
			}
		}
		return st.EnqueueProcessing(ctx, ev.ID)
	})
	return !inserted, err
}

// ProcessEvent applies a stored event once: the change and the event's new state commit
// together. A failure is recorded on the event and returned, so the job is retried.
func (s *Service) ProcessEvent(ctx context.Context, id string) error {
	now := s.Now().UTC()
	// An event may change a subscription, so premium decisions are bypassed while it is applied
	// and dropped once it is: whoever sees the event processed sees its effect on access.
	err := s.changeAccess(func() error {
		return s.store.Tx(ctx, func(st *Store) error {
			stored, payload, err := st.LockEvent(ctx, id)
			if apperr.Is(err, apperr.NotFound) || (err == nil && stored.Finished()) {
				return nil
			}
			if err != nil {
				return err
			}
			var ev stripe.Event
			if err := json.Unmarshal(payload, &ev); err != nil || ev.Data == nil {
				return st.FinishEvent(ctx, id, EventIgnored, "the payload is not a Stripe event", &now)
			}
			state, note, err := s.apply(ctx, st, ev)
			if err != nil {
				return err
			}
			return st.FinishEvent(ctx, id, state, note, &now)
		})
	})
	if err != nil {
		s.Log.WarnContext(ctx, "stripe event failed; it will be retried", "event_id", id, "error", err.Error())
		if ferr := s.store.FinishEvent(ctx, id, EventFailed, err.Error(), nil); ferr != nil {
			s.Log.ErrorContext(ctx, "could not record the failure of a stripe event", "event_id", id, "error", ferr.Error())
		}
	}
	return err
}

// Events lists the newest webhook events (at most limit) with their processing state.
func (s *Service) Events(ctx context.Context, limit int) ([]Event, error) {
	return s.store.ListEvents(ctx, limit)
}

// apply dispatches an event to its handler and returns the event's new state and a note.
func (s *Service) apply(ctx context.Context, st *Store, ev stripe.Event) (string, string, error) {
	created := time.Unix(ev.Created, 0).UTC()
	switch ev.Type {
	case "checkout.session.completed":
		var cs stripe.CheckoutSession
		if err := json.Unmarshal(ev.Data.Raw, &cs); err != nil {
			return EventIgnored, "the event's object is not a checkout session", nil
		}
		return s.applyCheckout(ctx, st, cs)
	case "customer.subscription.created", "customer.subscription.updated", "customer.subscription.deleted":
		var sub stripe.Subscription
		if err := json.Unmarshal(ev.Data.Raw, &sub); err != nil || sub.ID == "" {
			return EventIgnored, "the event's object is not a subscription", nil
		}
		return s.applySubscription(ctx, st, sub, ev.Type == "customer.subscription.deleted", created)
	case "invoice.paid", "invoice.payment_failed":
		var inv stripe.Invoice
		if err := json.Unmarshal(ev.Data.Raw, &inv); err != nil {
			return EventIgnored, "the event's object is not an invoice", nil
		}
		return s.applyInvoice(ctx, st, inv, ev.Type == "invoice.paid", created)
	default:
		return EventIgnored, "billing does not act on " + string(ev.Type), nil
	}
}
