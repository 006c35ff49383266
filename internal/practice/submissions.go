package practice

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/storage"
)

// SubmissionView is a submission as one caller may see it: the blind-review rule applied.
type SubmissionView struct {
	Submission Submission
	Activity   Activity
	Viewer     Viewer
	Visibility Visibility
	Peers      []Person
	// RecordingURL is the signed link to the recording ("" without one).
	RecordingURL string
}

// viewerOf decides how userID relates to sub: its owner, a manager of a team where the owner
// holds a seat, an invited peer, or nobody (ViewerNone). Drafts are the owner's alone.
func (s *Service) viewerOf(ctx context.Context, userID string, sub Submission) (Viewer, error) {
	if userID == sub.UserID {
		return ViewerOwner, nil
	}
	if userID == "" || sub.Status == StatusDraft {
		return ViewerNone, nil
	}
	manages, err := s.teams.Manages(ctx, userID, sub.UserID)
	if err != nil || manages {
		return ViewerManager, err
	}
	peer, err := s.store.IsPeer(ctx, sub.ID, userID)
	if err != nil || !peer {
		return ViewerNone, err
	}
	return ViewerPeer, nil
}

// find reads a submission and how the caller relates to it; NotFound for anyone who may not see it.
func (s *Service) find(ctx context.Context, userID, id string) (Submission, Viewer, error) {
	sub, err := s.store.FindSubmission(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Submission{}, ViewerNone, notFound()
	}
	if err != nil {
		return Submission{}, ViewerNone, err
	}
	v, err := s.viewerOf(ctx, userID, sub)
	if err != nil {
		return Submission{}, ViewerNone, err
	}
	if v == ViewerNone {
		return Submission{}, ViewerNone, notFound()
	}
	return sub, v, nil
}

// views builds the views of subs for one viewer relation each, reading reviews, peers and
// activities for all of them at once.
func (s *Service) views(ctx context.Context, userID string, subs []Submission, viewers []Viewer) ([]SubmissionView, error) {
	ids := make([]string, len(subs))
	actIDs := make([]string, 0, len(subs))
	for i, sub := range subs {
		ids[i] = sub.ID
		actIDs = append(actIDs, sub.ActivityID)
	}
	reviews, err := s.store.FindReviews(ctx, ids)
	if err != nil {
		return nil, err
	}
	peers, err := s.store.FindPeers(ctx, ids)
	if err != nil {
		return nil, err
	}
	acts, err := s.store.FindActivitiesByID(ctx, actIDs)
	if err != nil {
		return nil, err
	}
	now := s.clock()
	out := make([]SubmissionView, len(subs))
	for i, sub := range subs {
		v := SubmissionView{Submission: sub, Activity: acts[sub.ActivityID], Viewer: viewers[i],
			Visibility: Visible(viewers[i], userID, reviews[sub.ID]), Peers: peers[sub.ID]}
		if sub.Recording != nil {
			v.RecordingURL = s.links.url("/recordings/", sub.ID, now)
		}
		out[i] = v
	}
	return out, nil
}

func (s *Service) view(ctx context.Context, userID string, sub Submission, v Viewer) (SubmissionView, error) {
	list, err := s.views(ctx, userID, []Submission{sub}, []Viewer{v})
	if err != nil {
		return SubmissionView{}, err
	}
	return list[0], nil
}

// Submission shows one submission to the caller (NotFound for anyone who may not see it).
func (s *Service) Submission(ctx context.Context, userID, id string) (SubmissionView, error) {
	sub, v, err := s.find(ctx, userID, id)
	if err != nil {
		return SubmissionView{}, err
	}
	return s.view(ctx, userID, sub, v)
}

// MySubmissions lists the caller's attempts at an activity, newest first.
func (s *Service) MySubmissions(ctx context.Context, userID, slug string) ([]SubmissionView, error) {
	a, err := s.store.FindActivity(ctx, slug)
	if err != nil {
		return nil, err
	}
	subs, err := s.store.FindMySubmissions(ctx, userID, a.ID)
	if err != nil {
		return nil, err
	}
	viewers := make([]Viewer, len(subs))
	for i := range viewers {
		viewers[i] = ViewerOwner
	}
	return s.views(ctx, userID, subs, viewers)
}

