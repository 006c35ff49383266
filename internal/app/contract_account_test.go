package app_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// exportDoc is the part of data.json the test reads.
type exportDoc struct {
	Format  string `json:"format"`
	UserID  string `json:"user_id"`
	Account struct {
		Email string   `json:"email"`
		Roles []string `json:"roles"`
	} `json:"account"`
	Progress struct {
		Lessons       []map[string]any `json:"lessons"`
		WeeklyHistory []map[string]any `json:"weekly_history"`
		Certificates  []map[string]any `json:"certificates"`
	} `json:"progress"`
	Assessments struct {
		Attempts []struct {
			Responses []map[string]any `json:"responses"`
			Scores    []map[string]any `json:"scores"`
		} `json:"attempts"`
		SkillsHistory []map[string]any `json:"skills_history"`
	} `json:"assessments"`
	Billing struct {
		Subscriptions []map[string]any `json:"subscriptions"`
	} `json:"billing"`
	Teams struct {
		Memberships          []map[string]any `json:"memberships"`
		RecognitionsReceived []map[string]any `json:"recognitions_received"`
	} `json:"teams"`
}

// readExport unzips an export and decodes its data.json.
func (s *scenario) readExport(r *apptest.Response) exportDoc {
	s.t.Helper()
	if ct := r.Header().Get("Content-Type"); ct != "application/zip" {
		s.t.Fatalf("export Content-Type = %q", ct)
	}
	body := r.Body.Bytes()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		s.t.Fatalf("export is not a ZIP: %v", err)
	}
	var doc exportDoc
	for _, f := range zr.File {
		if f.Name != "data.json" {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			s.t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		_ = rc.Close()
		if err := json.Unmarshal(b, &doc); err != nil {
			s.t.Fatalf("data.json: %v", err)
		}
		return doc
	}
	s.t.Fatal("the export has no data.json")
	return doc
}

// count is the number of rows of table whose column is id.
func (s *scenario) count(table, column, id string) int {
	s.t.Helper()
	var n int
	if err := s.DB.Gorm.Raw("SELECT count(*) FROM "+table+" WHERE "+column+" = ?", id).Scan(&n).Error; err != nil {
		s.t.Fatal(err)
	}
	return n
}

