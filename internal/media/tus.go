package media

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"
	tusd "github.com/tus/tusd/v2/pkg/handler"
	"github.com/tus/tusd/v2/pkg/memorylocker"
	expslog "golang.org/x/exp/slog"

	"github.com/rapport-hq/rapport/internal/apperr"
	"github.com/rapport-hq/rapport/internal/platform/storage"
	"github.com/rapport-hq/rapport/internal/platform/web"
)

// Resumable uploads (tus 1.0) are kept in the same bucket as media, under uploads/<id>: an
// info object (the tus file info, who started it and when) and one object per PATCH chunk named
// by its offset. A bucket cannot append, so a chunk is its own object; an interrupted PATCH keeps
// the bytes that arrived and the client resumes from the new offset. When the last byte is in,
// the same checks as a multipart upload run on the whole file, the file becomes a media item and
// the upload's objects are deleted; a failed check deletes them too. The sweep removes uploads
// left incomplete for a day.

const uploadsPrefix = "uploads/"

// UploadTTL is how long an incomplete resumable upload is kept.
const UploadTTL = 24 * time.Hour

// MediaIDHeader names the media item a completed resumable upload became (on the final PATCH).
const MediaIDHeader = "Media-Id"

type uploadInfo struct {
	Info      tusd.FileInfo `json:"info"`
	Parts     []uploadPart  `json:"parts"`
	Owner     string        `json:"owner"`
	CreatedAt time.Time     `json:"created_at"`
}

type uploadPart struct {
	Offset int64 `json:"offset"`
	Size   int64 `json:"size"`
}

func infoKey(id string) string { return uploadsPrefix + id + ".info" }
func partKey(id string, off int64) string {
	return fmt.Sprintf("%s%s/%020d", uploadsPrefix, id, off)
}

// tusStore is a tusd DataStore on the storage bucket.
type tusStore struct{ s *Service }

type tusUpload struct {
	st *tusStore
	id string
}

func (t *tusStore) NewUpload(ctx context.Context, info tusd.FileInfo) (tusd.Upload, error) {
	if info.ID == "" {
		info.ID = uuid.NewString()
	}
	u := uploadInfo{Info: info, Owner: info.MetaData[ownerMeta], CreatedAt: t.s.now().UTC()}
	delete(u.Info.MetaData, ownerMeta)
	if err := t.save(ctx, u); err != nil {
		return nil, tusErr(err)
	}
	return &tusUpload{st: t, id: info.ID}, nil
}

func (t *tusStore) GetUpload(ctx context.Context, id string) (tusd.Upload, error) {
	if !isUUID(id) {
		return nil, tusd.ErrNotFound
	}
	if _, err := t.load(ctx, id); err != nil {
		return nil, tusErr(err)
	}
	return &tusUpload{st: t, id: id}, nil
}

func (t *tusStore) AsTerminatableUpload(u tusd.Upload) tusd.TerminatableUpload { return u.(*tusUpload) }

func (t *tusStore) save(ctx context.Context, u uploadInfo) error {
	b, err := json.Marshal(u)
	if err != nil {
		return err
	}
	_, err = t.s.bucket.Put(ctx, infoKey(u.Info.ID), "application/json", strings.NewReader(string(b)))
	return err
}

func (t *tusStore) load(ctx context.Context, id string) (uploadInfo, error) {
	b, err := t.s.bucket.ReadAll(ctx, infoKey(id))
	if err != nil {
		return uploadInfo{}, err
	}
	var u uploadInfo
	if err := json.Unmarshal(b, &u); err != nil {
		return uploadInfo{}, err
	}
	u.Info.Offset = 0
	for _, p := range u.Parts {
		u.Info.Offset += p.Size
	}
	return u, nil
}

