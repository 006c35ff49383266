package identity

import (
	"context"
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Reauthenticate checks the password of a signed-in account before an irreversible step: an
// empty one is a 422 naming the field, a wrong one a 403 (the caller is signed in, so 401 would
// wrongly tell the browser to refresh its session).
func (s *Service) Reauthenticate(ctx context.Context, userID, password string) error {
	if err := apperr.Collect(requiredPassword(password)); err != nil {
		return err
	}
	c, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	cred, err := s.store.FindCredentialsByID(ctx, c.ID)
	if err != nil {
		return err
	}
	if ok, _ := CheckPassword(password, cred.PasswordHash); !ok || len(password) > MaxPasswordLen {
		return apperr.New(apperr.Forbidden, "That password isn’t right, so your account was not deleted. Check it and try again.")
	}
	return nil
}

// DeleteAccount erases the account row, and with it (through the schema's foreign keys) every
// row of the user's data, in one transaction with the audit line. actorID is the user itself or
// the admin who erased it; the log line names ids and the time only, never content.
func (s *Service) DeleteAccount(ctx context.Context, actorID, userID, via string) error {
	at := s.now().UTC()
	err := s.store.DeleteUser(ctx, Deletion{SubjectID: userID, ActorID: actorID, Via: via, At: at})
	s.access.AccessChanged() // the account's grants, seats and subscriptions went with it
	if err != nil {
		return err
	}
	// This process refuses the account's access tokens from now on; others learn it by polling.
	s.erased.add(userID)
	s.log.Info("account deleted", "user_id", userID, "actor_id", actorID, "via", via, "at", at)
	return nil
}

// Deletions lists the audit lines about an account id (admin tooling and tests).
func (s *Service) Deletions(ctx context.Context, userID string) ([]Deletion, error) {
	return s.store.FindDeletions(ctx, userID)
}

// ExportUser is identity's section of a data export.
func (s *Service) ExportUser(ctx context.Context, userID string) (string, any, error) {
	v, err := s.store.ExportUser(ctx, userID)
	return "account", json.RawMessage(v), err
}
