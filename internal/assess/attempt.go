package assess

import (
	"context"
	"encoding/json"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Start returns the learner's unfinished attempt of an instrument, or starts one on its current
// version with the items in a fresh random order; created tells which. The first attempt is the
// baseline; once it is submitted, a progress attempt opens as Retest decides; before that Start
// is a Conflict naming the date. Concurrent calls return one attempt: the database allows one
// unfinished attempt.
func (s *Service) Start(ctx context.Context, userID, slug string) (Attempt, bool, error) {
	cur, err := s.store.FindCurrent(ctx, slug)
	if err != nil {
		return Attempt{}, false, notFound(err, "We couldn’t find that assessment. Choose one from the Assessments page.")
	}
	open, err := s.store.FindOpenAttempt(ctx, userID, cur.InstrumentID)
	if err == nil {
		a, err := s.load(ctx, open)
		return a, false, err
	}
	if !apperr.Is(err, apperr.NotFound) {
		return Attempt{}, false, err
	}
	last, err := s.store.LastSubmitted(ctx, userID, cur.InstrumentID)
	if err != nil {
		return Attempt{}, false, err
	}
	var completed *time.Time
	if last != nil {
		if completed, err = s.Completions.LastCompletion(ctx, userID); err != nil {
			return Attempt{}, false, err
		}
	}
	kind, err := s.retest.Next(s.Now(), last, completed)
	if err != nil {
		return Attempt{}, false, err
	}
	def, err := s.definition(ctx, cur.VersionID)
	if err != nil {
		return Attempt{}, false, err
	}
	a := NewAttempt(userID, kind, cur, def, s.Now().UTC())
	created, err := s.store.CreateAttempt(ctx, &a)
	if err != nil {
		return Attempt{}, false, err
	}
	if !created { // a concurrent start won; return its attempt
		if a, err = s.store.FindOpenAttempt(ctx, userID, cur.InstrumentID); err != nil {
			return Attempt{}, false, notFound(err, "This assessment was submitted in another window. Start a new one from the Assessments page.")
		}
	}
	a, err = s.load(ctx, a)
	return a, created, err
}

// Attempt returns one of the learner's attempts with its answers so far (and scores once
// submitted). Another learner's attempt is NotFound, exactly like a missing one.
func (s *Service) Attempt(ctx context.Context, userID, attemptID string) (Attempt, error) {
	a, err := s.store.FindAttempt(ctx, attemptID)
	if err == nil {
		err = a.VisibleTo(userID)
	}
	if err != nil {
		return Attempt{}, notFound(err, attemptNotFound)
	}
	return s.load(ctx, a)
}

// load completes an attempt read from the store with its definition, answers and scores.
func (s *Service) load(ctx context.Context, a Attempt) (Attempt, error) {
	def, err := s.definition(ctx, a.VersionID)
	if err != nil {
		return Attempt{}, err
	}
	a.Instrument = def
	if a.Responses, err = s.store.FindResponses(ctx, a.ID); err != nil {
		return Attempt{}, err
	}
	if a.SubmittedAt != nil {
		scores, err := s.store.FindScores(ctx, a.ID)
		if err != nil {
			return Attempt{}, err
		}
		a.Scores = orderScores(def, scores)
	}
	return a, nil
}

// SaveResponse stores (or replaces) the answer to one item of an unfinished attempt. The attempt
// row is share-locked, so an answer never lands after the attempt is scored.
func (s *Service) SaveResponse(ctx context.Context, userID, attemptID, itemID string, value json.RawMessage) error {
	return s.SaveResponses(ctx, userID, attemptID, map[string]json.RawMessage{itemID: value})
}

// SaveResponses stores (or replaces) several answers of an unfinished attempt, by item id, under
// SaveResponse's rules and in one transaction: every answer is saved, or none is. A caller with
// all the answers at hand (`rapport demo` answering for its learners) saves them in one statement.
func (s *Service) SaveResponses(ctx context.Context, userID, attemptID string, values map[string]json.RawMessage) error {
	return s.store.Tx(ctx, func(st *Store) error {
		a, err := s.lockOpen(ctx, st.LockAttemptShared, userID, attemptID)
		if err != nil {
			return err
		}
		items, encoded, err := a.EncodeAnswers(values)
		if err != nil {
			return err
		}
		return st.SaveResponses(ctx, a.ID, s.Now().UTC(), items, encoded)
	})
}

// Submit scores an attempt on the server, in one transaction with the attempt row locked: every
// item must be answered (else Invalid listing each missing one as items.<id>), and an attempt is
// submitted once (again: Conflict).
func (s *Service) Submit(ctx context.Context, userID, attemptID string) (Attempt, error) {
	var out Attempt
	err := s.store.Tx(ctx, func(st *Store) error {
		a, err := s.lockOpen(ctx, st.LockAttempt, userID, attemptID)
		if err != nil {
			return err
		}
		if a.Responses, err = st.FindResponses(ctx, a.ID); err != nil {
			return err
		}
		if err := a.Submit(s.Now().UTC()); err != nil {
			return err
		}
		if err := st.CreateScores(ctx, a.ID, a.Scores); err != nil {
			return err
		}
		out = a
		return st.MarkSubmitted(ctx, a.ID, *a.SubmittedAt)
	})
	if err == nil { // a baseline changes reliability, a second attempt the practice effect
		s.forgetReliability(out.InstrumentID)
	}
	return out, err
}

// lockOpen locks one of the learner's unfinished attempts with lock and gives it its
// definition: NotFound when it is missing or someone else's, Conflict when it was submitted.
func (s *Service) lockOpen(ctx context.Context, lock func(context.Context, string) (Attempt, error), userID, attemptID string) (Attempt, error) {
	a, err := lock(ctx, attemptID)
	if apperr.Is(err, apperr.NotFound) {
		return Attempt{}, notFound(err, attemptNotFound)
	}
	if err == nil {
		err = a.OpenTo(userID)
	}
	if err != nil {
		return Attempt{}, err
	}
	a.Instrument, err = s.definition(ctx, a.VersionID)
	return a, err
}
