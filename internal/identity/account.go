package identity

import (
	"context"
	"strings"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

var errBadLink = func(field string) error {
	return &apperr.Error{Kind: apperr.Invalid, Detail: "This link no longer works: it was already used or has expired. Please ask for a new one.",
		Fields: []apperr.FieldError{apperr.Field(field, "This link was already used or has expired. Please ask for a new one.")}}
}

// ForgotPassword sends a reset link when the address has an account. The caller answers the
// same way either way, so the endpoint does not reveal who has an account.
func (s *Service) ForgotPassword(ctx context.Context, email string) error {
	email = NormalizeEmail(email)
	if err := apperr.Collect(ValidateEmail("email", email)); err != nil {
		return err
	}
	u, err := s.store.FindUserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return s.store.Tx(ctx, func(st *Store) error { return s.sendLink(ctx, st, u, PurposeResetPassword) })
}

// spendLink spends the one-time link raw of purpose through st and returns whose it is; a link
// that is unknown, used, expired or of another purpose is refused, naming the token field.
func (s *Service) spendLink(ctx context.Context, st *Store, raw string, p TokenPurpose) (UserToken, error) {
	now := s.now()
	t, err := st.LockUserToken(ctx, hashToken(raw))
	if apperr.Is(err, apperr.NotFound) || (err == nil && !t.Usable(p, now)) {
		return UserToken{}, errBadLink("token")
	}
	if err != nil {
		return UserToken{}, err
	}
	return t, st.MarkUserTokenUsed(ctx, t.Hash, now)
}

func missingToken(raw string) *apperr.FieldError {
	if raw == "" {
		f := apperr.Field("token", "This link is incomplete. Open the link from your e-mail again.")
		return &f
	}
	return nil
}

// ResetPassword sets a new password with a one-time token and ends every session of the account.
func (s *Service) ResetPassword(ctx context.Context, raw, password string) error {
	if err := apperr.Collect(missingToken(raw), ValidatePassword("password", password)); err != nil {
		return err
	}
	hash, err := HashPassword(password, s.params)
	if err != nil {
		return err
	}
	now := s.now()
	var email string
	err = s.store.Tx(ctx, func(st *Store) error {
		t, err := s.spendLink(ctx, st, raw, PurposeResetPassword)
		if err != nil {
			return err
		}
		u, err := st.FindUserByID(ctx, t.UserID)
		if err != nil {
			return err
		}
		email = u.Email
		if err := st.UpdateUser(ctx, u.ID, u.PasswordReset(hash, now)); err != nil {
			return err
		}
		// Any other reset link sent earlier dies with this reset.
		if err := st.SpendUserTokens(ctx, u.ID, PurposeResetPassword, now); err != nil {
			return err
		}
		return st.RevokeUserSessions(ctx, u.ID, now)
	})
	if err != nil {
		return err
	}
	return s.store.ClearFailures(ctx, email)
}

// VerifyEmail marks the address of the token's user as verified.
func (s *Service) VerifyEmail(ctx context.Context, raw string) error {
	if err := apperr.Collect(missingToken(raw)); err != nil {
		return err
	}
	now := s.now()
	return s.store.Tx(ctx, func(st *Store) error {
		t, err := s.spendLink(ctx, st, raw, PurposeVerifyEmail)
		if err != nil {
			return err
		}
		return st.UpdateUser(ctx, t.UserID, UserChange{EmailVerifiedAt: &now})
	})
}

// ResendVerification sends a fresh verification link.
func (s *Service) ResendVerification(ctx context.Context, userID string) error {
	u, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	if u.EmailVerifiedAt != nil {
		return apperr.New(apperr.Conflict, "Your e-mail address is already confirmed. There’s nothing more to do.")
	}
	return s.store.Tx(ctx, func(st *Store) error { return s.sendLink(ctx, st, u, PurposeVerifyEmail) })
}

// User returns the account; a token for a deleted account gets 401, not 404.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	u, err := s.store.FindUserByID(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return User{}, apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
	}
	return u, err
}

// UserRoles implements web.RoleSource.
func (s *Service) UserRoles(ctx context.Context, id string) ([]string, error) {
	u, err := s.store.FindUserByID(ctx, id)
	return u.Roles, err
}

// ProfileUpdate holds the optional fields of PATCH /me.
type ProfileUpdate struct {
	Name            *string
	TimeZone        *string
	WeeklyReminders *bool
}

