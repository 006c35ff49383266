package app_test

import (
	"strings"
	"testing"
	"time"
)

// who names the callers a route admits.
type who string

const (
	// public: anyone, signed in or not.
	public who = "public"
	// cookie: the holder of a refresh cookie (no bearer token).
	cookie who = "cookie"
	// user: any signed-in account; the route only ever touches the caller's own data.
	user who = "user"
	// instructor: the instructor or the admin role.
	instructor who = "instructor"
	// admin: the admin role.
	admin who = "admin"
	// teamMember: a member of the team in the path, or an admin; others get 404.
	teamMember who = "team-member"
	// teamManager: a manager of the team in the path, or an admin; members get 403, others 404.
	teamManager who = "team-manager"
	// owner: the signed-in owner of the resource in the path; anyone else gets 404.
	owner who = "owner"
	// coach: a manager of any team, an instructor or an admin; a learner who manages no team gets
	// 404 (coaching guides are not revealed to them).
	coach who = "coach"
	// sharer: a practice submission's owner, the managers of a team where the owner holds a seat
	// and invited peers; anyone else gets 404 (the owner's teammates who were not invited too).
	sharer who = "sharer"
	// signed: a file link that carries its own expiring signature; without a valid one, 404 for
	// everyone (signed in or not).
	signed who = "signed"
	// gated: media.Gate decides; instructors and admins get any file, others only what the lessons
	// using it allow (a file in no lesson: 404 for everyone else, anonymous included).
	gated who = "gated"
)

// rule is a matrix entry: who may call, and a valid body so that a refused caller is refused by
// the access check, not by validation that runs before it.
type rule struct {
	who  who
	body func(f *accessFixture) any
}

func fixed(v any) func(*accessFixture) any { return func(*accessFixture) any { return v } }

