package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/rapport-hq/rapport/internal/app"
	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// DemoPassword is the password of every demo account (local use only; README says so).
const DemoPassword = "rapport-demo-2026"

// The demo accounts the README lists.
const (
	demoLearner    = "learner@demo.rapport.local"
	demoManager    = "manager@demo.rapport.local"
	demoInstructor = "instructor@demo.rapport.local"
	demoAdmin      = "admin@demo.rapport.local"
)

var demoUsers = []struct{ email, name, role string }{
	{demoLearner, "Lena Learner", role.Learner},
	{demoManager, "Marco Manager", role.Learner},
	{demoInstructor, "Ines Instructor", role.Instructor},
	{demoAdmin, "Ada Admin", role.Admin},
}

// cmdDemo loads what a local run needs: the shipped curriculum, the demo accounts and their
// eight weeks of history (demo_story.go). It is idempotent, so `make run` calls it every time.
// With --learners N (N > 0) it also seeds N load learners with teams, progress and assessment
// attempts (demo_load.go), for `make bench`.
func cmdDemo(ctx context.Context, e *env) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stdout)
	learners := fs.Int("learners", 0, "also seed this many load learners (learner-00001@load.rapport.test …, password "+
		LoadPassword+") with teams of 50, progress and attempts; idempotent")
	if err := fs.Parse(e.args); err != nil {
		return err
	}
	if *learners < 0 || fs.NArg() > 0 {
		return fmt.Errorf("demo: usage: rapport demo [--learners N]")
	}
	// The story moves its own clock. An end-to-end server's test clock (RAPPORT_TEST_CLOCK) is
	// for `serve`; here it would override the story's.
	cfg := *e.cfg
	cfg.TestClock = false
	clock := &storyClock{}
	a, err := app.New(ctx, &cfg, e.log, startWait, app.WithClock(clock.Now))
	if err != nil {
		return err
	}
	defer a.Close()
	s := newStory(a, clock, time.Now())
	// The curriculum is imported on the wall clock: the catalog dates edits with the database's
	// clock, so a version published on the story's clock would look older than its own edits.
	// The story's reading then predates version 1; no screen shows those two dates together.
	if err := importEmbeddedContent(ctx, a, e); err != nil {
		return err
	}
	if err := s.demoAccounts(ctx, e); err != nil {
		return err
	}
	if err := s.tell(ctx, e); err != nil {
		return err
	}
	if *learners > 0 {
		return seedLoad(ctx, a, e, *learners)
	}
	return nil
}

// demoAccounts creates the four demo accounts that are missing (a week before the story starts)
// and gives each a year of complimentary premium access unless it has an active grant, so every
// premium module can be read locally without Stripe.
func (s *story) demoAccounts(ctx context.Context, e *env) error {
	defer s.clock.Real()
	for _, d := range demoUsers {
		s.clock.Set(s.day(-7))
		u, created, err := s.ensureUser(ctx, d.email, d.name, d.role)
		if err != nil {
			return describe(err)
		}
		if created {
			fmt.Fprintf(e.stdout, "demo: created %s (%s)\n", d.email, d.role)
		} else {
			s.clock.Real() // an older account's grant is judged (and dated) now
		}
		granted, err := s.a.Billing.EnsureUserGrant(ctx, u.ID, s.end.AddDate(1, 0, 0))
		if err != nil {
			return describe(err)
		}
		if granted {
			fmt.Fprintf(e.stdout, "demo: %s has complimentary premium access for a year\n", d.email)
		}
	}
	return nil
}

// tell plans what is missing of the story, plays it and prints what the accounts now show.
func (s *story) tell(ctx context.Context, e *env) error {
	planned := false
	for _, sc := range []script{lena(), marco()} {
		ok, err := s.planLearner(ctx, sc)
		if err != nil {
			return describe(err)
		}
		planned = planned || ok
	}
	ok, err := s.planTeam(ctx, demoTeam())
	if err != nil {
		return describe(err)
	}
	planned = planned || ok
	if ok, err = s.planEngagement(ctx); err != nil {
		return describe(err)
	}
	planned = planned || ok
	if ok, err = s.planPractice(ctx); err != nil {
		return describe(err)
	}
	planned = planned || ok
	if ok, err = s.planDraft(ctx); err != nil {
		return describe(err)
	}
	planned = planned || ok
	if planned {
		n, err := s.play(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "demo: played %d steps of eight weeks' history through the services\n", n)
	} else {
		fmt.Fprintln(e.stdout, "demo: the demo history is already in place")
	}
	return s.summarise(ctx, e)
}

// planDraft plans Ines's draft lesson (saved now, not published) unless it is there.
func (s *story) planDraft(ctx context.Context) (bool, error) {
	_, err := s.a.Catalog.DraftLesson(ctx, draftModule, draftLessonSlug)
	if err == nil || !apperr.Is(err, apperr.NotFound) {
		return false, err
	}
	s.add(s.end, "Ines drafts a lesson", func(ctx context.Context) error {
		slug, title, minutes, md := draftLessonSlug, draftLessonTitle, draftLessonMinute, draftLessonMarkdown
		_, err := s.a.Catalog.CreateLesson(ctx, draftModule, catalog.LessonInput{Slug: &slug, Title: &title,
			Minutes: &minutes, Markdown: &md})
		return err
	})
	return true, nil
}
