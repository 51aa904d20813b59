package documents

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
	"golang.org/x/text/unicode/norm"
)

// Text extraction: every committed revision queues one extraction_jobs row
// (in the revision's transaction). The worker claims due jobs tenant by
// tenant, reads the revision's bytes from the object store into a
// temporary file, extracts the text and stores it as the document's text
// — only while the revision is still the document's current one — which
// the search triggers then index. Several instances may run: a claim is
// a lease (state running, run_after = end of the lease) taken with
// FOR UPDATE SKIP LOCKED on PostgreSQL; a worker that dies leaves a job
// that is claimed again once its lease ends.

// Extraction job states.
const (
	jobPending = "pending"
	jobRunning = "running"
	jobDone    = "done"
	jobFailed  = "failed"
	jobSkipped = "skipped"
	// jobNotExtractable: the file exceeded a limit of the extraction
	// sandbox (memory, CPU time, time, output, nesting). It was tried
	// once and is never tried again: the same bytes hit the same limit.
	jobNotExtractable = "not_extractable"
)

// Extraction limits.
const (
	// MaxExtractionAttempts is how often a job is tried before it is
	// marked failed for good.
	MaxExtractionAttempts = 5
	// MaxExtractionInput bounds the revisions given to the extractor, in
	// bytes; larger ones are skipped.
	MaxExtractionInput = 1 << 30
	// DefaultExtractionBatch is the batch of StartExtraction's runs.
	DefaultExtractionBatch = 20
	// extractionLeaseMargin is added to the extractor's timeout to make
	// the lease of a claimed job.
	extractionLeaseMargin = 5 * time.Minute
	// extractionBackoff is the wait after a first failure; it grows
	// fourfold with every attempt, up to maxExtractionBackoff.
	extractionBackoff    = time.Minute
	maxExtractionBackoff = 6 * time.Hour
	maxLastError         = 1000
)

// extractionJob is a claimed job.
type extractionJob struct {
	TenantID   uuid.UUID `gorm:"-"`
	RevisionID uuid.UUID `gorm:"column:revision_id"`
	DocumentID uuid.UUID `gorm:"column:document_id"`
	// Attempts counts this claim; it also fences the job's updates, so a
	// worker whose lease ran out cannot overwrite its successor.
	Attempts int `gorm:"column:attempts"`
}

// RunExtraction processes up to batch due extraction jobs (10 when batch
// is not positive), sharing the batch among the tenants that have due
// jobs, and reports how many it finished (done, skipped, superseded or
// failed). Failures of single jobs are recorded on the job, with a
// growing wait before the next attempt; the error is about the database
// or the context only.
func (s *Service) RunExtraction(ctx context.Context, ex *extract.Extractor, batch int) (processed int, err error) {
	if ex == nil || s.store == nil {
		return 0, errors.New("documents: extraction needs an extractor and an object store")
	}
	if batch <= 0 {
		batch = 10
	}
	tenants, err := s.tenantIDs(ctx)
	if err != nil || len(tenants) == 0 {
		return 0, err
	}
	rand.Shuffle(len(tenants), func(i, j int) { tenants[i], tenants[j] = tenants[j], tenants[i] })
	share := max(1, (batch+len(tenants)-1)/len(tenants))
	lease := ex.Config().Timeout + extractionLeaseMargin
	idle := make(map[uuid.UUID]bool, len(tenants))
	for processed < batch {
		progress := false
		for _, tid := range tenants {
			if idle[tid] || processed >= batch {
				continue
			}
			if err := ctx.Err(); err != nil {
				return processed, err
			}
			jobs, err := s.claimJobs(ctx, tid, min(share, batch-processed), lease)
			if err != nil {
				return processed, err
			}
			if len(jobs) == 0 {
				idle[tid] = true
				continue
			}
			progress = true
			for i, j := range jobs {
				if err := s.runJob(ctx, ex, j); err != nil {
					s.releaseJobs(jobs[i:])
					return processed, err
				}
				processed++
			}
		}
		if !progress {
			break
		}
	}
	return processed, nil
}

