package app

// The adapters translate one domain's batched readers into the small interfaces another domain
// declares, so neither domain imports the other.

import (
	"context"
	"io"
	"slices"
	"time"

	"github.com/rapport-hq/rapport/internal/account"
	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/assess"
	"github.com/rapport-hq/rapport/internal/billing"
	"github.com/rapport-hq/rapport/internal/catalog"
	"github.com/rapport-hq/rapport/internal/identity"
	"github.com/rapport-hq/rapport/internal/media"
	"github.com/rapport-hq/rapport/internal/platform/role"
	"github.com/rapport-hq/rapport/internal/practice"
	"github.com/rapport-hq/rapport/internal/progress"
	"github.com/rapport-hq/rapport/internal/pulse"
	"github.com/rapport-hq/rapport/internal/review"
	"github.com/rapport-hq/rapport/internal/teams"
)

// teamsSkills adapts assessments' batched skill summaries to teams.SkillReader.
type teamsSkills struct{ s *assess.Service }

// SkillSummaries implements teams.SkillReader with one call to assessments.
func (t teamsSkills) SkillSummaries(ctx context.Context, userIDs []string) (map[string][]teams.CompetencySummary, error) {
	in, err := t.s.SkillSummaries(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	return toTeamsSkills(in), nil
}

// JudgeSkills implements teams.SkillReader with assessments' judgement of score rows.
func (t teamsSkills) JudgeSkills(ctx context.Context, scores []teams.SkillScore) (map[string][]teams.CompetencySummary, error) {
	rows := make([]assess.ScoreRecord, len(scores))
	for i, r := range scores {
		rows[i] = assess.ScoreRecord{UserID: r.UserID, InstrumentID: r.InstrumentID, AttemptID: r.AttemptID, Kind: r.Kind,
			SubmittedAt: r.SubmittedAt, Competency: r.Competency, Score: r.Score}
	}
	in, err := t.s.JudgeScores(ctx, rows)
	if err != nil {
		return nil, err
	}
	return toTeamsSkills(in), nil
}

// toTeamsSkills converts assessments' summaries to the teams' type.
func toTeamsSkills(in map[string][]assess.CompetencySummary) map[string][]teams.CompetencySummary {
	out := make(map[string][]teams.CompetencySummary, len(in))
	for uid, cs := range in {
		list := make([]teams.CompetencySummary, len(cs))
		for i, c := range cs {
			list[i] = teams.CompetencySummary{Competency: c.Competency, Name: c.Name, Baseline: c.Baseline, Latest: c.Latest,
				Delta: c.Delta, Band: c.Band, Significant: c.Significant, LatestAt: c.LatestAt}
		}
		out[uid] = list
	}
	return out
}

// teamsModules adapts the catalog to teams.ModuleCatalog.
type teamsModules struct{ c *catalog.Service }

// PublishedModule implements teams.ModuleCatalog: a published module by slug, NotFound otherwise.
func (t teamsModules) PublishedModule(ctx context.Context, slug string) (teams.ModuleRef, error) {
	m, err := t.c.CatalogModule(ctx, "", slug)
	if err != nil {
		return teams.ModuleRef{}, err
	}
	return teams.ModuleRef{ID: m.ID, Slug: m.Slug, Title: m.Title}, nil
}

// catalogManagers adapts the teams directory to catalog.Managers: managers of any team read the
// modules' coaching guides.
type catalogManagers struct{ d *teams.Directory }

// IsManager implements catalog.Managers.
func (c catalogManagers) IsManager(ctx context.Context, userID string) (bool, error) {
	return c.d.ManagesAnyTeam(ctx, userID)
}

// teamsProgress adapts progress to teams.ProgressReader; every call answers for all the team's
// learners at once.
type teamsProgress struct {
	p *progress.Service
}

// Percent implements teams.ProgressReader with progress's rule.
func (teamsProgress) Percent(completed, total int) int { return progress.Percent(completed, total) }

// ModuleProgress implements teams.ProgressReader with progress's batched per-module counts.
func (t teamsProgress) ModuleProgress(ctx context.Context, userIDs, moduleIDs []string) (map[string]map[string]teams.ModuleCount, error) {
	in, err := t.p.ModuleCounts(ctx, userIDs, moduleIDs)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]teams.ModuleCount, len(in))
	for uid, mods := range in {
		out[uid] = make(map[string]teams.ModuleCount, len(mods))
		for mid, c := range mods {
			out[uid][mid] = teams.ModuleCount{LessonCount: c.LessonCount, Started: c.Started, Completed: c.Completed}
		}
	}
	return out, nil
}