// Start opens a draft attempt at an activity; an open draft is returned instead of a second one
// (created false). After a submitted attempt the draft is the next attempt.
func (s *Service) Start(ctx context.Context, userID, slug string) (SubmissionView, bool, error) {
	a, _, err := s.openActivity(ctx, userID, slug)
	if err != nil {
		return SubmissionView{}, false, err
	}
	var id string
	created := false
	err = s.store.Tx(ctx, func(st *Store) error {
		if err := st.LockLearnerActivity(ctx, userID, a.ID); err != nil {
			return err
		}
		d, err := st.FindDraft(ctx, userID, a.ID)
		if err == nil {
			id = d.ID
			return nil
		}
		if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		created = true
		id, err = st.CreateDraft(ctx, userID, a.ID, s.clock())
		return err
	})
	if err != nil {
		return SubmissionView{}, false, err
	}
	v, err := s.Submission(ctx, userID, id)
	return v, created, err
}

// ownDraft reads a submission for a change by its owner: NotFound for anyone else, Conflict
// once it is submitted.
func (s *Service) ownDraft(ctx context.Context, userID, id string) (Submission, Activity, error) {
	sub, v, err := s.find(ctx, userID, id)
	if err != nil {
		return Submission{}, Activity{}, err
	}
	if v != ViewerOwner {
		return Submission{}, Activity{}, apperr.New(apperr.Forbidden, "Only the person who made this attempt can change it.")
	}
	if err := sub.CheckDraft(); err != nil {
		return Submission{}, Activity{}, err
	}
	acts, err := s.store.FindActivitiesByID(ctx, []string{sub.ActivityID})
	if err != nil {
		return Submission{}, Activity{}, err
	}
	return sub, acts[sub.ActivityID], nil
}

// lockedDraft re-reads a draft under its row lock inside a transaction.
func lockedDraft(ctx context.Context, st *Store, userID, id string) (Submission, error) {
	sub, err := st.LockSubmission(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && sub.UserID != userID) {
		return Submission{}, notFound()
	}
	if err != nil {
		return Submission{}, err
	}
	return sub, sub.CheckDraft()
}

// CheckRecordingUpload is asked before a resumable upload of size bytes starts: the caller's own
// draft of an activity that records, within the size limit.
func (s *Service) CheckRecordingUpload(ctx context.Context, userID, id string, size int64) error {
	if !isUUID(id) {
		return notFound()
	}
	_, a, err := s.ownDraft(ctx, userID, id)
	if err != nil {
		return err
	}
	if !a.Kind.Records() {
		return apperr.InvalidFields(apperr.Field("recording", "This activity asks for a written response, not a recording."))
	}
	if size > s.maxBytes {
		return s.tooLarge()
	}
	return nil
}

func (s *Service) tooLarge() error {
	return &apperr.Error{Kind: apperr.TooLarge,
		Detail: fmt.Sprintf("This recording is larger than %d MB, the most Rapport takes. Record a shorter take, or lower the camera’s quality.", s.maxBytes>>20),
		Fields: []apperr.FieldError{apperr.Field("recording", "This recording is too large.")}}
}

