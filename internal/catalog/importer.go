package catalog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/rapport-hq/rapport/internal/apperr"
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
	// Hash covers every file of the folder: an unchanged hash means an unchanged module.
	Hash string
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
}

var (
	numberedDirRE  = regexp.MustCompile(`^([0-9]+)-(.+)$`)
	numberedFileRE = regexp.MustCompile(`^([0-9]+)-(.+)\.md$`)
	yamlLineRE     = regexp.MustCompile(`line ([0-9]+)`)
)

// ParseContent reads every module folder under modules/ in fsys. A module with any error is left
// out of the result entirely; its errors are returned so nothing half-valid is imported.
func ParseContent(fsys fs.FS) ([]ModuleSource, ContentErrors, error) {
	entries, err := fs.ReadDir(fsys, "modules")
	if err != nil {
		return nil, nil, fmt.Errorf("read content: %w", err)
	}
	var mods []ModuleSource
	var all ContentErrors
	seen := map[string]string{}
	ids := checkIDs{}
	for _, e := range entries {
		if !e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		m, errs, err := parseModuleDir(fsys, path.Join("modules", e.Name()))
		if err != nil {
			return nil, nil, err
		}
		if other, dup := seen[m.Slug]; dup && len(errs) == 0 {
			errs = append(errs, ContentError{File: path.Join(m.Dir, "module.yaml"), Field: "slug",
				Message: "is also the slug of " + other})
		}
		if len(errs) == 0 {
			errs = ids.claim(m)
		}
		if len(errs) > 0 {
			all = append(all, errs...)
			continue
		}
		seen[m.Slug] = m.Dir
		mods = append(mods, m)
	}
	return mods, all, nil
}

// parseModuleDir parses one NN-slug folder: module.yaml and its NN-slug.md lessons.
func parseModuleDir(fsys fs.FS, dir string) (ModuleSource, ContentErrors, error) {
	m := ModuleSource{Dir: dir}
	var errs ContentErrors
	match := numberedDirRE.FindStringSubmatch(path.Base(dir))
	if match == nil {
		return m, ContentErrors{{File: dir, Field: "folder", Message: "must be named NN-slug, e.g. 02-self-awareness"}}, nil
	}
	h := sha256.New()
	yml, err := fs.ReadFile(fsys, path.Join(dir, "module.yaml"))
	if err != nil {
		return m, ContentErrors{{File: path.Join(dir, "module.yaml"), Field: "module.yaml", Message: "is missing or unreadable"}}, nil
	}
	hashFile(h, "module.yaml", yml)
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
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return m, nil, fmt.Errorf("read %s: %w", file, err)
		}
		hashFile(h, e.Name(), data)
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
	sort.SliceStable(m.Lessons, func(i, j int) bool { return m.Lessons[i].Position < m.Lessons[j].Position })
	m.Hash = hex.EncodeToString(h.Sum(nil))
	return m, errs, nil
}

func hashFile(h io.Writer, name string, data []byte) {
	_, _ = h.Write([]byte(name + "\x00" + strconv.Itoa(len(data)) + "\x00"))
	_, _ = h.Write(data)
}

// fields reads the fields of one YAML mapping and collects their errors with file lines. YAML
// lines are shifted by offset (front matter starts on the file's line 2).
type fields struct {
	file   string
	offset int
	errs   ContentErrors
}

func (f *fields) add(line int, field, msg string) {
	if line > 0 {
		line += f.offset
	}
	f.errs = append(f.errs, ContentError{File: f.file, Line: line, Field: field, Message: msg})
}

func (f *fields) fromFieldErr(line int, e *apperr.FieldError) {
	if e != nil {
		f.add(line, e.Field, e.Message)
	}
}

// mapping decodes data as a YAML mapping and returns its key → value nodes (with key lines).
func (f *fields) mapping(data []byte, known ...string) (map[string]*yaml.Node, int) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		f.add(line, "yaml", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, 1
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		f.add(1, "yaml", "must be a mapping of field: value")
		return nil, 1
	}
	root := doc.Content[0]
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case !slices.Contains(known, k.Value):
			f.add(k.Line, k.Value, "is not a known field (known: "+strings.Join(known, ", ")+")")
		case out[k.Value] != nil:
			f.add(k.Line, k.Value, "is given twice")
		default:
			out[k.Value] = v
		}
	}
	return out, root.Line
}

// str returns a scalar field's text, reporting a missing required or non-scalar field.
func (f *fields) str(m map[string]*yaml.Node, key string, required bool, line int) (string, int) {
	v := m[key]
	if v == nil {
		if required {
			f.add(line, key, "is required")
		}
		return "", line
	}
	if v.Kind != yaml.ScalarNode {
		f.add(v.Line, key, "must be a single value")
		return "", v.Line
	}
	return strings.TrimSpace(v.Value), v.Line
}

