package consultations

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/de"
)

// ReminderWorkdays is how many working days before the deadline the
// automatic reminder goes out.
const ReminderWorkdays = 3

// workdays is the calendar of working days: Monday to Friday without the
// nationwide public holidays of Germany.
var workdays = func() *cal.BusinessCalendar {
	c := cal.NewBusinessCalendar()
	c.AddHoliday(de.Holidays...)
	return c
}()

// RemindAt is when the automatic reminder of a consultation with deadline
// is due: ReminderWorkdays working days before it (Europe/Berlin), at the
// same time of day.
func RemindAt(deadline time.Time) time.Time {
	return workdays.WorkdaysFrom(deadline.In(tenant.Berlin), -ReminderWorkdays).UTC()
}

// Create prepares a consultation (state draft) in workspace workspaceID
// with its own folder in the workspace folder (managers of the workspace).
func (s *Service) Create(ctx context.Context, a tenant.Actor, workspaceID uuid.UUID, in Input) (*Consultation, error) {
	now := s.now()
	if err := in.validate(now); err != nil {
		return nil, err
	}
	var out *Consultation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		p, err := loadPlace(tx, a, workspaceID)
		if err != nil {
			return err
		}
		if p.kind == none || p.kind == guest {
			return errNotFound()
		}
		if p.kind != manager {
			return errForbidden()
		}
		if err := p.needActive(); err != nil {
			return err
		}
		if p.FolderID == nil {
			return errs.New(errs.Conflict, errs.M("consultations.no-folder", "Der Arbeitsraum hat keinen Ordner.", "The workspace has no folder."))
		}
		qs, err := jsonText(in.Questions)
		if err != nil {
			return err
		}
		folder, err := documents.CreateOwnedFolder(ctx, tx, a, *p.FolderID, "Beteiligung "+in.Subject)
		if err != nil {
			return err
		}
		r := &row{TenantID: tx.TenantID(), ID: db.NewID(), WorkspaceID: workspaceID, Subject: in.Subject, Description: in.Description,
			Questions: qs, Deadline: in.Deadline.UTC().Truncate(time.Microsecond), State: Draft, FolderID: &folder, Version: 1,
			CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now}
		if err := tx.Create(consultationsTable, r); err != nil {
			return fmt.Errorf("consultations: create: %w", err)
		}
		if err := setInvitees(tx, r.ID, in.Organisations, now); err != nil {
			return err
		}
		if err := setDocuments(tx, a, r.ID, in.Documents); err != nil {
			return err
		}
		if err := record(ctx, tx, a, ActionCreated, r.ID, map[string]string{"subject": in.Subject, "workspace_id": workspaceID.String(),
			"deadline": r.Deadline.Format(time.RFC3339), "organisations": fmt.Sprint(len(in.Organisations))}); err != nil {
			return err
		}
		sc := &scope{a: a, c: *r, p: p}
		out, err = sc.view(tx, now)
		return err
	})
	return out, err
}

// Get returns consultation id for the actor.
func (s *Service) Get(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Consultation, error) {
	var out *Consultation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, false)
		if err != nil {
			return err
		}
		out, err = sc.view(tx, s.now())
		return err
	})
	return out, err
}

// List returns the consultations of workspace workspaceID the actor sees
// (latest deadline first, at most MaxList), without documents and invitees.
func (s *Service) List(ctx context.Context, a tenant.Actor, workspaceID uuid.UUID) ([]Consultation, error) {
	out := []Consultation{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		p, err := loadPlace(tx, a, workspaceID)
		if err != nil {
			return err
		}
		q := tx.Table(consultationsTable).Where("workspace_id = ?", workspaceID)
		switch p.kind {
		case manager, staffReader:
		case guest:
			q = q.Where("state <> ?", string(Draft)).Where(tx.Expr(`EXISTS (SELECT 1 FROM consultation_invitees ci WHERE ci.tenant_id = @tenant
				AND ci.consultation_id = consultations.id AND ci.organisation_id = ?)`, p.org))
		default:
			return errNotFound()
		}
		var rows []row
		if err := q.Order("deadline DESC, id").Limit(MaxList).Scan(&rows).Error; err != nil {
			return fmt.Errorf("consultations: list: %w", err)
		}
		now := s.now()
		for i := range rows {
			sc := &scope{a: a, c: rows[i], p: p}
			out = append(out, sc.summary(now))
		}
		return nil
	})
	return out, err
}

// Update changes a consultation that is not closed (managers; If-Match
// ifMatch when not 0). Questions change only while it is a draft; a new
// deadline extends an open consultation (statements are taken again until
// then, and the automatic reminder is due anew); an organisation that has
// answered stays invited; a document already in keeps its frozen revision.
func (s *Service) Update(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, p Patch) (*Consultation, error) {
	now := s.now()
	if err := p.validate(now); err != nil {
		return nil, err
	}
	var out *Consultation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needChange(); err != nil {
			return err
		}
		if ifMatch != 0 && ifMatch != sc.c.Version {
			return errs.Plain(errs.PreconditionFailed)
		}
		set, details, err := s.patchColumns(sc, p)
		if err != nil {
			return err
		}
		if p.Organisations != nil {
			if err := setInvitees(tx, id, *p.Organisations, now); err != nil {
				return err
			}
		}
		if p.Documents != nil {
			if err := setDocuments(tx, a, id, *p.Documents); err != nil {
				return err
			}
		}
		set["version"], set["updated_at"] = sc.c.Version+1, now
		if err := tx.Table(consultationsTable).Where("id = ?", id).Updates(set).Error; err != nil {
			return fmt.Errorf("consultations: update: %w", err)
		}
		action := ActionUpdated
		if p.Deadline != nil && sc.c.State == Open {
			action = ActionExtended
		}
		if err := record(ctx, tx, a, action, id, details); err != nil {
			return err
		}
		if sc, err = loadScope(tx, a, id, false); err != nil {
			return err
		}
		out, err = sc.view(tx, now)
		return err
	})
	return out, err
}

