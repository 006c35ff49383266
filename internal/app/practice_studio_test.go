package app_test

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

// studioPracticeUpdate is a valid Studio body for an activity: three criteria on the two
// competencies it lists (ids longer than a letter, so a probed one-letter id never collides).
func studioPracticeUpdate() map[string]any {
	anchors := func(what string) map[string]string {
		return map[string]string{"1": "Skips " + what + ".", "3": "Does " + what + " in part.", "5": "Does " + what + " well."}
	}
	return map[string]any{
		"title":              "Respond to the finance director",
		"competencies":       []string{"job_diagnosis", "self_management"},
		"kind":               "video",
		"brief":              "## The situation\n\n> \"Why now?\"\n\n## Your task\n\nYou have **90 seconds**.",
		"time_limit_seconds": 90,
		"rubric": []map[string]any{
			{"id": "names-the-job", "competency": "job_diagnosis", "criterion": "Names the buying job", "anchors": anchors("naming the job")},
			{"id": "stays-steady", "competency": "self_management", "criterion": "Stays steady", "anchors": anchors("staying steady")},
			{"id": "next-step", "competency": "job_diagnosis", "criterion": "Proposes a next step", "anchors": anchors("a next step")},
		},
	}
}

// studioPracticeBody is studioPracticeUpdate for a new activity with this slug.
func studioPracticeBody(slug string) map[string]any {
	b := studioPracticeUpdate()
	b["slug"] = slug
	return b
}

type studioActivity struct {
	Slug         string   `json:"slug"`
	Title        string   `json:"title"`
	ModuleSlug   string   `json:"module_slug"`
	Competencies []string `json:"competencies"`
	Brief        string   `json:"brief"`
	BriefHTML    string   `json:"brief_html"`
	BuyerMediaID string   `json:"buyer_media_id"`
	Position     int      `json:"position"`
	Rubric       []struct {
		ID        string            `json:"id"`
		Criterion string            `json:"criterion"`
		Anchors   map[string]string `json:"anchors"`
	} `json:"rubric"`
}

// problemFields are the fields a 422 names.
func problemFields(t *testing.T, w *world, u *account, method, path string, body any) []string {
	t.Helper()
	var p struct {
		Errors []struct {
			Field string `json:"field"`
		} `json:"errors"`
	}
	w.want(u, 422, method, path, body, &p)
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Field
	}
	return out
}

