package teams

import (
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

func TestRuleModuleCountStatusAt(t *testing.T) {
	due := t0
	cases := []struct {
		name string
		c    ModuleCount
		now  time.Time
		want string
	}{
		{"nothing yet", ModuleCount{LessonCount: 4}, due.Add(-time.Hour), StatusNotStarted},
		{"a lesson started", ModuleCount{LessonCount: 4, Started: 1}, due.Add(-time.Hour), StatusInProgress},
		{"a lesson completed", ModuleCount{LessonCount: 4, Started: 1, Completed: 1}, due.Add(-time.Hour), StatusInProgress},
		{"every lesson completed", ModuleCount{LessonCount: 4, Started: 4, Completed: 4}, due.Add(-time.Hour), StatusDone},
		{"completed late is still done", ModuleCount{LessonCount: 4, Started: 4, Completed: 4}, due.Add(time.Hour), StatusDone},
		{"started and past due", ModuleCount{LessonCount: 4, Started: 2}, due.Add(time.Hour), StatusOverdue},
		{"at the due instant: not yet overdue", ModuleCount{LessonCount: 4}, due, StatusNotStarted},
		{"a module without lessons is never done", ModuleCount{}, due.Add(-time.Hour), StatusNotStarted},
		{"unknown progress past due", ModuleCount{}, due.Add(time.Hour), StatusOverdue},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.c.StatusAt(due, c.now); got != c.want {
				t.Errorf("StatusAt = %q, want %q", got, c.want)
			}
		})
	}
}

func TestRuleAssignmentInputValidate(t *testing.T) {
	a, b := "6f1c1d2e-0000-4000-8000-000000000001", "6f1c1d2e-0000-4000-8000-000000000002"
	many := make([]string, MaxAssignees+1)
	for i := range many {
		many[i] = a
	}
	cases := []struct {
		name       string
		in         AssignmentInput
		wantFields []string
		wantIDs    int
	}{
		{"valid", AssignmentInput{ModuleSlug: "m", DueAt: later, UserIDs: []string{a, b}}, nil, 2},
		{"duplicates and upper case collapse", AssignmentInput{ModuleSlug: "m", DueAt: later, UserIDs: []string{a, strings.ToUpper(a)}}, nil, 1},
		{"nothing given", AssignmentInput{}, []string{"module_slug", "due_at", "user_ids"}, 0},
		{"blank slug", AssignmentInput{ModuleSlug: "  ", DueAt: later, UserIDs: []string{a}}, []string{"module_slug"}, 1},
		{"due now", AssignmentInput{ModuleSlug: "m", DueAt: t0, UserIDs: []string{a}}, []string{"due_at"}, 1},
		{"due in year 10000", AssignmentInput{ModuleSlug: "m", DueAt: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), UserIDs: []string{a}}, []string{"due_at"}, 1},
		{"too many", AssignmentInput{ModuleSlug: "m", DueAt: later, UserIDs: many}, []string{"user_ids"}, 1},
		{"a bad id is named by position", AssignmentInput{ModuleSlug: "m", DueAt: later, UserIDs: []string{a, "nope", "{" + b + "}"}}, []string{"user_ids[1]", "user_ids[2]"}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ids, err := c.in.validate(t0)
			if got := fieldsOf(err); strings.Join(got, ",") != strings.Join(c.wantFields, ",") {
				t.Errorf("fields = %v, want %v", got, c.wantFields)
			}
			if len(ids) != c.wantIDs {
				t.Errorf("ids = %v, want %d", ids, c.wantIDs)
			}
		})
	}
	if err := notMembers([]string{a, strings.ToUpper(b)}, []string{a}); strings.Join(fieldsOf(err), ",") != "user_ids[1]" {
		t.Errorf("notMembers = %v, want user_ids[1]", err)
	}
}

