package teams_test

import (
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// teamBody is GET /api/v1/teams/{id}.
type teamBody struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Seats struct {
		Total, Used, Pending, Free int
	} `json:"seats"`
	Members []struct {
		UserID    string `json:"user_id"`
		Name      string `json:"name"`
		Email     string `json:"email"`
		Role      string `json:"role"`
		IsLearner bool   `json:"is_learner"`
	} `json:"members"`
	MyRole string `json:"my_role"`
}

func (e *env) team(u *user, id string) teamBody {
	e.t.Helper()
	var b teamBody
	e.call(u, "GET", "/api/v1/teams/"+id, nil).Want(http.StatusOK).Decode(&b)
	return b
}

func TestCreateListRenameTeam(t *testing.T) {
	e := newEnv(t)
	mgr, rep := e.user("mgr", ""), e.user("rep", "")

	wantProblem(t, e.call(mgr, "POST", "/api/v1/teams", map[string]string{"name": "  "}), http.StatusUnprocessableEntity)
	wantProblem(t, e.call(nil, "POST", "/api/v1/teams", map[string]string{"name": "X"}), http.StatusUnauthorized)
	r := e.call(mgr, "POST", "/api/v1/teams", map[string]string{"name": "  West   Coast "}).Want(http.StatusCreated)
	var created teamBody
	r.Decode(&created)
	if created.Name != "West Coast" || created.MyRole != "manager" || created.Seats.Total != 0 || created.Seats.Used != 0 {
		t.Fatalf("created = %+v", created)
	}
	if len(created.Members) != 1 || created.Members[0].UserID != mgr.ID || created.Members[0].Role != "manager" || created.Members[0].IsLearner {
		t.Fatalf("members = %+v, want the manager only, not learning", created.Members)
	}

	var list struct {
		Teams []struct{ ID, Name, Role string } `json:"teams"`
	}
	e.call(mgr, "GET", "/api/v1/teams", nil).Want(http.StatusOK).Decode(&list)
	if len(list.Teams) != 1 || list.Teams[0].ID != created.ID || list.Teams[0].Role != "manager" {
		t.Fatalf("my teams = %+v", list.Teams)
	}
	e.call(rep, "GET", "/api/v1/teams", nil).Want(http.StatusOK).Decode(&list)
	if len(list.Teams) != 0 {
		t.Fatalf("a stranger's teams = %+v, want none", list.Teams)
	}

	var me struct {
		Teams []struct{ ID, Name, Role string } `json:"teams"`
	}
	e.call(mgr, "GET", "/api/v1/me", nil).Want(http.StatusOK).Decode(&me)
	if len(me.Teams) != 1 || me.Teams[0].ID != created.ID || me.Teams[0].Name != "West Coast" || me.Teams[0].Role != "manager" {
		t.Fatalf("/me teams = %+v", me.Teams)
	}

	var renamed teamBody
	e.call(mgr, "PATCH", "/api/v1/teams/"+created.ID, map[string]string{"name": "East"}).Want(http.StatusOK).Decode(&renamed)
	if renamed.Name != "East" {
		t.Fatalf("renamed = %+v", renamed)
	}
	e.seedMember(created.ID, rep)
	wantProblem(t, e.call(rep, "PATCH", "/api/v1/teams/"+created.ID, map[string]string{"name": "Mine"}), http.StatusForbidden)
	if got := e.team(rep, created.ID); got.MyRole != "member" || got.Name != "East" || got.Seats.Used != 1 {
		t.Fatalf("as a member: %+v", got)
	}
}

