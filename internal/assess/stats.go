package assess

import "context"

// Item flags, and where they start.
const (
	// FlagLowR: the item-rest correlation is below FlagRestR; the item does not measure what the
	// other items of its part of the competency measure.
	FlagLowR  = "low_item_rest_r"
	FlagRestR = 0.20
	// FlagCeiling: more than FlagCeilingPct percent of learners give the best possible answer,
	// so the item cannot tell good from great or show growth.
	FlagCeiling    = "ceiling"
	FlagCeilingPct = 60.0
)

// ItemStat describes how learners answered one item in their baselines. Mean and SD are on the
// item's scoring scale: the keyed 1-5 value for Likert items, 0-100 for SJT and choice items.
type ItemStat struct {
	ID         string
	Competency string
	Type       string
	// Text is the item's prompt (the statement or the scenario) as learners read it; Reverse
	// marks a reverse-keyed Likert statement, whose mean is on the keyed scale.
	Text    string
	Reverse bool
	N       int
	Mean    float64
	SD      float64
	// ItemRestR is the item-rest (corrected item-total) correlation; nil when it cannot be
	// computed.
	ItemRestR *float64
	// CeilingPct is the percent of learners at the item's best value (keyed 5, or 100).
	CeilingPct float64
	Flags      []string
}

// CompetencyStat is a competency's reliability as growth is judged with it, with the mean of the
// baseline scores (0-100; nil before any baseline).
type CompetencyStat struct {
	Competency string
	Name       string
	Mean       *float64
	Reliability
}

// Stats are an instrument's item and scale statistics over every finished baseline.
type Stats struct {
	Slug         string
	Version      int
	Baselines    int
	Items        []ItemStat
	Competencies []CompetencyStat
}

// Stats computes item and scale statistics of an instrument's current version from every
// finished baseline (two queries, then Go arithmetic). The corrected item-total correlation
// relates an item to the sum of the other items of its competency of the same kind (Likert items
// with Likert items, as alpha does; SJT and choice items with each other), so that scales of
// different ranges are not summed together.
func (s *Service) Stats(ctx context.Context, slug string) (Stats, error) {
	cur, err := s.store.FindCurrent(ctx, slug)
	if err != nil {
		return Stats{}, notFound(err, "We couldn’t find that assessment. Choose one from the Assessments page.")
	}
	def, err := s.definition(ctx, cur.VersionID)
	if err != nil {
		return Stats{}, err
	}
	b, err := s.baselineData(ctx, cur.InstrumentID, def)
	if err != nil {
		return Stats{}, err
	}
	out := Stats{Slug: cur.Slug, Version: cur.Version, Baselines: b.count}
	rel, err := s.reliability(ctx, cur.InstrumentID, def)
	if err != nil {
		return Stats{}, err
	}
	for _, c := range def.Competencies {
		cs := CompetencyStat{Competency: c.Key, Name: c.Name, Reliability: rel[c.Key]}
		if scores := b.scores[c.Key]; len(scores) > 0 {
			m := Mean(scores)
			cs.Mean = &m
		}
		out.Competencies = append(out.Competencies, cs)
	}
	itemR := map[string]*float64{}
	for _, c := range def.Competencies {
		for _, likert := range []bool{true, false} {
			for id, r := range itemTotal(b, def.itemsOf(c.Key, likert)) {
				itemR[id] = r
			}
		}
	}
	for _, it := range def.Items {
		var xs []float64
		for _, ans := range b.answers {
			if a, ok := ans[it.ID]; ok {
				xs = append(xs, itemValue(it, a))
			}
		}
		out.Items = append(out.Items, itemStat(it, xs, itemR[it.ID]))
	}
	return out, nil
}

// itemTotal computes each item's correlation with the sum of the other items of the group, over
// the learners who answered the whole group.
func itemTotal(b baselines, group []Item) map[string]*float64 {
	out := map[string]*float64{}
	if len(group) < 2 {
		return out
	}
	rows := b.rows(group)
	for j, it := range group {
		xs := make([]float64, len(rows))
		ys := make([]float64, len(rows))
		for i, row := range rows {
			xs[i] = row[j]
			for k, v := range row {
				if k != j {
					ys[i] += v
				}
			}
		}
		if r, ok := Pearson(xs, ys); ok {
			out[it.ID] = &r
		}
	}
	return out
}

// itemStat describes an item from its values over the learners who answered it and its item-rest
// correlation.
func itemStat(it Item, xs []float64, r *float64) ItemStat {
	best := 100.0
	if it.Type == TypeLikert {
		best = ScaleMax
	}
	st := ItemStat{ID: it.ID, Competency: it.Competency, Type: it.Type, Text: it.Prompt, Reverse: it.Reverse,
		N: len(xs), Mean: Mean(xs), SD: SampleSD(xs), ItemRestR: r, Flags: []string{}}
	if len(xs) > 0 {
		at := 0
		for _, x := range xs {
			if x >= best {
				at++
			}
		}
		st.CeilingPct = 100 * float64(at) / float64(len(xs))
	}
	if r != nil && *r < FlagRestR {
		st.Flags = append(st.Flags, FlagLowR)
	}
	if st.CeilingPct > FlagCeilingPct {
		st.Flags = append(st.Flags, FlagCeiling)
	}
	return st
}
