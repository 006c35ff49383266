package identity

import (
	"context"
	"crypto/sha256"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

type userRow struct {
	ID              string `gorm:"primaryKey;default:gen_random_uuid()"`
	Email           string
	Name            string
	PasswordHash    string
	Roles           db.StringArray `gorm:"type:text[]"`
	EmailVerifiedAt *time.Time
	TimeZone        string
	WeeklyReminders bool
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

func (userRow) TableName() string { return "users" }

func (r userRow) toUser() User {
	return User{ID: r.ID, Email: r.Email, Name: r.Name, Roles: []string(r.Roles), EmailVerifiedAt: r.EmailVerifiedAt,
		TimeZone: r.TimeZone, WeeklyReminders: r.WeeklyReminders, CreatedAt: r.CreatedAt.UTC()}
}

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

type userTokenRow struct {
	TokenHash []byte `gorm:"primaryKey"`
	UserID    string
	Purpose   string
	ExpiresAt time.Time
	UsedAt    *time.Time
	CreatedAt time.Time
}

func (userTokenRow) TableName() string { return "user_tokens" }

type loginFailureRow struct {
	ID       int64 `gorm:"primaryKey"`
	Email    string
	IP       string
	FailedAt time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }

// store is identity's data access. Every method takes the *gorm.DB to use (the pool or a tx).
type store struct{}

func hashToken(raw string) []byte {
	sum := sha256.Sum256([]byte(raw))
	return sum[:]
}

func (store) findUserByID(ctx context.Context, g *gorm.DB, id string) (userRow, error) {
	var r userRow
	err := g.WithContext(ctx).Where("id = ?", id).Take(&r).Error
	return r, db.Err(err)
}

func (store) findUserByEmail(ctx context.Context, g *gorm.DB, email string) (userRow, error) {
	var r userRow
	err := g.WithContext(ctx).Where("email = ?", email).Take(&r).Error
	return r, db.Err(err)
}

func (store) createUser(ctx context.Context, g *gorm.DB, r *userRow) error {
	return db.Err(g.WithContext(ctx).Create(r).Error)
}

func (store) updateUser(ctx context.Context, g *gorm.DB, id string, fields map[string]any) error {
	fields["updated_at"] = gorm.Expr("now()")
	res := g.WithContext(ctx).Model(&userRow{}).Where("id = ?", id).Updates(fields)
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return db.Err(gorm.ErrRecordNotFound)
	}
	return nil
}

func (store) findUsers(ctx context.Context, g *gorm.DB, query string, limit int) ([]userRow, error) {
	var rows []userRow
	q := g.WithContext(ctx).Order("created_at DESC").Limit(limit)
	if query != "" {
		like := "%" + escapeLike(query) + "%"
		q = q.Where("email LIKE ? OR lower(name) LIKE lower(?)", like, like)
	}
	return rows, db.Err(q.Find(&rows).Error)
}

func escapeLike(s string) string {
	r := []rune{}
	for _, c := range s {
		if c == '%' || c == '_' || c == '\\' {
			r = append(r, '\\')
		}
		r = append(r, c)
	}
	return string(r)
}

func (store) createRefresh(ctx context.Context, g *gorm.DB, r *refreshRow) error {
	return db.Err(g.WithContext(ctx).Create(r).Error)
}

// lockRefresh reads a refresh token row FOR UPDATE, so two concurrent uses serialise.
func (store) lockRefresh(ctx context.Context, tx *gorm.DB, hash []byte) (refreshRow, error) {
	var r refreshRow
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).Where("token_hash = ?", hash).Take(&r).Error
	return r, db.Err(err)
}

func (store) markRefreshUsed(ctx context.Context, tx *gorm.DB, id string, at time.Time) error {
	return db.Err(tx.WithContext(ctx).Model(&refreshRow{}).Where("id = ?", id).Update("used_at", at).Error)
}

