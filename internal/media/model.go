// Package media is the instructors' files: images, video, audio, documents and captions that
// lessons show. It decides a file's type from its bytes, keeps the bytes in the storage layer
// (disk or S3) and a row per item in PostgreSQL, takes uploads whole (multipart) or resumably
// (tus), and serves each item with ranges, validators and the cache policy its lessons allow.
package media

import (
	"bytes"
	"context"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// Kind is what an item is for.
type Kind string

// The kinds of media.
const (
	KindImage    Kind = "image"
	KindVideo    Kind = "video"
	KindAudio    Kind = "audio"
	KindDocument Kind = "document"
	KindCaptions Kind = "captions"
)

// Item is one stored file.
type Item struct {
	ID          string
	Kind        Kind
	ContentType string
	Bytes       int64
	Title, Alt  string
	// FileName is the sanitised name the file was uploaded with (downloads are offered under it).
	FileName        string
	SHA256          string
	DurationSeconds *float64
	CreatedAt       time.Time
}

// URL is where the item is served.
func (i Item) URL() string { return "/media/" + i.ID }

// Key is where the item's bytes live in the bucket.
func (i Item) Key() string { return "media/" + i.ID }

// Use is one lesson that shows an item.
type Use struct {
	ModuleSlug, LessonSlug, LessonTitle string
	Published                           bool
}

// Usage reports which lessons use which media (implemented by the catalog, wired in app).
type Usage interface {
	MediaUses(ctx context.Context, ids []string) (map[string][]Use, error)
}

// NoUsage is the Usage of a process where no lesson can reference media.
var NoUsage Usage = noUsage{}

type noUsage struct{}

func (noUsage) MediaUses(context.Context, []string) (map[string][]Use, error) {
	return map[string][]Use{}, nil
}

// BuyerLines reports which practice activities play which media as their buyer's line
// (implemented by practice, wired in app).
type BuyerLines interface {
	ActivitiesUsing(ctx context.Context, ids []string) (map[string][]string, error)
}

// NoBuyerLines is the BuyerLines of a process with no practice activities.
var NoBuyerLines BuyerLines = noBuyerLines{}

type noBuyerLines struct{}

func (noBuyerLines) ActivitiesUsing(context.Context, []string) (map[string][]string, error) {
	return map[string][]string{}, nil
}

// Access is what a caller may do with an item, decided by the lessons that use it.
type Access int

// The answers of a Gate.
const (
	// AccessNone: the caller may not know the item exists (404).
	AccessNone Access = iota
	// AccessLogin: the item is in premium lessons only and the caller is anonymous (401).
	AccessLogin
	// AccessPay: premium only and the caller has no entitlement (402).
	AccessPay
	// AccessPrivate: served with Cache-Control: private (premium media, Studio previews).
	AccessPrivate
	// AccessPublic: served with Cache-Control: public, immutable (media of free lessons).
	AccessPublic
)

// Gate decides access to an item; userID "" is anonymous. Instructors and admins get
// AccessPrivate for any item (Studio preview).
type Gate interface {
	MediaAccess(ctx context.Context, mediaID, userID string) (Access, error)
}

// Limits are the largest file of each kind, in bytes.
type Limits struct {
	Image, Document, AV int64
}

// DefaultLimits are API.md's defaults: 10 MB images, 25 MB documents and captions, 500 MB audio
// and video.
var DefaultLimits = Limits{Image: 10 << 20, Document: 25 << 20, AV: 500 << 20}

// For is the limit of kind k.
func (l Limits) For(k Kind) int64 {
	switch k {
	case KindImage:
		return l.Image
	case KindVideo, KindAudio:
		return l.AV
	default:
		return l.Document
	}
}

// Max is the largest of the limits (what a resumable upload may announce).
func (l Limits) Max() int64 { return max(l.Image, l.Document, l.AV) }

// SniffLen is how many leading bytes Sniff needs.
const SniffLen = 64

// Sniff decides the type of a file from its first bytes, never from its name or the client's
// Content-Type. ok is false for anything not allowed (SVG, HTML, executables, unknown).
func Sniff(head []byte) (kind Kind, contentType string, ok bool) {
	switch {
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return KindImage, "image/png", true
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return KindImage, "image/jpeg", true
	case len(head) >= 12 && bytes.Equal(head[0:4], []byte("RIFF")) && bytes.Equal(head[8:12], []byte("WEBP")):
		return KindImage, "image/webp", true
	case len(head) >= 12 && bytes.Equal(head[4:8], []byte("ftyp")):
		switch string(head[8:12]) {
		case "M4A ", "M4B ", "M4P ":
			return KindAudio, "audio/mp4", true
		case "qt  ":
			return "", "", false // QuickTime is not MP4; browsers do not play it reliably.
		}
		return KindVideo, "video/mp4", true
	case bytes.HasPrefix(head, []byte{0x1A, 0x45, 0xDF, 0xA3}):
		// EBML: WebM only (its DocType is in the header), not general Matroska.
		if bytes.Contains(head, []byte("webm")) {
			return KindVideo, "video/webm", true
		}
		return "", "", false
	case bytes.HasPrefix(head, []byte("OggS")):
		return KindAudio, "audio/ogg", true
	case bytes.HasPrefix(head, []byte("ID3")):
		return KindAudio, "audio/mpeg", true
	case len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0:
		// An MPEG audio frame sync: layer bits 00 are ADTS (AAC), 01 layer III (MP3).
		switch (head[1] >> 1) & 0x3 {
		case 0:
			if head[1]&0xF6 == 0xF0 {
				return KindAudio, "audio/aac", true
			}
		case 1:
			return KindAudio, "audio/mpeg", true
		}
		return "", "", false
	case bytes.HasPrefix(head, []byte("%PDF-")):
		return KindDocument, "application/pdf", true
	}
	text := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if bytes.HasPrefix(text, []byte("WEBVTT")) {
		rest := text[len("WEBVTT"):]
		if len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r' {
			return KindCaptions, "text/vtt; charset=utf-8", true
		}
	}
	return "", "", false
}

