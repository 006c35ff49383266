package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// accessFixture holds real resources for the access matrix, created through the API: a
// published free module, an attempt and a certificate of rep, a team managed by manager with
// rep and rep2 as learning members and one pending invite, and a user grant.
type accessFixture struct {
	*world
	admin, instructor, learner, manager, rep, rep2 *account
	module, lessonSlug, lessonID, checkID          string
	instrument, attemptID, itemID, certCode        string
	teamID, inviteID, inviteToken, grantID         string
	mediaID                                        string
	// pulseID, pulseToken: a pulse of rep's, waiting for its answer.
	pulseID, pulseToken string
	// practice is a free text activity; submissionID rep's submitted attempt at it.
	practice, submissionID string
}

func newAccessFixture(t *testing.T) *accessFixture {
	t.Helper()
	f := &accessFixture{world: newWorld(t)}
	f.admin, f.instructor = f.account("acl-admin", "admin"), f.account("acl-ins", "instructor")
	f.learner, f.manager = f.account("acl-lee", ""), f.account("acl-max", "")
	f.rep, f.rep2 = f.account("acl-rae", ""), f.account("acl-rio", "")

	f.module, f.lessonSlug = "acl-"+randomHex(3), "l1"
	f.checkID = f.module + "-a"
	f.want(f.instructor, 201, "POST", "/api/v1/studio/modules",
		map[string]any{"slug": f.module, "title": "Access module", "access": "free", "coaching": "## Coaching\n\nAsk one question."}, nil)
	f.want(f.instructor, 201, "POST", "/api/v1/studio/modules/"+f.module+"/lessons",
		map[string]any{"slug": f.lessonSlug, "title": "Only lesson", "minutes": 3, "markdown": "Text.",
			"checks": []any{studioCheck(f.checkID, "b"), studioCheck(f.module+"-b", "b")}}, nil)
	f.want(f.instructor, 201, "POST", "/api/v1/studio/modules/"+f.module+"/publish", nil, nil)
	var mod struct {
		Lessons []struct {
			ID string `json:"id"`
		} `json:"lessons"`
	}
	f.want(nil, 200, "GET", "/api/v1/modules/"+f.module, nil, &mod)
	f.lessonID = mod.Lessons[0].ID

	f.instrument = f.importInstrument()
	var at attempt
	f.want(f.rep, 201, "POST", "/api/v1/assessments/"+f.instrument+"/attempts", nil, &at)
	f.attemptID, f.itemID = at.ID, at.Items[0].ID
	var done struct {
		Certificate struct {
			Code string `json:"code"`
		} `json:"certificate"`
	}
	f.want(f.rep, 200, "PUT", "/api/v1/progress/lessons/"+f.lessonID, map[string]string{"status": "completed"}, &done)
	f.certCode = done.Certificate.Code

	f.team()
	var g struct {
		ID string `json:"id"`
	}
	f.want(f.admin, 201, "POST", "/api/v1/admin/grants", map[string]any{"user_id": f.learner.ID, "ends_at": inAYear()}, &g)
	f.grantID = g.ID
	png := append([]byte("\x89PNG\r\n\x1a\n"), []byte("access matrix image")...)
	it, err := f.Media.Import(context.Background(), "acl.png", png, "Access diagram", "A diagram")
	if err != nil {
		t.Fatalf("media: %v", err)
	}
	f.mediaID = it.ID
	f.pulseID, f.pulseToken = f.newPulse(f.rep)
	f.practice, f.submissionID = f.practiceAttempt()
	return f
}

// practiceAttempt imports a free text activity of the fixture's module and submits rep's attempt.
func (f *accessFixture) practiceAttempt() (slug, id string) {
	slug = "acl-practice-" + randomHex(3)
	yaml := "slug: " + slug + "\ntitle: Access practice\nmodule_slug: " + f.module + "\ncompetencies: [social_awareness]\n" +
		"kind: text\ntime_limit_seconds: 60\nbrief: Answer the buyer.\nrubric:\n" +
		"  - {id: a, competency: social_awareness, criterion: Listens, anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n" +
		"  - {id: b, competency: social_awareness, criterion: Asks, anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n" +
		"  - {id: c, competency: social_awareness, criterion: Summarises, anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n"
	rep, err := f.PracticeImporter.Import(context.Background(), fstest.MapFS{"practice/" + slug + ".yaml": {Data: []byte(yaml)}})
	if err != nil || len(rep.Errors) > 0 {
		f.t.Fatalf("practice import: %v %v", err, rep.Errors)
	}
	var sub struct {
		ID string `json:"id"`
	}
	f.want(f.rep, 201, "POST", "/api/v1/practice/"+slug+"/submissions", nil, &sub)
	base := "/api/v1/submissions/" + sub.ID
	f.want(f.rep, 204, "PUT", base+"/text", map[string]string{"text": "I would ask what changed."}, nil)
	f.want(f.rep, 204, "PUT", base+"/self-review", map[string]any{"scores": []map[string]any{
		{"criterion_id": "a", "score": 3}, {"criterion_id": "b", "score": 4}, {"criterion_id": "c", "score": 2}}}, nil)
	f.want(f.rep, 200, "POST", base+"/submit", nil, nil)
	return slug, sub.ID
}

