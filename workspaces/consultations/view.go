package consultations

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// summary is the consultation without documents and invitees.
func (sc *scope) summary(now time.Time) Consultation {
	c := &sc.c
	out := Consultation{ID: c.ID, WorkspaceID: c.WorkspaceID, WorkspaceName: sc.p.Name, Subject: c.Subject, Description: c.Description,
		Questions: decodeStrings(c.Questions), Deadline: c.Deadline, State: c.State, Accepting: c.accepting(now),
		FolderID: c.FolderID, SynopsisPDFID: c.SynopsisPDFID, SynopsisODTID: c.SynopsisODTID, Version: c.Version,
		CreatedAt: c.CreatedAt, CreatedBy: c.CreatedBy, UpdatedAt: c.UpdatedAt, OpenedAt: c.OpenedAt, ClosedAt: c.ClosedAt,
		CanManage: sc.p.kind == manager && sc.p.State == "active" && c.State != Closed,
		Documents: []FrozenDocument{}, Invitees: []Invitee{}}
	if sc.p.kind == guest {
		org := sc.p.org
		out.MyOrganisationID = &org
	} else {
		out.RemindAt, out.RemindedAt = c.RemindAt, c.RemindedAt
	}
	return out
}

// view is the whole consultation: its frozen documents and invitees (a
// guest sees their own organisation only).
func (sc *scope) view(tx *db.Tx, now time.Time) (*Consultation, error) {
	out := sc.summary(now)
	docs, err := frozenDocuments(tx, sc.c.ID)
	if err != nil {
		return nil, err
	}
	out.Documents = docs
	org := uuid.Nil
	if sc.p.kind == guest {
		org = sc.p.org
	}
	if out.Invitees, err = invitees(tx, sc.c.ID, org); err != nil {
		return nil, err
	}
	return &out, nil
}

// inviteeRow is a row of consultation_invitees with its statement's state.
type inviteeRow struct {
	OrganisationID   uuid.UUID  `gorm:"column:organisation_id"`
	OrganisationName string     `gorm:"column:organisation_name"`
	InvitedAt        time.Time  `gorm:"column:invited_at"`
	RemindedAt       *time.Time `gorm:"column:reminded_at"`
	Versions         *int       `gorm:"column:versions"`
	SubmittedAt      *time.Time `gorm:"column:submitted_at"`
}

// invitees reads the invitees of consultation id by name (only org unless Nil).
func invitees(tx *db.Tx, id, org uuid.UUID) ([]Invitee, error) {
	q := `SELECT ci.organisation_id, ci.organisation_name, ci.invited_at, ci.reminded_at, cs.versions, cs.submitted_at
		FROM consultation_invitees ci LEFT JOIN consultation_statements cs ON cs.tenant_id = ci.tenant_id
			AND cs.consultation_id = ci.consultation_id AND cs.organisation_id = ci.organisation_id
		WHERE ci.tenant_id = @tenant AND ci.consultation_id = ?`
	args := []any{id}
	if org != uuid.Nil {
		q += " AND ci.organisation_id = ?"
		args = append(args, org)
	}
	var rows []inviteeRow
	if err := tx.Raw(q+" ORDER BY ci.organisation_name, ci.organisation_id LIMIT ?", append(args, MaxOrganisations)...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("consultations: read invitees: %w", err)
	}
	out := make([]Invitee, len(rows))
	for i, r := range rows {
		out[i] = Invitee{OrganisationID: r.OrganisationID, Name: r.OrganisationName, InvitedAt: r.InvitedAt, RemindedAt: r.RemindedAt,
			SubmittedAt: r.SubmittedAt}
		if r.Versions != nil {
			out[i].Versions = *r.Versions
		}
	}
	return out, nil
}

// frozenRow is a row of consultation_documents.
type frozenRow struct {
	TenantID       uuid.UUID `gorm:"column:tenant_id"`
	ConsultationID uuid.UUID `gorm:"column:consultation_id"`
	DocumentID     uuid.UUID `gorm:"column:document_id"`
	RevisionID     uuid.UUID `gorm:"column:revision_id"`
	Position       int       `gorm:"column:position"`
}

// OwnerTenant implements db.TenantOwned.
func (r *frozenRow) OwnerTenant() uuid.UUID { return r.TenantID }

// frozenDocuments reads the consultation's documents at their frozen revisions.
func frozenDocuments(tx *db.Tx, id uuid.UUID) ([]FrozenDocument, error) {
	var rows []frozenRow
	if err := tx.Table(documentsTable).Where("consultation_id = ?", id).Order("position, document_id").Limit(MaxDocuments).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("consultations: read documents: %w", err)
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.RevisionID
	}
	revs, err := documents.GrantedRevisions(tx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]FrozenDocument, 0, len(rows))
	for _, r := range rows {
		rev, ok := revs[r.RevisionID]
		if !ok {
			continue
		}
		out = append(out, FrozenDocument{DocumentID: r.DocumentID, RevisionID: r.RevisionID, Title: rev.Title, Number: rev.Number,
			FileName: rev.FileName, ContentType: rev.ContentType, Size: rev.Size, Available: !rev.Trashed})
	}
	return out, nil
}

