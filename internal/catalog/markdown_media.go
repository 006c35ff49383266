package catalog

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Lesson Markdown shows media in two ways, both resolved against the media library:
//
//	![alt](media:ID)                      an image, inline
//	::video{media=ID captions=ID}         a player, on its own line (also ::audio, ::download)
//
// A goldmark block parser reads the directive lines (so a directive inside a code block stays
// code), and an AST transformer turns media images and directives into nodes of their own, which
// a node renderer writes as <img>, <video>, <audio> or a download link. Scanning and rendering run
// the same parser: Scan collects the references (with their lines) for checking, and Render
// writes them with the media items the caller looked up.

const mediaScheme = "media:"

var (
	kindMediaImage     = ast.NewNodeKind("MediaImage")
	kindMediaDirective = ast.NewNodeKind("MediaDirective")

	scanKey  = parser.NewContextKey() // *MediaScan: Scan collects references here
	mediaKey = parser.NewContextKey() // map[string]MediaRef: Render resolves references from here
)

// mediaImage is an image from the media library.
type mediaImage struct {
	ast.BaseInline
	ref   MediaReference
	media *MediaRef // nil when the id is unknown: nothing is shown
}

func (n *mediaImage) Kind() ast.NodeKind            { return kindMediaImage }
func (n *mediaImage) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

// mediaDirective is one ::video, ::audio or ::download line.
type mediaDirective struct {
	ast.BaseBlock
	ref      MediaReference
	problem  string
	media    *MediaRef
	captions *MediaRef
}

func (n *mediaDirective) Kind() ast.NodeKind            { return kindMediaDirective }
func (n *mediaDirective) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }
func (n *mediaDirective) IsRaw() bool                   { return true }

func lookupRef(m map[string]MediaRef, id string) *MediaRef {
	if r, ok := m[id]; ok && id != "" {
		return &r
	}
	return nil
}

// directiveParser reads a line starting with :: and a letter as a media directive. A line that
// starts like one but is malformed still becomes one, carrying its problem, so the author learns
// of the typo instead of seeing the line printed as text.
type directiveParser struct{}

var (
	directiveRE = regexp.MustCompile(`^::([A-Za-z][A-Za-z0-9_-]*)\{(.*)\}[ \t]*$`)
	attrRE      = regexp.MustCompile(`^[ \t]*([A-Za-z][A-Za-z0-9_-]*)=(?:"([^"]*)"|([^\s"{}]+))`)
	// directiveAttrs are the attributes each directive takes.
	directiveAttrs = map[string][]string{
		FormVideo:    {"media", "captions", "lang", "label", "title"},
		FormAudio:    {"media", "title"},
		FormDownload: {"media", "title"},
	}
	langRE = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
)

func (directiveParser) Trigger() []byte { return []byte{':'} }

func (directiveParser) Open(_ ast.Node, reader text.Reader, _ parser.Context) (ast.Node, parser.State) {
	line, seg := reader.PeekLine()
	w, pos := util.IndentWidth(line, reader.LineOffset())
	if w > 3 {
		return nil, parser.NoChildren
	}
	rest := line[pos:]
	if len(rest) < 3 || rest[0] != ':' || rest[1] != ':' || !isASCIILetter(rest[2]) {
		return nil, parser.NoChildren
	}
	body := strings.TrimRight(string(rest), "\r\n")
	n := &mediaDirective{}
	n.ref, n.problem = parseDirective(body, seg.Start+pos)
	n.Lines().Append(seg)
	reader.AdvanceToEOL()
	return n, parser.NoChildren
}

