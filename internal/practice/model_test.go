package practice

import (
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

func rubric() Rubric {
	c := func(id, comp string) Criterion {
		return Criterion{ID: id, Competency: comp, Criterion: "Does " + id, Anchors: Anchors{"No", "Some", "Yes"}}
	}
	return Rubric{c("listens", "social_awareness"), c("asks", "job_diagnosis"), c("closes", "job_diagnosis")}
}

func fields(err error) []string {
	var out []string
	var ae *apperr.Error
	if e, ok := err.(*apperr.Error); ok {
		ae = e
	}
	if ae == nil {
		return nil
	}
	for _, f := range ae.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestActivityValidate(t *testing.T) {
	ok := Activity{Slug: "a-b", Title: "T", Competencies: []string{"social_awareness", "job_diagnosis"}, Kind: KindVideo,
		Brief: "Do it.", TimeLimitSeconds: 30, Rubric: rubric()}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid activity refused: %v", err)
	}
	bad := ok
	bad.Slug, bad.Kind, bad.TimeLimitSeconds, bad.Rubric = "A B", "podcast", 601, rubric()[:2]
	bad.Competencies = []string{"social_awareness", "charisma"}
	got := strings.Join(fields(bad.Validate()), " ")
	for _, want := range []string{"slug", "kind", "time_limit_seconds", "rubric", "competencies[1]", "rubric[1].competency"} {
		if !strings.Contains(" "+got+" ", " "+want+" ") {
			t.Errorf("fields %q lack %q", got, want)
		}
	}
}

func TestScoresAndSubmit(t *testing.T) {
	r := rubric()
	if err := (SelfReview{Scores: []Score{{"listens", 6}, {"nope", 3}, {"asks", 2}, {"asks", 2}}}).Validate(r); err == nil {
		t.Fatal("bad self-review accepted")
	} else if got := strings.Join(fields(err), " "); got != "scores[0].score scores[1].criterion_id scores" {
		t.Errorf("self-review fields: %q", got)
	}
	a := Activity{Kind: KindAudio, Rubric: r}
	sub := Submission{Status: StatusDraft, SelfReview: &SelfReview{Scores: []Score{{"listens", 3}}}}
	if got := strings.Join(fields(sub.CheckSubmit(a)), " "); got != "recording self_review.scores.asks self_review.scores.closes" {
		t.Errorf("submit fields: %q", got)
	}
	sub.Text = "Written instead."
	sub.SelfReview.Scores = []Score{{"listens", 3}, {"asks", 4}, {"closes", 5}}
	if err := sub.CheckSubmit(a); err != nil {
		t.Errorf("complete draft refused: %v", err)
	}
	sub.Status = StatusSubmitted
	if !apperr.Is(sub.CheckSubmit(a), apperr.Conflict) {
		t.Error("a second submit is not a conflict")
	}
	at := 4000.0
	d := ReviewDraft{Comments: []Comment{{AtSeconds: &at, Text: " "}}}.Normalize()
	if got := strings.Join(fields(d.Validate(r)), " "); got != "comments[0].text comments[0].at_seconds" {
		t.Errorf("review fields: %q", got)
	}
}

// TestVisible is the blind-review rule for every kind of viewer.
func TestVisible(t *testing.T) {
	now := time.Now()
	mgr, peer, mgr2 := "m", "p", "m2"
	reviews := []Review{
		{ReviewerID: &mgr, Role: RoleManager, SubmittedAt: &now},
		{ReviewerID: &peer, Role: RolePeer},
	}
	cases := []struct {
		name    string
		viewer  Viewer
		user    string
		self    bool
		shown   int
		full    bool
		hasMine bool
	}{
		{"owner", ViewerOwner, "o", true, 1, true, false},
		{"manager who submitted", ViewerManager, mgr, true, 0, true, true},
		{"peer with a draft", ViewerPeer, peer, false, 1, false, true},
		{"second manager", ViewerManager, mgr2, false, 1, false, false},
	}
	for _, c := range cases {
		v := Visible(c.viewer, c.user, reviews)
		if v.SelfReview != c.self || len(v.Reviews) != c.shown || (v.Mine != nil) != c.hasMine {
			t.Errorf("%s: %+v", c.name, v)
			continue
		}
		for _, r := range v.Reviews {
			if r.Full != c.full || !r.Review.Submitted() {
				t.Errorf("%s sees %+v", c.name, r)
			}
		}
	}
}

func TestSniffAndLinks(t *testing.T) {
	if c, ok := SniffRecording([]byte{0x1A, 0x45, 0xDF, 0xA3, 0, 0, 0, 0}); !ok || c != "webm" {
		t.Error("WebM not recognised")
	}
	if c, ok := SniffRecording([]byte("\x00\x00\x00\x20ftypisom")); !ok || c != "mp4" {
		t.Error("MP4 not recognised")
	}
	if _, ok := SniffRecording([]byte("\x89PNG\r\n\x1a\n")); ok {
		t.Error("PNG taken for a recording")
	}
	if got := RecordingContentType("webm", "audio/webm;codecs=opus", KindVideo); got != "audio/webm" {
		t.Errorf("content type %q", got)
	}
	if got := RecordingContentType("mp4", "text/html", KindAudio); got != "audio/mp4" {
		t.Errorf("content type %q", got)
	}
	l := linkSigner{key: []byte("k")}
	now := time.Unix(1_800_000_000, 0)
	u := l.url("/recordings/", "id", now)
	q := u[strings.Index(u, "?")+1:]
	exp := strings.TrimPrefix(strings.Split(q, "&")[0], "exp=")
	sig := strings.TrimPrefix(strings.Split(q, "&")[1], "sig=")
	if !l.valid("/recordings/id", exp, sig, now) {
		t.Fatal("a fresh link is refused")
	}
	if l.valid("/recordings/other", exp, sig, now) || l.valid("/recordings/id", exp, sig, now.Add(LinkTTL+time.Second)) {
		t.Error("a link works for another file or after it expired")
	}
	if l.url("/recordings/", "id", now) != l.url("/recordings/", "id", now.Add(time.Minute)) {
		t.Error("links a minute apart differ (the player would reload)")
	}
}

// TestReviewVerb: the review e-mail asks to watch a video, listen to audio and read a written
// answer (the written alternative of a video activity included).
func TestReviewVerb(t *testing.T) {
	for _, tt := range []struct {
		rec  *Recording
		want string
	}{
		{&Recording{ContentType: "video/webm"}, "Watch it"},
		{&Recording{ContentType: "audio/ogg"}, "Listen to it"},
		{nil, "Read it"},
	} {
		if got := (Submission{Recording: tt.rec, Text: "x"}).ReviewVerb(); got != tt.want {
			t.Errorf("ReviewVerb(%+v) = %q, want %q", tt.rec, got, tt.want)
		}
	}
}
