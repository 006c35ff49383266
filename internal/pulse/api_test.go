package pulse_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/app/apptest"
	"github.com/rapport-hq/rapport/internal/platform/db/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var guess = map[string]any{"clarity": 4, "understood": 3, "again": 5}

type created struct {
	ID        string    `json:"id"`
	Link      string    `json:"link"`
	ExpiresAt time.Time `json:"expires_at"`
}

func (c created) token() string { return c.Link[strings.LastIndex(c.Link, "/")+1:] }

func create(t *testing.T, a *apptest.App, u *apptest.User, body map[string]any) created {
	t.Helper()
	if body == nil {
		body = map[string]any{"meeting": "Discovery call with Acme", "prediction": guess}
	}
	var c created
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/pulses", Token: u.Token, Body: body}).Want(201).Decode(&c)
	return c
}

type list struct {
	Pulses []struct {
		ID       string `json:"id"`
		Status   string `json:"status"`
		Response *struct {
			Clarity int     `json:"clarity"`
			Comment *string `json:"comment"`
		} `json:"response"`
		Accuracy *struct {
			MeanAbsError float64 `json:"mean_abs_error"`
		} `json:"accuracy"`
	} `json:"pulses"`
	Summary struct {
		Responses    int      `json:"responses"`
		MeanAbsError *float64 `json:"mean_abs_error"`
	} `json:"summary"`
}

func mine(t *testing.T, a *apptest.App, u *apptest.User) list {
	t.Helper()
	var l list
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/pulses", Token: u.Token}).Want(200).Decode(&l)
	return l
}

