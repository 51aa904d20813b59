package meetings_test

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/documents/extract"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/tenant"
)

// minutesFix is a closed meeting with a record worth minuting: a public
// item with a session paper, a post and a named poll; a non-public item
// with a conflict and a secret poll; an item without a poll. folder is
// where the chair (staff) may file documents.
type minutesFix struct {
	meeting              *meetings.Meeting
	named, secret, plain *meetings.AgendaItem
	folder               *documents.Folder
}

func (w *world) minutesFixture(t *testing.T, ag *agency) *minutesFix {
	t.Helper()
	f := &minutesFix{}
	now := w.clock.Now()
	var err error
	f.meeting, err = w.svc.CreateMeeting(ctx, ag.chair, ag.committee.ID, meetings.MeetingInput{Title: "Öffentliche Sitzung März",
		StartsAt: now, EndsAt: now.Add(3 * time.Hour), Place: "Rathaus, großer Saal"})
	must(t, err)
	f.named, err = w.svc.AddAgendaItem(ctx, ag.chair, f.meeting.ID, meetings.AgendaItemInput{Title: "Bebauungsplan Nord – Änderung",
		Description: "Änderung des Bebauungsplans für das Gebiet nördlich der Brückenstraße.", Public: true})
	must(t, err)
	f.secret, err = w.svc.AddAgendaItem(ctx, ag.chair, f.meeting.ID, meetings.AgendaItemInput{Title: "Personalangelegenheit Straßenmeisterei"})
	must(t, err)
	f.plain, err = w.svc.AddAgendaItem(ctx, ag.chair, f.meeting.ID, meetings.AgendaItemInput{Title: "Verschiedenes", Public: true})
	must(t, err)
	papers, err := w.docs.CreateFolder(ctx, ag.admin, uuid.Nil, "Sitzungsunterlagen")
	must(t, err)
	body := "Lageplan"
	doc, _, err := w.docs.CreateDocumentWithRevision(ctx, ag.admin, papers.ID, documents.DocumentInput{Title: "Lageplan Nördlicher Bereich"},
		documents.Upload{FileName: "lageplan.txt", Size: int64(len(body))}, strings.NewReader(body))
	must(t, err)
	_, err = w.svc.AttachPaper(ctx, ag.admin, f.named.ID, doc.ID)
	must(t, err)
	for _, to := range []meetings.MeetingState{meetings.Invited, meetings.InSession} {
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, f.meeting.ID, to)
		must(t, err)
	}
	for _, p := range []tenant.Actor{ag.chair, ag.secretary, ag.alice, ag.bob, ag.carol} {
		_, err = w.svc.SetAttendance(ctx, ag.secretary, f.meeting.ID, p.MembershipID, meetings.Present)
		must(t, err)
	}
	_, err = w.svc.SetAttendance(ctx, ag.secretary, f.meeting.ID, ag.adv.MembershipID, meetings.Excused)
	must(t, err)
	_, err = w.svc.AddPost(ctx, ag.alice, f.named.ID, "Ich befürworte die Änderung; die Grünfläche bleibt erhalten.")
	must(t, err)
	_, err = w.svc.DeclareConflict(ctx, ag.carol, f.secret.ID, ag.carol.MembershipID, "Verwandtschaft")
	must(t, err)

	named := w.openPoll(t, ag, f.named.ID, meetings.Named, nil)
	must(t, w.cast(ag.alice, named.ID, meetings.Yes))
	must(t, w.cast(ag.bob, named.ID, meetings.No))
	must(t, w.cast(ag.carol, named.ID, meetings.Yes))
	_, err = w.svc.ClosePoll(ctx, ag.chair, named.ID)
	must(t, err)
	secret := w.openPoll(t, ag, f.secret.ID, meetings.Secret, &meetings.Rule{Majority: meetings.TwoThirds, Base: meetings.BaseCast})
	must(t, w.cast(ag.alice, secret.ID, meetings.Yes))
	must(t, w.cast(ag.bob, secret.ID, meetings.Yes))
	must(t, w.cast(ag.chair, secret.ID, meetings.Abstain))
	_, err = w.svc.ClosePoll(ctx, ag.chair, secret.ID)
	must(t, err)
	w.clock.Advance(2 * time.Hour)

	f.folder, err = w.docs.CreateFolder(ctx, ag.admin, uuid.Nil, "Niederschriften")
	must(t, err)
	_, err = w.docs.SetPermission(ctx, ag.admin, f.folder.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Write)
	must(t, err)
	return f
}

