package consultations

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Imported says what Import filed.
type Imported struct {
	// Statements counts the versions imported now; Documents are the
	// case-file documents they went into.
	Statements int
	Documents  []uuid.UUID
}

// pendingImport is a statement whose latest version is not imported yet.
type pendingImport struct {
	st  statementRow
	v   Version
	doc *uuid.UUID
}

// Import files the latest submitted version of every statement that was
// not imported yet into the consultation's folder (managers): one document
// per organisation ("Stellungnahme <organisation>"), a new revision per
// imported version. Each revision carries its provenance: the revision
// comment names the organisation, the person who submitted or recorded it,
// when it arrived, how, and the consultation; the document's metadata
// name the consultation and the organisation; the statement's version
// keeps the revision's id.
func (s *Service) Import(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Imported, error) {
	if s.docs == nil {
		return nil, fmt.Errorf("consultations: no document store")
	}
	var pending []pendingImport
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
		pending, err = pendingImports(tx, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := &Imported{Documents: []uuid.UUID{}}
	if c.FolderID == nil {
		return out, nil
	}
	questions := decodeStrings(c.Questions)
	for _, p := range pending {
		body := []byte(statementText(&c, questions, &p))
		meta := documents.Metadata{"consultation_id": c.ID.String(), "consultation": clip(c.Subject),
			"organisation_id": p.st.OrganisationID.String(), "organisation": clip(p.st.OrganisationName)}
		doc, rev, err := s.store(ctx, a, *c.FolderID, p.doc, "Stellungnahme "+p.st.OrganisationName, "Stellungnahme.md",
			provenance(&c, &p), meta, body)
		if err != nil {
			return out, err
		}
		err = s.run(ctx, a, func(tx *db.Tx) error {
			if _, err := tx.ExecCount("UPDATE consultation_statements SET imported_document_id = ? WHERE tenant_id = @tenant AND id = ?",
				doc.ID, p.st.ID); err != nil {
				return fmt.Errorf("consultations: note import: %w", err)
			}
			n, err := tx.ExecCount(`UPDATE consultation_statement_versions SET imported_revision_id = ?
				WHERE tenant_id = @tenant AND statement_id = ? AND number = ? AND imported_revision_id IS NULL`, rev.ID, p.st.ID, p.v.Number)
			if err != nil {
				return fmt.Errorf("consultations: note import: %w", err)
			}
			if n == 0 {
				return nil // imported meanwhile by a concurrent Import: its revision is the one of record
			}
			return record(ctx, tx, a, ActionImported, id, map[string]string{"organisation_id": p.st.OrganisationID.String(),
				"statement_id": p.st.ID.String(), "version": fmt.Sprint(p.v.Number), "document_id": doc.ID.String(), "revision_id": rev.ID.String()})
		})
		if err != nil {
			return out, err
		}
		out.Statements++
		out.Documents = append(out.Documents, doc.ID)
	}
	return out, nil
}

// pendingImports reads the statements whose latest version is not imported.
func pendingImports(tx *db.Tx, id uuid.UUID) ([]pendingImport, error) {
	var rows []statementRow
	if err := tx.Raw(`SELECT cs.*, ci.organisation_name FROM consultation_statements cs
		JOIN consultation_invitees ci ON ci.tenant_id = cs.tenant_id AND ci.consultation_id = cs.consultation_id AND ci.organisation_id = cs.organisation_id
		JOIN consultation_statement_versions v ON v.tenant_id = cs.tenant_id AND v.statement_id = cs.id AND v.number = cs.versions
		WHERE cs.tenant_id = @tenant AND cs.consultation_id = ? AND cs.versions > 0 AND v.imported_revision_id IS NULL
		ORDER BY ci.organisation_name, cs.id LIMIT ?`, id, MaxOrganisations).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("consultations: pending imports: %w", err)
	}
	out := make([]pendingImport, 0, len(rows))
	for _, r := range rows {
		vs, err := versionsOf(tx, r.ID, r.Versions, 1)
		if err != nil {
			return nil, err
		}
		if len(vs) == 1 {
			out = append(out, pendingImport{st: r, v: *vs[0].version(), doc: r.ImportedDocumentID})
		}
	}
	return out, nil
}

// provenance is the revision comment of an imported statement version.
func provenance(c *row, p *pendingImport) string {
	how := "online eingereicht von"
	if p.v.Channel == Post {
		how = "per Post eingegangen, erfasst von"
	}
	s := fmt.Sprintf("Stellungnahme %s, Fassung %d, %s %s am %s; Beteiligungsverfahren „%s“ (%s)", p.st.OrganisationName, p.v.Number, how,
		p.v.AuthorName, p.v.ReceivedAt.In(tenant.Berlin).Format("02.01.2006 15:04"), c.Subject, c.ID)
	return clipTo(s, 2000)
}

// statementText is the imported document's content (Markdown).
func statementText(c *row, questions []string, p *pendingImport) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Stellungnahme %s\n\n", p.st.OrganisationName)
	fmt.Fprintf(&b, "- Beteiligungsverfahren: %s\n- Fassung: %d\n- Eingang: %s (%s)\n- Von: %s\n\n", c.Subject, p.v.Number,
		p.v.ReceivedAt.In(tenant.Berlin).Format("02.01.2006 15:04"), map[Channel]string{Online: "online", Post: "per Post"}[p.v.Channel], p.v.AuthorName)
	if p.v.Body != "" {
		b.WriteString(p.v.Body + "\n\n")
	}
	for i, q := range questions {
		fmt.Fprintf(&b, "## %d. %s\n\n", i+1, q)
		if i < len(p.v.Answers) && p.v.Answers[i] != "" {
			b.WriteString(p.v.Answers[i] + "\n\n")
		} else {
			b.WriteString("(keine Antwort)\n\n")
		}
	}
	if len(p.v.Files) > 0 {
		b.WriteString("## Anlagen\n\n")
		for _, f := range p.v.Files {
			fmt.Fprintf(&b, "- %s (Dokument %s, Revision %s)\n", f.FileName, f.DocumentID, f.RevisionID)
		}
	}
	return b.String()
}

func clip(s string) string { return clipTo(s, documents.MaxMetadataValue) }

func clipTo(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
