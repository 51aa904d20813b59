package consultations_test

import (
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces/consultations"
)

// Who sees a consultation: staff of the workspace always, invited
// guests once it is open, everyone else (staff outside, guests of other
// organisations, another tenant) 404; only managers change it.
func TestConsultationVisibility(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.a
		deadline := w.clock.Now().Add(10 * 24 * time.Hour)
		c, err := w.svc.Create(ctx, a.alice, a.ws.ID, consultations.Input{Subject: "Deichsanierung", Questions: []string{"Bedenken?"},
			Deadline: deadline, Organisations: []uuid.UUID{a.org1, a.org2}, Documents: []uuid.UUID{a.doc.ID}})
		must(t, err)
		if c.State != consultations.Draft || len(c.Invitees) != 2 || len(c.Documents) != 1 || c.FolderID == nil || !c.CanManage {
			t.Fatalf("created: %+v", c)
		}
		_, err = w.svc.Create(ctx, a.carol, a.ws.ID, consultations.Input{Subject: "X", Deadline: deadline})
		wantCode(t, "reader creates", err, errs.Forbidden)
		_, err = w.svc.Create(ctx, a.g1, a.ws.ID, consultations.Input{Subject: "X", Deadline: deadline})
		wantCode(t, "guest creates", err, errs.NotFound)
		_, err = w.svc.Create(ctx, a.alice, a.ws.ID, consultations.Input{Subject: "X", Deadline: w.clock.Now().Add(-time.Hour)})
		wantCode(t, "past deadline", err, errs.Invalid)
		_, err = w.svc.Create(ctx, a.alice, a.ws.ID, consultations.Input{Subject: "X", Deadline: deadline, Organisations: []uuid.UUID{w.b.org1}})
		wantCode(t, "other tenant's organisation", err, errs.Invalid)
		_, err = w.svc.Create(ctx, a.alice, a.ws.ID, consultations.Input{Subject: "X", Deadline: deadline, Documents: []uuid.UUID{w.b.doc.ID}})
		wantCode(t, "other tenant's document", err, errs.Invalid)

		_, err = w.svc.Get(ctx, a.g1, c.ID)
		wantCode(t, "guest reads a draft", err, errs.NotFound)
		_, err = w.svc.Open(ctx, a.bob, c.ID)
		must(t, err)
		var to []string
		must(t, d.Tenant(ctx, a.tenant.ID, func(tx *db.Tx) error {
			return tx.Raw("SELECT recipients FROM notification_events WHERE tenant_id = @tenant AND kind = ?", notify.KindConsultationOpened).Scan(&to).Error
		}))
		if len(to) != 1 || !strings.Contains(to[0], a.g1.MembershipID.String()) || !strings.Contains(to[0], a.g2.MembershipID.String()) ||
			strings.Contains(to[0], a.g3.MembershipID.String()) {
			t.Fatalf("told of the opening: %v", to)
		}
		for _, who := range []tenant.Actor{a.alice, a.bob, a.carol, a.admin} {
			got, err := w.svc.Get(ctx, who, c.ID)
			must(t, err)
			if len(got.Invitees) != 2 || !got.Accepting {
				t.Fatalf("staff view: %+v", got)
			}
		}
		got, err := w.svc.Get(ctx, a.g2, c.ID)
		must(t, err)
		if len(got.Invitees) != 1 || got.Invitees[0].OrganisationID != a.org2 || got.CanManage || got.MyOrganisationID == nil {
			t.Fatalf("guest view: %+v", got)
		}
		for name, who := range map[string]tenant.Actor{"dave": a.dave, "g3": a.g3, "other tenant": w.b.admin} {
			_, err := w.svc.Get(ctx, who, c.ID)
			wantCode(t, name, err, errs.NotFound)
		}
		if l, err := w.svc.List(ctx, a.g3, a.ws.ID); err != nil || len(l) != 0 {
			t.Fatalf("g3's list: %v %v", l, err)
		}
		if l, err := w.svc.List(ctx, a.g1, a.ws.ID); err != nil || len(l) != 1 {
			t.Fatalf("g1's list: %v %v", l, err)
		}
		_, err = w.svc.List(ctx, a.dave, a.ws.ID)
		wantCode(t, "dave lists", err, errs.NotFound)
		_, err = w.svc.Close(ctx, a.carol, c.ID)
		wantCode(t, "reader closes", err, errs.Forbidden)
		_, err = w.svc.Remind(ctx, a.g1, c.ID)
		wantCode(t, "guest reminds", err, errs.Forbidden)
		q := []string{"Neu?"}
		_, err = w.svc.Update(ctx, a.alice, c.ID, 0, consultations.Patch{Questions: &q})
		wantCode(t, "questions of an open consultation", err, errs.Conflict)
		_, err = w.svc.Update(ctx, a.alice, c.ID, 1, consultations.Patch{})
		wantCode(t, "stale If-Match", err, errs.PreconditionFailed)
	})
}

