package catalog

import (
	"context"
	"slices"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// coachingNotFound is the one answer for a module without a guide and for a caller who may not
// read guides, so a learner cannot tell which modules have one.
const coachingNotFound = "We couldn’t find a coaching guide for this module."

// Coaching returns the coaching guide of a published module's current version. Guides are for
// people who coach: managers of any team, instructors and admins. Anyone else signed in gets
// NotFound, as for a module without a guide, so the guides' existence is not revealed.
//
// A guide is not premium content even when its module is: a manager coaches reps who hold the
// seats, and often holds no learner seat (and so no entitlement) themselves. The guide
// summarises the lessons for a coach; it does not reproduce them, so reading it gives no access
// to the premium lessons.
func (s *Service) Coaching(ctx context.Context, userID, slug string) (CoachingGuide, error) {
	if userID == "" {
		return CoachingGuide{}, apperr.New(apperr.Unauthorized, "Please sign in to read the coaching guide.")
	}
	ok, err := s.coaches(ctx, userID)
	if err != nil {
		return CoachingGuide{}, err
	}
	if !ok {
		return CoachingGuide{}, apperr.New(apperr.NotFound, coachingNotFound)
	}
	g, err := s.store.FindCoaching(ctx, slug)
	return g, notFound(err, coachingNotFound)
}

// coaches reports whether the user may read coaching guides: an instructor, an admin or a
// manager of at least one team.
func (s *Service) coaches(ctx context.Context, userID string) (bool, error) {
	roles, err := s.Roles.UserRoles(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return false, apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
	}
	if err != nil {
		return false, err
	}
	if slices.Contains(roles, role.Admin) || slices.Contains(roles, role.Instructor) {
		return true, nil
	}
	return s.Managers.IsManager(ctx, userID)
}
