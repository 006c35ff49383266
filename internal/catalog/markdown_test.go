package catalog_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/rapport-hq/rapport/internal/catalog"
)

// forbiddenElements must never appear in rendered lessons.
var forbiddenElements = []string{"script", "iframe", "frame", "object", "embed", "svg", "math", "style",
	"form", "input", "button", "textarea", "link", "meta", "base", "template"}

// mediaElements may appear only with Rapport's own /media/ID sources.
var mediaElements = []string{"img", "video", "audio", "track", "source"}

// checkSafe parses out as HTML and fails on any forbidden element, event-handler attribute,
// style outside table cells, or URL that is not http(s), mailto or relative.
func checkSafe(t *testing.T, out string) {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(out), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if slices.Contains(forbiddenElements, n.Data) {
				t.Errorf("<%s> survived: %s", n.Data, out)
			}
			for _, a := range n.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					t.Errorf("event handler %s survived: %s", key, out)
				case key == "style" && n.Data != "td" && n.Data != "th":
					t.Errorf("style on <%s> survived: %s", n.Data, out)
				case key == "src" && slices.Contains(mediaElements, n.Data):
					if !mediaSrcOK(a.Val) {
						t.Errorf("<%s src=%q> survived: %s", n.Data, a.Val, out)
					}
				case key == "srcset" || key == "poster":
					t.Errorf("%s on <%s> survived: %s", key, n.Data, out)
				case key == "href" || key == "src" || key == "cite" || key == "action" || key == "xlink:href":
					checkURL(t, a.Val, out)
				}
			}
		}
		if n.Type == html.CommentNode {
			t.Errorf("comment survived: %s", out)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
}

func checkURL(t *testing.T, raw, out string) {
	t.Helper()
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		t.Errorf("unparseable URL %q survived: %s", raw, out)
		return
	}
	switch strings.ToLower(u.Scheme) {
	case "", "http", "https", "mailto":
	default:
		t.Errorf("URL scheme %q survived: %s", u.Scheme, out)
	}
}

func TestRenderRemovesXSS(t *testing.T) {
	r := catalog.NewRenderer()
	payloads := []struct{ name, md string }{
		{"script tag", "<script>alert(1)</script>"},
		{"inline script", "hello <script>alert(1)</script> world"},
		{"javascript link", "[click](javascript:alert(1))"},
		{"javascript link, mixed case", "[click](JaVaScRiPt:alert(1))"},
		{"javascript link, entity encoded", "[click](&#106;avascript:alert(1))"},
		{"javascript link, reference", "[click][x]\n\n[x]: javascript:alert(1)"},
		{"javascript autolink", "<javascript:alert(1)>"},
		{"javascript image", "![x](javascript:alert(1))"},
		{"vbscript link", "[click](vbscript:msgbox(1))"},
		{"data URL link", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"},
		{"data URL image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"},
		{"img onerror", `<img src="x" onerror="alert(1)">`},
		{"svg onload", `<svg onload="alert(1)"></svg>`},
		{"svg inline", `text <svg><script>alert(1)</script></svg>`},
		{"iframe", `<iframe src="https://evil.example"></iframe>`},
		{"iframe srcdoc", `<iframe srcdoc="<script>alert(1)</script>"></iframe>`},
		{"raw html anchor", `<a href="javascript:alert(1)">x</a>`},
		{"raw html block", "<div onclick=\"alert(1)\">\n\n**bold**\n\n</div>"},
		{"style tag", "<style>body{display:none}</style>"},
		{"object", `<object data="evil.swf"></object>`},
		{"form", `<form action="https://evil.example"><input name=x></form>`},
		{"details ontoggle", `<details open ontoggle="alert(1)">x</details>`},
		{"math xlink", `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`},
		{"comment trick", "<!--><script>alert(1)</script>-->"},
		{"meta refresh", `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`},
		{"attribute injection via title", `[x](https://ok.example "a\" onmouseover=\"alert(1)")`},
		{"link with whitespace scheme", "[x]( javascript:alert(1) )"},
	}
	for _, p := range payloads {
		t.Run(p.name, func(t *testing.T) {
			out, err := r.Render(p.md, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, out)
			low := strings.ToLower(out)
			for _, bad := range []string{"<script", "<iframe", "<svg", "onerror=", "onload=", "href=\"javascript", "href=\"data:", "src=\"data:"} {
				if strings.Contains(low, bad) {
					t.Errorf("%q survived: %s", bad, out)
				}
			}
		})
	}
}

func TestRenderKeepsMarkdown(t *testing.T) {
	r := catalog.NewRenderer()
	tests := []struct {
		name, md string
		want     []string
	}{
		{"heading ids", "## The six jobs\n\ntext", []string{`<h2 id="the-six-jobs">The six jobs</h2>`}},
		{"table", "| Job | Help |\n|:--|--:|\n| a | b |", []string{"<table>", "<th style=\"text-align: left\">Job</th>", "<td style=\"text-align: right\">b</td>"}},
		{"footnotes", "Claim.[^1]\n\n[^1]: Source.", []string{`<sup id="fnref:1"><a href="#fn:1" class="footnote-ref" role="doc-noteref"`, `<li id="fn:1">`, `class="footnote-backref"`}},
		{"code language class", "```go\nx := 1\n```", []string{`<code class="language-go">x := 1`}},
		{"links get rel", "[Gartner](https://www.gartner.com) and <mailto:a@example.com>", []string{`<a href="https://www.gartner.com" rel="nofollow noopener">Gartner</a>`, `href="mailto:a@example.com" rel="nofollow noopener"`}},
		{"bare URL linkified", "see www.example.com", []string{`<a href="http://www.example.com" rel="nofollow noopener">`}},
		{"strikethrough and emphasis", "~~old~~ **new** _now_", []string{"<del>old</del>", "<strong>new</strong>", "<em>now</em>"}},
		{"images from other sites become their alt text", "![chart](https://example.com/c.png)", []string{`<p>chart</p>`}},
		{"lists and quotes", "- one\n- two\n\n> quote", []string{"<li>one</li>", "<blockquote>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(tt.md, nil)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, out)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
}