func (store) revokeFamily(ctx context.Context, g *gorm.DB, family string, at time.Time) error {
	return db.Err(g.WithContext(ctx).Model(&refreshRow{}).
		Where("family_id = ? AND revoked_at IS NULL", family).Update("revoked_at", at).Error)
}

func (store) revokeUserSessions(ctx context.Context, g *gorm.DB, userID string, at time.Time) error {
	return db.Err(g.WithContext(ctx).Model(&refreshRow{}).
		Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at).Error)
}

func (store) createUserToken(ctx context.Context, g *gorm.DB, r *userTokenRow) error {
	return db.Err(g.WithContext(ctx).Create(r).Error)
}

// useUserToken marks a valid token used and returns it; used, expired or unknown → NotFound.
func (store) useUserToken(ctx context.Context, tx *gorm.DB, hash []byte, purpose string, now time.Time) (userTokenRow, error) {
	var r userTokenRow
	err := tx.WithContext(ctx).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("token_hash = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?", hash, purpose, now).
		Take(&r).Error
	if err != nil {
		return r, db.Err(err)
	}
	err = tx.WithContext(ctx).Model(&userTokenRow{}).Where("token_hash = ?", hash).Update("used_at", now).Error
	return r, db.Err(err)
}

// knownTimeZone reports whether PostgreSQL knows the zone too (progress computes weeks in SQL).
func (store) knownTimeZone(ctx context.Context, g *gorm.DB, tz string) (bool, error) {
	var n int64
	err := g.WithContext(ctx).Raw("SELECT count(*) FROM pg_timezone_names WHERE name = ?", tz).Scan(&n).Error
	return n > 0, db.Err(err)
}

// spendUserTokens marks every unused token of a purpose as used, so older links stop working.
func (store) spendUserTokens(ctx context.Context, tx *gorm.DB, userID, purpose string, now time.Time) error {
	return db.Err(tx.WithContext(ctx).Model(&userTokenRow{}).
		Where("user_id = ? AND purpose = ? AND used_at IS NULL", userID, purpose).Update("used_at", now).Error)
}

// countFailures returns the failures since `since` for the e-mail and for the address, and the
// oldest of each (for Retry-After), in one query.
func (store) countFailures(ctx context.Context, g *gorm.DB, email, ip string, since time.Time) (byEmail, byIP int, oldestEmail, oldestIP *time.Time, err error) {
	var row struct {
		ByEmail     int
		ByIP        int
		OldestEmail *time.Time
		OldestIP    *time.Time
	}
	err = g.WithContext(ctx).Raw(`
		SELECT count(*) FILTER (WHERE email = @email) AS by_email,
		       count(*) FILTER (WHERE ip = @ip) AS by_ip,
		       min(failed_at) FILTER (WHERE email = @email) AS oldest_email,
		       min(failed_at) FILTER (WHERE ip = @ip) AS oldest_ip
		FROM login_failures
		WHERE failed_at > @since AND (email = @email OR ip = @ip)`,
		map[string]any{"email": email, "ip": ip, "since": since}).Scan(&row).Error
	return row.ByEmail, row.ByIP, row.OldestEmail, row.OldestIP, db.Err(err)
}

func (store) addFailure(ctx context.Context, g *gorm.DB, email, ip string, at time.Time) error {
	return db.Err(g.WithContext(ctx).Create(&loginFailureRow{Email: email, IP: ip, FailedAt: at}).Error)
}

func (store) clearFailures(ctx context.Context, g *gorm.DB, email string) error {
	return db.Err(g.WithContext(ctx).Where("email = ?", email).Delete(&loginFailureRow{}).Error)
}

// setting returns the value of key, inserting value first if the key is new (first writer wins,
// so every process ends up with the same value).
func (store) setting(ctx context.Context, g *gorm.DB, key, value string) (string, error) {
	err := g.WithContext(ctx).Exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, value).Error
	if err != nil {
		return "", db.Err(err)
	}
	var v string
	err = g.WithContext(ctx).Raw("SELECT value FROM settings WHERE key = ?", key).Scan(&v).Error
	return v, db.Err(err)
}