// team creates the manager's team with seats, rep and rep2 as members and one pending invite.
func (f *accessFixture) team() {
	var team struct {
		ID string `json:"id"`
	}
	f.want(f.manager, 201, "POST", "/api/v1/teams", map[string]string{"name": "Access team"}, &team)
	f.teamID = team.ID
	f.want(f.admin, 201, "POST", "/api/v1/admin/grants", map[string]any{"team_id": f.teamID, "seats": 5, "ends_at": inAYear()}, nil)
	pending := "acl-pending-" + randomHex(4) + "@example.com"
	var sent struct {
		Invites []struct {
			ID    string `json:"id"`
			Email string `json:"email"`
		} `json:"invites"`
	}
	f.want(f.manager, 201, "POST", "/api/v1/teams/"+f.teamID+"/invites",
		map[string]any{"emails": []string{f.rep.Email, f.rep2.Email, pending}}, &sent)
	for _, inv := range sent.Invites {
		if inv.Email == pending {
			f.inviteID = inv.ID
		}
	}
	for _, u := range []*account{f.rep, f.rep2} {
		tok := mailToken(f.t, u.Email, "invited you to", "http://rapport.test/invites/")
		f.want(u, 200, "POST", "/api/v1/invites/"+tok+"/accept", nil, nil)
		f.inviteToken = tok
	}
}

// path fills the route's parameters with the fixture's ids. A parameter it does not know fails
// the test: a new route needs a real id here before the matrix can check it.
func (f *accessFixture) path(route string) string {
	segs := strings.Split(route, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		name := strings.Trim(s, "{}")
		v := f.param(route, name)
		if v == "" {
			f.t.Fatalf("access matrix: no fixture value for {%s} in %s; add one to accessFixture.param", name, route)
		}
		segs[i] = v
	}
	return strings.Join(segs, "/")
}

func (f *accessFixture) param(route, name string) string {
	has := func(prefix string) bool { return strings.HasPrefix(route, prefix) }
	switch name {
	case "id":
		switch {
		case has("/api/v1/teams/"):
			return f.teamID
		case has("/api/v1/attempts/"):
			return f.attemptID
		case has("/api/v1/admin/grants/"):
			return f.grantID
		case has("/api/v1/admin/users/"):
			return f.learner.ID
		case has("/api/v1/checks/"):
			return f.checkID
		case has("/api/v1/studio/media/"), has("/media/"):
			return f.mediaID
		case has("/api/v1/uploads/"):
			return "00000000-0000-4000-8000-000000000000"
		case has("/api/v1/pulses/"):
			return f.pulseID
		case has("/api/v1/submissions/"), has("/recordings/"):
			return f.submissionID
		case has("/practice-media/"):
			return f.mediaID
		}
	case "user_id":
		return f.rep2.ID
	case "invite_id":
		return f.inviteID
	case "slug":
		if has("/api/v1/assessments/") || has("/api/v1/studio/assessments/") {
			return f.instrument
		}
		if has("/api/v1/practice/") || has("/api/v1/studio/practice/") {
			return f.practice
		}
		return f.module
	case "lesson":
		return f.lessonSlug
	case "version":
		return "1"
	case "lesson_id":
		return f.lessonID
	case "item":
		return f.itemID
	case "code":
		return f.certCode
	case "token":
		if has("/api/v1/pulse/") || has("/p/") {
			return f.pulseToken
		}
		return f.inviteToken
	}
	return ""
}

// status sends method path as u (nil: anonymous) with body and returns the status.
func (f *accessFixture) status(u *account, method, path string, body any) int {
	return f.call(u, method, path, body).Code
}

// refresh presents the learner's refresh cookie (and keeps the rotated one).
func (f *accessFixture) refresh() int {
	r := f.Do(apptest.Request{Method: "POST", Path: "/api/v1/auth/refresh", Cookie: []*http.Cookie{f.learner.Refresh}})
	if c := r.Cookie("rapport_refresh"); c != nil {
		f.learner.Refresh = c
	}
	return r.Code
}

// studioCheck is a valid knowledge check with the id, whose answer is option answer (a or b).
func studioCheck(id, answer string) map[string]any {
	return map[string]any{"id": id, "prompt": "A buyer goes quiet after the price. What do you do?", "answer": answer,
		"options": []any{
			map[string]any{"id": "a", "text": "Lower the price.", "explanation": "Discounting first teaches the buyer to wait."},
			map[string]any{"id": "b", "text": "Ask what the number means for them.", "explanation": "It finds the real concern."},
		}}
}

// limitsCheck is a valid check whose answer is its second option, "b2": the boundary cases give
// the first option ids of one to eight letters, which never meet it.
func limitsCheck(id string) map[string]any {
	c := studioCheck(id, "b2")
	c["options"].([]any)[1].(map[string]any)["id"] = "b2"
	return c
}

func inAYear() string { return time.Now().Add(365 * 24 * time.Hour).UTC().Format(time.RFC3339) }

// newPulse creates a pulse of u's through the API and returns its id and link token.
func (f *accessFixture) newPulse(u *account) (id, token string) {
	var p struct {
		ID   string `json:"id"`
		Link string `json:"link"`
	}
	f.want(u, 201, "POST", "/api/v1/pulses", map[string]any{"meeting": "Discovery call",
		"prediction": map[string]int{"clarity": 4, "understood": 4, "again": 4}}, &p)
	return p.ID, p.Link[strings.LastIndex(p.Link, "/")+1:]
}