// Statements: a draft, submit (read-only version, staff told), a revised
// version, one statement per organisation, the deadline, postal statements,
// frozen documents and statement files read through the consultation.
func TestStatements(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.a
		c := w.open(t, a, w.clock.Now().Add(10*24*time.Hour))
		_, err := w.svc.Submit(ctx, a.g1, c.ID)
		wantCode(t, "submit without draft", err, errs.Conflict)
		_, err = w.svc.SaveDraft(ctx, a.alice, c.ID, consultations.StatementInput{Body: "x"})
		wantCode(t, "staff drafts", err, errs.Forbidden)
		_, err = w.svc.SaveDraft(ctx, a.g1, c.ID, consultations.StatementInput{Answers: []string{"a", "b", "c"}})
		wantCode(t, "too many answers", err, errs.Invalid)
		file := w.upload(t, a.g1, *c.FolderID, "Anlage", "Gutachten des Büros")
		st, err := w.svc.SaveDraft(ctx, a.g1, c.ID, consultations.StatementInput{Body: "Wir stimmen zu.", Answers: []string{"Keine"},
			Files: []uuid.UUID{file.ID}})
		must(t, err)
		if st.Draft == nil || st.Versions != 0 || len(st.Draft.Answers) != 2 || len(st.Draft.Files) != 1 {
			t.Fatalf("draft: %+v", st)
		}
		if l, err := w.svc.Statements(ctx, a.alice, c.ID); err != nil || len(l) != 0 {
			t.Fatalf("staff see a draft: %+v %v", l, err)
		}
		st, err = w.svc.Submit(ctx, a.g1, c.ID)
		must(t, err)
		if st.Versions != 1 || st.Draft != nil || st.Latest == nil || st.Latest.Body != "Wir stimmen zu." || st.Latest.Channel != consultations.Online {
			t.Fatalf("submitted: %+v", st)
		}
		if n := w.events(t, a.tenant.ID, notify.KindConsultationStatement); n != 1 {
			t.Fatalf("statement events: %d", n)
		}
		// g2 sees no statement of org1; staff see it with its file.
		if l, err := w.svc.Statements(ctx, a.g2, c.ID); err != nil || len(l) != 0 {
			t.Fatalf("g2 sees: %+v %v", l, err)
		}
		l, err := w.svc.Statements(ctx, a.carol, c.ID)
		must(t, err)
		if len(l) != 1 || l[0].OrganisationID != a.org1 || len(l[0].Latest.Files) != 1 {
			t.Fatalf("carol sees: %+v", l)
		}
		fileRev := l[0].Latest.Files[0].RevisionID
		_, _, err = w.svc.OpenFile(ctx, a.g2, c.ID, fileRev, 0, -1)
		wantCode(t, "g2 reads org1's file", err, errs.NotFound)
		readAll(t, w, a.carol, c.ID, fileRev, "Gutachten des Büros")
		// The document changes; the frozen revision stays what readers get.
		_, rev2, err := w.docs.AddRevision(ctx, a.alice, a.doc.ID, documents.Upload{FileName: "p.txt", Size: 9}, strings.NewReader("Entwurf 2"))
		must(t, err)
		readAll(t, w, a.g2, c.ID, c.Documents[0].RevisionID, "Entwurf 1")
		_, _, err = w.svc.OpenFile(ctx, a.g2, c.ID, rev2.ID, 0, -1)
		wantCode(t, "unfrozen revision", err, errs.NotFound)
		// A revised version; both are kept.
		_, err = w.svc.SaveDraft(ctx, a.g1, c.ID, consultations.StatementInput{Body: "Wir stimmen mit Auflagen zu."})
		must(t, err)
		st, err = w.svc.Submit(ctx, a.g1, c.ID)
		must(t, err)
		vs, err := w.svc.Versions(ctx, a.bob, c.ID, st.ID)
		must(t, err)
		if len(vs) != 2 || vs[0].Number != 2 || vs[1].Body != "Wir stimmen zu." {
			t.Fatalf("versions: %+v", vs)
		}
		_, err = w.svc.Versions(ctx, a.g2, c.ID, st.ID)
		wantCode(t, "g2 reads org1's versions", err, errs.NotFound)
		// The deadline passes: no more statements, 409.
		w.clock.Advance(11 * 24 * time.Hour)
		_, err = w.svc.SaveDraft(ctx, a.g2, c.ID, consultations.StatementInput{Body: "Zu spät"})
		wantCode(t, "after the deadline", err, errs.Conflict)
		_, err = w.svc.Remind(ctx, a.alice, c.ID)
		wantCode(t, "remind after the deadline", err, errs.Conflict)
		// A letter that arrived in time is recorded by staff.
		_, err = w.svc.RecordPostal(ctx, a.bob, c.ID, a.org2, consultations.StatementInput{Body: "Brief", ReceivedAt: w.clock.Now()})
		wantCode(t, "letter after the deadline", err, errs.Invalid)
		_, err = w.svc.RecordPostal(ctx, a.bob, c.ID, a.org3, consultations.StatementInput{Body: "Brief", ReceivedAt: w.clock.Now().Add(-12 * 24 * time.Hour)})
		wantCode(t, "letter of an uninvited organisation", err, errs.NotFound)
		st, err = w.svc.RecordPostal(ctx, a.bob, c.ID, a.org2, consultations.StatementInput{Body: "Brief", ReceivedAt: w.clock.Now().Add(-2 * 24 * time.Hour)})
		must(t, err)
		if st.Latest.Channel != consultations.Post || st.Latest.AuthorID != a.bob.MembershipID {
			t.Fatalf("postal: %+v", st.Latest)
		}
		// Extending the deadline takes statements again.
		nd := w.clock.Now().Add(5 * 24 * time.Hour)
		ext, err := w.svc.Update(ctx, a.alice, c.ID, 0, consultations.Patch{Deadline: &nd})
		must(t, err)
		if !ext.Accepting || ext.RemindedAt != nil || ext.RemindAt == nil {
			t.Fatalf("extended: %+v", ext)
		}
		_, err = w.svc.Close(ctx, a.alice, c.ID)
		must(t, err)
		_, err = w.svc.SaveDraft(ctx, a.g2, c.ID, consultations.StatementInput{Body: "Zu spät"})
		wantCode(t, "after closing", err, errs.Conflict)
		_, err = w.svc.Update(ctx, a.alice, c.ID, 0, consultations.Patch{Deadline: &nd})
		wantCode(t, "change a closed one", err, errs.Conflict)
	})
}

