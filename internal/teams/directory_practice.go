package teams

import (
	"context"
	"strings"
)

// Practice asks who manages a rep and who their teammates are: managers of a team where the rep
// holds a seat review the rep's practice attempts and are e-mailed when one is submitted, and
// teammates may be invited as peer reviewers. Every answer is read live, so leaving a team ends
// a manager's access on the next request.

// ManagersOfLearner lists the active managers of every team where userID holds a seat.
func (d *Directory) ManagersOfLearner(ctx context.Context, userID string) ([]PracticeManager, error) {
	userID = strings.ToLower(userID)
	if !isUUID(userID) {
		return nil, nil
	}
	return d.st.FindManagersOfLearner(ctx, userID)
}

// ManagesLearner reports whether managerID actively manages a team where userID holds a seat.
func (d *Directory) ManagesLearner(ctx context.Context, managerID, userID string) (bool, error) {
	managerID, userID = strings.ToLower(managerID), strings.ToLower(userID)
	if !isUUID(managerID) || !isUUID(userID) {
		return false, nil
	}
	return d.st.ManagesLearner(ctx, managerID, userID)
}

// ManagedLearners lists the seat holders of every team managerID actively manages.
func (d *Directory) ManagedLearners(ctx context.Context, managerID string) ([]string, error) {
	managerID = strings.ToLower(managerID)
	if !isUUID(managerID) {
		return nil, nil
	}
	return d.st.FindManagedLearners(ctx, managerID)
}

// Teammates reports which candidates are active members of a team where userID is one.
func (d *Directory) Teammates(ctx context.Context, userID string, candidates []string) (map[string]bool, error) {
	out := map[string]bool{}
	var ids []string
	for _, c := range candidates {
		if c = strings.ToLower(c); isUUID(c) {
			ids = append(ids, c)
		}
	}
	if len(ids) == 0 || !isUUID(strings.ToLower(userID)) {
		return out, nil
	}
	found, err := d.st.FindTeammates(ctx, strings.ToLower(userID), ids)
	for _, id := range found {
		out[id] = true
	}
	return out, err
}
