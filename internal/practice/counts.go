package practice

import (
	"context"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// Counts are a learner's practice attempts for a team report: handed in, reviewed by a manager,
// and handed in but not reviewed yet.
type Counts struct {
	Submitted      int
	Reviewed       int
	AwaitingReview int
}

// TeamCounts answers Counts for every learner at once (one statement); learners without a
// submitted attempt are absent.
func (s *Store) TeamCounts(ctx context.Context, userIDs []string) (map[string]Counts, error) {
	out := map[string]Counts{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID    string
		Submitted int
		Reviewed  int
		Awaiting  int
	}
	err := s.db.WithContext(ctx).Raw(`SELECT user_id, count(*) AS submitted,
			count(*) FILTER (WHERE status = 'reviewed') AS reviewed, count(*) FILTER (WHERE status = 'submitted') AS awaiting
		FROM practice_submissions WHERE user_id IN ? AND status <> 'draft' GROUP BY user_id`, userIDs).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		out[r.UserID] = Counts{Submitted: r.Submitted, Reviewed: r.Reviewed, AwaitingReview: r.Awaiting}
	}
	return out, nil
}

// TeamCounts is the batched reader a team report uses (see Store.TeamCounts).
func (s *Service) TeamCounts(ctx context.Context, userIDs []string) (map[string]Counts, error) {
	return s.store.TeamCounts(ctx, userIDs)
}