// StartExtraction runs the extraction worker in a goroutine: it drains the
// due jobs in batches, then waits interval, until ctx ends. Errors are
// logged (log may be nil). The returned channel closes when the worker
// has stopped.
func (s *Service) StartExtraction(ctx context.Context, ex *extract.Extractor, interval time.Duration, log *slog.Logger) <-chan struct{} {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if interval <= 0 {
		interval = 10 * time.Second
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			for {
				n, err := s.RunExtraction(ctx, ex, DefaultExtractionBatch)
				if err != nil && ctx.Err() == nil {
					log.Warn("text extraction", "err", err)
				}
				if n > 0 {
					log.Info("text extraction", "jobs", n)
				}
				if err != nil || n < DefaultExtractionBatch {
					break
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return done
}

// claimJobs leases up to n due jobs of a tenant: pending ones whose time
// has come and running ones whose lease ran out.
func (s *Service) claimJobs(ctx context.Context, tenantID uuid.UUID, n int, lease time.Duration) ([]extractionJob, error) {
	var jobs []extractionJob
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		skip := ""
		if isPostgres(tx) {
			skip = " FOR UPDATE SKIP LOCKED"
		}
		now := s.now()
		return tx.Raw(`UPDATE extraction_jobs SET state = ?, attempts = attempts + 1, run_after = ?, updated_at = ?
			WHERE tenant_id = @tenant AND revision_id IN (
				SELECT revision_id FROM extraction_jobs
				 WHERE tenant_id = @tenant AND state IN (?, ?) AND run_after <= ?
				 ORDER BY run_after, revision_id LIMIT ?`+skip+`)
			RETURNING revision_id, document_id, attempts`,
			jobRunning, now.Add(lease), now, jobPending, jobRunning, now, n).Scan(&jobs).Error
	})
	if err != nil {
		return nil, fmt.Errorf("documents: claim extraction jobs: %w", err)
	}
	for i := range jobs {
		jobs[i].TenantID = tenantID
	}
	return jobs, nil
}

// revisionSource is what the worker needs to know about a job's revision.
type revisionSource struct {
	StorageKey  string     `gorm:"column:storage_key"`
	Size        int64      `gorm:"column:size_bytes"`
	ContentType string     `gorm:"column:content_type"`
	FileName    string     `gorm:"column:file_name"`
	Current     *uuid.UUID `gorm:"column:current_revision_id"`
}

// runJob extracts one job's revision and records the outcome. It returns
// an error only when the outcome could not be recorded.
func (s *Service) runJob(ctx context.Context, ex *extract.Extractor, j extractionJob) error {
	if j.Attempts > MaxExtractionAttempts { // claimed again and again: the worker dies on it
		return s.finishJob(ctx, j, jobFailed, "gave up after repeated interrupted attempts", time.Time{})
	}
	var src []revisionSource
	err := s.db.Tenant(ctx, j.TenantID, func(tx *db.Tx) error {
		return tx.Raw(`SELECT r.storage_key, r.size_bytes, r.content_type, r.file_name, d.current_revision_id
			FROM document_revisions r JOIN documents d ON d.tenant_id = r.tenant_id AND d.id = r.document_id
			WHERE r.tenant_id = @tenant AND r.id = ?`, j.RevisionID).Scan(&src).Error
	})
	if err != nil {
		return fmt.Errorf("documents: read revision for extraction: %w", err)
	}
	switch {
	case len(src) == 0 || src[0].Current == nil || *src[0].Current != j.RevisionID:
		return s.finishJob(ctx, j, jobDone, "superseded", time.Time{})
	case src[0].Size > MaxExtractionInput:
		return s.finishJob(ctx, j, jobSkipped, fmt.Sprintf("file too large for extraction (%d bytes)", src[0].Size), time.Time{})
	case !mayHaveText(src[0].ContentType):
		return s.finishJob(ctx, j, jobSkipped, "no text in "+src[0].ContentType, time.Time{})
	}
	res, err := s.extractRevision(ctx, ex, &src[0])
	switch {
	case ctx.Err() != nil:
		s.releaseJobs([]extractionJob{j})
		return ctx.Err()
	case errors.Is(err, extract.ErrUnsupported):
		return s.finishJob(ctx, j, jobSkipped, err.Error(), time.Time{})
	case errors.Is(err, extract.ErrLimit):
		return s.finishJob(ctx, j, jobNotExtractable, err.Error(), time.Time{})
	case err != nil:
		if j.Attempts >= MaxExtractionAttempts {
			return s.finishJob(ctx, j, jobFailed, err.Error(), time.Time{})
		}
		return s.finishJob(ctx, j, jobPending, err.Error(), s.now().Add(extractionWait(j.Attempts)))
	}
	return s.storeText(ctx, j, res)
}

// Extraction states of a revision, as ExtractionStates reports them.
const (
	ExtractionPending        = jobPending // waiting, or waiting for another try
	ExtractionRunning        = jobRunning
	ExtractionDone           = jobDone // the text is indexed (or the revision was superseded first)
	ExtractionFailed         = jobFailed
	ExtractionSkipped        = jobSkipped        // a file type without text
	ExtractionNotExtractable = jobNotExtractable // the file exceeded a limit of the extraction sandbox
)

// ExtractionState is where the text extraction of one revision stands.
type ExtractionState struct {
	RevisionID uuid.UUID `gorm:"column:revision_id"`
	// State is one of the Extraction constants.
	State string `gorm:"column:state"`
	// Attempts counts the tries so far.
	Attempts int `gorm:"column:attempts"`
}

// ExtractionStates returns the extraction state of each revision of a
// live document the actor can read, by revision id; revisions without a
// job (none was queued) are absent.
func (s *Service) ExtractionStates(ctx context.Context, a tenant.Actor, docID uuid.UUID) (map[uuid.UUID]ExtractionState, error) {
	var rows []ExtractionState
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadDocument(tx, a, docID, live); err != nil {
			return err
		}
		return tx.Table(jobsTable).Select("revision_id, state, attempts").Where("document_id = ?", docID).Scan(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := make(map[uuid.UUID]ExtractionState, len(rows))
	for _, r := range rows {
		out[r.RevisionID] = r
	}
	return out, nil
}

// mayHaveText reports whether a revision of the stored (sniffed) media
// type can hold extractable text; other types are skipped without
// fetching their bytes (a 1 GiB binary is never downloaded for nothing).
func mayHaveText(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch {
	case ct == "application/octet-stream", ct == "application/x-gzip", ct == "application/wasm",
		strings.HasPrefix(ct, "video/"), strings.HasPrefix(ct, "audio/"), strings.HasPrefix(ct, "font/"):
		return false
	}
	return true
}

// extractionWait is the wait before attempt n+1.
func extractionWait(n int) time.Duration {
	d := extractionBackoff
	for i := 1; i < n && d < maxExtractionBackoff; i++ {
		d *= 4
	}
	return min(d, maxExtractionBackoff)
}

// extractRevision copies the revision's bytes into a temporary file
// (bounded by its recorded size) and extracts its text. The media type is
// sniffed from the bytes (the stored one cannot tell DOCX from ZIP); the
// stored one serves when sniffing finds nothing better.
func (s *Service) extractRevision(ctx context.Context, ex *extract.Extractor, src *revisionSource) (extract.Result, error) {
	f, err := os.CreateTemp(ex.Config().TempDir, "kollab-extract-*")
	if err != nil {
		return extract.Result{}, fmt.Errorf("temporary file: %w", err)
	}
	defer os.Remove(f.Name())
	rc, err := s.store.Get(ctx, src.StorageKey, 0, -1)
	if err != nil {
		f.Close()
		return extract.Result{}, fmt.Errorf("read object: %w", err)
	}
	n, err := io.Copy(f, io.LimitReader(rc, src.Size+1))
	rc.Close()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return extract.Result{}, fmt.Errorf("copy object: %w", err)
	}
	if n != src.Size {
		return extract.Result{}, fmt.Errorf("object has %d bytes, the revision %d", n, src.Size)
	}
	ct, err := extract.SniffFile(f.Name(), src.FileName)
	if err != nil || ct == extract.TypeBinary || ct == "" {
		ct = src.ContentType
	}
	return ex.Extract(ctx, f.Name(), ct)
}

// storeText stores the extracted text as the document's text, provided
// the revision is still current (else the job is done without indexing)
// and the job is still this worker's.
func (s *Service) storeText(ctx context.Context, j extractionJob, res extract.Result) error {
	text, cut := cleanText(res.Text, MaxIndexedText)
	for attempt := 0; ; attempt++ {
		err := s.db.Tenant(ctx, j.TenantID, func(tx *db.Tx) error {
			q := "SELECT current_revision_id FROM documents WHERE tenant_id = @tenant AND id = ?"
			if isPostgres(tx) {
				q += " FOR SHARE" // a concurrent metadata change waits, so neither loses the other's index
			}
			var cur []*uuid.UUID
			if err := tx.Raw(q, j.DocumentID).Scan(&cur).Error; err != nil {
				return err
			}
			now := s.now()
			n, err := exec(tx, `UPDATE extraction_jobs SET state = ?, last_error = '', updated_at = ?
				WHERE tenant_id = @tenant AND revision_id = ? AND state = ? AND attempts = ?`,
				jobDone, now, j.RevisionID, jobRunning, j.Attempts)
			if err != nil || n == 0 || len(cur) == 0 || cur[0] == nil || *cur[0] != j.RevisionID {
				return err // lease lost, or superseded: done without indexing
			}
			return upsertText(tx, j, text, res.Method, res.Truncated || cut, now)
		})
		if err == nil {
			return nil
		}
		// A text of very many distinct words can exceed PostgreSQL's
		// tsvector limit: index less of it rather than nothing.
		if attempt < 3 && strings.Contains(err.Error(), "too long for tsvector") {
			text, _ = cleanText(text, len(text)/2)
			cut = true
			continue
		}
		return fmt.Errorf("documents: store extracted text: %w", err)
	}
}

// upsertText writes the document's text row (SQLite: with its FTS rowid).
func upsertText(tx *db.Tx, j extractionJob, text, method string, truncated bool, now time.Time) error {
	set := ` ON CONFLICT (tenant_id, document_id) DO UPDATE SET revision_id = excluded.revision_id,
		content = excluded.content, method = excluded.method, truncated = excluded.truncated,
		extracted_at = excluded.extracted_at`
	var err error
	if isPostgres(tx) {
		_, err = exec(tx, `INSERT INTO document_texts (tenant_id, document_id, revision_id, content, method, truncated, extracted_at)
			VALUES (@tenant, ?, ?, ?, ?, ?, ?)`+set, j.DocumentID, j.RevisionID, text, method, truncated, now)
	} else {
		_, err = exec(tx, `INSERT INTO document_texts (tenant_id, document_id, revision_id, content, method, truncated, extracted_at, search_rowid)
			SELECT @tenant, ?, ?, ?, ?, ?, ?, s.search_rowid FROM document_search s WHERE s.tenant_id = @tenant AND s.document_id = ?`+set,
			j.DocumentID, j.RevisionID, text, method, truncated, now, j.DocumentID)
	}
	return err
}

// finishJob records a job's outcome, fenced by its claim. runAfter is the
// next attempt's time for jobPending.
func (s *Service) finishJob(ctx context.Context, j extractionJob, state, lastErr string, runAfter time.Time) error {
	if len(lastErr) > maxLastError {
		lastErr = strings.ToValidUTF8(lastErr[:maxLastError], "")
	}
	err := s.db.Tenant(ctx, j.TenantID, func(tx *db.Tx) error {
		now := s.now()
		if runAfter.IsZero() {
			runAfter = now
		}
		_, err := exec(tx, `UPDATE extraction_jobs SET state = ?, last_error = ?, run_after = ?, updated_at = ?
			WHERE tenant_id = @tenant AND revision_id = ? AND state = ? AND attempts = ?`,
			state, lastErr, runAfter, now, j.RevisionID, jobRunning, j.Attempts)
		return err
	})
	if err != nil {
		return fmt.Errorf("documents: record extraction job: %w", err)
	}
	return nil
}

// releaseJobs hands claimed jobs back (the worker is stopping): due again
// at once, the interrupted claim not counted.
func (s *Service) releaseJobs(jobs []extractionJob) {
	if len(jobs) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, j := range jobs {
		_ = s.db.Tenant(ctx, j.TenantID, func(tx *db.Tx) error {
			_, err := exec(tx, `UPDATE extraction_jobs SET state = ?, attempts = attempts - 1, run_after = ?, updated_at = ?
				WHERE tenant_id = @tenant AND revision_id = ? AND state = ? AND attempts = ?`,
				jobPending, s.now(), s.now(), j.RevisionID, jobRunning, j.Attempts)
			return err
		})
	}
}

// cleanText prepares extracted text for storage and snippets: NFC, valid
// UTF-8, no control characters but line breaks and tabs (form feeds
// between pages become line breaks; the snippet markers cannot occur),
// at most max bytes cut at a rune boundary. It reports whether it cut.
func cleanText(s string, max int) (string, bool) {
	s = norm.NFC.String(strings.ToValidUTF8(s, "\uFFFD"))
	var b strings.Builder
	b.Grow(min(len(s), max))
	cut := false
	for _, r := range s {
		switch {
		case r == '\n' || r == '\t':
		case r == '\f' || r == '\r' || r == '\v':
			r = '\n'
		case unicode.IsControl(r):
			r = ' '
		}
		if b.Len()+utf8.RuneLen(r) > max {
			cut = true
			break
		}
		b.WriteRune(r)
	}
	return b.String(), cut
}