func TestSeatArithmetic(t *testing.T) {
	e := newEnv(t)
	mgr := e.user("mgr", "")
	team := e.teamOf(mgr, "Seats")
	path := "/api/v1/teams/" + team + "/invites"

	// No seats yet: any invite needs one.
	wantProblem(t, e.call(mgr, "POST", path, map[string]any{"emails": []string{"a@example.com"}}), http.StatusPaymentRequired)
	e.grant(team, 3)
	if s := e.team(mgr, team).Seats; s.Total != 3 || s.Used != 0 || s.Pending != 0 || s.Free != 3 {
		t.Fatalf("seats with a grant of 3 and the manager alone = %+v (the manager uses no seat)", s)
	}

	t.Run("validation", func(t *testing.T) {
		p := wantProblem(t, e.call(mgr, "POST", path, map[string]any{"emails": []string{}}), http.StatusUnprocessableEntity)
		if !p.hasField("emails") {
			t.Errorf("errors = %+v", p.Errors)
		}
		p = wantProblem(t, e.call(mgr, "POST", path, map[string]any{"emails": []string{"ok@example.com", "not-an-email", "x@y"}}), http.StatusUnprocessableEntity)
		if !p.hasField("emails[1]") || !p.hasField("emails[2]") || p.hasField("emails[0]") {
			t.Errorf("errors = %+v, want emails[1] and emails[2]", p.Errors)
		}
		many := make([]string, 201)
		for i := range many {
			many[i] = fmt.Sprintf("u%d@example.com", i)
		}
		wantProblem(t, e.call(mgr, "POST", path, map[string]any{"emails": many}), http.StatusUnprocessableEntity)
	})

	var out struct {
		Invites []struct{ ID, Email, State string } `json:"invites"`
	}
	a1, a2 := "one-"+randomHex(3)+"@example.com", "two-"+randomHex(3)+"@example.com"
	e.call(mgr, "POST", path, map[string]any{"emails": []string{" " + a1, a2, "ONE" + a1[3:], a1}}).Want(http.StatusCreated).Decode(&out)
	if len(out.Invites) != 2 || out.Invites[0].Email != a1 || out.Invites[1].Email != a2 || out.Invites[0].State != "pending" {
		t.Fatalf("invites = %+v, want duplicates collapsed to 2 normalised addresses", out.Invites)
	}
	if s := e.team(mgr, team).Seats; s.Used != 0 || s.Pending != 2 || s.Free != 1 {
		t.Fatalf("after two invites: %+v, want pending invites to reserve seats", s)
	}
	// Re-inviting a pending address re-issues it without another seat; two new ones need two.
	e.call(mgr, "POST", path, map[string]any{"emails": []string{a1}}).Want(http.StatusCreated)
	p := wantProblem(t, e.call(mgr, "POST", path, map[string]any{"emails": []string{"x" + a1, "y" + a1}}), http.StatusPaymentRequired)
	if p.Detail == "" {
		t.Error("402 without a detail")
	}
	if s := e.team(mgr, team).Seats; s.Pending != 2 {
		t.Fatalf("a refused batch changed pending to %d", s.Pending)
	}

	// A learning member uses a seat; removing them frees it at once.
	rep := e.user("rep", "")
	e.seedMember(team, rep)
	if s := e.team(mgr, team).Seats; s.Used != 1 || s.Pending != 2 || s.Free != 0 {
		t.Fatalf("with a member: %+v", s)
	}
	p = wantProblem(t, e.call(mgr, "POST", path, map[string]any{"emails": []string{rep.Email}}), http.StatusUnprocessableEntity)
	if !p.hasField("emails[0]") {
		t.Errorf("inviting a member: %+v", p)
	}
	e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/members/"+rep.ID, nil).Want(http.StatusNoContent)
	if s := e.team(mgr, team).Seats; s.Used != 0 || s.Free != 1 {
		t.Fatalf("after removal: %+v, want the seat freed", s)
	}
	// Revoking an invite frees its seat too.
	e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/invites/"+out.Invites[1].ID, nil).Want(http.StatusNoContent)
	if s := e.team(mgr, team).Seats; s.Pending != 1 || s.Free != 2 {
		t.Fatalf("after revoking: %+v", s)
	}
	// The last manager cannot be removed.
	wantProblem(t, e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/members/"+mgr.ID, nil), http.StatusConflict)
}

// TestConcurrentAccepts has 20 invitees accept at once after the team's seats shrank from 20 to
// 5: exactly five become members, the others are told there is no seat.
func TestConcurrentAccepts(t *testing.T) {
	e := newEnv(t)
	mgr := e.user("mgr", "")
	team := e.teamOf(mgr, "Rush")
	grant := e.grant(team, 20)
	reps := make([]*user, 20)
	tokens := make([]string, 20)
	for i := range reps {
		reps[i] = e.user(fmt.Sprintf("rush%d", i), "")
		tokens[i] = e.seedInvite(team, reps[i].Email, mgr.ID)
	}
	e.revokeGrant(grant)
	e.grant(team, 5)

	codes := make([]int, len(reps))
	var wg sync.WaitGroup
	for i := range reps {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i] = e.Do(apptest.Request{Method: "POST", Path: "/api/v1/invites/" + tokens[i] + "/accept", Token: reps[i].Token}).Code
		}(i)
	}
	wg.Wait()
	ok, full := 0, 0
	for _, c := range codes {
		switch c {
		case http.StatusOK:
			ok++
		case http.StatusPaymentRequired:
			full++
		default:
			t.Errorf("accept answered %d", c)
		}
	}
	var members int64
	e.DB.Gorm.Raw(`SELECT count(*) FROM team_members WHERE team_id = ? AND is_learner AND removed_at IS NULL`, team).Scan(&members)
	if ok != 5 || full != 15 || members != 5 {
		t.Fatalf("accepts: %d ok, %d refused, %d memberships; want 5, 15, 5", ok, full, members)
	}
	if s := e.team(mgr, team).Seats; s.Used != 5 || s.Free != 0 {
		t.Fatalf("seats = %+v", s)
	}
}

