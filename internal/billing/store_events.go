package billing

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type eventRow struct {
	ID          string `gorm:"primaryKey"`
	Type        string
	Created     time.Time
	Payload     string `gorm:"type:jsonb"`
	State       string
	Attempts    int
	LastError   *string
	ReceivedAt  time.Time
	ProcessedAt *time.Time
}

func (eventRow) TableName() string { return "billing_webhook_events" }

func (r eventRow) toEvent() Event {
	return Event{ID: r.ID, Type: r.Type, Created: r.Created.UTC(), State: r.State, Attempts: r.Attempts,
		LastError: deref(r.LastError), ReceivedAt: r.ReceivedAt.UTC(), ProcessedAt: utcPtr(r.ProcessedAt)}
}

// InsertEvent stores a received event with its raw payload unless its id is known; it reports
// whether it was new.
func (s *Store) InsertEvent(ctx context.Context, ev Event, payload []byte) (bool, error) {
	r := eventRow{ID: ev.ID, Type: ev.Type, Created: ev.Created, Payload: string(payload), State: ev.State,
		ReceivedAt: ev.ReceivedAt}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&r)
	return res.RowsAffected == 1, db.Err(res.Error)
}

// FindEvent reads a stored event (without its payload); NotFound when unknown.
func (s *Store) FindEvent(ctx context.Context, id string) (Event, error) {
	var r eventRow
	err := s.db.WithContext(ctx).Omit("payload").Where("id = ?", id).Take(&r).Error
	return r.toEvent(), db.Err(err)
}

// LockEvent reads a stored event and its payload FOR UPDATE (inside Tx), so one worker applies
// it at a time; NotFound when unknown.
func (s *Store) LockEvent(ctx context.Context, id string) (Event, []byte, error) {
	var r eventRow
	err := s.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id = ?", id).Take(&r).Error
	return r.toEvent(), []byte(r.Payload), db.Err(err)
}

// FinishEvent records one processing attempt: its resulting state, its note or error, and
// processedAt (nil while the event still needs work).
func (s *Store) FinishEvent(ctx context.Context, id, state, note string, processedAt *time.Time) error {
	fields := map[string]any{"state": state, "attempts": gorm.Expr("attempts + 1"), "last_error": ptr(note)}
	if processedAt != nil {
		fields["processed_at"] = *processedAt
	}
	return db.Err(s.db.WithContext(ctx).Model(&eventRow{}).Where("id = ?", id).Updates(fields).Error)
}

// ListEvents lists the newest events (at most limit), without their payloads.
func (s *Store) ListEvents(ctx context.Context, limit int) ([]Event, error) {
	var rows []eventRow
	err := s.db.WithContext(ctx).Omit("payload").Order("received_at DESC, id").Limit(limit).Find(&rows).Error
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = r.toEvent()
	}
	return out, db.Err(err)
}

// EnqueueProcessing queues the job that applies event id, in the store's transaction when it has
// one, so a stored event always has its job.
func (s *Store) EnqueueProcessing(ctx context.Context, id string) error {
	return db.InsertJob(ctx, s.db, s.jobs, ProcessEventArgs{EventID: id})
}
