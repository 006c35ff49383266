package identity

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

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
	row, err := s.st.findUserByEmail(ctx, s.DB.Gorm, email)
	if apperr.Is(err, apperr.NotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	raw, err := s.newUserToken(ctx, s.DB.Gorm, row.ID, "reset_password", ResetTTL)
	if err != nil {
		return err
	}
	s.sendMail(ctx, row.toUser(), "reset", map[string]any{
		"Name": row.Name, "Link": s.PublicURL + "/reset-password?token=" + raw, "Minutes": int(ResetTTL.Minutes())})
	return nil
}

// ResetPassword sets a new password with a one-time token and ends every session of the account.
func (s *Service) ResetPassword(ctx context.Context, raw, password string) error {
	var tokErr *apperr.FieldError
	if raw == "" {
		f := apperr.Field("token", "This link is incomplete. Open the link from your e-mail again.")
		tokErr = &f
	}
	if err := apperr.Collect(tokErr, ValidatePassword("password", password)); err != nil {
		return err
	}
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return err
	}
	now := s.Now()
	var email string
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		t, err := s.st.useUserToken(ctx, tx, hashToken(raw), "reset_password", now)
		if apperr.Is(err, apperr.NotFound) {
			return errBadLink("token")
		}
		if err != nil {
			return err
		}
		u, err := s.st.findUserByID(ctx, tx, t.UserID)
		if err != nil {
			return err
		}
		email = u.Email
		// The reset link proved the user reads this mailbox, so the address counts as verified.
		fields := map[string]any{"password_hash": hash}
		if u.EmailVerifiedAt == nil {
			fields["email_verified_at"] = now
		}
		if err := s.st.updateUser(ctx, tx, t.UserID, fields); err != nil {
			return err
		}
		// Any other reset link sent earlier dies with this reset.
		if err := s.st.spendUserTokens(ctx, tx, t.UserID, "reset_password", now); err != nil {
			return err
		}
		return s.st.revokeUserSessions(ctx, tx, t.UserID, now)
	})
	if err != nil {
		return err
	}
	return s.st.clearFailures(ctx, s.DB.Gorm, email)
}

