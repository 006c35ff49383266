package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
)

//go:embed templates/*
var templates embed.FS

var (
	htmlT = htmltemplate.Must(htmltemplate.ParseFS(templates, "templates/*.html"))
	textT = texttemplate.Must(texttemplate.ParseFS(templates, "templates/*.txt"))
)

// Render builds a message from the named template pair (name.html, name.txt). Each template
// defines "subject" in the text file. Data is escaped for HTML by html/template.
func Render(to, name string, data any) (Message, error) {
	var subj, txt, html bytes.Buffer
	if err := textT.ExecuteTemplate(&subj, name+".subject", data); err != nil {
		return Message{}, fmt.Errorf("render %s subject: %w", name, err)
	}
	if err := textT.ExecuteTemplate(&txt, name+".txt", data); err != nil {
		return Message{}, fmt.Errorf("render %s text: %w", name, err)
	}
	if err := htmlT.ExecuteTemplate(&html, name+".html", data); err != nil {
		return Message{}, fmt.Errorf("render %s html: %w", name, err)
	}
	return Message{To: to, Subject: subj.String(), Text: txt.String(), HTML: html.String()}, nil
}
