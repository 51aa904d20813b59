package consultations

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// Submit submits the caller's organisation's draft as the statement's next
// version (guests of an invited organisation, while statements are taken).
// The version is read-only from then on; a revised draft can be submitted
// again until the deadline, every version is kept. The workspace's staff
// owners and members are notified.
func (s *Service) Submit(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Statement, error) {
	var out *Statement
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if sc.p.kind != guest {
			return errForbidden()
		}
		now := s.now()
		if err := sc.needAccepting(now); err != nil {
			return err
		}
		st, err := loadStatement(tx, id, sc.p.org, true)
		if err != nil {
			return err
		}
		if st == nil || !st.HasDraft {
			return errs.New(errs.Conflict, errs.M("consultations.no-draft", "Es gibt keinen Entwurf, der eingereicht werden könnte. Bitte zuerst die Stellungnahme speichern.", "There is no draft to submit. Please save the statement first."))
		}
		v := &versionRow{Body: st.DraftBody, Answers: st.DraftAnswers, Files: st.DraftFiles, Channel: Online, ReceivedAt: now}
		if err := s.addVersion(ctx, tx, sc, st, v, now); err != nil {
			return err
		}
		out, err = statementOf(tx, sc, sc.p.org)
		return err
	})
	return out, err
}

// RecordPostal records a statement an organisation sent by post as its
// next version (managers, until the consultation is closed; the letter
// must have arrived by the deadline). It does not touch the organisation's
// own draft.
func (s *Service) RecordPostal(ctx context.Context, a tenant.Actor, id, org uuid.UUID, in StatementInput) (*Statement, error) {
	var out *Statement
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needChange(); err != nil {
			return err
		}
		if sc.c.State != Open {
			return errNotOpen()
		}
		invited, err := isInvited(tx, id, org)
		if err != nil {
			return err
		}
		if !invited {
			return errNotFound()
		}
		now := s.now()
		if in.ReceivedAt.IsZero() {
			in.ReceivedAt = now
		}
		in.ReceivedAt = in.ReceivedAt.UTC().Truncate(time.Microsecond)
		if in.ReceivedAt.After(now) || in.ReceivedAt.After(sc.c.Deadline) {
			return errs.InvalidField("received_at", errs.M("consultations.received-after-deadline", "Der Eingang muss vor dem Ende der Frist und nicht in der Zukunft liegen.", "The letter must have arrived before the deadline and not in the future."))
		}
		if err := in.validate(len(decodeStrings(sc.c.Questions))); err != nil {
			return err
		}
		if in.empty() {
			return errEmpty
		}
		files, err := statementFiles(tx, a, in.Files)
		if err != nil {
			return err
		}
		st, err := ensureStatement(tx, id, org, a.MembershipID, now)
		if err != nil {
			return err
		}
		answers, err := jsonText(in.Answers)
		if err != nil {
			return err
		}
		fs, err := jsonText(files)
		if err != nil {
			return err
		}
		v := &versionRow{Body: in.Body, Answers: answers, Files: fs, Channel: Post, ReceivedAt: in.ReceivedAt}
		if err := s.addVersion(ctx, tx, sc, st, v, now); err != nil {
			return err
		}
		out, err = statementOf(tx, sc, org)
		return err
	})
	return out, err
}

// addVersion appends v as the statement's next version, records it and
// notifies the workspace's staff.
func (s *Service) addVersion(ctx context.Context, tx *db.Tx, sc *scope, st *statementRow, v *versionRow, now time.Time) error {
	if st.Versions >= MaxVersions {
		return errs.New(errs.Conflict, errs.M("consultations.too-many-versions", "Eine Stellungnahme hat höchstens 100 Fassungen.", "A statement has at most 100 versions."))
	}
	v.TenantID, v.StatementID, v.Number, v.AuthorID, v.CreatedAt = tx.TenantID(), st.ID, st.Versions+1, sc.a.MembershipID, now
	if err := tx.Create(versionsTable, v); err != nil {
		return fmt.Errorf("consultations: add version: %w", err)
	}
	set := "versions = ?, submitted_at = ?, updated_at = ?, updated_by = ?"
	if v.Channel == Online {
		set += ", has_draft = false, draft_body = '', draft_answers = '[]', draft_files = '[]'"
	}
	if _, err := tx.ExecCount("UPDATE consultation_statements SET "+set+" WHERE tenant_id = @tenant AND id = ?",
		v.Number, v.ReceivedAt, now, sc.a.MembershipID, st.ID); err != nil {
		return fmt.Errorf("consultations: submit: %w", err)
	}
	action := ActionSubmitted
	if v.Channel == Post {
		action = ActionPostalRecorded
	}
	if err := record(ctx, tx, sc.a, action, sc.c.ID, map[string]string{"organisation_id": st.OrganisationID.String(),
		"statement_id": st.ID.String(), "version": fmt.Sprint(v.Number)}); err != nil {
		return err
	}
	return s.notifyStatement(ctx, tx, sc, st.OrganisationName, v.Number, now)
}