// WriteChunk stores what the PATCH body delivers as one part. tusd hands over a body that ends
// at EOF even when the client hangs up, so the bytes that did arrive are kept.
func (u *tusUpload) WriteChunk(ctx context.Context, offset int64, src io.Reader) (int64, error) {
	info, err := u.st.load(ctx, u.id)
	if err != nil {
		return 0, tusErr(err)
	}
	key := partKey(u.id, offset)
	n, err := u.st.s.bucket.Put(ctx, key, "application/octet-stream", src)
	if err != nil {
		return 0, tusErr(err)
	}
	if n == 0 {
		return 0, tusErr(u.st.s.bucket.Delete(ctx, key))
	}
	info.Parts = append(info.Parts, uploadPart{Offset: offset, Size: n})
	if err := u.st.save(ctx, info); err != nil {
		_ = u.st.s.bucket.Delete(ctx, key)
		return 0, tusErr(err)
	}
	return n, nil
}

func (u *tusUpload) GetInfo(ctx context.Context) (tusd.FileInfo, error) {
	info, err := u.st.load(ctx, u.id)
	if err != nil {
		return tusd.FileInfo{}, tusErr(err)
	}
	return info.Info, nil
}

// GetReader reads the parts in order, opening each when the previous one ends.
func (u *tusUpload) GetReader(ctx context.Context) (io.ReadCloser, error) {
	info, err := u.st.load(ctx, u.id)
	if err != nil {
		return nil, tusErr(err)
	}
	parts := append([]uploadPart(nil), info.Parts...)
	sort.Slice(parts, func(i, j int) bool { return parts[i].Offset < parts[j].Offset })
	return &partsReader{ctx: ctx, b: u.st.s.bucket, id: u.id, parts: parts}, nil
}

func (u *tusUpload) FinishUpload(context.Context) error { return nil }

// Terminate deletes the upload's parts and info.
func (u *tusUpload) Terminate(ctx context.Context) error {
	return tusErr(u.st.s.removeUpload(ctx, u.id))
}

type partsReader struct {
	ctx   context.Context
	b     *storage.Bucket
	id    string
	parts []uploadPart
	cur   io.ReadCloser
}

func (p *partsReader) Read(b []byte) (int, error) {
	for {
		if p.cur == nil {
			if len(p.parts) == 0 {
				return 0, io.EOF
			}
			r, err := p.b.OpenRange(p.ctx, partKey(p.id, p.parts[0].Offset), 0, -1)
			if err != nil {
				return 0, err
			}
			p.cur, p.parts = r, p.parts[1:]
		}
		n, err := p.cur.Read(b)
		if errors.Is(err, io.EOF) {
			_ = p.cur.Close()
			p.cur = nil
			if n > 0 {
				return n, nil
			}
			continue
		}
		return n, err
	}
}

func (p *partsReader) Close() error {
	if p.cur != nil {
		return p.cur.Close()
	}
	return nil
}

// removeUpload deletes every object of an upload.
func (s *Service) removeUpload(ctx context.Context, id string) error {
	objs, err := s.bucket.List(ctx, uploadsPrefix+id+"/")
	if err != nil {
		return err
	}
	for _, o := range objs {
		if err := s.bucket.Delete(ctx, o.Key); err != nil {
			return err
		}
	}
	return s.bucket.Delete(ctx, infoKey(id))
}

// ownerMeta is the metadata key that carries the creating user from the request to NewUpload.
const ownerMeta = "rapport-owner"

type userKey struct{}

// withUser copies the signed-in user into the request context (tusd's hooks see only that) and
// refuses requests on someone else's upload with 404.
func withUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		c.SetRequest(req.WithContext(context.WithValue(req.Context(), userKey{}, web.UserID(c))))
		_ = http.NewResponseController(c.Response()).SetReadDeadline(time.Now().Add(time.Hour))
		return next(c)
	}
}

