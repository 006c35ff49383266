package catalog

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/ingest"
	"github.com/rapport-hq/rapport/internal/platform/srcerr"
)

// ContentError is one problem in a content file (file:line: field: message).
type ContentError = srcerr.Error

// ContentErrors lists every problem found in the content files.
type ContentErrors = srcerr.List

// ModuleSource is one module folder parsed and validated from content files.
type ModuleSource struct {
	Dir          string
	Slug         string
	Title        string
	Summary      string
	Access       string
	Order        int
	Competencies []string
	Lessons      []LessonSource
	// Coaching is the Markdown of the optional coaching.md (the managers' guide), "" without one.
	Coaching string
	// Media are the files of the folder's media/ subfolder, which lessons show as media:NAME.
	Media []MediaFile
	// Hash covers every file of the folder: an unchanged hash means an unchanged module.
	Hash string
}

// MediaFile is one file of a module's media/ folder.
type MediaFile struct {
	Name string
	Data []byte
}

// LessonSource is one lesson file: its front matter and Markdown body.
type LessonSource struct {
	File     string
	Slug     string
	Title    string
	Minutes  int
	Markdown string
	Position int
	Checks   []Check // from the optional checks: field; see checks_parse.go
	// MarkdownLine is the file line Markdown's first line is on; Media are its media references,
	// by file name of the module's media/ folder.
	MarkdownLine int
	Media        MediaScan
}

var (
	numberedDirRE  = regexp.MustCompile(`^([0-9]+)-(.+)$`)
	numberedFileRE = regexp.MustCompile(`^([0-9]+)-(.+)\.md$`)
)

// coachingFile is the optional file of a module folder that holds its guide for managers.
const coachingFile = "coaching.md"

// moduleDirs are the module folders of a content tree (modules/NN-slug/).
var moduleDirs = ingest.Set[ModuleSource]{
	Dir:   "modules",
	Entry: func(e fs.DirEntry) bool { return e.IsDir() && !strings.HasPrefix(e.Name(), ".") },
	Parse: parseModuleDir,
	Key: func(m ModuleSource) ingest.Key {
		return ingest.Key{Slug: m.Slug, Name: m.Dir, File: path.Join(m.Dir, "module.yaml")}
	},
}

// ParseContent reads every module folder under modules/ in fsys. A module with any error is left
// out of the result entirely; its errors are returned so nothing half-valid is imported.
func ParseContent(fsys fs.FS) ([]ModuleSource, ContentErrors, error) {
	mods, errs, err := moduleDirs.Collect(fsys)
	if err != nil {
		return nil, nil, err
	}
	// A check id names one check across the course, so modules are checked against each other.
	ids := checkIDs{}
	kept := mods[:0]
	for _, m := range mods {
		if cerrs := ids.claim(m); len(cerrs) > 0 {
			errs = append(errs, cerrs...)
			continue
		}
		kept = append(kept, m)
	}
	return kept, errs, nil
}

