package catalog

import (
	"context"
	"time"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// Roles reports a user's current roles (identity implements it): admins read every premium
// lesson, and the studio routes check for instructors and admins.
type Roles interface {
	UserRoles(ctx context.Context, userID string) ([]string, error)
}

// Entitlements answers whether a signed-in user may read premium lessons (billing implements it).
type Entitlements interface {
	// Premium reports premium access from a subscription, a seat or a grant.
	Premium(ctx context.Context, userID string) (bool, error)
	// ReadsPremium is the whole rule for reading a premium lesson, roles included (admins read
	// everything), in at most one round trip; NotFound when the account does not exist.
	ReadsPremium(ctx context.Context, userID string) (bool, error)
}

// ProgressReader supplies a learner's progress so the catalog can show it (the progress domain
// implements it). Both methods are called once per request with every id at once.
type ProgressReader interface {
	// CompletedByModule returns the number of completed lessons per module id.
	CompletedByModule(ctx context.Context, userID string, moduleIDs []string) (map[string]int, error)
	// CompletedLessons returns the set of completed lesson ids among lessonIDs.
	CompletedLessons(ctx context.Context, userID string, lessonIDs []string) (map[string]bool, error)
}

// Managers answers whether a user manages at least one team (teams implements it): team managers
// read the modules' coaching guides.
type Managers interface {
	IsManager(ctx context.Context, userID string) (bool, error)
}

// Deps are what the catalog service needs from the process; every one is required. A process
// that has no use for one (the content importer reads no lessons for anybody) passes the no-op.
type Deps struct {
	DB           *db.DB
	Now          func() time.Time
	Roles        Roles
	Entitlements Entitlements
	Progress     ProgressReader
	Managers     Managers
	// Media looks up the media items lessons reference; MediaImporter stores content files' media.
	Media         MediaLookup
	MediaImporter MediaImporter
	// Changes is the process's change feed: with it, published content is served from memory
	// while it is live (billing keeps premium decisions the same way); nil (a command that serves
	// nobody, a unit test) means no cache, every read goes to the database.
	Changes Changes
}

// NoRoles is a Roles for processes without accounts: nobody holds a role.
type NoRoles struct{}

// UserRoles implements Roles.
func (NoRoles) UserRoles(context.Context, string) ([]string, error) { return nil, nil }

// NoEntitlements is an Entitlements for processes without billing: nobody has premium access.
type NoEntitlements struct{}

// Premium implements Entitlements.
func (NoEntitlements) Premium(context.Context, string) (bool, error) { return false, nil }

// ReadsPremium implements Entitlements.
func (NoEntitlements) ReadsPremium(context.Context, string) (bool, error) { return false, nil }

// NoProgress is a ProgressReader for processes without progress: nothing is completed.
type NoProgress struct{}

// CompletedByModule implements ProgressReader.
func (NoProgress) CompletedByModule(context.Context, string, []string) (map[string]int, error) {
	return map[string]int{}, nil
}

// CompletedLessons implements ProgressReader.
func (NoProgress) CompletedLessons(context.Context, string, []string) (map[string]bool, error) {
	return map[string]bool{}, nil
}

// NoManagers is a Managers for processes without teams: nobody manages a team.
type NoManagers struct{}

// IsManager implements Managers.
func (NoManagers) IsManager(context.Context, string) (bool, error) { return false, nil }