// integer returns a whole-number field.
func (f *fields) integer(m map[string]*yaml.Node, key string, line int) (int, int, bool) {
	v := m[key]
	if v == nil {
		return 0, line, false
	}
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil {
		f.add(v.Line, key, "must be a whole number")
		return 0, v.Line, false
	}
	return n, v.Line, true
}

func parseModuleYAML(m *ModuleSource, file string, data []byte, dirSlug string) ContentErrors {
	f := &fields{file: file}
	kv, root := f.mapping(data, "slug", "title", "summary", "access", "order", "competencies")
	if kv == nil {
		return f.errs
	}
	var line int
	m.Slug, line = f.str(kv, "slug", true, root)
	if kv["slug"] != nil {
		if e := validateSlug("slug", m.Slug); e != nil {
			f.fromFieldErr(line, e)
		} else if m.Slug != dirSlug {
			f.add(line, "slug", fmt.Sprintf("must match the folder name (%q)", dirSlug))
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
	if n, _, ok := f.integer(kv, "order", root); ok {
		m.Order = n
	}
	m.Competencies = f.competencies(kv, root)
	return f.errs
}

func (f *fields) competencies(kv map[string]*yaml.Node, root int) []string {
	v := kv["competencies"]
	if v == nil || (v.Kind == yaml.SequenceNode && len(v.Content) == 0) {
		f.add(root, "competencies", "list at least one of "+strings.Join(Competencies, ", "))
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		f.add(v.Line, "competencies", "must be a list")
		return nil
	}
	out := make([]string, len(v.Content))
	for i, c := range v.Content {
		out[i] = c.Value
	}
	for i, c := range v.Content {
		if e := validateCompetencies("competencies", out[:i+1]); e != nil {
			f.add(c.Line, e.Field, e.Message)
			break
		}
	}
	return out
}

// parseLesson parses an NN-slug.md file: YAML front matter between --- lines, then Markdown.
func parseLesson(file string, data []byte) (LessonSource, ContentErrors) {
	l := LessonSource{File: file}
	f := &fields{file: file, offset: 1}
	match := numberedFileRE.FindStringSubmatch(path.Base(file))
	if match == nil {
		f.add(0, "file name", "must be NN-slug.md, e.g. 01-naming-emotions.md")
		return l, f.errs
	}
	l.Position, _ = strconv.Atoi(match[1])
	fm, body, bodyLine, ok := splitFrontMatter(data)
	if !ok {
		f.errs = append(f.errs, ContentError{File: file, Line: 1, Field: "front matter",
			Message: "must start with a --- line and end with another --- line"})
		return l, f.errs
	}
	kv, root := f.mapping(fm, "slug", "title", "minutes", "checks")
	if kv == nil {
		return l, f.errs
	}
	l.Checks = f.checks(kv["checks"])
	var line int
	l.Slug, line = f.str(kv, "slug", true, root)
	if kv["slug"] != nil {
		if e := validateSlug("slug", l.Slug); e != nil {
			f.fromFieldErr(line, e)
		} else if l.Slug != match[2] {
			f.add(line, "slug", fmt.Sprintf("must match the file name (%q)", match[2]))
		}
	}
	title, line := f.str(kv, "title", true, root)
	var e *apperr.FieldError
	if l.Title, e = normalizeTitle("title", title); kv["title"] != nil {
		f.fromFieldErr(line, e)
	}
	if kv["minutes"] == nil {
		f.add(root, "minutes", "is required")
	} else if n, line, ok := f.integer(kv, "minutes", root); ok {
		l.Minutes = n
		f.fromFieldErr(line, validateMinutes("minutes", n))
	}
	l.Markdown = strings.TrimSpace(body) + "\n"
	if strings.TrimSpace(body) == "" {
		f.errs = append(f.errs, ContentError{File: file, Line: bodyLine, Field: "body", Message: "is empty"})
	} else if e := validateMarkdown("body", body); e != nil {
		f.errs = append(f.errs, ContentError{File: file, Line: bodyLine, Field: "body", Message: e.Message})
	}
	return l, f.errs
}

// splitFrontMatter separates "---\n<yaml>\n---\n<body>" and reports the body's first line.
func splitFrontMatter(data []byte) (fm []byte, body string, bodyLine int, ok bool) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	rest, found := bytes.CutPrefix(data, []byte("---\n"))
	if !found {
		return nil, "", 0, false
	}
	var end int
	switch {
	case bytes.HasPrefix(rest, []byte("---\n")):
		end = 0
	default:
		i := bytes.Index(rest, []byte("\n---\n"))
		if i < 0 {
			if !bytes.HasSuffix(rest, []byte("\n---")) {
				return nil, "", 0, false
			}
			i = len(rest) - len("\n---")
			rest = append(rest, '\n')
		}
		end = i + 1
	}
	fm = rest[:end]
	bodyLine = 2 + bytes.Count(fm, []byte("\n")) + 1
	return fm, string(rest[end+len("---\n"):]), bodyLine, true
}
