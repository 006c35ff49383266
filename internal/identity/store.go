package identity

import (
	"context"
	"github.com/jackc/pgx/v5/pgxpool"
	"time"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
)

// Store is identity's data access: the only code of the package that knows GORM, tables and
// columns. Methods take and return domain types; errors come mapped by db.Err.
type Store struct {
	db *gorm.DB
	// pool serves the erased-accounts poll straight on pgx: it runs every second in the
	// background, so it stays off GORM's callback chain (cheaper, and never counted or raced by
	// tests that register statement counters).
	pool *pgxpool.Pool
	jobs *jobs.Inserter
}

// NewStore returns the store on d's pool; mails are enqueued through ins.
func NewStore(d *db.DB, ins *jobs.Inserter) *Store {
	return &Store{db: d.Gorm, pool: d.Pool, jobs: ins}
}

// Tx runs fn in one transaction; fn gets a Store bound to it, so every write and every job it
// enqueues commit together or not at all.
func (s *Store) Tx(ctx context.Context, fn func(*Store) error) error {
	return db.Err(s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, pool: s.pool, jobs: s.jobs})
	}))
}

func (s *Store) g(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }

// EnqueueMail queues m for sending, in the store's transaction when it is bound to one.
func (s *Store) EnqueueMail(ctx context.Context, m mail.Message) error {
	return db.InsertJob(ctx, s.db, s.jobs, mail.SendArgs{Message: m})
}

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

func (r userRow) toCredentials() Credentials {
	return Credentials{User: r.toUser(), PasswordHash: r.PasswordHash}
}

// FindUserByID reads an account; unknown → NotFound.
func (s *Store) FindUserByID(ctx context.Context, id string) (User, error) {
	c, err := s.FindCredentialsByID(ctx, id)
	return c.User, err
}

// FindUserByEmail reads the account of a normalised address; unknown → NotFound.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (User, error) {
	c, err := s.FindCredentialsByEmail(ctx, email)
	return c.User, err
}

// FindCredentialsByID reads an account with its password hash.
func (s *Store) FindCredentialsByID(ctx context.Context, id string) (Credentials, error) {
	var r userRow
	err := s.g(ctx).Where("id = ?", id).Take(&r).Error
	return r.toCredentials(), db.Err(err)
}

// FindCredentialsByEmail reads the account of a normalised address with its password hash.
func (s *Store) FindCredentialsByEmail(ctx context.Context, email string) (Credentials, error) {
	var r userRow
	err := s.g(ctx).Where("email = ?", email).Take(&r).Error
	return r.toCredentials(), db.Err(err)
}

// CreateUser stores a new account and returns it with its id (and creation time: u.CreatedAt when
// set, else now). A taken address → Conflict.
func (s *Store) CreateUser(ctx context.Context, u User, passwordHash string) (User, error) {
	r := userRow{Email: u.Email, Name: u.Name, PasswordHash: passwordHash, Roles: u.Roles, EmailVerifiedAt: u.EmailVerifiedAt,
		TimeZone: u.TimeZone, WeeklyReminders: u.WeeklyReminders, CreatedAt: u.CreatedAt, UpdatedAt: u.CreatedAt}
	err := s.g(ctx).Create(&r).Error
	return r.toUser(), db.Err(err)
}

// UpdateUser applies c to the account; unknown → NotFound.
func (s *Store) UpdateUser(ctx context.Context, id string, c UserChange) error {
	fields := map[string]any{"updated_at": gorm.Expr("now()")}
	if c.Name != nil {
		fields["name"] = *c.Name
	}
	if c.TimeZone != nil {
		fields["time_zone"] = *c.TimeZone
	}
	if c.WeeklyReminders != nil {
		fields["weekly_reminders"] = *c.WeeklyReminders
	}
	if c.Roles != nil {
		fields["roles"] = db.StringArray(c.Roles)
	}
	if c.PasswordHash != nil {
		fields["password_hash"] = *c.PasswordHash
	}
	if c.EmailVerifiedAt != nil {
		fields["email_verified_at"] = *c.EmailVerifiedAt
	}
	res := s.g(ctx).Model(&userRow{}).Where("id = ?", id).Updates(fields)
	if res.Error != nil {
		return db.Err(res.Error)
	}
	if res.RowsAffected == 0 {
		return db.Err(gorm.ErrRecordNotFound)
	}
	return nil
}

// FindUsers lists up to limit accounts, newest first, whose e-mail or name contains query
// (case-insensitively; "" lists every account).
func (s *Store) FindUsers(ctx context.Context, query string, limit int) ([]User, error) {
	var rows []userRow
	q := s.g(ctx).Order("created_at DESC").Limit(limit)
	if query != "" {
		like := "%" + escapeLike(query) + "%"
		q = q.Where("email LIKE ? OR lower(name) LIKE lower(?)", like, like)
	}
	err := q.Find(&rows).Error
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.toUser()
	}
	return out, db.Err(err)
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

// KnownTimeZone reports whether PostgreSQL knows the zone too (progress computes weeks in SQL).
func (s *Store) KnownTimeZone(ctx context.Context, tz string) (bool, error) {
	var n int64
	err := s.g(ctx).Raw("SELECT count(*) FROM pg_timezone_names WHERE name = ?", tz).Scan(&n).Error
	return n > 0, db.Err(err)
}

// Setting returns the value of key, inserting value first if the key is new (first writer wins,
// so every process ends up with the same value).
func (s *Store) Setting(ctx context.Context, key, value string) (string, error) {
	err := s.g(ctx).Exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING", key, value).Error
	if err != nil {
		return "", db.Err(err)
	}
	var v string
	err = s.g(ctx).Raw("SELECT value FROM settings WHERE key = ?", key).Scan(&v).Error
	return v, db.Err(err)
}
