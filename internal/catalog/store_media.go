package catalog

import (
	"context"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// SetLessonMedia records that a lesson's draft shows exactly the media ids (one statement: rows
// no longer used go, new ones come).
func (s *Store) SetLessonMedia(ctx context.Context, lessonID string, ids []string) error {
	return db.Err(s.db.WithContext(ctx).Exec(`
		WITH gone AS (
			DELETE FROM lesson_media WHERE lesson_id = @lesson AND NOT (media_id = ANY(CAST(@ids AS text[])))
		)
		INSERT INTO lesson_media (lesson_id, media_id)
		SELECT @lesson, id FROM unnest(CAST(@ids AS text[])) AS id
		ON CONFLICT DO NOTHING`,
		map[string]any{"lesson": lessonID, "ids": db.StringArray(orEmpty(ids))}).Error)
}

// createVersionMedia records the media each lesson of a new version shows (one statement).
func (s *Store) createVersionMedia(ctx context.Context, moduleVersionID string, lessons []VersionLesson) error {
	var lessonIDs, mediaIDs []string
	for _, l := range lessons {
		for _, id := range l.Media {
			lessonIDs, mediaIDs = append(lessonIDs, l.ID), append(mediaIDs, id)
		}
	}
	if len(mediaIDs) == 0 {
		return nil
	}
	return db.Err(s.db.WithContext(ctx).Exec(`
		INSERT INTO lesson_version_media (module_version_id, lesson_id, media_id)
		SELECT @version, u.lesson_id, u.media_id
		FROM unnest(CAST(@lessons AS uuid[]), CAST(@media AS text[])) AS u(lesson_id, media_id)
		ON CONFLICT DO NOTHING`,
		map[string]any{"version": moduleVersionID, "lessons": db.StringArray(lessonIDs), "media": db.StringArray(mediaIDs)}).Error)
}

type mediaUseRow struct {
	MediaID     string
	ModuleSlug  string
	LessonSlug  string
	LessonTitle string
	Published   bool
}

// FindMediaUses lists, for each of ids, the lessons that show it: live drafts, and lessons of any
// published version (Published; versions are immutable, so such an item must stay). One query.
func (s *Store) FindMediaUses(ctx context.Context, ids []string) (map[string][]MediaUse, error) {
	var rows []mediaUseRow
	err := s.db.WithContext(ctx).Raw(`
		WITH uses AS (
			SELECT lm.media_id, lm.lesson_id, false AS published
			FROM lesson_media lm JOIN lessons l ON l.id = lm.lesson_id AND l.deleted_at IS NULL
			WHERE lm.media_id = ANY(CAST(@ids AS text[]))
			UNION ALL
			SELECT lvm.media_id, lvm.lesson_id, true
			FROM lesson_version_media lvm
			WHERE lvm.media_id = ANY(CAST(@ids AS text[]))
		)
		SELECT u.media_id, m.slug AS module_slug, l.slug AS lesson_slug, l.title AS lesson_title,
		       bool_or(u.published) AS published
		FROM uses u
		JOIN lessons l ON l.id = u.lesson_id
		JOIN modules m ON m.id = l.module_id
		GROUP BY u.media_id, m.id, m.slug, m.sort_order, l.id, l.slug, l.title, l.position
		ORDER BY u.media_id, m.sort_order, m.slug, l.position, l.slug`,
		map[string]any{"ids": db.StringArray(orEmpty(ids))}).Scan(&rows).Error
	out := make(map[string][]MediaUse, len(ids))
	for _, r := range rows {
		out[r.MediaID] = append(out[r.MediaID], MediaUse{ModuleSlug: r.ModuleSlug, LessonSlug: r.LessonSlug,
			LessonTitle: r.LessonTitle, Published: r.Published})
	}
	return out, db.Err(err)
}

// MediaAudience tells whether a lesson of a published module's current version (what learners
// read) shows the media item, in a free module and in a premium one. One query.
func (s *Store) MediaAudience(ctx context.Context, mediaID string) (MediaAudience, error) {
	var a MediaAudience
	err := s.db.WithContext(ctx).Raw(`
		SELECT coalesce(bool_or(v.access = @free), false) AS free, coalesce(bool_or(v.access = @premium), false) AS premium
		FROM lesson_version_media lvm
		JOIN module_versions v ON v.id = lvm.module_version_id
		JOIN modules m ON m.id = v.module_id AND m.current_version = v.version AND m.state = @published
		WHERE lvm.media_id = @media`,
		map[string]any{"media": mediaID, "free": AccessFree, "premium": AccessPremium, "published": StatePublished}).
		Scan(&a).Error
	return a, db.Err(err)
}

// StoredSourceHash is the content hash a module was last imported from ("" when the module does
// not exist or was never imported): an import compares it before storing the module's media.
func (s *Store) StoredSourceHash(ctx context.Context, slug string) (string, error) {
	var hashes []string
	err := s.db.WithContext(ctx).Raw(`SELECT source_hash FROM modules WHERE slug = ?`, slug).Scan(&hashes).Error
	if len(hashes) == 0 {
		return "", db.Err(err)
	}
	return hashes[0], db.Err(err)
}
