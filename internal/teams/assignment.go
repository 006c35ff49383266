package teams

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// AssignmentInput is what a manager sends to assign a module.
type AssignmentInput struct {
	ModuleSlug string
	DueAt      time.Time
	UserIDs    []string
}

// Assignment is a module assigned with a due date, with each assignee's status. For a rep's own
// list, Members is empty and Status is theirs.
type Assignment struct {
	ID            string
	TeamID        string
	TeamName      string
	ModuleID      string
	ModuleSlug    string
	ModuleTitle   string
	DueAt         time.Time
	CreatedAt     time.Time
	CreatedBy     string
	CreatedByName string
	Members       []AssignmentMember
	Status        string
}

// AssignmentMember is one assignee's standing.
type AssignmentMember struct {
	UserID string
	Name   string
	Status string
}

// validate checks the input, naming every bad field, and returns the de-duplicated user ids.
func (in AssignmentInput) validate(now time.Time) ([]string, error) {
	var errs apperr.Fields
	if strings.TrimSpace(in.ModuleSlug) == "" {
		errs.Add("module_slug", "Choose a module to assign.")
	}
	switch {
	case in.DueAt.IsZero():
		errs.Add("due_at", "Choose a due date.")
	case !in.DueAt.After(now):
		errs.Add("due_at", "Choose a due date in the future.")
	case in.DueAt.UTC().Year() > 9999: // RFC 3339 (and so every JSON answer listing it) has 4-digit years
		errs.Add("due_at", "Choose a due date before the year 10000.")
	}
	switch {
	case len(in.UserIDs) == 0:
		errs.Add("user_ids", "Choose at least one team member.")
	case len(in.UserIDs) > MaxAssignees:
		errs.Add("user_ids", fmt.Sprintf("Choose at most %d members at a time.", MaxAssignees))
	}
	seen := map[string]bool{}
	var ids []string
	for i, id := range in.UserIDs {
		u, err := uuid.Parse(id)
		if err != nil || len(id) != 36 {
			errs.Add("user_ids["+strconv.Itoa(i)+"]", "This member isn’t valid. Refresh the page and choose the members again.")
			continue
		}
		if s := u.String(); !seen[s] {
			seen[s] = true
			ids = append(ids, s)
		}
	}
	return ids, errs.Err()
}

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
	if s.Modules == nil {
		return Assignment{}, apperr.New(apperr.Unavailable, "Assignments are not available right now. Please try again later.")
	}
	mod, err := s.Modules.PublishedModule(ctx, strings.TrimSpace(in.ModuleSlug))
	if apperr.Is(err, apperr.NotFound) {
		return Assignment{}, apperr.InvalidFields(apperr.Field("module_slug", "This module isn’t published. Choose a published module."))
	}
	if err != nil {
		return Assignment{}, err
	}
	row := assignmentRow{TeamID: teamID, ModuleID: mod.ID, ModuleSlug: mod.Slug, ModuleTitle: mod.Title,
		DueAt: in.DueAt.UTC(), CreatedBy: &actorID, CreatedAt: now.UTC()}
	err = s.DB.Tx(ctx, func(tx *gorm.DB) error {
		members, err := s.st.learnerIDs(ctx, tx, teamID, ids)
		if err != nil {
			return err
		}
		if err := notMembers(in.UserIDs, members); err != nil {
			return err
		}
		return s.st.createAssignment(ctx, tx, &row, ids)
	})
	if err != nil {
		return Assignment{}, err
	}
	list, err := s.assignments(ctx, teamID, row.ID)
	if err != nil || len(list) == 0 {
		return Assignment{}, err
	}
	return list[0], nil
}

// notMembers names every requested id that is not a learning member.
func notMembers(requested, members []string) error {
	ok := map[string]bool{}
	for _, m := range members {
		ok[m] = true
	}
	var errs apperr.Fields
	for i, id := range requested {
		if !ok[strings.ToLower(id)] {
			errs.Add("user_ids["+strconv.Itoa(i)+"]", "This person isn’t a learning member of this team. Refresh the page and choose again.")
		}
	}
	return errs.Err()
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
	lines, err := s.st.teamAssignments(ctx, s.DB.Gorm, teamID, only)
	if err != nil {
		return nil, err
	}
	var users, modules []string
	for _, l := range lines {
		if l.TargetID != nil {
			users = append(users, *l.TargetID)
		}
		modules = append(modules, l.Assignment.ModuleID)
	}
	counts, err := s.moduleProgress(ctx, users, modules)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := []Assignment{}
	for _, l := range lines {
		if len(out) == 0 || out[len(out)-1].ID != l.Assignment.ID {
			a := l.toAssignment()
			a.Members = []AssignmentMember{}
			out = append(out, a)
		}
		if l.TargetID != nil {
			a := &out[len(out)-1]
			a.Members = append(a.Members, AssignmentMember{UserID: *l.TargetID, Name: deref(l.TargetName),
				Status: assignmentStatus(counts[*l.TargetID][l.Assignment.ModuleID], l.Assignment.DueAt, now)})
		}
	}
	return out, nil
}

// MyAssignments lists the learner's assignments on the teams they are on, with their status.
func (s *Service) MyAssignments(ctx context.Context, userID string) ([]Assignment, error) {
	lines, err := s.st.myAssignments(ctx, s.DB.Gorm, userID)
	if err != nil {
		return nil, err
	}
	modules := make([]string, len(lines))
	for i, l := range lines {
		modules[i] = l.Assignment.ModuleID
	}
	counts, err := s.moduleProgress(ctx, []string{userID}, modules)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	out := make([]Assignment, len(lines))
	for i, l := range lines {
		out[i] = l.toAssignment()
		out[i].Status = assignmentStatus(counts[userID][l.Assignment.ModuleID], l.Assignment.DueAt, now)
	}
	return out, nil
}

// moduleProgress asks progress once for every (learner, module) pair of a list.
func (s *Service) moduleProgress(ctx context.Context, users, modules []string) (map[string]map[string]ModuleCount, error) {
	users, modules = unique(users), unique(modules)
	if s.Progress == nil || len(users) == 0 || len(modules) == 0 {
		return map[string]map[string]ModuleCount{}, nil
	}
	return s.Progress.ModuleProgress(ctx, users, modules)
}

func (l assignmentLine) toAssignment() Assignment {
	return Assignment{ID: l.Assignment.ID, TeamID: l.Assignment.TeamID, TeamName: l.TeamName, ModuleID: l.Assignment.ModuleID, ModuleSlug: l.Assignment.ModuleSlug,
		ModuleTitle: l.Assignment.ModuleTitle, DueAt: l.Assignment.DueAt.UTC(), CreatedAt: l.Assignment.CreatedAt.UTC(), CreatedBy: deref(l.Assignment.CreatedBy),
		CreatedByName: deref(l.CreatorName)}
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
