package documents_test

import (
	"archive/zip"
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/tenant"
)

// jobState is an extraction job as stored.
type jobState struct {
	State     string    `gorm:"column:state"`
	Attempts  int       `gorm:"column:attempts"`
	RunAfter  time.Time `gorm:"column:run_after"`
	LastError string    `gorm:"column:last_error"`
}

// jobsOf returns the extraction jobs of a document, oldest revision first.
func (w *world) jobsOf(t *testing.T, tenantID, docID uuid.UUID) []jobState {
	t.Helper()
	var out []jobState
	must(t, w.d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		return tx.Table("extraction_jobs").Select("extraction_jobs.state, extraction_jobs.attempts, extraction_jobs.run_after, extraction_jobs.last_error").
			Joins("JOIN document_revisions r ON r.tenant_id = extraction_jobs.tenant_id AND r.id = extraction_jobs.revision_id").
			Where("extraction_jobs.document_id = ?", docID).Order("r.number").Scan(&out).Error
	}))
	return out
}

// textOf returns the stored text and method of a document ("" when none).
func (w *world) textOf(t *testing.T, tenantID, docID uuid.UUID) (content, method string) {
	t.Helper()
	var rows []struct {
		Content string `gorm:"column:content"`
		Method  string `gorm:"column:method"`
	}
	must(t, w.d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		return tx.Table("document_texts").Select("content, method").Where("document_id = ?", docID).Scan(&rows).Error
	}))
	if len(rows) == 0 {
		return "", ""
	}
	return rows[0].Content, rows[0].Method
}

// fileDoc creates a document with one revision of the given bytes.
func (w *world) fileDoc(t *testing.T, a tenant.Actor, folder uuid.UUID, title, name string, data []byte) uuid.UUID {
	t.Helper()
	up, body := upload(name, data)
	doc, _, err := w.svc.CreateDocumentWithRevision(ctx, a, folder, documents.DocumentInput{Title: title}, up, body)
	must(t, err)
	return doc.ID
}