// PutRecording stores body as the draft's recording, streaming it to storage: the type is
// decided by its first bytes (Unsupported otherwise), its size is capped (TooLarge), and a
// storage outage is Unavailable with the draft unchanged. A recording made before is replaced
// and its file deleted. declared is the client's Content-Type (audio or video); clientSeconds
// the recorder's own count, used when the file records no duration.
func (s *Service) PutRecording(ctx context.Context, userID, id, declared string, body io.Reader, clientSeconds *float64) error {
	_, a, err := s.ownDraft(ctx, userID, id)
	if err != nil {
		return err
	}
	if !a.Kind.Records() {
		return apperr.InvalidFields(apperr.Field("recording", "This activity asks for a written response, not a recording."))
	}
	head := make([]byte, SniffLen)
	n, err := io.ReadFull(body, head)
	head = head[:n]
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return err
	}
	if n == 0 {
		return apperr.InvalidFields(apperr.Field("recording", "This recording is empty. Record again, then upload."))
	}
	container, ok := SniffRecording(head)
	if !ok {
		return &apperr.Error{Kind: apperr.Unsupported,
			Detail: "This file isn’t a WebM or MP4 recording. Record in the browser, or upload a WebM or MP4 file.",
			Fields: []apperr.FieldError{apperr.Field("recording", "This file isn’t a WebM or MP4 recording.")}}
	}
	ctype := RecordingContentType(container, declared, a.Kind)
	key := "practice/" + id + "/" + randomName() + "." + container
	lim := &capReader{r: io.MultiReader(strings.NewReader(string(head)), storage.SourceReader(body)), left: s.maxBytes}
	size, err := s.bucket.Put(ctx, key, ctype, lim)
	if lim.over {
		return s.tooLarge()
	}
	if err != nil {
		return err
	}
	rec := Recording{Key: key, ContentType: ctype, Bytes: size}
	seeker := s.bucket.NewSeeker(ctx, key, size)
	rec.DurationSeconds = s.duration("video/"+container, seeker, size)
	_ = seeker.Close()
	if rec.DurationSeconds == nil {
		rec.DurationSeconds = CapDuration(clientSeconds, a.TimeLimitSeconds)
	}
	var old string
	err = s.store.Tx(ctx, func(st *Store) error {
		sub, err := lockedDraft(ctx, st, userID, id)
		if err != nil {
			return err
		}
		if sub.Recording != nil {
			old = sub.Recording.Key
			// The old file goes once this commits; the job retries if storage is down now.
			if err := st.InsertJob(ctx, DeleteRecordingArgs{Key: old}); err != nil {
				return err
			}
		}
		return st.SetRecording(ctx, id, rec, s.clock())
	})
	if err != nil {
		// The row never named the new file: it must not stay behind.
		s.deleteObject(context.WithoutCancel(ctx), key)
		return err
	}
	if old != "" {
		s.deleteObject(context.WithoutCancel(ctx), old)
	}
	return nil
}

// deleteObject removes a recording now when storage answers; the job inserted with the change
// that dropped it retries otherwise.
func (s *Service) deleteObject(ctx context.Context, key string) {
	if err := s.bucket.Delete(ctx, key); err != nil {
		s.log.WarnContext(ctx, "practice: recording not deleted yet; a job retries", "key", key, "error", err)
	}
}

func randomName() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// capReader fails once more than left bytes are read.
type capReader struct {
	r    io.Reader
	left int64
	over bool
}

var errTooLarge = errors.New("recording over its limit")

func (c *capReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left < 0 {
		c.over = true
		return 0, errTooLarge
	}
	return n, err
}

// PutText stores the draft's written response.
func (s *Service) PutText(ctx context.Context, userID, id, text string) error {
	text, err := CheckText(text)
	if err != nil {
		return err
	}
	if _, _, err := s.ownDraft(ctx, userID, id); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(st *Store) error {
		if _, err := lockedDraft(ctx, st, userID, id); err != nil {
			return err
		}
		return st.SetText(ctx, id, text, s.clock())
	})
}

// PutSelfReview stores the learner's own scores (a partial set is kept as they go).
func (s *Service) PutSelfReview(ctx context.Context, userID, id string, sr SelfReview) error {
	_, a, err := s.ownDraft(ctx, userID, id)
	if err != nil {
		return err
	}
	sr = sr.Normalize()
	if err := sr.Validate(a.Rubric); err != nil {
		return err
	}
	return s.store.Tx(ctx, func(st *Store) error {
		if _, err := lockedDraft(ctx, st, userID, id); err != nil {
			return err
		}
		return st.SetSelfReview(ctx, id, sr, s.clock())
	})
}

// Submit hands the draft in for review: it needs the response and every self-score (Invalid
// lists what is missing; Conflict when submitted already). The e-mail to the learner's managers
// is queued in the same transaction.
func (s *Service) Submit(ctx context.Context, userID, id string) (SubmissionView, error) {
	sub, _, err := s.find(ctx, userID, id)
	if err != nil {
		return SubmissionView{}, err
	}
	if sub.UserID != userID {
		return SubmissionView{}, apperr.New(apperr.Forbidden, "Only the person who made this attempt can submit it.")
	}
	acts, err := s.store.FindActivitiesByID(ctx, []string{sub.ActivityID})
	if err != nil {
		return SubmissionView{}, err
	}
	a := acts[sub.ActivityID]
	err = s.store.Tx(ctx, func(st *Store) error {
		locked, err := st.LockSubmission(ctx, id)
		if err != nil {
			return err
		}
		if err := locked.CheckSubmit(a); err != nil {
			return err
		}
		if err := st.MarkSubmitted(ctx, id, s.clock()); err != nil {
			return err
		}
		return st.InsertJob(ctx, SubmittedArgs{SubmissionID: id})
	})
	if err != nil {
		return SubmissionView{}, err
	}
	return s.Submission(ctx, userID, id)
}

