package assess_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

func TestShippedInstrumentIsValid(t *testing.T) {
	srcs, errs, err := assess.ParseInstruments(content.FS)
	if err != nil || len(errs) > 0 {
		t.Fatalf("parse: %v %v", err, errs)
	}
	if len(srcs) != 1 || srcs[0].Instrument.Slug != shipped {
		t.Fatalf("instruments = %+v", srcs)
	}
	def := srcs[0].Instrument
	if len(def.Competencies) != 8 || def.Weights != assess.DefaultWeights || len(def.LikertLabels) != 5 {
		t.Errorf("competencies %d, weights %+v, labels %d", len(def.Competencies), def.Weights, len(def.LikertLabels))
	}
	for _, c := range def.Competencies {
		likert, sjt, reverse := 0, 0, 0
		for _, it := range def.Items {
			if it.Competency != c.Key {
				continue
			}
			switch it.Type {
			case assess.TypeLikert:
				likert++
				if it.Reverse {
					reverse++
				}
			case assess.TypeSJT:
				sjt++
				if len(it.Options) != 4 {
					t.Errorf("%s: %d options, want 4", it.ID, len(it.Options))
				}
			}
		}
		if likert != 5 || sjt < 2 || sjt > 3 || reverse < 1 {
			t.Errorf("%s: %d likert (%d reversed), %d sjt", c.Key, likert, reverse, sjt)
		}
	}
}

func TestParseInstrumentErrorsNameFileLineAndField(t *testing.T) {
	const file = "assessments/mini.yaml"
	good := fmt.Sprintf(miniYAML, "mini")
	tests := []struct {
		name      string
		edit      func(string) string
		line      int
		field     string
		inMessage string
	}{
		{"slug must match the file name", func(s string) string { return strings.Replace(s, "slug: mini", "slug: other", 1) },
			1, "slug", `"mini"`},
		{"unknown top-level field", func(s string) string { return s + "colour: blue\n" }, 39, "colour", "not a known field"},
		{"weights must add up to 1", func(s string) string { return strings.Replace(s, "sjt: 0.5", "sjt: 0.4", 1) },
			5, "weights", "add up to 1"},
		{"four labels", func(s string) string { return strings.Replace(s, "Neither, ", "", 1) }, 7, "likert_labels", "exactly five"},
		{"sjt key out of range", func(s string) string { return strings.Replace(s, "key: 5}", "key: 7}", 1) },
			24, "items[2].options[0].key", "1 to 5"},
		{"sjt option without key", func(s string) string { return strings.Replace(s, ", key: 3}", "}", 1) },
			26, "items[2].options[2].key", "is required"},
		{"unknown competency", func(s string) string {
			return strings.Replace(s, "{id: b-l1, competency: beta_skill", "{id: b-l1, competency: delta_skill", 1)
		}, 28, "items[3].competency", "competencies"},
		{"duplicate item id", func(s string) string { return strings.Replace(s, "id: g-l2", "id: g-l1", 1) }, 37, "items[6].id", "another item"},
		{"unknown type", func(s string) string {
			return strings.Replace(s, "type: likert, prompt: I plan", "type: essay, prompt: I plan", 1)
		},
			28, "items[3].type", "likert, sjt or choice"},
		{"choice without a correct option", func(s string) string { return strings.Replace(s, ", correct: true}", "}", 1) },
			34, "items[4].options", "exactly one"},
		{"reverse on a non-likert item", func(s string) string {
			return strings.Replace(s, "    type: sjt\n", "    type: sjt\n    reverse: true\n", 1)
		}, 22, "items[2].reverse", "likert items only"},
		{"missing prompt", func(s string) string { return strings.Replace(s, ", prompt: I know who blocks.", "", 1) },
			38, "items[7].prompt", "is required"},
		{"bad yaml", func(s string) string { return s + "items: [\n" }, 39, "yaml", ""},
		{"competency without items", func(s string) string {
			return strings.Replace(s, "competencies:\n", "competencies:\n  - key: lonely\n    name: Lonely\n", 1)
		}, 10, "competencies[0]", "no items"},
	}
	if _, errs := assess.ParseInstrument(file, []byte(good)); len(errs) > 0 {
		t.Fatalf("the mini instrument must be valid: %v", errs)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := assess.ParseInstrument(file, []byte(tt.edit(good)))
			for _, e := range errs {
				if e.File == file && e.Line == tt.line && e.Field == tt.field && strings.Contains(e.Message, tt.inMessage) {
					return
				}
			}
			t.Errorf("want %s:%d %s (%q), got:\n%v", file, tt.line, tt.field, tt.inMessage, errs)
		})
	}
}

func TestImportIsIdempotentAndVersioned(t *testing.T) {
	a := MustApp(t)
	ctx := context.Background()
	slug := "mini-" + randomSuffix()
	body := fmt.Sprintf(miniYAML, slug)
	fsys := func(s string) fstest.MapFS {
		return fstest.MapFS{"assessments/" + slug + ".yaml": {Data: []byte(s)}}
	}
	want := func(rep assess.ImportReport, status string, version int) {
		t.Helper()
		if len(rep.Errors) > 0 || len(rep.Instruments) != 1 || rep.Instruments[0].Status != status || rep.Instruments[0].Version != version {
			t.Fatalf("report = %+v, want %s v%d", rep, status, version)
		}
	}
	rep, err := a.Assess.ImportInstruments(ctx, fsys(body))
	if err != nil {
		t.Fatal(err)
	}
	want(rep, ingest.Created, 1)
	rep, _ = a.Assess.ImportInstruments(ctx, fsys(body))
	want(rep, ingest.Unchanged, 1)
	rep, _ = a.Assess.ImportInstruments(ctx, fsys("# a comment changes nothing\n"+body))
	want(rep, ingest.Unchanged, 1)
	again, _ := a.Assess.ImportInstruments(ctx, content.FS)
	if again.Instruments[0].Status != ingest.Unchanged {
		t.Errorf("re-importing the shipped content: %+v", again)
	}

	// A learner starts on v1; v2 adds an item; the v1 attempt keeps v1's items, a new one gets v2's.
	tok1 := MustUser(t, a, "learner").Token
	v1 := MustStart(t, a, tok1, slug, 201)
	rep, _ = a.Assess.ImportInstruments(ctx, fsys(body+"  - {id: g-l4, competency: gamma_skill, type: likert, prompt: I check in.}\n"))
	want(rep, ingest.Updated, 2)
	if resumed := MustStart(t, a, tok1, slug, 200); resumed.ID != v1.ID || len(resumed.Items) != 8 {
		t.Errorf("resumed v1 attempt has %d items (id %s), want 8 (id %s)", len(resumed.Items), resumed.ID, v1.ID)
	}
	tok2 := MustUser(t, a, "learner").Token
	if v2 := MustStart(t, a, tok2, slug, 201); len(v2.Items) != 9 {
		t.Errorf("new attempt has %d items, want 9", len(v2.Items))
	}
	MustAnswerAll(t, a, tok1, v1, nil)
	MustSubmit(t, a, tok1, v1.ID)

	// A file with errors imports nothing and names the problem.
	rep, _ = a.Assess.ImportInstruments(ctx, fsys(strings.Replace(body, "key: 5}", "key: 9}", 1)))
	if len(rep.Instruments) != 0 || len(rep.Errors) == 0 || !strings.Contains(rep.Errors.Error(), "assessments/"+slug+".yaml:24: items[2].options[0].key") {
		t.Errorf("report = %+v", rep)
	}
}