// Completions implements teams.ProgressReader with progress's certificates reader.
func (t teamsProgress) Completions(ctx context.Context, userIDs []string, since time.Time) ([]teams.Completion, error) {
	in, err := t.p.Completions(ctx, userIDs, since)
	if err != nil {
		return nil, err
	}
	out := make([]teams.Completion, len(in))
	for i, c := range in {
		out[i] = teams.Completion{UserID: c.UserID, ModuleSlug: c.ModuleSlug, ModuleTitle: c.ModuleTitle, At: c.At}
	}
	return out, nil
}

// meExtras supplies the parts of /me that other domains own: the entitlement from billing, and
// the user's teams from the teams directory.
type meExtras struct {
	billing *billing.Service
	teams   *teams.Directory
}

// Entitlement implements identity.MeExtras.
func (m meExtras) Entitlement(ctx context.Context, userID string) (identity.Entitlement, error) {
	return m.billing.Entitlement(ctx, userID)
}

// Teams implements identity.MeExtras: the teams the user is an active member of.
func (m meExtras) Teams(ctx context.Context, userID string) ([]identity.TeamRef, error) {
	out := []identity.TeamRef{}
	list, err := m.teams.MyTeams(ctx, userID)
	for _, t := range list {
		out = append(out, identity.TeamRef{ID: t.ID, Name: t.Name, Role: t.MyRole})
	}
	return out, err
}

// reviewChecks adapts the catalog's published checks to review.Checks.
type reviewChecks struct{ c *catalog.Service }

// Check implements review.Checks.
func (r reviewChecks) Check(ctx context.Context, userID, checkID string) (review.Check, error) {
	c, err := r.c.PublishedCheck(ctx, userID, checkID)
	if err != nil {
		return review.Check{}, err
	}
	return toReviewCheck(c), nil
}

// Readable implements review.Checks with one catalog call for every id.
func (r reviewChecks) Readable(ctx context.Context, userID string, ids []string) (map[string]review.Check, error) {
	in, err := r.c.ReadableChecks(ctx, userID, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]review.Check, len(in))
	for id, c := range in {
		out[id] = toReviewCheck(c)
	}
	return out, nil
}

func toReviewCheck(c catalog.PublishedCheck) review.Check {
	opts := make([]review.Option, len(c.Options))
	for i, o := range c.Options {
		opts[i] = review.Option{ID: o.ID, Text: o.Text, Explanation: o.Explanation}
	}
	return review.Check{ID: c.ID, Prompt: c.Prompt, Options: opts, Answer: c.Answer, LessonID: c.LessonID,
		Lesson: review.LessonRef{ModuleSlug: c.ModuleSlug, Slug: c.LessonSlug, Title: c.LessonTitle}}
}

// progressReviews adapts review's due counts to progress.DueReviews (the weekly reminder).
type progressReviews struct{ c *review.Counter }

// DueReviews implements progress.DueReviews with one call for every learner.
func (p progressReviews) DueReviews(ctx context.Context, userIDs []string, at time.Time) (map[string]progress.DueReview, error) {
	in, err := p.c.DueCounts(ctx, userIDs, at)
	if err != nil {
		return nil, err
	}
	out := make(map[string]progress.DueReview, len(in))
	for uid, n := range in {
		out[uid] = progress.DueReview{Count: n, Minutes: review.Minutes(n)}
	}
	return out, nil
}

// catalogMedia lets the catalog look up the media lessons reference and store content files'
// media (catalog.MediaLookup and catalog.MediaImporter).
type catalogMedia struct{ m *media.Service }

// FindMany implements catalog.MediaLookup.
func (c catalogMedia) FindMany(ctx context.Context, ids []string) (map[string]catalog.MediaRef, error) {
	items, err := c.m.FindMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]catalog.MediaRef, len(items))
	for id, it := range items {
		out[id] = toMediaRef(it)
	}
	return out, nil
}

// ImportMedia implements catalog.MediaImporter.
func (c catalogMedia) ImportMedia(ctx context.Context, name string, data []byte, title, alt string) (catalog.MediaRef, error) {
	it, err := c.m.Import(ctx, name, data, title, alt)
	if err != nil {
		return catalog.MediaRef{}, err
	}
	return toMediaRef(it), nil
}

func toMediaRef(it media.Item) catalog.MediaRef {
	return catalog.MediaRef{ID: it.ID, Kind: string(it.Kind), ContentType: it.ContentType, Title: it.Title, Alt: it.Alt, Bytes: it.Bytes}
}

// mediaUsage tells media which lessons use its items (media.Usage), from the catalog.
type mediaUsage struct{ g *catalog.MediaGate }

// MediaUses implements media.Usage.
func (u mediaUsage) MediaUses(ctx context.Context, ids []string) (map[string][]media.Use, error) {
	uses, err := u.g.MediaUses(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]media.Use, len(uses))
	for id, us := range uses {
		for _, x := range us {
			out[id] = append(out[id], media.Use{ModuleSlug: x.ModuleSlug, LessonSlug: x.LessonSlug, LessonTitle: x.LessonTitle, Published: x.Published})
		}
	}
	return out, nil
}

