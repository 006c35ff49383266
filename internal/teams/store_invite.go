package teams

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type inviteRow struct {
	ID         string `gorm:"primaryKey;default:gen_random_uuid()"`
	TeamID     string
	Email      string
	TokenHash  []byte
	InvitedBy  *string
	ExpiresAt  time.Time
	AcceptedAt *time.Time
	AcceptedBy *string
	RevokedAt  *time.Time
	CreatedAt  time.Time
}

func (inviteRow) TableName() string { return "team_invites" }

// state is the invite's state at now.
func (r inviteRow) state(now time.Time) string {
	switch {
	case r.AcceptedAt != nil:
		return InviteAccepted
	case r.RevokedAt != nil:
		return InviteRevoked
	case !r.ExpiresAt.After(now):
		return InviteExpired
	}
	return InvitePending
}

func (r inviteRow) toInvite(now time.Time) Invite {
	return Invite{ID: r.ID, TeamID: r.TeamID, Email: r.Email, State: r.state(now), ExpiresAt: r.ExpiresAt.UTC(),
		CreatedAt: r.CreatedAt.UTC(), InvitedBy: deref(r.InvitedBy)}
}

// inviteView is an invite with the names the invite page and e-mail show.
type inviteView struct {
	Invite      inviteRow `gorm:"embedded"`
	TeamName    string
	InviterName *string
}

// findInviteByHash reads an invite by its token's hash with its team and inviter names.
func (store) findInviteByHash(ctx context.Context, g *gorm.DB, hash []byte) (inviteView, error) {
	var rows []inviteView
	err := g.WithContext(ctx).Raw(`
		SELECT i.*, t.name AS team_name, u.name AS inviter_name
		FROM team_invites i
		JOIN teams t ON t.id = i.team_id
		LEFT JOIN users u ON u.id = i.invited_by
		WHERE i.token_hash = ?`, hash).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return inviteView{}, db.Err(err)
	}
	return rows[0], nil
}

// lockInvite re-reads an invite FOR UPDATE inside the team's transaction.
func (store) lockInvite(ctx context.Context, tx *gorm.DB, teamID, id string) (inviteRow, error) {
	var r inviteRow
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("id = ? AND team_id = ?", id, teamID).Take(&r).Error
	return r, db.Err(err)
}

// openInvites lists a team's invites that are neither accepted nor revoked (expired included),
// optionally only those to the given addresses.
func (store) openInvites(ctx context.Context, g *gorm.DB, teamID string, emails []string) ([]inviteRow, error) {
	var rows []inviteRow
	q := g.WithContext(ctx).Where("team_id = ? AND accepted_at IS NULL AND revoked_at IS NULL", teamID)
	if emails != nil {
		q = q.Where("email IN ?", emails)
	}
	err := q.Order("created_at DESC, email").Find(&rows).Error
	return rows, db.Err(err)
}

// learnerEmails returns which of the addresses belong to the team's learning members.
func (store) learnerEmails(ctx context.Context, g *gorm.DB, teamID string, emails []string) ([]string, error) {
	var out []string
	err := g.WithContext(ctx).Raw(`
		SELECT u.email FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE m.team_id = ? AND m.removed_at IS NULL AND m.is_learner AND u.email IN ?`, teamID, emails).
		Scan(&out).Error
	return out, db.Err(err)
}

func (store) createInvites(ctx context.Context, tx *gorm.DB, rows []inviteRow) error {
	if len(rows) == 0 {
		return nil
	}
	return db.Err(tx.WithContext(ctx).Create(&rows).Error)
}

// reissueInvite gives an open invite a new token and expiry (the old link stops working).
func (store) reissueInvite(ctx context.Context, tx *gorm.DB, id string, hash []byte, expires time.Time) error {
	return db.Err(tx.WithContext(ctx).Model(&inviteRow{}).Where("id = ?", id).
		Updates(map[string]any{"token_hash": hash, "expires_at": expires}).Error)
}

func (store) revokeInvite(ctx context.Context, tx *gorm.DB, id string, now time.Time) error {
	return db.Err(tx.WithContext(ctx).Model(&inviteRow{}).Where("id = ?", id).Update("revoked_at", now).Error)
}

func (store) acceptInvite(ctx context.Context, tx *gorm.DB, id, userID string, now time.Time) error {
	return db.Err(tx.WithContext(ctx).Model(&inviteRow{}).Where("id = ?", id).
		Updates(map[string]any{"accepted_at": now, "accepted_by": userID}).Error)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