// pdfText extracts a PDF's text with the repository's extractor (pdftotext).
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", data[:min(len(data), 20)])
	}
	path := filepath.Join(t.TempDir(), "doc.pdf")
	must(t, os.WriteFile(path, data, 0o600))
	ex, err := extract.New(extract.Config{MaxOCRPages: -1})
	must(t, err)
	res, err := ex.Extract(ctx, path, "application/pdf")
	must(t, err)
	// Lines wrap where the layout says: compare words, not lines.
	return strings.Join(strings.Fields(res.Text), " ")
}

func wantText(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(text, p) {
			t.Errorf("%s lacks %q:\n%s", what, p, text)
		}
	}
}

func refuseText(t *testing.T, what, text string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(text, p) {
			t.Errorf("%s contains %q", what, p)
		}
	}
}

// The draft is made from the record: header, attendance, quorum, the
// accepted items in order with papers, conflicts, discussion and polls
// with counts, verdicts and (named polls only) who voted how.
func TestMinutesDraftFromRecord(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		f := w.minutesFixture(t, ag)
		_, err := w.svc.Minutes(ctx, ag.secretary, f.meeting.ID)
		wantCode(t, err, errs.Conflict, "minutes of a meeting in session")
		_, err = w.svc.AdvanceMeeting(ctx, ag.chair, f.meeting.ID, meetings.Closed)
		must(t, err)

		_, err = w.svc.Minutes(ctx, ag.alice, f.meeting.ID)
		wantCode(t, err, errs.Forbidden, "a member reads the draft")
		_, err = w.svc.Minutes(ctx, ag.outsider, f.meeting.ID)
		wantCode(t, err, errs.NotFound, "an outsider reads the minutes")
		mn, err := w.svc.Minutes(ctx, ag.secretary, f.meeting.ID)
		must(t, err)
		if mn.State != meetings.DraftMinutes || mn.Version != 1 || !mn.CanEdit || mn.CanApprove || len(mn.Filings) != 0 {
			t.Fatalf("draft: %+v", mn)
		}
		again, err := w.svc.Minutes(ctx, ag.chair, f.meeting.ID)
		must(t, err)
		if again.ID != mn.ID || !again.CanApprove {
			t.Fatalf("second read made new minutes or cannot approve: %+v", again)
		}
		c := mn.Content
		h := c.Header
		if h.CommitteeName != "Bauausschuss" || h.MeetingTitle != "Öffentliche Sitzung März" || h.Place != "Rathaus, großer Saal" ||
			h.OpenedAt == nil || h.ClosedAt == nil || len(h.Chairs) != 1 || h.Chairs[0].MembershipID != ag.chair.MembershipID ||
			len(h.Secretaries) != 1 || h.Secretaries[0].MembershipID != ag.secretary.MembershipID || h.Chairs[0].Name == "" {
			t.Fatalf("header: %+v", h)
		}
		status := map[uuid.UUID]meetings.AttendanceStatus{}
		for _, at := range c.Attendance {
			status[at.MembershipID] = at.Status
			if at.Status == meetings.Present && (at.ArrivedAt == nil || at.DepartedAt == nil) {
				t.Errorf("present without arrival and departure: %+v", at)
			}
		}
		if len(c.Attendance) != 6 || status[ag.alice.MembershipID] != meetings.Present || status[ag.adv.MembershipID] != meetings.Excused ||
			status[ag.chair.MembershipID] != meetings.Present || c.Attendance[0].MembershipID != ag.chair.MembershipID {
			t.Fatalf("attendance: %+v", c.Attendance)
		}
		// Voting: chair 1, alice 1, bob 1, carol 3; all present.
		if q := c.Quorum; q.Members != 4 || q.MembersWeight != 6 || q.Present != 4 || q.PresentWeight != 6 || !q.Reached {
			t.Fatalf("quorum: %+v", q)
		}
		if len(c.Items) != 3 || c.Items[0].Number != 1 || c.Items[1].Number != 2 || c.Items[2].Number != 3 ||
			c.Items[0].AgendaItemID != f.named.ID || !c.Items[0].Public || c.Items[1].Public {
			t.Fatalf("items: %+v", c.Items)
		}
		it := c.Items[0]
		if len(it.Papers) != 1 || it.Papers[0].Title != "Lageplan Nördlicher Bereich" || it.Papers[0].RevisionNumber != 1 {
			t.Fatalf("papers: %+v", it.Papers)
		}
		if !strings.Contains(it.Summary, "Ich befürworte die Änderung") || !strings.Contains(it.Summary, ": ") {
			t.Fatalf("summary: %q", it.Summary)
		}
		if len(it.Polls) != 1 {
			t.Fatalf("polls: %+v", it.Polls)
		}
		p := it.Polls[0]
		if p.Kind != meetings.Named || p.Ballots != 3 || p.Yes != 4 || p.No != 1 || !p.Passed || p.Verdict != "angenommen" ||
			len(p.NamedVotes) != 3 || p.QuorumReached == nil || !*p.QuorumReached {
			t.Fatalf("named poll: %+v", p)
		}
		votes := map[uuid.UUID]string{}
		for _, v := range p.NamedVotes {
			votes[v.MembershipID] = v.Choice
		}
		if votes[ag.alice.MembershipID] != meetings.Yes || votes[ag.bob.MembershipID] != meetings.No || votes[ag.carol.MembershipID] != meetings.Yes {
			t.Fatalf("named votes: %+v", p.NamedVotes)
		}
		it = c.Items[1]
		if len(it.Conflicts) != 1 || it.Conflicts[0].MembershipID != ag.carol.MembershipID || it.Conflicts[0].Reason != "Verwandtschaft" {
			t.Fatalf("conflicts: %+v", it.Conflicts)
		}
		p = it.Polls[0]
		if p.Kind != meetings.Secret || p.Ballots != 3 || p.Yes != 2 || p.Abstain != 1 || !p.Passed || p.Verdict != "angenommen" ||
			len(p.NamedVotes) != 0 || p.Rule.Majority != meetings.TwoThirds {
			t.Fatalf("secret poll: %+v", p)
		}
		if len(c.Items[2].Polls) != 0 || c.Items[2].Summary != "" {
			t.Fatalf("item without poll: %+v", c.Items[2])
		}

		// The draft as PDF: marked as a draft, for managers only.
		_, err = w.svc.MinutesPDF(ctx, ag.alice, f.meeting.ID, false)
		wantCode(t, err, errs.Forbidden, "a member downloads the draft")
		pdf, err := w.svc.MinutesPDF(ctx, ag.secretary, f.meeting.ID, false)
		must(t, err)
		if pdf.Approved || !strings.Contains(pdf.FileName, "Entwurf") {
			t.Fatalf("draft pdf: %+v", pdf.FileName)
		}
		wantText(t, "draft pdf", pdfText(t, pdf.Data), "ENTWURF", "Bauausschuss", "Bebauungsplan Nord – Änderung")
		_, err = w.svc.DecisionExtractPDF(ctx, ag.chair, f.named.ID)
		wantCode(t, err, errs.Conflict, "extract before approval")
	})
}