func readAll(t *testing.T, w *world, a tenant.Actor, id, rev uuid.UUID, want string) {
	t.Helper()
	_, rc, err := w.svc.OpenFile(ctx, a, id, rev, 0, -1)
	must(t, err)
	defer rc.Close()
	b, err := io.ReadAll(rc)
	must(t, err)
	if string(b) != want {
		t.Fatalf("read %q, want %q", b, want)
	}
}

// The synopsis is filed into the consultation's folder (new revisions when
// filed again); statements are imported with their provenance, once.
func TestSynopsisAndImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.a
		c := w.open(t, a, w.clock.Now().Add(10*24*time.Hour))
		_, err := w.svc.SaveDraft(ctx, a.g1, c.ID, consultations.StatementInput{Body: "Zustimmung", Answers: []string{"Keine", "Lärmschutz"}})
		must(t, err)
		_, err = w.svc.Submit(ctx, a.g1, c.ID)
		must(t, err)
		_, err = w.svc.FileSynopsis(ctx, a.carol, c.ID)
		wantCode(t, "reader files", err, errs.Forbidden)
		f, err := w.svc.FileSynopsis(ctx, a.alice, c.ID)
		must(t, err)
		if f.PDF.FolderID != *c.FolderID || f.ODT.FolderID != *c.FolderID {
			t.Fatalf("filed: %+v", f)
		}
		f2, err := w.svc.FileSynopsis(ctx, a.bob, c.ID)
		must(t, err)
		if f2.PDF.ID != f.PDF.ID {
			t.Fatalf("filed again as another document: %v %v", f2.PDF.ID, f.PDF.ID)
		}
		revs, err := w.docs.ListRevisions(ctx, a.alice, f.PDF.ID)
		must(t, err)
		if len(revs) != 2 {
			t.Fatalf("synopsis revisions: %d", len(revs))
		}
		imp, err := w.svc.Import(ctx, a.alice, c.ID)
		must(t, err)
		if imp.Statements != 1 || len(imp.Documents) != 1 {
			t.Fatalf("imported: %+v", imp)
		}
		doc, err := w.docs.GetDocument(ctx, a.alice, imp.Documents[0])
		must(t, err)
		if doc.Metadata["organisation_id"] != a.org1.String() || doc.Metadata["consultation_id"] != c.ID.String() {
			t.Fatalf("metadata: %+v", doc.Metadata)
		}
		revs, err = w.docs.ListRevisions(ctx, a.alice, doc.ID)
		must(t, err)
		if len(revs) != 1 || !strings.Contains(revs[0].Comment, "Ingenieurbüro Süd") || !strings.Contains(revs[0].Comment, "g1") ||
			!strings.Contains(revs[0].Comment, c.ID.String()) {
			t.Fatalf("provenance: %+v", revs)
		}
		if imp, err := w.svc.Import(ctx, a.alice, c.ID); err != nil || imp.Statements != 0 {
			t.Fatalf("imported twice: %+v %v", imp, err)
		}
		l, err := w.svc.Statements(ctx, a.alice, c.ID)
		must(t, err)
		if l[0].ImportedDocumentID == nil || *l[0].ImportedDocumentID != doc.ID || l[0].Latest.ImportedRevisionID == nil ||
			*l[0].Latest.ImportedRevisionID != revs[0].ID {
			t.Fatalf("statement after import: %+v %+v", l[0], l[0].Latest)
		}
	})
}

