package catalog

import (
	"bytes"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// linkRel is set on every Markdown link: lesson authors' links must not pass ranking credit or
// give the target page a handle on ours.
const linkRel = "nofollow noopener"

// Renderer turns lesson Markdown into sanitised HTML. Preview and publish share one Renderer, so
// what an instructor previews is byte for byte what learners get. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// NewRenderer builds the renderer: GitHub-flavoured Markdown with footnotes, heading anchors and
// the media forms (markdown_media.go), raw HTML dropped by goldmark, and the result sanitised
// again by a policy that lets through only what the renderer legitimately writes.
func NewRenderer() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithBlockParsers(util.Prioritized(directiveParser{}, 650)),
			parser.WithASTTransformers(util.Prioritized(linkRelTransformer{}, 1000), util.Prioritized(mediaTransformer{}, 900)),
		),
		goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(mediaHTML{}, 500))),
		// No html.WithUnsafe: raw HTML blocks and inline HTML are replaced by comments.
	)
	return &Renderer{md: md, policy: sanitizePolicy()}
}

// Render converts markdown to sanitised HTML, showing the media items of media (looked up by
// the ids Scan found); a reference to an id missing from media shows nothing.
func (r *Renderer) Render(markdown string, media map[string]MediaRef) (string, error) {
	pc := parser.NewContext()
	pc.Set(mediaKey, media)
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(markdown), &buf, parser.WithContext(pc)); err != nil {
		return "", err
	}
	return r.policy.SanitizeReader(&buf).String(), nil
}

// Scan finds every media reference of markdown with its line, and the lines whose media syntax
// is wrong (a malformed directive, an image from outside the media library).
func (r *Renderer) Scan(markdown string) MediaScan {
	var scan MediaScan
	pc := parser.NewContext()
	pc.Set(scanKey, &scan)
	r.md.Parser().Parse(text.NewReader([]byte(markdown)), parser.WithContext(pc))
	return scan
}

// mediaSrc is the only source a lesson's img, video, audio, track or source may load: an item
// of Rapport's media library, by id (no dots, so no path tricks; no scheme or host).
var mediaSrc = regexp.MustCompile(`^/media/[A-Za-z0-9_-]{1,64}$`)

var plainAttr = regexp.MustCompile(`^(?s).{0,1000}$`)

// sanitizePolicy allows what the Markdown renderer legitimately emits and nothing else: the
// usual text, list, table and link elements (bluemonday's UGC set, whose URL rules refuse
// javascript:, data: and friends), heading and footnote ids, language classes on code, footnote
// classes and roles, the fixed rel on links, and media elements whose sources are Rapport's own
// /media/ URLs. Images from anywhere else are dropped, as are iframes, SVG, scripts, styles and
// event handlers (none is ever allowed).
func sanitizePolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowStandardAttributes()
	p.AllowStandardURLs()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.AllowElements("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "div", "span", "section",
		"em", "strong", "del", "s", "code", "pre", "sup", "sub", "kbd", "mark", "abbr", "dfn", "cite", "q",
		"figure", "figcaption", "details", "summary", "dl", "dt", "dd")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowElements("blockquote")
	p.AllowLists()
	p.AllowTables()
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[a-zA-Z0-9:_.-]+$`)).Globally()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[a-zA-Z0-9_+#.-]+$`)).OnElements("code")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(ref|backref)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnotes$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink|endnotes)$`)).OnElements("a", "div")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow noopener$`)).OnElements("a")
	p.AllowAttrs("style").OnElements("th", "td")
	p.AllowStyles("text-align").MatchingEnum("left", "right", "center").OnElements("th", "td")

	// Media: only Rapport's own sources, and only the attributes the media forms write.
	p.AllowAttrs("src").Matching(mediaSrc).OnElements("img", "video", "audio", "track", "source")
	// Alt text and captions labels are any text (the sanitiser escapes it), within reason.
	p.AllowAttrs("alt").Matching(plainAttr).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^lazy$`)).OnElements("img")
	p.AllowAttrs("controls").Matching(regexp.MustCompile(`^(|controls)$`)).OnElements("video", "audio")
	p.AllowAttrs("preload").Matching(regexp.MustCompile(`^metadata$`)).OnElements("video", "audio")
	p.AllowAttrs("kind").Matching(regexp.MustCompile(`^captions$`)).OnElements("track")
	p.AllowAttrs("srclang").Matching(langRE).OnElements("track")
	p.AllowAttrs("label").Matching(plainAttr).OnElements("track")
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^(video|audio)/[a-z0-9.+-]+$`)).OnElements("source")
	p.AllowAttrs("download").Matching(regexp.MustCompile(`^$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^lesson-media lesson-(video|audio|download)$`)).OnElements("figure", "p")
	return p
}

// linkRelTransformer sets rel="nofollow noopener" on every link and autolink.
type linkRelTransformer struct{}

// Transform implements parser.ASTTransformer.
func (linkRelTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.(type) {
		case *ast.Link, *ast.AutoLink:
			n.SetAttributeString("rel", []byte(linkRel))
		}
		return ast.WalkContinue, nil
	})
}
