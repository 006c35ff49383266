package practice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/db"
	"github.com/rapport-hq/rapport/internal/platform/ingest"
	"github.com/rapport-hq/rapport/internal/platform/srcerr"
)

// Activities ship as content: practice/<slug>.yaml in the content tree, with the files buyer
// lines refer to in practice/media/. Importing is idempotent: an activity whose file (and buyer
// line) is unchanged is left alone; media are stored hash-addressed, so the same bytes are one
// item of the media library.

// Dir is the folder of the content tree that holds the activities.
const Dir = "practice"

// activityFile is the YAML of one activity file.
type activityFile struct {
	Slug             string          `yaml:"slug"`
	Title            string          `yaml:"title"`
	ModuleSlug       string          `yaml:"module_slug"`
	Competencies     []string        `yaml:"competencies"`
	Kind             string          `yaml:"kind"`
	Brief            string          `yaml:"brief"`
	BuyerMedia       string          `yaml:"buyer_media"`
	TimeLimitSeconds int             `yaml:"time_limit_seconds"`
	Position         *int            `yaml:"position"`
	Rubric           []criterionFile `yaml:"rubric"`
}

type criterionFile struct {
	ID         string            `yaml:"id"`
	Competency string            `yaml:"competency"`
	Criterion  string            `yaml:"criterion"`
	Anchors    map[string]string `yaml:"anchors"`
}

// ImportReport is what an import did: one result per activity file that was valid, and every
// problem found (the files concerned were not imported).
type ImportReport struct {
	Activities []ingest.Result
	Errors     srcerr.List
}

var (
	mediaRefRE  = regexp.MustCompile(`^media:([a-z0-9]+([._-][a-z0-9]+)*\.[a-z0-9]+)$`)
	yamlLineRE  = regexp.MustCompile(`line ([0-9]+)`)
	anchorNames = []string{"1", "3", "5"}
)

// Importer loads activity files into the database. It needs only the media library (for buyer
// lines) and the renderer, so `rapport content import` builds it without the rest of the app.
type Importer struct {
	store    *Store
	media    Media
	markdown Markdown
	now      func() time.Time
}

// NewImporter returns the importer on d.
func NewImporter(d *db.DB, media Media, markdown Markdown, now func() time.Time) *Importer {
	return &Importer{store: NewStore(d, nil), media: media, markdown: markdown, now: now}
}

// Import reads practice/*.yaml from fsys and writes every activity that is new or changed. A
// tree without a practice folder imports nothing.
func (s *Importer) Import(ctx context.Context, fsys fs.FS) (ImportReport, error) {
	var rep ImportReport
	entries, err := fs.ReadDir(fsys, Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return rep, nil
	}
	if err != nil {
		return rep, fmt.Errorf("read %s: %w", Dir, err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".yaml") {
			files = append(files, e.Name())
		}
	}
	sort.Strings(files)
	for i, name := range files {
		file := path.Join(Dir, name)
		a, media, problems, err := s.parseActivity(fsys, file, name, (i+1)*10)
		if err != nil {
			return rep, err
		}
		if len(problems) > 0 {
			rep.Errors = append(rep.Errors, problems...)
			continue
		}
		if media != nil {
			it, err := s.media.ImportMedia(ctx, media.name, media.data, a.Title+": the buyer")
			if err != nil {
				if ae := (*apperr.Error)(nil); errors.As(err, &ae) && ae.Kind != apperr.Unavailable && ae.Kind != apperr.Internal {
					rep.Errors = append(rep.Errors, srcerr.Error{File: path.Join(Dir, "media", media.name), Field: "buyer_media", Message: ae.Detail})
					continue
				}
				return rep, err
			}
			a.BuyerMediaID = &it.ID
		}
		created, changed, err := s.store.UpsertActivity(ctx, a, s.now().UTC())
		if err != nil {
			return rep, err
		}
		res := ingest.Result{Slug: a.Slug, Status: ingest.Unchanged, Version: 1}
		switch {
		case created:
			res.Status = ingest.Created
		case changed:
			res.Status = ingest.Updated
		}
		rep.Activities = append(rep.Activities, res)
	}
	return rep, nil
}

