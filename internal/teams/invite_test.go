package teams_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/mail/mailpittest"
)

// inviteLink waits for the n-th invite e-mail to the address and returns its token, checking
// that both parts carry the link to PUBLIC_URL/invites/{token}.
func inviteToken(t *testing.T, to string, n int) string {
	t.Helper()
	msgs := mailpittest.WaitForN(t, to, "invited you", n)
	link := mailpittest.Link(t, msgs[0].Text, "http://rapport.test/invites/")
	if !strings.Contains(msgs[0].HTML, link) {
		t.Errorf("HTML part lacks the link %s", link)
	}
	return strings.TrimPrefix(link, "http://rapport.test/invites/")
}

type previewBody struct {
	TeamName    string `json:"team_name"`
	InviterName string `json:"inviter_name"`
	Email       string `json:"email"`
	State       string `json:"state"`
}

func (e *env) preview(token string) previewBody {
	e.t.Helper()
	var p previewBody
	e.call(nil, "GET", "/api/v1/invites/"+token, nil).Want(http.StatusOK).Decode(&p)
	return p
}

type membershipBody struct {
	TeamID    string `json:"team_id"`
	TeamName  string `json:"team_name"`
	UserID    string `json:"user_id"`
	Role      string `json:"role"`
	IsLearner bool   `json:"is_learner"`
	JoinedAt  string `json:"joined_at"`
}

type meBody struct {
	Entitlement struct {
		Premium bool    `json:"premium"`
		Source  *string `json:"source"`
	} `json:"entitlement"`
	Teams []struct{ ID, Name, Role string } `json:"teams"`
}

func TestInviteByMailAndAccept(t *testing.T) {
	mailpittest.Require(t)
	e := newEnv(t)
	mgr, stranger := e.user("mgr", ""), e.user("stranger", "")
	team := e.teamOf(mgr, "Closers")
	e.grant(team, 3)
	invitee := "Invitee-" + randomHex(4) + "@Example.com"
	addr := strings.ToLower(invitee)
	e.call(mgr, "POST", "/api/v1/teams/"+team+"/invites", map[string]any{"emails": []string{invitee}}).Want(http.StatusCreated)
	token := inviteToken(t, addr, 1)

	p := e.preview(token)
	if p.TeamName != "Closers" || p.InviterName != mgr.Name || p.State != "pending" || p.Email != "i***@example.com" {
		t.Fatalf("preview = %+v", p)
	}
	wantProblem(t, e.call(nil, "GET", "/api/v1/invites/not-a-real-token", nil), http.StatusNotFound)
	wantProblem(t, e.call(nil, "POST", "/api/v1/invites/"+token+"/accept", nil), http.StatusUnauthorized)
	pr := wantProblem(t, e.call(stranger, "POST", "/api/v1/invites/"+token+"/accept", nil), http.StatusForbidden)
	if !strings.Contains(pr.Detail, "i***@example.com") || !strings.Contains(pr.Detail, "sign in") {
		t.Errorf("wrong-account detail = %q, want it to name the masked address and what to do", pr.Detail)
	}

	// The invitee signs up with the invited address and accepts.
	var reg struct {
		User        struct{ ID string } `json:"user"`
		AccessToken string              `json:"access_token"`
	}
	e.call(nil, "POST", "/api/v1/auth/register", map[string]string{"email": invitee, "password": testPassword, "name": "Ivy"}).
		Want(http.StatusCreated).Decode(&reg)
	rep := &user{ID: reg.User.ID, Email: addr, Name: "Ivy", Token: reg.AccessToken}
	var m1, m2 membershipBody
	e.call(rep, "POST", "/api/v1/invites/"+token+"/accept", nil).Want(http.StatusOK).Decode(&m1)
	if m1.TeamID != team || m1.TeamName != "Closers" || m1.UserID != rep.ID || m1.Role != "member" || !m1.IsLearner {
		t.Fatalf("membership = %+v", m1)
	}
	e.call(rep, "POST", "/api/v1/invites/"+token+"/accept", nil).Want(http.StatusOK).Decode(&m2)
	if m2 != m1 {
		t.Fatalf("second accept = %+v, want the same membership %+v", m2, m1)
	}
	if p := e.preview(token); p.State != "accepted" {
		t.Errorf("state after accepting = %q", p.State)
	}
	if s := e.team(mgr, team).Seats; s.Used != 1 || s.Pending != 0 {
		t.Fatalf("seats after accepting = %+v", s)
	}

	var me meBody
	e.call(rep, "GET", "/api/v1/me", nil).Want(http.StatusOK).Decode(&me)
	if len(me.Teams) != 1 || me.Teams[0].ID != team || me.Teams[0].Role != "member" {
		t.Fatalf("/me teams = %+v", me.Teams)
	}
	if !me.Entitlement.Premium || me.Entitlement.Source == nil || *me.Entitlement.Source != "team" {
		t.Fatalf("entitlement = %+v, want premium through the team", me.Entitlement)
	}
	if got := e.team(rep, team); got.MyRole != "member" || len(got.Members) != 2 {
		t.Fatalf("team as the new member = %+v", got)
	}

	// Removal ends access and the team entitlement at once.
	e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/members/"+rep.ID, nil).Want(http.StatusNoContent)
	wantProblem(t, e.call(rep, "GET", "/api/v1/teams/"+team, nil), http.StatusNotFound)
	wantProblem(t, e.call(rep, "GET", "/api/v1/teams/"+team+"/recognitions", nil), http.StatusNotFound)
	e.call(rep, "GET", "/api/v1/me", nil).Want(http.StatusOK).Decode(&me)
	if me.Entitlement.Premium || len(me.Teams) != 0 {
		t.Fatalf("after removal /me = %+v, want no team and no premium", me)
	}
	// The used invite cannot bring them back.
	wantProblem(t, e.call(rep, "POST", "/api/v1/invites/"+token+"/accept", nil), http.StatusUnprocessableEntity)
}