// accessMatrix lists every route of the router. A route without an entry fails
// TestAccessMatrix, so nobody adds a route without deciding who may call it.
var accessMatrix = map[string]rule{
	"GET /":                      {who: public},
	"HEAD /":                     {who: public},
	"GET /healthz":               {who: public},
	"GET /readyz":                {who: public},
	"GET /metrics":               {who: public},
	"GET /api/v1/openapi.json":   {who: public},
	"GET /robots.txt":            {who: public},
	"GET /sitemap.xml":           {who: public},
	"GET /api/v1/modules":        {who: public},
	"GET /api/v1/modules/{slug}": {who: public},
	"GET /api/v1/modules/{slug}/lessons/{lesson}": {who: public},
	"GET /api/v1/modules/{slug}/coaching":         {who: coach},
	"GET /api/v1/plans":                           {who: public},
	"GET /api/v1/certificates/{code}":             {who: public},
	"GET /api/v1/invites/{token}":                 {who: public},
	"POST /api/v1/billing/webhook":                {who: public},
	"POST /api/v1/auth/register":                  {who: public},
	"POST /api/v1/auth/login":                     {who: public},
	"POST /api/v1/auth/logout":                    {who: public},
	"POST /api/v1/auth/password/forgot":           {who: public},
	"POST /api/v1/auth/password/reset":            {who: public},
	"POST /api/v1/auth/verify-email":              {who: public},
	"POST /api/v1/auth/refresh":                   {who: cookie},

	// Buyer Pulse: the buyer's page and its JSON twin need no account (rate-limited per address).
	"GET /api/v1/pulse/{token}":  {who: public},
	"POST /api/v1/pulse/{token}": {who: public},
	"GET /p/{token}":             {who: public},
	"POST /p/{token}":            {who: public},
	"GET /api/v1/pulses":         {who: user},
	"POST /api/v1/pulses": {who: user, body: fixed(map[string]any{"meeting": "Demo",
		"prediction": map[string]int{"clarity": 3, "understood": 3, "again": 3}})},
	"DELETE /api/v1/pulses/{id}": {who: owner},

	// Practice: activities are public to list and (the free one) to open; a submission is its
	// owner's, shared with the owner's managers and invited peers; files go by signed links.
	"GET /api/v1/practice":                              {who: public},
	"GET /api/v1/practice/{slug}":                       {who: public},
	"POST /api/v1/practice/{slug}/submissions":          {who: user},
	"GET /api/v1/practice/{slug}/submissions":           {who: user},
	"GET /api/v1/reviews/queue":                         {who: user},
	"GET /api/v1/submissions/{id}":                      {who: sharer},
	"DELETE /api/v1/submissions/{id}":                   {who: sharer},
	"PUT /api/v1/submissions/{id}/recording":            {who: sharer},
	"PUT /api/v1/submissions/{id}/text":                 {who: sharer, body: fixed(map[string]string{"text": "My answer."})},
	"PUT /api/v1/submissions/{id}/self-review":          {who: sharer, body: fixed(map[string]any{"scores": []any{}})},
	"POST /api/v1/submissions/{id}/submit":              {who: sharer},
	"PUT /api/v1/submissions/{id}/reviews/mine":         {who: sharer, body: fixed(map[string]any{"scores": []any{}})},
	"POST /api/v1/submissions/{id}/reviews/mine/submit": {who: sharer},
	"POST /api/v1/submissions/{id}/peer-reviewers": {who: sharer, body: func(f *accessFixture) any {
		return map[string]any{"user_ids": []string{f.rep2.ID}}
	}},
	"GET /recordings/{id}":     {who: signed},
	"GET /practice-media/{id}": {who: signed},

	"POST /api/v1/auth/logout-all":             {who: user},
	"POST /api/v1/auth/verify-email/resend":    {who: user},
	"GET /api/v1/me":                           {who: user},
	"PATCH /api/v1/me":                         {who: user, body: fixed(map[string]any{"weekly_reminders": true})},
	"PUT /api/v1/me/password":                  {who: user, body: fixed(map[string]string{"current_password": "x", "new_password": "long enough password"})},
	"GET /api/v1/me/skills":                    {who: user},
	"GET /api/v1/me/subscription":              {who: user},
	"GET /api/v1/me/assignments":               {who: user},
	"GET /api/v1/me/recognitions":              {who: user},
	"GET /api/v1/me/export":                    {who: user},
	"DELETE /api/v1/me":                        {who: user, body: fixed(map[string]string{"password": "not the password"})},
	"GET /api/v1/assessments":                  {who: user},
	"POST /api/v1/assessments/{slug}/attempts": {who: user},
	"PUT /api/v1/progress/lessons/{lesson_id}": {who: user, body: fixed(map[string]string{"status": "started"})},
	"GET /api/v1/progress":                     {who: user},
	"PUT /api/v1/progress/goal":                {who: user, body: fixed(map[string]int{"goal_minutes": 20})},
	"POST /api/v1/checks/{id}/answers":         {who: user, body: fixed(map[string]any{"option_id": "a", "seconds": 20})},
	"GET /api/v1/review":                       {who: user},
	"GET /api/v1/certificates":                 {who: user},
	"POST /api/v1/billing/checkout":            {who: user, body: fixed(map[string]string{"plan_id": "individual-monthly"})},
	"POST /api/v1/billing/portal":              {who: user},
	"GET /api/v1/teams":                        {who: user},
	"POST /api/v1/teams":                       {who: user, body: fixed(map[string]string{"name": "Anyone's team"})},
	"POST /api/v1/invites/{token}/accept":      {who: user},

	"GET /api/v1/attempts/{id}":                  {who: owner},
	"PUT /api/v1/attempts/{id}/responses/{item}": {who: owner, body: fixed(map[string]int{"value": 3})},
	"POST /api/v1/attempts/{id}/submit":          {who: owner},

	"GET /api/v1/studio/modules":                            {who: instructor},
	"POST /api/v1/studio/modules":                           {who: instructor},
	"GET /api/v1/studio/modules/{slug}":                     {who: instructor},
	"PUT /api/v1/studio/modules/{slug}":                     {who: instructor},
	"POST /api/v1/studio/modules/{slug}/lessons":            {who: instructor},
	"GET /api/v1/studio/modules/{slug}/lessons/{lesson}":    {who: instructor},
	"PUT /api/v1/studio/modules/{slug}/lessons/{lesson}":    {who: instructor},
	"DELETE /api/v1/studio/modules/{slug}/lessons/{lesson}": {who: instructor},
	"POST /api/v1/studio/modules/{slug}/publish":            {who: instructor},
	"POST /api/v1/studio/modules/{slug}/unpublish":          {who: instructor},
	"GET /api/v1/studio/modules/{slug}/versions":            {who: instructor},
	"GET /api/v1/studio/modules/{slug}/versions/{version}":  {who: instructor},
	"POST /api/v1/studio/preview":                           {who: instructor},
	"GET /api/v1/studio/assessments/{slug}/stats":           {who: instructor},
	"GET /api/v1/studio/assessments/{slug}/responses.csv":   {who: instructor},

	// Practice activities in the Studio; the bodies are valid so refusals come from the role check.
	"GET /api/v1/studio/practice":          {who: instructor},
	"POST /api/v1/studio/practice":         {who: instructor, body: func(*accessFixture) any { return studioPracticeBody("acl-studio-" + randomHex(3)) }},
	"POST /api/v1/studio/practice/preview": {who: instructor, body: fixed(map[string]string{"markdown": "## The situation"})},
	"GET /api/v1/studio/practice/{slug}":   {who: instructor},
	"PUT /api/v1/studio/practice/{slug}":   {who: instructor, body: func(*accessFixture) any { return studioPracticeUpdate() }},

	"POST /api/v1/studio/media":        {who: instructor},
	"GET /api/v1/studio/media":         {who: instructor},
	"GET /api/v1/studio/media/{id}":    {who: instructor},
	"PATCH /api/v1/studio/media/{id}":  {who: instructor, body: fixed(map[string]string{"alt": "A diagram"})},
	"DELETE /api/v1/studio/media/{id}": {who: instructor},
	// Learners start uploads only for their own practice drafts (metadata submission_id); an
	// upload is reachable by the user who started it alone.
	"POST /api/v1/uploads/":       {who: instructor},
	"HEAD /api/v1/uploads/{id}":   {who: owner},
	"PATCH /api/v1/uploads/{id}":  {who: owner},
	"DELETE /api/v1/uploads/{id}": {who: owner},
	"GET /media/{id}":             {who: gated},
	"HEAD /media/{id}":            {who: gated},

	"GET /api/v1/admin/users":            {who: admin},
	"PUT /api/v1/admin/users/{id}/roles": {who: admin},
	"DELETE /api/v1/admin/users/{id}":    {who: admin},
	"GET /api/v1/admin/grants":           {who: admin},
	"GET /api/v1/admin/teams":            {who: admin},
	"POST /api/v1/admin/grants":          {who: admin},
	"DELETE /api/v1/admin/grants/{id}":   {who: admin},
	"GET /api/v1/admin/billing/events":   {who: admin},
	"POST /api/v1/testing/clock":         {who: admin, body: fixed(map[string]int{"advance_seconds": 1})},

	"GET /api/v1/teams/{id}":              {who: teamMember},
	"GET /api/v1/teams/{id}/recognitions": {who: teamMember},
	"POST /api/v1/teams/{id}/recognitions": {who: teamMember, body: func(f *accessFixture) any {
		return map[string]string{"user_id": f.rep2.ID, "message": "Nice work."}
	}},
	"PATCH /api/v1/teams/{id}":                           {who: teamManager, body: fixed(map[string]string{"name": "Renamed"})},
	"GET /api/v1/teams/{id}/members/{user_id}":           {who: teamManager},
	"PATCH /api/v1/teams/{id}/members/{user_id}":         {who: teamManager, body: fixed(map[string]string{"role": "manager"})},
	"DELETE /api/v1/teams/{id}/members/{user_id}":        {who: teamManager},
	"POST /api/v1/teams/{id}/invites":                    {who: teamManager, body: fixed(map[string]any{"emails": []string{"new-rep@example.com"}})},
	"GET /api/v1/teams/{id}/invites":                     {who: teamManager},
	"POST /api/v1/teams/{id}/invites/{invite_id}/resend": {who: teamManager},
	"DELETE /api/v1/teams/{id}/invites/{invite_id}":      {who: teamManager},
	"GET /api/v1/teams/{id}/report":                      {who: teamManager},
	"GET /api/v1/teams/{id}/prompts":                     {who: teamManager},
	"GET /api/v1/teams/{id}/recognition-gaps":            {who: teamManager},
	"GET /api/v1/teams/{id}/assignments":                 {who: teamManager},
	"POST /api/v1/teams/{id}/assignments": {who: teamManager, body: func(f *accessFixture) any {
		return map[string]any{"module_slug": f.module, "due_at": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339),
			"user_ids": []string{f.rep2.ID}}
	}},
}