// VerifyEmail marks the address of the token's user as verified.
func (s *Service) VerifyEmail(ctx context.Context, raw string) error {
	if raw == "" {
		return apperr.InvalidFields(apperr.Field("token", "This link is incomplete. Open the link from your e-mail again."))
	}
	now := s.Now()
	return s.DB.Tx(ctx, func(tx *gorm.DB) error {
		t, err := s.st.useUserToken(ctx, tx, hashToken(raw), "verify_email", now)
		if apperr.Is(err, apperr.NotFound) {
			return errBadLink("token")
		}
		if err != nil {
			return err
		}
		return s.st.updateUser(ctx, tx, t.UserID, map[string]any{"email_verified_at": now})
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
	raw, err := s.newUserToken(ctx, s.DB.Gorm, u.ID, "verify_email", VerifyTTL)
	if err != nil {
		return err
	}
	s.sendMail(ctx, u, "verify", map[string]any{"Name": u.Name, "Link": s.PublicURL + "/verify-email?token=" + raw, "Hours": int(VerifyTTL.Hours())})
	return nil
}

// User returns the account; a token for a deleted account gets 401, not 404.
func (s *Service) User(ctx context.Context, id string) (User, error) {
	r, err := s.st.findUserByID(ctx, s.DB.Gorm, id)
	if apperr.Is(err, apperr.NotFound) {
		return User{}, apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
	}
	return r.toUser(), err
}

// UserRoles implements web.RoleSource.
func (s *Service) UserRoles(ctx context.Context, id string) ([]string, error) {
	r, err := s.st.findUserByID(ctx, s.DB.Gorm, id)
	return []string(r.Roles), err
}

// ProfileUpdate holds the optional fields of PATCH /me.
type ProfileUpdate struct {
	Name            *string
	TimeZone        *string
	WeeklyReminders *bool
}

// UpdateProfile changes the given fields only.
func (s *Service) UpdateProfile(ctx context.Context, id string, p ProfileUpdate) (User, error) {
	fields := map[string]any{}
	var errs []*apperr.FieldError
	if p.Name != nil {
		name, ferr := NormalizeName("name", *p.Name)
		errs = append(errs, ferr)
		fields["name"] = name
	}
	if p.TimeZone != nil {
		ok := *p.TimeZone != "" && *p.TimeZone != "Local" && len(*p.TimeZone) <= 64
		if ok {
			_, err := time.LoadLocation(*p.TimeZone)
			ok = err == nil
		}
		if ok {
			known, err := s.st.knownTimeZone(ctx, s.DB.Gorm, *p.TimeZone)
			if err != nil {
				return User{}, err
			}
			ok = known
		}
		if !ok {
			f := apperr.Field("time_zone", "Choose a time zone from the list, such as Europe/Berlin.")
			errs = append(errs, &f)
		}
		fields["time_zone"] = *p.TimeZone
	}
	if p.WeeklyReminders != nil {
		fields["weekly_reminders"] = *p.WeeklyReminders
	}
	if err := apperr.Collect(errs...); err != nil {
		return User{}, err
	}
	if len(fields) > 0 {
		if err := s.st.updateUser(ctx, s.DB.Gorm, id, fields); err != nil {
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
	row, err := s.st.findUserByID(ctx, s.DB.Gorm, id)
	if err != nil {
		return Session{}, err
	}
	if ok, _ := CheckPassword(current, row.PasswordHash); !ok || len(current) > MaxPasswordLen {
		return Session{}, apperr.InvalidFields(apperr.Field("current_password", "This isn’t your current password. Please check it and try again."))
	}
	hash, err := HashPassword(next, s.Params)
	if err != nil {
		return Session{}, err
	}
	var sess Session
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		if err := s.st.updateUser(ctx, tx, id, map[string]any{"password_hash": hash}); err != nil {
			return err
		}
		if err := s.st.revokeUserSessions(ctx, tx, id, s.Now()); err != nil {
			return err
		}
		if err := s.st.spendUserTokens(ctx, tx, id, "reset_password", s.Now()); err != nil {
			return err
		}
		sess, err = s.startSession(ctx, tx, row.toUser())
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
	rows, err := s.st.findUsers(ctx, s.DB.Gorm, query, 100)
	out := make([]User, len(rows))
	for i, r := range rows {
		out[i] = r.toUser()
	}
	return out, err
}

// SetRoles replaces a user's roles (admin). Everyone keeps learner; an admin cannot remove their
// own admin role, so the last admin cannot lock everyone out by accident.
func (s *Service) SetRoles(ctx context.Context, actorID, id string, roles []string) (User, error) {
	set := []string{role.Learner}
	for i, r := range roles {
		if !slices.Contains(role.All, r) {
			return User{}, apperr.InvalidFields(apperr.Field("roles["+itoa(i)+"]", "Choose learner, instructor or admin."))
		}
		if !slices.Contains(set, r) {
			set = append(set, r)
		}
	}
	if actorID == id && !slices.Contains(set, role.Admin) {
		return User{}, apperr.New(apperr.Conflict, "You can’t remove your own admin role. Ask another admin to do it.")
	}
	if err := s.st.updateUser(ctx, s.DB.Gorm, id, map[string]any{"roles": rolesValue(set)}); err != nil {
		return User{}, err
	}
	r, err := s.st.findUserByID(ctx, s.DB.Gorm, id)
	return r.toUser(), err
}

// CreateUser makes a verified account from the command line.
func (s *Service) CreateUser(ctx context.Context, email, password, name, granted string) (User, error) {
	email = NormalizeEmail(email)
	if name == "" {
		name = email
		if i := indexAt(email); i > 0 {
			name = email[:i]
		}
	}
	name, nameErr := NormalizeName("name", name)
	roles := []string{role.Learner}
	var roleErr *apperr.FieldError
	if granted != "" && granted != role.Learner {
		if !slices.Contains(role.All, granted) {
			f := apperr.Field("role", "Choose learner, instructor or admin.")
			roleErr = &f
		}
		roles = append(roles, granted)
	}
	if err := apperr.Collect(ValidateEmail("email", email), ValidatePassword("password", password), nameErr, roleErr); err != nil {
		return User{}, err
	}
	hash, err := HashPassword(password, s.Params)
	if err != nil {
		return User{}, err
	}
	// The service clock, not the database's, dates the account: `rapport demo` tells its story
	// on a moved clock, and an account must not be newer than what its owner did with it.
	now := s.Now().UTC()
	row := userRow{Email: email, Name: name, PasswordHash: hash, Roles: roles, TimeZone: "UTC", WeeklyReminders: true,
		EmailVerifiedAt: &now, CreatedAt: now, UpdatedAt: now}
	if err := s.st.createUser(ctx, s.DB.Gorm, &row); err != nil {
		return User{}, err
	}
	return row.toUser(), nil
}

// Grant adds a granted to the account with the given e-mail.
func (s *Service) Grant(ctx context.Context, email, granted string) (User, error) {
	if !slices.Contains(role.All, granted) {
		return User{}, apperr.InvalidFields(apperr.Field("role", "Choose learner, instructor or admin."))
	}
	row, err := s.st.findUserByEmail(ctx, s.DB.Gorm, NormalizeEmail(email))
	if err != nil {
		return User{}, err
	}
	roles := []string(row.Roles)
	if !slices.Contains(roles, granted) {
		roles = append(roles, granted)
	}
	if err := s.st.updateUser(ctx, s.DB.Gorm, row.ID, map[string]any{"roles": rolesValue(roles)}); err != nil {
		return User{}, err
	}
	row.Roles = roles
	return row.toUser(), nil
}