// mediaGate decides who may fetch a media item (media.Gate) like reading the lessons that show it.
type mediaGate struct{ g *catalog.MediaGate }

// MediaAccess implements media.Gate.
func (g mediaGate) MediaAccess(ctx context.Context, mediaID, userID string) (media.Access, error) {
	a, err := g.g.MediaAccess(ctx, mediaID, userID)
	switch a {
	case catalog.MediaAccessPublic:
		return media.AccessPublic, err
	case catalog.MediaAccessPrivate:
		return media.AccessPrivate, err
	case catalog.MediaAccessPay:
		return media.AccessPay, err
	case catalog.MediaAccessLogin:
		return media.AccessLogin, err
	default:
		return media.AccessNone, err
	}
}

// teamsPulses adapts Buyer Pulse to teams.PulseReader: recognition evidence, the rule for the
// report's per-rep aggregates and the team's weekly trend.
type teamsPulses struct{ p *pulse.Service }

// AnsweredPulseOf implements teams.PulseReader.
func (t teamsPulses) AnsweredPulseOf(ctx context.Context, pulseID, userID string) (bool, error) {
	return t.p.AnsweredPulseOf(ctx, pulseID, userID)
}

// PulseAggregate implements teams.PulseReader with Buyer Pulse's rule for managers.
func (teamsPulses) PulseAggregate(sums teams.PulseSums) teams.PulseAggregate {
	a := pulse.ForManager(sums.Responses, pulse.Scores{Clarity: sums.Clarity, Understood: sums.Understood, Again: sums.Again})
	out := teams.PulseAggregate{Responses: a.Responses}
	if a.Averages != nil {
		out.Averages = &teams.PulseAverages{Clarity: a.Averages.Clarity, Understood: a.Averages.Understood, Again: a.Averages.Again}
	}
	return out
}

// practiceTeams answers practice's questions about managers and teammates from the teams
// directory (live on every call: leaving a team ends a manager's access).
type practiceTeams struct{ d *teams.Directory }

// Managers implements practice.Teams.
func (p practiceTeams) Managers(ctx context.Context, userID string) ([]practice.Contact, error) {
	in, err := p.d.ManagersOfLearner(ctx, userID)
	out := make([]practice.Contact, len(in))
	for i, m := range in {
		out[i] = practice.Contact{ID: m.UserID, Name: m.Name, Email: m.Email}
	}
	return out, err
}

// Manages implements practice.Teams.
func (p practiceTeams) Manages(ctx context.Context, managerID, userID string) (bool, error) {
	return p.d.ManagesLearner(ctx, managerID, userID)
}

// ManagedLearners implements practice.Teams.
func (p practiceTeams) ManagedLearners(ctx context.Context, managerID string) ([]string, error) {
	return p.d.ManagedLearners(ctx, managerID)
}

// Teammates implements practice.Teams.
func (p practiceTeams) Teammates(ctx context.Context, userID string, candidates []string) (map[string]bool, error) {
	return p.d.Teammates(ctx, userID, candidates)
}

// practiceAccess is the catalog's reading rule for practice: the published free modules, and
// premium content for admins and the entitled (401 anonymously, 402 otherwise).
type practiceAccess struct {
	cat   *catalog.Service
	roles *identity.Service
	ent   *billing.Service
}

// FreeModules implements practice.Access.
func (p practiceAccess) FreeModules(ctx context.Context) ([]string, error) {
	mods, err := p.cat.Catalog(ctx, "")
	var out []string
	for _, m := range mods {
		if m.Access == catalog.AccessFree {
			out = append(out, m.Slug)
		}
	}
	return out, err
}

// CanReadPremium implements practice.Access like the catalog's rule for premium lessons.
func (p practiceAccess) CanReadPremium(ctx context.Context, userID string) error {
	if userID == "" {
		return apperr.New(apperr.Unauthorized, "Please sign in to practise premium activities.")
	}
	roles, err := p.roles.UserRoles(ctx, userID)
	if apperr.Is(err, apperr.NotFound) {
		return apperr.New(apperr.Unauthorized, "This account no longer exists. Sign in with another account or create a new one.")
	}
	if err != nil {
		return err
	}
	if slices.Contains(roles, role.Admin) {
		return nil
	}
	ok, err := p.ent.Premium(ctx, userID)
	if err != nil || ok {
		return err
	}
	return apperr.New(apperr.PaymentRequired, "This practice activity is part of the premium curriculum. Upgrade to practise it.")
}

// practiceMedia stores content files' buyer lines in the media library and finds them.
type practiceMedia struct{ m *media.Service }

