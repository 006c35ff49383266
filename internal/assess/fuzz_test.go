package assess

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/content"
	"github.com/rapport-hq/rapport/internal/apperr"
)

// The fuzz targets of the assessments: answer validation, scoring and the instrument importer.
// Their seed corpora live in testdata/fuzz/<FuzzName>/ and run with every plain `go test`;
// scripts/fuzz.sh fuzzes each target for a few seconds in `make test`.

// fuzzItemTypes are the item types FuzzValidateAnswer picks from; the last is unknown on purpose.
var fuzzItemTypes = []string{TypeLikert, TypeSJT, TypeChoice, "essay"}

// fuzzItem builds an item of the picked type with n options (ids "a", "b", …, keys 1-5, the
// first choice option correct).
func fuzzItem(typ uint8, n uint8) Item {
	it := Item{ID: "item-1", Competency: "skill", Type: fuzzItemTypes[int(typ)%len(fuzzItemTypes)], Prompt: "?"}
	if it.Type == TypeLikert {
		return it
	}
	for i := range int(n) % (maxOptions + 1) {
		it.Options = append(it.Options, Option{ID: string(rune('a' + i)), Text: "option", Key: i%ScaleMax + 1, Correct: i == 0})
	}
	return it
}

// FuzzValidateAnswer sends any JSON value to any item type: ParseAnswer never panics, refuses
// with an Invalid error naming "value" (an unknown item type is a plain error), and what it
// accepts is in range and of the item's shape. An accepted answer's stored form parses back to
// the same answer.
func FuzzValidateAnswer(f *testing.F) {
	f.Add(uint8(0), uint8(0), []byte(`3`))
	f.Add(uint8(1), uint8(4), []byte(`[5,1,3,2]`))
	f.Add(uint8(2), uint8(2), []byte(`"a"`))
	f.Fuzz(func(t *testing.T, typ, n uint8, raw []byte) {
		it := fuzzItem(typ, n)
		a, err := ParseAnswer(it, json.RawMessage(raw))
		if err != nil {
			var ae *apperr.Error
			known := slices.Contains(fuzzItemTypes[:3], it.Type)
			if known && (!errors.As(err, &ae) || ae.Kind != apperr.Invalid || len(ae.Fields) != 1 || ae.Fields[0].Field != "value") {
				t.Fatalf("refusal is not an Invalid error naming value: %#v", err)
			}
			return
		}
		checkAnswerShape(t, it, a)
		stored := encodeAnswer(it.Type, a)
		back, err := ParseAnswer(it, stored)
		if err != nil || !reflect.DeepEqual(back, a) {
			t.Fatalf("stored answer %s parses back to %+v (%v), want %+v", stored, back, err, a)
		}
	})
}

// checkAnswerShape fails unless a is a valid answer to it.
func checkAnswerShape(t *testing.T, it Item, a Answer) {
	t.Helper()
	switch it.Type {
	case TypeLikert:
		if a.Likert < ScaleMin || a.Likert > ScaleMax || a.Ratings != nil || a.Choice != "" {
			t.Fatalf("accepted likert answer %+v", a)
		}
	case TypeSJT:
		if len(a.Ratings) != len(it.Options) || slices.ContainsFunc(a.Ratings, outOfScale) || a.Likert != 0 || a.Choice != "" {
			t.Fatalf("accepted sjt answer %+v for %d actions", a, len(it.Options))
		}
	case TypeChoice:
		if !slices.ContainsFunc(it.Options, func(o Option) bool { return o.ID == a.Choice }) || a.Likert != 0 || a.Ratings != nil {
			t.Fatalf("accepted choice answer %+v", a)
		}
	default:
		t.Fatalf("accepted %+v for an item of unknown type %q", a, it.Type)
	}
}

// byteReader hands out fuzz bytes one at a time, then zeros.
type byteReader struct{ b []byte }

func (r *byteReader) next() int {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return int(v)
}

// fuzzInstrumentYAML writes an instrument file from shape bytes: one to four competencies, each
// with one to three items of any type (SJT keys 1-5, one correct choice option), with the given
// weights as quoted text. It returns the file and one valid raw answer per item, also drawn from
// the shape bytes (zeros once they run out).
func fuzzInstrumentYAML(likertW, sjtW string, shape []byte) (string, map[string]json.RawMessage) {
	r := &byteReader{b: shape}
	var y strings.Builder
	fmt.Fprintf(&y, "slug: fuzz\ntitle: Fuzz\nweights:\n  likert: %s\n  sjt: %s\n", strconv.Quote(likertW), strconv.Quote(sjtW))
	y.WriteString("likert_labels: [one, two, three, four, five]\nsjt_instruction: Rate each action.\ncompetencies:\n")
	comps := 1 + r.next()%4
	for c := range comps {
		fmt.Fprintf(&y, "  - {key: c%d, name: Skill %d}\n", c, c)
	}
	y.WriteString("items:\n")
	answers := map[string]json.RawMessage{}
	for c := range comps {
		for i := range 1 + r.next()%3 {
			id := fmt.Sprintf("c%d-i%d", c, i)
			typ := []string{TypeLikert, TypeSJT, TypeChoice}[r.next()%3]
			fmt.Fprintf(&y, "  - id: %s\n    competency: c%d\n    type: %s\n    prompt: Question\n", id, c, typ)
			switch typ {
			case TypeLikert:
				if r.next()%2 == 1 {
					y.WriteString("    reverse: true\n")
				}
				answers[id] = json.RawMessage(strconv.Itoa(1 + r.next()%5))
			case TypeSJT:
				n := minOptions + r.next()%(maxOptions-minOptions+1)
				y.WriteString("    options:\n")
				ratings := make([]int, n)
				for o := range n {
					fmt.Fprintf(&y, "      - {id: o%d, text: Action, key: %d}\n", o, 1+r.next()%5)
					ratings[o] = 1 + r.next()%5
				}
				answers[id], _ = json.Marshal(ratings)
			case TypeChoice:
				n := minOptions + r.next()%(maxOptions-minOptions+1)
				correct := r.next() % n
				y.WriteString("    options:\n")
				for o := range n {
					fmt.Fprintf(&y, "      - {id: o%d, text: Answer, correct: %t}\n", o, o == correct)
				}
				answers[id] = json.RawMessage(strconv.Quote(fmt.Sprintf("o%d", r.next()%n)))
			}
		}
	}
	return y.String(), answers
}

