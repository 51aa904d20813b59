package tasks_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv/seed"
	"github.com/kollab/kollab/tasks"
	"github.com/kollab/kollab/tenant"
	"github.com/kollab/kollab/workspaces"
)

// guardedDocs is a document store over w's that asks the sign-off's guard.
func (w *world) guardedDocs() *documents.Service {
	return documents.NewService(w.d, documents.WithStore(w.docs.Store()), documents.WithRevisionGuard(w.svc.GuardRevision))
}

func upload(docs *documents.Service, a tenant.Actor, doc *documents.Document, body string, restart bool) (*documents.Revision, error) {
	_, rev, err := docs.AddRevision(ctx, a, doc.ID, documents.Upload{FileName: "antrag.txt", Size: int64(len(body)), RestartSignoff: restart},
		strings.NewReader(body))
	return rev, err
}

// TestSignoffRevisionGuard: a revision in sign-off or signed off is not
// replaced without restarting the sign-off (409, nothing stored); with the
// restart the running request is superseded and a new one with the same
// steps runs on the new revision; an approved revision stays signed off.
func TestSignoffRevisionGuard(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		docs := w.guardedDocs()
		_, err := w.svc.RequestDocumentSignoff(ctx, ag.alice, ag.doc.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.dave)}})
		wantCode(t, "a signer who cannot read the document", err, errs.Invalid)
		_, err = w.svc.RequestDocumentSignoff(ctx, ag.carol, ag.doc.ID, tasks.SignoffInput{Steps: []tasks.Signer{person(ag.bob)}})
		wantCode(t, "a reader asks", err, errs.Forbidden)
		so, err := w.svc.RequestDocumentSignoff(ctx, ag.alice, ag.doc.ID, tasks.SignoffInput{Mode: tasks.Sequence, Note: "Bitte vor Versand",
			Steps: []tasks.Signer{person(ag.bob), person(ag.carol)}})
		must(t, err)
		first := *ag.doc.CurrentRevisionID
		if so.RevisionID == nil || *so.RevisionID != first || so.DocumentID == nil {
			t.Fatalf("request: %+v", so)
		}
		_, err = w.svc.ApproveSignoff(ctx, ag.bob, so.ID, "")
		must(t, err)

		_, err = upload(docs, ag.alice, ag.doc, "Neue Fassung", false)
		wantCode(t, "an upload over a running sign-off", err, errs.Conflict)
		if e := errs.As(err); e == nil || !strings.Contains(e.Detail.DE, "mitgezeichnet") {
			t.Fatalf("message: %v", err)
		}
		_, _, err = docs.RestoreRevision(ctx, ag.alice, ag.doc.ID, first, 0, "", false)
		wantCode(t, "a restore over a running sign-off", err, errs.Conflict)
		tmp, _, err := docs.CreateDocumentWithRevision(ctx, ag.alice, *ag.ws.FolderID, documents.DocumentInput{Title: "~temp"},
			documents.Upload{FileName: "tmp.txt", Size: 4}, strings.NewReader("Temp"))
		must(t, err)
		_, _, err = docs.ReplaceContent(ctx, ag.alice, ag.doc.ID, tmp.ID, 0)
		wantCode(t, "a save by MOVE over a running sign-off", err, errs.Conflict)
		if _, err := docs.GetDocument(ctx, ag.alice, tmp.ID); err != nil {
			t.Fatalf("the refused MOVE trashed its source: %v", err)
		}
		if revs, err := docs.ListRevisions(ctx, ag.alice, ag.doc.ID); err != nil || len(revs) != 1 {
			t.Fatalf("a refused upload left a revision: %d %v", len(revs), err)
		}

		rev2, err := upload(docs, ag.bob, ag.doc, "Neue Fassung", true)
		must(t, err)
		old, err := w.svc.GetSignoff(ctx, ag.alice, so.ID)
		must(t, err)
		if old.State != tasks.SignoffSuperseded || stepStates(old) != "approved,cancelled" {
			t.Fatalf("the old request: %+v", old)
		}
		list, err := w.svc.DocumentSignoffs(ctx, ag.carol, ag.doc.ID)
		must(t, err)
		if len(list) != 2 {
			t.Fatalf("%d requests", len(list))
		}
		cur := list[0]
		if cur.State != tasks.SignoffRunning || *cur.RevisionID != rev2.ID || cur.RevisionNumber != 2 || cur.RequestedBy != ag.alice.MembershipID ||
			cur.RestartedFrom == nil || *cur.RestartedFrom != so.ID || cur.Note != so.Note || cur.Mode != tasks.Sequence ||
			stepStates(&cur) != "pending,pending" || *cur.Steps[0].MembershipID != ag.bob.MembershipID {
			t.Fatalf("the restarted request: %+v", cur)
		}
		if w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffRestarted, cur.ID) != 1 || w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffSuperseded, so.ID) != 1 {
			t.Fatal("audit of the restart")
		}
		for _, who := range []tenant.Actor{ag.bob, ag.carol} {
			_, err := w.svc.ApproveSignoff(ctx, who, cur.ID, "")
			must(t, err)
		}
		signed, err := w.svc.SignedOffRevisions(ctx, ag.carol, ag.doc.ID)
		must(t, err)
		if len(signed) != 1 || !signed[rev2.ID] {
			t.Fatalf("signed-off revisions: %v", signed)
		}

		_, err = upload(docs, ag.bob, ag.doc, "Dritte Fassung", false)
		wantCode(t, "an upload over a signed-off revision", err, errs.Conflict)
		rev3, err := upload(docs, ag.bob, ag.doc, "Dritte Fassung", true)
		must(t, err)
		list, err = w.svc.DocumentSignoffs(ctx, ag.alice, ag.doc.ID)
		must(t, err)
		if len(list) != 3 || list[0].State != tasks.SignoffRunning || *list[0].RevisionID != rev3.ID || list[1].State != tasks.SignoffApproved {
			t.Fatalf("after the second restart: %+v", list)
		}
		if signed, _ := w.svc.SignedOffRevisions(ctx, ag.carol, ag.doc.ID); !signed[rev2.ID] || signed[rev3.ID] {
			t.Fatalf("signed-off revisions: %v", signed)
		}
		// Withdrawn: the revision is free again.
		_, err = w.svc.WithdrawSignoff(ctx, ag.alice, list[0].ID)
		must(t, err)
		_, err = upload(docs, ag.bob, ag.doc, "Vierte Fassung", false)
		must(t, err)
	})
}

