package teams

import (
	"context"
	"sort"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Recognize records a recognition from one team member (manager or rep) to another and e-mails
// the recipient in the same transaction. Admins outside the team may read it but not send.
func (s *Service) Recognize(ctx context.Context, actorID, teamID string, in RecognitionInput) (Recognition, error) {
	msg, kind, comp, ev, err := in.validate(actorID)
	if err != nil {
		return Recognition{}, err
	}
	t, err := s.authorize(ctx, teamID, actorID, sendRecognition)
	if err != nil {
		return Recognition{}, err
	}
	if ev != nil && ev.Kind == EvidencePulse {
		// A pulse is evidence only for the rep it belongs to, once its buyer answered: an id of
		// anyone else's pulse is refused like one that does not exist.
		ok, err := s.Pulses.AnsweredPulseOf(ctx, ev.ID, in.UserID)
		if err != nil {
			return Recognition{}, err
		}
		if !ok {
			return Recognition{}, apperr.InvalidFields(apperr.Field("evidence.id", "This isn’t one of this rep’s answered pulses. Choose one from their list."))
		}
	}
	if ev != nil && ev.Kind == EvidenceSubmission {
		// Likewise a practice attempt: only a reviewed one of the recognised rep.
		title, ok, err := s.Practice.ReviewedSubmissionOf(ctx, ev.ID, in.UserID)
		if err != nil {
			return Recognition{}, err
		}
		if !ok {
			return Recognition{}, apperr.InvalidFields(apperr.Field("evidence.id", "This isn’t one of this rep’s reviewed practice attempts. Choose one from their list."))
		}
		ev.Title = title
	}
	fromName := s.userName(ctx, actorID)
	r := Recognition{TeamID: teamID, TeamName: t.Name, FromID: actorID, FromName: fromName, ToID: in.UserID,
		Message: msg, Kind: kind, CreatedAt: s.Now().UTC(), Competency: comp, Evidence: ev}
	err = s.tx(ctx, func(st *Store) error {
		if _, err := st.FindActiveMember(ctx, teamID, in.UserID); err != nil {
			if apperr.Is(err, apperr.NotFound) {
				return apperr.InvalidFields(apperr.Field("user_id", "This person isn’t a member of this team. Refresh the page and choose again."))
			}
			return err
		}
		to, err := st.FindContact(ctx, in.UserID)
		if err != nil {
			return err
		}
		r.ToName = to.Name
		if r, err = st.CreateRecognition(ctx, r); err != nil {
			return err
		}
		return s.mail(ctx, st, to.Email, "recognition", map[string]any{
			"Name": to.Name, "FromName": fromName, "TeamName": t.Name, "Message": msg,
			"Milestone": kind == KindMilestone, "Link": s.PublicURL + "/dashboard",
		})
	})
	if err != nil {
		return Recognition{}, err
	}
	return r, nil
}

// Feed is the team's recognition feed, newest first (members and admins).
func (s *Service) Feed(ctx context.Context, actorID, teamID string, before time.Time, limit int) ([]Recognition, error) {
	if _, err := s.authorize(ctx, teamID, actorID, readTeam); err != nil {
		return nil, err
	}
	return s.store.FindRecognitions(ctx, RecognitionFilter{TeamID: teamID, Before: before, Limit: feedLimit(limit)})
}

// MyRecognitions lists the recognitions the user received, newest first.
func (s *Service) MyRecognitions(ctx context.Context, userID string, before time.Time, limit int) ([]Recognition, error) {
	return s.store.FindRecognitions(ctx, RecognitionFilter{ToUserID: userID, Before: before, Limit: feedLimit(limit)})
}

// Prompts lists reps a manager could recognise: those who completed a module or showed
// significant growth on a competency within PromptWindow and have not been recognised in this
// team since. One aggregation over the learners plus one batched call each for completions
// and skills.
func (s *Service) Prompts(ctx context.Context, actorID, teamID string) ([]Prompt, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return nil, err
	}
	learners, err := s.store.FindLearners(ctx, teamID, nil)
	if err != nil || len(learners) == 0 {
		return []Prompt{}, err
	}
	since := s.Now().UTC().Add(-PromptWindow)
	ids := make([]string, len(learners))
	byID := make(map[string]Learner, len(learners))
	for i, l := range learners {
		ids[i], byID[l.UserID] = l.UserID, l
	}
	out := []Prompt{}
	done, err := s.Progress.Completions(ctx, ids, since)
	if err != nil {
		return nil, err
	}
	for _, c := range done {
		if l, ok := byID[c.UserID]; ok {
			if p, ok := l.completionPrompt(c, since); ok {
				out = append(out, p)
			}
		}
	}
	skills, err := s.Skills.SkillSummaries(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, l := range learners {
		for _, c := range skills[l.UserID] {
			if p, ok := l.growthPrompt(c, since); ok {
				out = append(out, p)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

// RecognitionGaps lists the team's reps not recognised in the last 30 days, longest first
// (managers and admins).
func (s *Service) RecognitionGaps(ctx context.Context, actorID, teamID string) ([]RecognitionGap, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return nil, err
	}
	learners, err := s.store.FindLearners(ctx, teamID, nil)
	if err != nil {
		return nil, err
	}
	return RecognitionGaps(learners, s.Now().UTC()), nil
}