// Delete removes the owner's submission with its reviews; its recording is deleted from
// storage now, or by a retried job if storage is down (the row goes either way).
func (s *Service) Delete(ctx context.Context, userID, id string) error {
	sub, v, err := s.find(ctx, userID, id)
	if err != nil {
		return err
	}
	if v != ViewerOwner {
		return apperr.New(apperr.Forbidden, "Only the person who made this attempt can delete it.")
	}
	var key string
	err = s.store.Tx(ctx, func(st *Store) error {
		locked, err := st.LockSubmission(ctx, sub.ID)
		if err != nil {
			return err
		}
		if locked.Recording != nil {
			key = locked.Recording.Key
			if err := st.InsertJob(ctx, DeleteRecordingArgs{Key: key}); err != nil {
				return err
			}
		}
		return st.DeleteSubmission(ctx, sub.ID)
	})
	if err != nil {
		return err
	}
	if key != "" {
		s.deleteObject(context.WithoutCancel(ctx), key)
	}
	return nil
}

// ---- reviews ----

// reviewable reads a submission for a review by the caller, with the role they review in.
func (s *Service) reviewable(ctx context.Context, userID, id string) (Submission, Viewer, ReviewRole, Activity, error) {
	sub, v, err := s.find(ctx, userID, id)
	if err != nil {
		return Submission{}, "", "", Activity{}, err
	}
	role, ok := v.ReviewRole()
	if !ok {
		return Submission{}, "", "", Activity{}, apperr.New(apperr.Forbidden, "You can’t review your own attempt. Your managers and the teammates you invite review it.")
	}
	acts, err := s.store.FindActivitiesByID(ctx, []string{sub.ActivityID})
	if err != nil {
		return Submission{}, "", "", Activity{}, err
	}
	return sub, v, role, acts[sub.ActivityID], nil
}

// SaveReview saves the caller's review as a draft (a manager of the owner or an invited peer).
func (s *Service) SaveReview(ctx context.Context, userID, id string, d ReviewDraft) error {
	_, _, role, a, err := s.reviewable(ctx, userID, id)
	if err != nil {
		return err
	}
	d = d.Normalize()
	if err := d.Validate(a.Rubric); err != nil {
		return err
	}
	return s.store.SaveReviewDraft(ctx, id, userID, role, d, s.clock())
}

// SubmitReview makes the caller's review final (every criterion scored; Conflict twice). The
// first manager review marks the submission reviewed. The answer is no longer blind.
func (s *Service) SubmitReview(ctx context.Context, userID, id string) (SubmissionView, error) {
	_, _, role, a, err := s.reviewable(ctx, userID, id)
	if err != nil {
		return SubmissionView{}, err
	}
	err = s.store.Tx(ctx, func(st *Store) error {
		if _, err := st.LockSubmission(ctx, id); err != nil {
			return err
		}
		r, err := st.LockReview(ctx, id, userID)
		if apperr.Is(err, apperr.NotFound) {
			return Review{}.CheckSubmit(a.Rubric)
		}
		if err != nil {
			return err
		}
		if err := r.CheckSubmit(a.Rubric); err != nil {
			return err
		}
		now := s.clock()
		if err := st.MarkReviewSubmitted(ctx, r.ID, now); err != nil {
			return err
		}
		if role == RoleManager {
			return st.MarkReviewed(ctx, id, now)
		}
		return nil
	})
	if err != nil {
		return SubmissionView{}, err
	}
	return s.Submission(ctx, userID, id)
}