// Length limits of the text fields.
const (
	MaxTitle    = 200
	MaxAlt      = 500
	maxFileName = 120
)

// CleanFileName reduces a client's file name to a safe base name: no directories (either
// slash), no "..", no control or reserved characters, no leading dots, at most 120 characters.
// An empty result becomes "file".
func CleanFileName(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Base("/" + name)
	if name == "/" {
		return "file"
	}
	var b strings.Builder
	for _, r := range name {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`/\:*?"<>|`, r):
			b.WriteRune('_')
		default:
			b.WriteRune(r)
		}
	}
	out := strings.TrimLeft(strings.TrimSpace(b.String()), ".")
	out = strings.ReplaceAll(out, "..", "_")
	if r := []rune(out); len(r) > maxFileName {
		ext := path.Ext(out)
		if len([]rune(ext)) > 10 {
			ext = ""
		}
		out = string(r[:maxFileName-len([]rune(ext))]) + ext
	}
	if out == "" || out == "/" {
		return "file"
	}
	return out
}

// TitleFromName is the default title: the file name without its extension.
func TitleFromName(name string) string {
	t := strings.TrimSuffix(name, path.Ext(name))
	t = strings.TrimSpace(strings.NewReplacer("_", " ", "-", " ").Replace(t))
	if t == "" {
		t = name
	}
	if r := []rune(t); len(r) > MaxTitle {
		t = string(r[:MaxTitle])
	}
	return t
}

// Patch is an edit of an item's text.
type Patch struct {
	Title *string
	Alt   *string
}

// checkText validates a title and alt text.
func checkText(f *apperr.Fields, title, alt *string) {
	if title != nil {
		t := strings.TrimSpace(*title)
		*title = t
		switch {
		case t == "":
			f.Add("title", "Give the file a title.")
		case utf8.RuneCountInString(t) > MaxTitle:
			f.Add("title", "Keep the title to 200 characters or fewer.")
		}
	}
	if alt != nil {
		a := strings.TrimSpace(*alt)
		*alt = a
		if utf8.RuneCountInString(a) > MaxAlt {
			f.Add("alt", "Keep the alt text to 500 characters or fewer.")
		}
	}
}

// Listed is an item with the lessons that use it.
type Listed struct {
	Item
	Uses []Use
}

// isUUID reports whether s is a UUID in its canonical lower-case form (what ids look like here).
func isUUID(s string) bool {
	u, err := uuid.Parse(s)
	return err == nil && u.String() == s
}