// The secretary edits the draft under optimistic concurrency; only the
// chair approves; approval files the PDF as a document revision, moves the
// meeting on and freezes the minutes.
func TestMinutesEditApproveFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		f := w.minutesFixture(t, ag)
		_, err := w.svc.AdvanceMeeting(ctx, ag.chair, f.meeting.ID, meetings.Closed)
		must(t, err)
		mn, err := w.svc.Minutes(ctx, ag.secretary, f.meeting.ID)
		must(t, err)

		pre := "Die Vorsitzende eröffnet die Sitzung um 9 Uhr und stellt die ordnungsgemäße Ladung fest."
		summary := "Ausführliche Aussprache über Größe und Maß der Bebauung."
		decision := "Der Bauausschuss stimmt der Änderung des Bebauungsplans Nord zu."
		edit := meetings.MinutesEdit{Preamble: &pre, Items: []meetings.MinutesItemEdit{{AgendaItemID: f.named.ID, Summary: &summary, Decision: &decision}}}
		_, err = w.svc.UpdateMinutes(ctx, ag.alice, f.meeting.ID, mn.Version, edit)
		wantCode(t, err, errs.Forbidden, "a member edits")
		_, err = w.svc.UpdateMinutes(ctx, ag.secretary, f.meeting.ID, 0, edit)
		wantCode(t, err, errs.Invalid, "edit without a version")
		bad := meetings.MinutesEdit{Items: []meetings.MinutesItemEdit{{AgendaItemID: uuid.New(), Summary: &summary}}}
		_, err = w.svc.UpdateMinutes(ctx, ag.secretary, f.meeting.ID, mn.Version, bad)
		wantCode(t, err, errs.Invalid, "edit of an unknown item")
		long := strings.Repeat("ä", meetings.MaxMinutesTextLen+1)
		_, err = w.svc.UpdateMinutes(ctx, ag.secretary, f.meeting.ID, mn.Version, meetings.MinutesEdit{Closing: &long})
		wantCode(t, err, errs.Invalid, "too long a text")
		edited, err := w.svc.UpdateMinutes(ctx, ag.secretary, f.meeting.ID, mn.Version, edit)
		must(t, err)
		if edited.Version != mn.Version+1 || edited.Content.Preamble != pre || edited.Content.Items[0].Summary != summary ||
			edited.Content.Items[0].Decision != decision || edited.Content.Items[1].Summary != mn.Content.Items[1].Summary {
			t.Fatalf("edited: %+v", edited.Content)
		}
		closing := "Ende der Sitzung."
		_, err = w.svc.UpdateMinutes(ctx, ag.secretary, f.meeting.ID, mn.Version, meetings.MinutesEdit{Closing: &closing})
		wantCode(t, err, errs.PreconditionFailed, "lost update")

		// Approval: the chair only, of the version read, into a folder the chair may write to.
		for name, a := range map[string]tenant.Actor{"secretary": ag.secretary, "admin": ag.admin, "member": ag.alice} {
			_, err = w.svc.ApproveMinutes(ctx, a, f.meeting.ID, edited.Version, f.folder.ID)
			wantCode(t, err, errs.Forbidden, "approval by the "+name)
		}
		_, err = w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, mn.Version, f.folder.ID)
		wantCode(t, err, errs.PreconditionFailed, "approval of a stale version")
		_, err = w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, edited.Version, uuid.New())
		wantCode(t, err, errs.NotFound, "approval into an unknown folder")
		readOnly, err := w.docs.CreateFolder(ctx, ag.admin, uuid.Nil, "Nur lesen")
		must(t, err)
		_, err = w.docs.SetPermission(ctx, ag.admin, readOnly.ID, documents.RolePrincipal(tenant.RoleStaff), documents.Read)
		must(t, err)
		_, err = w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, edited.Version, readOnly.ID)
		wantCode(t, err, errs.Forbidden, "approval into a read-only folder")
		if m, err := w.svc.GetMeeting(ctx, ag.chair, f.meeting.ID); err != nil || m.State != meetings.Closed {
			t.Fatalf("a refused approval changed the meeting: %+v %v", m, err)
		}

		ap, err := w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, edited.Version, f.folder.ID)
		must(t, err)
		if ap.State != meetings.ApprovedMinutes || ap.ApprovedBy == nil || *ap.ApprovedBy != ag.chair.MembershipID || ap.CanEdit || ap.CanApprove ||
			ap.Content.Approval == nil || len(ap.Filings) != 1 || ap.Filings[0].RevisionNumber != 1 {
			t.Fatalf("approved: %+v", ap)
		}
		if m, err := w.svc.GetMeeting(ctx, ag.chair, f.meeting.ID); err != nil || m.State != meetings.MinutesApproved || m.MinutesApprovedAt == nil {
			t.Fatalf("meeting after approval: %+v %v", m, err)
		}
		doc, err := w.docs.GetDocument(ctx, ag.chair, ap.Filings[0].DocumentID)
		must(t, err)
		if doc.FolderID != f.folder.ID || !strings.HasPrefix(doc.Title, "Niederschrift Bauausschuss 2026-03-02") || !strings.HasSuffix(doc.Title, ".pdf") ||
			doc.Metadata[meetings.MinutesMetadataKey] != ap.ID.String() {
			t.Fatalf("filed document: %+v", doc)
		}
		rev, rc, err := w.docs.OpenRevision(ctx, ag.chair, doc.ID, ap.Filings[0].RevisionID, 0, -1)
		must(t, err)
		filed, err := io.ReadAll(rc)
		rc.Close()
		must(t, err)
		if rev.ContentType != "application/pdf" {
			t.Fatalf("filed revision: %+v", rev)
		}
		text := pdfText(t, filed)
		wantText(t, "filed minutes", text, "Niederschrift", "Bauausschuss", "Öffentliche Sitzung März", "Rathaus, großer Saal",
			"Bebauungsplan Nord – Änderung", "Personalangelegenheit Straßenmeisterei (nicht öffentlich)", "Lageplan Nördlicher Bereich (Fassung 1)",
			pre, "Größe und Maß", decision, "Beschluss: angenommen", "Namentliche Stimmabgabe", "Verwandtschaft", "Zweidrittelmehrheit",
			"Ja: 2, Nein: 0, Enthaltung: 1", "Genehmigt am", "Entschuldigt", "Beschlussfähigkeit")
		refuseText(t, "filed minutes", text, "ENTWURF")

		// The download is the filed revision, byte for byte.
		dl, err := w.svc.MinutesPDF(ctx, ag.alice, f.meeting.ID, false)
		must(t, err)
		if sha256.Sum256(dl.Data) != sha256.Sum256(filed) || !dl.Approved {
			t.Fatal("the downloaded minutes differ from the filed revision")
		}
		pub, err := w.svc.MinutesPDF(ctx, ag.alice, f.meeting.ID, true)
		must(t, err)
		pubText := pdfText(t, pub.Data)
		wantText(t, "public minutes", pubText, "Bebauungsplan Nord – Änderung", "Nichtöffentliche Tagesordnungspunkte sind in dieser Fassung nicht enthalten")
		refuseText(t, "public minutes", pubText, "Personalangelegenheit", "Verwandtschaft")

		// Approved minutes never change; members read them now.
		_, err = w.svc.UpdateMinutes(ctx, ag.secretary, f.meeting.ID, ap.Version, meetings.MinutesEdit{Closing: &closing})
		wantCode(t, err, errs.Conflict, "edit after approval")
		_, err = w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, ap.Version, f.folder.ID)
		wantCode(t, err, errs.Conflict, "second approval")
		if got, err := w.svc.Minutes(ctx, ag.alice, f.meeting.ID); err != nil || got.State != meetings.ApprovedMinutes || got.CanEdit {
			t.Fatalf("a member reads approved minutes: %+v %v", got, err)
		}
		err = d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("meeting_minutes").Where("id = ?", ap.ID).Update("content", "{}").Error
		})
		if err == nil {
			t.Fatal("the database let approved minutes change")
		}

		// Decision extracts: per item with a poll, from the approved minutes.
		ex, err := w.svc.DecisionExtractPDF(ctx, ag.alice, f.named.ID)
		must(t, err)
		wantText(t, "extract", pdfText(t, ex.Data), "Beschlussauszug", "Bauausschuss", "TOP 1: Bebauungsplan Nord – Änderung",
			decision, "Abstimmung: Beschluss", "Beschluss: angenommen", "02.03.2026", "Ja: 4, Nein: 1, Enthaltung: 0")
		ex, err = w.svc.DecisionExtractPDF(ctx, ag.alice, f.secret.ID)
		must(t, err)
		wantText(t, "non-public extract", pdfText(t, ex.Data), "Nicht öffentlich", "Personalangelegenheit Straßenmeisterei (nicht öffentlich)", "Beschluss: angenommen")
		_, err = w.svc.DecisionExtractPDF(ctx, ag.alice, f.plain.ID)
		wantCode(t, err, errs.Conflict, "extract of an item without a poll")

		// A filing whose record was lost is found again, not filed twice.
		must(t, d.Tenant(ctx, ag.tenant.ID, func(tx *db.Tx) error {
			return tx.Table("minutes_filings").Where("minutes_id = ?", ap.ID).Delete(map[string]any{}).Error
		}))
		again, err := w.svc.ApproveMinutes(ctx, ag.chair, f.meeting.ID, ap.Version, f.folder.ID)
		must(t, err)
		revs, err := w.docs.ListRevisions(ctx, ag.chair, doc.ID)
		must(t, err)
		if len(again.Filings) != 1 || again.Filings[0].RevisionID != ap.Filings[0].RevisionID || len(revs) != 1 {
			t.Fatalf("refiling: %+v, %d revisions", again.Filings, len(revs))
		}

		// Another tenant's ids are unknown ids.
		b := w.b
		_, err = w.svc.Minutes(ctx, b.chair, f.meeting.ID)
		wantCode(t, err, errs.NotFound, "minutes of another tenant")
		_, err = w.svc.UpdateMinutes(ctx, b.chair, f.meeting.ID, 1, meetings.MinutesEdit{Closing: &closing})
		wantCode(t, err, errs.NotFound, "edit of another tenant's minutes")
		_, err = w.svc.MinutesPDF(ctx, b.chair, f.meeting.ID, false)
		wantCode(t, err, errs.NotFound, "pdf of another tenant's minutes")
		_, err = w.svc.DecisionExtractPDF(ctx, b.chair, f.named.ID)
		wantCode(t, err, errs.NotFound, "extract of another tenant's item")
	})
}