// yourData gives an account a subscription, progress with a certificate, an attempt, a team seat
// and recognitions (received and given); exports it; refuses the wrong password and the sole
// manager; then erases it and shows that nothing of it remains but the recognition it gave, now
// from "a former member", and that its address can register again. The admin's erasure is logged.
func (s *scenario) yourData() {
	m, leaver := s.manager, s.account("leaver", "")

	// Self-ratings beside what managers observed in practice: the rep was assessed, nobody has
	// reviewed their practice in this scenario.
	s.want(s.rep, 200, "GET", "/api/v1/me/observed", nil, nil)
	s.want(nil, 401, "GET", "/api/v1/me/observed", nil, nil)

	// A subscription: Checkout links a Stripe customer, the webhook brings the subscription.
	s.want(leaver, 200, "POST", "/api/v1/billing/checkout", map[string]any{"plan_id": "individual-monthly"}, nil)
	subID := "sub_" + randomHex(6)
	evt := "evt_" + randomHex(8)
	body, sig := stripeEvent(s.t, evt, "customer.subscription.created", subscriptionObject(subID, leaver.ID))
	s.Do(apptest.Request{Method: "POST", Path: "/api/v1/billing/webhook", Body: body,
		Header: map[string]string{"Stripe-Signature": sig}}).Want(http.StatusOK)
	s.waitEvent(evt)
	var customer string
	s.DB.Gorm.Raw("SELECT stripe_customer_id FROM billing_customers WHERE user_id = ?", leaver.ID).Scan(&customer)

	// Progress to a certificate, an attempt, a seat on the manager's team, recognitions.
	for _, l := range s.freeLessons {
		s.send(leaver, "PUT", "/api/v1/progress/lessons/"+l, map[string]any{"status": "completed", "seconds": 90},
			map[string]string{"Idempotency-Key": "k-" + randomHex(6)}).Want(200)
	}
	s.takeAttempt(leaver, true)
	base := "/api/v1/teams/" + s.teamID
	s.want(m, 201, "POST", base+"/invites", map[string]any{"emails": []string{leaver.Email}}, nil)
	token := mailToken(s.t, leaver.Email, "invited you to", "http://rapport.test/invites/")
	s.want(leaver, 200, "POST", "/api/v1/invites/"+token+"/accept", nil, nil)
	s.want(m, 201, "POST", base+"/recognitions", map[string]string{"user_id": leaver.ID, "message": "Sharp questions today.", "kind": "win"}, nil)
	s.want(leaver, 201, "POST", base+"/recognitions", map[string]string{"user_id": m.ID, "message": "Thanks for the ride-along."}, nil)

	// The export holds every section.
	s.want(nil, 401, "GET", "/api/v1/me/export", nil, nil)
	// A queued export's e-mailed link (its whole journey: export_queue_test.go); an unknown one is 404.
	s.want(nil, 404, "GET", "/api/v1/me/export/"+strings.Repeat("A", 43), nil, nil)
	r := s.want(leaver, 200, "GET", "/api/v1/me/export", nil, nil)
	if cd := r.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") {
		s.t.Errorf("export Content-Disposition = %q", cd)
	}
	doc := s.readExport(r)
	switch {
	case doc.Format != "rapport-export/1" || doc.UserID != leaver.ID || doc.Account.Email != leaver.Email || len(doc.Account.Roles) == 0:
		s.t.Errorf("export account = %+v", doc)
	case len(doc.Progress.Lessons) != 2 || len(doc.Progress.Certificates) != 1 || len(doc.Progress.WeeklyHistory) != 1:
		s.t.Errorf("export progress = %+v", doc.Progress)
	case len(doc.Assessments.Attempts) != 1 || len(doc.Assessments.Attempts[0].Responses) == 0 ||
		len(doc.Assessments.Attempts[0].Scores) == 0 || len(doc.Assessments.SkillsHistory) != 1:
		s.t.Errorf("export assessments = %+v", doc.Assessments)
	case len(doc.Billing.Subscriptions) != 1 || doc.Billing.Subscriptions[0]["status"] != "active":
		s.t.Errorf("export billing = %+v", doc.Billing)
	case len(doc.Teams.Memberships) != 1 || len(doc.Teams.RecognitionsReceived) != 1 ||
		doc.Teams.RecognitionsReceived[0]["message"] != "Sharp questions today.":
		s.t.Errorf("export teams = %+v", doc.Teams)
	}

	// Refusals: no password, a wrong one, the sole manager of a team with members.
	s.want(leaver, 422, "DELETE", "/api/v1/me", map[string]any{}, nil)
	s.want(leaver, 403, "DELETE", "/api/v1/me", map[string]string{"password": "not my password"}, nil)
	var problem struct {
		Detail string `json:"detail"`
	}
	s.want(m, 409, "DELETE", "/api/v1/me", map[string]string{"password": testPassword}, &problem)
	if !strings.Contains(problem.Detail, "Hand the team over") {
		s.t.Errorf("sole manager refusal = %q", problem.Detail)
	}

	othersAttempts := s.count("attempts", "user_id", s.learner.ID)
	s.want(leaver, 204, "DELETE", "/api/v1/me", map[string]string{"password": testPassword}, nil)

	// Signed out everywhere.
	s.want(leaver, 401, "GET", "/api/v1/me", nil, nil)
	s.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: []*http.Cookie{leaver.Refresh}}).Want(401)
	s.want(nil, 401, "POST", "/api/v1/auth/login", map[string]string{"email": leaver.Email, "password": testPassword}, nil)
	// Nothing of theirs remains in the database; the seat is free; others keep their data.
	for _, t := range []struct{ table, column string }{
		{"users", "id"}, {"refresh_tokens", "user_id"}, {"lesson_progress", "user_id"}, {"progress_time_events", "user_id"},
		{"certificates", "user_id"}, {"attempts", "user_id"}, {"team_members", "user_id"}, {"recognitions", "to_user_id"},
		{"recognitions", "from_user_id"}, {"billing_subscriptions", "user_id"}, {"billing_customers", "user_id"},
	} {
		if n := s.count(t.table, t.column, leaver.ID); n != 0 {
			s.t.Errorf("%s still has %d rows of the erased user", t.table, n)
		}
	}
	if n := s.count("attempts", "user_id", s.learner.ID); n != othersAttempts || n == 0 {
		s.t.Errorf("another learner's attempts: %d, want %d", n, othersAttempts)
	}
	var report struct {
		Members []struct {
			UserID string `json:"user_id"`
		} `json:"members"`
	}
	s.want(m, 200, "GET", base+"/report", nil, &report)
	for _, mem := range report.Members {
		if mem.UserID == leaver.ID {
			s.t.Error("the team report still lists the erased user")
		}
	}
	var got struct {
		Recognitions []struct {
			From struct {
				UserID string `json:"user_id"`
				Name   string `json:"name"`
			} `json:"from"`
			Message string `json:"message"`
		} `json:"recognitions"`
	}
	s.want(m, 200, "GET", "/api/v1/me/recognitions", nil, &got)
	kept := false
	for _, rc := range got.Recognitions {
		if rc.Message == "Thanks for the ride-along." {
			kept = rc.From.UserID == "" && rc.From.Name == "A former member"
		}
	}
	if !kept {
		s.t.Errorf("the recognition the erased user gave is not kept as from a former member: %+v", got.Recognitions)
	}
	// Stripe was told first: the subscription cancelled, the customer deleted.
	if !s.stripe.Called("DELETE /v1/subscriptions/" + subID) {
		s.t.Error("the subscription was not cancelled at Stripe")
	}
	if customer != "" && !s.stripe.Called("DELETE /v1/customers/"+customer) {
		s.t.Errorf("the Stripe customer %s was not deleted", customer)
	}
	// The address can register again.
	s.want(nil, 201, "POST", "/api/v1/auth/register", map[string]string{"email": leaver.Email, "password": testPassword, "name": "Back Again"}, nil)

	// An admin erases someone else's account, logged by ids only; learners cannot.
	victim := s.account("erased-by-admin", "")
	// First the admin downloads the account's data on its owner's behalf: the same archive.
	s.want(s.learner, 403, "GET", "/api/v1/admin/users/"+victim.ID+"/export", nil, nil)
	s.want(s.admin, 404, "GET", "/api/v1/admin/users/33333333-3333-4333-8333-333333333333/export", nil, nil)
	onBehalf := s.readExport(s.want(s.admin, 200, "GET", "/api/v1/admin/users/"+victim.ID+"/export", nil, nil))
	if onBehalf.UserID != victim.ID || onBehalf.Account.Email != victim.Email || onBehalf.Format != "rapport-export/1" {
		s.t.Errorf("the admin's export on the user's behalf = %+v", onBehalf)
	}
	s.want(s.learner, 403, "DELETE", "/api/v1/admin/users/"+victim.ID, nil, nil)
	s.want(s.admin, 409, "DELETE", "/api/v1/admin/users/"+s.admin.ID, nil, nil)
	s.want(s.admin, 204, "DELETE", "/api/v1/admin/users/"+victim.ID, nil, nil)
	s.want(s.admin, 404, "DELETE", "/api/v1/admin/users/"+victim.ID, nil, nil)
	s.want(victim, 401, "GET", "/api/v1/me", nil, nil)
	s.want(s.admin, 404, "GET", "/api/v1/admin/users/"+victim.ID+"/export", nil, nil)
	var log []struct {
		ActorID string
		Via     string
	}
	s.DB.Gorm.Raw("SELECT actor_id, via FROM account_deletions WHERE subject_id = ?", victim.ID).Scan(&log)
	if len(log) != 1 || log[0].ActorID != s.admin.ID || log[0].Via != "admin" {
		s.t.Errorf("admin erasure log = %+v", log)
	}
	if n := s.count("account_deletions", "subject_id", leaver.ID); n != 1 {
		s.t.Errorf("self erasure logged %d times", n)
	}
}