// UpdateProfile changes the given fields only.
func (s *Service) UpdateProfile(ctx context.Context, id string, p ProfileUpdate) (User, error) {
	c := UserChange{TimeZone: p.TimeZone, WeeklyReminders: p.WeeklyReminders}
	var errs apperr.Fields
	if p.Name != nil {
		name, ferr := NormalizeName("name", *p.Name)
		errs.AddErr(ferr)
		c.Name = &name
	}
	if p.TimeZone != nil {
		ok := ValidTimeZone(*p.TimeZone)
		if ok {
			known, err := s.store.KnownTimeZone(ctx, *p.TimeZone)
			if err != nil {
				return User{}, err
			}
			ok = known
		}
		if !ok {
			errs.Add("time_zone", "Choose a time zone from the list, such as Europe/Berlin.")
		}
	}
	if err := errs.Err(); err != nil {
		return User{}, err
	}
	if !c.Empty() {
		if err := s.store.UpdateUser(ctx, id, c); err != nil {
			return User{}, err
		}
	}
	return s.User(ctx, id)
}

// ChangePassword replaces the password after checking the current one, ends every session and
// starts a fresh one for the caller.
func (s *Service) ChangePassword(ctx context.Context, id, current, next string) (Session, error) {
	if err := apperr.Collect(ValidatePassword("new_password", next)); err != nil {
		return Session{}, err
	}
	c, err := s.store.FindCredentialsByID(ctx, id)
	if err != nil {
		return Session{}, err
	}
	if ok, _ := CheckPassword(current, c.PasswordHash); !ok || len(current) > MaxPasswordLen {
		return Session{}, apperr.InvalidFields(apperr.Field("current_password", "This isn’t your current password. Please check it and try again."))
	}
	hash, err := HashPassword(next, s.params)
	if err != nil {
		return Session{}, err
	}
	var sess Session
	err = s.store.Tx(ctx, func(st *Store) error {
		now := s.now()
		if err := st.UpdateUser(ctx, id, UserChange{PasswordHash: &hash}); err != nil {
			return err
		}
		if err := st.RevokeUserSessions(ctx, id, now); err != nil {
			return err
		}
		if err := st.SpendUserTokens(ctx, id, PurposeResetPassword, now); err != nil {
			return err
		}
		sess, err = s.startSession(ctx, st, c.User)
		return err
	})
	return sess, err
}

// ListUsers searches accounts by e-mail or name (admin).
func (s *Service) ListUsers(ctx context.Context, query string) ([]User, error) {
	query, ferr := NormalizeUserQuery(query)
	if err := apperr.Collect(ferr); err != nil {
		return nil, err
	}
	return s.store.FindUsers(ctx, query, 100)
}

// SetRoles replaces a user's roles (admin); AssignRoles holds the rules.
func (s *Service) SetRoles(ctx context.Context, actorID, id string, roles []string) (User, error) {
	set, err := AssignRoles(actorID, id, roles)
	if err != nil {
		return User{}, err
	}
	err = s.store.UpdateUser(ctx, id, UserChange{Roles: set})
	s.access.AccessChanged() // admins read every premium lesson
	if err != nil {
		return User{}, err
	}
	return s.store.FindUserByID(ctx, id)
}

// CreateUser makes a verified account from the command line.
func (s *Service) CreateUser(ctx context.Context, email, password, name, granted string) (User, error) {
	email = NormalizeEmail(email)
	if name == "" {
		name = email
		if i := strings.LastIndex(email, "@"); i > 0 {
			name = email[:i]
		}
	}
	name, nameErr := NormalizeName("name", name)
	u := User{Email: email, Name: name, Roles: []string{role.Learner}, TimeZone: "UTC", WeeklyReminders: true}
	var roleErr *apperr.FieldError
	if granted != "" {
		u.Roles, roleErr = u.GrantRole("role", granted)
	}
	if err := apperr.Collect(ValidateEmail("email", email), ValidatePassword("password", password), nameErr, roleErr); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password, s.params)
	if err != nil {
		return User{}, err
	}
	// The service clock, not the database's, dates the account: `rapport demo` tells its story
	// on a moved clock, and an account must not be newer than what its owner did with it.
	now := s.now().UTC()
	u.EmailVerifiedAt, u.CreatedAt = &now, now
	return s.store.CreateUser(ctx, u, hash)
}

// Grant adds a role to the account with the given e-mail.
func (s *Service) Grant(ctx context.Context, email, granted string) (User, error) {
	if _, ferr := (User{}).GrantRole("role", granted); ferr != nil {
		return User{}, apperr.InvalidFields(*ferr)
	}
	u, err := s.store.FindUserByEmail(ctx, NormalizeEmail(email))
	if err != nil {
		return User{}, err
	}
	u.Roles, _ = u.GrantRole("role", granted)
	err = s.store.UpdateUser(ctx, u.ID, UserChange{Roles: u.Roles})
	s.access.AccessChanged()
	if err != nil {
		return User{}, err
	}
	return u, nil
}
