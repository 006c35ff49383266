package app_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

// TestPracticeImport: an unchanged tree imports nothing; a bad file is reported by file and
// field and left out while the others import; a buyer line is stored in the media library and
// served behind the activity's signed link.
func TestPracticeImport(t *testing.T) {
	w := newWorld(t)
	practiceActivities(w)
	ctx := context.Background()
	rep, err := w.PracticeImporter.Import(ctx, fstestDir(t))
	if err != nil || len(rep.Activities) != 2 {
		t.Fatalf("re-import: %v %+v", err, rep)
	}
	for _, a := range rep.Activities {
		if a.Status != ingest.Unchanged {
			t.Errorf("re-importing %s: %s, want unchanged", a.Slug, a.Status)
		}
	}

	slug := "buyer-line-" + randomHex(3)
	good := "slug: " + slug + "\ntitle: Answer the CFO\ncompetencies: [self_management]\nkind: audio\ntime_limit_seconds: 60\n" +
		"buyer_media: media:cfo.webm\nbrief: |\n  The CFO says **no**.<script>alert(1)</script>\nrubric:\n" +
		"  - {id: a, competency: self_management, criterion: Stays calm, anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n" +
		"  - {id: b, competency: self_management, criterion: Asks why, anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n" +
		"  - {id: c, competency: self_management, criterion: Holds price, anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n"
	bad := "slug: bad-one\ntitle: Bad\ncompetencies: [charisma]\nkind: podcast\ntime_limit_seconds: 5\nbrief: x\nrubric: []\n"
	line := webmClip(300)
	tree := fstest.MapFS{
		"practice/" + slug + ".yaml": {Data: []byte(good)},
		"practice/bad-one.yaml":      {Data: []byte(bad)},
		"practice/unknown-key.yaml":  {Data: []byte("slug: unknown-key\ncolour: red\n")},
		"practice/media/cfo.webm":    {Data: line},
	}
	rep, err = w.PracticeImporter.Import(ctx, tree)
	if err != nil {
		t.Fatal(err)
	}
	msgs := rep.Errors.Error()
	for _, want := range []string{"practice/bad-one.yaml: competencies[0]", "practice/bad-one.yaml: kind", "practice/bad-one.yaml: time_limit_seconds",
		"practice/bad-one.yaml: rubric", "practice/unknown-key.yaml:2: yaml"} {
		if !strings.Contains(msgs, want) {
			t.Errorf("problems lack %q:\n%s", want, msgs)
		}
	}
	if len(rep.Activities) != 1 || rep.Activities[0].Status != ingest.Created {
		t.Fatalf("activities: %+v\n%s", rep.Activities, msgs)
	}
	admin := w.account("imp-adm", "admin")
	var a struct {
		BriefHTML     string `json:"brief_html"`
		BuyerMediaURL string `json:"buyer_media_url"`
		Kind          string `json:"buyer_media_kind"`
	}
	w.want(admin, 200, "GET", "/api/v1/practice/"+slug, nil, &a)
	if strings.Contains(a.BriefHTML, "<script") || !strings.Contains(a.BriefHTML, "<strong>no</strong>") {
		t.Errorf("brief_html: %s", a.BriefHTML)
	}
	if a.BuyerMediaURL == "" || a.Kind != "video" {
		t.Fatalf("buyer line: %+v", a)
	}
	if got := w.want(nil, 200, "GET", a.BuyerMediaURL, nil, nil).Body.String(); got != string(line) {
		t.Errorf("buyer line served %d bytes", len(got))
	}
	rep, err = w.PracticeImporter.Import(ctx, fstest.MapFS{"practice/" + slug + ".yaml": {Data: []byte(strings.Replace(good, "Answer the CFO", "Answer the CFO again", 1))},
		"practice/media/cfo.webm": {Data: line}})
	if err != nil || len(rep.Activities) != 1 || rep.Activities[0].Status != ingest.Updated {
		t.Errorf("changed file: %v %+v", err, rep.Activities)
	}
}

// fstestDir is the fixture activities' tree.
func fstestDir(t *testing.T) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	for _, name := range []string{"reframe-the-status-quo.yaml", "recognise-a-reps-win.yaml"} {
		b, err := os.ReadFile("../practice/testdata/practice/" + name)
		if err != nil {
			t.Fatal(err)
		}
		out["practice/"+name] = &fstest.MapFile{Data: b}
	}
	return out
}
