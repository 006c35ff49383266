package app_test

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// identity registers the learner and walks sessions, profile, verification and recovery.
func (s *scenario) identity() {
	t := s.t
	email := "lee-" + randomHex(5) + "@example.com"
	reg := s.want(nil, 201, "POST", "/api/v1/auth/register",
		map[string]string{"email": email, "password": testPassword, "name": "Lee Learner"}, nil)
	var sess struct {
		AccessToken string `json:"access_token"`
		User        struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	reg.Decode(&sess)
	s.learner = &account{ID: sess.User.ID, Email: email, Name: "Lee Learner", Token: sess.AccessToken, Refresh: reg.Cookie("rapport_refresh")}
	s.want(nil, 409, "POST", "/api/v1/auth/register", map[string]string{"email": email, "password": testPassword, "name": "Lee"}, nil)
	s.want(nil, 422, "POST", "/api/v1/auth/register", map[string]string{"email": "nope", "password": "short", "name": "x"}, nil)
	s.want(nil, 400, "POST", "/api/v1/auth/register", `{"email":`, nil)
	s.want(nil, 401, "POST", "/api/v1/auth/login", map[string]string{"email": email, "password": "wrong password!"}, nil)
	ghost := "ghost-" + randomHex(4) + "@example.com"
	for i := 0; i < 6; i++ {
		s.call(nil, "POST", "/api/v1/auth/login", map[string]string{"email": ghost, "password": "wrong password!"})
	}
	s.want(nil, 429, "POST", "/api/v1/auth/login", map[string]string{"email": ghost, "password": "wrong password!"}, nil)
	s.login(s.learner, testPassword)

	// Refresh rotates the cookie; presenting the old one again is refused.
	old := s.learner.Refresh
	fresh := s.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: []*http.Cookie{old}}).Want(200)
	if fresh.Cookie("rapport_refresh") == nil {
		t.Error("refresh set no new cookie")
	}
	s.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: []*http.Cookie{old}}).Want(401)
	s.want(nil, 401, "POST", "/api/v1/auth/refresh", nil, nil)

	s.want(s.learner, 200, "GET", "/api/v1/me", nil, nil)
	s.want(nil, 401, "GET", "/api/v1/me", nil, nil)
	s.send(nil, "GET", "/api/v1/me", nil, map[string]string{"Authorization": "Bearer forged"}).Want(401)
	s.want(s.learner, 200, "PATCH", "/api/v1/me", map[string]any{"name": "Lee L.", "time_zone": "Europe/Berlin", "weekly_reminders": false}, nil)
	s.want(s.learner, 422, "PATCH", "/api/v1/me", map[string]any{"time_zone": "Mars/Olympus"}, nil)
	s.send(s.learner, "PATCH", "/api/v1/me", "name=x", map[string]string{"Content-Type": "text/plain"}).Want(415)

	// Verification: resend, follow the link, and a second resend conflicts.
	s.want(s.learner, 202, "POST", "/api/v1/auth/verify-email/resend", nil, nil)
	tok := mailToken(t, email, "Confirm your e-mail", "http://rapport.test/verify-email?token=")
	s.want(nil, 422, "POST", "/api/v1/auth/verify-email", map[string]string{"token": "not-a-token"}, nil)
	s.want(nil, 204, "POST", "/api/v1/auth/verify-email", map[string]string{"token": tok}, nil)
	s.want(s.learner, 409, "POST", "/api/v1/auth/verify-email/resend", nil, nil)

	// Recovery: forgot, reset with the e-mailed token, change back with the current password.
	s.want(nil, 202, "POST", "/api/v1/auth/password/forgot", map[string]string{"email": email}, nil)
	reset := mailToken(t, email, "Reset your Rapport password", "http://rapport.test/reset-password?token=")
	s.want(nil, 422, "POST", "/api/v1/auth/password/reset", map[string]string{"token": reset, "password": "short"}, nil)
	s.want(nil, 204, "POST", "/api/v1/auth/password/reset", map[string]string{"token": reset, "password": "another long password"}, nil)
	s.login(s.learner, "another long password")
	s.want(s.learner, 422, "PUT", "/api/v1/me/password",
		map[string]string{"current_password": "wrong", "new_password": testPassword}, nil)
	var changed struct {
		AccessToken string `json:"access_token"`
	}
	s.want(s.learner, 200, "PUT", "/api/v1/me/password",
		map[string]string{"current_password": "another long password", "new_password": testPassword}, &changed)
	s.learner.Token = changed.AccessToken
	s.want(s.learner, 204, "POST", "/api/v1/auth/logout-all", nil, nil)
	s.want(nil, 401, "POST", "/api/v1/auth/logout-all", nil, nil)
	s.login(s.learner, testPassword)

	s.instructor = s.account("ivy", "instructor")
	s.admin = s.account("ada", "admin")
	s.manager = s.account("max", "")
	s.rep = s.account("rae", "")
	s.outsider = s.account("otto", "")
	s.subscriber = s.account("sam", "")
}