// buildDOCX writes a minimal Word document with one paragraph per string.
func buildDOCX(t testing.TB, paragraphs ...string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paragraphs {
		fmt.Fprintf(&body, `<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, p)
	}
	return docxOf(t, body.String())
}

// docxOf writes a minimal Word document whose body is the given markup.
func docxOf(t testing.TB, body string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, e := range []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
			`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body + `</w:body></w:document>`},
	} {
		f, err := zw.Create(e.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// buildPDF writes a one-page A4 PDF: text lines in Helvetica (ASCII only),
// or, when img is set, only that image over the whole page (a scan).
func buildPDF(t testing.TB, lines []string, img *image.Gray) []byte {
	t.Helper()
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"", // page
		"", // contents
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var content strings.Builder
	res := "/Font << /F1 5 0 R >>"
	if img != nil {
		b := img.Bounds()
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		for y := b.Min.Y; y < b.Max.Y; y++ {
			off := img.PixOffset(b.Min.X, y)
			if _, err := zw.Write(img.Pix[off : off+b.Dx()]); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		objs = append(objs, fmt.Sprintf("<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "+
			"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream", b.Dx(), b.Dy(), z.Len(), z.String()))
		res += " /XObject << /Im1 6 0 R >>"
		content.WriteString("q 595 0 0 842 0 0 cm /Im1 Do Q\n")
	} else {
		content.WriteString("BT /F1 22 Tf 30 TL 50 780 Td\n")
		for _, l := range lines {
			fmt.Fprintf(&content, "(%s) Tj T*\n", l)
		}
		content.WriteString("ET\n")
	}
	objs[2] = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << " + res + " >> /Contents 4 0 R >>"
	objs[3] = fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", content.Len(), content.String())
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

// scannedPDF prints lines into a PDF, renders the page with pdftoppm, and
// wraps the picture into an image-only PDF: what a scanner makes.
func scannedPDF(t testing.TB, lines ...string) []byte {
	t.Helper()
	dir := t.TempDir()
	in := filepath.Join(dir, "print.pdf")
	if err := os.WriteFile(in, buildPDF(t, lines, nil), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", in, filepath.Join(dir, "scan")).CombinedOutput()
	if err != nil {
		t.Fatalf("pdftoppm (install poppler-utils): %v: %s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "scan.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pic, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	gray := image.NewGray(pic.Bounds())
	draw.Draw(gray, gray.Bounds(), pic, pic.Bounds().Min, draw.Src)
	return buildPDF(t, nil, gray)
}

func TestExtractionWorker(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		ex := newExtractor(t)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")

		txt := w.fileDoc(t, ag.admin, root.ID, "Aktenvermerk", "vermerk.txt", []byte("Aktenvermerk zur Ortsbegehung am Dienstag."))
		docx := w.fileDoc(t, ag.admin, root.ID, "Stellungnahme", "stellungnahme.docx",
			buildDOCX(t, "Stellungnahme der Denkmalschutzbehörde", "Die Genehmigung wird erteilt."))
		binary := w.fileDoc(t, ag.admin, root.ID, "Binärdatei", "daten.bin", []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0, 7})
		broken := w.fileDoc(t, ag.admin, root.ID, "Kaputt", "kaputt.pdf", []byte("%PDF-1.4\nkein gültiges PDF\n"))
		superseded := w.fileDoc(t, ag.admin, root.ID, "Satzung", "satzung.txt", []byte("Altfassung der Satzung"))
		up, body := upload("satzung.txt", []byte("Neufassung der Satzung"))
		_, _, err := w.svc.AddRevision(ctx, ag.admin, superseded, up, body)
		must(t, err)
		other := w.fileDoc(t, w.b.admin, w.folder(t, w.b.admin, uuid.Nil, "Akten").ID, "Fremd", "fremd.txt", []byte("Ortsbegehung im anderen Amt"))

		n, err := w.svc.RunExtraction(ctx, ex, 100)
		must(t, err)
		if n != 7 {
			t.Fatalf("processed %d jobs, want 7", n)
		}
		if n, err := w.svc.RunExtraction(ctx, ex, 100); err != nil || n != 0 {
			t.Fatalf("second run: %d, %v", n, err)
		}
		for _, c := range []struct {
			doc            uuid.UUID
			tenant         uuid.UUID
			states         []string
			method, phrase string
		}{
			{txt, ag.tenant.ID, []string{"done"}, "plain", "Ortsbegehung am Dienstag"},
			{docx, ag.tenant.ID, []string{"done"}, "docx", "Denkmalschutzbehörde"},
			{binary, ag.tenant.ID, []string{"skipped"}, "", ""},
			{broken, ag.tenant.ID, []string{"pending"}, "", ""},
			{superseded, ag.tenant.ID, []string{"done", "done"}, "plain", "Neufassung"},
			{other, w.b.tenant.ID, []string{"done"}, "plain", "anderen Amt"},
		} {
			jobs := w.jobsOf(t, c.tenant, c.doc)
			if len(jobs) != len(c.states) {
				t.Fatalf("%s: %d jobs", c.doc, len(jobs))
			}
			for i, j := range jobs {
				if j.State != c.states[i] {
					t.Fatalf("%s: job %d is %+v, want %s", c.doc, i, j, c.states[i])
				}
			}
			content, method := w.textOf(t, c.tenant, c.doc)
			if method != c.method || !strings.Contains(content, c.phrase) {
				t.Fatalf("%s: text %q by %q, want %q by %q", c.doc, content, method, c.phrase, c.method)
			}
		}
		if j := w.jobsOf(t, ag.tenant.ID, binary)[0]; !strings.Contains(j.LastError, "no text in application/octet-stream") {
			t.Fatalf("skipped job: %+v", j)
		}

		q := func(text string) []documents.SearchHit {
			return w.search(t, ag.admin, documents.SearchQuery{Text: text})
		}
		sameSet(t, "txt", q("Ortsbegehung"), txt)
		sameSet(t, "docx", q("Denkmalschutz"), docx)
		sameSet(t, "docx inflection", q("Genehmigungen"), docx)
		sameSet(t, "superseded text", q("Altfassung"))
		sameSet(t, "current text", q("Neufassung"), superseded)

		// The broken PDF is retried with a growing wait, then given up.
		j := w.jobsOf(t, ag.tenant.ID, broken)[0]
		if j.Attempts != 1 || !j.RunAfter.After(w.clock.Now()) || j.LastError == "" {
			t.Fatalf("failed job: %+v", j)
		}
		wait := j.RunAfter.Sub(w.clock.Now())
		for attempt := 2; attempt <= documents.MaxExtractionAttempts; attempt++ {
			w.clock.Advance(wait + time.Second)
			if n, err := w.svc.RunExtraction(ctx, ex, 10); err != nil || n != 1 {
				t.Fatalf("attempt %d: %d, %v", attempt, n, err)
			}
			j = w.jobsOf(t, ag.tenant.ID, broken)[0]
			if j.Attempts != attempt {
				t.Fatalf("attempt %d: %+v", attempt, j)
			}
			if attempt < documents.MaxExtractionAttempts {
				next := j.RunAfter.Sub(w.clock.Now())
				if j.State != "pending" || next <= wait {
					t.Fatalf("attempt %d: %+v, wait %v after %v", attempt, j, next, wait)
				}
				wait = next
			}
		}
		if j.State != "failed" {
			t.Fatalf("after %d attempts: %+v", documents.MaxExtractionAttempts, j)
		}
		w.clock.Advance(24 * time.Hour)
		if n, err := w.svc.RunExtraction(ctx, ex, 10); err != nil || n != 0 {
			t.Fatalf("failed job ran again: %d, %v", n, err)
		}

		// A job whose worker died (running, lease over) is taken over.
		lost := w.fileDoc(t, ag.admin, root.ID, "Verwaist", "verwaist.txt", []byte("Verwaister Auftrag Lärmschutz"))
		must(t, w.d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("extraction_jobs").Where("document_id = ?", lost).
				Updates(map[string]any{"state": "running", "attempts": 1, "run_after": w.clock.Now().Add(time.Hour)}).Error
		}))
		if n, err := w.svc.RunExtraction(ctx, ex, 10); err != nil || n != 0 {
			t.Fatalf("leased job taken: %d, %v", n, err)
		}
		w.clock.Advance(time.Hour + time.Second)
		if n, err := w.svc.RunExtraction(ctx, ex, 10); err != nil || n != 1 {
			t.Fatalf("expired lease: %d, %v", n, err)
		}
		if j := w.jobsOf(t, ag.tenant.ID, lost)[0]; j.State != "done" || j.Attempts != 2 {
			t.Fatalf("taken-over job: %+v", j)
		}
		sameSet(t, "taken over", q("Lärmschutz"), lost)

		// A trashed document keeps its text (it may come back); a purged one
		// leaves no text and no job behind.
		must(t, w.svc.DeleteDocument(ctx, ag.admin, txt, 0))
		sameSet(t, "trashed", q("Ortsbegehung"))
		if c, _ := w.textOf(t, ag.tenant.ID, txt); c == "" {
			t.Fatal("trashing dropped the text")
		}
		_, err = w.svc.PurgeDocument(ctx, ag.admin, txt)
		must(t, err)
		if c, _ := w.textOf(t, ag.tenant.ID, txt); c != "" || len(w.jobsOf(t, ag.tenant.ID, txt)) != 0 {
			t.Fatal("purge left text or jobs")
		}
	})
}

// Several workers at once process every job exactly once.
func TestExtractionConcurrentWorkers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		ex := newExtractor(t)
		root := w.folder(t, w.a.admin, uuid.Nil, "Akten")
		const docs = 12
		for i := range docs {
			w.fileDoc(t, w.a.admin, root.ID, fmt.Sprintf("Vermerk %d", i), "v.txt", []byte(fmt.Sprintf("Vermerk Nummer %d Gleichzeitigkeit", i)))
		}
		var mu sync.Mutex
		total := 0
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					n, err := w.svc.RunExtraction(ctx, ex, 2)
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					total += n
					mu.Unlock()
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		if total != docs {
			t.Fatalf("workers processed %d jobs, want %d", total, docs)
		}
		var attempts []int
		must(t, d.Tenant(ctx, w.a.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("extraction_jobs").Where("state = ?", "done").Pluck("attempts", &attempts).Error
		}))
		if len(attempts) != docs {
			t.Fatalf("%d jobs done, want %d", len(attempts), docs)
		}
		for _, a := range attempts {
			if a != 1 {
				t.Fatalf("a job was claimed %d times", a)
			}
		}
		res, err := w.svc.Search(ctx, w.a.admin, documents.SearchQuery{Text: "Gleichzeitigkeit", Limit: 50})
		must(t, err)
		if len(res.Hits) != docs {
			t.Fatalf("%d hits", len(res.Hits))
		}
	})
}

