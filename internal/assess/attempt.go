package assess

import (
	"context"
	"encoding/json"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"

	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Start returns the learner's unfinished attempt of an instrument, or starts one on its current
// version with the items in a fresh random order; created tells which. The first attempt is the
// baseline; once it is submitted, a progress attempt opens RetestAfter after the last submitted
// attempt (or when a module is completed since then); before that Start is a Conflict naming
// the date. Concurrent calls return one attempt: the database allows one unfinished attempt.
func (s *Service) Start(ctx context.Context, userID, slug string) (Attempt, bool, error) {
	cur, err := s.st.findCurrent(ctx, s.DB.Gorm, slug)
	if err != nil {
		return Attempt{}, false, notFound(err, "We couldn’t find that assessment. Choose one from the Assessments page.")
	}
	open, err := s.st.findOpenAttempt(ctx, s.DB.Gorm, userID, cur.InstrumentID)
	if err == nil {
		a, err := s.load(ctx, open)
		return a, false, err
	}
	if !apperr.Is(err, apperr.NotFound) {
		return Attempt{}, false, err
	}
	last, err := s.st.lastSubmitted(ctx, s.DB.Gorm, userID, cur.InstrumentID)
	if err != nil {
		return Attempt{}, false, err
	}
	kind := KindBaseline
	if last != nil {
		kind = KindProgress
		due, err := s.nextDue(ctx, userID, *last)
		if err != nil {
			return Attempt{}, false, err
		}
		if s.Now().Before(due) {
			return Attempt{}, false, apperr.New(apperr.Conflict, "Your next progress check opens on "+
				due.Format("2 January 2006")+", or as soon as you complete a module.")
		}
	}
	def, err := s.definition(ctx, cur.VersionID)
	if err != nil {
		return Attempt{}, false, err
	}
	order := make([]string, len(def.Items))
	for i, it := range def.Items {
		order[i] = it.ID
	}
	rand.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	row := attemptRow{UserID: userID, InstrumentID: cur.InstrumentID, InstrumentVersionID: cur.VersionID,
		Kind: kind, ItemOrder: order, StartedAt: s.Now().UTC()}
	created, err := s.st.insertAttempt(ctx, s.DB.Gorm, &row)
	if err != nil {
		return Attempt{}, false, err
	}
	if !created { // a concurrent start won; return its attempt
		if row, err = s.st.findOpenAttempt(ctx, s.DB.Gorm, userID, cur.InstrumentID); err != nil {
			return Attempt{}, false, notFound(err, "This assessment was submitted in another window. Start a new one from the Assessments page.")
		}
	}
	a, err := s.load(ctx, row)
	return a, created, err
}

// Attempt returns one of the learner's attempts with its answers so far (and scores once
// submitted). Another learner's attempt is NotFound, exactly like a missing one.
func (s *Service) Attempt(ctx context.Context, userID, attemptID string) (Attempt, error) {
	row, err := s.st.findAttempt(ctx, s.DB.Gorm, attemptID)
	if err == nil && row.UserID != userID {
		err = apperr.New(apperr.NotFound, "We couldn’t find that assessment attempt. Start the assessment again from the Assessments page.")
	}
	if err != nil {
		return Attempt{}, notFound(err, "We couldn’t find that assessment attempt. Start the assessment again from the Assessments page.")
	}
	return s.load(ctx, row)
}

// load assembles an attempt from its row, definition, answers and scores.
func (s *Service) load(ctx context.Context, row attemptRow) (Attempt, error) {
	def, err := s.definition(ctx, row.InstrumentVersionID)
	if err != nil {
		return Attempt{}, err
	}
	a := Attempt{ID: row.ID, UserID: row.UserID, Kind: row.Kind, Instrument: def, ItemOrder: row.ItemOrder,
		StartedAt: row.StartedAt.UTC(), SubmittedAt: utcPtr(row.SubmittedAt), Responses: map[string]json.RawMessage{}}
	resp, err := s.st.findResponses(ctx, s.DB.Gorm, row.ID)
	if err != nil {
		return Attempt{}, err
	}
	for _, r := range resp {
		a.Responses[r.ItemID] = json.RawMessage(r.Value)
	}
	if row.SubmittedAt != nil {
		rows, err := s.st.findScores(ctx, s.DB.Gorm, row.ID)
		if err != nil {
			return Attempt{}, err
		}
		a.Scores = orderScores(def, rows)
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
	return s.DB.Tx(ctx, func(tx *gorm.DB) error {
		row, err := s.lockOwn(ctx, tx, userID, attemptID, "SHARE")
		if err != nil {
			return err
		}
		def, err := s.definition(ctx, row.InstrumentVersionID)
		if err != nil {
			return err
		}
		items := slices.Sorted(maps.Keys(values))
		encoded := make([]string, len(items))
		for i, itemID := range items {
			it, ok := def.Item(itemID)
			if !ok || !slices.Contains(row.ItemOrder, itemID) {
				return apperr.New(apperr.NotFound, "This question isn’t part of this assessment. Please refresh the page and try again.")
			}
			ans, err := ParseAnswer(it, values[itemID])
			if err != nil {
				return err
			}
			encoded[i] = string(encodeAnswer(it.Type, ans))
		}
		return s.st.upsertResponses(ctx, tx, row.ID, s.Now().UTC(), items, encoded)
	})
}

// Submit scores an attempt on the server, in one transaction with the attempt row locked: every
// item must be answered (else Invalid listing each missing one as items.<id>), and an attempt is
// submitted once (again: Conflict).
func (s *Service) Submit(ctx context.Context, userID, attemptID string) (Attempt, error) {
	var out Attempt
	var instrumentID string
	err := s.DB.Tx(ctx, func(tx *gorm.DB) error {
		row, err := s.lockOwn(ctx, tx, userID, attemptID, "UPDATE")
		if err != nil {
			return err
		}
		def, err := s.definition(ctx, row.InstrumentVersionID)
		if err != nil {
			return err
		}
		resp, err := s.st.findResponses(ctx, tx, row.ID)
		if err != nil {
			return err
		}
		answers, err := collectAnswers(def, row.ItemOrder, resp)
		if err != nil {
			return err
		}
		scores, err := ScoreAttempt(def, answers)
		if err != nil {
			return err
		}
		rows := make([]scoreRow, len(scores))
		for i, sc := range scores {
			rows[i] = scoreRow{AttemptID: row.ID, Competency: sc.Competency, Score: sc.Score, Likert: sc.Likert, SJT: sc.SJT}
		}
		if err := s.st.insertScores(ctx, tx, rows); err != nil {
			return err
		}
		now := s.Now().UTC()
		if err := s.st.markSubmitted(ctx, tx, row.ID, now); err != nil {
			return err
		}
		instrumentID = row.InstrumentID
		out = Attempt{ID: row.ID, UserID: row.UserID, Kind: row.Kind, Instrument: def, ItemOrder: row.ItemOrder,
			StartedAt: row.StartedAt.UTC(), SubmittedAt: &now, Scores: scores}
		return nil
	})
	if err == nil && out.Kind == KindBaseline {
		s.forgetReliability(instrumentID)
	}
	return out, err
}

// lockOwn locks one of the learner's unfinished attempts: NotFound when it is missing or someone
// else's, Conflict when it was submitted.
func (s *Service) lockOwn(ctx context.Context, tx *gorm.DB, userID, attemptID, strength string) (attemptRow, error) {
	row, err := s.st.lockAttempt(ctx, tx, attemptID, strength)
	if err == nil && row.UserID != userID {
		err = apperr.New(apperr.NotFound, "We couldn’t find that assessment attempt. Start the assessment again from the Assessments page.")
	}
	if err != nil {
		return attemptRow{}, notFound(err, "We couldn’t find that assessment attempt. Start the assessment again from the Assessments page.")
	}
	if row.SubmittedAt != nil {
		return attemptRow{}, apperr.New(apperr.Conflict, "This assessment has already been submitted. See your results on the Skills page.")
	}
	return row, nil
}

// collectAnswers parses the stored answers and lists every item of the attempt left unanswered.
func collectAnswers(def *Instrument, order []string, resp []responseRow) (map[string]Answer, error) {
	byItem := make(map[string]string, len(resp))
	for _, r := range resp {
		byItem[r.ItemID] = r.Value
	}
	answers := make(map[string]Answer, len(order))
	var missing []apperr.FieldError
	for _, id := range order {
		raw, ok := byItem[id]
		if !ok {
			missing = append(missing, apperr.Field("items."+id, "Please answer this question."))
			continue
		}
		it, _ := def.Item(id)
		a, err := ParseAnswer(it, json.RawMessage(raw))
		if err != nil {
			return nil, err
		}
		answers[id] = a
	}
	if len(missing) > 0 {
		return nil, &apperr.Error{Kind: apperr.Invalid, Fields: missing,
			Detail: "Please answer every question before submitting: " + strconv.Itoa(len(missing)) + " still unanswered."}
	}
	return answers, nil
}

// orderScores turns stored scores into the definition's competency order.
func orderScores(def *Instrument, rows []scoreRow) []Score {
	out := make([]Score, 0, len(rows))
	for _, c := range def.Competencies {
		for _, r := range rows {
			if r.Competency == c.Key {
				out = append(out, Score{Competency: r.Competency, Score: r.Score, Likert: r.Likert, SJT: r.SJT})
			}
		}
	}
	return out
}
