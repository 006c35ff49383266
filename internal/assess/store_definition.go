package assess

import (
	"encoding/json"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

// defDoc is an instrument definition as stored in instrument_versions.definition. Its field
// names are the storage format: renaming one would orphan every stored version.
type defDoc struct {
	Slug           string          `json:"slug"`
	Title          string          `json:"title"`
	Description    string          `json:"description"`
	Weights        weightsDoc      `json:"weights"`
	LikertLabels   []string        `json:"likert_labels"`
	SJTInstruction string          `json:"sjt_instruction"`
	Competencies   []competencyDoc `json:"competencies"`
	Items          []itemDoc       `json:"items"`
}

type weightsDoc struct {
	Likert float64 `json:"likert"`
	SJT    float64 `json:"sjt"`
}

type competencyDoc struct {
	Key         string `json:"key"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

type itemDoc struct {
	ID         string      `json:"id"`
	Competency string      `json:"competency"`
	Type       string      `json:"type"`
	Prompt     string      `json:"prompt"`
	Reverse    bool        `json:"reverse,omitempty"`
	Options    []optionDoc `json:"options,omitempty"`
}

type optionDoc struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Key     int    `json:"key,omitempty"`
	Correct bool   `json:"correct,omitempty"`
}

// encodeDefinition is the canonical JSON of a definition (stored, and hashed to detect changes).
func encodeDefinition(in *Instrument) []byte {
	d := defDoc{Slug: in.Slug, Title: in.Title, Description: in.Description,
		Weights:      weightsDoc{Likert: in.Weights.Likert, SJT: in.Weights.SJT},
		LikertLabels: in.LikertLabels, SJTInstruction: in.SJTInstruction,
		Competencies: make([]competencyDoc, len(in.Competencies)), Items: make([]itemDoc, len(in.Items))}
	for i, c := range in.Competencies {
		d.Competencies[i] = competencyDoc(c)
	}
	for i, it := range in.Items {
		d.Items[i] = itemDoc{ID: it.ID, Competency: it.Competency, Type: it.Type, Prompt: it.Prompt, Reverse: it.Reverse}
		for _, o := range it.Options {
			d.Items[i].Options = append(d.Items[i].Options, optionDoc(o))
		}
	}
	b, _ := json.Marshal(d) // plain strings, numbers and slices always marshal
	return b
}

// decodeDefinition reads a stored definition.
func decodeDefinition(raw []byte) (*Instrument, error) {
	var d defDoc
	if err := json.Unmarshal(raw, &d); err != nil {
		return nil, err
	}
	in := &Instrument{Slug: d.Slug, Title: d.Title, Description: d.Description,
		Weights:      Weights{Likert: d.Weights.Likert, SJT: d.Weights.SJT},
		LikertLabels: d.LikertLabels, SJTInstruction: d.SJTInstruction,
		Competencies: make([]Competency, len(d.Competencies)), Items: make([]Item, len(d.Items))}
	for i, c := range d.Competencies {
		in.Competencies[i] = Competency(c)
	}
	for i, it := range d.Items {
		in.Items[i] = Item{ID: it.ID, Competency: it.Competency, Type: it.Type, Prompt: it.Prompt, Reverse: it.Reverse}
		for _, o := range it.Options {
			in.Items[i].Options = append(in.Items[i].Options, Option(o))
		}
	}
	return in, nil
}

// definitionHash identifies a definition's content.
func definitionHash(in *Instrument) string { return ingest.Sum(encodeDefinition(in)) }