// setInvitees makes orgs the invited organisations: new ones are added
// with their current name, absent ones removed unless they have answered.
func setInvitees(tx *db.Tx, id uuid.UUID, orgs []uuid.UUID, now time.Time) error {
	names := map[uuid.UUID]string{}
	if len(orgs) > 0 {
		var found []struct {
			ID   uuid.UUID `gorm:"column:id"`
			Name string    `gorm:"column:name"`
		}
		if err := tx.Table("organisations").Select("id, name").Where("id IN ?", orgs).Scan(&found).Error; err != nil {
			return fmt.Errorf("consultations: read organisations: %w", err)
		}
		for _, f := range found {
			names[f.ID] = f.Name
		}
	}
	var cur []uuid.UUID
	if err := tx.Table(inviteesTable).Where("consultation_id = ?", id).Limit(MaxOrganisations).Pluck("organisation_id", &cur).Error; err != nil {
		return fmt.Errorf("consultations: read invitees: %w", err)
	}
	keep := map[uuid.UUID]bool{}
	for _, o := range orgs {
		keep[o] = true
	}
	for _, o := range cur {
		if keep[o] {
			delete(names, o)
			continue
		}
		var n int64
		if err := tx.Table(statementsTable).Where("consultation_id = ? AND organisation_id = ?", id, o).Count(&n).Error; err != nil {
			return fmt.Errorf("consultations: check statement: %w", err)
		}
		if n > 0 {
			return errs.New(errs.Conflict, errs.M("consultations.invitee-answered", "Eine Organisation, die bereits eine Stellungnahme begonnen oder abgegeben hat, bleibt eingeladen.", "An organisation that has begun or given a statement stays invited."))
		}
		if _, err := tx.ExecCount("DELETE FROM consultation_invitees WHERE tenant_id = @tenant AND consultation_id = ? AND organisation_id = ?", id, o); err != nil {
			return fmt.Errorf("consultations: remove invitee: %w", err)
		}
	}
	for _, o := range orgs {
		if keep[o] && names[o] == "" && !contains(cur, o) {
			return errs.InvalidField("organisations", errs.M("consultations.unknown-organisation", "Eine der Organisationen gibt es im Adressbuch nicht.", "One of the organisations does not exist in the address book."))
		}
		name, ok := names[o]
		if !ok {
			continue
		}
		if err := tx.Exec(`INSERT INTO consultation_invitees (tenant_id, consultation_id, organisation_id, organisation_name, invited_at)
			VALUES (@tenant, ?, ?, ?, ?)`, id, o, name, now).Error; err != nil {
			return fmt.Errorf("consultations: add invitee: %w", err)
		}
	}
	return nil
}

func contains(ids []uuid.UUID, id uuid.UUID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// setDocuments makes docs the consultation's documents, in order: one
// already in keeps its frozen revision, a new one is frozen at its current
// revision (the actor must be able to read it), absent ones are removed.
func setDocuments(tx *db.Tx, a tenant.Actor, id uuid.UUID, docs []uuid.UUID) error {
	var cur []frozenRow
	if err := tx.Table(documentsTable).Where("consultation_id = ?", id).Limit(MaxDocuments).Scan(&cur).Error; err != nil {
		return fmt.Errorf("consultations: read documents: %w", err)
	}
	frozen := map[uuid.UUID]uuid.UUID{}
	for _, r := range cur {
		frozen[r.DocumentID] = r.RevisionID
	}
	var fresh []uuid.UUID
	for _, d := range docs {
		if _, ok := frozen[d]; !ok {
			fresh = append(fresh, d)
		}
	}
	now, err := currentRevisions(tx, a, "documents", fresh)
	if err != nil {
		return err
	}
	if _, err := tx.ExecCount("DELETE FROM consultation_documents WHERE tenant_id = @tenant AND consultation_id = ?", id); err != nil {
		return fmt.Errorf("consultations: clear documents: %w", err)
	}
	for i, d := range docs {
		rev, ok := frozen[d]
		if !ok {
			rev = now[d].RevisionID
		}
		if err := tx.Create(documentsTable, &frozenRow{TenantID: tx.TenantID(), ConsultationID: id, DocumentID: d, RevisionID: rev, Position: i}); err != nil {
			return fmt.Errorf("consultations: add document: %w", err)
		}
	}
	return nil
}

// currentRevisions freezes the documents ids at their current revisions;
// the actor must be able to read every one (else field is invalid).
func currentRevisions(tx *db.Tx, a tenant.Actor, field string, ids []uuid.UUID) (map[uuid.UUID]File, error) {
	out := map[uuid.UUID]File{}
	if len(ids) == 0 {
		return out, nil
	}
	readable, err := documents.ReadableDocuments(tx, a, ids)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		ID  uuid.UUID  `gorm:"column:id"`
		Cur *uuid.UUID `gorm:"column:current_revision_id"`
	}
	if err := tx.Table("documents").Select("documents.id, documents.current_revision_id").Where("documents.id IN ?", ids).
		Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("consultations: read documents: %w", err)
	}
	var revIDs []uuid.UUID
	for _, r := range rows {
		if r.Cur != nil && readable[r.ID] {
			revIDs = append(revIDs, *r.Cur)
		}
	}
	revs, err := documents.GrantedRevisions(tx, revIDs)
	if err != nil {
		return nil, err
	}
	for _, rev := range revs {
		out[rev.DocumentID] = File{DocumentID: rev.DocumentID, RevisionID: rev.ID, FileName: rev.FileName}
	}
	for _, id := range ids {
		if _, ok := out[id]; !ok {
			return nil, errs.InvalidField(field, errs.M("consultations.document-unreadable", "Eines der Dokumente gibt es nicht, es hat noch keinen Inhalt oder Sie dürfen es nicht lesen.", "One of the documents does not exist, has no content yet or you may not read it."))
		}
	}
	return out, nil
}
