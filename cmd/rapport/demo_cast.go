package main

// The demo's cast and what each of them did over the eight weeks before `rapport demo` ran
// (demo_story.go plays it through the services). Days count from the story's start, eight weeks
// before now; day 56 is now. The story is written so every screen a visitor opens has something
// true to show: growth that the assessment's own statistics call real, certificates, a streak,
// a team whose reps differ (a star, steady ones, one who has not started), an overdue assignment
// and recognition.

import _ "embed"

// storyDays is how far back the story starts.
const storyDays = 56

// Competency keys of the shipped profile (content/assessments/sales-eq-profile.yaml).
const (
	cSelfAwareness  = "self_awareness"
	cSelfManagement = "self_management"
	cSocial         = "social_awareness"
	cRelationships  = "relationship_management"
	cJobDiagnosis   = "job_diagnosis"
	cConsensus      = "consensus_building"
	cPrescriptive   = "prescriptive_guidance"
	cStakeholders   = "stakeholder_mapping"
)

// Module slugs of the shipped curriculum (content/modules).
const (
	mBuyerHasChanged = "buyer-has-changed"
	mSelfAwareness   = "self-awareness"
	mSelfManagement  = "self-management"
	mReadingBuyers   = "reading-buyers"
	mBuildConsensus  = "build-consensus"
	mLeadingSellers  = "leading-sellers"
)

// levels is a learner's skill (0-100) on the eight competencies, in the profile's order.
func levels(sa, sm, soc, rel, jd, cb, pg, stk float64) map[string]float64 {
	return map[string]float64{cSelfAwareness: sa, cSelfManagement: sm, cSocial: soc, cRelationships: rel,
		cJobDiagnosis: jd, cConsensus: cb, cPrescriptive: pg, cStakeholders: stk}
}

// grown is base with some competencies moved by the given points.
func grown(base map[string]float64, by map[string]float64) map[string]float64 {
	out := make(map[string]float64, len(base))
	for k, v := range base {
		out[k] = v + by[k]
	}
	return out
}

// sitting is one attempt at the profile.
type sitting struct {
	day    float64
	levels map[string]float64
}

// read is one reading session: minutes on a lesson (by its index in the module's outline), then
// marked complete, or left started (still reading, or reading it again).
type read struct {
	day     float64
	module  string
	lesson  int
	minutes int
	done    bool
}

// script is one learner's history.
type script struct {
	email, name string
	goal        int // weekly goal in minutes; 0 keeps the default
	sittings    []sitting
	reading     []read
}

// lessons lists sessions that finish the module's lessons from first, one per given day.
func lessons(module string, minutes int, days ...float64) []read {
	out := make([]read, len(days))
	for i, d := range days {
		out[i] = read{day: d, module: module, lesson: i, minutes: minutes + i%3*2, done: true}
	}
	return out
}

