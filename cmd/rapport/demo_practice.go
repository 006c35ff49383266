package main

// The demo's practice, played through the practice service like the rest of the story (see
// demo_story.go): Priya writes her reply to the champion in "Equip your champion", scores
// herself a little generously and submits; Marco reviews it the next day, a point lower on two
// criteria, so her skills page shows self against observed and his review shows what coaching on
// a written attempt looks like. Sam hands in his pipeline note two days before now and it waits,
// so Marco's review queue and team page have one attempt to "Review now". Each part checks the
// rep's attempts first, so a second run adds nothing.

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-hq/rapport/internal/practice"
)

// practicePlan is one rep's written attempt at a shipped text activity and, when review is set,
// Marco's review of it.
type practicePlan struct {
	email    string
	activity string
	day      float64 // when the rep submits (the draft is written ten minutes before)
	text     string
	self     practice.SelfReview
	review   *practice.ReviewDraft
	reviewAt float64
}

// score is one criterion's score.
func score(criterion string, n int) practice.Score {
	return practice.Score{CriterionID: criterion, Score: n}
}

// priyaPractice: after her second Build Consensus lesson, Priya answers the champion's doubt
// (content/practice/equip-the-champion.yaml) and Marco reviews it a day later.
func priyaPractice() practicePlan {
	return practicePlan{
		email: priyaEmail, activity: "equip-the-champion", day: 48.4, reviewAt: 49.4,
		text: `Priya, before the brief: you said you're not sure it's worth the fight right now. That's a fair question, and I'd rather you answer it honestly than carry this into Tuesday for my sake. Here is one way to test it: if Gareth and Tomasz agree the problem below is real, it's worth having; if they don't, we wait until after peak and I'll help you build the case then.

Decision brief (yours to edit and present)

The problem: our two older sites still run on paper pick lists. Last peak, re-picks there went onto overtime. We need every site on one system before October, without adding work to IT in September.

What each of us needs to believe:
- Finance: two more planners over three years cost more than the system. Gareth's own overtime and headcount figures settle it; if the planners come out cheaper, we hire them.
- IT: integration work and upkeep sit with the vendor, named in the contract, and nothing lands on Tomasz's team after August.
- The shift leads: nothing changes on the floor during peak.

Risk: if go-live slips past mid-September, the older sites wait until January rather than switch mid-season.

One question for you: who would disagree with that problem statement? If it's Gareth, could you walk him through his overtime numbers on Friday, before Tuesday?`,
		self: practice.SelfReview{
			Scores: []practice.Score{score("steadies-the-champion", 4), score("editable-problem-statement", 5), score("answers-each-belief", 5),
				score("forwardable", 4), score("finds-the-dissent", 4)},
			Note: "Happiest with the problem statement and with giving Gareth his own numbers. I wasn't sure how much to say about the shift leads.",
		},
		review: &practice.ReviewDraft{
			Scores: []practice.Score{score("steadies-the-champion", 4), score("editable-problem-statement", 4), score("answers-each-belief", 4),
				score("forwardable", 4), score("finds-the-dissent", 4)},
			Comments: []practice.Comment{
				{Text: "The problem statement is the strongest part: finance, IT and the floor can each see themselves in it. It's still yours, though. Add one line that hands it to the group (\"Is this the problem, or is it something else?\") and it becomes theirs to agree on."},
				{Text: "The IT line reads as our promise (\"sits with the vendor\"). Tomasz trusts what he can check: name who on our side owns the integrations and offer him half an hour with them before Tuesday. Same for the shift leads: one honest sentence on what peak looks like for them would land better than \"nothing changes\"."},
			},
			Summary: "Really good work, Priya. You took her doubt seriously before sending anything, and the test you gave her (worth the fight only if Gareth and Tomasz agree on the problem) is exactly the honest way out a champion needs. The brief is short and neutral enough for her to present as her own, with a real risk in it. Two things stand between this and a 5: hand the problem statement to the group to edit, and turn the IT answer from a promise into something Tomasz can test. Bring this to our one-to-one; it's the template for the Brightwell consensus work.",
		},
	}
}

