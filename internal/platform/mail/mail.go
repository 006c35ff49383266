// Package mail sends e-mail: rendered from embedded templates (HTML + text), queued as a River job
// and delivered over SMTP, or written to the log when no SMTP server is configured.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Message is one e-mail.
type Message struct {
	To      string `json:"to"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
	HTML    string `json:"html"`
}

// Sender delivers a message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// NewSender returns an SMTP sender for smtpURL (smtp://user:pass@host:port, smtps:// for TLS),
// or a sender that logs each message when smtpURL is empty.
func NewSender(smtpURL, from string, log *slog.Logger) (Sender, error) {
	if smtpURL == "" {
		return &logSender{log: log}, nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	port, _ := strconv.Atoi(u.Port())
	opts := []gomail.Option{gomail.WithTimeout(15 * time.Second)}
	switch u.Scheme {
	case "smtps":
		if port == 0 {
			port = 465
		}
		opts = append(opts, gomail.WithSSLPort(false), gomail.WithPort(port))
	default:
		if port == 0 {
			port = 587
		}
		// Opportunistic STARTTLS: local servers such as Mailpit speak plain SMTP.
		opts = append(opts, gomail.WithPort(port), gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(u.User.Username()), gomail.WithPassword(pw))
	}
	return &smtpSender{host: u.Hostname(), opts: opts, from: from}, nil
}

type smtpSender struct {
	host string
	opts []gomail.Option
	from string
}

func (s *smtpSender) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.from); err != nil {
		return fmt.Errorf("mail from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("mail to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	c, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp client: %w", err)
	}
	return c.DialAndSendWithContext(ctx, msg)
}

type logSender struct{ log *slog.Logger }

// Send writes the text part to the log, so local runs without SMTP still show the links.
func (s *logSender) Send(ctx context.Context, m Message) error {
	s.log.InfoContext(ctx, "e-mail (not sent: no SMTP_URL)", "to", m.To, "subject", m.Subject, "text", m.Text)
	return nil
}
