package practice

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/jobs"
	"github.com/rapport-hq/rapport/internal/platform/storage"
)

// Contact is a person to e-mail.
type Contact struct {
	ID    string
	Name  string
	Email string
}

// Teams answers who manages a learner and who their teammates are (the teams directory
// implements it, adapted in app). Every answer is live: leaving a team ends a manager's access
// on the next request.
type Teams interface {
	// Managers lists the active managers of every team where userID holds a seat (userID left out).
	Managers(ctx context.Context, userID string) ([]Contact, error)
	// Manages reports whether managerID actively manages a team where userID holds a seat.
	Manages(ctx context.Context, managerID, userID string) (bool, error)
	// ManagedLearners lists the seat holders of every team managerID actively manages.
	ManagedLearners(ctx context.Context, managerID string) ([]string, error)
	// Teammates reports which candidates are active members of a team where userID is one.
	Teammates(ctx context.Context, userID string, candidates []string) (map[string]bool, error)
}

// Access is the catalog's reading rule as practice needs it (adapted in app).
type Access interface {
	// FreeModules lists the slugs of the published modules anyone may read.
	FreeModules(ctx context.Context) ([]string, error)
	// CanReadPremium answers nil when userID may read premium content, Unauthorized when
	// anonymous (or the account is gone) and PaymentRequired without entitlement.
	CanReadPremium(ctx context.Context, userID string) error
}

// MediaItem is a media library item an activity shows (the buyer's line).
type MediaItem struct {
	ID          string
	Kind        string
	ContentType string
	Bytes       int64
	// Key is where its bytes are in storage.
	Key       string
	CreatedAt time.Time
}

// Media stores content files' buyer lines in the media library and finds them again (the media
// service, adapted in app).
type Media interface {
	ImportMedia(ctx context.Context, name string, data []byte, title string) (MediaItem, error)
	FindMedia(ctx context.Context, ids []string) (map[string]MediaItem, error)
}

// Markdown renders a brief with the catalog's sanitising renderer (adapted in app).
type Markdown interface {
	RenderMarkdown(markdown string) (string, error)
}

// DurationReader reads the playing time of a recording from its container (media.Duration).
type DurationReader func(contentType string, r io.ReadSeeker, size int64) *float64

// Deps are what the practice service needs; every one is required.
type Deps struct {
	DB        *db.DB
	Jobs      *jobs.Inserter
	Now       func() time.Time
	Log       *slog.Logger
	PublicURL string
	Storage   *storage.Bucket
	Teams     Teams
	Access    Access
	Media     Media
	Markdown  Markdown
	Duration  DurationReader
	// LinkKey signs the expiring links to recordings and buyer lines.
	LinkKey []byte
	// MaxRecordingBytes is the largest recording a learner may upload (PRACTICE_MAX_MB).
	MaxRecordingBytes int64
}

// Service implements the practice use cases.
type Service struct {
	store    *Store
	bucket   *storage.Bucket
	now      func() time.Time
	log      *slog.Logger
	public   string
	teams    Teams
	access   Access
	media    Media
	markdown Markdown
	duration DurationReader
	links    linkSigner
	maxBytes int64
}

// NewService prepares the service.
func NewService(d Deps) *Service {
	return &Service{store: NewStore(d.DB, d.Jobs), bucket: d.Storage, now: d.Now, log: d.Log, public: d.PublicURL,
		teams: d.Teams, access: d.Access, media: d.Media, markdown: d.Markdown, duration: d.Duration,
		links: linkSigner{key: d.LinkKey}, maxBytes: d.MaxRecordingBytes}
}

// MaxRecordingBytes is the largest recording the service takes.
func (s *Service) MaxRecordingBytes() int64 { return s.maxBytes }

func (s *Service) clock() time.Time { return s.now().UTC() }

// notFound is the answer for a submission the caller may not know exists.
func notFound() error {
	return apperr.New(apperr.NotFound, "We couldn’t find this practice attempt. It may have been deleted, or it isn’t shared with you.")
}

// ---- activities ----

