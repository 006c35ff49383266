package assess_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/assess"
)

// emotionWords name feelings; a scenario that names the one it tests gives the answer away.
var emotionWords = regexp.MustCompile(`(?i)\b(angry|anger|annoyed|anxious|anxiety|irritated|frustrat\w*|nervous|upset|worried|worries|defensive|embarrass\w*|afraid|scared|stressed|panick\w*|disappointed|resent\w*|insecure|threatened|overwhelmed|hurt|impatient|sceptical|skeptical)\b`)

var wordRe = regexp.MustCompile(`[a-z0-9']+`)

// TestShippedItemsResistTestWiseness enforces the instrument's item-writing rules: every scenario
// has one best option and at least one near miss (keyed 3 or 4); the longest option is the best
// in at most a third of scenarios; no scenario names an emotion; no best option repeats six words
// in a row from a lesson; every competency has at least two reverse-keyed statements.
func TestShippedItemsResistTestWiseness(t *testing.T) {
	srcs, errs, err := assess.ParseInstruments(content.FS)
	if err != nil || len(errs) > 0 {
		t.Fatalf("parse: %v %v", err, errs)
	}
	lessons := map[string]bool{}
	err = fs.WalkDir(content.FS, "modules", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		b, err := fs.ReadFile(content.FS, path)
		w := wordRe.FindAllString(strings.ToLower(string(b)), -1)
		for i := 0; i+6 <= len(w); i++ {
			lessons[strings.Join(w[i:i+6], " ")] = true
		}
		return err
	})
	if err != nil || len(lessons) == 0 {
		t.Fatalf("lessons: %v (%d runs)", err, len(lessons))
	}
	for _, src := range srcs {
		def := src.Instrument
		reversed := map[string]int{}
		scenarios, longestBest := 0, 0
		for _, it := range def.Items {
			if it.Type == assess.TypeLikert {
				if it.Reverse {
					reversed[it.Competency]++
				}
				continue
			}
			if it.Type != assess.TypeSJT {
				continue
			}
			scenarios++
			if m := emotionWords.FindString(it.Prompt); m != "" {
				t.Errorf("%s: the scenario names an emotion (%q)", it.ID, m)
			}
			best, near, longest := 0, 0, 0
			for i, o := range it.Options {
				switch o.Key {
				case 5:
					best++
					w := wordRe.FindAllString(strings.ToLower(o.Text), -1)
					for j := 0; j+6 <= len(w); j++ {
						if run := strings.Join(w[j:j+6], " "); lessons[run] {
							t.Errorf("%s option %s: the best answer repeats a lesson's words %q", it.ID, o.ID, run)
						}
					}
				case 3, 4:
					near++
				}
				if len([]rune(o.Text)) > len([]rune(it.Options[longest].Text)) {
					longest = i
				}
			}
			if best != 1 || near < 1 {
				t.Errorf("%s: %d options keyed 5 and %d near misses (3-4); want one best and at least one near miss", it.ID, best, near)
			}
			if it.Options[longest].Key == 5 {
				longestBest++
			}
		}
		if 3*longestBest > scenarios {
			t.Errorf("%s: the longest option is the best in %d of %d scenarios; at most a third may be", def.Slug, longestBest, scenarios)
		}
		for _, c := range def.Competencies {
			if reversed[c.Key] < 2 {
				t.Errorf("%s: %d reverse-keyed statements, want at least 2", c.Key, reversed[c.Key])
			}
		}
	}
}
