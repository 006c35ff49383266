package identity

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/token"
)

// Lifetimes and throttling limits.
const (
	RefreshTTL       = 30 * 24 * time.Hour
	VerifyTTL        = 48 * time.Hour
	ResetTTL         = time.Hour
	FailureWindow    = 15 * time.Minute
	MaxEmailFailures = 5
	MaxIPFailures    = 20
)

// Deps are what the identity service needs from the process.
type Deps struct {
	DB        *db.DB
	Queue     *jobs.Inserter
	Now       func() time.Time
	PublicURL string
	// JWTSecret is the configured key; nil means "generate once, keep it in the database".
	JWTSecret []byte
	Log       *slog.Logger
	// Params overrides the argon2id cost (zero value: OWASP's).
	Params Argon2Params
}

// Service implements the identity rules.
type Service struct {
	Deps
	st        store
	keys      *token.Keys
	dummyHash string
}

// NewService loads (or creates) the signing key and prepares the service.
func NewService(ctx context.Context, d Deps) (*Service, error) {
	if d.Params == (Argon2Params{}) {
		d.Params = OWASPParams
	}
	s := &Service{Deps: d}
	key := d.JWTSecret
	if key == nil {
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		v, err := s.st.setting(ctx, d.DB.Gorm, "jwt_secret", base64.StdEncoding.EncodeToString(fresh))
		if err != nil {
			return nil, fmt.Errorf("load JWT key: %w", err)
		}
		if key, err = base64.StdEncoding.DecodeString(v); err != nil {
			return nil, fmt.Errorf("stored JWT key is malformed: %w", err)
		}
	}
	keys, err := token.New(key, d.Now)
	if err != nil {
		return nil, err
	}
	s.keys = keys
	// A real hash to check unknown e-mails against, so they cost the same time as wrong passwords.
	if s.dummyHash, err = HashPassword("rapport-timing-equaliser", d.Params); err != nil {
		return nil, err
	}
	return s, nil
}

// Keys verifies access tokens (for the auth middleware).
func (s *Service) Keys() *token.Keys { return s.keys }

// Session is what a successful sign-in returns.
type Session struct {
	User         User
	AccessToken  string
	ExpiresIn    int
	RefreshToken string
}

// Register creates an account, signs it in and sends the verification e-mail.
func (s *Service) Register(ctx context.Context, email, password, name string) (Session, error) {
	email = NormalizeEmail(email)
	name, nameErr := NormalizeName("name", name)
	if err := apperr.Collect(ValidateEmail("email", email), ValidatePassword("password", password), nameErr); err != nil {
		return Session{}, err
	}
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return Session{}, err
	}
	var sess Session
	var verifyRaw string
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		row := userRow{Email: email, Name: name, PasswordHash: hash, Roles: []string{role.Learner}, TimeZone: "UTC", WeeklyReminders: true}
		if err := s.st.createUser(ctx, tx, &row); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return &apperr.Error{Kind: apperr.Conflict, Detail: "This e-mail address is already registered. Sign in instead, or reset your password.",
					Fields: []apperr.FieldError{apperr.Field("email", "This e-mail address is already registered. Sign in instead, or reset your password.")}}
			}
			return err
		}
		if verifyRaw, err = s.newUserToken(ctx, tx, row.ID, "verify_email", VerifyTTL); err != nil {
			return err
		}
		sess, err = s.startSession(ctx, tx, row.toUser())
		return err
	})
	if err != nil {
		return Session{}, err
	}
	s.sendMail(ctx, sess.User, "verify", map[string]any{
		"Name": sess.User.Name, "Link": s.PublicURL + "/verify-email?token=" + verifyRaw, "Hours": int(VerifyTTL.Hours())})
	return sess, nil
}

// Login checks credentials with throttling kept in the database.
func (s *Service) Login(ctx context.Context, email, password, ip string) (Session, error) {
	email = NormalizeEmail(email)
	if err := apperr.Collect(ValidateEmail("email", email), requiredPassword(password)); err != nil {
		return Session{}, err
	}
	now := s.Now()
	byEmail, byIP, oldestEmail, oldestIP, err := s.st.countFailures(ctx, s.DB.Gorm, email, ip, now.Add(-FailureWindow))
	if err != nil {
		return Session{}, err
	}
	if byEmail >= MaxEmailFailures {
		return Session{}, rateLimited(now, oldestEmail)
	}
	if byIP >= MaxIPFailures {
		return Session{}, rateLimited(now, oldestIP)
	}
	row, err := s.st.findUserByEmail(ctx, s.DB.Gorm, email)
	hash := s.dummyHash
	if err == nil {
		hash = row.PasswordHash
	} else if !apperr.Is(err, apperr.NotFound) {
		return Session{}, err
	}
	ok, herr := CheckPassword(password, hash)
	if err != nil || herr != nil || !ok {
		if ferr := s.st.addFailure(ctx, s.DB.Gorm, email, ip, now); ferr != nil {
			return Session{}, ferr
		}
		return Session{}, apperr.New(apperr.Unauthorized, "The e-mail address or password is wrong. Check both and try again, or reset your password.")
	}
	if err := s.st.clearFailures(ctx, s.DB.Gorm, email); err != nil {
		return Session{}, err
	}
	var sess Session
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		sess, err = s.startSession(ctx, tx, row.toUser())
		return err
	})
	return sess, err
}

