package assess

import (
	"context"
	"slices"
	"time"
)

// MySkills returns the learner's baseline, latest score, growth band and full history on every
// competency assessed. It reads the history in one query however many attempts there are, plus
// the instrument list; definitions and reliability numbers come from the service's caches.
func (s *Service) MySkills(ctx context.Context, userID string) (Skills, error) {
	rows, err := s.store.FindHistory(ctx, userID)
	if err != nil {
		return Skills{}, err
	}
	out := Skills{Competencies: []SkillTrend{}}
	if len(rows) == 0 {
		return out, nil
	}
	trends, err := s.summarise(ctx, rows, true)
	if err != nil {
		return Skills{}, err
	}
	out.Competencies = trends[userID]
	last := rows[len(rows)-1].SubmittedAt.UTC()
	out.AssessedAt = &last
	return out, nil
}

// SkillSummaries returns each learner's baseline, latest score and growth band per competency,
// for many learners with one query (team reports use it). Learners without a submitted attempt
// are absent from the map.
func (s *Service) SkillSummaries(ctx context.Context, userIDs []string) (map[string][]CompetencySummary, error) {
	out := map[string][]CompetencySummary{}
	if len(userIDs) == 0 {
		return out, nil
	}
	rows, err := s.store.FindBaselineAndLatest(ctx, userIDs)
	if err != nil {
		return out, err
	}
	return s.JudgeScores(ctx, rows)
}

// JudgeScores turns score rows read elsewhere (the team report reads them in its own statement)
// into each learner's summaries, exactly as SkillSummaries does: rows are each learner's baseline
// and latest attempt per instrument, in time order within each learner. It reads nothing while
// the instruments' currents, definitions and reliability numbers are cached.
func (s *Service) JudgeScores(ctx context.Context, rows []ScoreRecord) (map[string][]CompetencySummary, error) {
	out := map[string][]CompetencySummary{}
	if len(rows) == 0 {
		return out, nil
	}
	trends, err := s.summarise(ctx, rows, false)
	if err != nil {
		return nil, err
	}
	for uid, ts := range trends {
		sums := make([]CompetencySummary, len(ts))
		for i, t := range ts {
			sums[i] = t.CompetencySummary
		}
		out[uid] = sums
	}
	return out, nil
}

// Growth judges change on one instrument's competencies with its current reliability numbers.
type Growth struct {
	rel    map[string]Reliability
	priors Priors
}

// Reliability returns a competency's numbers (the priors for a competency without baselines).
func (g Growth) Reliability(competency string) Reliability {
	if r, ok := g.rel[competency]; ok {
		return r
	}
	return ReliabilityFrom(Composite{}, 0, g.priors)
}

// Classify judges the change from baseline to latest on a competency (e.g. team averages).
func (g Growth) Classify(competency string, baseline, latest float64) Change {
	return Classify(baseline, latest, true, g.Reliability(competency))
}

// Bands returns the growth judge of an instrument with its current reliability numbers.
func (s *Service) Bands(ctx context.Context, slug string) (Growth, error) {
	cur, err := s.store.FindCurrent(ctx, slug)
	if err != nil {
		return Growth{}, notFound(err, "We couldn’t find that assessment. Choose one from the Assessments page.")
	}
	def, err := s.definition(ctx, cur.VersionID)
	if err != nil {
		return Growth{}, err
	}
	rel, err := s.reliability(ctx, cur.InstrumentID, def)
	return Growth{rel: rel, priors: s.Priors}, err
}

// summarise turns score rows (ordered by time within each learner) into per-learner trends, in
// instrument (slug) and competency order.
func (s *Service) summarise(ctx context.Context, rows []ScoreRecord, history bool) (map[string][]SkillTrend, error) {
	type key struct{ user, instrument string }
	byKey := map[key][]ScoreRecord{}
	used := map[string]bool{}
	for _, r := range rows {
		k := key{r.UserID, r.InstrumentID}
		byKey[k] = append(byKey[k], r)
		used[r.InstrumentID] = true
	}
	all, err := s.currents(ctx)
	if err != nil {
		return nil, err
	}
	var currents []CurrentVersion
	var vids []string
	for _, c := range all {
		if used[c.InstrumentID] {
			currents, vids = append(currents, c), append(vids, c.VersionID)
		}
	}
	defs, err := s.definitions(ctx, vids...)
	if err != nil {
		return nil, err
	}
	out := map[string][]SkillTrend{}
	for _, c := range currents {
		def := defs[c.VersionID]
		var rel map[string]Reliability
		for k, rs := range byKey {
			if k.instrument != c.InstrumentID {
				continue
			}
			if rel == nil {
				if rel, err = s.reliability(ctx, c.InstrumentID, def); err != nil {
					return nil, err
				}
			}
			g := Growth{rel: rel, priors: s.Priors}
			out[k.user] = append(out[k.user], trends(c.Slug, def, rs, g, history)...)
		}
	}
	return out, nil
}

