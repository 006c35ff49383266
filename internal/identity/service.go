package identity

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/mail"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/platform/token"
)

// Deps are what the identity service needs from the process; every one is required.
type Deps struct {
	DB *db.DB
	// Jobs enqueues the e-mails in the transaction of the write that promises them.
	Jobs      *jobs.Inserter
	Now       func() time.Time
	PublicURL string
	// JWTSecret is the configured key; nil means "generate once, keep it in the database".
	JWTSecret []byte
	Log       *slog.Logger
	// Params overrides the argon2id cost (zero value: OWASP's).
	Params Argon2Params
	// Access hears of every committed change of roles and every erased account (nil: nobody).
	Access AccessChanges
}

// AccessChanges is told, once a write has committed and before the caller answers, that who
// may read premium content may have changed (admins read everything, and an erased account reads
// nothing): the process keeps access decisions in memory (the app announces it on billing's
// access channel; other processes hear the database's notification of the same commit).
type AccessChanges interface {
	AccessChanged()
}

// NoAccessChanges is the AccessChanges of a process that keeps no access decisions.
type NoAccessChanges struct{}

// AccessChanged implements AccessChanges: nothing to tell.
func (NoAccessChanges) AccessChanged() {}

// Service implements the identity rules.
type Service struct {
	store     *Store
	now       func() time.Time
	publicURL string
	log       *slog.Logger
	params    Argon2Params
	access    AccessChanges
	keys      *token.Keys
	dummyHash string
	// erased is the set of recently erased accounts whose access tokens are refused.
	erased *erasedAccounts
}