func TestInviteExpiry(t *testing.T) {
	mailpittest.Require(t)
	e := newEnv(t)
	mgr := e.user("mgr", "")
	rep := e.user("late", "")
	team := e.teamOf(mgr, "Expiry")
	e.grant(team, 1)
	e.call(mgr, "POST", "/api/v1/teams/"+team+"/invites", map[string]any{"emails": []string{rep.Email}}).Want(http.StatusCreated)
	old := inviteToken(t, rep.Email, 1)

	e.Advance(15 * 24 * time.Hour)
	e.login(mgr)
	e.login(rep)
	p := wantProblem(t, e.call(rep, "POST", "/api/v1/invites/"+old+"/accept", nil), http.StatusUnprocessableEntity)
	if !p.hasField("token") || !strings.Contains(p.Detail, "expired") {
		t.Fatalf("expired accept = %+v", p)
	}
	if got := e.preview(old); got.State != "expired" {
		t.Errorf("preview state = %q", got.State)
	}
	if s := e.team(mgr, team).Seats; s.Pending != 0 || s.Free != 1 {
		t.Fatalf("an expired invite still reserves a seat: %+v", s)
	}
	var list struct {
		Invites []struct{ ID, Email, State string } `json:"invites"`
	}
	e.call(mgr, "GET", "/api/v1/teams/"+team+"/invites", nil).Want(http.StatusOK).Decode(&list)
	if len(list.Invites) != 1 || list.Invites[0].State != "expired" {
		t.Fatalf("invites = %+v", list.Invites)
	}
	// Re-sending an expired invite takes the free seat again and mails a new link.
	e.call(mgr, "POST", "/api/v1/teams/"+team+"/invites/"+list.Invites[0].ID+"/resend", nil).Want(http.StatusAccepted)
	fresh := inviteToken(t, rep.Email, 2)
	if fresh == old {
		t.Fatal("resend mailed the old token")
	}
	wantProblem(t, e.call(nil, "GET", "/api/v1/invites/"+old, nil), http.StatusNotFound)
	e.call(rep, "POST", "/api/v1/invites/"+fresh+"/accept", nil).Want(http.StatusOK)
}

