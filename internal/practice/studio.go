package practice

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// The Studio: instructors list, create and edit activities, and preview a brief as learners
// will see it. An edit reaches learners at once (activities have no draft); scores already given
// keep pointing at their criterion ids, which is why the editor asks to keep an id when a
// criterion is only reworded.

// BuyerMediaKinds are the media-library kinds a buyer's line may be: something to hear, watch or
// look at.
var BuyerMediaKinds = []string{"audio", "video", "image"}

// StudioEdit is what an instructor writes: the activity's fields, with the buyer's line as a
// media-library id ("" for none) and ModuleSet telling a module named "" from none given.
type StudioEdit struct {
	Slug             string
	Title            string
	ModuleSlug       string
	ModuleSet        bool
	Competencies     []string
	Kind             Kind
	Brief            string
	BuyerMediaID     string
	BuyerMediaSet    bool
	TimeLimitSeconds int
	Rubric           Rubric
	// MissingAnchors are the indexes of criteria sent without anchors at all.
	MissingAnchors []int
}

// StudioActivities lists every activity in the learners' order.
func (s *Service) StudioActivities(ctx context.Context) ([]Activity, error) {
	return s.store.FindActivities(ctx)
}

// StudioActivity reads one activity for editing.
func (s *Service) StudioActivity(ctx context.Context, slug string) (Activity, error) {
	a, err := s.store.FindActivity(ctx, slug)
	if apperr.Is(err, apperr.NotFound) {
		return Activity{}, apperr.Wrap(apperr.NotFound, "There is no practice activity with this slug. It may have been renamed in its content file.", err)
	}
	return a, err
}

// CreateActivity adds an activity at the end of the list; a slug in use is a Conflict.
func (s *Service) CreateActivity(ctx context.Context, e StudioEdit) (Activity, error) {
	a, err := s.studioActivity(ctx, e)
	if err != nil {
		return Activity{}, err
	}
	if a.Position, err = s.store.NextActivityPosition(ctx); err != nil {
		return Activity{}, err
	}
	out, err := s.store.InsertActivity(ctx, a, s.clock())
	if apperr.Is(err, apperr.Conflict) {
		return Activity{}, apperr.Wrap(apperr.Conflict, fmt.Sprintf("An activity with the slug %q exists already. Choose another slug.", a.Slug), err)
	}
	return out, err
}

// UpdateActivity replaces the fields of the activity slug (its slug and place in the list stay).
func (s *Service) UpdateActivity(ctx context.Context, slug string, e StudioEdit) (Activity, error) {
	current, err := s.StudioActivity(ctx, slug)
	if err != nil {
		return Activity{}, err
	}
	e.Slug = current.Slug
	a, err := s.studioActivity(ctx, e)
	if err != nil {
		return Activity{}, err
	}
	if err := s.store.UpdateActivityContent(ctx, a, s.clock()); err != nil {
		return Activity{}, err
	}
	return s.StudioActivity(ctx, slug)
}

// PreviewBrief renders a brief exactly as learners will see it.
func (s *Service) PreviewBrief(_ context.Context, markdown string) (string, error) {
	if utf8.RuneCountInString(markdown) > MaxBriefLen {
		return "", apperr.New(apperr.TooLarge, fmt.Sprintf("A brief can be at most %s characters. Please shorten it.", thousands(MaxBriefLen)))
	}
	html, err := s.markdown.RenderMarkdown(markdown)
	if err != nil {
		return "", apperr.InvalidFields(apperr.Field("markdown", "This brief couldn’t be rendered. Check its Markdown and try again."))
	}
	return html, nil
}