type mediaFile struct {
	name string
	data []byte
}

// parseActivity reads and validates one activity file; problems name the file and the field.
func (s *Importer) parseActivity(fsys fs.FS, file, name string, position int) (Activity, *mediaFile, srcerr.List, error) {
	data, err := ingest.ReadFile(fsys, file)
	if err != nil {
		return Activity{}, nil, nil, err
	}
	problem := func(line int, field, msg string) srcerr.List {
		return srcerr.List{{File: file, Line: line, Field: field, Message: msg}}
	}
	var f activityFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		line := 0
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		return Activity{}, nil, problem(line, "yaml", strings.TrimPrefix(err.Error(), "yaml: ")), nil
	}
	a := Activity{Slug: f.Slug, Title: strings.TrimSpace(f.Title), ModuleSlug: f.ModuleSlug, Competencies: f.Competencies,
		Kind: Kind(f.Kind), Brief: strings.TrimSpace(f.Brief), TimeLimitSeconds: f.TimeLimitSeconds, Position: position}
	if f.Position != nil {
		a.Position = *f.Position
	}
	var problems srcerr.List
	for i, c := range f.Rubric {
		for k := range c.Anchors {
			if !strings.Contains(" 1 3 5 ", " "+k+" ") {
				problems = append(problems, problem(0, fmt.Sprintf("rubric[%d].anchors.%s", i, k), "anchors are \"1\", \"3\" and \"5\"")...)
			}
		}
		a.Rubric = append(a.Rubric, Criterion{ID: c.ID, Competency: c.Competency, Criterion: strings.TrimSpace(c.Criterion),
			Anchors: Anchors{One: strings.TrimSpace(c.Anchors[anchorNames[0]]), Three: strings.TrimSpace(c.Anchors[anchorNames[1]]),
				Five: strings.TrimSpace(c.Anchors[anchorNames[2]])}})
	}
	if want := strings.TrimSuffix(name, ".yaml"); f.Slug != "" && f.Slug != want {
		problems = append(problems, problem(0, "slug", fmt.Sprintf("must match the file name (%q)", want))...)
	}
	var ae *apperr.Error
	if err := a.Validate(); errors.As(err, &ae) {
		for _, fe := range ae.Fields {
			problems = append(problems, problem(0, fe.Field, fe.Message)...)
		}
	}
	h := ingest.NewFileHash()
	h.Add(name, data)
	var media *mediaFile
	if f.BuyerMedia != "" {
		m := mediaRefRE.FindStringSubmatch(f.BuyerMedia)
		if m == nil {
			problems = append(problems, problem(0, "buyer_media", "write media:FILE, naming a file of practice/media/ (lower case, one extension)")...)
		} else {
			mdata, err := ingest.ReadFile(fsys, path.Join(Dir, "media", m[1]))
			switch {
			case errors.Is(err, fs.ErrNotExist):
				problems = append(problems, problem(0, "buyer_media", fmt.Sprintf("media:%s is not a file of practice/media/", m[1]))...)
			case err != nil:
				return Activity{}, nil, nil, err
			default:
				h.Add("media/"+m[1], mdata)
				media = &mediaFile{name: m[1], data: mdata}
			}
		}
	}
	if len(problems) > 0 {
		return Activity{}, nil, problems, nil
	}
	html, err := s.markdown.RenderMarkdown(a.Brief)
	if err != nil {
		return Activity{}, nil, problem(0, "brief", "could not be rendered: "+err.Error()), nil
	}
	a.BriefHTML = html
	a.SourceHash = h.Sum() + ":" + strconv.Itoa(a.Position)
	return a, media, nil, nil
}
