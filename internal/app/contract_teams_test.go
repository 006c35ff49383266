package app_test

import (
	"net/http"
	"strings"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// billing subscribes a user through Checkout, the Portal and a signed webhook.
func (s *scenario) billing() {
	sub := s.subscriber
	s.want(nil, 200, "GET", "/api/v1/plans", nil, nil)
	s.want(sub, 200, "GET", "/api/v1/me/subscription", nil, nil)
	s.want(sub, 404, "POST", "/api/v1/billing/portal", nil, nil)
	s.want(sub, 422, "POST", "/api/v1/billing/checkout", map[string]any{"plan_id": "no-such-plan"}, nil)
	s.want(sub, 200, "POST", "/api/v1/billing/checkout", map[string]any{"plan_id": "individual-monthly"}, nil)
	s.want(sub, 200, "POST", "/api/v1/billing/portal", nil, nil)

	id := "evt_" + randomHex(8)
	body, sig := stripeEvent(s.t, id, "customer.subscription.created", subscriptionObject("sub_"+randomHex(6), sub.ID))
	post := func(sig string) *apptest.Response {
		return s.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/webhook", Body: body,
			Header: map[string]string{"Stripe-Signature": sig}})
	}
	post(sig).Want(http.StatusOK)
	s.waitEvent(id)
	var dup struct {
		Duplicate bool `json:"duplicate"`
	}
	post(sig).Want(http.StatusOK).Decode(&dup)
	if !dup.Duplicate {
		s.t.Error("the same event twice was not reported as a duplicate")
	}
	post("t=1,v1=deadbeef").Want(http.StatusBadRequest)
	var got map[string]any
	s.want(sub, 200, "GET", "/api/v1/me/subscription", nil, &got)
	if got == nil || got["status"] != "active" {
		s.t.Errorf("subscription after the webhook = %v, want an active one", got)
	}
	s.want(sub, 200, "GET", "/api/v1/me", nil, nil)
}