// FuzzScore scores random valid answer sets against random instruments that the importer accepts
// (the weights are fuzzed text, as an author could write them): every competency score and half
// is a number within [0, 100], never NaN, the range the database's checks demand.
func FuzzScore(f *testing.F) {
	f.Add("0.5", "0.5", []byte{3, 2, 0, 0, 4, 1, 6, 2, 3, 4, 5, 1, 2, 2, 5, 0, 3})
	f.Fuzz(func(t *testing.T, likertW, sjtW string, shape []byte) {
		yml, raw := fuzzInstrumentYAML(likertW, sjtW, shape)
		def, errs := ParseInstrument("assessments/fuzz.yaml", []byte(yml))
		for _, e := range errs {
			if !strings.HasPrefix(e.Field, "weights") {
				t.Fatalf("the generated instrument is refused for %v:\n%s", e, yml)
			}
		}
		if len(errs) > 0 {
			return
		}
		answers := map[string]Answer{}
		for _, it := range def.Items {
			a, err := ParseAnswer(it, raw[it.ID])
			if err != nil {
				t.Fatalf("generated answer %s to %s refused: %v", raw[it.ID], it.ID, err)
			}
			answers[it.ID] = a
		}
		scores, err := ScoreAttempt(&def, answers)
		if err != nil {
			t.Fatalf("ScoreAttempt: %v", err)
		}
		if len(scores) != len(def.Competencies) {
			t.Fatalf("%d scores for %d competencies", len(scores), len(def.Competencies))
		}
		for _, s := range scores {
			for name, v := range map[string]*float64{"score": &s.Score, "likert": s.Likert, "sjt": s.SJT} {
				if v != nil && !(*v >= 0 && *v <= 100) {
					t.Fatalf("%s %s = %v (weights %v), want a number within [0, 100]", s.Competency, name, *v, def.Weights)
				}
			}
		}
	})
}

// FuzzParseInstrument parses arbitrary bytes as the instrument file assessments/fuzz.yaml: no
// panic, every error names the file, and an accepted instrument is one that can be scored:
// finite weights from 0 to 1 adding up to 1, known item types, unique item ids, SJT items with 2-8
// actions keyed 1-5, choice items with one correct option, and items for every competency.
func FuzzParseInstrument(f *testing.F) {
	err := fs.WalkDir(content.FS, "assessments", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(content.FS, p)
		if err == nil {
			f.Add(bytes.ReplaceAll(data, []byte("slug: sales-eq-profile"), []byte("slug: fuzz")))
		}
		return err
	})
	if err != nil {
		f.Fatalf("read shipped instruments: %v", err)
	}
	const file = "assessments/fuzz.yaml"
	f.Fuzz(func(t *testing.T, data []byte) {
		def, errs := ParseInstrument(file, data)
		for _, e := range errs {
			if e.File != file || e.Line < 0 || e.Message == "" {
				t.Fatalf("error does not name the file and a line: %#v", e)
			}
		}
		if len(errs) == 0 {
			checkInstrument(t, &def)
		}
	})
}

// checkInstrument fails unless an accepted instrument can be scored.
func checkInstrument(t *testing.T, def *Instrument) {
	t.Helper()
	w := def.Weights
	if !(w.Likert >= 0 && w.Likert <= 1 && w.SJT >= 0 && w.SJT <= 1) || math.Abs(w.Likert+w.SJT-1) > 1e-9 {
		t.Fatalf("accepted weights %+v", w)
	}
	if def.Slug != "fuzz" || def.Title == "" || len(def.Items) == 0 {
		t.Fatalf("accepted slug %q, title %q, %d items", def.Slug, def.Title, len(def.Items))
	}
	ids := map[string]bool{}
	used := map[string]bool{}
	for _, it := range def.Items {
		if ids[it.ID] {
			t.Fatalf("item id %q accepted twice", it.ID)
		}
		ids[it.ID], used[it.Competency] = true, true
		switch it.Type {
		case TypeLikert:
		case TypeSJT:
			if len(it.Options) < minOptions || len(it.Options) > maxOptions ||
				slices.ContainsFunc(it.Options, func(o Option) bool { return outOfScale(o.Key) }) {
				t.Fatalf("accepted sjt item %+v", it)
			}
		case TypeChoice:
			n := 0
			for _, o := range it.Options {
				if o.Correct {
					n++
				}
			}
			if n != 1 || len(it.Options) < minOptions || len(it.Options) > maxOptions {
				t.Fatalf("accepted choice item %+v", it)
			}
		default:
			t.Fatalf("accepted item type %q", it.Type)
		}
	}
	for _, c := range def.Competencies {
		if !used[c.Key] {
			t.Fatalf("accepted competency %q without items", c.Key)
		}
	}
}
