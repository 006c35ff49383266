package main

// The demo manager's team, played through the teams and billing services (see demo_story.go for
// why). Each part checks what already exists, so a second run adds nothing.

import (
	"context"
	"slices"
	"time"

	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/teams"
)

// teamState is what the team already has, read once before planning.
type teamState struct {
	members     map[string]bool // e-mails of learning members
	invited     map[string]bool // e-mails with a pending invite
	assigned    map[string]bool // module slugs with an assignment
	recognised  bool
	seats       int
	exists      bool
	managerID   string
	adminID     string
	pendingLink map[string]string // e-mail → invite token issued in this run
}

// readTeam finds the demo team of the manager and what it already has.
func (s *story) readTeam(ctx context.Context, plan teamPlan) (teamState, error) {
	st := teamState{members: map[string]bool{}, invited: map[string]bool{}, assigned: map[string]bool{},
		pendingLink: map[string]string{}}
	mgr, err := s.mustUser(demoManager)
	if err != nil {
		return st, err
	}
	admin, err := s.mustUser(demoAdmin)
	if err != nil {
		return st, err
	}
	st.managerID, st.adminID = mgr.ID, admin.ID
	mine, err := s.a.Teams.MyTeams(ctx, mgr.ID)
	if err != nil {
		return st, err
	}
	i := slices.IndexFunc(mine, func(t teams.Team) bool { return t.Name == plan.name && t.MyRole == teams.RoleManager })
	if i < 0 {
		return st, nil
	}
	st.exists, s.teamID = true, mine[i].ID
	d, err := s.a.Teams.Team(ctx, mgr.ID, s.teamID)
	if err != nil {
		return st, err
	}
	for _, m := range d.Members {
		if m.IsLearner {
			st.members[m.Email] = true
		}
	}
	invs, err := s.a.Teams.Invites(ctx, mgr.ID, s.teamID)
	if err != nil {
		return st, err
	}
	for _, inv := range invs {
		if inv.State == teams.InvitePending {
			st.invited[inv.Email] = true
		}
	}
	as, err := s.a.Teams.Assignments(ctx, mgr.ID, s.teamID)
	if err != nil {
		return st, err
	}
	for _, a := range as {
		st.assigned[a.ModuleSlug] = true
	}
	feed, err := s.a.Teams.Feed(ctx, mgr.ID, s.teamID, time.Time{}, 1)
	if err != nil {
		return st, err
	}
	st.recognised = len(feed) > 0
	st.seats, err = s.a.Billing.TeamSeats(ctx, s.teamID)
	return st, err
}

// planTeam plans whatever part of the team's story is missing; it reports whether it planned
// anything.
func (s *story) planTeam(ctx context.Context, plan teamPlan) (bool, error) {
	st, err := s.readTeam(ctx, plan)
	if err != nil {
		return false, err
	}
	n := len(s.steps)
	if !st.exists {
		s.add(s.day(plan.created), "Marco creates "+plan.name, func(ctx context.Context) error {
			d, err := s.a.Teams.CreateTeam(ctx, st.managerID, plan.name)
			s.teamID = d.ID
			return err
		})
	}
	if st.seats < plan.seats {
		s.add(s.day(plan.created).Add(10*time.Minute), "Ada grants the team seats", func(ctx context.Context) error {
			seats := plan.seats - st.seats
			ends := s.end.AddDate(1, 0, 0).UTC().Format(time.RFC3339)
			_, err := s.a.Billing.CreateGrant(ctx, st.adminID, billing.GrantInput{TeamID: &s.teamID, Seats: &seats, EndsAt: ends})
			return err
		})
	}
	for _, r := range plan.reps {
		if !st.members[r.email] {
			s.planJoin(r, st)
		}
		if _, err := s.planLearner(ctx, r.script); err != nil {
			return false, err
		}
	}
	for _, p := range plan.pending {
		if !st.members[p.email] && !st.invited[p.email] {
			s.add(s.day(p.day), "Marco invites "+p.email, func(ctx context.Context) error {
				_, err := s.a.Teams.InviteLinks(ctx, st.managerID, s.teamID, []string{p.email})
				return err
			})
		}
	}
	for _, ap := range plan.assignments {
		if !st.assigned[ap.module] {
			s.add(s.day(ap.day), "Marco assigns "+ap.module, func(ctx context.Context) error {
				return s.assign(ctx, st.managerID, ap)
			})
		}
	}
	if !st.recognised {
		for _, rp := range plan.recognitions {
			s.add(s.day(rp.day), "Marco recognises "+rp.to, func(ctx context.Context) error {
				to, err := s.mustUser(rp.to)
				if err != nil {
					return err
				}
				_, err = s.a.Teams.Recognize(ctx, st.managerID, s.teamID, teams.RecognitionInput{UserID: to.ID, Message: rp.message, Kind: &rp.kind})
				return err
			})
		}
	}
	return len(s.steps) > n, nil
}

// planJoin plans a rep's invite, sign-up and acceptance.
func (s *story) planJoin(r rep, st teamState) {
	s.add(s.day(r.invited), "Marco invites "+r.email, func(ctx context.Context) error {
		links, err := s.a.Teams.InviteLinks(ctx, st.managerID, s.teamID, []string{r.email})
		if err == nil {
			st.pendingLink[r.email] = links[0].Token
		}
		return err
	})
	s.add(s.day(r.joined), r.name+" signs up and joins", func(ctx context.Context) error {
		u, _, err := s.ensureUser(ctx, r.email, r.name, role.Learner)
		if err != nil {
			return err
		}
		s.clock.Advance(2 * time.Minute)
		_, err = s.a.Teams.AcceptInvite(ctx, u.ID, st.pendingLink[r.email])
		return err
	})
}

// assign gives a module to every rep on the team at that moment.
func (s *story) assign(ctx context.Context, managerID string, ap assignmentPlan) error {
	d, err := s.a.Teams.Team(ctx, managerID, s.teamID)
	if err != nil {
		return err
	}
	var ids []string
	for _, m := range d.Members {
		if m.IsLearner {
			ids = append(ids, m.UserID)
		}
	}
	_, err = s.a.Teams.CreateAssignment(ctx, managerID, s.teamID, teams.AssignmentInput{ModuleSlug: ap.module,
		DueAt: s.day(ap.due), UserIDs: ids})
	return err
}