// trends builds one learner's trends on one instrument from their score rows in time order.
func trends(slug string, def *Instrument, rows []ScoreRecord, g Growth, history bool) []SkillTrend {
	byComp := map[string][]ScoreRecord{}
	var keys []string
	for _, r := range rows {
		if _, ok := byComp[r.Competency]; !ok {
			keys = append(keys, r.Competency)
		}
		byComp[r.Competency] = append(byComp[r.Competency], r)
	}
	order := func(k string) int {
		if i := slices.IndexFunc(def.Competencies, func(c Competency) bool { return c.Key == k }); i >= 0 {
			return i
		}
		return len(def.Competencies)
	}
	slices.SortStableFunc(keys, func(a, b string) int { return order(a) - order(b) })
	out := make([]SkillTrend, 0, len(keys))
	for _, k := range keys {
		rs := byComp[k]
		base := rs[0] // the baseline attempt's score, else the competency's first one
		if i := slices.IndexFunc(rs, func(r ScoreRecord) bool { return r.Kind == KindBaseline }); i >= 0 {
			base = rs[i]
		}
		last := rs[len(rs)-1]
		t := SkillTrend{CompetencySummary: CompetencySummary{Assessment: slug, Competency: k, Name: def.CompetencyName(k),
			Baseline: base.Score, Latest: last.Score, Delta: last.Score - base.Score,
			BaselineAt: base.SubmittedAt.UTC(), LatestAt: last.SubmittedAt.UTC(),
			Change: Classify(base.Score, last.Score, last.AttemptID != base.AttemptID, g.Reliability(k))}}
		if history {
			t.History = make([]Point, len(rs))
			for i, r := range rs {
				t.History[i] = Point{At: r.SubmittedAt.UTC(), Score: r.Score}
			}
		}
		out = append(out, t)
	}
	return out
}

// reliability returns an instrument's reliability numbers per competency. They are computed from
// every baseline (two queries) and reused for ReliabilityTTL; recording a baseline drops them.
func (s *Service) reliability(ctx context.Context, instrumentID string, def *Instrument) (map[string]Reliability, error) {
	s.mu.Lock()
	e, ok := s.rels[instrumentID]
	gen := s.relGen
	s.mu.Unlock()
	if ok && s.Now().Sub(e.at) < s.ReliabilityTTL {
		return e.rel, nil
	}
	data, err := s.baselineData(ctx, instrumentID, def)
	if err != nil {
		return nil, err
	}
	practice, err := s.practice(ctx, instrumentID)
	if err != nil {
		return nil, err
	}
	rel := data.reliability(def, s.Priors)
	for k, r := range rel {
		r.Practice = PracticeFrom(practice[k], s.PracticePrior, s.Priors)
		rel[k] = r
	}
	s.mu.Lock()
	if s.relGen == gen { // no baseline was recorded while computing
		s.rels[instrumentID] = relEntry{at: s.Now(), rel: rel}
	}
	s.mu.Unlock()
	return rel, nil
}

// forgetReliability drops an instrument's cached numbers (a baseline was just recorded).
func (s *Service) forgetReliability(instrumentID string) {
	s.mu.Lock()
	delete(s.rels, instrumentID)
	s.relGen++
	s.mu.Unlock()
}

// baselines holds every finished baseline of an instrument: answers parsed against the current
// definition (answers to items it no longer has are left out) and competency scores.
type baselines struct {
	answers map[string]map[string]Answer // attempt id → item id → answer
	scores  map[string][]float64         // competency → every learner's baseline score
	count   int
}

func (s *Service) baselineData(ctx context.Context, instrumentID string, def *Instrument) (baselines, error) {
	resp, err := s.store.FindBaselineAnswers(ctx, instrumentID)
	if err != nil {
		return baselines{}, err
	}
	scores, err := s.store.FindBaselineScores(ctx, instrumentID)
	if err != nil {
		return baselines{}, err
	}
	b := baselines{answers: map[string]map[string]Answer{}, scores: map[string][]float64{}}
	items := make(map[string]Item, len(def.Items))
	for _, it := range def.Items {
		items[it.ID] = it
	}
	for _, r := range resp {
		it, ok := items[r.ItemID]
		if !ok {
			continue
		}
		a, err := ParseAnswer(it, r.Value)
		if err != nil { // the item changed type or options in a later version
			continue
		}
		if b.answers[r.AttemptID] == nil {
			b.answers[r.AttemptID] = map[string]Answer{}
		}
		b.answers[r.AttemptID][r.ItemID] = a
	}
	attempts := map[string]bool{}
	for _, r := range scores {
		b.scores[r.Competency] = append(b.scores[r.Competency], r.Score)
		attempts[r.AttemptID] = true
	}
	b.count = len(attempts)
	return b, nil
}