// studio authors a free and a premium module as the instructor and publishes them.
func (s *scenario) studio() {
	ins := s.instructor
	s.free, s.premium = "contract-free-"+randomHex(3), "contract-premium-"+randomHex(3)
	mod := func(slug, access string) map[string]any {
		return map[string]any{"slug": slug, "title": "Module " + slug, "summary": "A module.", "access": access,
			"competencies": []string{"self_awareness"}}
	}
	s.want(s.learner, 403, "POST", "/api/v1/studio/modules", mod(s.free, "free"), nil)
	s.want(nil, 401, "GET", "/api/v1/studio/modules", nil, nil)
	s.want(ins, 201, "POST", "/api/v1/studio/modules", mod(s.free, "free"), nil)
	s.want(ins, 409, "POST", "/api/v1/studio/modules", mod(s.free, "free"), nil)
	s.want(ins, 422, "POST", "/api/v1/studio/modules", map[string]any{"slug": "Not A Slug", "access": "gold"}, nil)
	s.want(ins, 201, "POST", "/api/v1/studio/modules", mod(s.premium, "premium"), nil)
	s.want(ins, 200, "PUT", "/api/v1/studio/modules/"+s.free, map[string]any{"summary": "Listening first."}, nil)
	s.want(ins, 404, "PUT", "/api/v1/studio/modules/no-such-module", map[string]any{"summary": "x"}, nil)

	lesson := func(slug string) map[string]any {
		return map[string]any{"slug": slug, "title": "Lesson " + slug, "minutes": 5, "markdown": "## " + slug + "\n\nText."}
	}
	for _, l := range []string{"l1", "l2", "l3"} {
		s.want(ins, 201, "POST", "/api/v1/studio/modules/"+s.free+"/lessons", lesson(l), nil)
	}
	s.want(ins, 201, "POST", "/api/v1/studio/modules/"+s.premium+"/lessons", lesson("p1"), nil)
	s.want(ins, 200, "PUT", "/api/v1/studio/modules/"+s.premium, map[string]any{"coaching": "## What good looks like\n\nThe rep asks one more question."}, nil)
	s.want(ins, 422, "PUT", "/api/v1/studio/modules/"+s.premium, map[string]any{"coaching": strings.Repeat("x", 20481)}, nil)
	s.want(ins, 422, "POST", "/api/v1/studio/modules/"+s.free+"/lessons", map[string]any{"slug": "x y", "minutes": -1}, nil)
	s.want(ins, 200, "GET", "/api/v1/studio/modules", nil, nil)
	s.want(ins, 200, "GET", "/api/v1/studio/modules/"+s.free, nil, nil)
	s.want(ins, 200, "GET", "/api/v1/studio/modules/"+s.free+"/lessons/l1", nil, nil)
	s.want(ins, 200, "PUT", "/api/v1/studio/modules/"+s.free+"/lessons/l1", map[string]any{"markdown": "## L1\n\nNew text."}, nil)
	s.want(ins, 204, "DELETE", "/api/v1/studio/modules/"+s.free+"/lessons/l3", nil, nil)
	s.want(ins, 404, "GET", "/api/v1/studio/modules/"+s.free+"/lessons/l3", nil, nil)
	s.want(ins, 200, "POST", "/api/v1/studio/preview", map[string]string{"markdown": "# Hi\n\n<script>alert(1)</script>"}, nil)
	s.want(ins, 201, "POST", "/api/v1/studio/modules/"+s.free+"/publish", nil, nil)
	s.want(ins, 201, "POST", "/api/v1/studio/modules/"+s.premium+"/publish", nil, nil)
	s.want(ins, 200, "GET", "/api/v1/studio/modules/"+s.free+"/versions", nil, nil)
	s.want(ins, 200, "GET", "/api/v1/studio/modules/"+s.free+"/versions/1", nil, nil)
	s.want(ins, 404, "GET", "/api/v1/studio/modules/"+s.free+"/versions/2", nil, nil)
	s.want(s.learner, 403, "GET", "/api/v1/studio/modules/"+s.free+"/versions/1", nil, nil)

	gone := "contract-gone-" + randomHex(3)
	s.want(ins, 201, "POST", "/api/v1/studio/modules", mod(gone, "free"), nil)
	s.want(ins, 201, "POST", "/api/v1/studio/modules/"+gone+"/lessons", lesson("g1"), nil)
	s.want(ins, 201, "POST", "/api/v1/studio/modules/"+gone+"/publish", nil, nil)
	s.want(ins, 204, "POST", "/api/v1/studio/modules/"+gone+"/unpublish", nil, nil)
}