// patchColumns turns a patch into the columns it sets and audit details.
func (s *Service) patchColumns(sc *scope, p Patch) (map[string]any, map[string]string, error) {
	set, details := map[string]any{}, map[string]string{}
	var fields []string
	if p.Subject != nil {
		set["subject"], details["subject"] = *p.Subject, *p.Subject
		fields = append(fields, "subject")
	}
	if p.Description != nil {
		set["description"] = *p.Description
		fields = append(fields, "description")
	}
	if p.Questions != nil {
		if sc.c.State != Draft {
			return nil, nil, errs.New(errs.Conflict, errs.M("consultations.questions-fixed", "Die Fragen stehen fest, sobald das Beteiligungsverfahren eröffnet ist.", "The questions are fixed once the consultation is open."))
		}
		qs, err := jsonText(*p.Questions)
		if err != nil {
			return nil, nil, err
		}
		set["questions"] = qs
		fields = append(fields, "questions")
	}
	if p.Deadline != nil {
		d := p.Deadline.UTC().Truncate(time.Microsecond)
		set["deadline"], details["deadline"], details["from"] = d, d.Format(time.RFC3339), sc.c.Deadline.Format(time.RFC3339)
		set["reminded_at"] = nil
		if sc.c.State == Open {
			set["remind_at"] = RemindAt(d)
		}
		fields = append(fields, "deadline")
	}
	if p.Organisations != nil {
		fields = append(fields, "organisations")
	}
	if p.Documents != nil {
		fields = append(fields, "documents")
	}
	details["fields"] = strings.Join(fields, ",")
	return set, details, nil
}

// Open opens a draft for statements (managers): it needs at least one
// invited organisation and a deadline ahead. The invited organisations'
// guests in the workspace are notified.
func (s *Service) Open(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Consultation, error) {
	return s.transition(ctx, a, id, ActionOpened, func(tx *db.Tx, sc *scope, now time.Time) (map[string]any, error) {
		if sc.c.State != Draft {
			return nil, errs.New(errs.Conflict, errs.M("consultations.not-draft", "Das Beteiligungsverfahren ist bereits eröffnet.", "The consultation is open already."))
		}
		var n int64
		if err := tx.Table(inviteesTable).Where("consultation_id = ?", sc.c.ID).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("consultations: count invitees: %w", err)
		}
		if n == 0 {
			return nil, errs.New(errs.Conflict, errs.M("consultations.no-invitees", "Bitte zuerst mindestens eine Organisation einladen.", "Please invite at least one organisation first."))
		}
		if !sc.c.Deadline.After(now) {
			return nil, errs.New(errs.Conflict, errs.M("consultations.deadline-passed", "Die Frist ist bereits abgelaufen. Bitte zuerst eine neue Frist setzen.", "The deadline has passed already. Please set a new one first."))
		}
		if err := s.notifyOpened(ctx, tx, &sc.c, a.MembershipID, now); err != nil {
			return nil, err
		}
		return map[string]any{"state": string(Open), "opened_at": now, "remind_at": RemindAt(sc.c.Deadline), "reminded_at": nil}, nil
	})
}

// Close ends an open consultation (managers): no statement is taken any more.
func (s *Service) Close(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Consultation, error) {
	return s.transition(ctx, a, id, ActionClosed, func(tx *db.Tx, sc *scope, now time.Time) (map[string]any, error) {
		if sc.c.State != Open {
			return nil, errNotOpen()
		}
		return map[string]any{"state": string(Closed), "closed_at": now}, nil
	})
}

// transition changes a consultation's state as step decides, recorded as action.
func (s *Service) transition(ctx context.Context, a tenant.Actor, id uuid.UUID, action string,
	step func(tx *db.Tx, sc *scope, now time.Time) (map[string]any, error)) (*Consultation, error) {
	var out *Consultation
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadScope(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.needChange(); err != nil {
			return err
		}
		now := s.now()
		set, err := step(tx, sc, now)
		if err != nil {
			return err
		}
		set["version"], set["updated_at"] = sc.c.Version+1, now
		if err := tx.Table(consultationsTable).Where("id = ?", id).Updates(set).Error; err != nil {
			return fmt.Errorf("consultations: change state: %w", err)
		}
		if err := record(ctx, tx, a, action, id, map[string]string{"subject": sc.c.Subject}); err != nil {
			return err
		}
		if sc, err = loadScope(tx, a, id, false); err != nil {
			return err
		}
		out, err = sc.view(tx, now)
		return err
	})
	return out, err
}