func (directiveParser) Continue(ast.Node, text.Reader, parser.Context) parser.State {
	return parser.Close
}
func (directiveParser) Close(ast.Node, text.Reader, parser.Context) {}
func (directiveParser) CanInterruptParagraph() bool                 { return true }
func (directiveParser) CanAcceptIndentedLine() bool                 { return false }

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// parseDirective reads one directive line that starts at byte offset at of the Markdown.
func parseDirective(line string, at int) (MediaReference, string) {
	ref := MediaReference{idAt: -1, captionsAt: -1}
	m := directiveRE.FindStringSubmatchIndex(line)
	if m == nil {
		return ref, "Write a media line as ::video{media=ID}, ::audio{media=ID} or ::download{media=ID}, with nothing else on the line."
	}
	ref.Form = line[m[2]:m[3]]
	allowed, ok := directiveAttrs[ref.Form]
	if !ok {
		return ref, fmt.Sprintf("::%s is not a media form. Use ::video, ::audio or ::download.", ref.Form)
	}
	inner, off := line[m[4]:m[5]], m[4]
	seen := map[string]bool{}
	for strings.TrimSpace(inner) != "" {
		a := attrRE.FindStringSubmatchIndex(inner)
		if a == nil {
			return ref, fmt.Sprintf("Write the attributes of ::%s as name=value pairs separated by spaces, such as media=ID; quote values with spaces.", ref.Form)
		}
		name := inner[a[2]:a[3]]
		vs, ve := a[6], a[7]
		if a[4] >= 0 {
			vs, ve = a[4], a[5]
		}
		value := inner[vs:ve]
		switch {
		case !slices.Contains(allowed, name):
			return ref, fmt.Sprintf("::%s takes %s, not %q.", ref.Form, strings.Join(allowed, ", "), name)
		case seen[name]:
			return ref, fmt.Sprintf("::%s names %s twice.", ref.Form, name)
		}
		seen[name] = true
		switch name {
		case "media":
			ref.ID, ref.idAt = value, at+off+vs
		case "captions":
			ref.Captions, ref.captionsAt = value, at+off+vs
		case "lang":
			ref.Lang = value
		case "label":
			ref.Label = value
		case "title":
			ref.Title = value
		}
		inner, off = inner[a[1]:], off+a[1]
	}
	switch {
	case ref.ID == "":
		return ref, fmt.Sprintf("::%s needs the media item: ::%s{media=ID}.", ref.Form, ref.Form)
	case ref.Lang != "" && !langRE.MatchString(ref.Lang):
		return ref, "Give the captions' language as a language tag, such as en or en-GB."
	case (ref.Lang != "" || ref.Label != "") && ref.Captions == "":
		return ref, "lang and label describe captions: add captions=ID too."
	}
	return ref, ""
}

// mediaTransformer replaces media images by mediaImage nodes and drops every other image (lesson
// images come from Rapport's media library only), then either collects the references (Scan) or
// attaches the looked-up media items to them (Render).
type mediaTransformer struct{}

// Transform implements parser.ASTTransformer.
func (mediaTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	scan, _ := pc.Get(scanKey).(*MediaScan)
	media, _ := pc.Get(mediaKey).(map[string]MediaRef)
	cursor := 0
	var replace []func()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *mediaDirective:
			line := lineOf(src, n.Lines().At(0).Start)
			n.ref.Line = line
			if scan != nil {
				if n.problem != "" {
					scan.Problems = append(scan.Problems, LineProblem{line, n.problem})
				} else {
					scan.Refs = append(scan.Refs, n.ref)
				}
			}
			if n.problem == "" {
				n.media, n.captions = lookupRef(media, n.ref.ID), lookupRef(media, n.ref.Captions)
			}
		case *ast.Image:
			dest := string(n.Destination)
			at := findFrom(src, max(cursor, blockStart(n)), dest)
			line := lineOf(src, at)
			cursor = at + 1
			parent := n.Parent()
			if !strings.HasPrefix(dest, mediaScheme) {
				if scan != nil {
					scan.Problems = append(scan.Problems, LineProblem{line, "Lessons show images from Rapport’s media library only. Upload the image, then write ![description](media:ID)."})
				}
				alt := ast.NewString([]byte(plainText(n, src)))
				replace = append(replace, func() { parent.ReplaceChild(parent, n, alt) })
				return ast.WalkSkipChildren, nil
			}
			id := strings.TrimPrefix(dest, mediaScheme)
			mi := &mediaImage{ref: MediaReference{Line: line, Form: FormImage, ID: id, Alt: plainText(n, src),
				Title: string(n.Title), idAt: at + len(mediaScheme), captionsAt: -1}}
			if at < 0 {
				mi.ref.idAt = -1
			}
			mi.media = lookupRef(media, id)
			if scan != nil {
				scan.Refs = append(scan.Refs, mi.ref)
			}
			replace = append(replace, func() { parent.ReplaceChild(parent, n, mi) })
			return ast.WalkSkipChildren, nil
		case *ast.Link:
			if scan != nil && strings.HasPrefix(string(n.Destination), mediaScheme) {
				at := findFrom(src, max(cursor, blockStart(n)), string(n.Destination))
				scan.Problems = append(scan.Problems, LineProblem{lineOf(src, at), "To offer a file for download, put ::download{media=ID} on its own line."})
			}
		}
		return ast.WalkContinue, nil
	})
	for _, r := range replace {
		r()
	}
}

// blockStart is where the block holding an inline node starts in the source.
func blockStart(n ast.Node) int {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}

