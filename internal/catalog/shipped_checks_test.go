package catalog_test

import (
	"testing"
	"unicode/utf8"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/catalog"
)

// TestShippedChecks holds the shipped course to its knowledge-check standard: every lesson has 2-3
// valid checks with course-unique ids, and the best option is not given away by being the longest
// (at most a third of checks) or by always sitting at the same letter.
func TestShippedChecks(t *testing.T) {
	mods, errs, err := catalog.ParseContent(content.FS)
	if err != nil || len(errs) != 0 {
		t.Fatalf("shipped content has errors: %v %v", err, errs)
	}
	ids := map[string]string{}
	var total, longestIsAnswer int
	letters := map[string]int{}
	for _, m := range mods {
		for _, l := range m.Lessons {
			if n := len(l.Checks); n < catalog.MinChecksPerLesson || n > catalog.MaxChecksPerLesson {
				t.Errorf("%s has %d checks, want 2-3", l.File, n)
			}
			for _, c := range l.Checks {
				if other, dup := ids[c.ID]; dup {
					t.Errorf("%s: check id %s is also used in %s", l.File, c.ID, other)
				}
				ids[c.ID] = l.File
				if len(c.Options) < 3 {
					t.Errorf("%s: check %s has %d options; shipped checks offer 3-4 so near-misses exist", l.File, c.ID, len(c.Options))
				}
				total++
				letters[c.Answer]++
				if answerIsLongest(c) {
					longestIsAnswer++
				}
			}
		}
	}
	if total == 0 {
		t.Fatal("no checks in the shipped content")
	}
	if 3*longestIsAnswer > total {
		t.Errorf("the longest option is the answer in %d of %d checks; keep it to at most a third", longestIsAnswer, total)
	}
	for letter, n := range letters {
		if 2*n > total {
			t.Errorf("option %s is the answer in %d of %d checks; vary the answer's position", letter, n, total)
		}
	}
	t.Logf("%d checks; the longest option is the answer in %d (%.0f%%); answers by option: %v",
		total, longestIsAnswer, 100*float64(longestIsAnswer)/float64(total), letters)
}

// answerIsLongest reports whether no other option of c is longer than its answer (a tie counts:
// a learner choosing among the longest options would still find the answer).
func answerIsLongest(c catalog.Check) bool {
	var answer int
	for _, o := range c.Options {
		if o.ID == c.Answer {
			answer = utf8.RuneCountInString(o.Text)
		}
	}
	for _, o := range c.Options {
		if o.ID != c.Answer && utf8.RuneCountInString(o.Text) > answer {
			return false
		}
	}
	return true
}
