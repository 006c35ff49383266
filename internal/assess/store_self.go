package assess

import (
	"context"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// SelfRating is a learner's Likert part (0-100) of their latest submitted score on a competency.
type SelfRating struct {
	UserID     string
	Competency string
	Likert     float64
}

// FindSelfRatings reads, for many learners in one query, the Likert part of each one's latest
// submitted score on every competency that has one (any instrument; the newest attempt wins).
func (s *Store) FindSelfRatings(ctx context.Context, userIDs []string) ([]SelfRating, error) {
	var out []SelfRating
	err := s.db.WithContext(ctx).Raw(`
		SELECT DISTINCT ON (a.user_id, s.competency) a.user_id, s.competency, s.likert::float8 AS likert
		FROM attempts a JOIN attempt_scores s ON s.attempt_id = a.id
		WHERE a.user_id = ANY(CAST(? AS uuid[])) AND a.submitted_at IS NOT NULL AND s.likert IS NOT NULL
		ORDER BY a.user_id, s.competency, a.submitted_at DESC, a.id DESC`, db.StringArray(userIDs)).Scan(&out).Error
	return out, db.Err(err)
}
