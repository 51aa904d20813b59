package crashtest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/kollab/kollab/tenant"
)

// maxRSSGrowth is the most a running `kollab serve` may grow while it
// extracts the bombs (issue 9: no file can grow the server).
const maxRSSGrowth = 64 << 20

// TestExtractionBombs uploads a DOCX bomb (ten million nested paragraphs in
// a small ZIP) and a PDF of 50,000 pages to a running `kollab serve` and
// measures the server process: its resident memory grows by at most 64 MiB
// (sampled VmRSS), the DOCX is not extractable and the PDF extracted within
// the limits (its text cut at what the index keeps), each after exactly one
// attempt, and neither is tried again in later worker and sweep cycles.
func TestExtractionBombs(t *testing.T) {
	ownerURL, appURL := testenv.PostgresURLs(t)
	inst := newInstance(t, ownerURL, appURL, nil)
	a := inst.app
	ctx := context.Background()
	tn, err := a.Tenants.CreateTenant(ctx, "amt-bombe", "Amt Bombe")
	must(t, err)
	admin := member(t, a, tn, tenant.RoleAdmin, "admin@bombe.example")
	member(t, a, tn, tenant.RoleStaff, "staff@bombe.example")
	folder, err := a.Documents.CreateFolder(ctx, admin, uuid.Nil, "Eingang")
	must(t, err)
	_, err = a.Documents.SetPermission(ctx, admin, folder.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
	must(t, err)

	docxBomb := nestedDOCX(t, 10_000_000)
	pdf := manyPagesPDF(50_000)
	t.Logf("DOCX bomb: %d bytes (10,000,000 nested paragraphs); PDF: %d bytes, 50,000 pages", len(docxBomb), len(pdf))

	srv, srvOut := inst.serve(t)
	pid := srv.Process.Pid
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar, Timeout: time.Minute}
	csrf := login(t, hc, inst.origin, "staff@bombe.example")
	base := inst.origin + "/api/v1/t/" + tn.Slug
	up := func(name string, body []byte) (doc, rev uuid.UUID) {
		t.Helper()
		req, _ := http.NewRequest("POST", fmt.Sprintf("%s/folders/%s/files?file_name=%s", base, folder.ID, name), bytes.NewReader(body))
		req.Header.Set("X-CSRF-Token", csrf)
		res, err := hc.Do(req)
		must(t, err)
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 201 {
			t.Fatalf("upload %s: %d %s", name, res.StatusCode, b)
		}
		var out struct {
			Document struct{ ID uuid.UUID } `json:"document"`
			Revision struct{ ID uuid.UUID } `json:"revision"`
		}
		must(t, json.Unmarshal(b, &out))
		return out.Document.ID, out.Revision.ID
	}
	// jobs reads the extraction jobs of the given revisions.
	type job struct {
		State    string `gorm:"column:state"`
		Attempts int    `gorm:"column:attempts"`
		Error    string `gorm:"column:last_error"`
	}
	jobOf := func(rev uuid.UUID) job {
		t.Helper()
		var rows []job
		must(t, a.DB.Tenant(ctx, tn.ID, func(tx *db.Tx) error {
			return tx.Table("extraction_jobs").Select("state, attempts, last_error").Where("revision_id = ?", rev).Scan(&rows).Error
		}))
		if len(rows) != 1 {
			t.Fatalf("revision %s has %d extraction jobs", rev, len(rows))
		}
		return rows[0]
	}
	// tried waits until every revision's job was tried once (or more).
	tried := func(limit time.Duration, revs ...uuid.UUID) {
		t.Helper()
		deadline := time.Now().Add(limit)
		for _, rev := range revs {
			for {
				j := jobOf(rev)
				if j.State != "running" && j.Attempts > 0 {
					break
				}
				if time.Now().After(deadline) || srv.ProcessState != nil {
					t.Fatalf("revision %s not extracted after %v: %+v\n%s", rev, limit, j, srvOut.String())
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
	}

	// Warm up: one ordinary document extracted, so that the worker and the
	// connection pools have run; then the baseline.
	_, warm := up("vermerk.docx", nestedDOCX(t, 3))
	tried(time.Minute, warm)
	time.Sleep(500 * time.Millisecond)
	before := procStatus(t, pid)
	t.Logf("kollab serve before the bombs: VmRSS %d MiB, VmHWM %d MiB", before["VmRSS"]>>20, before["VmHWM"]>>20)

	var (
		mu   sync.Mutex
		peak = before["VmRSS"]
		stop = make(chan struct{})
		done = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			case <-time.After(5 * time.Millisecond):
			}
			st, err := readStatus(pid)
			if err != nil {
				return
			}
			mu.Lock()
			peak = max(peak, st["VmRSS"])
			mu.Unlock()
		}
	}()

	docxDoc, docxRev := up("bombe.docx", docxBomb)
	pdfDoc, pdfRev := up("seiten.pdf", pdf)
	tried(4*time.Minute, docxRev, pdfRev)
	close(stop)
	<-done
	after := procStatus(t, pid)
	mu.Lock()
	growth := peak - before["VmRSS"]
	mu.Unlock()
	t.Logf("kollab serve during the bombs: peak VmRSS %d MiB (+%d MiB); VmHWM %d → %d MiB",
		peak>>20, growth>>20, before["VmHWM"]>>20, after["VmHWM"]>>20)
	if growth > maxRSSGrowth {
		t.Errorf("kollab serve grew by %d MiB while extracting the bombs (at most %d MiB)", growth>>20, maxRSSGrowth>>20)
	}

	check := func(when string) {
		t.Helper()
		if j := jobOf(docxRev); j.State != "not_extractable" || j.Attempts != 1 {
			t.Errorf("%s: DOCX bomb's job %+v, want not_extractable after 1 attempt", when, j)
		}
		if j := jobOf(pdfRev); j.State != "done" || j.Attempts != 1 {
			t.Errorf("%s: 50,000-page PDF's job %+v, want done after 1 attempt", when, j)
		}
	}
	check("after the first attempt")
	if t.Failed() {
		return
	}
	var text struct {
		Content   string `gorm:"column:content"`
		Truncated bool   `gorm:"column:truncated"`
	}
	must(t, a.DB.Tenant(ctx, tn.ID, func(tx *db.Tx) error {
		return tx.Table("document_texts").Select("content, truncated").Where("document_id = ?", pdfDoc).Scan(&text).Error
	}))
	if !text.Truncated || !strings.Contains(text.Content, "Volltextsuche") || len(text.Content) > documents.MaxIndexedText {
		t.Errorf("PDF text: truncated=%v, %d bytes", text.Truncated, len(text.Content))
	}

	// The revision history shows the state.
	for doc, want := range map[uuid.UUID]string{docxDoc: "not_extractable", pdfDoc: "done"} {
		res, err := hc.Get(fmt.Sprintf("%s/documents/%s/revisions", base, doc))
		must(t, err)
		var out struct {
			Revisions []struct {
				Extraction string `json:"extraction"`
			} `json:"revisions"`
		}
		must(t, json.NewDecoder(res.Body).Decode(&out))
		res.Body.Close()
		if len(out.Revisions) != 1 || out.Revisions[0].Extraction != want {
			t.Errorf("revision history of %s: %+v, want extraction %q", doc, out.Revisions, want)
		}
	}

	// More worker cycles (every 2 s) and a sweep: nothing is tried again.
	time.Sleep(7 * time.Second)
	sweep := exec.Command(inst.bin, "documents", "sweep")
	sweep.Env = inst.environ
	if b, err := sweep.CombinedOutput(); err != nil {
		t.Fatalf("documents sweep: %v\n%s", err, b)
	}
	time.Sleep(3 * time.Second)
	check("after more worker cycles and a sweep")
}

// procStatus reads the memory figures of a process, in bytes.
func procStatus(t *testing.T, pid int) map[string]int64 {
	t.Helper()
	st, err := readStatus(pid)
	must(t, err)
	return st
}

func readStatus(pid int) (map[string]int64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || !strings.HasPrefix(k, "Vm") {
			continue
		}
		f := strings.Fields(v) // "123456 kB"
		if len(f) == 2 && f[1] == "kB" {
			if n, err := strconv.ParseInt(f[0], 10, 64); err == nil {
				out[k] = n << 10
			}
		}
	}
	if out["VmRSS"] == 0 {
		return nil, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
	}
	return out, sc.Err()
}

