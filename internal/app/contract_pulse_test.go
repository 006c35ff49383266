package app_test

import (
	"net/url"
	"strings"
)

// pulse drives Buyer Pulse: the rep creates pulses (one e-mailed), the buyer opens and answers
// through the JSON API and the HTML form, the rep lists and deletes them.
func (s *scenario) pulse() {
	rep := s.rep
	guess := map[string]int{"clarity": 4, "understood": 3, "again": 5}
	var p struct {
		ID   string `json:"id"`
		Link string `json:"link"`
	}
	s.want(rep, 422, "POST", "/api/v1/pulses", map[string]any{"meeting": " ", "prediction": guess}, nil)
	s.want(rep, 201, "POST", "/api/v1/pulses", map[string]any{"meeting": "Contract discovery call",
		"buyer_email": "contract-buyer@example.com", "prediction": guess}, &p)
	token := p.Link[strings.LastIndex(p.Link, "/")+1:]
	s.want(nil, 200, "GET", "/api/v1/pulse/"+token, nil, nil)
	s.want(nil, 404, "GET", "/api/v1/pulse/"+strings.Repeat("A", 43), nil, nil)
	s.send(nil, "GET", "/p/"+token, nil, nil)
	s.want(nil, 422, "POST", "/api/v1/pulse/"+token, map[string]any{"clarity": 9, "understood": 3, "again": 3}, nil)
	s.want(nil, 204, "POST", "/api/v1/pulse/"+token, map[string]any{"clarity": 5, "understood": 3, "again": 4, "comment": "<b>Helpful</b>"}, nil)
	s.want(nil, 409, "POST", "/api/v1/pulse/"+token, map[string]any{"clarity": 5, "understood": 3, "again": 4}, nil)

	var q struct {
		ID   string `json:"id"`
		Link string `json:"link"`
	}
	s.want(rep, 201, "POST", "/api/v1/pulses", map[string]any{"meeting": "Contract demo", "prediction": guess}, &q)
	form := url.Values{"clarity": {"3"}, "understood": {"4"}, "again": {"5"}, "comment": {"Thanks"}}.Encode()
	qt := q.Link[strings.LastIndex(q.Link, "/")+1:]
	hdr := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	if r := s.send(nil, "POST", "/p/"+qt, form, hdr); r.Code != 200 {
		s.t.Errorf("POST /p/{token}: %d", r.Code)
	}
	if r := s.send(nil, "POST", "/p/"+qt, form, hdr); r.Code != 409 {
		s.t.Errorf("POST /p/{token} again: %d", r.Code)
	}
	s.want(rep, 200, "GET", "/api/v1/pulses", nil, nil)
	s.want(s.outsider, 404, "DELETE", "/api/v1/pulses/"+q.ID, nil, nil)
	s.want(rep, 204, "DELETE", "/api/v1/pulses/"+q.ID, nil, nil)
	s.pulseID = p.ID
}
