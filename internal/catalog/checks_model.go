package catalog

import (
	"fmt"
	"slices"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/text"
)

// PublishedCheck is a check of a lesson in its module's latest published version, with the
// lesson it belongs to (the review queue links back to it) and the module's access level.
type PublishedCheck struct {
	Check
	LessonID    string
	LessonSlug  string
	LessonTitle string
	ModuleSlug  string
	Access      string
}

// Correct reports whether optionID is the check's answer.
func (c Check) Correct(optionID string) bool { return c.Answer == optionID }

// Option returns the option with the id, false when the check has none.
func (c Check) Option(id string) (CheckOption, bool) {
	i := slices.IndexFunc(c.Options, func(o CheckOption) bool { return o.ID == id })
	if i < 0 {
		return CheckOption{}, false
	}
	return c.Options[i], true
}

// validateChecks applies the front matter's rules (checks_parse.go) to checks edited in the
// studio, normalising their texts in place: none, or 2-3 checks, each with an id unique in the
// list, a prompt, 2-5 options with unique ids, texts and explanations, and an answer that names
// one of them. Fields are named like the front matter's: checks[0].options[1].text.
func validateChecks(cs []Check) []*apperr.FieldError {
	var errs []*apperr.FieldError
	if n := len(cs); n != 0 && (n < MinChecksPerLesson || n > MaxChecksPerLesson) {
		errs = append(errs, fieldErr("checks", fmt.Sprintf("Give %d or %d checks per lesson (or none), not %d.",
			MinChecksPerLesson, MaxChecksPerLesson, n)))
	}
	ids := map[string]bool{}
	for i := range cs {
		c := &cs[i]
		f := fmt.Sprintf("checks[%d]", i)
		switch e := validateSlug(f+".id", c.ID); {
		case e != nil:
			errs = append(errs, fieldErr(f+".id", "Use lowercase letters, digits and single dashes, such as bhc-01-a."))
		case ids[c.ID]:
			errs = append(errs, fieldErr(f+".id", fmt.Sprintf("%q is the id of an earlier check of this lesson.", c.ID)))
		}
		ids[c.ID] = true
		errs = append(errs, checkText(f+".prompt", &c.Prompt, MaxCheckPromptLen))
		if n := len(c.Options); n < MinCheckOptions || n > MaxCheckOptions {
			errs = append(errs, fieldErr(f+".options", fmt.Sprintf("Give %d to %d options, not %d.", MinCheckOptions, MaxCheckOptions, n)))
		}
		opts := map[string]bool{}
		for j := range c.Options {
			o := &c.Options[j]
			of := fmt.Sprintf("%s.options[%d]", f, j)
			switch {
			case o.ID == "" || len(o.ID) > MaxOptionIDLen || !optionIDRE.MatchString(o.ID):
				errs = append(errs, fieldErr(of+".id", fmt.Sprintf("Use 1 to %d lowercase letters or digits, such as a.", MaxOptionIDLen)))
			case opts[o.ID]:
				errs = append(errs, fieldErr(of+".id", fmt.Sprintf("%q is the id of an earlier option of this check.", o.ID)))
			}
			opts[o.ID] = true
			errs = append(errs, checkText(of+".text", &o.Text, MaxCheckTextLen), checkText(of+".explanation", &o.Explanation, MaxCheckTextLen))
		}
		if _, ok := c.Option(c.Answer); !ok {
			errs = append(errs, fieldErr(f+".answer", "Mark one of the options as the answer."))
		}
	}
	return errs
}

// checkText normalises one line of a check to single spaces and checks it, like the front matter.
func checkText(field string, s *string, max int) *apperr.FieldError {
	v, p := text.Line(*s, max)
	*s = v
	switch p {
	case text.Empty:
		return fieldErr(field, "Fill this in.")
	case text.TooLong:
		return fieldErr(field, fmt.Sprintf("Use at most %d characters.", max))
	case text.Unshowable:
		return fieldErr(field, "This contains characters we can’t show. Please remove them.")
	}
	return nil
}