// parseModuleDir parses one NN-slug folder: module.yaml and its NN-slug.md lessons.
func parseModuleDir(fsys fs.FS, dir string) (ModuleSource, ContentErrors, error) {
	m := ModuleSource{Dir: dir}
	var errs ContentErrors
	match := numberedDirRE.FindStringSubmatch(path.Base(dir))
	if match == nil {
		return m, ContentErrors{{File: dir, Field: "folder", Message: "must be named NN-slug, e.g. 02-self-awareness"}}, nil
	}
	h := ingest.NewFileHash()
	// The hash also names what the importer stores, so a database imported before checks were
	// stored sees every module as changed once and publishes a version that carries them.
	h.Add(".importer", []byte("stores checks"))
	yml, err := fs.ReadFile(fsys, path.Join(dir, "module.yaml"))
	if err != nil {
		return m, ContentErrors{{File: path.Join(dir, "module.yaml"), Field: "module.yaml", Message: "is missing or unreadable"}}, nil
	}
	h.Add("module.yaml", yml)
	m.Order, _ = strconv.Atoi(match[1])
	errs = append(errs, parseModuleYAML(&m, path.Join(dir, "module.yaml"), yml, match[2])...)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return m, nil, fmt.Errorf("read %s: %w", dir, err)
	}
	slugs := map[string]string{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") {
			continue
		}
		file := path.Join(dir, e.Name())
		if e.Name() == coachingFile {
			data, err := ingest.ReadFile(fsys, file)
			if err != nil {
				return m, nil, err
			}
			h.Add(e.Name(), data)
			var cerr *ContentError
			m.Coaching, cerr = parseCoaching(file, data)
			if cerr != nil {
				errs = append(errs, *cerr)
			}
			continue
		}
		data, err := ingest.ReadFile(fsys, file)
		if err != nil {
			return m, nil, err
		}
		h.Add(e.Name(), data)
		l, lerrs := parseLesson(file, data)
		if other, dup := slugs[l.Slug]; dup && len(lerrs) == 0 {
			lerrs = append(lerrs, ContentError{File: file, Line: 2, Field: "slug", Message: "is also the slug of " + other})
		}
		slugs[l.Slug] = file
		errs = append(errs, lerrs...)
		m.Lessons = append(m.Lessons, l)
	}
	if len(m.Lessons) == 0 {
		errs = append(errs, ContentError{File: dir, Field: "lessons", Message: "the module has no NN-slug.md lesson files"})
	}
	media, merrs, err := readMediaDir(fsys, path.Join(dir, "media"), h)
	if err != nil {
		return m, nil, err
	}
	m.Media = media
	errs = append(errs, merrs...)
	errs = append(errs, scanLessonMedia(m.Lessons, media)...)
	sort.SliceStable(m.Lessons, func(i, j int) bool { return m.Lessons[i].Position < m.Lessons[j].Position })
	m.Hash = h.Sum()
	return m, errs, nil
}

// fields reads the fields of one YAML mapping and collects their errors with file lines. YAML
// lines are shifted by the reader's offset (front matter starts on the file's line 2).
type fields struct{ ingest.Reader }

func (f *fields) fromFieldErr(line int, e *apperr.FieldError) {
	if e != nil {
		f.Add(line, e.Field, e.Message)
	}
}

// mapping decodes data as a YAML mapping and returns its key → value nodes and the root's line.
func (f *fields) mapping(data []byte, known ...string) (map[string]*yaml.Node, int) {
	root, ok := f.Document(data)
	if !ok {
		return nil, 1
	}
	if root == nil || root.Kind != yaml.MappingNode {
		f.Add(1, "yaml", "must be a mapping of field: value")
		return nil, 1
	}
	return f.Mapping(root, "", known...), root.Line
}

// str returns a scalar field's text, reporting a missing required or non-scalar field.
func (f *fields) str(m map[string]*yaml.Node, key string, required bool, line int) (string, int) {
	return f.Str(m, key, key, line, required)
}

func parseModuleYAML(m *ModuleSource, file string, data []byte, dirSlug string) ContentErrors {
	f := &fields{ingest.Reader{File: file}}
	kv, root := f.mapping(data, "slug", "title", "summary", "access", "order", "competencies")
	if kv == nil {
		return f.Errs
	}
	var line int
	m.Slug, line = f.str(kv, "slug", true, root)
	if kv["slug"] != nil {
		if e := validateSlug("slug", m.Slug); e != nil {
			f.fromFieldErr(line, e)
		} else if m.Slug != dirSlug {
			f.Add(line, "slug", fmt.Sprintf("must match the folder name (%q)", dirSlug))
		}
	}
	title, line := f.str(kv, "title", true, root)
	t, e := normalizeTitle("title", title)
	m.Title = t
	if kv["title"] != nil {
		f.fromFieldErr(line, e)
	}
	m.Summary, line = f.str(kv, "summary", false, root)
	f.fromFieldErr(line, validateSummary("summary", m.Summary))
	m.Access, line = f.str(kv, "access", true, root)
	if kv["access"] != nil {
		f.fromFieldErr(line, validateAccess("access", m.Access))
	}
	if n, _, ok := f.Int(kv, "order", "order", root); ok {
		m.Order = n
	}
	m.Competencies = f.competencies(kv, root)
	return f.Errs
}