// ImportMedia implements practice.Media.
func (p practiceMedia) ImportMedia(ctx context.Context, name string, data []byte, title string) (practice.MediaItem, error) {
	it, err := p.m.Import(ctx, name, data, title, "")
	return toPracticeMedia(it), err
}

// FindMedia implements practice.Media.
func (p practiceMedia) FindMedia(ctx context.Context, ids []string) (map[string]practice.MediaItem, error) {
	items, err := p.m.FindMany(ctx, ids)
	out := make(map[string]practice.MediaItem, len(items))
	for id, it := range items {
		out[id] = toPracticeMedia(it)
	}
	return out, err
}

func toPracticeMedia(it media.Item) practice.MediaItem {
	return practice.MediaItem{ID: it.ID, Kind: string(it.Kind), ContentType: it.ContentType, Bytes: it.Bytes, Key: it.Key(), CreatedAt: it.CreatedAt}
}

// practiceMarkdown renders briefs with the catalog's sanitising renderer (no media forms).
type practiceMarkdown struct{ r *catalog.Renderer }

// RenderMarkdown implements practice.Markdown.
func (p practiceMarkdown) RenderMarkdown(markdown string) (string, error) {
	return p.r.Render(markdown, nil)
}

// PulseTrend implements teams.PulseReader with one call to pulse.
func (t teamsPulses) PulseTrend(ctx context.Context, userIDs []string) ([]teams.PulseWeek, error) {
	in, err := t.p.TeamTrend(ctx, userIDs)
	if err != nil {
		return nil, err
	}
	out := make([]teams.PulseWeek, len(in))
	for i, w := range in {
		out[i] = teams.PulseWeek{WeekStart: w.WeekStart, Responses: w.Responses, MeanAbsError: w.MeanAbsError}
		if a := w.Averages; a != nil {
			out[i].Averages = &teams.PulseAverages{Clarity: a.Clarity, Understood: a.Understood, Again: a.Again}
		}
	}
	return out, nil
}

// teamsPractice answers the teams report's observed-score rule, recognition evidence and the
// manager digest from practice's evidence side (one batched call each).
type teamsPractice struct{ e *practice.Evidence }

// ObservedWindow implements teams.PracticeReader.
func (teamsPractice) ObservedWindow() int { return practice.ObservedWindow }

// ObservedScores implements teams.PracticeReader with practice's comparison of self-ratings and
// observed scores: per competency a manager has scored, the observed score and the gap.
func (teamsPractice) ObservedScores(self map[string]float64, means map[string]teams.ObservedMean) map[string]teams.Observed {
	l := practice.LearnerEvidence{Self: self, Observed: make(map[string]practice.ObservedMean, len(means))}
	for k, m := range means {
		l.Observed[k] = practice.ObservedMean{Mean: m.Mean, Reviews: m.Reviews}
	}
	out := make(map[string]teams.Observed, len(means))
	for _, c := range l.Compare(l.ObservedKeys()) {
		out[c.Competency] = teams.Observed{Score: *c.Observed, Gap: c.Gap}
	}
	return out
}

// accountContacts gives the account domain the address and name its export mail goes to.
type accountContacts struct{ ids *identity.Service }

// Contact implements account.Contacts; an account that is gone is NotFound.
func (a accountContacts) Contact(ctx context.Context, userID string) (string, string, error) {
	u, err := a.ids.User(ctx, userID)
	if apperr.Is(err, apperr.Unauthorized) {
		return "", "", apperr.New(apperr.NotFound, "The account is gone.")
	}
	return u.Email, u.Name, err
}

// ReviewedSubmissionOf implements teams.PracticeReader.
func (t teamsPractice) ReviewedSubmissionOf(ctx context.Context, submissionID, userID string) (string, bool, error) {
	return t.e.ReviewedSubmissionOf(ctx, submissionID, userID)
}

// ReviewsWaiting implements teams.PracticeReader.
func (t teamsPractice) ReviewsWaiting(ctx context.Context, reps map[string][]string) (map[string]int, error) {
	return t.e.ReviewsWaiting(ctx, reps)
}

// accountRecordings lists the learner's practice recordings for the export ZIP; each is streamed
// from storage while the archive is written.
type accountRecordings struct{ e *practice.Evidence }

// ExportFiles implements account.FileExporter.
func (a accountRecordings) ExportFiles(ctx context.Context, userID string) ([]account.File, error) {
	in, err := a.e.ExportFiles(ctx, userID)
	out := make([]account.File, len(in))
	for i, f := range in {
		key := f.Key
		out[i] = account.File{Name: f.Name, Size: f.Size, Modified: f.Modified,
			Open: func(ctx context.Context) (io.ReadCloser, error) { return a.e.Open(ctx, key) }}
	}
	return out, err
}