func TestPracticeStudio(t *testing.T) {
	w := newWorld(t)
	ins, learner, admin := w.account("ps-ins", "instructor"), w.account("ps-lee", ""), w.account("ps-admin", "admin")
	w.want(admin, 201, "POST", "/api/v1/admin/grants", map[string]any{"user_id": learner.ID, "ends_at": inAYear()}, nil)
	ctx := context.Background()

	// An activity created in the Studio joins the end of the list, after imported ones.
	imported := "ps-imported-" + randomHex(3)
	rep, err := w.PracticeImporter.Import(ctx, fstest.MapFS{"practice/" + imported + ".yaml": {Data: []byte(practiceYAML(imported, "Listens"))}})
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	slug := "ps-new-" + randomHex(3)
	body := studioPracticeBody(slug)
	body["brief"] = "## The situation\n\nGareth asks **why now**.\n\n<script>alert(1)</script>"
	var made studioActivity
	w.want(ins, 201, "POST", "/api/v1/studio/practice", body, &made)
	if !strings.Contains(made.BriefHTML, "<strong>why now</strong>") || strings.Contains(made.BriefHTML, "<script") {
		t.Errorf("brief_html is not the sanitised rendering: %s", made.BriefHTML)
	}
	var list struct {
		Activities []struct {
			Slug     string `json:"slug"`
			Position int    `json:"position"`
			Criteria int    `json:"criteria"`
		} `json:"activities"`
	}
	w.want(ins, 200, "GET", "/api/v1/studio/practice", nil, &list)
	if n := len(list.Activities); n < 2 || list.Activities[n-1].Slug != slug || list.Activities[n-1].Criteria != 3 {
		t.Errorf("the new activity is not last in the list: %+v", list.Activities)
	}
	w.want(ins, 409, "POST", "/api/v1/studio/practice", studioPracticeBody(slug), nil)

	// Bad edits name every field at fault, in the request's own terms.
	bad := studioPracticeUpdate()
	rubric := bad["rubric"].([]map[string]any)
	rubric[0]["competency"] = "stakeholder_mapping"                        // not among the activity's competencies
	rubric[1]["anchors"] = map[string]string{"1": "x", "3": "y", "5": " "} // the 5 is blank
	delete(rubric[2], "anchors")
	bad["competencies"] = []string{"job_diagnosis", "self_management", "job_diagnosis"}
	bad["time_limit_seconds"] = 601
	got := problemFields(t, w, ins, "PUT", "/api/v1/studio/practice/"+slug, bad)
	for _, want := range []string{"rubric[0].competency", "rubric[1].anchors.5", "rubric[2].anchors", "competencies[2]", "time_limit_seconds"} {
		if !contains(got, want) {
			t.Errorf("the problem names %v, want %s among them", got, want)
		}
	}
	short := studioPracticeUpdate()
	short["rubric"] = short["rubric"].([]map[string]any)[:2]
	if got := problemFields(t, w, ins, "PUT", "/api/v1/studio/practice/"+slug, short); !contains(got, "rubric") {
		t.Errorf("two criteria: the problem names %v, want rubric", got)
	}

	// The buyer's line is a recording or a picture of the media library.
	png := append([]byte("\x89PNG\r\n\x1a\n"), []byte("the buyer's whiteboard")...)
	pic, err := w.Media.Import(ctx, "ps-whiteboard.png", png, "Whiteboard", "The buyer's whiteboard")
	if err != nil {
		t.Fatal(err)
	}
	vtt, err := w.Media.Import(ctx, "ps-captions.vtt", []byte("WEBVTT\n\n00:00.000 --> 00:01.000\nWhy now?\n"), "Captions", "")
	if err != nil {
		t.Fatal(err)
	}
	withMedia := studioPracticeUpdate()
	for id, ok := range map[string]bool{pic.ID: true, vtt.ID: false, "00000000-0000-4000-8000-000000000000": false, "not-an-id": false} {
		withMedia["buyer_media_id"] = id
		if ok {
			var a studioActivity
			w.want(ins, 200, "PUT", "/api/v1/studio/practice/"+slug, withMedia, &a)
			if a.BuyerMediaID != pic.ID {
				t.Errorf("buyer_media_id = %q, want %s", a.BuyerMediaID, pic.ID)
			}
		} else if got := problemFields(t, w, ins, "PUT", "/api/v1/studio/practice/"+slug, withMedia); !contains(got, "buyer_media_id") {
			t.Errorf("buyer line %s: the problem names %v", id, got)
		}
	}

	// The library will not delete a line an activity plays: it names the activity.
	if r := w.want(ins, 409, "DELETE", "/api/v1/studio/media/"+pic.ID, nil, nil); !strings.Contains(r.Body.String(), "buyer’s line of the practice activity") {
		t.Errorf("deleting the buyer's line: %s", r.Body.String())
	}

	// An edit reaches learners at once; leaving the line out removes it.
	edit := studioPracticeUpdate()
	edit["rubric"].([]map[string]any)[1]["criterion"] = "Keeps an even pace and makes no concession"
	var saved studioActivity
	w.want(ins, 200, "PUT", "/api/v1/studio/practice/"+slug, edit, &saved)
	if saved.BuyerMediaID != "" || saved.Rubric[1].Criterion != "Keeps an even pace and makes no concession" || saved.Position != made.Position {
		t.Errorf("after the edit: %+v", saved)
	}
	w.want(ins, 204, "DELETE", "/api/v1/studio/media/"+pic.ID, nil, nil) // no longer anyone's line
	var seen struct {
		Rubric []struct {
			Criterion string `json:"criterion"`
		} `json:"rubric"`
	}
	w.want(learner, 200, "GET", "/api/v1/practice/"+slug, nil, &seen)
	if len(seen.Rubric) != 3 || seen.Rubric[1].Criterion != "Keeps an even pace and makes no concession" {
		t.Errorf("the learner sees %+v", seen.Rubric)
	}
	w.want(ins, 404, "GET", "/api/v1/studio/practice/ps-missing", nil, nil)
	w.want(ins, 404, "PUT", "/api/v1/studio/practice/ps-missing", studioPracticeUpdate(), nil)

	// A Studio edit of an imported activity stands until its file changes.
	var importedNow studioActivity
	editImported := studioPracticeUpdate()
	editImported["title"] = "Edited in the Studio"
	w.want(ins, 200, "PUT", "/api/v1/studio/practice/"+imported, editImported, nil)
	if _, err := w.PracticeImporter.Import(ctx, fstest.MapFS{"practice/" + imported + ".yaml": {Data: []byte(practiceYAML(imported, "Listens"))}}); err != nil {
		t.Fatal(err)
	}
	w.want(ins, 200, "GET", "/api/v1/studio/practice/"+imported, nil, &importedNow)
	if importedNow.Title != "Edited in the Studio" {
		t.Errorf("re-importing an unchanged file undid the Studio's edit: title %q", importedNow.Title)
	}
	if _, err := w.PracticeImporter.Import(ctx, fstest.MapFS{"practice/" + imported + ".yaml": {Data: []byte(practiceYAML(imported, "Listens well"))}}); err != nil {
		t.Fatal(err)
	}
	w.want(ins, 200, "GET", "/api/v1/studio/practice/"+imported, nil, &importedNow)
	if importedNow.Title != "Imported activity" || importedNow.Rubric[0].Criterion != "Listens well" {
		t.Errorf("a changed file did not replace the activity: %+v", importedNow)
	}

	// The preview renders and sanitises like saving; a brief longer than allowed is 413.
	var pv struct {
		HTML string `json:"html"`
	}
	w.want(ins, 200, "POST", "/api/v1/studio/practice/preview", map[string]string{"markdown": "> \"Why now?\"\n\n<img src=x onerror=alert(1)>"}, &pv)
	if !strings.Contains(pv.HTML, "<blockquote>") || strings.Contains(pv.HTML, "onerror") {
		t.Errorf("preview: %s", pv.HTML)
	}
	w.want(ins, 413, "POST", "/api/v1/studio/practice/preview", map[string]string{"markdown": strings.Repeat("a", 20001)}, nil)
	w.want(learner, 403, "POST", "/api/v1/studio/practice/preview", map[string]string{"markdown": "x"}, nil)
}