func TestResendAndRevoke(t *testing.T) {
	mailpittest.Require(t)
	e := newEnv(t)
	mgr, rep := e.user("mgr", ""), e.user("rev", "")
	team := e.teamOf(mgr, "Revoke")
	e.grant(team, 2)
	var out struct {
		Invites []struct{ ID string } `json:"invites"`
	}
	e.call(mgr, "POST", "/api/v1/teams/"+team+"/invites", map[string]any{"emails": []string{rep.Email}}).Want(http.StatusCreated).Decode(&out)
	first := inviteToken(t, rep.Email, 1)
	inv := "/api/v1/teams/" + team + "/invites/" + out.Invites[0].ID

	var resent struct{ ID, Email, State string }
	e.call(mgr, "POST", inv+"/resend", nil).Want(http.StatusAccepted).Decode(&resent)
	if resent.ID != out.Invites[0].ID || resent.State != "pending" {
		t.Fatalf("resend = %+v", resent)
	}
	second := inviteToken(t, rep.Email, 2)
	if second == first {
		t.Fatal("resend did not issue a new token")
	}
	wantProblem(t, e.call(rep, "POST", "/api/v1/invites/"+first+"/accept", nil), http.StatusNotFound)
	if s := e.team(mgr, team).Seats; s.Pending != 1 {
		t.Fatalf("resend changed the pending count: %+v", s)
	}

	e.call(mgr, "DELETE", inv, nil).Want(http.StatusNoContent)
	e.call(mgr, "DELETE", inv, nil).Want(http.StatusNoContent)
	if p := e.preview(second); p.State != "revoked" {
		t.Errorf("state = %q", p.State)
	}
	p := wantProblem(t, e.call(rep, "POST", "/api/v1/invites/"+second+"/accept", nil), http.StatusUnprocessableEntity)
	if !strings.Contains(p.Detail, "withdrawn") {
		t.Errorf("revoked accept detail = %q", p.Detail)
	}
	wantProblem(t, e.call(mgr, "POST", inv+"/resend", nil), http.StatusConflict)
	wantProblem(t, e.call(mgr, "DELETE", "/api/v1/teams/"+team+"/invites/"+rep.ID, nil), http.StatusNotFound)
	if s := e.team(mgr, team).Seats; s.Pending != 0 || s.Free != 2 {
		t.Fatalf("after revoking: %+v", s)
	}
}

// InviteLinks follows Invite's rules (seats, managers only) and hands back links that accept.
func TestInviteLinksAccept(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	mgr, rep := e.user("links-mgr", "learner"), e.user("links-rep", "learner")
	team := e.teamOf(mgr, "Links "+randomHex(3))
	if _, err := e.Teams.InviteLinks(ctx, mgr.ID, team, []string{rep.Email}); !apperr.Is(err, apperr.PaymentRequired) {
		t.Fatalf("without seats: %v, want PaymentRequired", err)
	}
	e.grant(team, 1)
	if _, err := e.Teams.InviteLinks(ctx, rep.ID, team, []string{rep.Email}); err == nil {
		t.Fatal("a non-manager issued an invite link")
	}
	links, err := e.Teams.InviteLinks(ctx, mgr.ID, team, []string{rep.Email})
	if err != nil || len(links) != 1 || links[0].Email != rep.Email || links[0].URL != e.Config.PublicURL+"/invites/"+links[0].Token {
		t.Fatalf("links %+v, %v", links, err)
	}
	m, err := e.Teams.AcceptInvite(ctx, rep.ID, links[0].Token)
	if err != nil || m.TeamID != team || !m.IsLearner {
		t.Fatalf("accept: %+v, %v", m, err)
	}
}
