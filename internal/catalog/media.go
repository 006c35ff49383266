package catalog

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// Media kinds as the media library names them.
const (
	MediaImage    = "image"
	MediaVideo    = "video"
	MediaAudio    = "audio"
	MediaDocument = "document"
	MediaCaptions = "captions"
)

// MediaRef is what the catalog needs to know of one media item to check and render a lesson
// that uses it (the media domain's item, converted in internal/app).
type MediaRef struct {
	ID          string
	Kind        string
	ContentType string
	Title       string
	Alt         string
	Bytes       int64
}

// URL is where Rapport serves the item.
func (m MediaRef) URL() string { return "/media/" + m.ID }

// MediaLookup finds media items by id (the media domain implements it). It is called once per
// preview, save, publish or import with every id at once; unknown ids are absent from the map.
type MediaLookup interface {
	FindMany(ctx context.Context, ids []string) (map[string]MediaRef, error)
}

// MediaImporter stores a content file's bytes as a media item (the media domain implements it):
// the same bytes are the same item, so importing twice changes nothing. A file media refuses
// (wrong type, too large, empty) is an apperr naming the problem.
type MediaImporter interface {
	ImportMedia(ctx context.Context, name string, data []byte, title, alt string) (MediaRef, error)
}

// NoMedia is a MediaLookup and MediaImporter for processes without a media library: no id is
// known and no file can be stored, so a lesson that uses media is refused with the line named.
type NoMedia struct{}

// FindMany implements MediaLookup.
func (NoMedia) FindMany(context.Context, []string) (map[string]MediaRef, error) {
	return map[string]MediaRef{}, nil
}

// ImportMedia implements MediaImporter.
func (NoMedia) ImportMedia(_ context.Context, name string, _ []byte, _, _ string) (MediaRef, error) {
	return MediaRef{}, fmt.Errorf("import %s: this process has no media library", name)
}

// Media forms in lesson Markdown.
const (
	FormImage    = "image"    // ![alt](media:ID)
	FormVideo    = "video"    // ::video{media=ID captions=ID}
	FormAudio    = "audio"    // ::audio{media=ID}
	FormDownload = "download" // ::download{media=ID}
)

// MediaReference is one use of media in lesson Markdown, found by Renderer.Scan.
type MediaReference struct {
	// Line is the 1-based line of the Markdown the reference is on.
	Line     int
	Form     string
	ID       string
	Captions string
	Alt      string
	Title    string
	// Lang and Label describe the captions track.
	Lang, Label string
	// idAt and captionsAt are the byte offsets of ID and Captions in the Markdown (-1: absent),
	// so an import can replace content file names by media ids in place.
	idAt, captionsAt int
}

// LineProblem is a problem on one line of lesson Markdown.
type LineProblem struct {
	Line    int
	Message string
}

// String formats the problem as an author reads it in the Studio.
func (p LineProblem) String() string { return fmt.Sprintf("Line %d: %s", p.Line, p.Message) }

// MediaScan is every media reference of one lesson's Markdown and the problems of their syntax.
type MediaScan struct {
	Refs     []MediaReference
	Problems []LineProblem
}