// practiceYAML is a content file of an activity whose first criterion reads criterion.
func practiceYAML(slug, criterion string) string {
	return "slug: " + slug + "\ntitle: Imported activity\ncompetencies: [social_awareness]\nkind: audio\n" +
		"time_limit_seconds: 60\nbrief: Answer the buyer.\nrubric:\n" +
		"  - {id: listens, competency: social_awareness, criterion: " + criterion + ", anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n" +
		"  - {id: asks, competency: social_awareness, criterion: Asks, anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n" +
		"  - {id: sums-up, competency: social_awareness, criterion: Summarises, anchors: {\"1\": No, \"3\": Some, \"5\": Yes}}\n"
}

// TestShippedPracticeImports imports the shipped activities (content/practice) as `rapport
// content import` does: every file is valid, a second import changes nothing, and the recorded
// buyer line is filed in the media library as audio.
func TestShippedPracticeImports(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	rep, err := w.PracticeImporter.Import(ctx, content.FS)
	if err != nil || len(rep.Errors) > 0 {
		t.Fatalf("import: %v %v", err, rep.Errors)
	}
	if len(rep.Activities) < 8 {
		t.Fatalf("%d shipped activities imported, want at least 8", len(rep.Activities))
	}
	again, err := w.PracticeImporter.Import(ctx, content.FS)
	if err != nil || len(again.Errors) > 0 {
		t.Fatalf("second import: %v %v", err, again.Errors)
	}
	for _, r := range again.Activities {
		if r.Status != ingest.Unchanged {
			t.Errorf("a second import of unchanged files %s %s", r.Status, r.Slug)
		}
	}
	ins := w.account("ps-shipped", "instructor")
	var a studioActivity
	w.want(ins, 200, "GET", "/api/v1/studio/practice/why-now-why-this-year", nil, &a)
	if a.BuyerMediaID == "" {
		t.Fatal("why-now-why-this-year has no buyer line")
	}
	var item struct {
		Kind string `json:"kind"`
	}
	w.want(ins, 200, "GET", "/api/v1/studio/media/"+a.BuyerMediaID, nil, &item)
	if item.Kind != "audio" {
		t.Errorf("the buyer line is filed as %q, want audio", item.Kind)
	}
}