func concat(parts ...[]read) []read {
	var out []read
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// lena is the demo learner: a baseline, two check-ins with real growth in what she studied, two
// finished modules with certificates, a third in progress, and a streak of weekly goals met since
// she came back from a two-week break (days 10 to 25).
func lena() script {
	base := levels(46, 55, 50, 61, 41, 47, 52, 45)
	return script{email: "learner@demo.rapport.local", name: "Lena Learner", goal: 20,
		sittings: []sitting{
			{0.05, base},
			{27.1, grown(base, map[string]float64{cSelfAwareness: 6, cSocial: 9, cJobDiagnosis: 14, cConsensus: -2})},
			{50.1, grown(base, map[string]float64{cSelfAwareness: 28, cSocial: 19, cJobDiagnosis: 27, cSelfManagement: 4, cStakeholders: 3})},
		},
		reading: concat(
			lessons(mBuyerHasChanged, 22, 0.1, 3.5, 6.4, 9.6, 25.3),
			lessons(mSelfAwareness, 23, 28.4, 31.5, 34.4, 37.6),
			lessons(mReadingBuyers, 24, 40.4, 43.5),
			[]read{
				{46.4, mSelfAwareness, 1, 21, false}, // reading "Your triggers" again
				{49.5, mReadingBuyers, 2, 22, false},
				{52.4, mReadingBuyers, 2, 23, false},
				{55.97, mReadingBuyers, 2, 21, false}, // within the last hour
			}),
	}
}

// marco is the demo manager as a learner: a baseline and the managers' module under way.
func marco() script {
	return script{email: "manager@demo.rapport.local", name: "Marco Manager",
		sittings: []sitting{{4.2, levels(58, 62, 60, 70, 52, 64, 59, 66)}},
		reading: concat(lessons(mLeadingSellers, 18, 8.3, 21.4),
			[]read{{47.3, mLeadingSellers, 2, 9, false}}),
	}
}

// rep is a member of the demo team: their history and when they were invited and joined.
type rep struct {
	script
	invited, joined float64
}

// pendingInvite is an invite nobody has accepted yet.
type pendingInvite struct {
	email string
	day   float64
}

// assignmentPlan assigns a module to every rep on the team at that moment.
type assignmentPlan struct {
	day, due float64
	module   string
}

// recognitionPlan is a recognition from the manager.
type recognitionPlan struct {
	day     float64
	to      string
	kind    string
	message string
}

// teamPlan is the demo manager's team.
type teamPlan struct {
	name         string
	created      float64
	seats        int
	reps         []rep
	pending      []pendingInvite
	assignments  []assignmentPlan
	recognitions []recognitionPlan
}

// demoTeam is "Demo Sales Team": seven reps at different stages, one invite not yet accepted,
// an assignment now overdue for most and one due in twelve days, and four recognitions.
func demoTeam() teamPlan {
	priya := levels(52, 58, 57, 62, 50, 44, 46, 55)
	diego := levels(44, 49, 46, 57, 45, 50, 48, 42)
	sam := levels(55, 51, 53, 58, 49, 52, 50, 48)
	aisha := levels(47, 43, 55, 60, 52, 49, 51, 50)
	return teamPlan{name: "Demo Sales Team", created: -3, seats: 10,
		reps: []rep{
			{script{email: "priya.patel@demo.rapport.local", name: "Priya Patel",
				sittings: []sitting{{1.2, priya}, {45.2, grown(priya, map[string]float64{cConsensus: 28, cPrescriptive: 26, cJobDiagnosis: 21, cSelfAwareness: 10, cRelationships: 2})}},
				reading: concat(lessons(mBuyerHasChanged, 19, 3.1, 5.3, 8.2, 11.4, 15.2), lessons(mSelfAwareness, 21, 18.3, 22.1, 26.4, 30.2),
					lessons(mBuildConsensus, 24, 40.3, 47.2), []read{{53.3, mBuildConsensus, 2, 16, false}})}, -2.9, -2.8},
			{script{email: "diego.alvarez@demo.rapport.local", name: "Diego Alvarez",
				sittings: []sitting{{2.1, diego}, {40.3, grown(diego, map[string]float64{cSocial: 25, cStakeholders: 14, cSelfManagement: -3})}},
				reading: concat(lessons(mBuyerHasChanged, 17, 4.4, 9.2, 16.3, 24.5), lessons(mReadingBuyers, 20, 33.2),
					[]read{{38.4, mReadingBuyers, 1, 12, false}})}, -2.9, -2.5},
			{script{email: "sam.okafor@demo.rapport.local", name: "Sam Okafor",
				sittings: []sitting{{1.4, sam}, {36.2, grown(sam, map[string]float64{cSelfAwareness: 3, cSocial: -2, cJobDiagnosis: 4, cConsensus: -3})}},
				reading:  concat(lessons(mBuyerHasChanged, 16, 3.3, 6.2, 10.5, 14.1, 20.3), lessons(mSelfAwareness, 18, 22.4, 26.1, 29.3, 33.2))}, -2.9, -2.0},
			{script{email: "hannah.berg@demo.rapport.local", name: "Hannah Berg",
				sittings: []sitting{{3.3, levels(50, 47, 52, 55, 44, 46, 49, 51)}},
				reading:  lessons(mBuyerHasChanged, 15, 6.2, 13.4, 29.1)}, -2.9, -1.5},
			{script{email: "tom.reilly@demo.rapport.local", name: "Tom Reilly",
				sittings: []sitting{{5.4, levels(41, 53, 45, 50, 39, 43, 47, 44)}}}, -2.9, -1.0},
			{script{email: "aisha.khan@demo.rapport.local", name: "Aisha Khan",
				sittings: []sitting{{2.3, aisha}, {33.2, grown(aisha, map[string]float64{cSelfManagement: 27, cSelfAwareness: 11, cStakeholders: 2})}},
				reading:  concat(lessons(mSelfManagement, 20, 4.2, 9.3, 14.1, 19.4), lessons(mSelfAwareness, 19, 24.3, 28.2, 31.4))}, -2.9, -0.9},
			{script{email: "leo.novak@demo.rapport.local", name: "Leo Novak"}, 51.3, 52.0},
		},
		pending: []pendingInvite{{"nina.fischer@demo.rapport.local", 54.2}},
		assignments: []assignmentPlan{
			{day: 14.3, due: 35.4, module: mSelfAwareness},
			{day: 52.5, due: storyDays + 12, module: mBuildConsensus},
		},
		recognitions: []recognitionPlan{
			{15.6, "priya.patel@demo.rapport.local", "milestone", "First module done in two weeks, Priya. The way you mapped the Halvorsen buying group on Tuesday showed you are already using it."},
			{20.6, "sam.okafor@demo.rapport.local", "milestone", "The Buyer Has Changed, finished. Thanks for sharing your notes on quality conversations with the team, Sam."},
			{33.7, "aisha.khan@demo.rapport.local", "win", "You kept the Norland renewal call calm when their CFO pushed back on price, and you still got agreement on next steps. That was self-management at its best."},
			{45.6, "priya.patel@demo.rapport.local", "win", "Your consensus building is up sharply since the baseline, and it shows: three stakeholders at Brightwell now agree on the problem. Great work."},
		},
	}
}

// Ines's draft: a new lesson in the managers' module, saved in the studio and not yet published,
// so the studio shows a published module with unpublished changes.
const (
	draftModule       = mLeadingSellers
	draftLessonSlug   = "coaching-one-to-ones"
	draftLessonTitle  = "One-to-Ones Reps Look Forward To"
	draftLessonMinute = 7
)

//go:embed demo_draft_lesson.md
var draftLessonMarkdown string
