package main

// The demo's Buyer Pulse and spaced review, played through the services like the rest of the
// story (see demo_story.go): Lena and Priya ask buyers after meetings and learn how close their
// reading was; Marco recognises Priya with one of those answers as evidence, and his team page
// shows her averages (three answers are the minimum a manager sees); Lena's knowledge checks are
// part-way through the review schedule, some due now and some later. Each part checks whether it
// already happened, so a second run adds nothing.

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rapport-hq/rapport/internal/pulse"
	"github.com/rapport-hq/rapport/internal/teams"
)

// pulsePlan is one meeting a rep asks the buyer about: the rep's prediction, then the buyer's
// answer a little later.
type pulsePlan struct {
	day        float64
	meeting    string
	prediction pulse.Scores
	answer     pulse.Scores
	comment    string
}

func lenaPulses() []pulsePlan {
	return []pulsePlan{
		{38.3, "Discovery call with Halvorsen Logistics", pulse.Scores{Clarity: 4, Understood: 4, Again: 5}, pulse.Scores{Clarity: 3, Understood: 4, Again: 4}, "Helpful, but I still need to see the numbers."},
		{44.4, "Pricing review with Norland Foods", pulse.Scores{Clarity: 3, Understood: 3, Again: 4}, pulse.Scores{Clarity: 4, Understood: 3, Again: 4}, ""},
		{49.5, "Stakeholder workshop at Brightwell", pulse.Scores{Clarity: 4, Understood: 5, Again: 4}, pulse.Scores{Clarity: 4, Understood: 5, Again: 5}, "You clearly listened to our finance team."},
		{53.4, "Follow-up call with Kestrel Health", pulse.Scores{Clarity: 4, Understood: 4, Again: 4}, pulse.Scores{}, ""}, // not answered yet
	}
}

func priyaPulses() []pulsePlan {
	return []pulsePlan{
		{41.2, "Halvorsen buying group kickoff", pulse.Scores{Clarity: 4, Understood: 4, Again: 4}, pulse.Scores{Clarity: 4, Understood: 5, Again: 5}, ""},
		{46.3, "Brightwell consensus session", pulse.Scores{Clarity: 3, Understood: 4, Again: 4}, pulse.Scores{Clarity: 5, Understood: 5, Again: 5}, "Best vendor meeting we have had this year."},
		{50.2, "Norland renewal prep", pulse.Scores{Clarity: 4, Understood: 4, Again: 5}, pulse.Scores{Clarity: 4, Understood: 4, Again: 4}, ""},
	}
}

// teamWeekPulses are more reps' answers, six within about a day, so whatever weekday the demo
// runs on, one week of the team's pulse trend holds at least three answers and shows averages.
func teamWeekPulses() map[string][]pulsePlan {
	return map[string][]pulsePlan{
		"diego.alvarez@demo.rapport.local": {
			{53.2, "Intro call with Vesta Retail", pulse.Scores{Clarity: 4, Understood: 3, Again: 4}, pulse.Scores{Clarity: 3, Understood: 3, Again: 3}, ""},
			{54.0, "Demo for Vesta Retail's IT lead", pulse.Scores{Clarity: 4, Understood: 4, Again: 4}, pulse.Scores{Clarity: 3, Understood: 4, Again: 4}, ""},
		},
		"aisha.khan@demo.rapport.local": {
			{53.4, "Norland renewal, finance follow-up", pulse.Scores{Clarity: 3, Understood: 4, Again: 4}, pulse.Scores{Clarity: 4, Understood: 4, Again: 5}, ""},
			{54.1, "Quarterly review with Kestrel Health", pulse.Scores{Clarity: 4, Understood: 4, Again: 4}, pulse.Scores{Clarity: 4, Understood: 5, Again: 4}, ""},
		},
		"sam.okafor@demo.rapport.local": {
			{53.3, "Discovery call with Orrin Labs", pulse.Scores{Clarity: 4, Understood: 4, Again: 5}, pulse.Scores{Clarity: 3, Understood: 3, Again: 4}, ""},
			{54.2, "Orrin Labs technical deep-dive", pulse.Scores{Clarity: 3, Understood: 4, Again: 4}, pulse.Scores{Clarity: 4, Understood: 4, Again: 4}, ""},
		},
	}
}

const (
	priyaEmail = "priya.patel@demo.rapport.local"
	// pulseWinDay is when Marco recognises Priya with her best pulse answer as evidence.
	pulseWinDay = 51.6
)

