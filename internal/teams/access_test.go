package teams_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// TestAccessMatrix calls every teams route as the team's manager, a member, an outsider (who
// manages a team of their own), an admin outside the team and an anonymous client. Non-members
// get 404 on every team route, members 403 on manager routes; admins read and manage any team
// but send no recognition; anonymous callers get 401 everywhere but the invite page.
func TestAccessMatrix(t *testing.T) {
	e := newEnv(t)
	mgr, member, victim, outsider := e.user("mgr", ""), e.user("member", ""), e.user("victim", ""), e.user("outsider", "")
	team := e.teamOf(mgr, "Matrix")
	e.teamOf(outsider, "Elsewhere")
	e.grant(team, 50)
	e.seedMember(team, member)
	e.seedMember(team, victim)
	var invs struct {
		Invites []struct{ ID string } `json:"invites"`
	}
	e.call(mgr, "POST", "/api/v1/teams/"+team+"/invites",
		map[string]any{"emails": []string{"resend-" + randomHex(3) + "@example.com", "revoke-" + randomHex(3) + "@example.com"}}).
		Want(http.StatusCreated).Decode(&invs)
	resend, revoke := invs.Invites[0].ID, invs.Invites[1].ID
	token := e.seedInvite(team, "someone-"+randomHex(3)+"@example.com", mgr.ID)

	personas := []struct {
		name string
		u    *user
	}{{"anonymous", nil}, {"outsider", outsider}, {"member", member}, {"admin", e.admin}, {"manager", mgr}}
	due := time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)
	tp := "/api/v1/teams/" + team
	fresh := func() any { return map[string]any{"emails": []string{"new-" + randomHex(4) + "@example.com"}} }
	type want map[string]int
	// read is a team route members may use; manage is a manager route.
	read := want{"anonymous": 401, "outsider": 404, "member": 200, "admin": 200, "manager": 200}
	manage := func(ok int) want {
		return want{"anonymous": 401, "outsider": 404, "member": 403, "admin": ok, "manager": ok}
	}
	signedIn := func(ok int) want {
		return want{"anonymous": 401, "outsider": ok, "member": ok, "admin": ok, "manager": ok}
	}
	routes := []struct {
		method, path string
		body         func() any
		header       map[string]string
		before       func() // runs before each persona's call
		want         want
	}{
		{"POST", "/api/v1/teams", func() any { return map[string]string{"name": "New"} }, nil, nil, signedIn(201)},
		{"GET", "/api/v1/teams", nil, nil, nil, signedIn(200)},
		{"GET", "/api/v1/me/assignments", nil, nil, nil, signedIn(200)},
		{"GET", "/api/v1/me/recognitions", nil, nil, nil, signedIn(200)},
		{"GET", "/api/v1/invites/" + token, nil, nil, nil, want{"anonymous": 200, "outsider": 200, "member": 200, "admin": 200, "manager": 200}},
		{"POST", "/api/v1/invites/" + token + "/accept", nil, nil, nil, want{"anonymous": 401, "outsider": 403, "member": 403, "admin": 403, "manager": 403}},
		{"GET", tp, nil, nil, nil, read},
		{"GET", "/api/v1/teams/not-a-uuid", nil, nil, nil, want{"anonymous": 401, "outsider": 404, "member": 404, "admin": 404, "manager": 404}},
		{"GET", "/api/v1/teams/" + strings.Repeat("0", 8) + "-0000-4000-8000-" + strings.Repeat("0", 12), nil, nil, nil,
			want{"anonymous": 401, "outsider": 404, "member": 404, "admin": 404, "manager": 404}},
		{"PATCH", tp, func() any { return map[string]string{"name": "Matrix"} }, nil, nil, manage(200)},
		{"GET", tp + "/members/" + victim.ID, nil, nil, nil, manage(200)},
		{"PATCH", tp + "/members/" + victim.ID, func() any { return map[string]string{"role": "member"} }, nil, nil, manage(200)},
		{"DELETE", tp + "/members/" + victim.ID, nil, nil, func() { e.seedMember(team, victim) }, manage(204)},
		{"POST", tp + "/invites", fresh, nil, nil, manage(201)},
		{"GET", tp + "/invites", nil, nil, nil, manage(200)},
		{"POST", tp + "/invites/" + resend + "/resend", nil, nil, nil, manage(202)},
		{"DELETE", tp + "/invites/" + revoke, nil, nil, nil, manage(204)},
		{"GET", tp + "/report", nil, nil, nil, manage(200)},
		{"GET", tp + "/report", nil, map[string]string{"Accept": "text/csv"}, nil, manage(200)},
		{"POST", tp + "/assignments", func() any {
			return map[string]any{"module_slug": modAlpha, "due_at": due, "user_ids": []string{victim.ID}}
		}, nil, func() { e.seedMember(team, victim) }, manage(201)},
		{"GET", tp + "/assignments", nil, nil, nil, manage(200)},
		{"GET", tp + "/prompts", nil, nil, nil, manage(200)},
		{"POST", tp + "/recognitions", func() any { return map[string]any{"user_id": victim.ID, "message": "Nice"} },
			nil, func() { e.seedMember(team, victim) },
			want{"anonymous": 401, "outsider": 404, "member": 201, "admin": 403, "manager": 201}},
		{"GET", tp + "/recognitions", nil, nil, nil, read},
	}
	for _, rt := range routes {
		for _, p := range personas {
			if rt.before != nil {
				rt.before()
			}
			req := apptest.Request{Method: rt.method, Path: rt.path, Header: rt.header}
			if rt.body != nil {
				req.Body = rt.body()
			}
			if p.u != nil {
				req.Token = p.u.Token
			}
			r := e.Do(req)
			if w := rt.want[p.name]; r.Code != w {
				t.Errorf("%s %s as %s = %d, want %d: %s", rt.method, rt.path, p.name, r.Code, w, r.Body.String())
			}
		}
	}

	// A member may leave on their own; afterwards every team route is 404 for them.
	e.seedMember(team, victim)
	e.call(victim, "DELETE", tp+"/members/"+victim.ID, nil).Want(http.StatusNoContent)
	for _, path := range []string{tp, tp + "/recognitions", tp + "/report"} {
		wantProblem(t, e.call(victim, "GET", path, nil), http.StatusNotFound)
	}
}
