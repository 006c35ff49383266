package teams

import (
	"context"
	"fmt"
	"sort"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// RecognitionInput is what a teammate sends to recognise a member.
type RecognitionInput struct {
	UserID  string
	Message string
	// Kind is win or milestone; nil (the field left out) is a win.
	Kind *string
}

// Recognition is a message recognising a win or a milestone.
type Recognition struct {
	ID        string
	TeamID    string
	TeamName  string
	FromID    string
	FromName  string
	ToID      string
	ToName    string
	Message   string
	Kind      string
	CreatedAt time.Time
}

// Prompt suggests that a manager recognise a rep.
type Prompt struct {
	UserID string
	Name   string
	Reason string
	Detail string
	At     time.Time
}

// Feed limits.
const (
	DefaultFeedLimit = 50
	MaxFeedLimit     = 100
)

// Recognize records a recognition from one team member (manager or rep) to another and e-mails
// the recipient. Admins outside the team may read it but not send.
func (s *Service) Recognize(ctx context.Context, actorID, teamID string, in RecognitionInput) (Recognition, error) {
	var errs apperr.Fields
	msg, ferr := normalizeMessage(in.Message)
	if ferr != nil {
		errs.AddErr(ferr)
	}
	kind := KindWin
	if in.Kind != nil {
		kind = *in.Kind
	}
	if kind != KindWin && kind != KindMilestone {
		errs.Add("kind", "Choose win or milestone.")
	}
	switch {
	case !isUUID(in.UserID):
		errs.Add("user_id", "This member isn’t valid. Refresh the page and choose the member again.")
	case in.UserID == actorID:
		errs.Add("user_id", "You can’t recognise yourself. Choose a teammate.")
	}
	if err := errs.Err(); err != nil {
		return Recognition{}, err
	}
	t, err := s.authorize(ctx, teamID, actorID, readTeam)
	if err != nil {
		return Recognition{}, err
	}
	if t.MyRole == role.Admin {
		return Recognition{}, apperr.New(apperr.Forbidden, "Only members of this team can send recognition.")
	}
	if _, err := s.st.activeMember(ctx, s.DB.Gorm, teamID, in.UserID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return Recognition{}, apperr.InvalidFields(apperr.Field("user_id", "This person isn’t a member of this team. Refresh the page and choose again."))
		}
		return Recognition{}, err
	}
	row := recognitionRow{TeamID: teamID, FromUserID: &actorID, ToUserID: in.UserID, Message: msg, Kind: kind,
		CreatedAt: s.Now().UTC()}
	if err := s.st.createRecognition(ctx, s.DB.Gorm, &row); err != nil {
		return Recognition{}, err
	}
	toEmail, toName, err := s.st.userContact(ctx, s.DB.Gorm, in.UserID)
	if err != nil {
		return Recognition{}, err
	}
	fromName := s.userName(ctx, actorID)
	s.sendMail(ctx, toEmail, "recognition", map[string]any{
		"Name": toName, "FromName": fromName, "TeamName": t.Name, "Message": msg,
		"Milestone": kind == KindMilestone, "Link": s.PublicURL + "/dashboard",
	})
	return Recognition{ID: row.ID, TeamID: teamID, TeamName: t.Name, FromID: actorID, FromName: fromName,
		ToID: in.UserID, ToName: toName, Message: msg, Kind: row.Kind, CreatedAt: row.CreatedAt}, nil
}

// Feed is the team's recognition feed, newest first (members and admins).
func (s *Service) Feed(ctx context.Context, actorID, teamID string, before time.Time, limit int) ([]Recognition, error) {
	if _, err := s.authorize(ctx, teamID, actorID, readTeam); err != nil {
		return nil, err
	}
	lines, err := s.st.recognitions(ctx, s.DB.Gorm, teamID, "", before, feedLimit(limit))
	return toRecognitions(lines), err
}

// MyRecognitions lists the recognitions the user received, newest first.
func (s *Service) MyRecognitions(ctx context.Context, userID string, before time.Time, limit int) ([]Recognition, error) {
	lines, err := s.st.recognitions(ctx, s.DB.Gorm, "", userID, before, feedLimit(limit))
	return toRecognitions(lines), err
}

func feedLimit(n int) int {
	if n <= 0 {
		return DefaultFeedLimit
	}
	return min(n, MaxFeedLimit)
}

func toRecognitions(lines []recognitionLine) []Recognition {
	out := make([]Recognition, len(lines))
	for i, l := range lines {
		out[i] = Recognition{ID: l.Recognition.ID, TeamID: l.Recognition.TeamID, TeamName: l.TeamName, FromID: deref(l.Recognition.FromUserID),
			FromName: deref(l.FromName), ToID: l.Recognition.ToUserID, ToName: l.ToName, Message: l.Recognition.Message, Kind: l.Recognition.Kind,
			CreatedAt: l.Recognition.CreatedAt.UTC()}
	}
	return out
}

// Prompts lists reps a manager could recognise: those who completed a module or showed
// significant growth on a competency within PromptWindow and have not been recognised in this
// team since. One aggregation over the learners plus one batched call each for completions
// and skills.
func (s *Service) Prompts(ctx context.Context, actorID, teamID string) ([]Prompt, error) {
	if _, err := s.authorize(ctx, teamID, actorID, manageTeam); err != nil {
		return nil, err
	}
	rows, err := s.st.learners(ctx, s.DB.Gorm, teamID, nil)
	if err != nil || len(rows) == 0 {
		return []Prompt{}, err
	}
	since := s.Now().UTC().Add(-PromptWindow)
	ids := make([]string, len(rows))
	byID := make(map[string]learnerRow, len(rows))
	for i, r := range rows {
		ids[i], byID[r.UserID] = r.UserID, r
	}
	fresh := func(userID string, at time.Time) bool {
		last := byID[userID].LastRecognisedAt
		return !at.Before(since) && (last == nil || at.After(*last))
	}
	out := []Prompt{}
	if s.Progress != nil {
		done, err := s.Progress.Completions(ctx, ids, since)
		if err != nil {
			return nil, err
		}
		for _, c := range done {
			if r, ok := byID[c.UserID]; ok && fresh(c.UserID, c.At) {
				out = append(out, Prompt{UserID: c.UserID, Name: r.Name, Reason: ReasonCompletedModule,
					Detail: "completed " + c.ModuleTitle, At: c.At.UTC()})
			}
		}
	}
	if s.Skills != nil {
		skills, err := s.Skills.SkillSummaries(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			for _, c := range skills[id] {
				if c.Significant && c.Band == BandSignificantGrowth && fresh(id, c.LatestAt) {
					name := c.Name
					if name == "" {
						name = c.Competency
					}
					out = append(out, Prompt{UserID: id, Name: byID[id].Name, Reason: ReasonSignificantGrowth,
						Detail: fmt.Sprintf("%s up %.1f points since the baseline", name, c.Latest-c.Baseline), At: c.LatestAt.UTC()})
				}
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}