// catalog reads the catalog anonymously and as learner, with ETags and the premium rules.
func (s *scenario) catalog() {
	s.want(nil, 200, "GET", "/api/v1/modules", nil, nil)
	s.want(s.learner, 200, "GET", "/api/v1/modules", nil, nil)
	s.want(nil, 200, "GET", "/api/v1/modules/"+s.free, nil, nil)
	var mod struct {
		Lessons []struct {
			ID string `json:"id"`
		} `json:"lessons"`
	}
	s.want(s.learner, 200, "GET", "/api/v1/modules/"+s.free, nil, &mod)
	for _, l := range mod.Lessons {
		s.freeLessons = append(s.freeLessons, l.ID)
	}
	if len(s.freeLessons) != 2 {
		s.t.Fatalf("published module has %d lessons, want 2", len(s.freeLessons))
	}
	s.want(nil, 404, "GET", "/api/v1/modules/no-such-module", nil, nil)
	lesson := "/api/v1/modules/" + s.free + "/lessons/l1"
	etag := s.want(nil, 200, "GET", lesson, nil, nil).Header().Get("ETag")
	s.send(s.learner, "GET", lesson, nil, map[string]string{"If-None-Match": etag}).Want(304)
	premium := "/api/v1/modules/" + s.premium + "/lessons/p1"
	s.want(nil, 401, "GET", premium, nil, nil)
	s.want(s.learner, 402, "GET", premium, nil, nil)
	s.want(s.admin, 200, "GET", premium, nil, nil)

	coaching := "/api/v1/modules/" + s.premium + "/coaching"
	s.want(nil, 401, "GET", coaching, nil, nil)
	s.want(s.learner, 404, "GET", coaching, nil, nil)
	s.want(s.instructor, 200, "GET", coaching, nil, nil)
	s.want(s.instructor, 404, "GET", "/api/v1/modules/"+s.free+"/coaching", nil, nil)
}

// baseline takes the learner's baseline assessment, with the error paths on the way.
func (s *scenario) baseline() {
	s.instrument = s.importInstrument()
	s.want(s.learner, 200, "GET", "/api/v1/assessments", nil, nil)
	var at attempt
	s.want(s.learner, 201, "POST", "/api/v1/assessments/"+s.instrument+"/attempts", nil, &at)
	s.want(s.learner, 200, "POST", "/api/v1/assessments/"+s.instrument+"/attempts", nil, nil)
	s.want(s.learner, 404, "POST", "/api/v1/assessments/no-such-instrument/attempts", nil, nil)
	s.attemptID = at.ID
	path := "/api/v1/attempts/" + at.ID
	s.want(s.learner, 200, "GET", path, nil, nil)
	s.want(s.outsider, 404, "GET", path, nil, nil)
	vals := answers(s.t, at, false)
	first := at.Items[0].ID
	s.want(s.learner, 204, "PUT", path+"/responses/"+first, map[string]any{"value": vals[first]}, nil)
	s.want(s.learner, 422, "POST", path+"/submit", nil, nil)
	s.want(s.learner, 422, "PUT", path+"/responses/"+first, map[string]any{"value": 9}, nil)
	s.want(s.outsider, 404, "PUT", path+"/responses/"+first, map[string]any{"value": 3}, nil)
	s.answerAll(s.learner, at, vals)
	s.want(s.learner, 200, "POST", path+"/submit", nil, nil)
	s.want(s.learner, 409, "POST", path+"/submit", nil, nil)
	s.want(s.learner, 409, "POST", "/api/v1/assessments/"+s.instrument+"/attempts", nil, nil)
	s.want(s.learner, 200, "GET", "/api/v1/me/skills", nil, nil)
}

