package catalog

import (
	"bytes"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
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

// NewRenderer builds the renderer: GitHub-flavoured Markdown with footnotes and heading anchors,
// raw HTML dropped by goldmark, and the result sanitised again by a tightened UGC policy.
func NewRenderer() *Renderer {
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(linkRelTransformer{}, 1000)),
		),
		// No html.WithUnsafe: raw HTML blocks and inline HTML are replaced by comments.
	)
	return &Renderer{md: md, policy: sanitizePolicy()}
}

// Render converts markdown to sanitised HTML.
func (r *Renderer) Render(markdown string) (string, error) {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(markdown), &buf); err != nil {
		return "", err
	}
	return r.policy.SanitizeReader(&buf).String(), nil
}

// sanitizePolicy starts from bluemonday's UGC policy (which already refuses scripts, iframes,
// styles, event handlers and non-http(s)/mailto URLs) and adds only what the Markdown renderer
// legitimately emits: heading and footnote ids, language classes on code, footnote classes and
// roles, and the fixed rel on links.
func sanitizePolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[a-zA-Z0-9:_.-]+$`)).Globally()
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[a-zA-Z0-9_+#.-]+$`)).OnElements("code")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnote-(ref|backref)$`)).OnElements("a")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^footnotes$`)).OnElements("div")
	p.AllowAttrs("role").Matching(regexp.MustCompile(`^doc-(noteref|backlink|endnotes)$`)).OnElements("a", "div")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^nofollow noopener$`)).OnElements("a")
	p.AllowAttrs("style").OnElements("th", "td")
	p.AllowStyles("text-align").MatchingEnum("left", "right", "center").OnElements("th", "td")
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