// The case: a scanned (image-only) PDF is found by its words.
func TestExtractionScannedPDF(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		root := w.folder(t, w.a.admin, uuid.Nil, "Akten")
		scan := scannedPDF(t, "Stadt Musterhausen", "Sondernutzungserlaubnis", "fuer den Wochenmarkt")
		id := w.fileDoc(t, w.a.admin, root.ID, "Scan 0815", "scan.pdf", scan)
		w.extractAll(t, newExtractor(t))
		content, method := w.textOf(t, w.a.tenant.ID, id)
		if method != "ocr" {
			t.Fatalf("method %q, text %q, jobs %+v", method, content, w.jobsOf(t, w.a.tenant.ID, id))
		}
		for _, term := range []string{"Sondernutzungserlaubnis", "Wochenmarkt", "Erlaubnis"} {
			sameSet(t, term, w.search(t, w.a.admin, documents.SearchQuery{Text: term}), id)
		}
	})
}

// StartExtraction works in the background and stops with its context.
func TestStartExtraction(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		root := w.folder(t, w.a.admin, uuid.Nil, "Akten")
		wctx, cancel := context.WithCancel(ctx)
		done := w.svc.StartExtraction(wctx, newExtractor(t), 20*time.Millisecond, nil)
		id := w.fileDoc(t, w.a.admin, root.ID, "Hintergrund", "h.txt", []byte("Hintergrundverarbeitung läuft"))
		deadline := time.Now().Add(30 * time.Second)
		for {
			res, err := w.svc.Search(ctx, w.a.admin, documents.SearchQuery{Text: "Hintergrundverarbeitung"})
			must(t, err)
			if len(res.Hits) == 1 && res.Hits[0].DocumentID == id {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the background worker did not index the document")
			}
			time.Sleep(20 * time.Millisecond)
		}
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("the worker did not stop")
		}
	})
}

