package teams

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// CheckErase refuses to erase the only manager of a team that has other members: the team
// would be left with nobody able to manage its seats, assignments or billing. Other
// memberships need nothing here, because erasing the account deletes them (which frees their
// seats) and keeps the recognitions the user gave under FormerMember.
func (d *Directory) CheckErase(ctx context.Context, userID string) error {
	names, err := d.st.FindSoleManagedTeams(ctx, userID)
	if err != nil || len(names) == 0 {
		return err
	}
	return apperr.New(apperr.Conflict, "You are the only manager of "+quoteList(names)+
		". Hand the team over to another manager or delete it first, then delete your account.")
}

// ExportUser is teams' section of a data export.
func (d *Directory) ExportUser(ctx context.Context, userID string) (string, any, error) {
	v, err := d.st.ExportUser(ctx, userID)
	return "teams", json.RawMessage(v), err
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "“" + n + "”"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
