package assess

import (
	"fmt"
	"io/fs"
	"math"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
	"github.com/rapport-hq/rapport/internal/platform/text"
)

// InstrumentSource is one valid instrument file.
type InstrumentSource struct {
	File       string
	Instrument Instrument
	// Hash covers the parsed definition, so comments and layout changes make no new version.
	Hash string
}

// Limits on instrument files.
const (
	maxTitleLen  = 200
	maxTextLen   = 4000
	maxOptions   = 8
	minOptions   = 2
	maxItemIDLen = 40
)

var (
	slugRE       = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	itemIDRE     = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)
	competencyRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// instrumentFiles are the instrument files of a content tree (assessments/<slug>.yaml); a tree
// without an assessments folder has none.
var instrumentFiles = ingest.Set[InstrumentSource]{
	Dir:      "assessments",
	Optional: true,
	Entry:    func(e fs.DirEntry) bool { return !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") },
	Parse: func(fsys fs.FS, file string) (InstrumentSource, ContentErrors, error) {
		data, err := ingest.ReadFile(fsys, file)
		if err != nil {
			return InstrumentSource{}, nil, err
		}
		def, errs := ParseInstrument(file, data)
		src := InstrumentSource{File: file, Instrument: def}
		if len(errs) == 0 {
			src.Hash = definitionHash(&def)
		}
		return src, errs, nil
	},
	Key: func(s InstrumentSource) ingest.Key {
		return ingest.Key{Slug: s.Instrument.Slug, Name: s.File, File: s.File, Line: 1}
	},
}

// ParseInstruments reads every assessments/*.yaml file of fsys. A file with any error is left out
// of the result; its errors are returned so nothing half-valid is imported. A tree without an
// assessments folder has no instruments.
func ParseInstruments(fsys fs.FS) ([]InstrumentSource, ContentErrors, error) {
	return instrumentFiles.Collect(fsys)
}

// ParseInstrument parses and validates one instrument file named <slug>.yaml.
func ParseInstrument(file string, data []byte) (Instrument, ContentErrors) {
	p := &parser{ingest.Reader{File: file}}
	root, ok := p.Document(data)
	if !ok {
		return Instrument{}, p.Errs
	}
	if root == nil {
		p.Add(1, "yaml", "the file is empty")
		return Instrument{}, p.Errs
	}
	kv := p.Mapping(root, "", "slug", "title", "description", "weights", "likert_labels", "sjt_instruction", "competencies", "items")
	if kv == nil {
		return Instrument{}, p.Errs
	}
	var def Instrument
	def.Slug = p.str(kv, "slug", "slug", root.Line, true)
	if def.Slug != "" {
		want := strings.TrimSuffix(path.Base(file), ".yaml")
		switch {
		case !slugRE.MatchString(def.Slug) || len(def.Slug) > 60:
			p.Add(kv["slug"].Line, "slug", "must be lowercase letters, digits and single dashes (e.g. sales-eq-profile)")
		case def.Slug != want:
			p.Add(kv["slug"].Line, "slug", fmt.Sprintf("must match the file name (%q)", want))
		}
	}
	def.Title = text.Collapse(p.str(kv, "title", "title", root.Line, true))
	p.maxLen(kv, "title", "title", def.Title, maxTitleLen)
	def.Description = p.str(kv, "description", "description", root.Line, false)
	p.maxLen(kv, "description", "description", def.Description, maxTextLen)
	def.Weights = p.weights(kv)
	def.LikertLabels = p.labels(kv)
	def.SJTInstruction = p.str(kv, "sjt_instruction", "sjt_instruction", root.Line, false)
	def.Competencies = p.competencies(kv, root.Line)
	def.Items = p.items(kv, root.Line, def.Competencies)
	if len(p.Errs) == 0 {
		p.crossCheck(kv, root.Line, &def)
	}
	return def, p.Errs
}

// crossCheck applies the rules that span sections, once each section is valid on its own: every
// competency has items, and the labels and instruction exist when items need them.
func (p *parser) crossCheck(kv map[string]*yaml.Node, line int, def *Instrument) {
	if len(def.Competencies) == 0 || len(def.Items) == 0 {
		return
	}
	used := map[string]bool{}
	types := map[string]bool{}
	for _, it := range def.Items {
		used[it.Competency], types[it.Type] = true, true
	}
	for i, c := range def.Competencies {
		if !used[c.Key] {
			p.Add(kv["competencies"].Content[i].Line, fmt.Sprintf("competencies[%d]", i), "has no items")
		}
	}
	if types[TypeLikert] && kv["likert_labels"] == nil {
		p.Add(line, "likert_labels", "list the five answer labels, from 1 to 5")
	}
	if types[TypeSJT] && def.SJTInstruction == "" {
		p.Add(line, "sjt_instruction", "is required when there are sjt items")
	}
}

func (p *parser) weights(kv map[string]*yaml.Node) Weights {
	n := kv["weights"]
	if n == nil {
		return DefaultWeights
	}
	m := p.Mapping(n, "weights", "likert", "sjt")
	if m == nil {
		return DefaultWeights
	}
	var w Weights
	var ok [2]bool
	w.Likert, ok[0] = p.fraction(m, "likert", "weights.likert", n.Line)
	w.SJT, ok[1] = p.fraction(m, "sjt", "weights.sjt", n.Line)
	if ok[0] && ok[1] && math.Abs(w.Likert+w.SJT-1) > 1e-9 {
		p.Add(n.Line, "weights", "likert and sjt must add up to 1")
	}
	return w
}

func (p *parser) fraction(m map[string]*yaml.Node, key, field string, line int) (float64, bool) {
	n := m[key]
	if n == nil {
		p.Add(line, field, "is required")
		return 0, false
	}
	f, err := strconv.ParseFloat(n.Value, 64)
	if n.Kind != yaml.ScalarNode || err != nil || !(f >= 0 && f <= 1) { // written so NaN fails too
		p.Add(n.Line, field, "must be a number from 0 to 1")
		return 0, false
	}
	return f, true
}

func (p *parser) labels(kv map[string]*yaml.Node) []string {
	n := kv["likert_labels"]
	if n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) != ScaleMax {
		p.Add(n.Line, "likert_labels", "must list exactly five labels, from 1 to 5")
		return nil
	}
	out := make([]string, len(n.Content))
	for i, c := range n.Content {
		out[i] = strings.TrimSpace(c.Value)
		if c.Kind != yaml.ScalarNode || out[i] == "" {
			p.Add(c.Line, fmt.Sprintf("likert_labels[%d]", i), "must be a non-empty text")
		}
	}
	return out
}

