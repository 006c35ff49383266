package catalog_test

import (
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/catalog"
)

// lessonWithChecks is goodLesson with two valid checks; the tests below break one thing at a time.
const lessonWithChecks = `---
slug: first-lesson
title: The First Lesson
minutes: 6
checks:
  - id: smp-01-a
    prompt: A buyer asks for one more reference. Which job are they doing?
    options:
      - {id: a, text: Validation, explanation: They want to be sure.}
      - {id: b, text: Solution exploration, explanation: They are past the options.}
    answer: a
  - id: smp-01-b
    prompt: The CFO asks why now. Which job?
    options:
      - id: a
        text: Supplier selection
        explanation: Nobody is comparing suppliers.
      - id: b
        text: Problem identification
        explanation: Whether the problem is worth solving now.
    answer: b
---
Body text.

## Practice

Do it.
`

// wantFirstContentError parses sampleFS(edit) and wants the module left out and the first error
// to start with want ("file:line: field").
func wantFirstContentError(t *testing.T, edit map[string]string, want string) {
	t.Helper()
	mods, errs, err := catalog.ParseContent(sampleFS(edit))
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) != 0 {
		t.Errorf("a module with errors was kept: %+v", mods)
	}
	if len(errs) == 0 || !strings.HasPrefix(errs[0].Error(), want) {
		t.Errorf("errors = %v, want the first to start with %q", errs, want)
	}
}

// secondCheck is the text of lessonWithChecks' second check.
func secondCheck() string {
	from := strings.Index(lessonWithChecks, "  - id: smp-01-b")
	return lessonWithChecks[from:strings.Index(lessonWithChecks, "---\nBody")]
}

func withoutSecondCheck() string { return strings.Replace(lessonWithChecks, secondCheck(), "", 1) }

func TestParseChecks(t *testing.T) {
	const lessonFile = "modules/03-sample/01-first-lesson.md"
	const other = "modules/03-sample/02-second.md"
	edit := func(old, new string) map[string]string {
		if !strings.Contains(lessonWithChecks, old) {
			t.Fatalf("test edit %q does not apply", old)
		}
		return map[string]string{lessonFile: strings.Replace(lessonWithChecks, old, new, 1)}
	}
	secondLesson := strings.Replace(lessonWithChecks, "slug: first-lesson", "slug: second", 1)
	tests := []struct {
		name string
		edit map[string]string
		want string // the first error's "file:line: field" prefix
	}{
		{"not a list", map[string]string{lessonFile: strings.Replace(goodLesson, "minutes: 6", "minutes: 6\nchecks: many", 1)}, lessonFile + ":5: checks"},
		{"only one check", map[string]string{lessonFile: withoutSecondCheck()}, lessonFile + ":6: checks"},
		{"missing prompt", edit("    prompt: A buyer asks for one more reference. Which job are they doing?\n", ""), lessonFile + ":6: checks[0].prompt"},
		{"empty explanation", edit("explanation: They want to be sure.", `explanation: " "`), lessonFile + ":9: checks[0].options[0].explanation"},
		{"unknown check field", edit("    answer: a\n", "    answer: a\n    hint: think\n"), lessonFile + ":12: checks[0].hint"},
		{"answer names no option", edit("    answer: a\n", "    answer: c\n"), lessonFile + ":11: checks[0].answer"},
		{"duplicate option id", edit("{id: b, text: Solution", "{id: a, text: Solution"), lessonFile + ":10: checks[0].options[1].id"},
		{"one option", edit("      - {id: b, text: Solution exploration, explanation: They are past the options.}\n", ""), lessonFile + ":9: checks[0].options"},
		{"bad check id", edit("id: smp-01-a", "id: Smp 01"), lessonFile + ":6: checks[0].id"},
		{"option not a mapping", edit("      - {id: a, text: Validation, explanation: They want to be sure.}", "      - Validation"), lessonFile + ":9: checks[0].options[0]"},
		{"duplicate id in the lesson", edit("id: smp-01-b", "id: smp-01-a"), lessonFile + ":12: checks[1].id"},
		{"duplicate id in another lesson", map[string]string{lessonFile: lessonWithChecks, other: secondLesson}, other + ":6: checks[0].id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantFirstContentError(t, tt.edit, tt.want) })
	}

	t.Run("four checks are too many", func(t *testing.T) {
		second := secondCheck()
		four := strings.Replace(lessonWithChecks, second, second+strings.ReplaceAll(second, "smp-01-b", "smp-01-c")+
			strings.ReplaceAll(second, "smp-01-b", "smp-01-d"), 1)
		_, errs, _ := catalog.ParseContent(sampleFS(map[string]string{lessonFile: four}))
		if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), lessonFile+":6: checks: give 2 or 3 checks per lesson, not 4") {
			t.Errorf("four checks: errors = %v", errs)
		}
	})

	t.Run("valid checks parse, and a lesson may have none", func(t *testing.T) {
		mods, errs, err := catalog.ParseContent(sampleFS(map[string]string{lessonFile: lessonWithChecks,
			other: strings.Replace(goodLesson, "slug: first-lesson", "slug: second", 1)}))
		if err != nil || len(errs) != 0 || len(mods) != 1 {
			t.Fatalf("mods=%v errs=%v err=%v", mods, errs, err)
		}
		cs := mods[0].Lessons[0].Checks
		if len(cs) != 2 || cs[1].ID != "smp-01-b" || cs[1].Answer != "b" || len(cs[1].Options) != 2 ||
			cs[1].Options[1].Explanation != "Whether the problem is worth solving now." || cs[0].Line != 6 {
			t.Errorf("parsed checks %+v", cs)
		}
		if len(mods[0].Lessons[1].Checks) != 0 {
			t.Errorf("a lesson without checks got %+v", mods[0].Lessons[1].Checks)
		}
	})
}