// ownerCheck wraps the tus handler: HEAD, PATCH and DELETE on an upload that another user
// started, or that does not exist, answer 404 (before any tus header is checked: a learner may
// reach these routes, and must learn nothing about uploads that are not theirs).
func (s *Service) ownerCheck(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := strings.Trim(r.URL.Path, "/")
		if id != "" && r.Method != http.MethodPost && r.Method != http.MethodOptions {
			uid, _ := r.Context().Value(userKey{}).(string)
			if !isUUID(id) {
				uploadNotFound(w, r)
				return
			}
			info, err := s.tus().load(r.Context(), id)
			if (err == nil && info.Owner != uid) || errors.Is(err, storage.ErrNotFound) {
				uploadNotFound(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// uploadNotFound answers 404 in the API's problem+json (no body for HEAD).
func uploadNotFound(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	body, _ := json.Marshal(web.Problem{Type: "about:blank", Title: "Not Found", Status: http.StatusNotFound,
		Detail: "This upload doesn’t exist, or it isn’t yours."})
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write(body)
}

func (s *Service) tus() *tusStore { return &tusStore{s: s} }

// Recordings takes learners' practice recordings uploaded with tus: an upload whose metadata
// names a submission (SubmissionMeta) is the recording of that practice draft, not a media item
// (the practice service implements it, adapted in app).
type Recordings interface {
	// MaxRecordingBytes is the largest recording taken.
	MaxRecordingBytes() int64
	// CheckRecordingUpload is asked before an upload of size bytes starts: NotFound unless it is
	// the user's own draft, TooLarge over the limit.
	CheckRecordingUpload(ctx context.Context, userID, submissionID string, size int64) error
	// PutRecording stores the finished upload as the draft's recording.
	PutRecording(ctx context.Context, userID, submissionID, contentType string, body io.Reader, seconds *float64) error
}

// NoRecordings is the Recordings of a process that takes none: a submission upload is refused.
var NoRecordings Recordings = noRecordings{}

type noRecordings struct{}

func (noRecordings) MaxRecordingBytes() int64 { return 0 }
func (noRecordings) CheckRecordingUpload(context.Context, string, string, int64) error {
	return apperr.New(apperr.NotFound, "We couldn’t find this practice attempt.")
}
func (noRecordings) PutRecording(context.Context, string, string, string, io.Reader, *float64) error {
	return apperr.New(apperr.NotFound, "We couldn’t find this practice attempt.")
}

// SubmissionMeta is the Upload-Metadata key naming the practice draft a recording belongs to;
// SubmissionIDHeader names it again on the final PATCH.
const (
	SubmissionMeta     = "submission_id"
	SubmissionIDHeader = "Submission-Id"
)

// NewTus is the tus 1.0 handler (mount it with the /api/v1/uploads/ prefix stripped). Uploads
// may announce at most the largest kind's limit; the exact limit of the file's kind, its type and
// emptiness are checked once all bytes are in, exactly as for a multipart upload. Uploads naming
// a submission are learners' recordings, handed to rec when complete.
func NewTus(s *Service, rec Recordings) (http.Handler, error) {
	composer := tusd.NewStoreComposer()
	st := s.tus()
	composer.UseCore(st)
	composer.UseTerminater(st)
	memorylocker.New().UseIn(composer)
	h, err := tusd.NewHandler(tusd.Config{
		BasePath:             UploadsPath,
		StoreComposer:        composer,
		MaxSize:              max(s.limits.Max(), rec.MaxRecordingBytes()),
		DisableDownload:      true,
		DisableConcatenation: true,
		// tusd logs every request at info level on its own slog type; our request log and the
		// errors it returns (rendered by problemErr) already say what matters.
		Logger: expslog.New(expslog.NewTextHandler(io.Discard, nil)),
		Cors:   &tusd.CorsConfig{Disable: true},
		PreUploadCreateCallback: func(ev tusd.HookEvent) (tusd.HTTPResponse, tusd.FileInfoChanges, error) {
			return s.tusCreate(ev, rec)
		},
		PreFinishResponseCallback: func(ev tusd.HookEvent) (tusd.HTTPResponse, error) {
			if id := ev.Upload.MetaData[SubmissionMeta]; id != "" {
				return s.tusFinishRecording(ev, rec, id)
			}
			return s.tusFinish(ev)
		},
	})
	if err != nil {
		return nil, err
	}
	return s.ownerCheck(h), nil
}

// tusCreate refuses empty uploads and records who started the upload. A recording must be of the
// caller's own practice draft and within the recordings' limit; any other upload within the
// largest media kind's limit.
func (s *Service) tusCreate(ev tusd.HookEvent, rec Recordings) (tusd.HTTPResponse, tusd.FileInfoChanges, error) {
	if !ev.Upload.SizeIsDeferred && ev.Upload.Size == 0 {
		return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, problemErr(apperr.InvalidFields(apperr.Field("file", "This file is empty. Choose a file that has something in it.")))
	}
	uid, _ := ev.Context.Value(userKey{}).(string)
	if sub, ok := ev.Upload.MetaData[SubmissionMeta]; ok {
		if ev.Upload.SizeIsDeferred {
			return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, problemErr(apperr.InvalidFields(apperr.Field("Upload-Length", "Announce the recording's length when the upload starts.")))
		}
		if err := rec.CheckRecordingUpload(ev.Context, uid, strings.ToLower(sub), ev.Upload.Size); err != nil {
			return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, problemErr(err)
		}
	} else if ev.Upload.Size > s.limits.Max() {
		return tusd.HTTPResponse{}, tusd.FileInfoChanges{}, problemErr(apperr.New(apperr.TooLarge,
			fmt.Sprintf("This file is larger than %s, the most Rapport takes.", megabytes(s.limits.Max()))))
	}
	meta := tusd.MetaData{}
	for k, v := range ev.Upload.MetaData {
		meta[k] = v
	}
	meta[ownerMeta] = uid
	return tusd.HTTPResponse{}, tusd.FileInfoChanges{MetaData: meta}, nil
}

// tusFinish turns a complete upload into a media item (the upload's objects are removed either
// way) and names the item in the Media-Id header of the final PATCH's response.
func (s *Service) tusFinish(ev tusd.HookEvent) (tusd.HTTPResponse, error) {
	ctx := ev.Context
	st := s.tus()
	info, err := st.load(ctx, ev.Upload.ID)
	if err != nil {
		return tusd.HTTPResponse{}, tusErr(err)
	}
	up := &tusUpload{st: st, id: ev.Upload.ID}
	r, err := up.GetReader(ctx)
	if err != nil {
		return tusd.HTTPResponse{}, err
	}
	defer r.Close()
	meta := ev.Upload.MetaData
	f := NewFile{Name: meta["filename"], Body: r, Field: "file", By: info.Owner}
	if t, ok := meta["title"]; ok {
		f.Title = &t
	}
	if a, ok := meta["alt"]; ok {
		f.Alt = &a
	}
	it, err := s.Upload(ctx, f)
	if rerr := s.removeUpload(context.WithoutCancel(ctx), ev.Upload.ID); rerr != nil {
		s.log.WarnContext(ctx, "media: upload parts left behind; the sweep will remove them", "upload", ev.Upload.ID, "error", rerr)
	}
	if err != nil {
		return tusd.HTTPResponse{}, problemErr(err)
	}
	return tusd.HTTPResponse{Header: tusd.HTTPHeader{MediaIDHeader: it.ID}}, nil
}

// tusFinishRecording hands a complete recording upload to practice (the upload's objects are
// removed either way) and names the submission in the final PATCH's response.
func (s *Service) tusFinishRecording(ev tusd.HookEvent, rec Recordings, submissionID string) (tusd.HTTPResponse, error) {
	ctx := ev.Context
	st := s.tus()
	info, err := st.load(ctx, ev.Upload.ID)
	if err != nil {
		return tusd.HTTPResponse{}, tusErr(err)
	}
	r, err := (&tusUpload{st: st, id: ev.Upload.ID}).GetReader(ctx)
	if err != nil {
		return tusd.HTTPResponse{}, err
	}
	defer r.Close()
	var seconds *float64
	if v, err := strconv.ParseFloat(ev.Upload.MetaData["duration_seconds"], 64); err == nil {
		seconds = &v
	}
	submissionID = strings.ToLower(submissionID)
	err = rec.PutRecording(ctx, info.Owner, submissionID, ev.Upload.MetaData["filetype"], r, seconds)
	if rerr := s.removeUpload(context.WithoutCancel(ctx), ev.Upload.ID); rerr != nil {
		s.log.WarnContext(ctx, "media: upload parts left behind; the sweep will remove them", "upload", ev.Upload.ID, "error", rerr)
	}
	if err != nil {
		return tusd.HTTPResponse{}, problemErr(err)
	}
	return tusd.HTTPResponse{Header: tusd.HTTPHeader{SubmissionIDHeader: submissionID}}, nil
}

// tusErr makes a storage failure a tusd error with a problem+json body (tusd would otherwise send
// the raw error text as a 500); tusd's own errors pass through.
func tusErr(err error) error {
	if err == nil {
		return nil
	}
	var te tusd.Error
	if errors.As(err, &te) {
		return err
	}
	if errors.Is(err, storage.ErrNotFound) {
		return tusd.ErrNotFound
	}
	return problemErr(err)
}

// problemErr renders an application error as tusd's error response, in the API's problem+json.
func problemErr(err error) error {
	var ae *apperr.Error
	if !errors.As(err, &ae) {
		ae = apperr.Wrap(apperr.Internal, "Something went wrong on our side. Please try again; if it keeps happening, contact support.", err)
	}
	status := web.StatusOf(ae.Kind)
	body, _ := json.Marshal(web.Problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: ae.Detail, Errors: ae.Fields})
	return tusd.Error{ErrorCode: "ERR_" + strings.ToUpper(strings.ReplaceAll(http.StatusText(status), " ", "_")), Message: ae.Detail,
		HTTPResponse: tusd.HTTPResponse{StatusCode: status, Body: string(body), Header: tusd.HTTPHeader{"Content-Type": "application/problem+json"}}}
}

// SweepUploads removes resumable uploads started more than UploadTTL before now and never
// finished, and chunk objects whose upload has no info left. It returns how many uploads it
// removed.
func (s *Service) SweepUploads(ctx context.Context, now time.Time) (int, error) {
	objs, err := s.bucket.List(ctx, uploadsPrefix)
	if err != nil {
		return 0, err
	}
	infos := map[string]bool{}
	for _, o := range objs {
		if id, ok := strings.CutSuffix(strings.TrimPrefix(o.Key, uploadsPrefix), ".info"); ok && !strings.Contains(id, "/") {
			infos[id] = true
		}
	}
	removed := 0
	var errs []error
	for id := range infos {
		u, err := s.tus().load(ctx, id)
		if err != nil && !errors.Is(err, storage.ErrNotFound) {
			var se *json.SyntaxError
			if !errors.As(err, &se) {
				errs = append(errs, err)
				continue
			}
		}
		if err == nil && now.Sub(u.CreatedAt) < UploadTTL {
			continue
		}
		if err := s.removeUpload(ctx, id); err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	// Parts of uploads whose info is gone (a crash between writes) go once they are old.
	for _, o := range objs {
		rest := strings.TrimPrefix(o.Key, uploadsPrefix)
		id, _, isPart := strings.Cut(rest, "/")
		if isPart && !infos[id] && now.Sub(o.ModTime) >= UploadTTL {
			if err := s.bucket.Delete(ctx, o.Key); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return removed, errors.Join(errs...)
}
