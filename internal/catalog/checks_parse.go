package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rapport-hq/rapport/internal/platform/text"
)

// Check is one knowledge check from a lesson's front matter (API.md § "Knowledge checks and
// spaced review"): a short situation, options that each explain why they are right or wrong, and
// the id of the best option.
type Check struct {
	// ID is unique across the course and stable forever: learners' answers and review schedules
	// refer to it, so an edited check keeps its id and a new meaning gets a new one.
	ID      string
	Prompt  string
	Options []CheckOption
	Answer  string
	// Line is where the check starts in its lesson file, for errors found across the course.
	Line int
}

// CheckOption is one answer a learner can choose.
type CheckOption struct {
	ID          string
	Text        string
	Explanation string
}

// Limits of a lesson's checks.
const (
	MinChecksPerLesson = 2
	MaxChecksPerLesson = 3
	MinCheckOptions    = 2
	MaxCheckOptions    = 5
	MaxCheckIDLen      = 60
	MaxOptionIDLen     = 8
	MaxCheckPromptLen  = 1000
	MaxCheckTextLen    = 500
)

var optionIDRE = regexp.MustCompile(`^[a-z0-9]+$`)

// checks parses the optional checks: field of a lesson's front matter. A lesson without the
// field has no checks; one that has it must give 2-3 complete checks.
func (f *fields) checks(v *yaml.Node) []Check {
	if v == nil {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		f.Add(v.Line, "checks", "must be a list of checks, each with id, prompt, options and answer")
		return nil
	}
	if n := len(v.Content); n < MinChecksPerLesson || n > MaxChecksPerLesson {
		f.Add(v.Line, "checks", fmt.Sprintf("give %d or %d checks per lesson, not %d", MinChecksPerLesson, MaxChecksPerLesson, n))
	}
	out := make([]Check, 0, len(v.Content))
	for i, n := range v.Content {
		out = append(out, f.check(n, fmt.Sprintf("checks[%d]", i)))
	}
	return out
}

func (f *fields) check(n *yaml.Node, field string) Check {
	c := Check{Line: n.Line + f.Offset}
	kv := f.Mapping(n, field, "id", "prompt", "options", "answer")
	if kv == nil {
		return c
	}
	c.ID = f.text(kv, n, field, "id", MaxCheckIDLen)
	if c.ID != "" && !slugRE.MatchString(c.ID) {
		f.Add(kv["id"].Line, field+".id", "use lowercase letters, digits and single dashes, such as bhc-01-a")
	}
	c.Prompt = f.text(kv, n, field, "prompt", MaxCheckPromptLen)
	c.Options = f.options(kv["options"], n, field+".options")
	c.Answer = f.text(kv, n, field, "answer", MaxOptionIDLen)
	if c.Answer != "" && len(c.Options) > 0 && !slices.ContainsFunc(c.Options, func(o CheckOption) bool { return o.ID == c.Answer }) {
		ids := make([]string, len(c.Options))
		for i, o := range c.Options {
			ids[i] = o.ID
		}
		f.Add(kv["answer"].Line, field+".answer", fmt.Sprintf("must be the id of one of the options (%s)", strings.Join(ids, ", ")))
	}
	return c
}

func (f *fields) options(v, parent *yaml.Node, field string) []CheckOption {
	switch {
	case v == nil:
		f.Add(parent.Line, field, "is required")
		return nil
	case v.Kind != yaml.SequenceNode:
		f.Add(v.Line, field, "must be a list of options, each with id, text and explanation")
		return nil
	case len(v.Content) < MinCheckOptions || len(v.Content) > MaxCheckOptions:
		f.Add(v.Line, field, fmt.Sprintf("give %d to %d options, not %d", MinCheckOptions, MaxCheckOptions, len(v.Content)))
	}
	out := make([]CheckOption, 0, len(v.Content))
	seen := map[string]bool{}
	for i, n := range v.Content {
		of := fmt.Sprintf("%s[%d]", field, i)
		kv := f.Mapping(n, of, "id", "text", "explanation")
		if kv == nil {
			continue
		}
		o := CheckOption{ID: f.text(kv, n, of, "id", MaxOptionIDLen)}
		switch {
		case o.ID != "" && !optionIDRE.MatchString(o.ID):
			f.Add(kv["id"].Line, of+".id", "use lowercase letters or digits, such as a")
		case seen[o.ID]:
			f.Add(kv["id"].Line, of+".id", fmt.Sprintf("%q is the id of an earlier option of this check", o.ID))
		}
		seen[o.ID] = true
		o.Text = f.text(kv, n, of, "text", MaxCheckTextLen)
		o.Explanation = f.text(kv, n, of, "explanation", MaxCheckTextLen)
		out = append(out, o)
	}
	return out
}

// text returns a required one-line text field, collapsed to single spaces (folded YAML keeps the
// prompt readable in the file and on screen alike).
func (f *fields) text(kv map[string]*yaml.Node, parent *yaml.Node, field, key string, max int) string {
	v := kv[key]
	switch {
	case v == nil:
		f.Add(parent.Line, field+"."+key, "is required")
		return ""
	case v.Kind != yaml.ScalarNode:
		f.Add(v.Line, field+"."+key, "must be a single value")
		return ""
	}
	s, p := text.Line(v.Value, max)
	switch p {
	case text.Empty:
		f.Add(v.Line, field+"."+key, "is empty")
	case text.TooLong:
		f.Add(v.Line, field+"."+key, fmt.Sprintf("use at most %d characters", max))
	case text.Unshowable:
		f.Add(v.Line, field+"."+key, "contains characters that can't be shown")
	}
	return s
}

// checkIDs remembers the check ids of the modules accepted so far, so an id names one check in
// the whole course.
type checkIDs map[string]string

// claim reports every check of m whose id is used earlier in m or in an accepted module, and
// records m's ids only when there is none.
func (ids checkIDs) claim(m ModuleSource) ContentErrors {
	var errs ContentErrors
	mine := map[string]string{}
	for _, l := range m.Lessons {
		for i, c := range l.Checks {
			where := fmt.Sprintf("%s:%d", l.File, c.Line)
			other, dup := ids[c.ID]
			if !dup {
				other, dup = mine[c.ID]
			}
			if dup {
				errs = append(errs, ContentError{File: l.File, Line: c.Line, Field: fmt.Sprintf("checks[%d].id", i),
					Message: fmt.Sprintf("%q is also the id of the check at %s; check ids are unique across the course", c.ID, other)})
				continue
			}
			mine[c.ID] = where
		}
	}
	if len(errs) == 0 {
		for id, where := range mine {
			ids[id] = where
		}
	}
	return errs
}