// statementOf reads the organisation's statement for the scope's caller
// (the draft for its own guests only).
func statementOf(tx *db.Tx, sc *scope, org uuid.UUID) (*Statement, error) {
	st, err := loadStatement(tx, sc.c.ID, org, false)
	if err != nil {
		return nil, err
	}
	if st == nil {
		return nil, errNotFound()
	}
	return statementView(tx, sc, st)
}

func statementView(tx *db.Tx, sc *scope, st *statementRow) (*Statement, error) {
	out := &Statement{ID: st.ID, ConsultationID: st.ConsultationID, OrganisationID: st.OrganisationID, OrganisationName: st.OrganisationName,
		Versions: st.Versions, SubmittedAt: st.SubmittedAt, ImportedDocumentID: st.ImportedDocumentID, UpdatedAt: st.UpdatedAt}
	if sc.p.kind == guest && st.HasDraft {
		out.Draft = &StatementDraft{Body: st.DraftBody, Answers: decodeStrings(st.DraftAnswers), Files: decodeFiles(st.DraftFiles)}
	}
	if st.Versions > 0 {
		vs, err := versionsOf(tx, st.ID, st.Versions, 1)
		if err != nil {
			return nil, err
		}
		if len(vs) > 0 {
			out.Latest = vs[0].version()
		}
	}
	return out, nil
}

// versionsOf reads a statement's versions, newest first, at most limit,
// the newest being number from.
func versionsOf(tx *db.Tx, statementID uuid.UUID, from, limit int) ([]versionRow, error) {
	var rows []versionRow
	if err := tx.Raw(`SELECT v.*, COALESCE(u.display_name, '') AS author_name FROM consultation_statement_versions v
		LEFT JOIN memberships m ON m.tenant_id = v.tenant_id AND m.id = v.author_id
		LEFT JOIN users u ON u.id = m.user_id
		WHERE v.tenant_id = @tenant AND v.statement_id = ? AND v.number <= ? ORDER BY v.number DESC LIMIT ?`,
		statementID, from, limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("consultations: read versions: %w", err)
	}
	return rows, nil
}

// Statements lists the statements the caller sees: staff every
// organisation's (submitted versions only), a guest their own
// organisation's (with its draft).
func (s *Service) Statements(ctx context.Context, a tenant.Actor, id uuid.UUID) ([]Statement, error) {
	out := []Statement{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, false)
		if err != nil {
			return err
		}
		q := `SELECT cs.*, ci.organisation_name FROM consultation_statements cs
			JOIN consultation_invitees ci ON ci.tenant_id = cs.tenant_id AND ci.consultation_id = cs.consultation_id AND ci.organisation_id = cs.organisation_id
			WHERE cs.tenant_id = @tenant AND cs.consultation_id = ?`
		args := []any{id}
		if sc.p.kind == guest {
			q += " AND cs.organisation_id = ?"
			args = append(args, sc.p.org)
		} else {
			q += " AND cs.versions > 0"
		}
		var rows []statementRow
		if err := tx.Raw(q+" ORDER BY ci.organisation_name, cs.id LIMIT ?", append(args, MaxOrganisations)...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("consultations: list statements: %w", err)
		}
		for i := range rows {
			v, err := statementView(tx, sc, &rows[i])
			if err != nil {
				return err
			}
			out = append(out, *v)
		}
		return nil
	})
	return out, err
}

// Versions lists the submitted versions of a statement, newest first
// (staff of the workspace, and the organisation's guests).
func (s *Service) Versions(ctx context.Context, a tenant.Actor, id, statementID uuid.UUID) ([]Version, error) {
	out := []Version{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, false)
		if err != nil {
			return err
		}
		var rows []statementRow
		if err := tx.Table(statementsTable).Where("consultation_id = ? AND id = ?", id, statementID).Limit(1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("consultations: load statement: %w", err)
		}
		if len(rows) == 0 || (sc.p.kind == guest && rows[0].OrganisationID != sc.p.org) {
			return errNotFound()
		}
		vs, err := versionsOf(tx, statementID, MaxVersions, MaxVersions)
		if err != nil {
			return err
		}
		for i := range vs {
			out = append(out, *vs[i].version())
		}
		return nil
	})
	return out, err
}