func (f *fields) competencies(kv map[string]*yaml.Node, root int) []string {
	v := kv["competencies"]
	if v == nil || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
		f.Add(root, "competencies", "list at least one of "+strings.Join(Competencies, ", "))
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		f.Add(v.Line, "competencies", "must be a list")
		return nil
	}
	out := make([]string, len(v.Content))
	for i, c := range v.Content {
		out[i] = c.Value
	}
	for i, c := range v.Content {
		if e := validateCompetencies("competencies", out[:i+1]); e != nil {
			f.Add(c.Line, e.Field, e.Message)
			break
		}
	}
	return out
}

// parseCoaching reads a coaching.md: Markdown only, no front matter (the guide's title is the
// module's), within the studio's limit.
func parseCoaching(file string, data []byte) (string, *ContentError) {
	body := strings.TrimSpace(string(data))
	if body == "" {
		return "", &ContentError{File: file, Line: 1, Field: "coaching", Message: "is empty; delete the file or write the guide"}
	}
	if e := validateCoaching("coaching", body); e != nil {
		return "", &ContentError{File: file, Line: 1, Field: "coaching", Message: e.Message}
	}
	return body + "\n", nil
}

// parseLesson parses an NN-slug.md file: YAML front matter between --- lines, then Markdown.
func parseLesson(file string, data []byte) (LessonSource, ContentErrors) {
	l := LessonSource{File: file}
	f := &fields{ingest.Reader{File: file, Offset: 1}}
	match := numberedFileRE.FindStringSubmatch(path.Base(file))
	if match == nil {
		f.Add(0, "file name", "must be NN-slug.md, e.g. 01-naming-emotions.md")
		return l, f.Errs
	}
	l.Position, _ = strconv.Atoi(match[1])
	fm, body, bodyLine, ok := ingest.SplitFrontMatter(data)
	if !ok {
		f.Errs = append(f.Errs, ContentError{File: file, Line: 1, Field: "front matter",
			Message: "must start with a --- line and end with another --- line"})
		return l, f.Errs
	}
	kv, root := f.mapping(fm, "slug", "title", "minutes", "checks")
	if kv == nil {
		return l, f.Errs
	}
	l.Checks = f.checks(kv["checks"])
	var line int
	l.Slug, line = f.str(kv, "slug", true, root)
	if kv["slug"] != nil {
		if e := validateSlug("slug", l.Slug); e != nil {
			f.fromFieldErr(line, e)
		} else if l.Slug != match[2] {
			f.Add(line, "slug", fmt.Sprintf("must match the file name (%q)", match[2]))
		}
	}
	title, line := f.str(kv, "title", true, root)
	var e *apperr.FieldError
	if l.Title, e = normalizeTitle("title", title); kv["title"] != nil {
		f.fromFieldErr(line, e)
	}
	if kv["minutes"] == nil {
		f.Add(root, "minutes", "is required")
	} else if n, line, ok := f.Int(kv, "minutes", "minutes", root); ok {
		l.Minutes = n
		f.fromFieldErr(line, validateMinutes("minutes", n))
	}
	l.Markdown = strings.TrimSpace(body) + "\n"
	l.MarkdownLine = bodyLine + strings.Count(body[:len(body)-len(strings.TrimLeftFunc(body, unicode.IsSpace))], "\n")
	if strings.TrimSpace(body) == "" {
		f.Errs = append(f.Errs, ContentError{File: file, Line: bodyLine, Field: "body", Message: "is empty"})
	} else if e := validateMarkdown("body", body); e != nil {
		f.Errs = append(f.Errs, ContentError{File: file, Line: bodyLine, Field: "body", Message: e.Message})
	}
	return l, f.Errs
}