// IDs lists the distinct media ids the lesson references (captions included), in order of use.
func (s MediaScan) IDs() []string {
	var out []string
	for _, r := range s.Refs {
		for _, id := range []string{r.ID, r.Captions} {
			if id != "" && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	return out
}

// wantKinds are the media kinds each form may show.
var wantKinds = map[string][]string{
	FormImage:    {MediaImage},
	FormVideo:    {MediaVideo},
	FormAudio:    {MediaAudio},
	FormDownload: {MediaDocument, MediaImage, MediaAudio, MediaVideo, MediaCaptions},
}

var kindNames = map[string]string{
	MediaImage: "an image", MediaVideo: "a video", MediaAudio: "an audio file", MediaDocument: "a document",
	MediaCaptions: "a captions file",
}

// Check adds to the syntax problems every reference to an unknown media id or to media of the
// wrong kind. With publishing set, an image must also have alt text (in the Markdown or in the
// media library), since learners using screen readers would otherwise get nothing.
func (s MediaScan) Check(media map[string]MediaRef, publishing bool) []LineProblem {
	out := slices.Clone(s.Problems)
	for _, r := range s.Refs {
		m, ok := media[r.ID]
		switch {
		case !ok:
			out = append(out, LineProblem{r.Line, fmt.Sprintf("There is no media item %q in the media library. Upload it, or copy its id from the library.", r.ID)})
			continue
		case !slices.Contains(wantKinds[r.Form], m.Kind):
			out = append(out, LineProblem{r.Line, fmt.Sprintf("Media item %q is %s, so it can’t be shown as %s.", r.ID, kindNames[m.Kind], formNames[r.Form])})
			continue
		}
		if r.Captions != "" {
			c, ok := media[r.Captions]
			switch {
			case !ok:
				out = append(out, LineProblem{r.Line, fmt.Sprintf("There are no captions %q in the media library. Upload the WebVTT file, or copy its id from the library.", r.Captions)})
			case c.Kind != MediaCaptions:
				out = append(out, LineProblem{r.Line, fmt.Sprintf("Media item %q is %s, not captions: captions must be a WebVTT (.vtt) file.", r.Captions, kindNames[c.Kind])})
			}
		}
		if publishing && r.Form == FormImage && strings.TrimSpace(r.Alt) == "" && strings.TrimSpace(m.Alt) == "" {
			out = append(out, LineProblem{r.Line, fmt.Sprintf("Image %q has no alt text. Describe it in the brackets, ![like this](media:%s), or add alt text in the media library.", r.ID, r.ID)})
		}
	}
	slices.SortStableFunc(out, func(a, b LineProblem) int { return a.Line - b.Line })
	return out
}

var formNames = map[string]string{
	FormImage: "an image", FormVideo: "a video", FormAudio: "audio", FormDownload: "a download",
}

// ReplaceMediaIDs returns markdown with every referenced id (and captions id) that is a key of ids
// replaced by its value, in place: content files name media by file name, the catalog stores ids.
func ReplaceMediaIDs(markdown string, scan MediaScan, ids map[string]string) string {
	type edit struct {
		at       int
		old, new string
	}
	var edits []edit
	for _, r := range scan.Refs {
		if to, ok := ids[r.ID]; ok && r.idAt >= 0 {
			edits = append(edits, edit{r.idAt, r.ID, to})
		}
		if to, ok := ids[r.Captions]; ok && r.captionsAt >= 0 {
			edits = append(edits, edit{r.captionsAt, r.Captions, to})
		}
	}
	slices.SortFunc(edits, func(a, b edit) int { return b.at - a.at })
	for _, e := range edits {
		if markdown[e.at:e.at+len(e.old)] == e.old {
			markdown = markdown[:e.at] + e.new + markdown[e.at+len(e.old):]
		}
	}
	return markdown
}

// MediaUse is one lesson that shows a media item. Published is true when a published version of
// the lesson shows it (and so it must stay: versions are immutable); false for a draft only.
type MediaUse struct {
	ModuleSlug, LessonSlug, LessonTitle string
	Published                           bool
}

// MediaAudience is who reads lessons showing a media item: a published free module's current
// version shows it (Free), a published premium module's does (Premium), or neither.
type MediaAudience struct {
	Free, Premium bool
}

// MediaAccess is what a caller may do with a media item, decided like reading the lessons that
// show it (media maps it to 404, 401, 402 or 200 with its cache headers).
type MediaAccess int

// Media access decisions, from "you may not know it exists" to "anyone, cache it forever".
const (
	MediaAccessNone    MediaAccess = iota // not shown to this caller: 404
	MediaAccessLogin                      // premium lessons only, anonymous caller: 401
	MediaAccessPay                        // premium lessons only, no entitlement: 402
	MediaAccessPrivate                    // may read it, but no shared cache may keep it
	MediaAccessPublic                     // a free published lesson shows it: anyone may
)

// Viewer is what the access rule needs to know about the caller.
type Viewer struct {
	SignedIn bool
	// Staff is an instructor or admin, who previews every item in the Studio.
	Staff    bool
	Entitled bool
}

// Access decides a viewer's access to an item with this audience: items of free published
// lessons are public; items of premium ones need a signed-in, entitled viewer; staff read every
// item privately; nobody else learns that an unpublished item exists.
func (a MediaAudience) Access(v Viewer) MediaAccess {
	switch {
	case a.Free:
		return MediaAccessPublic
	case v.Staff:
		return MediaAccessPrivate
	case !a.Premium:
		return MediaAccessNone
	case !v.SignedIn:
		return MediaAccessLogin
	case v.Entitled:
		return MediaAccessPrivate
	default:
		return MediaAccessPay
	}
}