// form posts the buyer's HTML form as a browser without JavaScript does.
func form(a *apptest.App, token string, v url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest("POST", "/p/"+token, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	a.Echo.ServeHTTP(rec, req)
	return rec
}

func TestPulseJourneyAndEveryStatus(t *testing.T) {
	a := apptest.New(t, nil)
	rep, other := a.NewUser(t, "rep", ""), a.NewUser(t, "other", "")
	p := create(t, a, rep, nil)
	if !strings.HasPrefix(p.Link, "http://rapport.test/p/") || len(p.token()) != 43 {
		t.Fatalf("link %q", p.Link)
	}
	if d := p.ExpiresAt.Sub(a.Now()); d < 14*24*time.Hour-time.Minute || d > 14*24*time.Hour {
		t.Fatalf("expires in %v", d)
	}
	var stored int
	if err := a.DB.Pool.QueryRow(context.Background(), `SELECT count(*) FROM pulses WHERE token_hash = convert_to($1, 'UTF8')`, p.token()).Scan(&stored); err != nil || stored != 0 {
		t.Fatalf("the token itself is stored (%d, %v)", stored, err)
	}

	// The buyer opens it (JSON and page), no account.
	pub := a.Do(apptest.Request{Method: "GET", Path: "/api/v1/pulse/" + p.token()}).Want(200).JSON()
	qs := pub["questions"].([]any)
	if pub["meeting"] != "Discovery call with Acme" || len(qs) != 3 ||
		!strings.Contains(qs[1].(map[string]any)["text"].(string), pub["rep_name"].(string)) {
		t.Fatalf("public %v", pub)
	}
	page := a.Do(apptest.Request{Method: "GET", Path: "/p/" + p.token()}).Want(200)
	html := page.Body.String()
	if len(page.Result().Cookies()) != 0 || page.Header().Get("Set-Cookie") != "" {
		t.Fatal("the buyer's page sets a cookie")
	}
	if csp := page.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'sha256-") || strings.Contains(csp, "script-src") && !strings.Contains(csp, "default-src 'none'") {
		t.Fatalf("csp %q", csp)
	}
	if len(html) > 50_000 || strings.Contains(html, "<script") || strings.Count(html, "<fieldset") != 3 || strings.Count(html, "<legend>") != 3 ||
		strings.Count(html, `type="radio"`) != 15 || !strings.Contains(html, `action="/p/`+p.token()+`"`) {
		t.Fatalf("page (%d bytes): %s", len(html), html)
	}

	// Bad values: 422 naming the fields; a long comment 422.
	ans := func(body any) *apptest.Response {
		return a.Do(apptest.Request{Method: "POST", Path: "/api/v1/pulse/" + p.token(), Body: body})
	}
	bad := ans(map[string]any{"clarity": 0, "understood": 6, "again": 3}).Want(422).Body.String()
	if !strings.Contains(bad, `"clarity"`) || !strings.Contains(bad, `"understood"`) {
		t.Fatalf("422 %s", bad)
	}
	ans(map[string]any{"clarity": 3, "understood": 3, "again": 3, "comment": strings.Repeat("x", 1001)}).Want(422)

	// A comment with markup stays text.
	markup := `<img src=x onerror=alert(1)> <b>great</b>`
	ans(map[string]any{"clarity": 5, "understood": 2, "again": 5, "comment": markup}).Want(204)
	ans(map[string]any{"clarity": 5, "understood": 2, "again": 5}).Want(409)
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/pulse/" + p.token()}).Want(409)
	if r := a.Do(apptest.Request{Method: "GET", Path: "/p/" + p.token()}); r.Code != 409 || !strings.Contains(r.Body.String(), "already answered") {
		t.Fatalf("answered page %d", r.Code)
	}
	l := mine(t, a, rep)
	if len(l.Pulses) != 1 || l.Pulses[0].Status != "answered" || l.Pulses[0].Response == nil || *l.Pulses[0].Response.Comment != markup ||
		l.Pulses[0].Accuracy == nil || l.Pulses[0].Accuracy.MeanAbsError != 0.67 || l.Summary.Responses != 1 {
		t.Fatalf("list %+v", l)
	}

	// Unknown: 404 (JSON and page, malformed or well-formed tokens).
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/pulse/nope"}).Want(404)
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/pulse/" + strings.Repeat("A", 43), Body: guess}).Want(404)
	if r := a.Do(apptest.Request{Method: "GET", Path: "/p/" + strings.Repeat("A", 43)}); r.Code != 404 || !strings.Contains(r.Body.String(), "couldn’t find") {
		t.Fatalf("unknown page %d", r.Code)
	}

	// Another rep cannot see or delete it.
	if len(mine(t, a, other).Pulses) != 0 {
		t.Fatal("another rep sees the pulse")
	}
	a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/pulses/" + p.ID, Token: other.Token}).Want(404)
	a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/pulses/" + p.ID, Token: rep.Token}).Want(204)
	a.Do(apptest.Request{Method: "DELETE", Path: "/api/v1/pulses/" + p.ID, Token: rep.Token}).Want(404)
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/pulse/" + p.token()}).Want(404)

	// Expired after 14 days: 410.
	late := create(t, a, rep, nil)
	a.Advance(14*24*time.Hour + time.Second)
	a.Login(t, rep, apptest.Password)
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/pulse/" + late.token()}).Want(410)
	a.Do(apptest.Request{Method: "POST", Path: "/api/v1/pulse/" + late.token(), Body: guess}).Want(410)
	if r := a.Do(apptest.Request{Method: "GET", Path: "/p/" + late.token()}); r.Code != 410 || !strings.Contains(r.Body.String(), "expired") {
		t.Fatalf("expired page %d", r.Code)
	}
	if l := mine(t, a, rep); l.Pulses[0].Status != "expired" {
		t.Fatalf("status %s", l.Pulses[0].Status)
	}
}

func TestPulseFormWithoutJavaScript(t *testing.T) {
	a := apptest.New(t, nil)
	rep := a.NewUser(t, "rep", "")
	p := create(t, a, rep, nil)
	markup := `</textarea><script>alert("x")</script>`
	r := form(a, p.token(), url.Values{"clarity": {"4"}, "understood": {"9"}, "comment": {markup}})
	body := r.Body.String()
	if r.Code != 422 || strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;/textarea&gt;&lt;script&gt;") ||
		!strings.Contains(body, `id="understood-err"`) || !strings.Contains(body, `id="again-err"`) ||
		!strings.Contains(body, `value="4" required checked`) {
		t.Fatalf("422 form %d: %s", r.Code, body)
	}
	r = form(a, p.token(), url.Values{"clarity": {"4"}, "understood": {"5"}, "again": {"3"}, "comment": {markup}})
	if r.Code != 200 || !strings.Contains(r.Body.String(), "Thank you") || len(r.Result().Cookies()) != 0 {
		t.Fatalf("thanks %d: %s", r.Code, r.Body.String())
	}
	if r := form(a, p.token(), url.Values{"clarity": {"4"}, "understood": {"5"}, "again": {"3"}}); r.Code != 409 {
		t.Fatalf("second answer %d", r.Code)
	}
	if l := mine(t, a, rep); *l.Pulses[0].Response.Comment != markup {
		t.Fatalf("comment %q", *l.Pulses[0].Response.Comment)
	}
}

