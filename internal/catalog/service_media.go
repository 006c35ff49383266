package catalog

import (
	"context"
	"slices"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/role"
)

// lookupMedia looks up every media id the scans reference, in one call (none when there is
// none).
func (s *Service) lookupMedia(ctx context.Context, scans ...MediaScan) (map[string]MediaRef, error) {
	var ids []string
	for _, sc := range scans {
		for _, id := range sc.IDs() {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return map[string]MediaRef{}, nil
	}
	return s.Media.FindMany(ctx, ids)
}

// checkDraftMedia checks the media references of a draft's Markdown (field names the input
// field): every id must name an item of the right kind. It returns the scan for recording usage.
func (s *Service) checkDraftMedia(ctx context.Context, field, markdown string) (MediaScan, map[string]MediaRef, error) {
	scan := s.renderer.Scan(markdown)
	media, err := s.lookupMedia(ctx, scan)
	if err != nil {
		return scan, nil, err
	}
	if problems := scan.Check(media, false); len(problems) > 0 {
		var f apperr.Fields
		for _, p := range problems {
			f.Add(field, p.String())
		}
		return scan, nil, f.Err()
	}
	return scan, media, nil
}

// MediaGate answers the media library's two questions about lessons: where an item is used, and
// who may fetch it. It reads only the catalog's tables (and asks identity and billing about the
// caller), so it exists before the media service, which the catalog service itself needs.
type MediaGate struct {
	store        *Store
	roles        Roles
	entitlements Entitlements
}

// NewMediaGate builds the gate on the catalog's tables with the process's roles and
// entitlements (the same the catalog service reads lessons with).
func NewMediaGate(d *db.DB, roles Roles, entitlements Entitlements) *MediaGate {
	return &MediaGate{store: NewStore(d), roles: roles, entitlements: entitlements}
}

// MediaUses lists, for each media id, the lessons that show it (drafts, and published versions
// marked Published), in one query for every id.
func (g *MediaGate) MediaUses(ctx context.Context, ids []string) (map[string][]MediaUse, error) {
	if len(ids) == 0 {
		return map[string][]MediaUse{}, nil
	}
	return g.store.FindMediaUses(ctx, ids)
}

// MediaAccess decides whether userID ("" when anonymous) may fetch a media item: like the
// lessons that show it (MediaAudience.Access). One query decides where the item is shown; the
// caller's roles and entitlement are asked only when that matters.
func (g *MediaGate) MediaAccess(ctx context.Context, mediaID, userID string) (MediaAccess, error) {
	aud, err := g.store.MediaAudience(ctx, mediaID)
	if err != nil {
		return MediaAccessNone, err
	}
	v := Viewer{SignedIn: userID != ""}
	if aud.Free || !v.SignedIn {
		return aud.Access(v), nil
	}
	roles, err := g.roles.UserRoles(ctx, userID)
	switch {
	case apperr.Is(err, apperr.NotFound):
		// A deleted account reads as nobody.
		return aud.Access(Viewer{}), nil
	case err != nil:
		return MediaAccessNone, err
	}
	v.Staff = slices.Contains(roles, role.Admin) || slices.Contains(roles, role.Instructor)
	if aud.Premium && !v.Staff {
		if v.Entitled, err = g.entitlements.Premium(ctx, userID); err != nil {
			return MediaAccessNone, err
		}
	}
	return aud.Access(v), nil
}
