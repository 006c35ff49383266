package account

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rapport-hq/rapport/internal/apperr"
)

// step records the order in which the erasure's participants were asked.
type step struct {
	name  string
	log   *[]string
	err   error
	wrong bool
}

func (s step) Reauthenticate(context.Context, string, string) error {
	*s.log = append(*s.log, "password")
	if s.wrong {
		return apperr.New(apperr.Forbidden, "wrong")
	}
	return nil
}
func (s step) DeleteAccount(context.Context, string, string, string) error {
	*s.log = append(*s.log, "delete")
	return nil
}
func (s step) CheckErase(context.Context, string) error {
	*s.log = append(*s.log, s.name)
	return s.err
}
func (s step) EraseUser(context.Context, string) error {
	*s.log = append(*s.log, s.name)
	return s.err
}

func TestEraseOrderAndRefusals(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		wrong   bool
		guard   error
		eraser  error
		admin   string
		want    []string
		wantErr apperr.Kind
	}{
		{name: "all agree", want: []string{"password", "guard", "eraser", "delete"}},
		{name: "wrong password changes nothing", wrong: true, want: []string{"password"}, wantErr: apperr.Forbidden},
		{name: "a guard refuses before any eraser", guard: apperr.New(apperr.Conflict, "x"), want: []string{"password", "guard"}, wantErr: apperr.Conflict},
		{name: "a failed eraser keeps the account", eraser: apperr.New(apperr.Unavailable, "x"), want: []string{"password", "guard", "eraser"}, wantErr: apperr.Unavailable},
		{name: "an admin erasing themselves is refused", admin: "u1", want: nil, wantErr: apperr.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log []string
			svc, err := NewService(Deps{Identity: step{log: &log, wrong: tt.wrong},
				Guards: []Guard{step{name: "guard", log: &log, err: tt.guard}}, Erasers: []Eraser{step{name: "eraser", log: &log, err: tt.eraser}}})
			if err != nil {
				t.Fatal(err)
			}
			if tt.admin != "" {
				err = svc.DeleteByAdmin(ctx, tt.admin, "u1")
			} else {
				err = svc.DeleteOwn(ctx, "u1", "pw")
			}
			if (tt.wantErr == 0) != (err == nil) || (err != nil && !apperr.Is(err, tt.wantErr)) {
				t.Fatalf("err = %v, want kind %v", err, tt.wantErr)
			}
			if len(log) != len(tt.want) {
				t.Fatalf("steps = %v, want %v", log, tt.want)
			}
			for i := range log {
				if log[i] != tt.want[i] {
					t.Fatalf("steps = %v, want %v", log, tt.want)
				}
			}
		})
	}
}

// section is an exporter holding one secret value.
type section struct{}

func (section) ExportUser(context.Context, string) (string, any, error) {
	return "notes", "a secret note", nil
}

func TestExportByAdminLeavesAnAuditLineWithoutContent(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2026, 12, 6, 9, 30, 0, 0, time.UTC)
	svc, err := NewService(Deps{Identity: step{log: &[]string{}}, Exporters: []Exporter{section{}},
		Log: slog.New(slog.NewJSONHandler(&buf, nil)), Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := svc.ExportByAdmin(context.Background(), "admin-1", "user-2")
	if err != nil || len(got) != 1 || got[0].Value != "a secret note" {
		t.Fatalf("sections %+v, err %v", got, err)
	}
	line := buf.String()
	for _, want := range []string{`"actor_id":"admin-1"`, `"user_id":"user-2"`, `"at":"2026-12-06T09:30:00Z"`, `"audit":"account_export"`} {
		if !strings.Contains(line, want) {
			t.Errorf("audit line %s lacks %s", line, want)
		}
	}
	if strings.Contains(line, "secret") {
		t.Errorf("the audit line carries content: %s", line)
	}
}