// findFrom returns the offset of dest in src at or after from, preferring it as a link
// destination "](dest"; -1 when absent.
func findFrom(src []byte, from int, dest string) int {
	from = min(max(from, 0), len(src))
	for _, prefix := range []string{"](", "](<", ""} {
		if i := bytes.Index(src[from:], []byte(prefix+dest)); i >= 0 {
			return from + i + len(prefix)
		}
	}
	return -1
}

// lineOf is the 1-based line of byte offset at (line 1 when unknown).
func lineOf(src []byte, at int) int {
	if at < 0 {
		return 1
	}
	return bytes.Count(src[:min(at, len(src))], []byte{'\n'}) + 1
}

// plainText is the text of n's descendants, as an image's alt text.
func plainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}

// mediaHTML writes media nodes. Unknown ids write nothing: a lesson is checked before it is
// saved or published, so this happens only when an item was deleted from a draft's library.
type mediaHTML struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (mediaHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindMediaImage, renderMediaImage)
	reg.Register(kindMediaDirective, renderMediaDirective)
}

func renderMediaImage(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*mediaImage)
	if !entering || n.media == nil {
		return ast.WalkContinue, nil
	}
	alt := n.ref.Alt
	if strings.TrimSpace(alt) == "" {
		alt = n.media.Alt
	}
	fmt.Fprintf(w, `<img src="%s" alt="%s" loading="lazy"`, esc(n.media.URL()), esc(alt))
	if n.ref.Title != "" {
		fmt.Fprintf(w, ` title="%s"`, esc(n.ref.Title))
	}
	_, _ = w.WriteString(">")
	return ast.WalkContinue, nil
}

func renderMediaDirective(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*mediaDirective)
	if !entering || n.media == nil {
		return ast.WalkContinue, nil
	}
	m, ref := *n.media, n.ref
	title := ref.Title
	if title == "" {
		title = m.Title
	}
	switch ref.Form {
	case FormVideo:
		fmt.Fprintf(w, `<figure class="lesson-media lesson-video"><video controls preload="metadata" src="%s">`, esc(m.URL()))
		if n.captions != nil {
			lang, label := or(ref.Lang, "en"), ref.Label
			if label == "" {
				label = or(languageNames[strings.ToLower(lang)], lang)
			}
			fmt.Fprintf(w, `<track kind="captions" src="%s" srclang="%s" label="%s">`, esc(n.captions.URL()), esc(lang), esc(label))
		}
		fmt.Fprintf(w, `Your browser can’t play this video here. <a href="%s" rel="nofollow noopener">Download the video</a>.</video>`, esc(m.URL()))
		writeCaption(w, title)
	case FormAudio:
		fmt.Fprintf(w, `<figure class="lesson-media lesson-audio"><audio controls preload="metadata" src="%s">`, esc(m.URL()))
		fmt.Fprintf(w, `Your browser can’t play this audio here. <a href="%s" rel="nofollow noopener">Download the audio</a>.</audio>`, esc(m.URL()))
		writeCaption(w, title)
	case FormDownload:
		if title == "" {
			title = "Download the file"
		}
		fmt.Fprintf(w, `<p class="lesson-media lesson-download"><a href="%s" download rel="nofollow noopener">%s</a> <span>(%s)</span></p>`,
			esc(m.URL()), esc(title), esc(fileFacts(m)))
	}
	_, _ = w.WriteString("\n")
	return ast.WalkContinue, nil
}

func writeCaption(w util.BufWriter, title string) {
	if title != "" {
		fmt.Fprintf(w, `<figcaption>%s</figcaption>`, esc(title))
	}
	_, _ = w.WriteString(`</figure>`)
}

// languageNames label the captions languages instructors are likely to ship.
var languageNames = map[string]string{
	"en": "English", "en-gb": "English (UK)", "en-us": "English (US)", "de": "Deutsch", "fr": "Français",
	"es": "Español", "it": "Italiano", "nl": "Nederlands", "pt": "Português",
}

// fileFacts describes a download as "PDF, 84 kB".
func fileFacts(m MediaRef) string {
	kind := map[string]string{"application/pdf": "PDF", "text/vtt": "WebVTT", "image/png": "PNG", "image/jpeg": "JPEG",
		"image/webp": "WebP", "video/mp4": "MP4", "video/webm": "WebM", "audio/mpeg": "MP3", "audio/ogg": "Ogg",
		"audio/mp4": "M4A", "audio/aac": "AAC"}[strings.ToLower(strings.TrimSpace(strings.Split(m.ContentType, ";")[0]))]
	if kind == "" {
		kind = or(m.Kind, "file")
	}
	return kind + ", " + humanBytes(m.Bytes)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d kB", (n+512)>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func esc(s string) string { return string(util.EscapeHTML([]byte(s))) }
