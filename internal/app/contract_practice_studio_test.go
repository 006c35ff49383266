package app_test

// practiceStudio drives the Studio's practice routes: list, create, read, edit, preview, with
// their refusals.
func (s *scenario) practiceStudio() {
	ins := s.instructor
	slug := "contract-studio-" + randomHex(3)
	s.want(ins, 200, "GET", "/api/v1/studio/practice", nil, nil)
	s.want(ins, 201, "POST", "/api/v1/studio/practice", studioPracticeBody(slug), nil)
	s.want(ins, 409, "POST", "/api/v1/studio/practice", studioPracticeBody(slug), nil)
	s.want(s.learner, 403, "GET", "/api/v1/studio/practice", nil, nil)
	s.want(nil, 401, "GET", "/api/v1/studio/practice", nil, nil)
	s.want(ins, 200, "GET", "/api/v1/studio/practice/"+slug, nil, nil)
	s.want(ins, 404, "GET", "/api/v1/studio/practice/contract-missing", nil, nil)
	edit := studioPracticeUpdate()
	edit["module_slug"] = s.premium
	s.want(ins, 200, "PUT", "/api/v1/studio/practice/"+slug, edit, nil)
	edit["time_limit_seconds"] = 10
	s.want(ins, 422, "PUT", "/api/v1/studio/practice/"+slug, edit, nil)
	s.want(ins, 200, "POST", "/api/v1/studio/practice/preview", map[string]string{"markdown": "## The situation\n\n> \"Why now?\""}, nil)
}