func requiredPassword(pw string) *apperr.FieldError {
	if pw == "" {
		f := apperr.Field("password", "Enter your password.")
		return &f
	}
	if len(pw) > MaxPasswordLen {
		f := apperr.Field("password", "This password is too long. Please check it and try again.")
		return &f
	}
	return nil
}

func rateLimited(now time.Time, oldest *time.Time) error {
	retry := int(FailureWindow.Seconds())
	if oldest != nil {
		retry = int(oldest.Add(FailureWindow).Sub(now).Seconds()) + 1
	}
	if retry < 1 {
		retry = 1
	}
	return &apperr.Error{Kind: apperr.RateLimited, Detail: "Too many failed sign-in attempts. Please wait a few minutes and try again, or reset your password.", RetryAfter: retry}
}

// startSession issues an access token and a new refresh-token family for u inside tx.
func (s *Service) startSession(ctx context.Context, tx *gorm.DB, u User) (Session, error) {
	raw, err := randomToken()
	if err != nil {
		return Session{}, err
	}
	fam := uuid.NewString()
	if err := s.st.createRefresh(ctx, tx, &refreshRow{UserID: u.ID, FamilyID: fam, TokenHash: hashToken(raw), ExpiresAt: s.Now().Add(RefreshTTL)}); err != nil {
		return Session{}, err
	}
	access, exp, err := s.keys.Issue(u.ID)
	if err != nil {
		return Session{}, err
	}
	return Session{User: u, AccessToken: access, ExpiresIn: exp, RefreshToken: raw}, nil
}

var errSessionInvalid = apperr.New(apperr.Unauthorized, "Your session has ended. Please sign in again.")

// Refresh rotates a refresh token. Presenting a spent token revokes its whole family.
func (s *Service) Refresh(ctx context.Context, raw string) (Session, error) {
	if raw == "" {
		return Session{}, errSessionInvalid
	}
	now := s.Now()
	var sess Session
	reused := ""
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		r, err := s.st.lockRefresh(ctx, tx, hashToken(raw))
		if err != nil {
			return err
		}
		if r.RevokedAt != nil || !r.ExpiresAt.After(now) {
			return errSessionInvalid
		}
		if r.UsedAt != nil {
			reused = r.FamilyID
			return nil
		}
		if err := s.st.markRefreshUsed(ctx, tx, r.ID, now); err != nil {
			return err
		}
		u, err := s.st.findUserByID(ctx, tx, r.UserID)
		if err != nil {
			return err
		}
		next, err := randomToken()
		if err != nil {
			return err
		}
		if err := s.st.createRefresh(ctx, tx, &refreshRow{UserID: r.UserID, FamilyID: r.FamilyID, TokenHash: hashToken(next), ExpiresAt: now.Add(RefreshTTL)}); err != nil {
			return err
		}
		access, exp, err := s.keys.Issue(u.ID)
		sess = Session{User: u.toUser(), AccessToken: access, ExpiresIn: exp, RefreshToken: next}
		return err
	})
	if reused != "" {
		s.Log.WarnContext(ctx, "refresh token reused: revoking its session family", "family", reused)
		if err := s.st.revokeFamily(ctx, s.DB.Gorm, reused, now); err != nil {
			return Session{}, err
		}
		return Session{}, errSessionInvalid
	}
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, errSessionInvalid
	}
	return sess, err
}

// Logout ends the session (family) the refresh token belongs to; unknown tokens are ignored.
func (s *Service) Logout(ctx context.Context, raw string) error {
	if raw == "" {
		return nil
	}
	r, err := s.st.lockRefresh(ctx, s.DB.Gorm, hashToken(raw))
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.st.revokeFamily(ctx, s.DB.Gorm, r.FamilyID, s.Now())
}

// LogoutAll ends every session of the user.
func (s *Service) LogoutAll(ctx context.Context, userID string) error {
	return s.st.revokeUserSessions(ctx, s.DB.Gorm, userID, s.Now())
}

func (s *Service) newUserToken(ctx context.Context, tx *gorm.DB, userID, purpose string, ttl time.Duration) (string, error) {
	raw, err := randomToken()
	if err != nil {
		return "", err
	}
	err = s.st.createUserToken(ctx, tx, &userTokenRow{TokenHash: hashToken(raw), UserID: userID, Purpose: purpose, ExpiresAt: s.Now().Add(ttl)})
	return raw, err
}

// sendMail renders and queues a message. A queueing failure is logged, not returned: the account
// change already committed, and the user can ask for the mail again.
func (s *Service) sendMail(ctx context.Context, u User, tmpl string, data map[string]any) {
	m, err := mail.Render(u.Email, tmpl, data)
	if err == nil {
		err = s.Queue.Insert(ctx, mail.SendArgs{Message: m}, nil)
	}
	if err != nil {
		s.Log.ErrorContext(ctx, "could not queue e-mail", "template", tmpl, "user_id", u.ID, "error", err)
	}
}

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}