// NewService loads (or creates) the signing key and prepares the service.
func NewService(ctx context.Context, d Deps) (*Service, error) {
	if d.Params == (Argon2Params{}) {
		d.Params = OWASPParams
	}
	if d.Access == nil {
		d.Access = NoAccessChanges{}
	}
	s := &Service{store: NewStore(d.DB, d.Jobs), now: d.Now, publicURL: d.PublicURL, log: d.Log, params: d.Params,
		access: d.Access}
	s.erased = newErasedAccounts(s.store)
	key := d.JWTSecret
	if key == nil {
		fresh := make([]byte, 32)
		if _, err := rand.Read(fresh); err != nil {
			return nil, err
		}
		v, err := s.store.Setting(ctx, "jwt_secret", base64.StdEncoding.EncodeToString(fresh))
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

// Register creates an account, signs it in and queues the verification e-mail, all in one
// transaction: a registration is acknowledged only with its e-mail queued. The input is checked
// and the password hashed before the transaction, so no connection waits on argon2.
func (s *Service) Register(ctx context.Context, email, password, name string) (Session, error) {
	u, hash, err := s.newAccount(email, password, name)
	if err != nil {
		return Session{}, err
	}
	var sess Session
	err = s.store.Tx(ctx, func(st *Store) error {
		sess, err = s.register(ctx, st, u, hash)
		return err
	})
	return sess, err
}

// newAccount checks a registration's input and returns the account to create and its password hash.
func (s *Service) newAccount(email, password, name string) (User, string, error) {
	email = NormalizeEmail(email)
	name, nameErr := NormalizeName("name", name)
	if err := apperr.Collect(ValidateEmail("email", email), ValidatePassword("password", password), nameErr); err != nil {
		return User{}, "", err
	}
	hash, err := HashPassword(password, s.params)
	return User{Email: email, Name: name, Roles: []string{role.Learner}, TimeZone: "UTC", WeeklyReminders: true}, hash, err
}

// register is Register's work inside the transaction st is bound to.
func (s *Service) register(ctx context.Context, st *Store, u User, hash string) (Session, error) {
	u, err := st.CreateUser(ctx, u, hash)
	if apperr.Is(err, apperr.Conflict) {
		msg := "This e-mail address is already registered. Sign in instead, or reset your password."
		return Session{}, &apperr.Error{Kind: apperr.Conflict, Detail: msg, Fields: []apperr.FieldError{apperr.Field("email", msg)}}
	}
	if err != nil {
		return Session{}, err
	}
	if err := s.sendLink(ctx, st, u, PurposeVerifyEmail); err != nil {
		return Session{}, err
	}
	return s.startSession(ctx, st, u)
}

// Login checks credentials with throttling kept in the database.
func (s *Service) Login(ctx context.Context, email, password, ip string) (Session, error) {
	email = NormalizeEmail(email)
	if err := apperr.Collect(ValidateEmail("email", email), requiredPassword(password)); err != nil {
		return Session{}, err
	}
	now := s.now()
	f, err := s.store.RecentFailures(ctx, email, ip, now.Add(-FailureWindow))
	if err != nil {
		return Session{}, err
	}
	if err := f.Throttle(now); err != nil {
		return Session{}, err
	}
	c, err := s.store.FindCredentialsByEmail(ctx, email)
	hash := s.dummyHash
	if err == nil {
		hash = c.PasswordHash
	} else if !apperr.Is(err, apperr.NotFound) {
		return Session{}, err
	}
	ok, herr := CheckPassword(password, hash)
	if err != nil || herr != nil || !ok {
		if ferr := s.store.AddFailure(ctx, email, ip, now); ferr != nil {
			return Session{}, ferr
		}
		return Session{}, apperr.New(apperr.Unauthorized, "The e-mail address or password is wrong. Check both and try again, or reset your password.")
	}
	if err := s.store.ClearFailures(ctx, email); err != nil {
		return Session{}, err
	}
	return s.startSession(ctx, s.store, c.User)
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

// startSession issues an access token and a new refresh-token family for u through st.
func (s *Service) startSession(ctx context.Context, st *Store, u User) (Session, error) {
	raw, t, err := newRefreshToken(u.ID, uuid.NewString(), s.now())
	if err != nil {
		return Session{}, err
	}
	if err := st.CreateRefreshToken(ctx, t); err != nil {
		return Session{}, err
	}
	access, exp, err := s.keys.Issue(u.ID)
	if err != nil {
		return Session{}, err
	}
	return Session{User: u, AccessToken: access, ExpiresIn: exp, RefreshToken: raw}, nil
}

var errSessionInvalid = apperr.New(apperr.Unauthorized, "Your session has ended. Please sign in again.")

// Refresh rotates a refresh token (RefreshToken.Verdict decides). Presenting a spent token
// revokes its whole family, in the transaction that holds the token's lock.
func (s *Service) Refresh(ctx context.Context, raw string) (Session, error) {
	if raw == "" {
		return Session{}, errSessionInvalid
	}
	now := s.now()
	var sess Session
	var reused string
	err := s.store.Tx(ctx, func(st *Store) error {
		t, err := st.LockRefreshToken(ctx, hashToken(raw))
		if err != nil {
			return err
		}
		switch t.Verdict(now) {
		case RefreshRefused:
			return errSessionInvalid
		case RefreshReused:
			reused = t.FamilyID
			return st.RevokeFamily(ctx, t.FamilyID, now)
		}
		if err := st.MarkRefreshTokenUsed(ctx, t.ID, now); err != nil {
			return err
		}
		u, err := st.FindUserByID(ctx, t.UserID)
		if err != nil {
			return err
		}
		next, nt, err := newRefreshToken(t.UserID, t.FamilyID, now)
		if err != nil {
			return err
		}
		if err := st.CreateRefreshToken(ctx, nt); err != nil {
			return err
		}
		access, exp, err := s.keys.Issue(u.ID)
		sess = Session{User: u, AccessToken: access, ExpiresIn: exp, RefreshToken: next}
		return err
	})
	if apperr.Is(err, apperr.NotFound) {
		return Session{}, errSessionInvalid
	}
	if err != nil {
		return Session{}, err
	}
	if reused != "" {
		s.log.WarnContext(ctx, "refresh token reused: revoked its session family", "family", reused)
		return Session{}, errSessionInvalid
	}
	return sess, nil
}

// Logout ends the session (family) the refresh token belongs to; unknown tokens are ignored.
func (s *Service) Logout(ctx context.Context, raw string) error {
	if raw == "" {
		return nil
	}
	err := s.store.Tx(ctx, func(st *Store) error {
		t, err := st.LockRefreshToken(ctx, hashToken(raw))
		if err != nil {
			return err
		}
		return st.RevokeFamily(ctx, t.FamilyID, s.now())
	})
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	return err
}

// LogoutAll ends every session of the user.
func (s *Service) LogoutAll(ctx context.Context, userID string) error {
	return s.store.RevokeUserSessions(ctx, userID, s.now())
}

// sendLink stores a fresh one-time link of purpose for u and queues the e-mail carrying it,
// both through st (so in its transaction).
func (s *Service) sendLink(ctx context.Context, st *Store, u User, p TokenPurpose) error {
	raw, t, err := newUserToken(u.ID, p, s.now())
	if err != nil {
		return err
	}
	if err := st.CreateUserToken(ctx, t); err != nil {
		return err
	}
	var m mail.Message
	switch p {
	case PurposeResetPassword:
		m, err = mail.Render(u.Email, "reset", map[string]any{
			"Name": u.Name, "Link": s.publicURL + "/reset-password?token=" + raw, "Minutes": int(p.TTL().Minutes())})
	default:
		m, err = mail.Render(u.Email, "verify", map[string]any{
			"Name": u.Name, "Link": s.publicURL + "/verify-email?token=" + raw, "Hours": int(p.TTL().Hours())})
	}
	if err != nil {
		return err
	}
	return st.EnqueueMail(ctx, m)
}
