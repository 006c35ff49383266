package progress

import "testing"

func TestModuleState(t *testing.T) {
	for _, tc := range []struct {
		name             string
		completed, total int
		want             string
	}{
		{"only started", 0, 3, ModuleInProgress},
		{"some completed", 1, 3, ModuleInProgress},
		{"all but one", 2, 3, ModuleInProgress},
		{"all completed", 3, 3, ModuleCompleted},
		{"a new version removed lessons", 4, 3, ModuleCompleted},
		{"no lessons in the latest version", 0, 0, ModuleInProgress},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (ModuleStat{CompletedLessons: tc.completed, LessonCount: tc.total}).State(); got != tc.want {
				t.Errorf("State(%d of %d) = %q, want %q", tc.completed, tc.total, got, tc.want)
			}
		})
	}
}