// TestSignoffConcurrentApprovals (PostgreSQL): N signers of a parallel
// request approve at once: N steps approved, one transition to approved,
// one audit event per step; the same signer twice at once: one succeeds,
// the other answers 409.
func TestSignoffConcurrentApprovals(t *testing.T) {
	d, _ := dbtest.Postgres(t)
	w := newWorld(t, d)
	ag := w.a
	const n = 6
	signers := make([]tenant.Actor, n)
	steps := make([]tasks.Signer, n)
	for i := range signers {
		signers[i], _ = seed.Member(t, w.tenants, ag.tenant.ID, tenant.RoleStaff, "sign"+string(rune('a'+i))+"-"+ag.tenant.Slug+"@a.example", "Zeichner")
		_, err := w.ws.SetMember(ctx, ag.alice, ag.ws.ID, signers[i].MembershipID, workspaces.Member)
		must(t, err)
		steps[i] = person(signers[i])
	}
	tk := w.task(t, ag, tasks.Input{Title: "Haushaltsvermerk"})
	so, err := w.svc.RequestTaskSignoff(ctx, ag.alice, tk.ID, tasks.SignoffInput{Mode: tasks.Parallel, Steps: steps})
	must(t, err)
	var wg sync.WaitGroup
	errc := make([]error, n)
	states := make([]tasks.SignoffState, n)
	start := make(chan struct{})
	for i := range signers {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			got, err := w.svc.ApproveSignoff(ctx, signers[i], so.ID, "")
			errc[i] = err
			if err == nil {
				states[i] = got.State
			}
		}(i)
	}
	close(start)
	wg.Wait()
	approvedSeen := 0
	for i := range errc {
		must(t, errc[i])
		if states[i] == tasks.SignoffApproved {
			approvedSeen++
		}
	}
	got, err := w.svc.GetSignoff(ctx, ag.alice, so.ID)
	must(t, err)
	if got.State != tasks.SignoffApproved || stepStates(got) != strings.TrimSuffix(strings.Repeat("approved,", n), ",") || approvedSeen != 1 {
		t.Fatalf("after %d concurrent approvals: %s %s (%d saw the end)", n, got.State, stepStates(got), approvedSeen)
	}
	if a, c := w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffApproved, so.ID), w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffCompleted, so.ID); a != n || c != 1 {
		t.Fatalf("audit: %d step events, %d completions", a, c)
	}

	// The same signer twice at once.
	so2, err := w.svc.RequestTaskSignoff(ctx, ag.alice, w.task(t, ag, tasks.Input{Title: "Zweiter Vermerk"}).ID,
		tasks.SignoffInput{Mode: tasks.Parallel, Steps: []tasks.Signer{person(ag.bob), person(ag.carol)}})
	must(t, err)
	twice := make([]error, 2)
	start = make(chan struct{})
	for i := range twice {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			_, twice[i] = w.svc.ApproveSignoff(ctx, ag.bob, so2.ID, "")
		}(i)
	}
	close(start)
	wg.Wait()
	ok, conflict := 0, 0
	for _, err := range twice {
		switch {
		case err == nil:
			ok++
		case errs.Is(err, errs.Conflict):
			conflict++
		default:
			t.Fatal(errors.Join(twice...))
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("the same signer twice: %v", twice)
	}
	if got, err := w.svc.GetSignoff(ctx, ag.alice, so2.ID); err != nil || stepStates(got) != "approved,pending" || got.State != tasks.SignoffRunning {
		t.Fatalf("after the double approval: %+v %v", got, err)
	}
	if a := w.auditCount(t, ag.tenant.ID, tasks.ActionSignoffApproved, so2.ID); a != 1 {
		t.Fatalf("%d step events for one step", a)
	}
}
