package practice_test

import (
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"

	"gopkg.in/yaml.v3"
)

// The shipped activities are read from the repository rather than through the importer, so this
// test holds the writing to the course's standard (rubric shape, competency coverage, cast) on its
// own terms; the importer's tests cover how activities are stored.
const shippedActivitiesDir = "../../content/practice"

var competencyKeys = []string{
	"self_awareness", "self_management", "social_awareness", "relationship_management",
	"job_diagnosis", "consensus_building", "prescriptive_guidance", "stakeholder_mapping",
}

type shippedActivity struct {
	file             string
	Slug             string   `yaml:"slug"`
	Title            string   `yaml:"title"`
	ModuleSlug       string   `yaml:"module_slug"`
	Competencies     []string `yaml:"competencies"`
	Kind             string   `yaml:"kind"`
	Brief            string   `yaml:"brief"`
	BuyerMedia       string   `yaml:"buyer_media"`
	TimeLimitSeconds int      `yaml:"time_limit_seconds"`
	Position         *int     `yaml:"position"`
	Rubric           []struct {
		ID         string            `yaml:"id"`
		Competency string            `yaml:"competency"`
		Criterion  string            `yaml:"criterion"`
		Anchors    map[string]string `yaml:"anchors"`
	} `yaml:"rubric"`
}

