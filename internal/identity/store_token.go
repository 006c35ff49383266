package identity

import (
	"context"
	"time"

	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type refreshRow struct {
	ID        string `gorm:"primaryKey;default:gen_random_uuid()"`
	UserID    string
	FamilyID  string
	TokenHash []byte
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
	CreatedAt time.Time
}

func (refreshRow) TableName() string { return "refresh_tokens" }

func (r refreshRow) toRefreshToken() RefreshToken {
	return RefreshToken{ID: r.ID, UserID: r.UserID, FamilyID: r.FamilyID, Hash: r.TokenHash, ExpiresAt: r.ExpiresAt,
		UsedAt: r.UsedAt, RevokedAt: r.RevokedAt}
}

// CreateRefreshToken stores t.
func (s *Store) CreateRefreshToken(ctx context.Context, t RefreshToken) error {
	return db.Err(s.g(ctx).Create(&refreshRow{UserID: t.UserID, FamilyID: t.FamilyID, TokenHash: t.Hash, ExpiresAt: t.ExpiresAt}).Error)
}

// LockRefreshToken reads the refresh token with hash FOR UPDATE, so two concurrent uses of one
// token serialise until the transaction ends; unknown → NotFound.
func (s *Store) LockRefreshToken(ctx context.Context, hash []byte) (RefreshToken, error) {
	var r refreshRow
	err := s.g(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", hash).Take(&r).Error
	return r.toRefreshToken(), db.Err(err)
}

// MarkRefreshTokenUsed records that the token id was spent at.
func (s *Store) MarkRefreshTokenUsed(ctx context.Context, id string, at time.Time) error {
	return db.Err(s.g(ctx).Model(&refreshRow{}).Where("id = ?", id).Update("used_at", at).Error)
}

// RevokeFamily ends one session: every token of the family still alive is revoked at.
func (s *Store) RevokeFamily(ctx context.Context, family string, at time.Time) error {
	return db.Err(s.g(ctx).Model(&refreshRow{}).
		Where("family_id = ? AND revoked_at IS NULL", family).Update("revoked_at", at).Error)
}

// RevokeUserSessions ends every session of the user.
func (s *Store) RevokeUserSessions(ctx context.Context, userID string, at time.Time) error {
	return db.Err(s.g(ctx).Model(&refreshRow{}).
		Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at).Error)
}

type userTokenRow struct {
	TokenHash []byte `gorm:"primaryKey"`
	UserID    string
	Purpose   string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (userTokenRow) TableName() string { return "user_tokens" }

// CreateUserToken stores a one-time link.
func (s *Store) CreateUserToken(ctx context.Context, t UserToken) error {
	return db.Err(s.g(ctx).Create(&userTokenRow{TokenHash: t.Hash, UserID: t.UserID, Purpose: string(t.Purpose), ExpiresAt: t.ExpiresAt}).Error)
}

// LockUserToken reads the one-time link with hash FOR UPDATE (two clicks on one link serialise);
// unknown → NotFound.
func (s *Store) LockUserToken(ctx context.Context, hash []byte) (UserToken, error) {
	var r userTokenRow
	err := s.g(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", hash).Take(&r).Error
	return UserToken{Hash: r.TokenHash, UserID: r.UserID, Purpose: TokenPurpose(r.Purpose), ExpiresAt: r.ExpiresAt, UsedAt: r.UsedAt}, db.Err(err)
}

// MarkUserTokenUsed records that the link with hash was spent at.
func (s *Store) MarkUserTokenUsed(ctx context.Context, hash []byte, at time.Time) error {
	return db.Err(s.g(ctx).Model(&userTokenRow{}).Where("token_hash = ?", hash).Update("used_at", at).Error)
}

// SpendUserTokens marks every unused link of a purpose as used, so older links stop working.
func (s *Store) SpendUserTokens(ctx context.Context, userID string, p TokenPurpose, at time.Time) error {
	return db.Err(s.g(ctx).Model(&userTokenRow{}).
		Where("user_id = ? AND purpose = ? AND used_at IS NULL", userID, string(p)).Update("used_at", at).Error)
}

type loginFailureRow struct {
	ID       int64 `gorm:"primaryKey"`
	Email    string
	IP       string
	FailedAt time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }

// RecentFailures counts the failed sign-ins after since for the e-mail and for the address, with
// the oldest of each (for Retry-After), in one query.
func (s *Store) RecentFailures(ctx context.Context, email, ip string, since time.Time) (Failures, error) {
	var f Failures
	err := s.g(ctx).Raw(`
		SELECT count(*) FILTER (WHERE email = @email) AS by_email,
		       count(*) FILTER (WHERE ip = @ip) AS by_ip,
		       min(failed_at) FILTER (WHERE email = @email) AS oldest_email,
		       min(failed_at) FILTER (WHERE ip = @ip) AS oldest_ip
		FROM login_failures
		WHERE failed_at > @since AND (email = @email OR ip = @ip)`,
		map[string]any{"email": email, "ip": ip, "since": since}).Scan(&f).Error
	return f, db.Err(err)
}

// AddFailure records a failed sign-in.
func (s *Store) AddFailure(ctx context.Context, email, ip string, at time.Time) error {
	return db.Err(s.g(ctx).Create(&loginFailureRow{Email: email, IP: ip, FailedAt: at}).Error)
}

// ClearFailures forgets the failed sign-ins of an e-mail (after a successful one or a reset).
func (s *Store) ClearFailures(ctx context.Context, email string) error {
	return db.Err(s.g(ctx).Where("email = ?", email).Delete(&loginFailureRow{}).Error)
}