func TestRuleRecognitionInputValidate(t *testing.T) {
	actor, other := "6f1c1d2e-0000-4000-8000-000000000001", "6f1c1d2e-0000-4000-8000-000000000002"
	milestone, bad := KindMilestone, "award"
	cases := []struct {
		name       string
		in         RecognitionInput
		wantFields []string
		wantKind   string
	}{
		{"a win by default", RecognitionInput{UserID: other, Message: " Great call! "}, nil, KindWin},
		{"a milestone", RecognitionInput{UserID: other, Message: "100 calls", Kind: &milestone}, nil, KindMilestone},
		{"yourself", RecognitionInput{UserID: actor, Message: "me"}, []string{"user_id"}, KindWin},
		{"not an id", RecognitionInput{UserID: "x", Message: "hi"}, []string{"user_id"}, KindWin},
		{"everything wrong", RecognitionInput{UserID: "", Message: "   ", Kind: &bad}, []string{"message", "kind", "user_id"}, bad},
		{"too long", RecognitionInput{UserID: other, Message: strings.Repeat("a", MaxMessageLen+1)}, []string{"message"}, KindWin},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			msg, kind, _, _, err := c.in.validate(actor)
			if got := fieldsOf(err); strings.Join(got, ",") != strings.Join(c.wantFields, ",") {
				t.Errorf("fields = %v, want %v", got, c.wantFields)
			}
			if kind != c.wantKind {
				t.Errorf("kind = %q, want %q", kind, c.wantKind)
			}
			if err == nil && msg != strings.TrimSpace(c.in.Message) {
				t.Errorf("message = %q", msg)
			}
		})
	}
}

func TestRuleLearnerPrompts(t *testing.T) {
	since := t0.Add(-PromptWindow)
	recognised := t0.Add(-24 * time.Hour)
	fresh, never := Learner{UserID: "u", Name: "Ada", LastRecognisedAt: &recognised}, Learner{UserID: "u", Name: "Ada"}
	cases := []struct {
		name string
		l    Learner
		at   time.Time
		want bool
	}{
		{"never recognised, inside the window", never, t0.Add(-time.Hour), true},
		{"at the window's start", never, since, true},
		{"before the window", never, since.Add(-time.Second), false},
		{"after the last recognition", fresh, recognised.Add(time.Second), true},
		{"at the last recognition", fresh, recognised, false},
		{"before the last recognition", fresh, recognised.Add(-time.Hour), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, ok := c.l.completionPrompt(Completion{UserID: "u", ModuleTitle: "Discovery", At: c.at}, since)
			if ok != c.want || (ok && (p.Reason != ReasonCompletedModule || p.Detail != "completed Discovery" || p.Name != "Ada")) {
				t.Errorf("completionPrompt = %+v, %v; want %v", p, ok, c.want)
			}
			growth := CompetencySummary{Competency: "listening", Name: "Listening", Baseline: 40, Latest: 62.5,
				Band: BandSignificantGrowth, Significant: true, LatestAt: c.at}
			p, ok = c.l.growthPrompt(growth, since)
			if ok != c.want || (ok && (p.Reason != ReasonSignificantGrowth || p.Detail != "Listening up 22.5 points since the baseline")) {
				t.Errorf("growthPrompt = %+v, %v; want %v", p, ok, c.want)
			}
		})
	}
	for _, c := range []struct {
		name string
		s    CompetencySummary
		want bool
	}{
		{"significant growth", CompetencySummary{Band: BandSignificantGrowth, Significant: true}, true},
		{"growth band, not significant", CompetencySummary{Band: BandSignificantGrowth}, false},
		{"significant, another band", CompetencySummary{Band: "stable", Significant: true}, false},
	} {
		c.s.LatestAt = t0
		if _, ok := never.growthPrompt(c.s, since); ok != c.want {
			t.Errorf("%s: growthPrompt = %v, want %v", c.name, ok, c.want)
		}
	}
	if p, _ := never.growthPrompt(CompetencySummary{Competency: "mapping", Band: BandSignificantGrowth, Significant: true, LatestAt: t0}, since); !strings.HasPrefix(p.Detail, "mapping up") {
		t.Errorf("a competency without a name is named by its key: %q", p.Detail)
	}
}

func TestRuleCompetencySummaryRounded(t *testing.T) {
	cases := []struct {
		baseline, latest      float64
		wantB, wantL, wantDel float64
	}{
		{40, 62.5, 40, 62.5, 22.5},
		{33.333, 66.666, 33.3, 66.7, 33.4}, // the delta of the shown scores, not of the raw ones
		{50.05, 50.04, 50.1, 50, -0.1},
		{0, 0, 0, 0, 0},
	}
	for _, c := range cases {
		got := CompetencySummary{Baseline: c.baseline, Latest: c.latest}.rounded()
		if got.Baseline != c.wantB || got.Latest != c.wantL || got.Delta != c.wantDel {
			t.Errorf("rounded(%v, %v) = %v, %v, %v; want %v, %v, %v", c.baseline, c.latest, got.Baseline, got.Latest, got.Delta, c.wantB, c.wantL, c.wantDel)
		}
	}
	for _, c := range []struct{ in, want int }{{0, DefaultFeedLimit}, {-3, DefaultFeedLimit}, {7, 7}, {MaxFeedLimit + 1, MaxFeedLimit}} {
		if got := feedLimit(c.in); got != c.want {
			t.Errorf("feedLimit(%d) = %d, want %d", c.in, got, c.want)
		}
	}
}