// teams runs the manager's journey: team, seats, invites, the rep joining, report (JSON and
// CSV), assignments, recognition, team billing and removal; with the refusals on the way.
func (s *scenario) teams() {
	m, rep := s.manager, s.rep
	var team struct {
		ID string `json:"id"`
	}
	s.want(m, 422, "POST", "/api/v1/teams", map[string]string{"name": " "}, nil)
	s.want(m, 201, "POST", "/api/v1/teams", map[string]string{"name": "Contract Sellers"}, &team)
	// A team's manager reads the coaching guides, premium modules' too, without a premium seat.
	s.want(m, 200, "GET", "/api/v1/modules/"+s.premium+"/coaching", nil, nil)
	s.teamID = team.ID
	base := "/api/v1/teams/" + team.ID
	s.want(m, 200, "GET", "/api/v1/teams", nil, nil)
	s.want(m, 200, "GET", base, nil, nil)
	s.want(m, 200, "PATCH", base, map[string]string{"name": "Contract Closers"}, nil)
	s.want(s.outsider, 404, "GET", base, nil, nil)
	s.want(m, 402, "POST", base+"/invites", map[string]any{"emails": []string{rep.Email}}, nil)
	s.grant(map[string]any{"team_id": team.ID, "seats": 5})

	spare := "spare-" + randomHex(4) + "@example.com"
	s.want(m, 201, "POST", base+"/invites", map[string]any{"emails": []string{rep.Email, spare}}, nil)
	var invites struct {
		Invites []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"invites"`
	}
	s.want(m, 200, "GET", base+"/invites", nil, &invites)
	for _, inv := range invites.Invites {
		if inv.Email == spare {
			s.want(m, 202, "POST", base+"/invites/"+inv.ID+"/resend", nil, nil)
			s.want(m, 204, "DELETE", base+"/invites/"+inv.ID, nil, nil)
		}
	}
	token := mailToken(s.t, rep.Email, "invited you to", "http://rapport.test/invites/")
	s.want(nil, 200, "GET", "/api/v1/invites/"+token, nil, nil)
	s.want(nil, 404, "GET", "/api/v1/invites/not-a-real-token", nil, nil)
	s.want(nil, 401, "POST", "/api/v1/invites/"+token+"/accept", nil, nil)
	s.want(s.outsider, 403, "POST", "/api/v1/invites/"+token+"/accept", nil, nil)
	s.want(rep, 200, "POST", "/api/v1/invites/"+token+"/accept", nil, nil)
	s.want(rep, 200, "POST", "/api/v1/invites/"+token+"/accept", nil, nil)

	member := base + "/members/" + rep.ID
	s.want(rep, 200, "GET", base, nil, nil)
	s.want(rep, 403, "GET", base+"/report", nil, nil)
	s.want(m, 200, "PATCH", member, map[string]string{"role": "manager"}, nil)
	s.want(m, 200, "PATCH", member, map[string]string{"role": "member"}, nil)
	s.want(m, 422, "PATCH", member, map[string]string{"role": "owner"}, nil)

	// The rep learns and assesses, so the report has progress and skills to show.
	s.want(rep, 200, "PUT", "/api/v1/progress/lessons/"+s.freeLessons[0], map[string]any{"status": "completed"}, nil)
	s.takeAttempt(rep, false)
	s.want(m, 200, "GET", member, nil, nil)
	s.want(m, 404, "GET", base+"/members/"+s.outsider.ID, nil, nil)
	s.want(m, 200, "GET", base+"/report", nil, nil)
	csv := s.send(m, "GET", base+"/report", nil, map[string]string{"Accept": "text/csv"}).Want(200)
	if ct := csv.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		s.t.Errorf("CSV report Content-Type = %q", ct)
	}

	due := time.Now().Add(7 * 24 * time.Hour).UTC().Format(time.RFC3339)
	s.want(m, 422, "POST", base+"/assignments", map[string]any{"module_slug": "no-such-module", "due_at": due, "user_ids": []string{rep.ID}}, nil)
	s.want(m, 201, "POST", base+"/assignments", map[string]any{"module_slug": s.free, "due_at": due, "user_ids": []string{rep.ID}}, nil)
	s.want(m, 200, "GET", base+"/assignments", nil, nil)
	s.want(rep, 200, "GET", "/api/v1/me/assignments", nil, nil)

	s.want(m, 201, "POST", base+"/recognitions", map[string]string{"user_id": rep.ID, "message": "Great discovery call!", "kind": "win"}, nil)
	s.want(rep, 201, "POST", base+"/recognitions", map[string]string{"user_id": m.ID, "message": "Thanks for the coaching."}, nil)
	s.want(rep, 200, "GET", base+"/recognitions", nil, nil)
	s.want(rep, 200, "GET", base+"/recognitions?limit=10", nil, nil)
	s.want(rep, 200, "GET", "/api/v1/me/recognitions", nil, nil)
	s.want(rep, 422, "GET", "/api/v1/me/recognitions?limit=0", nil, nil)
	s.want(m, 200, "GET", base+"/prompts", nil, nil)
	// Recognition with evidence: the rep's answered pulse; someone else's pulse id is refused.
	s.want(m, 200, "GET", base+"/recognition-gaps", nil, nil)
	s.want(m, 422, "POST", base+"/recognitions", map[string]any{"user_id": m.ID, "message": "x",
		"evidence": map[string]string{"kind": "pulse", "id": s.pulseID}}, nil)
	s.want(rep, 422, "POST", base+"/recognitions", map[string]any{"user_id": m.ID, "message": "Not yours",
		"evidence": map[string]string{"kind": "pulse", "id": s.pulseID}}, nil)
	s.want(m, 201, "POST", base+"/recognitions", map[string]any{"user_id": rep.ID, "message": "Your buyer felt understood.",
		"competency": "social_awareness", "evidence": map[string]string{"kind": "pulse", "id": s.pulseID}}, nil)
	s.want(m, 201, "POST", base+"/recognitions", map[string]any{"user_id": rep.ID, "message": "Strong close.",
		"evidence": map[string]string{"kind": "note", "text": "Closed Acme in two calls."}}, nil)
	s.want(m, 200, "GET", base+"/recognition-gaps", nil, nil)
	s.want(m, 200, "GET", base+"/pulse-trend", nil, nil)
	s.want(rep, 403, "GET", base+"/pulse-trend", nil, nil)
	s.want(rep, 200, "GET", "/api/v1/me", nil, nil)

	s.want(rep, 403, "POST", "/api/v1/billing/checkout", map[string]any{"plan_id": "team-monthly", "seats": 3, "team_id": team.ID}, nil)
	s.want(m, 200, "POST", "/api/v1/billing/checkout", map[string]any{"plan_id": "team-monthly", "seats": 3, "team_id": team.ID}, nil)
	s.want(m, 200, "POST", "/api/v1/billing/portal", map[string]string{"team_id": team.ID}, nil)

	s.want(rep, 403, "DELETE", base+"/members/"+m.ID, nil, nil)
	s.want(m, 204, "DELETE", member, nil, nil)
	s.want(m, 404, "DELETE", member, nil, nil)
	s.want(rep, 404, "GET", base, nil, nil)
}

// grant creates a complimentary grant as the admin and returns its id.
func (s *scenario) grant(body map[string]any) string {
	body["ends_at"] = time.Now().Add(365 * 24 * time.Hour).UTC().Format(time.RFC3339)
	var g struct {
		ID string `json:"id"`
	}
	s.want(s.admin, 201, "POST", "/api/v1/admin/grants", body, &g)
	return g.ID
}

// adminRoutes runs the admin's routes: users and roles, grants, webhook events, and the
// end-to-end test clock.
func (s *scenario) adminRoutes() {
	a := s.admin
	s.want(s.learner, 403, "GET", "/api/v1/admin/users", nil, nil)
	s.want(a, 200, "GET", "/api/v1/admin/users?query=lee", nil, nil)
	s.want(a, 200, "GET", "/api/v1/admin/users", nil, nil)
	roles := "/api/v1/admin/users/" + s.outsider.ID + "/roles"
	s.want(a, 200, "PUT", roles, map[string]any{"roles": []string{"learner", "instructor"}}, nil)
	s.want(a, 422, "PUT", roles, map[string]any{"roles": []string{"emperor"}}, nil)
	s.want(a, 409, "PUT", "/api/v1/admin/users/"+a.ID+"/roles", map[string]any{"roles": []string{"learner"}}, nil)

	id := s.grant(map[string]any{"user_id": s.outsider.ID})
	s.want(a, 422, "POST", "/api/v1/admin/grants", map[string]any{"user_id": s.outsider.ID}, nil)
	s.want(a, 200, "GET", "/api/v1/admin/grants", nil, nil)
	s.want(s.learner, 403, "GET", "/api/v1/admin/teams?query=contract", nil, nil)
	s.want(a, 200, "GET", "/api/v1/admin/teams?query=contract", nil, nil)
	s.want(a, 200, "GET", "/api/v1/admin/teams", nil, nil)
	s.want(a, 422, "GET", "/api/v1/admin/teams?query="+strings.Repeat("x", 101), nil, nil)
	s.want(a, 204, "DELETE", "/api/v1/admin/grants/"+id, nil, nil)
	s.want(a, 404, "DELETE", "/api/v1/admin/grants/00000000-0000-4000-8000-000000000000", nil, nil)
	s.want(a, 200, "GET", "/api/v1/admin/billing/events", nil, nil)
	s.want(s.learner, 403, "GET", "/api/v1/admin/billing/events", nil, nil)
	s.want(a, 200, "POST", "/api/v1/testing/clock", map[string]int{"advance_seconds": 1}, nil)
	s.want(a, 422, "POST", "/api/v1/testing/clock", map[string]int{"advance_seconds": 0}, nil)
}

// signOut ends the learner's session with the refresh cookie, then without one.
func (s *scenario) signOut() {
	s.login(s.learner, testPassword)
	s.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/logout", Cookie: []*http.Cookie{s.learner.Refresh}}).Want(204)
	s.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: []*http.Cookie{s.learner.Refresh}}).Want(401)
	s.want(nil, 204, "POST", "/api/v1/auth/logout", nil, nil)
}
