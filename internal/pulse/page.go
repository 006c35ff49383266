package pulse

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// The buyer's page is the product's most public surface: a phone on a slow network, someone who
// owes the rep nothing. So it is one small server-rendered document (no script, no font, no
// image, no cookie), the CSS inline and allowed by its hash, and a plain form POST that works
// with JavaScript off.

// pageCSS is the page's only style; pageCSP allows exactly it and nothing else.
const pageCSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f4f5f7}` +
	`main{max-width:36rem;margin:0 auto;padding:1.25rem 1rem 3rem}h1{font-size:1.4rem;line-height:1.3;margin:.5rem 0 .75rem}` +
	`.brand{font-weight:700;color:#0f5c55;letter-spacing:.02em}.card{background:#fff;border:1px solid #d9dce3;border-radius:12px;padding:1.25rem;margin-top:1rem}` +
	`fieldset{border:0;margin:0 0 1.5rem;padding:0}legend{font-weight:600;margin-bottom:.5rem;padding:0}` +
	`.scale{display:flex;gap:.4rem}.scale label{flex:1;position:relative}.scale input{position:absolute;opacity:0;inset:0;width:100%;height:100%;margin:0;cursor:pointer}` +
	`.scale input+span{display:block;text-align:center;padding:.65rem 0;border:2px solid #8a93a6;border-radius:8px;font-weight:600;background:#fff}` +
	`.scale input:checked+span{background:#0f5c55;border-color:#0f5c55;color:#fff}.scale input:focus-visible+span{outline:3px solid #1d4ed8;outline-offset:2px}` +
	`.ends{display:flex;justify-content:space-between;font-size:.85rem;color:#4a5163;margin-top:.25rem}` +
	`label.block{display:block;font-weight:600;margin-bottom:.35rem}textarea{width:100%;min-height:6rem;font:inherit;padding:.6rem;border:2px solid #8a93a6;border-radius:8px}` +
	`textarea:focus,button:focus-visible{outline:3px solid #1d4ed8;outline-offset:2px}.hint{font-size:.85rem;color:#4a5163;margin:.25rem 0 0}` +
	`button{width:100%;margin-top:1.25rem;padding:.85rem;font:inherit;font-weight:700;color:#fff;background:#0f5c55;border:0;border-radius:8px;cursor:pointer}` +
	`.err{color:#a11d1d;font-weight:600;margin:.25rem 0 0}.summary{border:2px solid #a11d1d;border-radius:8px;padding:.75rem 1rem;background:#fff5f5}` +
	`.summary h2{font-size:1rem;margin:0 0 .25rem}.summary ul{margin:0;padding-left:1.25rem}.summary a{color:#a11d1d}footer{font-size:.8rem;color:#4a5163;margin-top:2rem}` +
	// .sr names a scale's end for screen readers inside the choice; visually hidden.
	`.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}`

var pageCSP = func() string {
	h := sha256.Sum256([]byte(pageCSS))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'; " +
		"form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
}()

var pageT = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><meta name="description" content="A one-minute question about a recent conversation.">
<title>{{.Title}}</title><style>{{.CSS}}</style></head>
<body><main>
<div class="brand" aria-hidden="true">Rapport</div>
{{if .Form}}<h1>How did “{{.Meeting}}” go for you?</h1>
<p>{{.RepName}} asks for your honest view of this conversation so they can serve you better — three questions, about a minute, no account needed. Your answers go to {{.RepName}} only.</p>
{{if .Errors}}<div class="summary" role="alert" aria-labelledby="errh"><h2 id="errh">Please check your answers</h2><ul>{{range .Errors}}<li><a href="#{{.Anchor}}">{{.Message}}</a></li>{{end}}</ul></div>{{end}}
<form class="card" method="post" action="/p/{{.Token}}" novalidate>
{{range .Questions}}<fieldset id="{{.ID}}"{{if .Error}} aria-describedby="{{.ID}}-err"{{end}}>
<legend>{{.Text}}</legend>
<div class="scale">{{$q := .}}{{range .Values}}<label><input type="radio" name="{{$q.ID}}" value="{{.}}" required{{if eq . $q.Chosen}} checked{{end}}{{if $q.Error}} aria-invalid="true"{{end}}><span>{{.}}<span class="sr">{{if eq . 1}} – {{$q.Low}}{{else if eq . 5}} – {{$q.High}}{{end}}</span></span></label>{{end}}</div>
<div class="ends" aria-hidden="true"><span>1 · {{.Low}}</span><span>5 · {{.High}}</span></div>
{{if .Error}}<p class="err" id="{{.ID}}-err">{{.Error}}</p>{{end}}
</fieldset>
{{end}}<label class="block" for="comment">Anything you’d like {{.RepName}} to know? (optional)</label>
<textarea id="comment" name="comment" maxlength="1000" aria-describedby="comment-hint{{if .CommentError}} comment-err{{end}}"{{if .CommentError}} aria-invalid="true"{{end}}>{{.Comment}}</textarea>
<p class="hint" id="comment-hint">Up to 1,000 characters.</p>
{{if .CommentError}}<p class="err" id="comment-err">{{.CommentError}}</p>{{end}}
<button type="submit">Send my answers</button>
</form>
{{else}}<h1>{{.Heading}}</h1>
<div class="card"><p>{{.Message}}</p></div>
{{end}}<footer>Rapport helps sales teams build better relationships with their customers. This page sets no cookies.</footer>
</main></body></html>
`))

type pageQuestion struct {
	ID, Text, Low, High, Error string
	Values                     []int
	Chosen                     int
}

type pageError struct{ Anchor, Message string }

type pageData struct {
	Title                   string
	CSS                     template.CSS
	Form                    bool
	Token, RepName, Meeting string
	Questions               []pageQuestion
	Comment, CommentError   string
	Errors                  []pageError
	Heading, Message        string
}

// PageRoutes mounts the buyer's page on the site's root: GET shows the form, POST records it.
func (h *Handler) PageRoutes(e *echo.Echo) {
	e.GET("/p/:token", h.handlePage)
	e.POST("/p/:token", h.handlePagePost)
}

func (h *Handler) handlePage(c echo.Context) error {
	if ok, retry := h.limit.Allow(c.RealIP()); !ok {
		return h.tooMany(c, retry)
	}
	p, err := h.svc.Open(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.closed(c, err)
	}
	return h.form(c, http.StatusOK, p, c.Param("token"), AnswerInput{}, nil)
}

func (h *Handler) handlePagePost(c echo.Context) error {
	if ok, retry := h.limit.Allow(c.RealIP()); !ok {
		return h.tooMany(c, retry)
	}
	token := c.Param("token")
	r := c.Request()
	in := AnswerInput{Scores: Scores{formInt(r, QClarity), formInt(r, QUnderstood), formInt(r, QAgain)},
		Comment: r.PostFormValue("comment")}
	err := h.svc.Answer(r.Context(), token, in)
	if apperr.Is(err, apperr.Invalid) {
		p, oerr := h.svc.Open(r.Context(), token)
		if oerr != nil {
			return h.closed(c, oerr)
		}
		var ae *apperr.Error
		if e, ok := err.(*apperr.Error); ok {
			ae = e
		}
		return h.form(c, http.StatusUnprocessableEntity, p, token, in, ae)
	}
	if err != nil {
		return h.closed(c, err)
	}
	return h.page(c, http.StatusOK, pageData{Title: "Thank you", Heading: "Thank you — your answers are on their way",
		Message: "Your view helps them understand what worked for you and what could be better. You can close this page now."})
}

// formInt reads a 1-5 form value; anything else is 0, which validation names.
func formInt(r *http.Request, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(r.PostFormValue(name)))
	if err != nil {
		return 0
	}
	return n
}

func (h *Handler) form(c echo.Context, status int, p Pulse, token string, in AnswerInput, verr *apperr.Error) error {
	d := pageData{Title: "A minute about “" + p.Meeting + "”", Form: true, Token: token, RepName: p.RepName, Meeting: p.Meeting,
		Comment: in.Comment}
	byField := map[string]string{}
	if verr != nil {
		for _, f := range verr.Fields {
			byField[f.Field] = f.Message
		}
		d.Title = "Please check your answers – " + d.Title
	}
	for _, q := range Questions {
		low, high := Scale(q)
		pq := pageQuestion{ID: q, Text: QuestionText(q, p.RepName), Low: low, High: high, Error: byField[q],
			Values: []int{1, 2, 3, 4, 5}, Chosen: in.Get(q)}
		if pq.Error != "" {
			d.Errors = append(d.Errors, pageError{Anchor: q, Message: pq.Text + " " + pq.Error})
		}
		d.Questions = append(d.Questions, pq)
	}
	if m := byField["comment"]; m != "" {
		d.CommentError = m
		d.Errors = append(d.Errors, pageError{Anchor: "comment", Message: m})
	}
	return h.page(c, status, d)
}

// closed renders the page of a pulse that cannot be answered, with the status the JSON API uses.
func (h *Handler) closed(c echo.Context, err error) error {
	switch {
	case apperr.Is(err, apperr.NotFound):
		return h.page(c, http.StatusNotFound, pageData{Title: "Link not found", Heading: "We couldn’t find this page",
			Message: "This feedback link isn’t valid. If you copied it from an e-mail, please check that the whole link was copied."})
	case apperr.Is(err, apperr.Conflict):
		return h.page(c, http.StatusConflict, pageData{Title: "Already answered", Heading: "You’ve already answered — thank you",
			Message: "Your answers were received. There is nothing more to do, and you can close this page."})
	case apperr.Is(err, apperr.Gone):
		return h.page(c, http.StatusGone, pageData{Title: "Link expired", Heading: "This feedback link has expired",
			Message: "Feedback links stay open for 14 days. Thank you for taking a look all the same."})
	}
	if apperr.KindOf(err) == apperr.Unavailable {
		return h.page(c, http.StatusServiceUnavailable, pageData{Title: "Please try again", Heading: "We can’t take your answers right now",
			Message: "Something is briefly unavailable on our side. Please go back and send your answers again in a moment."})
	}
	return err
}

func (h *Handler) tooMany(c echo.Context, retry int) error {
	c.Response().Header().Set("Retry-After", strconv.Itoa(retry))
	return h.page(c, http.StatusTooManyRequests, pageData{Title: "Please wait a moment", Heading: "Please wait a moment",
		Message: "We received many requests from your network just now. Please try again in a minute."})
}

func (h *Handler) page(c echo.Context, status int, d pageData) error {
	d.CSS = template.CSS(pageCSS)
	var b bytes.Buffer
	if err := pageT.Execute(&b, d); err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set("Content-Security-Policy", pageCSP)
	// The URL carries the token: never send it onwards, never cache or index the page.
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Robots-Tag", "noindex")
	return c.HTMLBlob(status, b.Bytes())
}
