package catalog_test

import (
	"strings"
	"testing"

	"github.com/rapport-hq/rapport/internal/catalog"
)

// testMedia is a small media library: one item of each kind.
var testMedia = map[string]catalog.MediaRef{
	"img1":  {ID: "img1", Kind: catalog.MediaImage, ContentType: "image/png", Title: "Stakeholder map", Alt: "Library alt", Bytes: 2048},
	"vid1":  {ID: "vid1", Kind: catalog.MediaVideo, ContentType: "video/mp4", Title: "Discovery call", Bytes: 5 << 20},
	"cap1":  {ID: "cap1", Kind: catalog.MediaCaptions, ContentType: "text/vtt", Title: "Captions", Bytes: 900},
	"aud1":  {ID: "aud1", Kind: catalog.MediaAudio, ContentType: "audio/mpeg", Title: "Voicemail example", Bytes: 300 << 10},
	"doc1":  {ID: "doc1", Kind: catalog.MediaDocument, ContentType: "application/pdf", Title: "Post-call journal", Bytes: 86000},
	"noalt": {ID: "noalt", Kind: catalog.MediaImage, ContentType: "image/png", Bytes: 10},
}

func TestRenderMediaForms(t *testing.T) {
	r := catalog.NewRenderer()
	tests := []struct {
		name, md string
		want     []string
		wantNot  []string
	}{
		{"image with alt", "Look: ![The six buying jobs](media:img1)", []string{`<img src="/media/img1" alt="The six buying jobs" loading="lazy">`}, nil},
		{"image without alt uses the library's", "![](media:img1)", []string{`<img src="/media/img1" alt="Library alt" loading="lazy">`}, nil},
		{"image title", `![Map](media:img1 "Who decides")`, []string{`title="Who decides"`}, nil},
		{"video with captions", "::video{media=vid1 captions=cap1}", []string{
			`<figure class="lesson-media lesson-video"><video controls="" preload="metadata" src="/media/vid1">`,
			`<track kind="captions" src="/media/cap1" srclang="en" label="English">`,
			`<a href="/media/vid1" rel="nofollow noopener">Download the video</a>`, `<figcaption>Discovery call</figcaption>`}, nil},
		{"video captions language", `::video{media=vid1 captions=cap1 lang=de title="Ein Gespräch"}`, []string{`srclang="de" label="Deutsch"`, `<figcaption>Ein Gespräch</figcaption>`}, nil},
		{"video without captions", "::video{media=vid1}", []string{`<video controls="" preload="metadata" src="/media/vid1">`}, []string{"<track"}},
		{"audio", "::audio{media=aud1}", []string{`<figure class="lesson-media lesson-audio"><audio controls="" preload="metadata" src="/media/aud1">`, `<figcaption>Voicemail example</figcaption>`}, nil},
		{"download", "::download{media=doc1}", []string{`<p class="lesson-media lesson-download"><a href="/media/doc1" download="" rel="nofollow noopener">Post-call journal</a> <span>(PDF, 84 kB)</span></p>`}, nil},
		{"download with its own title", `::download{media=doc1 title="Your journal (print it)"}`, []string{`>Your journal (print it)</a>`}, nil},
		{"directive between paragraphs", "Before.\n::audio{media=aud1}\nAfter.", []string{"<p>Before.</p>", "<audio", "<p>After.</p>"}, nil},
		{"directive in code stays code", "```\n::video{media=vid1}\n```", []string{"<code>::video{media=vid1}\n</code>"}, []string{"<video"}},
		{"directive not alone on its line is text", "Use ::video{media=vid1} here", []string{"<p>Use ::video{media=vid1} here</p>"}, []string{"<video"}},
		{"unknown id shows nothing", "![x](media:nope)\n\n::video{media=nope}", nil, []string{"<img", "<video", "nope\""}},
		{"hostile title is escaped", `::download{media=doc1 title="<script>alert(1)</script>"}`, []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script"}},
		{"hostile alt is escaped", `![" onerror="alert(1)](media:img1)`, []string{`alt="&#34; onerror=&#34;alert(1)"`}, []string{` onerror="`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(tt.md, testMedia)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, out)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %s\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(out, w) {
					t.Errorf("output has %s\n%s", w, out)
				}
			}
		})
	}
}

// TestRenderMediaHostile feeds the renderer sources that must never load: only /media/ID
// survives on img, video, audio, track and source.
func TestRenderMediaHostile(t *testing.T) {
	r := catalog.NewRenderer()
	payloads := []struct{ name, md string }{
		{"external image", "![x](https://evil.example/x.png)"},
		{"protocol-relative image", "![x](//evil.example/x.png)"},
		{"javascript image", "![x](javascript:alert(1))"},
		{"data image", "![x](data:image/png;base64,iVBORw0KGgo=)"},
		{"data svg image", "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)"},
		{"media path traversal", "![x](/media/../api/v1/me)"},
		{"direct media path", "![x](/media/img1)"},
		{"media id with traversal", "![x](media:../../etc/passwd)"},
		{"media id with slash", "![x](media:img1/../../x)"},
		{"media id with query", "![x](media:img1?x=1)"},
		{"raw img srcset", `<img src="/media/img1" srcset="https://evil.example/x.png 2x">`},
		{"raw video", `<video src="https://evil.example/v.mp4" autoplay></video>`},
		{"raw video poster", `<video controls src="/media/vid1" poster="https://evil.example/p.png"></video>`},
		{"raw audio onplay", `<audio src="/media/aud1" onplay="alert(1)"></audio>`},
		{"raw track", `<track src="javascript:alert(1)">`},
		{"raw source", `<video><source src="//evil.example/v.mp4"></video>`},
		{"raw svg", `<svg><image href="https://evil.example/x.png"/><script>alert(1)</script></svg>`},
		{"raw iframe", `<iframe src="/media/img1"></iframe>`},
		{"directive with javascript id", `::video{media="javascript:alert(1)"}`},
		{"directive with external id", `::video{media=https://evil.example/v.mp4}`},
		{"directive with traversal id", `::download{media=../../secrets}`},
		{"directive with quote break-out", `::download{media=doc1 title="x\" onclick=\"alert(1)"}`},
		{"directive captions javascript", `::video{media=vid1 captions="javascript:alert(1)"}`},
		{"directive lang injection", `::video{media=vid1 captions=cap1 lang="en onload=alert(1)"}`},
		{"link to media scheme", "[x](media:doc1)"},
	}
	for _, p := range payloads {
		t.Run(p.name, func(t *testing.T) {
			out, err := r.Render(p.md, testMedia)
			if err != nil {
				t.Fatal(err)
			}
			checkSafe(t, out)
			low := strings.ToLower(out)
			for _, bad := range []string{"evil.example", "javascript:", "data:", "srcset", "poster", "<svg", "<iframe", "onerror", "onplay", "onclick=\"", "onload=", "/media/..", "autoplay", "href=\"media:"} {
				if strings.Contains(low, bad) {
					t.Errorf("%q survived: %s", bad, out)
				}
			}
			checkMediaSources(t, out)
		})
	}
}

