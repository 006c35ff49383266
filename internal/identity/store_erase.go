package identity

import (
	"context"
	"encoding/json"
	"github.com/jackc/pgx/v5"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// Deletion is one line of the erasure audit log.
type Deletion struct {
	SubjectID string
	ActorID   string
	Via       string
	At        time.Time
}

type deletionRow struct {
	ID        int64 `gorm:"primaryKey"`
	SubjectID string
	ActorID   string
	Via       string
	DeletedAt time.Time
}

func (deletionRow) TableName() string { return "account_deletions" }

// DeleteUser removes the account row. Every table that holds the user's data references users
// with ON DELETE CASCADE (sessions, tokens, progress, attempts, certificates, memberships,
// billing rows, and each new domain's tables) or ON DELETE SET NULL where someone else's record
// only names the user as its author (recognitions given, invites sent, teams created), so this
// one statement erases the account everywhere in the database atomically. The address's
// sign-in throttling rows go in the same transaction; the audit line is written beside it.
func (s *Store) DeleteUser(ctx context.Context, d Deletion) error {
	return s.Tx(ctx, func(st *Store) error {
		var email string
		if err := st.g(ctx).Raw(`DELETE FROM users WHERE id = ? RETURNING email`, d.SubjectID).Scan(&email).Error; err != nil {
			return db.Err(err)
		}
		if email == "" {
			return db.Err(gorm.ErrRecordNotFound)
		}
		if err := st.g(ctx).Exec(`DELETE FROM login_failures WHERE email = ?`, email).Error; err != nil {
			return db.Err(err)
		}
		return db.Err(st.g(ctx).Create(&deletionRow{SubjectID: d.SubjectID, ActorID: d.ActorID, Via: d.Via, DeletedAt: d.At}).Error)
	})
}

// erasedRow is an audit line as the erased-accounts poll reads it: the id and the account only.
type erasedRow struct {
	ID        int64
	SubjectID string
}

// FindDeletionsAfter lists the audit lines with an id above afterID and deleted at or after since,
// in id order (ids and accounts only).
func (s *Store) FindDeletionsAfter(ctx context.Context, afterID int64, since time.Time) ([]erasedRow, error) {
	rs, err := s.pool.Query(ctx, `SELECT id, subject_id FROM account_deletions WHERE id > $1 AND deleted_at >= $2 ORDER BY id`,
		afterID, since)
	if err != nil {
		return nil, db.Err(err)
	}
	rows, err := pgx.CollectRows(rs, func(r pgx.CollectableRow) (erasedRow, error) {
		var e erasedRow
		return e, r.Scan(&e.ID, &e.SubjectID)
	})
	return rows, db.Err(err)
}

// FindDeletions lists the audit lines about one account id, newest first.
func (s *Store) FindDeletions(ctx context.Context, subjectID string) ([]Deletion, error) {
	var rows []deletionRow
	err := s.g(ctx).Where("subject_id = ?", subjectID).Order("deleted_at DESC, id DESC").Find(&rows).Error
	out := make([]Deletion, len(rows))
	for i, r := range rows {
		out[i] = Deletion{SubjectID: r.SubjectID, ActorID: r.ActorID, Via: r.Via, At: r.DeletedAt.UTC()}
	}
	return out, db.Err(err)
}

// ExportUser is the account section of a data export: the profile and its sessions' metadata
// (never token hashes or the password hash).
func (s *Store) ExportUser(ctx context.Context, userID string) (json.RawMessage, error) {
	return db.QueryJSON(ctx, s.db, `
		SELECT json_build_object(
			'id', u.id, 'email', u.email, 'name', u.name, 'roles', u.roles,
			'email_verified_at', u.email_verified_at, 'time_zone', u.time_zone,
			'weekly_reminders', u.weekly_reminders, 'created_at', u.created_at, 'updated_at', u.updated_at,
			'sessions', (SELECT coalesce(json_agg(json_build_object('created_at', r.created_at,
				'expires_at', r.expires_at, 'used_at', r.used_at, 'revoked_at', r.revoked_at) ORDER BY r.created_at), '[]')
				FROM refresh_tokens r WHERE r.user_id = u.id))
		FROM users u WHERE u.id = ?`, userID)
}