// fieldsOf lists the fields an error names, in order.
func fieldsOf(err error) []string {
	e, ok := err.(*apperr.Error)
	if !ok {
		return nil
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func TestRuleRecognitionCompetencyAndEvidence(t *testing.T) {
	actor, other := "11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"
	pulseID := "33333333-3333-4333-8333-333333333333"
	s := func(v string) *string { return &v }
	cases := []struct {
		name       string
		in         RecognitionInput
		wantFields []string
		wantComp   string
		wantEv     *Evidence
	}{
		{"none", RecognitionInput{UserID: other, Message: "Nice"}, nil, "", nil},
		{"competency and pulse", RecognitionInput{UserID: other, Message: "Nice", Competency: s("social_awareness"),
			Evidence: &EvidenceInput{Kind: "pulse", ID: s(strings.ToUpper(pulseID))}}, nil, "social_awareness", &Evidence{Kind: "pulse", ID: pulseID}},
		{"note", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "note", Text: s(" Closed Acme ")}},
			nil, "", &Evidence{Kind: "note", Text: "Closed Acme"}},
		{"unknown competency", RecognitionInput{UserID: other, Message: "Nice", Competency: s("charm")}, []string{"competency"}, "charm", nil},
		{"submission", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "submission", ID: s(pulseID)}},
			nil, "", &Evidence{Kind: "submission", ID: pulseID}},
		{"submission without id", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "submission"}},
			[]string{"evidence.id"}, "", &Evidence{Kind: "submission"}},
		{"submission with text", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "submission", ID: s(pulseID), Text: s("x")}},
			[]string{"evidence.text"}, "", &Evidence{Kind: "submission", ID: pulseID}},
		{"unknown kind", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "video", ID: s(pulseID)}},
			[]string{"evidence.kind"}, "", &Evidence{Kind: "video"}},
		{"pulse without id", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "pulse"}}, []string{"evidence.id"}, "", &Evidence{Kind: "pulse"}},
		{"pulse with text", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "pulse", ID: s(pulseID), Text: s("x")}},
			[]string{"evidence.text"}, "", &Evidence{Kind: "pulse", ID: pulseID}},
		{"empty note", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "note", Text: s(" ")}}, []string{"evidence.text"}, "", &Evidence{Kind: "note"}},
		{"long note", RecognitionInput{UserID: other, Message: "Nice", Evidence: &EvidenceInput{Kind: "note", Text: s(strings.Repeat("a", MaxEvidenceLen+1))}},
			[]string{"evidence.text"}, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, comp, ev, err := c.in.validate(actor)
			if got := fieldsOf(err); strings.Join(got, ",") != strings.Join(c.wantFields, ",") {
				t.Fatalf("fields = %v, want %v", got, c.wantFields)
			}
			if comp != c.wantComp {
				t.Errorf("competency %q", comp)
			}
			if c.wantEv != nil && (ev == nil || ev.Kind != c.wantEv.Kind || ev.ID != c.wantEv.ID || (c.wantFields == nil && ev.Text != c.wantEv.Text)) {
				t.Errorf("evidence %+v, want %+v", ev, c.wantEv)
			}
		})
	}
}

func TestRuleRecognitionGapsLongestFirst(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	at := func(days int) *time.Time { v := now.Add(-time.Duration(days) * 24 * time.Hour); return &v }
	learners := []Learner{
		{UserID: "a", Name: "Recent", LastRecognisedAt: at(3)},
		{UserID: "b", Name: "Old", LastRecognisedAt: at(45)},
		{UserID: "c", Name: "Zed never"},
		{UserID: "d", Name: "Older", LastRecognisedAt: at(90)},
		{UserID: "e", Name: "Ann never"},
		{UserID: "f", Name: "Edge", LastRecognisedAt: at(30)},
	}
	got := RecognitionGaps(learners, now)
	var ids []string
	for _, g := range got {
		ids = append(ids, g.UserID)
	}
	if strings.Join(ids, ",") != "e,c,d,b" {
		t.Fatalf("gaps %v", ids)
	}
}
