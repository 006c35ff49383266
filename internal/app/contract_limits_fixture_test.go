package app_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// limitCall is one valid request: who sends it (nil: anonymous), to which path, with which body.
type limitCall struct {
	who  *account
	path string
	body map[string]any
}

// json is the call's body as encoding/json reads it back (lists are []any, numbers float64), so
// cases can set values anywhere in it.
func (c limitCall) json(t *testing.T) map[string]any {
	t.Helper()
	b, err := json.Marshal(c.body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// limitFixture makes valid requests for one operation with a JSON body, for TestContractLimits.
type limitFixture struct {
	// ok is the status of an accepted request.
	ok int
	// bases make a fresh valid request for each case. A field is probed on every base whose body
	// has it (so a base per variant: a user grant and a team grant; a likert, an sjt and a choice
	// answer), and a field no base has on the first base.
	bases []func() limitCall
	// refs name fields whose valid values point at something that must exist (an id, a token, a
	// plan, a published module's slug, the account's password): only their refusals are derived,
	// and the bases carry real values.
	refs []string
	// tooLong is the status of a too-long value, by field, where it is not 422.
	tooLong map[string]int
	// exempt says why an operation's body is not probed field by field.
	exempt string
}

// limitFixtures returns a fixture for every operation with a JSON request body, built on the
// access fixture's resources. A new operation with a body needs one here.
func limitFixtures(f *accessFixture) map[string]limitFixture {
	t := f.t
	ctx := context.Background()
	fixed := func(who *account, path string, body map[string]any) func() limitCall {
		return func() limitCall { return limitCall{who: who, path: path, body: body} }
	}
	// Seats for the invites the cases send, and a team customer for the portal.
	f.want(f.admin, 201, "POST", "/api/v1/admin/grants", map[string]any{"team_id": f.teamID, "seats": 1000, "ends_at": inAYear()}, nil)
	f.want(f.manager, 200, "POST", "/api/v1/billing/checkout",
		map[string]any{"plan_id": "team-monthly", "seats": 2, "team_id": f.teamID}, nil)
	// The sign-in account has the longest e-mail address and password there may be (256 bytes),
	// so the valid sign-in is also the just-inside case of both (they are references: only this
	// account's address and password sign in).
	longEmail := letters(254-len("@example.com")) + "@example.com"
	longPassword := strings.Repeat("é", 128)
	if _, err := f.Identity.CreateUser(ctx, longEmail, longPassword, "Long Sign-in", ""); err != nil {
		t.Fatal(err)
	}
	profile, target := f.account("lim-profile", ""), f.account("lim-target", "")
	// Pulses: every case creates one (and answering needs a fresh one each time), so the reps
	// take turns under the daily limit of 20.
	pulseReps := []*account{f.account("lim-pulse-a", ""), f.account("lim-pulse-b", ""), f.account("lim-pulse-c", ""), f.account("lim-pulse-d", "")}
	pulseTurn := 0
	// The activity the Studio's edit cases change, their own so no other case sees the changes.
	studioEdited := "lim-edit-" + randomHex(4)
	f.want(f.instructor, 201, "POST", "/api/v1/studio/practice", studioPracticeBody(studioEdited), nil)
	nextPulseRep := func() *account { pulseTurn++; return pulseReps[pulseTurn%len(pulseReps)] }
	// An answered pulse of rep's: recognition evidence.
	answeredPulse, answeredToken := f.newPulse(f.rep)
	f.want(nil, 204, "POST", "/api/v1/pulse/"+answeredToken, map[string]any{"clarity": 5, "understood": 5, "again": 5}, nil)
	// Lessons are added to one module and changed in another, so that the one-letter slugs the
	// cases give them cannot meet.
	studio, edited := "lim-"+randomHex(3), "lim-"+randomHex(3)
	for _, slug := range []string{studio, edited} {
		f.want(f.instructor, 201, "POST", "/api/v1/studio/modules", map[string]any{"slug": slug, "title": "Limits", "access": "free"}, nil)
	}
	newLesson := func() string {
		slug := "l-" + randomHex(4)
		f.want(f.instructor, 201, "POST", "/api/v1/studio/modules/"+edited+"/lessons",
			map[string]any{"slug": slug, "title": "Lesson", "minutes": 3}, nil)
		return slug
	}
	inAWeek := time.Now().Add(7 * 24 * time.Hour).UTC().Format(time.RFC3339)
	answer := func(item string, value any) func() limitCall {
		return fixed(f.rep, "/api/v1/attempts/"+f.attemptID+"/responses/"+item, map[string]any{"value": value})
	}
	team := "/api/v1/teams/" + f.teamID
	// Practice: a fresh draft of the access fixture's text activity for each case (text and
	// self-review), rep's submitted attempt for reviews (the manager's draft) and peer invitations.
	draftCall := func(suffix string, body map[string]any) func() limitCall {
		return func() limitCall {
			owner := f.account("lim-prac", "")
			var sub struct {
				ID string `json:"id"`
			}
			f.want(owner, 201, "POST", "/api/v1/practice/"+f.practice+"/submissions", nil, &sub)
			return limitCall{who: owner, path: "/api/v1/submissions/" + sub.ID + suffix, body: body}
		}
	}
	submitted := "/api/v1/submissions/" + f.submissionID

	return map[string]limitFixture{
		"POST /api/v1/auth/register": {ok: 201, bases: []func() limitCall{func() limitCall {
			return limitCall{path: "/api/v1/auth/register", body: map[string]any{
				"email": "lim-" + randomHex(5) + "@example.com", "password": testPassword, "name": "Reg Limits"}}
		}}},
		"POST /api/v1/auth/login": {ok: 200, refs: []string{"email", "password"},
			bases: []func() limitCall{fixed(nil, "/api/v1/auth/login", map[string]any{"email": longEmail, "password": longPassword})}},
		"POST /api/v1/auth/password/forgot": {ok: 202,
			bases: []func() limitCall{fixed(nil, "/api/v1/auth/password/forgot", map[string]any{"email": target.Email})}},
		"POST /api/v1/auth/password/reset": {ok: 204, refs: []string{"token"}, bases: []func() limitCall{func() limitCall {
			u := f.account("lim-reset", "")
			f.want(nil, 202, "POST", "/api/v1/auth/password/forgot", map[string]string{"email": u.Email}, nil)
			tok := mailToken(t, u.Email, "Reset your Rapport password", "http://rapport.test/reset-password?token=")
			return limitCall{path: "/api/v1/auth/password/reset", body: map[string]any{"token": tok, "password": "a new password"}}
		}}},
		"POST /api/v1/auth/verify-email": {ok: 204, refs: []string{"token"}, bases: []func() limitCall{func() limitCall {
			email := "lim-verify-" + randomHex(5) + "@example.com"
			f.want(nil, 201, "POST", "/api/v1/auth/register", map[string]string{"email": email, "password": testPassword, "name": "Vera"}, nil)
			tok := mailToken(t, email, "Confirm your e-mail", "http://rapport.test/verify-email?token=")
			return limitCall{path: "/api/v1/auth/verify-email", body: map[string]any{"token": tok}}
		}}},
		"PATCH /api/v1/me": {ok: 200, refs: []string{"time_zone"},
			bases: []func() limitCall{fixed(profile, "/api/v1/me", map[string]any{"name": "Pat Limits", "time_zone": "Europe/Berlin", "weekly_reminders": true})}},
		"PUT /api/v1/me/password": {ok: 200, refs: []string{"current_password"}, bases: []func() limitCall{func() limitCall {
			// A fresh account each time: a change ends the account's other sessions.
			return limitCall{who: f.account("lim-pw", ""), path: "/api/v1/me/password",
				body: map[string]any{"current_password": testPassword, "new_password": "a new password"}}
		}}},
		"DELETE /api/v1/me": {ok: 204, refs: []string{"password"}, bases: []func() limitCall{func() limitCall {
			// A fresh account each time: the accepted case erases it.
			return limitCall{who: f.account("lim-erase", ""), path: "/api/v1/me", body: map[string]any{"password": testPassword}}
		}}},
		"PUT /api/v1/admin/users/{id}/roles": {ok: 200,
			bases: []func() limitCall{fixed(f.admin, "/api/v1/admin/users/"+target.ID+"/roles", map[string]any{"roles": []string{"instructor"}})}},

		"POST /api/v1/studio/modules": {ok: 201, bases: []func() limitCall{func() limitCall {
			return limitCall{who: f.instructor, path: "/api/v1/studio/modules", body: map[string]any{"slug": "lim-" + randomHex(4),
				"title": "Limits", "summary": "A module.", "access": "free", "competencies": []string{"self_awareness"}, "sort_order": 3}}
		}}},
		// The slug is fixed once a module exists: only the current one is accepted.
		"PUT /api/v1/studio/modules/{slug}": {ok: 200, refs: []string{"slug"}, bases: []func() limitCall{func() limitCall {
			return limitCall{who: f.instructor, path: "/api/v1/studio/modules/" + studio, body: map[string]any{"slug": studio,
				"title": "Renamed", "summary": "Changed.", "access": "premium", "competencies": []string{"job_diagnosis"}, "sort_order": 4}}
		}}},
		"POST /api/v1/studio/modules/{slug}/lessons": {ok: 201, refs: []string{"checks.answer"}, bases: []func() limitCall{func() limitCall {
			return limitCall{who: f.instructor, path: "/api/v1/studio/modules/" + studio + "/lessons", body: map[string]any{
				"slug": "l-" + randomHex(4), "title": "Lesson", "minutes": 5, "markdown": "## One\n\nText.", "position": 2,
				"checks": []any{limitsCheck("lim-" + randomHex(5)), limitsCheck("lim-" + randomHex(5))}}}
		}}},
		// Check ids are unique across the course, so every base makes new ones; the answer is the
		// second option, so the first option's id can be probed.
		"PUT /api/v1/studio/modules/{slug}/lessons/{lesson}": {ok: 200, refs: []string{"checks.answer"}, bases: []func() limitCall{func() limitCall {
			return limitCall{who: f.instructor, path: "/api/v1/studio/modules/" + edited + "/lessons/" + newLesson(), body: map[string]any{
				"slug": "l-" + randomHex(4), "title": "Changed", "minutes": 7, "markdown": "Text.", "position": 1,
				"checks": []any{limitsCheck("lim-" + randomHex(5)), limitsCheck("lim-" + randomHex(5))}}}
		}}},
		"POST /api/v1/checks/{id}/answers": {ok: 200, refs: []string{"option_id"},
			bases: []func() limitCall{fixed(f.learner, "/api/v1/checks/"+f.checkID+"/answers", map[string]any{"option_id": "b", "seconds": 30})}},
		// Practice activities: every accepted create makes a new activity, so each base has its own
		// slug; competencies and the buyer's line point at the rubric and the media library.
		"POST /api/v1/studio/practice": {ok: 201, refs: []string{"competencies", "buyer_media_id"}, bases: []func() limitCall{func() limitCall {
			return limitCall{who: f.instructor, path: "/api/v1/studio/practice", body: studioPracticeBody("lim-" + randomHex(4))}
		}}},
		"PUT /api/v1/studio/practice/{slug}": {ok: 200, refs: []string{"competencies", "buyer_media_id"}, bases: []func() limitCall{func() limitCall {
			return limitCall{who: f.instructor, path: "/api/v1/studio/practice/" + studioEdited, body: studioPracticeUpdate()}
		}}},
		"POST /api/v1/studio/practice/preview": {ok: 200, tooLong: map[string]int{"markdown": 413},
			bases: []func() limitCall{fixed(f.instructor, "/api/v1/studio/practice/preview", map[string]any{"markdown": "## The situation"})}},
		"POST /api/v1/studio/preview": {ok: 200, tooLong: map[string]int{"markdown": 413},
			bases: []func() limitCall{fixed(f.instructor, "/api/v1/studio/preview", map[string]any{"markdown": "## Preview"})}},

		// The fixture instrument's items: l1 is likert, s1 sjt with two actions, c1 choice (x or y).
		"PUT /api/v1/attempts/{id}/responses/{item}": {ok: 204,
			bases: []func() limitCall{answer("l1", 3), answer("s1", []int{3, 3}), answer("c1", "x")}},
		"PUT /api/v1/progress/lessons/{lesson_id}": {ok: 200,
			bases: []func() limitCall{fixed(f.learner, "/api/v1/progress/lessons/"+f.lessonID, map[string]any{"status": "started", "seconds": 30, "position": "intro"})}},
		"PUT /api/v1/progress/goal": {ok: 200,
			bases: []func() limitCall{fixed(f.learner, "/api/v1/progress/goal", map[string]any{"goal_minutes": 30})}},

		"POST /api/v1/billing/checkout": {ok: 200, refs: []string{"plan_id", "team_id"},
			bases: []func() limitCall{fixed(f.manager, "/api/v1/billing/checkout", map[string]any{"plan_id": "team-monthly", "seats": 2, "team_id": f.teamID})}},
		"POST /api/v1/billing/portal": {ok: 200, refs: []string{"team_id"},
			bases: []func() limitCall{fixed(f.manager, "/api/v1/billing/portal", map[string]any{"team_id": f.teamID})}},
		"PATCH /api/v1/studio/media/{id}": {ok: 200, bases: []func() limitCall{
			fixed(f.instructor, "/api/v1/studio/media/"+f.mediaID, map[string]any{"title": "Access diagram", "alt": "A diagram"})}},
		"POST /api/v1/billing/webhook": {exempt: "a Stripe event is checked by its signature, not field by field " +
			"(TestContractScenario and the billing tests send signed events)"},
		"POST /api/v1/admin/grants": {ok: 201, refs: []string{"user_id", "team_id"}, bases: []func() limitCall{
			fixed(f.admin, "/api/v1/admin/grants", map[string]any{"user_id": f.learner.ID, "ends_at": inAYear()}),
			fixed(f.admin, "/api/v1/admin/grants", map[string]any{"team_id": f.teamID, "seats": 3, "ends_at": inAYear()}),
		}},

		"POST /api/v1/teams": {ok: 201,
			bases: []func() limitCall{fixed(f.learner, "/api/v1/teams", map[string]any{"name": "Limits team"})}},
		"PATCH /api/v1/teams/{id}": {ok: 200,
			bases: []func() limitCall{fixed(f.manager, team, map[string]any{"name": "Access team"})}},
		"PATCH /api/v1/teams/{id}/members/{user_id}": {ok: 200,
			bases: []func() limitCall{fixed(f.manager, team+"/members/"+f.rep2.ID, map[string]any{"role": "member"})}},
		"POST /api/v1/teams/{id}/invites": {ok: 201, bases: []func() limitCall{func() limitCall {
			return limitCall{who: f.manager, path: team + "/invites", body: map[string]any{"emails": []string{"lim-" + randomHex(5) + "@example.com"}}}
		}}},
		"POST /api/v1/teams/{id}/assignments": {ok: 201, refs: []string{"module_slug", "user_ids"},
			bases: []func() limitCall{fixed(f.manager, team+"/assignments", map[string]any{"module_slug": f.module, "due_at": inAWeek, "user_ids": []string{f.rep.ID}})}},
		// evidence.kind is a reference too: it decides which of id and text must be there, so each
		// base carries a consistent pair and only the kind's refusals are derived.
		"POST /api/v1/teams/{id}/recognitions": {ok: 201, refs: []string{"user_id", "evidence.id", "evidence.kind"},
			bases: []func() limitCall{
				fixed(f.manager, team+"/recognitions", map[string]any{"user_id": f.rep.ID, "message": "Great call.", "kind": "win",
					"competency": "social_awareness", "evidence": map[string]any{"kind": "note", "text": "Closed Acme."}}),
				fixed(f.manager, team+"/recognitions", map[string]any{"user_id": f.rep.ID, "message": "Your buyer felt heard.",
					"evidence": map[string]any{"kind": "pulse", "id": answeredPulse}}),
			}},

		"POST /api/v1/pulses": {ok: 201, bases: []func() limitCall{func() limitCall {
			return limitCall{who: nextPulseRep(), path: "/api/v1/pulses", body: map[string]any{"meeting": "Discovery call",
				"buyer_email": "buyer@example.com", "prediction": map[string]any{"clarity": 3, "understood": 4, "again": 5}}}
		}}},
		"POST /api/v1/pulse/{token}": {ok: 204, bases: []func() limitCall{func() limitCall {
			_, token := f.newPulse(nextPulseRep())
			return limitCall{path: "/api/v1/pulse/" + token, body: map[string]any{"clarity": 2, "understood": 3, "again": 4, "comment": "Clear and useful."}}
		}}},

		"PUT /api/v1/submissions/{id}/text": {ok: 204, bases: []func() limitCall{draftCall("/text", map[string]any{"text": "I would ask what changed."})}},
		"PUT /api/v1/submissions/{id}/self-review": {ok: 204, refs: []string{"scores.criterion_id"},
			bases: []func() limitCall{draftCall("/self-review", map[string]any{"scores": []any{map[string]any{"criterion_id": "a", "score": 3}},
				"note": "I rushed."})}},
		"PUT /api/v1/submissions/{id}/reviews/mine": {ok: 204, refs: []string{"scores.criterion_id"},
			bases: []func() limitCall{fixed(f.manager, submitted+"/reviews/mine", map[string]any{
				"scores":   []any{map[string]any{"criterion_id": "b", "score": 4}},
				"comments": []any{map[string]any{"at_seconds": 12.5, "text": "Good question."}}, "summary": "Solid."})}},
		"POST /api/v1/submissions/{id}/peer-reviewers": {ok: 201, refs: []string{"user_ids"},
			bases: []func() limitCall{fixed(f.rep, submitted+"/peer-reviewers", map[string]any{"user_ids": []any{f.rep2.ID}})}},

		"POST /api/v1/testing/clock": {ok: 200,
			bases: []func() limitCall{fixed(f.admin, "/api/v1/testing/clock", map[string]any{"advance_seconds": 60})}},
	}
}