func loadShippedActivities(t *testing.T) []shippedActivity {
	t.Helper()
	entries, err := os.ReadDir(shippedActivitiesDir)
	if err != nil {
		t.Fatalf("reading %s: %v", shippedActivitiesDir, err)
	}
	var out []shippedActivity
	for _, e := range entries {
		if e.IsDir() || path.Ext(e.Name()) != ".yaml" {
			continue
		}
		raw, err := os.ReadFile(path.Join(shippedActivitiesDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var a shippedActivity
		dec := yaml.NewDecoder(strings.NewReader(string(raw)))
		dec.KnownFields(true)
		if err := dec.Decode(&a); err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		a.file = e.Name()
		out = append(out, a)
	}
	return out
}

// TestShippedActivities holds every shipped practice activity to the course's standard: a rubric
// of 3-6 criteria with behavioural anchors at 1, 3 and 5, each criterion on one of the activity's
// competencies, a time limit that fits a recording, and enough activities that every competency
// is both practised as an activity's main focus and scored by some criterion.
func TestShippedActivities(t *testing.T) {
	activities := loadShippedActivities(t)
	if len(activities) < 8 {
		t.Fatalf("%d shipped activities, want at least 8", len(activities))
	}
	valid := map[string]bool{}
	for _, k := range competencyKeys {
		valid[k] = true
	}
	modules := shippedModuleSlugs(t)
	primary, scored := map[string]bool{}, map[string]bool{}
	kinds := map[string]int{}
	managerActivities := 0
	for _, a := range activities {
		if a.Slug+".yaml" != a.file {
			t.Errorf("%s: slug %q must match the file name", a.file, a.Slug)
		}
		if strings.TrimSpace(a.Title) == "" || strings.TrimSpace(a.Brief) == "" {
			t.Errorf("%s: title and brief are required", a.file)
		}
		switch a.Kind {
		case "video", "audio", "text":
			kinds[a.Kind]++
		default:
			t.Errorf("%s: kind %q is not video, audio or text", a.file, a.Kind)
		}
		if a.TimeLimitSeconds < 30 || a.TimeLimitSeconds > 600 {
			t.Errorf("%s: time limit %d s is outside 30-600", a.file, a.TimeLimitSeconds)
		}
		if a.ModuleSlug != "" && !modules[a.ModuleSlug] {
			t.Errorf("%s: module %q is not a shipped module", a.file, a.ModuleSlug)
		}
		if a.ModuleSlug == "leading-sellers" {
			managerActivities++
		}
		own := map[string]bool{}
		for i, c := range a.Competencies {
			if !valid[c] {
				t.Errorf("%s: competency %q is not one of the eight", a.file, c)
			}
			if own[c] {
				t.Errorf("%s: competency %q is listed twice", a.file, c)
			}
			own[c] = true
			if i == 0 {
				primary[c] = true
			}
		}
		if n := len(a.Rubric); n < 3 || n > 6 {
			t.Errorf("%s: %d rubric criteria, want 3-6", a.file, n)
		}
		ids := map[string]bool{}
		for _, r := range a.Rubric {
			if r.ID == "" || ids[r.ID] {
				t.Errorf("%s: criterion id %q is empty or repeated", a.file, r.ID)
			}
			ids[r.ID] = true
			if !own[r.Competency] {
				t.Errorf("%s: criterion %s scores %q, which is not among the activity's competencies %v", a.file, r.ID, r.Competency, a.Competencies)
			}
			scored[r.Competency] = true
			if strings.TrimSpace(r.Criterion) == "" {
				t.Errorf("%s: criterion %s has no text", a.file, r.ID)
			}
			if len(r.Anchors) != 3 {
				t.Errorf("%s: criterion %s has anchors %v, want exactly 1, 3 and 5", a.file, r.ID, keys(r.Anchors))
			}
			for _, level := range []string{"1", "3", "5"} {
				if strings.TrimSpace(r.Anchors[level]) == "" {
					t.Errorf("%s: criterion %s has no anchor for %s", a.file, r.ID, level)
				}
			}
		}
		if a.BuyerMedia != "" {
			name, ok := strings.CutPrefix(a.BuyerMedia, "media:")
			if !ok {
				t.Errorf("%s: buyer_media %q must be media:FILENAME", a.file, a.BuyerMedia)
			} else {
				if _, err := os.Stat(path.Join(shippedActivitiesDir, "media", name)); err != nil {
					t.Errorf("%s: buyer_media file: %v", a.file, err)
				}
				// A recorded line ships with its captions, for learners who cannot hear it.
				captions := strings.TrimSuffix(name, path.Ext(name)) + ".vtt"
				if _, err := os.Stat(path.Join(shippedActivitiesDir, "media", captions)); err != nil {
					t.Errorf("%s: the recorded buyer line has no captions: %v", a.file, err)
				}
			}
		}
		for _, text := range activityTexts(a) {
			if w := placeholder.FindString(text); w != "" {
				t.Errorf("%s: placeholder text %q", a.file, w)
			}
		}
	}
	for _, k := range competencyKeys {
		if !primary[k] {
			t.Errorf("no activity has %s as its main (first-listed) competency", k)
		}
		if !scored[k] {
			t.Errorf("no rubric criterion scores %s", k)
		}
	}
	if managerActivities == 0 {
		t.Error("no activity for managers (module leading-sellers)")
	}
	for _, kind := range []string{"video", "audio", "text"} {
		if kinds[kind] == 0 {
			t.Errorf("no %s activity; ship a mix of kinds", kind)
		}
	}
}

// TestShippedActivitiesOrder keeps the list in course order: every activity sets its position,
// positions are distinct and follow the modules' order, so the first activity of the free module
// (the free one) is the one written for it, why-now-why-this-year.
func TestShippedActivitiesOrder(t *testing.T) {
	order := shippedModuleOrder(t)
	activities := loadShippedActivities(t)
	seen := map[int]string{}
	for _, a := range activities {
		if a.Position == nil {
			t.Errorf("%s: set a position so the list follows the course", a.file)
			continue
		}
		if other, dup := seen[*a.Position]; dup {
			t.Errorf("%s: position %d is also %s's", a.file, *a.Position, other)
		}
		seen[*a.Position] = a.file
	}
	sort.SliceStable(activities, func(i, j int) bool { return pos(activities[i]) < pos(activities[j]) })
	last := 0
	for _, a := range activities {
		if o := order[a.ModuleSlug]; a.ModuleSlug != "" && o < last {
			t.Errorf("%s (module %s) comes after an activity of a later module", a.file, a.ModuleSlug)
		} else if a.ModuleSlug != "" {
			last = o
		}
	}
	for _, a := range activities {
		if a.ModuleSlug == "buyer-has-changed" {
			if a.Slug != "why-now-why-this-year" {
				t.Errorf("the free module's first activity is %s, want why-now-why-this-year", a.Slug)
			}
			break
		}
	}
}

func pos(a shippedActivity) int {
	if a.Position == nil {
		return 0
	}
	return *a.Position
}

var placeholder = regexp.MustCompile(`(?i)\b(todo|tbd|fixme|lorem|ipsum|placeholder|xxx)\b|\[insert|<[a-z]+>`)

// TestShippedActivitiesUseTheCast checks that every name in an activity belongs to the cast sheet:
// a capitalised word in the middle of a sentence is a name (or a weekday or month), and it must
// appear in content/cast.md; a run of two or more such words ("Priya Raman", "Ardent Media") must
// appear there as written, so a new surname can't pair with a known first name unnoticed.
func TestShippedActivitiesUseTheCast(t *testing.T) {
	raw, err := os.ReadFile("../../content/cast.md")
	if err != nil {
		t.Fatal(err)
	}
	cast := string(raw)
	castWords := map[string]bool{}
	for _, w := range strings.FieldsFunc(cast, func(r rune) bool { return !unicode.IsLetter(r) }) {
		castWords[w] = true
	}
	for _, a := range loadShippedActivities(t) {
		for _, text := range activityTexts(a) {
			for _, run := range capitalisedRuns(text) {
				names := run.words
				if run.sentenceStart {
					// The first word may only be starting the sentence ("Today Gareth Lloyd").
					names = names[1:]
				}
				for _, w := range names {
					if !castWords[w] && !firstPerson[w] {
						t.Errorf("%s: %q is not on the cast sheet (content/cast.md)", a.file, w)
					}
				}
				if len(run.words) < 2 || strings.Contains(cast, strings.Join(run.words, " ")) {
					continue
				}
				// A run that opens a sentence is a name when its first word starts a name on the
				// cast sheet ("Stuart Penrose", so "Stuart Raman" is caught); otherwise the first
				// word is ordinary ("Today") and the rest must be a name.
				firstStartsAName := regexp.MustCompile(`\b` + regexp.QuoteMeta(run.words[0]) + ` \p{Lu}`).MatchString(cast)
				if !run.sentenceStart || firstStartsAName || len(names) >= 2 && !strings.Contains(cast, strings.Join(names, " ")) {
					t.Errorf("%s: %q is not on the cast sheet (content/cast.md)", a.file, strings.Join(run.words, " "))
				}
			}
		}
	}
}

var firstPerson = map[string]bool{"I": true, "I'm": true, "I'll": true, "I'd": true, "I've": true}

// calendarWords are capitalised in English without being names; they also end a run, so "On
// Thursday Maya closed" yields no "Thursday Maya".
var calendarWords = map[string]bool{
	"Monday": true, "Tuesday": true, "Wednesday": true, "Thursday": true, "Friday": true,
	"Saturday": true, "Sunday": true, "January": true, "February": true, "March": true,
	"April": true, "May": true, "June": true, "July": true, "August": true, "September": true,
	"October": true, "November": true, "December": true,
}

type capitalisedRun struct {
	words         []string
	sentenceStart bool // the run's first word opens a sentence, heading, list item or quotation
}

// capitalisedRuns returns each run of consecutive capitalised words in text, leaving out acronyms
// (CFO, IT) and calendar words. Punctuation between two words ends a run.
func capitalisedRuns(text string) []capitalisedRun {
	var runs []capitalisedRun
	for _, paragraph := range strings.Split(text, "\n\n") {
		runs = append(runs, paragraphRuns(paragraph)...)
	}
	return runs
}

func paragraphRuns(paragraph string) []capitalisedRun {
	var runs []capitalisedRun
	var current *capitalisedRun
	flush := func() {
		if current != nil {
			runs = append(runs, *current)
			current = nil
		}
	}
	atStart, joinable := true, false
	for _, field := range strings.Fields(paragraph) {
		first := strings.IndexFunc(field, unicode.IsLetter)
		if first < 0 {
			flush()
			atStart = atStart || strings.ContainsAny(field, "-#>.?!:")
			joinable = false
			continue
		}
		last := strings.LastIndexFunc(field, unicode.IsLetter)
		word := field[first : last+1]
		trailing := field[last+1:]
		for _, possessive := range []string{"'s", "\u2019s"} {
			if name, ok := strings.CutSuffix(word, possessive); ok && name != "" {
				word, trailing = name, possessive+trailing
			}
		}
		leading := field[:first]
		isName := unicode.IsUpper([]rune(word)[0]) && !isAcronym(word) && !calendarWords[word]
		switch {
		case isName && current != nil && joinable && leading == "":
			current.words = append(current.words, word)
		case isName:
			flush()
			current = &capitalisedRun{words: []string{word}, sentenceStart: atStart || leading != ""}
		default:
			flush()
		}
		joinable = isName && trailing == ""
		if !joinable {
			flush()
		}
		atStart = strings.ContainsAny(trailing, ".?!:")
	}
	flush()
	return runs
}

func isAcronym(word string) bool {
	upper := 0
	for _, r := range word {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	return upper > 1
}

func activityTexts(a shippedActivity) []string {
	texts := []string{a.Title, a.Brief}
	for _, r := range a.Rubric {
		texts = append(texts, r.Criterion, r.Anchors["1"], r.Anchors["3"], r.Anchors["5"])
	}
	return texts
}

func shippedModuleSlugs(t *testing.T) map[string]bool {
	t.Helper()
	slugs := map[string]bool{}
	for slug := range shippedModuleOrder(t) {
		slugs[slug] = true
	}
	return slugs
}

// shippedModuleOrder maps each shipped module's slug to its order.
func shippedModuleOrder(t *testing.T) map[string]int {
	t.Helper()
	entries, err := os.ReadDir("../../content/modules")
	if err != nil {
		t.Fatal(err)
	}
	order := map[string]int{}
	for _, e := range entries {
		raw, err := os.ReadFile(path.Join("../../content/modules", e.Name(), "module.yaml"))
		if err != nil {
			continue
		}
		var m struct {
			Slug  string `yaml:"slug"`
			Order int    `yaml:"order"`
		}
		if err := yaml.Unmarshal(raw, &m); err == nil && m.Slug != "" {
			order[m.Slug] = m.Order
		}
	}
	return order
}

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
