package assess

import "context"

// SelfRatings returns, for many learners with one query, how each rated themself on every
// competency: the Likert part (0-100) of their latest submitted assessment scoring it. Practice
// compares it with what managers observe. Learners never assessed are absent from the map.
func (s *Service) SelfRatings(ctx context.Context, userIDs []string) (map[string]map[string]float64, error) {
	out := map[string]map[string]float64{}
	if len(userIDs) == 0 {
		return out, nil
	}
	rows, err := s.store.FindSelfRatings(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		if out[r.UserID] == nil {
			out[r.UserID] = map[string]float64{}
		}
		out[r.UserID][r.Competency] = r.Likert
	}
	return out, nil
}
