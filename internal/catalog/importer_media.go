package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/rapport-hq/rapport/internal/platform/ingest"
)

// Content files may ship media beside their lessons: modules/NN-slug/media/NAME, shown in a
// lesson as ![alt](media:NAME) or ::download{media=NAME}. The import stores each file in the
// media library (the same bytes are the same item) and writes the items' ids into the lessons.

// mediaNameRE is a media file name: lower-case words, one extension.
var mediaNameRE = regexp.MustCompile(`^[a-z0-9]+([._-][a-z0-9]+)*\.[a-z0-9]+$`)

// readMediaDir reads the files of a module's media/ folder (none when it is absent) and adds them
// to the module's hash.
func readMediaDir(fsys fs.FS, dir string, h *ingest.FileHash) ([]MediaFile, ContentErrors, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", dir, err)
	}
	var out []MediaFile
	var errs ContentErrors
	for _, e := range entries {
		file := path.Join(dir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), "."):
			continue
		case e.IsDir() || !mediaNameRE.MatchString(e.Name()):
			errs = append(errs, ContentError{File: file, Field: "media", Message: "name media files in lower case with one extension, e.g. stakeholder-map.png, directly in media/"})
			continue
		}
		data, err := ingest.ReadFile(fsys, file)
		if err != nil {
			return nil, nil, err
		}
		h.Add("media/"+e.Name(), data)
		out = append(out, MediaFile{Name: e.Name(), Data: data})
	}
	return out, errs, nil
}

// scanLessonMedia finds each lesson's media references and reports syntax problems and names
// that are not files of the module's media/ folder, at their file lines.
func scanLessonMedia(lessons []LessonSource, media []MediaFile) ContentErrors {
	r := NewRenderer()
	var errs ContentErrors
	for i := range lessons {
		l := &lessons[i]
		if l.MarkdownLine == 0 {
			continue // the file could not be read as a lesson
		}
		l.Media = r.Scan(l.Markdown)
		for _, p := range l.Media.Problems {
			errs = append(errs, ContentError{File: l.File, Line: l.MarkdownLine + p.Line - 1, Field: "body", Message: p.Message})
		}
		for _, ref := range l.Media.Refs {
			for _, name := range []string{ref.ID, ref.Captions} {
				if name != "" && !slices.ContainsFunc(media, func(f MediaFile) bool { return f.Name == name }) {
					errs = append(errs, ContentError{File: l.File, Line: l.MarkdownLine + ref.Line - 1, Field: "body",
						Message: fmt.Sprintf("media:%s is not a file of this module's media/ folder", name)})
				}
			}
		}
	}
	return errs
}

// mediaDetails are the title and alt text an imported file is stored with: the first title or
// alt text a lesson gives it, else a title made from its name.
func mediaDetails(lessons []LessonSource, name string) (title, alt string) {
	for _, l := range lessons {
		for _, r := range l.Media.Refs {
			if r.ID == name {
				title, alt = or(title, r.Title), or(alt, r.Alt)
			}
		}
	}
	if title == "" {
		base := strings.TrimSuffix(name, path.Ext(name))
		base = strings.NewReplacer("-", " ", "_", " ", ".", " ").Replace(base)
		title = strings.ToUpper(base[:1]) + base[1:]
	}
	return title, alt
}