// itemValue is an answer on its item's scoring scale: the keyed 1-5 value for Likert items, the
// 0-100 item score for SJT and choice items.
func itemValue(it Item, a Answer) float64 {
	if it.Type == TypeLikert {
		return float64(KeyLikert(a.Likert, it.Reverse))
	}
	return ItemScore(it, a)
}

// rows returns, for the learners who answered every one of items, their item values (one row per
// learner, one column per item).
func (b baselines) rows(items []Item) [][]float64 {
	var out [][]float64
	for _, ans := range b.answers {
		row := make([]float64, 0, len(items))
		for _, it := range items {
			a, ok := ans[it.ID]
			if !ok {
				break
			}
			row = append(row, itemValue(it, a))
		}
		if len(row) == len(items) {
			out = append(out, row)
		}
	}
	return out
}

// parts returns a competency's Likert rows (keyed 1-5) and SJT rows (scenario scores 0-100) of
// the learners who answered every item of it, row i being the same learner in both.
func (b baselines) parts(def *Instrument, competency string) (likert, sjt [][]float64) {
	li, si := def.itemsOf(competency, true), def.itemsOf(competency, false)
	for _, row := range b.rows(append(slices.Clip(li), si...)) {
		if len(li) > 0 {
			likert = append(likert, row[:len(li)])
		}
		if len(si) > 0 {
			sjt = append(sjt, row[len(li):])
		}
	}
	return likert, sjt
}

// reliability computes every competency's reliability from the baselines: the stratified alpha
// and SD of the composite over the learners who answered all its items.
func (b baselines) reliability(def *Instrument, p Priors) map[string]Reliability {
	out := make(map[string]Reliability, len(def.Competencies))
	for _, c := range def.Competencies {
		likert, sjt := b.parts(def, c.Key)
		out[c.Key] = ReliabilityFrom(CompositeReliability(likert, sjt, def.Weights), len(b.scores[c.Key]), p)
	}
	return out
}

// practice returns, per competency, the score changes from baseline to next attempt of the
// learners who completed no lesson in between (two queries: the attempts, then the lessons).
func (s *Service) practice(ctx context.Context, instrumentID string) (map[string][]float64, error) {
	rows, err := s.store.FindFirstTwo(ctx, instrumentID)
	if err != nil {
		return nil, err
	}
	type pair struct{ base, next *ScoreRecord }
	type key struct{ user, competency string }
	pairs := map[key]*pair{}
	spans := map[string][2]time.Time{} // user → baseline and next attempt times
	var users []string
	for i := range rows {
		r := &rows[i]
		k := key{r.UserID, r.Competency}
		if pairs[k] == nil {
			pairs[k] = &pair{}
		}
		if r.Kind == KindBaseline {
			pairs[k].base = r
		} else {
			pairs[k].next = r
		}
		sp, ok := spans[r.UserID]
		if !ok {
			users = append(users, r.UserID)
		}
		if r.Kind == KindBaseline {
			sp[0] = r.SubmittedAt
		} else {
			sp[1] = r.SubmittedAt
		}
		spans[r.UserID] = sp
	}
	out := map[string][]float64{}
	if len(users) == 0 {
		return out, nil
	}
	done, err := s.Completions.LessonCompletions(ctx, users)
	if err != nil {
		return nil, err
	}
	studied := map[string]bool{}
	for u, sp := range spans {
		studied[u] = slices.ContainsFunc(done[u], func(t time.Time) bool { return t.After(sp[0]) && !t.After(sp[1]) })
	}
	for k, p := range pairs {
		if p.base != nil && p.next != nil && !studied[k.user] {
			out[k.competency] = append(out[k.competency], p.next.Score-p.base.Score)
		}
	}
	return out, nil
}

// itemsOf lists a competency's Likert items (likert true) or its SJT and choice items.
func (in *Instrument) itemsOf(competency string, likert bool) []Item {
	var out []Item
	for _, it := range in.Items {
		if it.Competency == competency && (it.Type == TypeLikert) == likert {
			out = append(out, it)
		}
	}
	return out
}