// TestConcurrentInvites has ten managers' requests race for five free seats.
func TestConcurrentInvites(t *testing.T) {
	e := newEnv(t)
	mgr := e.user("mgr", "")
	team := e.teamOf(mgr, "Race")
	e.grant(team, 5)
	codes := make([]int, 10)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			codes[i] = e.call(mgr, "POST", "/api/v1/teams/"+team+"/invites",
				map[string]any{"emails": []string{fmt.Sprintf("race%d-%s@example.com", i, randomHex(3))}}).Code
		}(i)
	}
	wg.Wait()
	created := 0
	for _, c := range codes {
		if c == http.StatusCreated {
			created++
		} else if c != http.StatusPaymentRequired {
			t.Errorf("invite answered %d", c)
		}
	}
	if s := e.team(mgr, team).Seats; created != 5 || s.Pending != 5 || s.Free != 0 {
		t.Fatalf("%d invites created, seats %+v; want exactly 5", created, s)
	}
}

// TestManagerJoinsAsLearner: a manager uses no seat until they accept an invite to their own
// team; then they learn on a seat and stay a manager. A second manager can be appointed, and the
// first one removed, but never the last.
func TestManagerJoinsAsLearner(t *testing.T) {
	e := newEnv(t)
	mgr, rep := e.user("mgr", ""), e.user("rep", "")
	team := e.teamOf(mgr, "Player-coach")
	e.grant(team, 2)
	token := e.seedInvite(team, mgr.Email, mgr.ID)
	var m membershipBody
	e.call(mgr, "POST", "/api/v1/invites/"+token+"/accept", nil).Want(http.StatusOK).Decode(&m)
	if m.Role != "manager" || !m.IsLearner {
		t.Fatalf("membership = %+v, want a learning manager", m)
	}
	if s := e.team(mgr, team).Seats; s.Used != 1 {
		t.Fatalf("seats = %+v, want the learning manager on a seat", s)
	}
	var me meBody
	e.call(mgr, "GET", "/api/v1/me", nil).Want(http.StatusOK).Decode(&me)
	if !me.Entitlement.Premium || me.Entitlement.Source == nil || *me.Entitlement.Source != "team" {
		t.Fatalf("a learning manager's entitlement = %+v", me.Entitlement)
	}

	e.seedMember(team, rep)
	var promoted struct{ Role string }
	e.call(mgr, "PATCH", "/api/v1/teams/"+team+"/members/"+rep.ID, map[string]string{"role": "manager"}).Want(http.StatusOK).Decode(&promoted)
	if promoted.Role != "manager" {
		t.Fatalf("promoted = %+v", promoted)
	}
	wantProblem(t, e.call(mgr, "PATCH", "/api/v1/teams/"+team+"/members/"+rep.ID, map[string]string{"role": "owner"}), http.StatusUnprocessableEntity)
	e.call(rep, "DELETE", "/api/v1/teams/"+team+"/members/"+mgr.ID, nil).Want(http.StatusNoContent)
	wantProblem(t, e.call(mgr, "GET", "/api/v1/teams/"+team, nil), http.StatusNotFound)
	wantProblem(t, e.call(rep, "DELETE", "/api/v1/teams/"+team+"/members/"+rep.ID, nil), http.StatusConflict)
	wantProblem(t, e.call(rep, "PATCH", "/api/v1/teams/"+team+"/members/"+rep.ID, map[string]string{"role": "member"}), http.StatusConflict)
	if s := e.team(rep, team).Seats; s.Used != 1 {
		t.Fatalf("seats = %+v after the first manager left", s)
	}
}