// The automatic reminder: three working days before the deadline, once,
// to the guests of the organisations that have not answered; due again
// after an extension.
func TestRemindDue(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.a
		c := w.open(t, a, w.clock.Now().Add(20*24*time.Hour))
		_, err := w.svc.SaveDraft(ctx, a.g1, c.ID, consultations.StatementInput{Body: "Ja"})
		must(t, err)
		_, err = w.svc.Submit(ctx, a.g1, c.ID)
		must(t, err)
		if c.RemindAt == nil || !c.RemindAt.Equal(consultations.RemindAt(c.Deadline)) {
			t.Fatalf("remind at: %v", c.RemindAt)
		}
		rep, err := w.svc.RemindDue(ctx, c.RemindAt.Add(-time.Minute))
		must(t, err)
		if rep.Consultations != 0 {
			t.Fatalf("early: %+v", rep)
		}
		rep, err = w.svc.RemindDue(ctx, *c.RemindAt)
		must(t, err)
		if rep.Consultations != 1 || rep.People != 1 {
			t.Fatalf("due: %+v", rep)
		}
		var to []string
		must(t, d.Tenant(ctx, a.tenant.ID, func(tx *db.Tx) error {
			return tx.Raw("SELECT recipients FROM notification_events WHERE tenant_id = @tenant AND kind = ?", notify.KindConsultationEnding).Scan(&to).Error
		}))
		if len(to) != 1 || !strings.Contains(to[0], a.g2.MembershipID.String()) || strings.Contains(to[0], a.g1.MembershipID.String()) {
			t.Fatalf("reminded: %v", to)
		}
		if rep, err := w.svc.RemindDue(ctx, c.RemindAt.Add(time.Hour)); err != nil || rep.Consultations != 0 {
			t.Fatalf("twice: %+v %v", rep, err)
		}
		nd := c.Deadline.Add(7 * 24 * time.Hour)
		_, err = w.svc.Update(ctx, a.alice, c.ID, 0, consultations.Patch{Deadline: &nd})
		must(t, err)
		if rep, err := w.svc.RemindDue(ctx, consultations.RemindAt(nd)); err != nil || rep.Consultations != 1 {
			t.Fatalf("after the extension: %+v %v", rep, err)
		}
		// By hand: only the organisation that has not answered.
		r, err := w.svc.Remind(ctx, a.bob, c.ID)
		must(t, err)
		if r.Organisations != 1 || r.People != 1 {
			t.Fatalf("by hand: %+v", r)
		}
	})
}