func TestPulseLimits(t *testing.T) {
	a := apptest.New(t, nil)
	rep := a.NewUser(t, "rep", "")
	for i := 0; i < 20; i++ {
		create(t, a, rep, nil)
	}
	r := a.Do(apptest.Request{Method: "POST", Path: "/api/v1/pulses", Token: rep.Token,
		Body: map[string]any{"meeting": "One more", "prediction": guess}}).Want(429)
	if ra := r.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Fatalf("Retry-After %q", ra)
	}

	// A storm from one address: the public routes answer 429 with Retry-After, JSON and page.
	var last *apptest.Response
	for i := 0; i < 61; i++ {
		last = a.Do(apptest.Request{Method: "GET", Path: "/api/v1/pulse/" + strings.Repeat("B", 43)})
	}
	if last.Code != http.StatusTooManyRequests || last.Header().Get("Retry-After") == "" {
		t.Fatalf("storm: %d %q", last.Code, last.Header().Get("Retry-After"))
	}
	if r := a.Do(apptest.Request{Method: "GET", Path: "/p/" + strings.Repeat("B", 43)}); r.Code != 429 || r.Header().Get("Retry-After") == "" {
		t.Fatalf("page storm: %d", r.Code)
	}
	// Another address is not affected.
	req := httptest.NewRequest("GET", "/api/v1/pulse/"+strings.Repeat("B", 43), nil)
	req.RemoteAddr = "198.51.100.7:4000"
	rec := httptest.NewRecorder()
	a.Echo.ServeHTTP(rec, req)
	if rec.Code != 404 {
		t.Fatalf("other address: %d", rec.Code)
	}
	a.Advance(time.Minute)
	a.Do(apptest.Request{Method: "GET", Path: "/api/v1/pulse/" + strings.Repeat("B", 43)}).Want(404)
}

// TestPulseAddressNotKept: the buyer's address travels only in the invitation job, and once the
// mail is sent the job's arguments hold neither the address nor the link.
func TestPulseAddressNotKept(t *testing.T) {
	a := apptest.New(t, nil)
	rep := a.NewUser(t, "rep", "")
	addr := "buyer-" + strings.ToLower(rep.ID[:8]) + "@example.com"
	p := create(t, a, rep, map[string]any{"meeting": "Pricing review", "buyer_email": addr, "prediction": guess})
	ctx := context.Background()
	var state, args string
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := a.DB.Pool.QueryRow(ctx, `SELECT state::text, args::text FROM river_job WHERE kind = 'pulse_invite' AND args->>'pulse_id' = $1`, p.ID).Scan(&state, &args)
		if err != nil {
			t.Fatalf("the invitation job: %v", err)
		}
		if state == "completed" || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if state != "completed" || strings.Contains(args, addr) || strings.Contains(args, p.token()) {
		t.Fatalf("job %s keeps %s", state, args)
	}
	var n int
	if err := a.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE args::text LIKE '%' || $1 || '%'`, addr).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d jobs still hold the address (%v)", n, err)
	}
	var cols int
	if err := a.DB.Pool.QueryRow(ctx, `SELECT count(*) FROM pulses WHERE id = $1 AND row_to_json(pulses)::text LIKE '%' || $2 || '%'`, p.ID, addr).Scan(&cols); err != nil || cols != 0 {
		t.Fatalf("the pulse row holds the address (%v)", err)
	}
}