func (p *parser) competencies(kv map[string]*yaml.Node, line int) []Competency {
	seq := p.seq(kv, "competencies", "competencies", line)
	out := make([]Competency, 0, len(seq))
	for i, n := range seq {
		field := fmt.Sprintf("competencies[%d]", i)
		m := p.Mapping(n, field, "key", "name", "description")
		if m == nil {
			continue
		}
		c := Competency{Key: p.str(m, "key", field+".key", n.Line, true), Name: p.str(m, "name", field+".name", n.Line, true),
			Description: p.str(m, "description", field+".description", n.Line, false)}
		switch {
		case c.Key == "":
		case !competencyRE.MatchString(c.Key):
			p.Add(m["key"].Line, field+".key", "must be lowercase letters, digits and underscores (e.g. self_awareness)")
		case slices.ContainsFunc(out, func(o Competency) bool { return o.Key == c.Key }):
			p.Add(m["key"].Line, field+".key", "is listed twice")
		}
		out = append(out, c)
	}
	return out
}

func (p *parser) items(kv map[string]*yaml.Node, line int, comps []Competency) []Item {
	seq := p.seq(kv, "items", "items", line)
	out := make([]Item, 0, len(seq))
	ids := map[string]bool{}
	for i, n := range seq {
		field := fmt.Sprintf("items[%d]", i)
		m := p.Mapping(n, field, "id", "competency", "type", "prompt", "reverse", "options")
		if m == nil {
			continue
		}
		it := Item{ID: p.str(m, "id", field+".id", n.Line, true), Competency: p.str(m, "competency", field+".competency", n.Line, true),
			Type: p.str(m, "type", field+".type", n.Line, true), Prompt: p.str(m, "prompt", field+".prompt", n.Line, true)}
		p.maxLen(m, "prompt", field+".prompt", it.Prompt, maxTextLen)
		switch {
		case it.ID == "":
		case !itemIDRE.MatchString(it.ID) || len(it.ID) > maxItemIDLen:
			p.Add(m["id"].Line, field+".id", "must be lowercase letters and digits joined by single dashes or underscores (e.g. sa-l1)")
		case ids[it.ID]:
			p.Add(m["id"].Line, field+".id", "is used by another item")
		}
		ids[it.ID] = true
		if it.Competency != "" && !slices.ContainsFunc(comps, func(c Competency) bool { return c.Key == it.Competency }) {
			p.Add(m["competency"].Line, field+".competency", "must be one of the keys listed under competencies")
		}
		if r := m["reverse"]; r != nil {
			b, err := strconv.ParseBool(r.Value)
			switch {
			case r.Kind != yaml.ScalarNode || err != nil:
				p.Add(r.Line, field+".reverse", "must be true or false")
			case it.Type != TypeLikert && b:
				p.Add(r.Line, field+".reverse", "applies to likert items only")
			}
			it.Reverse = b
		}
		it.Options = p.options(m, field, n.Line, it.Type)
		out = append(out, it)
	}
	return out
}