// Three working days before a deadline, skipping weekends and nationwide
// holidays (Europe/Berlin).
func TestRemindAt(t *testing.T) {
	for _, tc := range []struct{ deadline, want string }{
		{"2026-12-28T10:00:00+01:00", "2026-12-22T10:00:00+01:00"}, // over Christmas (25th and 26th) and a weekend
		{"2026-06-11T12:00:00+02:00", "2026-06-08T12:00:00+02:00"}, // Thursday → Monday
		{"2026-04-08T09:00:00+02:00", "2026-04-01T09:00:00+02:00"}, // over Easter Monday and Good Friday
	} {
		d, _ := time.Parse(time.RFC3339, tc.deadline)
		want, _ := time.Parse(time.RFC3339, tc.want)
		if got := consultations.RemindAt(d); !got.Equal(want) {
			t.Errorf("RemindAt(%s) = %s, want %s", tc.deadline, got.In(tenant.Berlin), tc.want)
		}
	}
}

// The start page: guests see their organisation's open consultations,
// staff owners and members those ending within 14 days.
func TestPendingFor(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.a
		soon := w.open(t, a, w.clock.Now().Add(5*24*time.Hour))
		later := w.open(t, a, w.clock.Now().Add(30*24*time.Hour))
		if p, err := w.svc.PendingFor(ctx, a.g1); err != nil || len(p) != 2 || p[0].ID != soon.ID || p[1].ID != later.ID || p[0].Invited != 1 {
			t.Fatalf("g1: %+v %v", p, err)
		}
		if p, err := w.svc.PendingFor(ctx, a.bob); err != nil || len(p) != 1 || p[0].ID != soon.ID || p[0].Invited != 2 {
			t.Fatalf("bob: %+v %v", p, err)
		}
		for name, who := range map[string]tenant.Actor{"carol": a.carol, "dave": a.dave, "g3": a.g3, "b's g1": w.b.g1} {
			if p, err := w.svc.PendingFor(ctx, who); err != nil || len(p) != 0 {
				t.Fatalf("%s: %+v %v", name, p, err)
			}
		}
	})
}

// An archived workspace's consultations are read-only; a guest of an
// invited organisation who is not in the workspace does not see them.
func TestArchivedAndOutsiders(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		a := w.a
		c := w.open(t, a, w.clock.Now().Add(10*24*time.Hour))
		must(t, w.ws.RemoveMember(ctx, a.alice, a.ws.ID, a.g1.MembershipID))
		_, err := w.svc.Get(ctx, a.g1, c.ID)
		wantCode(t, "guest outside the workspace", err, errs.NotFound)
		_, err = w.svc.SaveDraft(ctx, a.g1, c.ID, consultations.StatementInput{Body: "x"})
		wantCode(t, "guest outside the workspace drafts", err, errs.NotFound)
		_, err = w.ws.Archive(ctx, a.alice, a.ws.ID, 0)
		must(t, err)
		got, err := w.svc.Get(ctx, a.g2, c.ID)
		must(t, err)
		if got.CanManage {
			t.Fatalf("archived: %+v", got)
		}
		_, err = w.svc.SaveDraft(ctx, a.g2, c.ID, consultations.StatementInput{Body: "x"})
		wantCode(t, "draft in an archived workspace", err, errs.Conflict)
		_, err = w.svc.Close(ctx, a.alice, c.ID)
		wantCode(t, "close in an archived workspace", err, errs.Conflict)
		_, err = w.svc.Create(ctx, a.alice, a.ws.ID, consultations.Input{Subject: "Neu", Deadline: w.clock.Now().Add(time.Hour)})
		wantCode(t, "create in an archived workspace", err, errs.Conflict)
		if rep, err := w.svc.RemindDue(ctx, *c.RemindAt); err != nil || rep.People != 0 {
			t.Fatalf("reminded in an archived workspace: %+v %v", rep, err)
		}
		if p, err := w.svc.PendingFor(ctx, a.g2); err != nil || len(p) != 0 {
			t.Fatalf("archived on the start page: %+v %v", p, err)
		}
	})
}