// answerAll saves every answer of at as u.
func (s *scenario) answerAll(u *account, at attempt, vals map[string]any) {
	for _, it := range at.Items {
		s.want(u, 204, "PUT", "/api/v1/attempts/"+at.ID+"/responses/"+it.ID, map[string]any{"value": vals[it.ID]}, nil)
	}
}

// takeAttempt starts, answers and submits an attempt of the fixture instrument as u.
func (s *scenario) takeAttempt(u *account, good bool) {
	var at attempt
	s.want(u, 201, "POST", "/api/v1/assessments/"+s.instrument+"/attempts", nil, &at)
	s.answerAll(u, at, answers(s.t, at, good))
	s.want(u, 200, "POST", "/api/v1/attempts/"+at.ID+"/submit", nil, nil)
}

// progress reads and completes the free module, earning a certificate.
func (s *scenario) progress() {
	l1, l2 := s.freeLessons[0], s.freeLessons[1]
	key := map[string]string{"Idempotency-Key": "k-" + randomHex(6)}
	s.send(s.learner, "PUT", "/api/v1/progress/lessons/"+l1, map[string]any{"status": "started", "seconds": 60, "position": "p2"}, key).Want(200)
	s.want(s.learner, 422, "PUT", "/api/v1/progress/lessons/"+l1, map[string]any{"status": "started", "seconds": 99999}, nil)
	s.want(s.learner, 404, "PUT", "/api/v1/progress/lessons/00000000-0000-4000-8000-000000000000", map[string]any{"status": "started"}, nil)
	s.want(s.learner, 200, "GET", "/api/v1/progress", nil, nil)
	s.want(s.learner, 200, "PUT", "/api/v1/progress/lessons/"+l1, map[string]any{"status": "completed"}, nil)
	var done struct {
		Certificate *struct {
			Code string `json:"code"`
		} `json:"certificate"`
	}
	s.want(s.learner, 200, "PUT", "/api/v1/progress/lessons/"+l2, map[string]any{"status": "completed", "seconds": 120}, &done)
	if done.Certificate == nil {
		s.t.Fatal("completing the module issued no certificate")
	}
	s.want(s.learner, 200, "GET", "/api/v1/progress", nil, nil)
	s.want(s.learner, 200, "PUT", "/api/v1/progress/goal", map[string]int{"goal_minutes": 30}, nil)
	s.want(s.learner, 422, "PUT", "/api/v1/progress/goal", map[string]any{}, nil)
	s.want(s.learner, 200, "GET", "/api/v1/certificates", nil, nil)
	s.want(nil, 200, "GET", "/api/v1/certificates/"+done.Certificate.Code, nil, nil)
	s.want(nil, 404, "GET", "/api/v1/certificates/NOPE-"+randomHex(3), nil, nil)
}

// progressAttempt takes the progress attempt the module completion opened, then reads skills
// and the instrument's statistics.
func (s *scenario) progressAttempt() {
	var at attempt
	s.want(s.learner, 201, "POST", "/api/v1/assessments/"+s.instrument+"/attempts", nil, &at)
	if at.Kind != "progress" {
		s.t.Errorf("second attempt kind = %q, want progress", at.Kind)
	}
	s.answerAll(s.learner, at, answers(s.t, at, true))
	s.want(s.learner, 200, "POST", "/api/v1/attempts/"+at.ID+"/submit", nil, nil)
	s.want(s.learner, 200, "GET", "/api/v1/me/skills", nil, nil)
	s.want(s.learner, 200, "GET", "/api/v1/assessments", nil, nil)
	stats := fmt.Sprintf("/api/v1/studio/assessments/%s/stats", s.instrument)
	s.want(s.instructor, 200, "GET", stats, nil, nil)
	s.want(s.learner, 403, "GET", stats, nil, nil)
	s.want(s.instructor, 404, "GET", "/api/v1/studio/assessments/no-such-instrument/stats", nil, nil)
	responses := fmt.Sprintf("/api/v1/studio/assessments/%s/responses.csv", s.instrument)
	csv := s.send(s.instructor, "GET", responses, nil, map[string]string{"Accept": "text/csv"}).Want(200)
	if ct := csv.Header().Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		s.t.Errorf("responses.csv Content-Type = %q", ct)
	}
	s.want(s.learner, 403, "GET", responses, nil, nil)
	s.want(s.instructor, 404, "GET", "/api/v1/studio/assessments/no-such-instrument/responses.csv", nil, nil)
}