// InvitePeers invites teammates of the owner to review (by the owner or one of their managers);
// anyone else is refused with a field error naming them. It answers every peer reviewer.
func (s *Service) InvitePeers(ctx context.Context, userID, id string, userIDs []string) ([]Person, error) {
	sub, v, err := s.find(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	if v != ViewerOwner && v != ViewerManager {
		return nil, apperr.New(apperr.Forbidden, "Only the person who made this attempt, or their manager, can invite reviewers.")
	}
	if len(userIDs) > MaxPeerInvites {
		return nil, apperr.InvalidFields(apperr.Field("user_ids", fmt.Sprintf("Invite at most %d people at a time.", MaxPeerInvites)))
	}
	var f apperr.Fields
	seen := map[string]bool{}
	for _, u := range userIDs {
		if seen[strings.ToLower(u)] {
			return nil, apperr.InvalidFields(apperr.Field("user_ids", "Name each person once."))
		}
		seen[strings.ToLower(u)] = true
	}
	ids := make([]string, 0, len(userIDs))
	for i, u := range userIDs {
		u = strings.ToLower(u)
		switch {
		case !isUUID(u):
			f.Add(fmt.Sprintf("user_ids[%d]", i), "This isn’t a teammate’s id.")
		case u == sub.UserID:
			f.Add(fmt.Sprintf("user_ids[%d]", i), "The person who made the attempt can’t review it as a peer.")
		default:
			ids = append(ids, u)
		}
	}
	mates, err := s.teams.Teammates(ctx, sub.UserID, ids)
	if err != nil {
		return nil, err
	}
	for i, u := range userIDs {
		if isUUID(strings.ToLower(u)) && strings.ToLower(u) != sub.UserID && !mates[strings.ToLower(u)] {
			f.Add(fmt.Sprintf("user_ids[%d]", i), "Only members of a team the learner belongs to can review as peers.")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := s.store.AddPeers(ctx, sub.ID, ids, userID, s.clock()); err != nil {
		return nil, err
	}
	peers, err := s.store.FindPeers(ctx, []string{sub.ID})
	return peers[sub.ID], err
}

// Queue lists the submissions awaiting the caller's review, oldest first.
func (s *Service) Queue(ctx context.Context, userID string) ([]QueueItem, error) {
	owners, err := s.teams.ManagedLearners(ctx, userID)
	if err != nil {
		return nil, err
	}
	entries, err := s.store.FindQueue(ctx, userID, owners)
	if err != nil {
		return nil, err
	}
	actIDs := make([]string, len(entries))
	for i, e := range entries {
		actIDs[i] = e.Submission.ActivityID
	}
	acts, err := s.store.FindActivitiesByID(ctx, actIDs)
	if err != nil {
		return nil, err
	}
	out := make([]QueueItem, len(entries))
	for i, e := range entries {
		out[i] = QueueItem{QueueEntry: e, Activity: acts[e.Submission.ActivityID]}
	}
	return out, nil
}

// QueueItem is a queue entry with its activity.
type QueueItem struct {
	QueueEntry
	Activity Activity
}

// ---- files behind signed links ----

// File is a stored file to stream.
type File struct {
	Key         string
	ContentType string
	Bytes       int64
}

// Recording opens the file behind a signed recording link (NotFound for an expired, altered or
// dead link).
func (s *Service) Recording(ctx context.Context, id, exp, sig string) (File, error) {
	if !isUUID(id) || !s.links.valid("/recordings/"+id, exp, sig, s.clock()) {
		return File{}, linkGone()
	}
	sub, err := s.store.FindSubmission(ctx, id)
	if apperr.Is(err, apperr.NotFound) || (err == nil && sub.Recording == nil) {
		return File{}, linkGone()
	}
	if err != nil {
		return File{}, err
	}
	return File{Key: sub.Recording.Key, ContentType: sub.Recording.ContentType, Bytes: sub.Recording.Bytes}, nil
}

// BuyerMedia opens the file behind a signed buyer-line link.
func (s *Service) BuyerMedia(ctx context.Context, activityID, exp, sig string) (File, error) {
	if !isUUID(activityID) || !s.links.valid("/practice-media/"+activityID, exp, sig, s.clock()) {
		return File{}, linkGone()
	}
	acts, err := s.store.FindActivitiesByID(ctx, []string{activityID})
	if err != nil {
		return File{}, err
	}
	a, ok := acts[activityID]
	if !ok || a.BuyerMediaID == nil {
		return File{}, linkGone()
	}
	items, err := s.media.FindMedia(ctx, []string{*a.BuyerMediaID})
	if err != nil {
		return File{}, err
	}
	it, ok := items[*a.BuyerMediaID]
	if !ok {
		return File{}, linkGone()
	}
	return File{Key: it.Key, ContentType: it.ContentType, Bytes: it.Bytes}, nil
}

func linkGone() error {
	return apperr.New(apperr.NotFound, "This link has expired or isn’t valid. Reload the page to get a fresh one.")
}

// Bucket is the storage files are streamed from.
func (s *Service) Bucket() *storage.Bucket { return s.bucket }