// samPractice: Sam's pipeline note (content/practice/keep-or-qualify-out.yaml), handed in two
// days before now and still waiting for Marco.
func samPractice() practicePlan {
	return practicePlan{
		email: "sam.okafor@demo.rapport.local", activity: "keep-or-qualify-out", day: 54.6,
		text: `Rachel, my three least certain opportunities:

Saltmarsh Brewery: keep. Stuart Penrose and their HR lead were both on last week's call, they put overtime on the bottling line at about £9,000 a month, and they agreed a workshop with the three site managers on the 12th. A named problem, a cost and a date.

Ellery Vets: test. Marianne Cho replies within the hour and says locum fees are killing them, but nobody else has joined a call and budget is "probably not until the new financial year". Before I write any proposal, I'll ask her to bring one of the partners or their finance lead to a 30-minute call by the end of next week to agree what rota gaps cost them. If that doesn't happen, it comes out of this quarter's forecast and I check back in when their new year starts.

Hollins Recruitment: close out. One demo six weeks ago, "just looking at options", and no reply to two e-mails. I'll send a short note saying I'm closing the file and they're welcome to come back when the timing is right.

Top of the pipeline: I haven't started a new conversation in three weeks. My prospecting slot goes back in on Tuesday and Thursday mornings, 9 to 11, and proposals don't get to move it. I'll start with multi-site hospitality groups, where rota gaps hurt the same way.`,
		self: practice.SelfReview{
			Scores: []practice.Score{score("evidence-from-the-buyer", 4), score("honest-close-out", 5), score("specific-test", 4),
				score("single-thread-risk", 3), score("protects-the-top", 4)},
			Note: "Closing Hollins felt easier written down than it does in the forecast call.",
		},
	}
}

// planPractice plans whatever is missing of the reps' practice: an attempt they have not
// submitted yet, and Marco's review of an attempt that waits for one it should have. It reports
// whether it planned anything.
func (s *story) planPractice(ctx context.Context) (bool, error) {
	n := len(s.steps)
	for _, p := range []practicePlan{priyaPractice(), samPractice()} {
		status := practice.StatusNotStarted
		u, ok, err := s.user(ctx, p.email)
		if err != nil {
			return false, err
		}
		if ok {
			mine, err := s.a.Practice.MySubmissions(ctx, u.ID, p.activity)
			if err != nil {
				return false, err
			}
			if len(mine) > 0 {
				status = mine[0].Submission.Status // newest first
			}
		}
		if status == practice.StatusNotStarted || status == practice.StatusDraft {
			s.add(s.day(p.day).Add(-10*time.Minute), p.email+" writes an answer to "+p.activity, func(ctx context.Context) error {
				return s.writeAttempt(ctx, p)
			})
			s.add(s.day(p.day), p.email+" submits "+p.activity, func(ctx context.Context) error {
				owner, id, err := s.latestAttempt(ctx, p)
				if err != nil {
					return err
				}
				_, err = s.a.Practice.Submit(ctx, owner, id)
				return err
			})
		}
		if p.review != nil && status != practice.StatusReviewed {
			s.add(s.day(p.reviewAt), "Marco reviews "+p.activity, func(ctx context.Context) error {
				return s.reviewAttempt(ctx, p)
			})
		}
	}
	return len(s.steps) > n, nil
}

// latestAttempt finds the rep's id and their newest attempt at the plan's activity.
func (s *story) latestAttempt(ctx context.Context, p practicePlan) (owner, submission string, err error) {
	u, ok, err := s.user(ctx, p.email)
	if err != nil || !ok {
		return "", "", fmt.Errorf("%s's account is missing (%v)", p.email, err)
	}
	mine, err := s.a.Practice.MySubmissions(ctx, u.ID, p.activity)
	if err != nil {
		return "", "", err
	}
	if len(mine) == 0 {
		return "", "", fmt.Errorf("%s has no attempt at %s", p.email, p.activity)
	}
	return u.ID, mine[0].Submission.ID, nil
}

// writeAttempt opens the rep's draft (or the one left open), writes the answer and self-scores.
func (s *story) writeAttempt(ctx context.Context, p practicePlan) error {
	u, ok, err := s.user(ctx, p.email)
	if err != nil || !ok {
		return fmt.Errorf("%s's account is missing (%v)", p.email, err)
	}
	d, _, err := s.a.Practice.Start(ctx, u.ID, p.activity)
	if err != nil {
		return err
	}
	if err := s.a.Practice.PutText(ctx, u.ID, d.Submission.ID, p.text); err != nil {
		return err
	}
	s.clock.Advance(3 * time.Minute)
	return s.a.Practice.PutSelfReview(ctx, u.ID, d.Submission.ID, p.self)
}

// reviewAttempt is Marco's review of the rep's newest attempt: saved, then submitted.
func (s *story) reviewAttempt(ctx context.Context, p practicePlan) error {
	mgr, err := s.mustUser(demoManager)
	if err != nil {
		return err
	}
	_, id, err := s.latestAttempt(ctx, p)
	if err != nil {
		return err
	}
	if err := s.a.Practice.SaveReview(ctx, mgr.ID, id, *p.review); err != nil {
		return err
	}
	s.clock.Advance(5 * time.Minute)
	_, err = s.a.Practice.SubmitReview(ctx, mgr.ID, id)
	return err
}