// ActivityView is an activity as a caller sees it in the list and on its page.
type ActivityView struct {
	Activity Activity
	// Free is true when anyone may open it.
	Free     bool
	MyStatus Status
	// BuyerMedia is the buyer's line (on the activity's page; nil for none).
	BuyerMedia *MediaItem
	// BuyerMediaURL is its signed link.
	BuyerMediaURL string
}

// freeSlugs decides which activities are free: the first activity (in order) of each free module.
func (s *Service) freeSlugs(ctx context.Context, list []Activity) (map[string]bool, error) {
	modules, err := s.access.FreeModules(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	seen := map[string]bool{}
	for _, a := range list {
		if a.ModuleSlug == "" || seen[a.ModuleSlug] {
			continue
		}
		seen[a.ModuleSlug] = true
		if slices.Contains(modules, a.ModuleSlug) {
			out[a.Slug] = true
		}
	}
	return out, nil
}

// Activities lists every activity with the caller's status ("" caller: not started).
func (s *Service) Activities(ctx context.Context, userID string) ([]ActivityView, error) {
	list, err := s.store.FindActivities(ctx)
	if err != nil {
		return nil, err
	}
	free, err := s.freeSlugs(ctx, list)
	if err != nil {
		return nil, err
	}
	statuses := map[string]Status{}
	if userID != "" {
		if statuses, err = s.store.LatestStatuses(ctx, userID); err != nil {
			return nil, err
		}
	}
	out := make([]ActivityView, 0, len(list))
	for _, a := range list {
		st, ok := statuses[a.ID]
		if !ok {
			st = StatusNotStarted
		}
		out = append(out, ActivityView{Activity: a, Free: free[a.Slug], MyStatus: st})
	}
	return out, nil
}

// openActivity reads an activity the caller may open: NotFound, or the premium rule's
// Unauthorized / PaymentRequired.
func (s *Service) openActivity(ctx context.Context, userID, slug string) (Activity, bool, error) {
	a, err := s.store.FindActivity(ctx, slug)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return Activity{}, false, apperr.New(apperr.NotFound, "We couldn’t find this practice activity. Check the link and try again.")
		}
		return Activity{}, false, err
	}
	list, err := s.store.FindActivities(ctx)
	if err != nil {
		return Activity{}, false, err
	}
	free, err := s.freeSlugs(ctx, list)
	if err != nil {
		return Activity{}, false, err
	}
	if free[a.Slug] {
		return a, true, nil
	}
	if err := s.access.CanReadPremium(ctx, userID); err != nil {
		if apperr.Is(err, apperr.PaymentRequired) {
			return Activity{}, false, apperr.New(apperr.PaymentRequired, "This practice activity is part of the premium curriculum. Upgrade to practise it.")
		}
		if apperr.Is(err, apperr.Unauthorized) && userID == "" {
			return Activity{}, false, apperr.New(apperr.Unauthorized, "Please sign in to open this practice activity.")
		}
		return Activity{}, false, err
	}
	return a, false, nil
}

// Activity opens one activity with its brief, buyer line and rubric.
func (s *Service) Activity(ctx context.Context, userID, slug string) (ActivityView, error) {
	a, free, err := s.openActivity(ctx, userID, slug)
	if err != nil {
		return ActivityView{}, err
	}
	v := ActivityView{Activity: a, Free: free, MyStatus: StatusNotStarted}
	if userID != "" {
		st, err := s.store.LatestStatuses(ctx, userID)
		if err != nil {
			return ActivityView{}, err
		}
		if x, ok := st[a.ID]; ok {
			v.MyStatus = x
		}
	}
	if a.BuyerMediaID != nil {
		items, err := s.media.FindMedia(ctx, []string{*a.BuyerMediaID})
		if err != nil {
			return ActivityView{}, err
		}
		if it, ok := items[*a.BuyerMediaID]; ok {
			v.BuyerMedia = &it
			v.BuyerMediaURL = s.links.url("/practice-media/", a.ID, s.clock())
		}
	}
	return v, nil
}
