package teams

import (
	"context"
	"strings"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// CreateAssignment assigns a published module to learning members of the team (managers).
func (s *Service) CreateAssignment(ctx context.Context, actorID, teamID string, in AssignmentInput) (Assignment, error) {
	now := s.Now()
	ids, err := in.validate(now)
	if err != nil {
		return Assignment{}, err
	}
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return Assignment{}, err
	}
	mod, err := s.Modules.PublishedModule(ctx, strings.TrimSpace(in.ModuleSlug))
	if apperr.Is(err, apperr.NotFound) {
		return Assignment{}, apperr.InvalidFields(apperr.Field("module_slug", "This module isn’t published. Choose a published module."))
	}
	if err != nil {
		return Assignment{}, err
	}
	a := Assignment{TeamID: teamID, ModuleID: mod.ID, ModuleSlug: mod.Slug, ModuleTitle: mod.Title,
		DueAt: in.DueAt.UTC(), CreatedBy: actorID, CreatedAt: now.UTC()}
	err = s.tx(ctx, func(st *Store) error {
		members, err := st.FindSeatHolderIDs(ctx, teamID, ids)
		if err != nil {
			return err
		}
		if err := notMembers(in.UserIDs, members); err != nil {
			return err
		}
		a, err = st.CreateAssignment(ctx, a, ids)
		return err
	})
	if err != nil {
		return Assignment{}, err
	}
	list, err := s.assignments(ctx, teamID, a.ID)
	if err != nil || len(list) == 0 {
		return Assignment{}, err
	}
	return list[0], nil
}

// Assignments lists the team's assignments with every assignee's status (managers): one query
// for the assignments and one batched progress call.
func (s *Service) Assignments(ctx context.Context, actorID, teamID string) ([]Assignment, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return nil, err
	}
	return s.assignments(ctx, teamID, "")
}

func (s *Service) assignments(ctx context.Context, teamID, only string) ([]Assignment, error) {
	list, err := s.store.FindAssignments(ctx, teamID, only)
	if err != nil {
		return nil, err
	}
	var users, modules []string
	for _, a := range list {
		for _, m := range a.Members {
			users = append(users, m.UserID)
		}
		modules = append(modules, a.ModuleID)
	}
	counts, err := s.moduleProgress(ctx, users, modules)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	for _, a := range list {
		for j, m := range a.Members {
			a.Members[j].Status = counts[m.UserID][a.ModuleID].StatusAt(a.DueAt, now)
		}
	}
	return list, nil
}

// MyAssignments lists the learner's assignments on the teams they are on, with their status.
func (s *Service) MyAssignments(ctx context.Context, userID string) ([]Assignment, error) {
	list, err := s.store.FindMyAssignments(ctx, userID)
	if err != nil {
		return nil, err
	}
	modules := make([]string, len(list))
	for i, a := range list {
		modules[i] = a.ModuleID
	}
	counts, err := s.moduleProgress(ctx, []string{userID}, modules)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	for i, a := range list {
		list[i].Status = counts[userID][a.ModuleID].StatusAt(a.DueAt, now)
	}
	return list, nil
}

// moduleProgress asks progress once for every (learner, module) pair of a list.
func (s *Service) moduleProgress(ctx context.Context, users, modules []string) (map[string]map[string]ModuleCount, error) {
	users, modules = unique(users), unique(modules)
	if len(users) == 0 || len(modules) == 0 {
		return map[string]map[string]ModuleCount{}, nil
	}
	return s.Progress.ModuleProgress(ctx, users, modules)
}

func unique(xs []string) []string {
	seen := make(map[string]bool, len(xs))
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