// A file that exceeds a limit of the extraction (here: a DOCX of paragraphs
// nested 200,000 deep) is not_extractable after one attempt and never tried
// again; the revision history says so.
func TestExtractionNotExtractable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		ex := newExtractor(t)
		root := w.folder(t, w.a.admin, uuid.Nil, "Akten")
		bomb := w.fileDoc(t, w.a.admin, root.ID, "Bombe", "bombe.docx",
			docxOf(t, strings.Repeat("<w:p>", 200_000)+strings.Repeat("</w:p>", 200_000)))
		fine := w.fileDoc(t, w.a.admin, root.ID, "Vermerk", "vermerk.txt", []byte("Aktenvermerk zur Ortsbegehung"))

		if n, err := w.svc.RunExtraction(ctx, ex, 10); err != nil || n != 2 {
			t.Fatalf("first run: %d, %v", n, err)
		}
		for range 3 {
			w.clock.Advance(24 * time.Hour)
			if n, err := w.svc.RunExtraction(ctx, ex, 10); err != nil || n != 0 {
				t.Fatalf("a not extractable job ran again: %d, %v", n, err)
			}
		}
		j := w.jobsOf(t, w.a.tenant.ID, bomb)
		if len(j) != 1 || j[0].State != documents.ExtractionNotExtractable || j[0].Attempts != 1 || !strings.Contains(j[0].LastError, "limit exceeded") {
			t.Fatalf("bomb: jobs %+v, want one not_extractable after 1 attempt", j)
		}
		if c, _ := w.textOf(t, w.a.tenant.ID, bomb); c != "" {
			t.Fatalf("bomb has text %q", c)
		}
		states, err := w.svc.ExtractionStates(ctx, w.a.admin, bomb)
		must(t, err)
		if len(states) != 1 {
			t.Fatalf("states %+v", states)
		}
		for _, st := range states {
			if st.State != documents.ExtractionNotExtractable || st.Attempts != 1 {
				t.Fatalf("state %+v", st)
			}
		}
		if j := w.jobsOf(t, w.a.tenant.ID, fine); len(j) != 1 || j[0].State != documents.ExtractionDone {
			t.Fatalf("plain text: %+v", j)
		}
		// Another tenant's member sees nothing of the document.
		if _, err := w.svc.ExtractionStates(ctx, w.b.admin, bomb); err == nil {
			t.Fatal("another tenant read the extraction states")
		}
	})
}
