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

func (r inviteRow) toInvite() Invite {
	utc := func(t *time.Time) *time.Time {
		if t == nil {
			return nil
		}
		u := t.UTC()
		return &u
	}
	return Invite{ID: r.ID, TeamID: r.TeamID, Email: r.Email, InvitedBy: deref(r.InvitedBy), ExpiresAt: r.ExpiresAt.UTC(),
		CreatedAt: r.CreatedAt.UTC(), AcceptedAt: utc(r.AcceptedAt), AcceptedBy: deref(r.AcceptedBy), RevokedAt: utc(r.RevokedAt),
		tokenHash: r.TokenHash}
}

func toInviteRow(i Invite) inviteRow {
	return inviteRow{ID: i.ID, TeamID: i.TeamID, Email: i.Email, TokenHash: i.tokenHash, InvitedBy: ptr(i.InvitedBy),
		ExpiresAt: i.ExpiresAt, AcceptedAt: i.AcceptedAt, AcceptedBy: ptr(i.AcceptedBy), RevokedAt: i.RevokedAt, CreatedAt: i.CreatedAt}
}

// FindInviteByToken reads the invite whose link is raw, with its team's and inviter's names
// (reading users). NotFound for an unknown link.
func (s *Store) FindInviteByToken(ctx context.Context, raw string) (InviteDetail, error) {
	var rows []struct {
		Invite      inviteRow `gorm:"embedded"`
		TeamName    string
		InviterName *string
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT i.*, t.name AS team_name, u.name AS inviter_name
		FROM team_invites i
		JOIN teams t ON t.id = i.team_id
		LEFT JOIN users u ON u.id = i.invited_by
		WHERE i.token_hash = ?`, hashToken(raw)).Scan(&rows).Error
	if err == nil && len(rows) == 0 {
		err = gorm.ErrRecordNotFound
	}
	if err != nil {
		return InviteDetail{}, db.Err(err)
	}
	return InviteDetail{Invite: rows[0].Invite.toInvite(), TeamName: rows[0].TeamName, InviterName: deref(rows[0].InviterName)}, nil
}

// LockInvite reads a team's invite FOR UPDATE (inside the transaction holding the team lock).
func (s *Store) LockInvite(ctx context.Context, teamID, id string) (Invite, error) {
	var r inviteRow
	err := s.db.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("id = ? AND team_id = ?", id, teamID).Take(&r).Error
	return r.toInvite(), db.Err(err)
}

// FindOpenInvites lists the open invites (neither accepted nor revoked, expired included: the
// rows the schema's open-invite index covers) of the given teams, newest first.
func (s *Store) FindOpenInvites(ctx context.Context, teamIDs []string) ([]Invite, error) {
	var rows []inviteRow
	err := s.db.WithContext(ctx).Where("team_id IN ? AND accepted_at IS NULL AND revoked_at IS NULL", teamIDs).
		Order("created_at DESC, email").Find(&rows).Error
	out := make([]Invite, len(rows))
	for i, r := range rows {
		out[i] = r.toInvite()
	}
	return out, db.Err(err)
}

// FindSeatHolderEmails returns which of the addresses belong to the team's seat holders (reading
// users).
func (s *Store) FindSeatHolderEmails(ctx context.Context, teamID string, emails []string) ([]string, error) {
	var out []string
	err := s.db.WithContext(ctx).Raw(`
		SELECT u.email FROM team_members m JOIN users u ON u.id = m.user_id
		WHERE m.team_id = ? AND `+seatHolder+` AND u.email IN ?`, teamID, emails).Scan(&out).Error
	return out, db.Err(err)
}

// CreateInvites stores new invites and returns them with their ids.
func (s *Store) CreateInvites(ctx context.Context, invs []Invite) ([]Invite, error) {
	if len(invs) == 0 {
		return nil, nil
	}
	rows := make([]inviteRow, len(invs))
	for i, inv := range invs {
		rows[i] = toInviteRow(inv)
	}
	if err := s.db.WithContext(ctx).Create(&rows).Error; err != nil {
		return nil, db.Err(err)
	}
	out := make([]Invite, len(rows))
	for i, r := range rows {
		out[i] = r.toInvite()
	}
	return out, nil
}

// SaveInvite stores what an invite's rules change: its link, expiry, acceptance and revocation.
func (s *Store) SaveInvite(ctx context.Context, inv Invite) error {
	r := toInviteRow(inv)
	return db.Err(s.db.WithContext(ctx).Model(&inviteRow{}).Where("id = ?", inv.ID).Updates(map[string]any{
		"token_hash": r.TokenHash, "expires_at": r.ExpiresAt, "accepted_at": r.AcceptedAt, "accepted_by": r.AcceptedBy,
		"revoked_at": r.RevokedAt}).Error)
}