// TestAccessMatrix checks every route against its matrix entry with real ids: anonymous callers
// get 401 on everything not public; a plain learner gets 403 on instructor and admin routes and
// 404 on teams they are not in and on others' attempts; a team member gets 403 on manager
// routes; public routes answer anonymously; and every caller a GET admits gets 2xx. Every
// exchange is validated against the OpenAPI document too.
func TestAccessMatrix(t *testing.T) {
	f := newAccessFixture(t)
	routes := routerOps(f.App)
	inRouter := map[string]bool{}
	for _, op := range routes {
		inRouter[op] = true
		if _, ok := accessMatrix[op]; !ok {
			t.Errorf("route %s has no entry in the access matrix (internal/app/access_test.go)", op)
		}
	}
	for op := range accessMatrix {
		if !inRouter[op] {
			t.Errorf("the access matrix lists %s, which the router does not have", op)
		}
	}
	for _, op := range routes {
		r, ok := accessMatrix[op]
		if !ok {
			continue
		}
		method, route, _ := strings.Cut(op, " ")
		path := f.path(route)
		var body any
		if r.body != nil {
			body = r.body(f)
		}
		expect := func(as string, u *account, want int) {
			t.Helper()
			if got := f.status(u, method, path, body); got != want {
				t.Errorf("%s as %s: status %d, want %d", op, as, got, want)
			}
		}
		switch r.who {
		case public:
			if got := f.status(nil, method, path, nil); got == 401 || got == 403 || got >= 500 {
				t.Errorf("%s is public but answers %d anonymously", op, got)
			}
		case gated, signed:
			expect("anonymous", nil, 404)
		case cookie:
			expect("anonymous", nil, 401)
			if got := f.refresh(); got != 200 {
				t.Errorf("%s with a refresh cookie: status %d, want 200", op, got)
			}
		default:
			expect("anonymous", nil, 401)
		}
		switch r.who {
		case instructor:
			expect("a learner", f.learner, 403)
		case admin:
			expect("a learner", f.learner, 403)
			expect("an instructor", f.instructor, 403)
		case teamMember:
			expect("a learner outside the team", f.learner, 404)
		case teamManager:
			expect("a learner outside the team", f.learner, 404)
			expect("a team member", f.rep, 403)
		case owner:
			expect("another learner", f.learner, 404)
		case coach:
			expect("a learner who manages no team", f.learner, 404)
			expect("a team member", f.rep, 404)
		case gated, signed:
			expect("a learner", f.learner, 404)
		case sharer:
			expect("a learner outside the team", f.learner, 404)
		}
		if method == "GET" {
			for as, u := range f.admitted(r.who) {
				if got := f.status(u, method, path, nil); got < 200 || got > 299 {
					t.Errorf("%s as %s (admitted): status %d, want 2xx", op, as, got)
				}
			}
		}
	}
}

// admitted names callers a rule lets in (nil: anonymous).
func (f *accessFixture) admitted(w who) map[string]*account {
	switch w {
	case public:
		return map[string]*account{"anonymous": nil, "a learner": f.learner}
	case user:
		return map[string]*account{"a learner": f.learner}
	case instructor:
		return map[string]*account{"an instructor": f.instructor, "an admin": f.admin}
	case admin:
		return map[string]*account{"an admin": f.admin}
	case teamMember:
		return map[string]*account{"a team member": f.rep, "the manager": f.manager, "an admin": f.admin}
	case teamManager:
		return map[string]*account{"the manager": f.manager, "an admin": f.admin}
	case owner:
		return map[string]*account{"the owner": f.rep}
	case coach:
		return map[string]*account{"a team manager": f.manager, "an instructor": f.instructor, "an admin": f.admin}
	case gated:
		return map[string]*account{"an instructor": f.instructor, "an admin": f.admin}
	case sharer:
		return map[string]*account{"the owner": f.rep, "the owner's manager": f.manager}
	}
	return nil
}
