package account

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
)

// Store is the export_links table: exports too large to stream, prepared by a job and handed out
// once through an e-mailed link. It is the account domain's only table.
type Store struct {
	db   *gorm.DB
	jobs *jobs.Inserter
}

// NewStore returns the store on d; the preparation jobs are inserted through ins.
func NewStore(d *db.DB, ins *jobs.Inserter) *Store { return &Store{db: d.Gorm, jobs: ins} }

// Tx runs fn in one transaction; fn gets a Store bound to it.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, jobs: s.jobs})
	}))
}

type exportLinkRow struct {
	ID        string `gorm:"primaryKey;default:gen_random_uuid()"`
	UserID    string
	ObjectKey string
	TokenHash []byte
	CreatedAt time.Time
	WrittenAt *time.Time
	ExpiresAt *time.Time
	UsedAt    *time.Time
}

func (exportLinkRow) TableName() string { return "export_links" }

// ExportLink is one queued export.
type ExportLink struct {
	ID, UserID, ObjectKey string
	CreatedAt             time.Time
	WrittenAt, ExpiresAt  *time.Time
	UsedAt                *time.Time
}

func (r exportLinkRow) link() ExportLink {
	return ExportLink{ID: r.ID, UserID: r.UserID, ObjectKey: r.ObjectKey, CreatedAt: r.CreatedAt,
		WrittenAt: r.WrittenAt, ExpiresAt: r.ExpiresAt, UsedAt: r.UsedAt}
}

// stalePending is how long an export may stay in preparation before a new request replaces it:
// far beyond the job's retries.
const stalePending = 24 * time.Hour

// CreatePending records a new export in preparation and queues its job, unless the user already
// has one in preparation (then created is false and nothing changes).
func (s *Store) CreatePending(ctx context.Context, userID string, now time.Time, key func(id string) string) (created bool, err error) {
	err = s.Tx(ctx, func(st *Store) error {
		// A preparation whose job gave up long ago (nothing was written) must not block new ones.
		if err := st.db.WithContext(ctx).Where("user_id = ? AND written_at IS NULL AND created_at < ?", userID,
			now.Add(-stalePending)).Delete(&exportLinkRow{}).Error; err != nil {
			return err
		}
		row := exportLinkRow{UserID: userID, ObjectKey: "", CreatedAt: now}
		res := st.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).
			Select("user_id", "object_key", "created_at").Create(&row)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return nil
		}
		if err := st.db.WithContext(ctx).Model(&exportLinkRow{}).Where("id = ?", row.ID).
			Update("object_key", key(row.ID)).Error; err != nil {
			return err
		}
		created = true
		return db.InsertJob(ctx, st.db, st.jobs, PrepareArgs{LinkID: row.ID})
	})
	return created, err
}

// Find reads one export link; NotFound when it is gone (the user was erased, say).
func (s *Store) Find(ctx context.Context, id string) (ExportLink, error) {
	var row exportLinkRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	return row.link(), db.Err(err)
}

// MarkWritten records that the archive is in storage.
func (s *Store) MarkWritten(ctx context.Context, id string, at time.Time) error {
	return db.Err(s.db.WithContext(ctx).Model(&exportLinkRow{}).Where("id = ?", id).Update("written_at", at).Error)
}

// SetToken gives the link a (new) token hash and its expiry; an earlier token stops working.
func (s *Store) SetToken(ctx context.Context, id string, hash []byte, expires time.Time) error {
	return db.Err(s.db.WithContext(ctx).Model(&exportLinkRow{}).Where("id = ?", id).
		Updates(map[string]any{"token_hash": hash, "expires_at": expires}).Error)
}

// ClaimByToken locks the link whose token hashes to hash and, when it is ready, unused and not
// expired, marks it used (claimed). Otherwise it returns the link as found, for the caller to say
// why not. NotFound when no link has that token.
func (s *Store) ClaimByToken(ctx context.Context, hash []byte, now time.Time) (out ExportLink, claimed bool, err error) {
	err = s.Tx(ctx, func(st *Store) error {
		var row exportLinkRow
		if err := st.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
			Where("token_hash = ?", hash).Take(&row).Error; err != nil {
			return err
		}
		out = row.link()
		if row.UsedAt != nil || row.WrittenAt == nil || row.ExpiresAt == nil || !now.Before(*row.ExpiresAt) {
			return nil
		}
		claimed = true
		return st.db.WithContext(ctx).Model(&exportLinkRow{}).Where("id = ?", row.ID).Update("used_at", now).Error
	})
	return out, claimed, err
}

// Delete removes a link row (its object is already gone).
func (s *Store) Delete(ctx context.Context, id string) error {
	return db.Err(s.db.WithContext(ctx).Where("id = ?", id).Delete(&exportLinkRow{}).Error)
}

// FindExpired lists links expired before now, oldest first, at most limit.
func (s *Store) FindExpired(ctx context.Context, now time.Time, limit int) ([]ExportLink, error) {
	var rows []exportLinkRow
	err := s.db.WithContext(ctx).Where("expires_at < ?", now).Order("expires_at").Limit(limit).Find(&rows).Error
	out := make([]ExportLink, len(rows))
	for i, r := range rows {
		out[i] = r.link()
	}
	return out, db.Err(err)
}

// FindOfUser lists every export link of the user (for the erasure, which deletes their objects).
func (s *Store) FindOfUser(ctx context.Context, userID string) ([]ExportLink, error) {
	var rows []exportLinkRow
	err := s.db.WithContext(ctx).Where("user_id = ?", userID).Find(&rows).Error
	out := make([]ExportLink, len(rows))
	for i, r := range rows {
		out[i] = r.link()
	}
	return out, db.Err(err)
}