// planEngagement plans whatever is missing of the pulses, the recognition with pulse evidence
// and Lena's review schedule; it reports whether it planned anything.
func (s *story) planEngagement(ctx context.Context) (bool, error) {
	n := len(s.steps)
	type repPulses struct {
		email string
		plans []pulsePlan
	}
	all := []repPulses{{demoLearner, lenaPulses()}, {priyaEmail, priyaPulses()}}
	team := teamWeekPulses()
	for _, email := range slices.Sorted(maps.Keys(team)) {
		all = append(all, repPulses{email, team[email]})
	}
	for _, who := range all {
		u, ok, err := s.user(ctx, who.email)
		if err != nil {
			return false, err
		}
		if ok {
			mine, _, err := s.a.Pulse.Mine(ctx, u.ID)
			if err != nil || len(mine) > 0 {
				if err != nil {
					return false, err
				}
				continue
			}
		}
		for _, p := range who.plans {
			s.planPulse(who.email, p)
		}
	}
	if ok, err := s.hasPulseRecognition(ctx); err != nil || !ok {
		if err != nil {
			return false, err
		}
		s.add(s.day(pulseWinDay), "Marco recognises Priya with a buyer's answer", s.recognisePulseWin)
	}
	lena, err := s.mustUser(demoLearner)
	if err != nil {
		return false, err
	}
	q, err := s.a.Review.Queue(ctx, lena.ID)
	if err != nil {
		return false, err
	}
	if q.DueCount == 0 && q.NextDueAt == nil {
		// Two sittings: the first puts five checks in the schedule (two answered wrong, due the next
		// day); the second, four days later, answers the due ones again, so some come back now and
		// the ones she knows later.
		s.add(s.day(45.5), "Lena answers knowledge checks", func(ctx context.Context) error { return s.answerChecks(ctx, true) })
		s.add(s.day(49.6), "Lena reviews her due checks", func(ctx context.Context) error { return s.answerChecks(ctx, false) })
	}
	return len(s.steps) > n, nil
}

// planPulse plans a rep's pulse and, when the plan has one, the buyer's answer eight hours later.
func (s *story) planPulse(email string, p pulsePlan) {
	var token string
	s.add(s.day(p.day), "a pulse after "+p.meeting, func(ctx context.Context) error {
		u, err := s.mustUser(email)
		if err != nil {
			return err
		}
		c, err := s.a.Pulse.Create(ctx, u.ID, pulse.CreateInput{Meeting: p.meeting, Prediction: p.prediction})
		token = c.Link[strings.LastIndex(c.Link, "/")+1:]
		return err
	})
	if p.answer == (pulse.Scores{}) {
		return
	}
	s.add(s.day(p.day).Add(8*time.Hour), "the buyer answers about "+p.meeting, func(ctx context.Context) error {
		return s.a.Pulse.Answer(ctx, token, pulse.AnswerInput{Scores: p.answer, Comment: p.comment})
	})
}

// hasPulseRecognition reports whether the team's feed already has a recognition with pulse evidence.
func (s *story) hasPulseRecognition(ctx context.Context) (bool, error) {
	if s.teamID == "" {
		return false, nil
	}
	mgr, err := s.mustUser(demoManager)
	if err != nil {
		return false, err
	}
	feed, err := s.a.Teams.Feed(ctx, mgr.ID, s.teamID, time.Time{}, 100)
	for _, r := range feed {
		if r.Evidence != nil && r.Evidence.Kind == teams.EvidencePulse {
			return true, err
		}
	}
	return false, err
}

// recognisePulseWin is Marco's recognition of Priya, with her best-rated answered pulse attached.
func (s *story) recognisePulseWin(ctx context.Context) error {
	mgr, err := s.mustUser(demoManager)
	if err != nil {
		return err
	}
	priya, ok, err := s.user(ctx, priyaEmail)
	if err != nil || !ok {
		return fmt.Errorf("priya's account is missing (%v)", err)
	}
	mine, _, err := s.a.Pulse.Mine(ctx, priya.ID)
	if err != nil {
		return err
	}
	best, bestSum := "", -1
	for _, p := range mine {
		if r := p.Response; r != nil && r.Clarity+r.Understood+r.Again > bestSum {
			best, bestSum = p.ID, r.Clarity+r.Understood+r.Again
		}
	}
	if best == "" {
		return fmt.Errorf("priya has no answered pulse to attach")
	}
	kind, competency := "win", cRelationships
	_, err = s.a.Teams.Recognize(ctx, mgr.ID, s.teamID, teams.RecognitionInput{UserID: priya.ID, Kind: &kind, Competency: &competency,
		Message:  "Brightwell's buyer called it the best vendor meeting of the year. Bringing finance and operations to one table is exactly how consensus gets built.",
		Evidence: &teams.EvidenceInput{Kind: teams.EvidencePulse, ID: &best}})
	return err
}

// answerChecks answers the checks of the first two lessons of "The Buyer Has Changed", which
// Lena read in her first week: the first sitting gets every other one wrong; the review
// answers only what is due, all right.
func (s *story) answerChecks(ctx context.Context, first bool) error {
	u, err := s.mustUser(demoLearner)
	if err != nil {
		return err
	}
	due := map[string]bool{}
	if !first {
		q, err := s.a.Review.Queue(ctx, u.ID)
		if err != nil {
			return err
		}
		for _, c := range q.Due {
			due[c.ID] = true
		}
	}
	m, err := s.module(ctx, mBuyerHasChanged)
	if err != nil {
		return err
	}
	i := 0
	for _, l := range m.Lessons[:2] {
		read, err := s.a.Catalog.Lesson(ctx, u.ID, mBuyerHasChanged, l.Slug)
		if err != nil {
			return err
		}
		for _, c := range read.Checks {
			if !first && !due[c.ID] {
				continue
			}
			choice := c.Answer
			if first && i%2 == 1 {
				for _, o := range c.Options {
					if o.ID != c.Answer {
						choice = o.ID
						break
					}
				}
			}
			i++
			s.clock.Advance(40 * time.Second)
			if _, err := s.a.Review.Answer(ctx, u.ID, c.ID, choice, 40); err != nil {
				return err
			}
		}
	}
	return nil
}
