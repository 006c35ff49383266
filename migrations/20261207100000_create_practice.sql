-- +goose Up
-- Practice: role-plays and pitch practice. A learner records (or writes) a response to a buyer
-- situation, scores themself on the activity's rubric and submits; their managers (and any peers
-- they invite) review blind on the same rubric. The gap between the self-review and the managers'
-- scores is evidence for the skills picture.

-- Activities are content: imported from content/practice/<slug>.yaml (source_hash makes the import
-- idempotent) or edited in the Studio. brief_html is the sanitised rendering of brief, kept so a
-- read never renders Markdown. The rubric is a JSON array of 3-6 criteria
-- [{id, competency, criterion, anchors:{"1","3","5"}}], validated by the domain before it is saved.
CREATE TABLE practice_activities (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug               text NOT NULL CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 80),
    title              text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    module_slug        text CHECK (module_slug IS NULL OR module_slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    competencies       text[] NOT NULL CHECK (cardinality(competencies) >= 1),
    kind               text NOT NULL CHECK (kind IN ('video', 'audio', 'text')),
    brief              text NOT NULL CHECK (length(brief) BETWEEN 1 AND 20000),
    brief_html         text NOT NULL,
    -- The buyer's line to respond to (a recording or a picture). Removing the item from the media
    -- library leaves the activity without it rather than failing the removal.
    buyer_media_id     uuid REFERENCES media(id) ON DELETE SET NULL,
    time_limit_seconds integer NOT NULL CHECK (time_limit_seconds BETWEEN 30 AND 600),
    rubric             jsonb NOT NULL CHECK (jsonb_typeof(rubric) = 'array'
                                             AND jsonb_array_length(rubric) BETWEEN 3 AND 6),
    position           integer NOT NULL DEFAULT 0,
    source_hash        text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX practice_activities_slug_key ON practice_activities (slug);
-- The list is ordered by position; the free-activity rule asks for the first of a module.
CREATE INDEX practice_activities_order ON practice_activities (position, slug);
CREATE INDEX practice_activities_module ON practice_activities (module_slug, position, slug) WHERE module_slug IS NOT NULL;
CREATE INDEX practice_activities_buyer_media ON practice_activities (buyer_media_id) WHERE buyer_media_id IS NOT NULL;

-- A learner's attempt at an activity. Each new attempt after a submitted one gets the next number;
-- at most one draft is open per learner and activity at any time. The recording's bytes live in
-- the storage layer under recording_key (practice/<submission id>/<random>), never in the database.
CREATE TABLE practice_submissions (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    activity_id       uuid NOT NULL REFERENCES practice_activities(id) ON DELETE RESTRICT,
    user_id           uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    attempt           integer NOT NULL CHECK (attempt >= 1),
    status            text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'reviewed')),
    recording_key     text CHECK (recording_key IS NULL OR length(recording_key) BETWEEN 1 AND 200),
    content_type      text CHECK (content_type IS NULL OR length(content_type) BETWEEN 1 AND 100),
    bytes             bigint CHECK (bytes IS NULL OR bytes > 0),
    duration_seconds  double precision CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    text              text CHECK (text IS NULL OR length(text) BETWEEN 1 AND 5000),
    -- {"scores":[{"criterion_id","score"}],"note"?}: the learner's own rubric scores.
    self_review       jsonb CHECK (self_review IS NULL OR jsonb_typeof(self_review) = 'object'),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    submitted_at      timestamptz,
    reviewed_at       timestamptz,
    CONSTRAINT practice_submissions_recording_whole CHECK (
        (recording_key IS NULL AND content_type IS NULL AND bytes IS NULL AND duration_seconds IS NULL)
        OR (recording_key IS NOT NULL AND content_type IS NOT NULL AND bytes IS NOT NULL)),
    CONSTRAINT practice_submissions_status_times CHECK (
        (status = 'draft' AND submitted_at IS NULL AND reviewed_at IS NULL)
        OR (status = 'submitted' AND submitted_at IS NOT NULL AND reviewed_at IS NULL)
        OR (status = 'reviewed' AND submitted_at IS NOT NULL AND reviewed_at IS NOT NULL))
);
CREATE UNIQUE INDEX practice_submissions_attempt_key ON practice_submissions (user_id, activity_id, attempt);
-- At most one open draft per learner and activity (a second "start" returns the open one).
CREATE UNIQUE INDEX practice_submissions_one_draft ON practice_submissions (user_id, activity_id) WHERE status = 'draft';
-- A learner's attempts newest first, and the list's my_status (the latest attempt per activity).
CREATE INDEX practice_submissions_user_activity ON practice_submissions (user_id, activity_id, attempt DESC);
-- Managers' queues and team reports: a set of owners' submitted work, newest first.
CREATE INDEX practice_submissions_user_submitted ON practice_submissions (user_id, submitted_at DESC) WHERE status <> 'draft';
CREATE INDEX practice_submissions_activity ON practice_submissions (activity_id);

-- Reviews on the rubric: one per reviewer and submission, a draft until submitted_at is set.
-- A review stays when its author's account is erased; it then reads "A former reviewer".
CREATE TABLE practice_reviews (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    submission_id uuid NOT NULL REFERENCES practice_submissions(id) ON DELETE CASCADE,
    reviewer_id   uuid REFERENCES users(id) ON DELETE SET NULL,
    role          text NOT NULL CHECK (role IN ('manager', 'peer')),
    -- [{"criterion_id","score"}], each score 1-5.
    scores        jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(scores) = 'array'),
    -- [{"at_seconds"?,"text"}]: timestamped comments on the recording.
    comments      jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(comments) = 'array'),
    summary       text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    submitted_at  timestamptz
);
CREATE UNIQUE INDEX practice_reviews_submission_reviewer ON practice_reviews (submission_id, reviewer_id);
-- "Awaiting my review" excludes what I already reviewed; export lists a reviewer's reviews.
CREATE INDEX practice_reviews_reviewer ON practice_reviews (reviewer_id, submission_id) WHERE reviewer_id IS NOT NULL;
-- Observed scores: submitted manager reviews of a submission.
CREATE INDEX practice_reviews_submitted ON practice_reviews (submission_id, submitted_at) WHERE submitted_at IS NOT NULL;

-- Teammates invited to review a submission as peers (by its owner or one of the owner's managers).
CREATE TABLE practice_peer_reviewers (
    submission_id uuid NOT NULL REFERENCES practice_submissions(id) ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    invited_by    uuid REFERENCES users(id) ON DELETE SET NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (submission_id, user_id)
);
-- A peer's queue and access checks.
CREATE INDEX practice_peer_reviewers_user ON practice_peer_reviewers (user_id, submission_id);
CREATE INDEX practice_peer_reviewers_invited_by ON practice_peer_reviewers (invited_by) WHERE invited_by IS NOT NULL;

-- +goose Down
DROP TABLE practice_peer_reviewers;
DROP TABLE practice_reviews;
DROP TABLE practice_submissions;
DROP TABLE practice_activities;