func TestScanMedia(t *testing.T) {
	r := catalog.NewRenderer()
	md := "# Title\n\nText ![Map](media:img1) and ![again](media:img1).\n\n::video{media=vid1 captions=cap1}\n\n```\n::video{media=incode}\n```\n\n::vidoe{media=x}\n::video{media=vid1 colour=red}\n::audio{}\n![ext](https://x.example/a.png)\n"
	scan := r.Scan(md)
	if got := strings.Join(scan.IDs(), ","); got != "img1,vid1,cap1" {
		t.Errorf("IDs = %s", got)
	}
	lines := []int{}
	for _, ref := range scan.Refs {
		lines = append(lines, ref.Line)
	}
	if len(lines) != 3 || lines[0] != 3 || lines[1] != 3 || lines[2] != 5 {
		t.Errorf("reference lines = %v, want [3 3 5]", lines)
	}
	wantProblems := map[int]string{11: "::vidoe is not a media form", 12: `not "colour"`, 13: "needs the media item", 14: "media library only"}
	if len(scan.Problems) != len(wantProblems) {
		t.Errorf("problems = %+v", scan.Problems)
	}
	for _, p := range scan.Problems {
		if !strings.Contains(p.Message, wantProblems[p.Line]) {
			t.Errorf("line %d: %q, want it to mention %q", p.Line, p.Message, wantProblems[p.Line])
		}
	}
}

func TestCheckMedia(t *testing.T) {
	r := catalog.NewRenderer()
	tests := []struct {
		name, md   string
		publishing bool
		want       string // "" for no problem
	}{
		{"known image", "![Map](media:img1)", true, ""},
		{"unknown id", "text\n\n![Map](media:gone)", false, "Line 3: There is no media item \"gone\""},
		{"image as video", "::video{media=img1}", false, "Line 1: Media item \"img1\" is an image, so it can’t be shown as a video."},
		{"video as image", "![x](media:vid1)", false, "is a video, so it can’t be shown as an image"},
		{"document as audio", "::audio{media=doc1}", false, "is a document"},
		{"captions that are not WebVTT", "::video{media=vid1 captions=doc1}", false, "captions must be a WebVTT (.vtt) file"},
		{"unknown captions", "::video{media=vid1 captions=nope}", false, "There are no captions \"nope\""},
		{"any kind downloads", "::download{media=img1}\n::download{media=vid1}", false, ""},
		{"no alt is fine in a draft", "![](media:noalt)", false, ""},
		{"no alt blocks publishing", "para\n\n![](media:noalt)", true, "Line 3: Image \"noalt\" has no alt text."},
		{"library alt is enough", "![](media:img1)", true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Scan(tt.md).Check(testMedia, tt.publishing)
			switch {
			case tt.want == "" && len(got) > 0:
				t.Errorf("problems %+v", got)
			case tt.want != "" && (len(got) != 1 || !strings.Contains(got[0].String(), tt.want)):
				t.Errorf("problems %+v, want one with %q", got, tt.want)
			}
		})
	}
}

func TestReplaceMediaIDs(t *testing.T) {
	r := catalog.NewRenderer()
	md := "Intro media:map.png stays.\n\n![The map](media:map.png) and ![again](<media:map.png>)\n\n::video{media=call.mp4 captions=\"call.vtt\"}\n::download{title=\"Sheet\" media=sheet.pdf}\n"
	scan := r.Scan(md)
	got := catalog.ReplaceMediaIDs(md, scan, map[string]string{"map.png": "m1", "call.mp4": "v1", "call.vtt": "c1", "sheet.pdf": "d1"})
	want := "Intro media:map.png stays.\n\n![The map](media:m1) and ![again](<media:m1>)\n\n::video{media=v1 captions=\"c1\"}\n::download{title=\"Sheet\" media=d1}\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// checkMediaSources fails on any src that is not /media/ID.
func checkMediaSources(t *testing.T, out string) {
	t.Helper()
	for _, part := range strings.Split(out, `src="`)[1:] {
		src := part[:strings.IndexByte(part, '"')]
		if !mediaSrcOK(src) {
			t.Errorf("src %q survived: %s", src, out)
		}
	}
}

func mediaSrcOK(src string) bool {
	id, ok := strings.CutPrefix(src, "/media/")
	return ok && id != "" && !strings.ContainsAny(id, "./?#:")
}