// nestedDOCX is a Word document whose body is depth paragraphs, each inside
// the one before: ten million compress to about 100 KB.
func nestedDOCX(t *testing.T, depth int) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	ct, err := zw.Create("[Content_Types].xml")
	must(t, err)
	_, err = io.WriteString(ct, `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="xml" ContentType="application/xml"/>`+
		`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)
	must(t, err)
	doc, err := zw.Create("word/document.xml")
	must(t, err)
	w := bufio.NewWriterSize(doc, 1<<20)
	w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	for range depth {
		w.WriteString("<w:p>")
	}
	w.WriteString("<w:r><w:t>Vermerk</w:t></w:r>")
	for range depth {
		w.WriteString("</w:p>")
	}
	w.WriteString("</w:body></w:document>")
	must(t, w.Flush())
	must(t, zw.Close())
	return b.Bytes()
}

// manyPagesPDF writes a PDF of n pages that share one content stream and one
// font: a page tree of up to 1000 pages per node, each page a small object.
func manyPagesPDF(n int) []byte {
	var b bytes.Buffer
	var offsets []int
	obj := func(body string) int {
		offsets = append(offsets, b.Len())
		num := len(offsets)
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", num, body)
		return num
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	const perNode = 1000
	nodes := (n + perNode - 1) / perNode
	// Numbers: 1 catalog, 2 root node, 3 font, 4 content, then the nodes,
	// then the pages.
	firstNode := 5
	firstPage := firstNode + nodes
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	var kids strings.Builder
	for i := range nodes {
		fmt.Fprintf(&kids, "%d 0 R ", firstNode+i)
	}
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", kids.String(), n))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	content := "BT /F1 12 Tf 72 760 Td (Kollab Testseite fuer die Volltextsuche im Amt) Tj ET"
	obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	for i := range nodes {
		kids.Reset()
		count := min(perNode, n-i*perNode)
		for j := range count {
			fmt.Fprintf(&kids, "%d 0 R ", firstPage+i*perNode+j)
		}
		obj(fmt.Sprintf("<< /Type /Pages /Parent 2 0 R /Kids [%s] /Count %d >>", kids.String(), count))
	}
	for i := range n {
		obj(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>",
			firstNode+i/perNode))
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offsets)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offsets)+1, xref)
	return b.Bytes()
}
