package media

import (
	"bytes"
	"testing"
)

func TestSniff(t *testing.T) {
	for _, c := range []struct {
		head  string
		kind  Kind
		ctype string
	}{
		{"\x89PNG\r\n\x1a\n....", KindImage, "image/png"},
		{"\xFF\xD8\xFF\xE0", KindImage, "image/jpeg"},
		{"RIFF\x00\x00\x00\x00WEBPVP8 ", KindImage, "image/webp"},
		{"RIFF\x00\x00\x00\x00WAVEfmt ", "", ""},
		{"\x00\x00\x00\x20ftypisom", KindVideo, "video/mp4"},
		{"\x00\x00\x00\x20ftypM4A ", KindAudio, "audio/mp4"},
		{"\x00\x00\x00\x14ftypqt  ", "", ""},
		{"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x84webm", KindVideo, "video/webm"},
		{"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01\x42\x82\x88matroska", "", ""},
		{"OggS\x00\x02", KindAudio, "audio/ogg"},
		{"ID3\x04", KindAudio, "audio/mpeg"},
		{"\xFF\xFB\x90\x00", KindAudio, "audio/mpeg"},
		{"\xFF\xF1\x50\x80", KindAudio, "audio/aac"},
		{"%PDF-1.7", KindDocument, "application/pdf"},
		{"WEBVTT\n\n", KindCaptions, "text/vtt; charset=utf-8"},
		{"\xEF\xBB\xBFWEBVTT - captions\n", KindCaptions, "text/vtt; charset=utf-8"},
		{"WEBVTTX", "", ""},
		{"<svg xmlns='http://www.w3.org/2000/svg'/>", "", ""},
		{"<?xml version='1.0'?><svg/>", "", ""},
		{"<!DOCTYPE html><html>", "", ""},
		{"GIF89a", "", ""},
		{"MZ\x90\x00", "", ""},
		{"PK\x03\x04", "", ""},
		{"", "", ""},
	} {
		k, ct, ok := Sniff([]byte(c.head))
		if k != c.kind || ct != c.ctype || ok != (c.kind != "") {
			t.Errorf("Sniff(%q) = %q, %q, %v; want %q, %q", c.head, k, ct, ok, c.kind, c.ctype)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		"../../etc/passwd":      "passwd",
		`C:\Users\ada\deck.pdf`: "deck.pdf",
		"bad\x00name\r\n.png":   "bad_name__.png",
		".hidden":               "hidden",
		"..":                    "file",
		"":                      "file",
		"a..b.png":              "a_b.png",
		"résumé final.pdf":      "résumé final.pdf",
		"x\xff.png":             "x_.png",
		string(bytes.Repeat([]byte("a"), 300)) + ".mp4": string(bytes.Repeat([]byte("a"), 116)) + ".mp4",
	} {
		if got := CleanFileName(in); got != want {
			t.Errorf("CleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestDurationIsNilForDamagedHeaders(t *testing.T) {
	for ct, data := range map[string][]byte{
		"video/mp4":  []byte("\x00\x00\x00\x20ftypisom\x00\x00\x00\x00"),
		"video/webm": []byte("\x1A\x45\xDF\xA3\xFF"),
		"audio/ogg":  []byte("OggS"),
		"audio/mpeg": []byte("ID3"),
	} {
		if d := Duration(ct, bytes.NewReader(data), int64(len(data))); d != nil {
			t.Errorf("%s: duration %v, want nil", ct, *d)
		}
	}
}
