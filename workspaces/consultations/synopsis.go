package consultations

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Synopsis is what the synopsis files show: one row per statement and
// question (and one for the statement's general text and files).
type Synopsis struct {
	Subject       string
	WorkspaceName string
	Deadline      time.Time
	State         State
	Questions     []string
	Rows          []SynopsisRow
	// Invited counts the invited organisations; Missing names those that
	// have not answered.
	Invited int
	Missing []string
	// Made is when the synopsis was made.
	Made time.Time
}

// SynopsisRow is one statement's answer to one question; Question is
// empty for the general text.
type SynopsisRow struct {
	Organisation string
	Question     string
	Answer       string
	Version      int
	Channel      Channel
	ReceivedAt   time.Time
}

// Filed names the synopsis documents and their new revisions.
type Filed struct {
	PDF, ODT documents.Document
}

// synopsisOf gathers the synopsis of the scope's consultation: the latest
// submitted version of every statement.
func synopsisOf(tx *db.Tx, sc *scope, now time.Time) (*Synopsis, error) {
	qs := decodeStrings(sc.c.Questions)
	out := &Synopsis{Subject: sc.c.Subject, WorkspaceName: sc.p.Name, Deadline: sc.c.Deadline, State: sc.c.State, Questions: qs, Made: now}
	inv, err := invitees(tx, sc.c.ID, uuid.Nil)
	if err != nil {
		return nil, err
	}
	out.Invited = len(inv)
	for _, i := range inv {
		if i.Versions == 0 {
			out.Missing = append(out.Missing, i.Name)
			continue
		}
		st, err := loadStatement(tx, sc.c.ID, i.OrganisationID, false)
		if err != nil {
			return nil, err
		}
		vs, err := versionsOf(tx, st.ID, st.Versions, 1)
		if err != nil || len(vs) == 0 {
			return nil, err
		}
		v := vs[0].version()
		general := v.Body
		for _, f := range v.Files {
			general += "\n[Anlage: " + f.FileName + "]"
		}
		base := SynopsisRow{Organisation: i.Name, Version: v.Number, Channel: v.Channel, ReceivedAt: v.ReceivedAt}
		r := base
		r.Answer = general
		out.Rows = append(out.Rows, r)
		for qi, q := range qs {
			r := base
			r.Question = q
			if qi < len(v.Answers) {
				r.Answer = v.Answers[qi]
			}
			out.Rows = append(out.Rows, r)
		}
	}
	return out, nil
}

// FileSynopsis renders the synopsis (PDF and ODT) and files it into the
// consultation's folder (managers): the first time as two new documents,
// later as new revisions of them.
func (s *Service) FileSynopsis(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Filed, error) {
	if s.render == nil || s.docs == nil {
		return nil, fmt.Errorf("consultations: no renderer or document store")
	}
	var syn *Synopsis
	var c row
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, false)
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if err := sc.p.needActive(); err != nil {
			return err
		}
		c = sc.c
		syn, err = synopsisOf(tx, sc, s.now())
		return err
	})
	if err != nil {
		return nil, err
	}
	if c.FolderID == nil {
		return nil, errs.New(errs.Conflict, errs.M("consultations.no-folder", "Der Arbeitsraum hat keinen Ordner.", "The workspace has no folder."))
	}
	pdf, err := s.render.SynopsisPDF(syn)
	if err != nil {
		return nil, fmt.Errorf("consultations: render pdf: %w", err)
	}
	odt, err := s.render.SynopsisODT(syn)
	if err != nil {
		return nil, fmt.Errorf("consultations: render odt: %w", err)
	}
	comment := "Synopse des Beteiligungsverfahrens „" + c.Subject + "“ vom " + syn.Made.In(tenant.Berlin).Format("02.01.2006 15:04")
	pdfDoc, _, err := s.store(ctx, a, *c.FolderID, c.SynopsisPDFID, "Synopse (PDF)", "Synopse.pdf", comment, nil, pdf)
	if err != nil {
		return nil, err
	}
	odtDoc, _, err := s.store(ctx, a, *c.FolderID, c.SynopsisODTID, "Synopse (ODT)", "Synopse.odt", comment, nil, odt)
	if err != nil {
		return nil, err
	}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := tx.ExecCount("UPDATE consultations SET synopsis_pdf_id = ?, synopsis_odt_id = ? WHERE tenant_id = @tenant AND id = ?",
			pdfDoc.ID, odtDoc.ID, id); err != nil {
			return fmt.Errorf("consultations: note synopsis: %w", err)
		}
		return record(ctx, tx, a, ActionSynopsisFiled, id, map[string]string{"pdf_document_id": pdfDoc.ID.String(),
			"odt_document_id": odtDoc.ID.String(), "statements": fmt.Sprint(syn.Invited - len(syn.Missing))})
	})
	if err != nil {
		return nil, err
	}
	return &Filed{PDF: *pdfDoc, ODT: *odtDoc}, nil
}

// store files body into folder: as a new revision of document cur when it
// is still there, else as a new document titled title (numbered when the
// title is taken).
func (s *Service) store(ctx context.Context, a tenant.Actor, folder uuid.UUID, cur *uuid.UUID, title, fileName, comment string,
	meta documents.Metadata, body []byte) (*documents.Document, *documents.Revision, error) {
	up := documents.Upload{FileName: fileName, Size: int64(len(body)), Comment: comment}
	if cur != nil {
		doc, rev, err := s.docs.AddRevision(ctx, a, *cur, up, bytes.NewReader(body))
		if err == nil || !errs.Is(err, errs.NotFound) {
			return doc, rev, err
		}
	}
	var err error
	for n := 1; n <= 20; n++ {
		t := title
		if n > 1 {
			t = fmt.Sprintf("%s (%d)", title, n)
		}
		var doc *documents.Document
		var rev *documents.Revision
		doc, rev, err = s.docs.CreateDocumentWithRevision(ctx, a, folder, documents.DocumentInput{Title: t, Metadata: meta}, up, bytes.NewReader(body))
		if err == nil {
			return doc, rev, nil
		}
		if !errs.Is(err, errs.Conflict) {
			return nil, nil, err
		}
	}
	return nil, nil, err
}