// studioActivity checks an edit (every problem at once, each naming its field as the request
// does, "rubric[0].anchors.1"), resolves the buyer's line and renders the brief.
func (s *Service) studioActivity(ctx context.Context, e StudioEdit) (Activity, error) {
	a := Activity{Slug: e.Slug, Title: strings.TrimSpace(e.Title), ModuleSlug: e.ModuleSlug, Competencies: e.Competencies,
		Kind: e.Kind, Brief: strings.TrimSpace(e.Brief), TimeLimitSeconds: e.TimeLimitSeconds, Rubric: make(Rubric, len(e.Rubric))}
	for i, c := range e.Rubric {
		a.Rubric[i] = Criterion{ID: strings.TrimSpace(c.ID), Competency: c.Competency, Criterion: strings.TrimSpace(c.Criterion),
			Anchors: Anchors{One: strings.TrimSpace(c.Anchors.One), Three: strings.TrimSpace(c.Anchors.Three), Five: strings.TrimSpace(c.Anchors.Five)}}
	}
	var f apperr.Fields
	var ae *apperr.Error
	if err := a.Validate(); err != nil {
		if !errors.As(err, &ae) {
			return Activity{}, err
		}
		for _, fe := range ae.Fields {
			if slices.Contains(e.MissingAnchors, anchorsIndex(fe.Field)) {
				continue // reported once below, for the anchors as a whole
			}
			f.Add(requestField(fe.Field), fe.Message)
		}
	}
	for _, i := range e.MissingAnchors {
		f.Add("rubric["+strconv.Itoa(i)+"].anchors", "Describe what a 1, a 3 and a 5 look like.")
	}
	if e.ModuleSet && (a.ModuleSlug == "" || len(a.ModuleSlug) > MaxSlugLen) {
		f.Add("module_slug", "Name the module by its slug (lower-case words joined by hyphens), or leave the field out for none.")
	}
	for i, c := range a.Competencies {
		if slices.Index(a.Competencies, c) < i {
			f.Add("competencies["+strconv.Itoa(i)+"]", "Each competency is listed once.")
		}
	}
	if e.BuyerMediaSet {
		ok, err := s.checkBuyerMedia(ctx, e.BuyerMediaID, &f)
		if err != nil {
			return Activity{}, err
		}
		if ok {
			id := strings.ToLower(e.BuyerMediaID)
			a.BuyerMediaID = &id
		}
	}
	if err := f.Err(); err != nil {
		return Activity{}, err
	}
	html, err := s.markdown.RenderMarkdown(a.Brief)
	if err != nil {
		return Activity{}, apperr.InvalidFields(apperr.Field("brief", "This brief couldn’t be rendered. Check its Markdown and try again."))
	}
	a.BriefHTML = html
	return a, nil
}

// checkBuyerMedia reports whether id names a recording or picture of the media library, and
// otherwise adds the problem to f.
func (s *Service) checkBuyerMedia(ctx context.Context, id string, f *apperr.Fields) (bool, error) {
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		f.Add("buyer_media_id", "Choose the buyer’s line from the media library, or leave the field out for none.")
		return false, nil
	}
	id = strings.ToLower(id)
	items, err := s.media.FindMedia(ctx, []string{id})
	if err != nil {
		return false, err
	}
	it, found := items[id]
	switch {
	case !found:
		f.Add("buyer_media_id", "This item is no longer in the media library. Choose another, or none.")
	case !slices.Contains(BuyerMediaKinds, it.Kind):
		f.Add("buyer_media_id", "The buyer’s line is a recording or a picture; choose an audio, video or image item.")
	default:
		return true, nil
	}
	return false, nil
}

// listIndex finds "rubric.3" and "competencies.0" in the model's field names.
var listIndex = regexp.MustCompile(`^(rubric|competencies)\.(\d+)`)

// requestField names a model field the way request problems do: "rubric.0.id" is "rubric[0].id".
func requestField(field string) string {
	return listIndex.ReplaceAllString(field, "$1[$2]")
}

// anchorsIndex is the criterion index of a "rubric.N.anchors.*" field, else -1.
func anchorsIndex(field string) int {
	rest, ok := strings.CutPrefix(field, "rubric.")
	if !ok {
		return -1
	}
	n, tail, _ := strings.Cut(rest, ".")
	i, err := strconv.Atoi(n)
	if err != nil || !strings.HasPrefix(tail, "anchors") {
		return -1
	}
	return i
}

// thousands writes n with a comma between thousands, as the course writes numbers.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