// options parses an item's options as its type demands: none for likert, actions with an expert
// key 1-5 for sjt, answers with exactly one correct: true for choice.
func (p *parser) options(m map[string]*yaml.Node, field string, line int, typ string) []Option {
	n := m["options"]
	switch typ {
	case "":
		return nil
	case TypeLikert:
		if n != nil {
			p.Add(n.Line, field+".options", "likert items take no options (the answer labels are likert_labels)")
		}
		return nil
	case TypeSJT, TypeChoice:
	default:
		p.Add(m["type"].Line, field+".type", "must be likert, sjt or choice")
		return nil
	}
	seq := p.seq(m, "options", field+".options", line)
	if len(seq) > 0 && (len(seq) < minOptions || len(seq) > maxOptions) {
		p.Add(n.Line, field+".options", fmt.Sprintf("must list %d to %d options", minOptions, maxOptions))
	}
	out := make([]Option, 0, len(seq))
	correct := 0
	for j, on := range seq {
		of := fmt.Sprintf("%s.options[%d]", field, j)
		om := p.Mapping(on, of, "id", "text", "key", "correct")
		if om == nil {
			continue
		}
		o := Option{ID: p.str(om, "id", of+".id", on.Line, true), Text: p.str(om, "text", of+".text", on.Line, true)}
		p.maxLen(om, "text", of+".text", o.Text, maxTextLen)
		if o.ID != "" && slices.ContainsFunc(out, func(x Option) bool { return x.ID == o.ID }) {
			p.Add(om["id"].Line, of+".id", "is used by another option of this item")
		}
		o.Key, o.Correct = p.answerKey(om, of, on.Line, typ)
		if o.Correct {
			correct++
		}
		out = append(out, o)
	}
	if typ == TypeChoice && len(seq) > 0 && correct != 1 {
		p.Add(n.Line, field+".options", "mark exactly one option correct: true")
	}
	return out
}

// answerKey reads an option's key (sjt, required, 1-5) or correct flag (choice, optional).
func (p *parser) answerKey(om map[string]*yaml.Node, of string, line int, typ string) (int, bool) {
	key, cor := om["key"], om["correct"]
	if typ == TypeSJT {
		if cor != nil {
			p.Add(cor.Line, of+".correct", "applies to choice items only (sjt options take a key)")
		}
		if key == nil {
			p.Add(line, of+".key", "is required: the expert rating from 1 to 5")
			return 0, false
		}
		k, err := strconv.Atoi(key.Value)
		if key.Kind != yaml.ScalarNode || err != nil || outOfScale(k) {
			p.Add(key.Line, of+".key", "must be a whole number from 1 to 5")
		}
		return k, false
	}
	if key != nil {
		p.Add(key.Line, of+".key", "applies to sjt items only (choice options take correct: true)")
	}
	if cor == nil {
		return 0, false
	}
	b, err := strconv.ParseBool(cor.Value)
	if cor.Kind != yaml.ScalarNode || err != nil {
		p.Add(cor.Line, of+".correct", "must be true or false")
	}
	return 0, b
}
