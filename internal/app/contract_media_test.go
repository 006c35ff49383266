package app_test

import (
	"bytes"
	"encoding/base64"
	"mime/multipart"
	"net/url"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/rapport-hq/rapport/internal/app/apptest"
)

// tus PATCH bodies are raw bytes; the validator reads them like application/octet-stream.
func init() {
	openapi3filter.RegisterBodyDecoder("application/offset+octet-stream", openapi3filter.FileBodyDecoder)
}

// media drives the media library, resumable uploads and serving through the validating client.
func (s *scenario) media() {
	ins := s.instructor
	png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{1}, 200)...)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	_ = w.WriteField("alt", "A diagram of the call")
	fw, _ := w.CreateFormFile("file", "call-flow.png")
	_, _ = fw.Write(png)
	_ = w.Close()
	post := func(u *account, body []byte, status int) *apptest.Response {
		return s.Do(apptest.Request{Method: "POST", Path: "/api/v1/studio/media", Token: u.Token, Body: body,
			Header: map[string]string{"Content-Type": w.FormDataContentType()}}).Want(status)
	}
	var it struct {
		ID  string `json:"id"`
		URL string `json:"url"`
	}
	post(ins, buf.Bytes(), 201).Decode(&it)
	post(s.learner, buf.Bytes(), 403)
	s.want(ins, 200, "GET", "/api/v1/studio/media", nil, nil)
	s.want(ins, 200, "GET", "/api/v1/studio/media/"+it.ID, nil, nil)
	s.want(ins, 200, "PATCH", "/api/v1/studio/media/"+it.ID, map[string]string{"title": "Call flow"}, nil)
	s.want(ins, 422, "PATCH", "/api/v1/studio/media/"+it.ID, map[string]string{"title": " "}, nil)
	etag := s.want(ins, 200, "GET", it.URL, nil, nil).Header().Get("ETag")
	s.Do(apptest.Request{Method: "GET", Path: it.URL, Token: ins.Token, Header: map[string]string{"Range": "bytes=0-9"}}).Want(206)
	s.Do(apptest.Request{Method: "GET", Path: it.URL, Token: ins.Token, Header: map[string]string{"If-None-Match": etag}}).Want(304)
	s.Do(apptest.Request{Method: "HEAD", Path: it.URL, Token: ins.Token}).Want(200)
	s.want(s.learner, 404, "GET", it.URL, nil, nil)

	tus := func(m map[string]string) map[string]string {
		m["Tus-Resumable"] = "1.0.0"
		return m
	}
	meta := "filename " + base64.StdEncoding.EncodeToString([]byte("second.png"))
	r := s.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: ins.Token,
		Header: tus(map[string]string{"Upload-Length": strconv.Itoa(len(png) + 1), "Upload-Metadata": meta})}).Want(201)
	loc, _ := url.Parse(r.Header().Get("Location"))
	s.Do(apptest.Request{Method: "PATCH", Path: loc.Path, Token: ins.Token, Body: png[:50],
		Header: tus(map[string]string{"Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})}).Want(204)
	s.Do(apptest.Request{Method: "HEAD", Path: loc.Path, Token: ins.Token, Header: tus(map[string]string{})}).Want(200)
	done := s.Do(apptest.Request{Method: "PATCH", Path: loc.Path, Token: ins.Token, Body: append(png[50:], 2),
		Header: tus(map[string]string{"Upload-Offset": "50", "Content-Type": "application/offset+octet-stream"})}).Want(204)
	second := done.Header().Get("Media-Id")
	r = s.Do(apptest.Request{Method: "POST", Path: "/api/v1/uploads/", Token: ins.Token,
		Header: tus(map[string]string{"Upload-Length": "10"})}).Want(201)
	loc, _ = url.Parse(r.Header().Get("Location"))
	s.Do(apptest.Request{Method: "DELETE", Path: loc.Path, Token: ins.Token, Header: tus(map[string]string{})}).Want(204)

	s.want(ins, 204, "DELETE", "/api/v1/studio/media/"+second, nil, nil)
	s.want(ins, 404, "DELETE", "/api/v1/studio/media/"+second, nil, nil)
}
