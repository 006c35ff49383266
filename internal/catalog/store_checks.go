package catalog

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/rapport-hq/rapport/internal/platform/db"
)

// checkDoc is a check as the jsonb columns lessons.checks and lesson_versions.checks hold it:
// the front matter's shape.
type checkDoc struct {
	ID      string      `json:"id"`
	Prompt  string      `json:"prompt"`
	Options []optionDoc `json:"options"`
	Answer  string      `json:"answer"`
}

type optionDoc struct {
	ID          string `json:"id"`
	Text        string `json:"text"`
	Explanation string `json:"explanation"`
}

// checksColumn is a lesson's checks in a jsonb column.
type checksColumn []checkDoc

// Value implements driver.Valuer: always a JSON array, never null.
func (c checksColumn) Value() (driver.Value, error) {
	if c == nil {
		return "[]", nil
	}
	b, err := json.Marshal([]checkDoc(c))
	return string(b), err
}

// Scan implements sql.Scanner.
func (c *checksColumn) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case nil:
		*c = nil
		return nil
	case []byte:
		b = v
	case string:
		b = []byte(v)
	default:
		return fmt.Errorf("checks: cannot scan %T", src)
	}
	return json.Unmarshal(b, (*[]checkDoc)(c))
}

func toChecksColumn(cs []Check) checksColumn {
	out := make(checksColumn, len(cs))
	for i, c := range cs {
		d := checkDoc{ID: c.ID, Prompt: c.Prompt, Answer: c.Answer, Options: make([]optionDoc, len(c.Options))}
		for j, o := range c.Options {
			d.Options[j] = optionDoc(o)
		}
		out[i] = d
	}
	return out
}

func (c checksColumn) checks() []Check {
	out := make([]Check, len(c))
	for i, d := range c {
		out[i] = d.check()
	}
	return out
}

func (d checkDoc) check() Check {
	c := Check{ID: d.ID, Prompt: d.Prompt, Answer: d.Answer, Options: make([]CheckOption, len(d.Options))}
	for j, o := range d.Options {
		c.Options[j] = CheckOption(o)
	}
	return c
}

// publishedCheckRow is one check of a published lesson with its lesson and module.
type publishedCheckRow struct {
	LessonID    string
	LessonSlug  string
	LessonTitle string
	ModuleSlug  string
	Access      string
	Doc         checksColumn `gorm:"column:doc"`
}

// FindPublishedChecks returns the checks with the given ids that a lesson of a published module's
// latest version holds, by id, in one query. A check removed by a later version, or whose module
// is unpublished, is absent.
func (s *Store) FindPublishedChecks(ctx context.Context, ids []string) (map[string]PublishedCheck, error) {
	out := map[string]PublishedCheck{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []publishedCheckRow
	err := s.db.WithContext(ctx).Raw(`
		SELECT lv.lesson_id, lv.slug AS lesson_slug, lv.title AS lesson_title, m.slug AS module_slug, v.access,
		       jsonb_build_array(c) AS doc
		FROM modules m
		JOIN module_versions v ON v.module_id = m.id AND v.version = m.current_version
		JOIN lesson_versions lv ON lv.module_version_id = v.id
		CROSS JOIN LATERAL jsonb_array_elements(lv.checks) c
		WHERE m.state = @published AND c->>'id' = ANY(CAST(@ids AS text[]))`,
		map[string]any{"published": StatePublished, "ids": db.StringArray(ids)}).Scan(&rows).Error
	if err != nil {
		return nil, db.Err(err)
	}
	for _, r := range rows {
		if len(r.Doc) != 1 {
			continue
		}
		out[r.Doc[0].ID] = PublishedCheck{Check: r.Doc[0].check(), LessonID: r.LessonID, LessonSlug: r.LessonSlug,
			LessonTitle: r.LessonTitle, ModuleSlug: r.ModuleSlug, Access: r.Access}
	}
	return out, nil
}

// CheckIDsElsewhere returns which of ids a live draft lesson other than lessonID uses (check ids
// are unique across the course).
func (s *Store) CheckIDsElsewhere(ctx context.Context, lessonID string, ids []string) ([]string, error) {
	var taken []string
	if len(ids) == 0 {
		return taken, nil
	}
	err := s.db.WithContext(ctx).Raw(`
		SELECT DISTINCT c->>'id'
		FROM lessons l CROSS JOIN LATERAL jsonb_array_elements(l.checks) c
		WHERE l.deleted_at IS NULL AND l.id::text <> @lesson AND c->>'id' = ANY(CAST(@ids AS text[]))`,
		map[string]any{"lesson": lessonID, "ids": db.StringArray(ids)}).Scan(&taken).Error
	return taken, db.Err(err)
}

// CheckDirectory answers which checks published lessons hold, from the catalog's tables alone, so
// processes can ask before the catalog service (which needs progress) exists.
type CheckDirectory struct{ store *Store }

// NewCheckDirectory builds the directory on the process's database.
func NewCheckDirectory(d *db.DB) *CheckDirectory { return &CheckDirectory{store: NewStore(d)} }

// PublishedCheckIDs tells which of ids a lesson of a published module's latest version holds.
func (c *CheckDirectory) PublishedCheckIDs(ctx context.Context, ids []string) (map[string]bool, error) {
	found, err := c.store.FindPublishedChecks(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(found))
	for id := range found {
		out[id] = true
	}
	return out, nil
}
