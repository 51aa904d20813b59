package tasks

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
	"gorm.io/gorm"
)

// Version pages of a template's history.
const (
	MaxVersionPage     = 50
	DefaultVersionPage = 20
)

// TenantTemplates lists the tenant's active templates by name (staff and
// admins; guests and committee members do not see them).
func (s *Service) TenantTemplates(ctx context.Context, a tenant.Actor) ([]Template, error) {
	if !staff(a) {
		return nil, errs.New(errs.Forbidden, errs.M("tasks.template-staff-only", "Die Vorlagen des Mandanten sehen nur seine Beschäftigten.", "Only the tenant's staff see its templates."))
	}
	var out []Template
	err := s.run(ctx, a, func(tx *db.Tx) error {
		var err error
		out, err = listTemplates(tx, scopeOf(tx, nil), a.IsAdmin(), nil)
		return err
	})
	return out, err
}

// WorkspaceTemplates lists the templates a task of workspace ws can be
// made with: the workspace's, and for staff the tenant's, by name
// (members of the workspace).
func (s *Service) WorkspaceTemplates(ctx context.Context, a tenant.Actor, ws uuid.UUID) ([]Template, error) {
	var out []Template
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		q := scopeOf(tx, &ws)
		if staff(a) {
			q = tx.Table(templatesTable).Where("archived = ? AND (workspace_id = ? OR workspace_id IS NULL)", false, ws)
		}
		out, err = listTemplates(tx, q, a.IsAdmin(), func(*templateRow) bool { return canEditTemplate(a, ar) && ar.State == "active" })
		return err
	})
	return out, err
}

// scopeOf selects the active templates of workspace ws (nil: the tenant's).
func scopeOf(tx *db.Tx, ws *uuid.UUID) *gorm.DB {
	q := tx.Table(templatesTable).Where("archived = ?", false)
	if ws == nil {
		return q.Where("workspace_id IS NULL")
	}
	return q.Where("workspace_id = ?", *ws)
}

// listTemplates reads the templates q selects by name; a tenant template
// is editable when admin is set, a workspace's when wsEdit says so.
func listTemplates(tx *db.Tx, q *gorm.DB, admin bool, wsEdit func(*templateRow) bool) ([]Template, error) {
	var rows []templateRow
	if err := q.Order("name, id").Limit(2 * MaxTemplates).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: list templates: %w", err)
	}
	out := make([]Template, len(rows))
	for i := range rows {
		out[i] = rows[i].template()
		if rows[i].WorkspaceID == nil {
			out[i].CanEdit = admin
		} else if wsEdit != nil {
			out[i].CanEdit = wsEdit(&rows[i])
		}
	}
	return out, nil
}

// checkTemplateName refuses a name another active template of the same
// scope (the tenant, or workspace ws) has.
func checkTemplateName(tx *db.Tx, ws *uuid.UUID, name string, except uuid.UUID) error {
	var n int64
	if err := scopeOf(tx, ws).Where("lower(name) = lower(?) AND id <> ?", name, except).Count(&n).Error; err != nil {
		return fmt.Errorf("tasks: check template name: %w", err)
	}
	if n > 0 {
		return errs.New(errs.Conflict, errs.M("tasks.template-name-taken", "Eine Vorlage dieses Namens gibt es hier schon.", "A template of this name exists here already."))
	}
	return nil
}

// CreateTemplate makes a template of workspace ws (its owners and admins)
// or, with ws nil, of the tenant (admins). Guests never make templates.
func (s *Service) CreateTemplate(ctx context.Context, a tenant.Actor, ws *uuid.UUID, in TemplateInput) (*Template, error) {
	items, err := in.validate()
	if err != nil {
		return nil, err
	}
	var out *Template
	err = s.run(ctx, a, func(tx *db.Tx) error {
		var ar *area
		if ws != nil {
			if ar, err = loadArea(tx, a, *ws); err != nil {
				return err
			}
		}
		if err := needKeeper(a, ar); err != nil {
			return err
		}
		var n int64
		if err := scopeOf(tx, ws).Count(&n).Error; err != nil {
			return fmt.Errorf("tasks: count templates: %w", err)
		}
		if n >= MaxTemplates {
			return errs.New(errs.Conflict, errs.M("tasks.too-many-templates", "Hier gibt es schon 200 Vorlagen. Bitte archivieren Sie nicht mehr gebrauchte.", "There are 200 templates here already. Please archive those no longer used."))
		}
		if err := checkTemplateName(tx, ws, in.Name, uuid.Nil); err != nil {
			return err
		}
		now := s.now()
		r := &templateRow{TenantID: tx.TenantID(), ID: db.NewID(), WorkspaceID: ws, Name: in.Name, Version: 1, CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now}
		if err := tx.Create(templatesTable, r); err != nil {
			return fmt.Errorf("tasks: create template: %w", err)
		}
		if err := saveVersion(tx, a, r, items); err != nil {
			return err
		}
		details := map[string]string{"name": r.Name}
		if ws != nil {
			details["workspace_id"] = ws.String()
		}
		if err := a.Record(ctx, tx, ActionTemplateCreated, templateTarget, r.ID, details); err != nil {
			return err
		}
		out = fullTemplate(r, &in, true)
		return nil
	})
	return out, err
}

func saveVersion(tx *db.Tx, a tenant.Actor, r *templateRow, items string) error {
	v := &versionRow{TenantID: tx.TenantID(), TemplateID: r.ID, Version: r.Version, Name: r.Name, Items: items, CreatedAt: r.UpdatedAt, CreatedBy: a.MembershipID}
	if err := tx.Create(tplVersionTable, v); err != nil {
		return fmt.Errorf("tasks: save template version: %w", err)
	}
	return nil
}

func fullTemplate(r *templateRow, in *TemplateInput, canEdit bool) *Template {
	t := r.template()
	t.ChecklistTitle, t.Items, t.CanEdit = in.ChecklistTitle, in.Items, canEdit
	return &t
}

// Template reads a template with its current version's items (whoever
// may see it: staff for the tenant's, members for a workspace's).
func (s *Service) Template(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Template, error) {
	var out *Template
	err := s.run(ctx, a, func(tx *db.Tx) error {
		r, ar, err := loadTemplate(tx, a, id, false)
		if err != nil {
			return err
		}
		_, st, err := readVersion(tx, id, r.Version)
		if err != nil {
			return err
		}
		out = fullTemplate(r, &TemplateInput{ChecklistTitle: st.Title, Items: st.items()}, needEditTemplate(a, r, ar) == nil)
		return nil
	})
	return out, err
}

// UpdateTemplate saves a new version of a template (its keepers). ifMatch
// is the version the caller last read (required); another answers
// errs.PreconditionFailed. Checklists made from earlier versions stay as
// they are.
func (s *Service) UpdateTemplate(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64, in TemplateInput) (*Template, error) {
	if ifMatch <= 0 {
		return nil, errNeedVersion()
	}
	items, err := in.validate()
	if err != nil {
		return nil, err
	}
	var out *Template
	err = s.run(ctx, a, func(tx *db.Tx) error {
		r, ar, err := loadTemplate(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := needEditTemplate(a, r, ar); err != nil {
			return err
		}
		if r.Version != ifMatch {
			return errs.Plain(errs.PreconditionFailed)
		}
		if err := checkTemplateName(tx, r.WorkspaceID, in.Name, id); err != nil {
			return err
		}
		r.Version++
		r.Name, r.UpdatedAt = in.Name, s.now()
		if err := saveVersion(tx, a, r, items); err != nil {
			return err
		}
		n, err := tx.ExecCount("UPDATE checklist_templates SET name = ?, version = ?, updated_at = ? WHERE tenant_id = @tenant AND id = ? AND version = ?",
			r.Name, r.Version, r.UpdatedAt, id, ifMatch)
		if err != nil {
			return fmt.Errorf("tasks: update template: %w", err)
		}
		if n != 1 {
			return errs.Plain(errs.PreconditionFailed)
		}
		if err := a.Record(ctx, tx, ActionTemplateUpdated, templateTarget, id, map[string]string{"name": r.Name, "version": fmt.Sprint(r.Version)}); err != nil {
			return err
		}
		out = fullTemplate(r, &in, true)
		return nil
	})
	return out, err
}

// ArchiveTemplate hides a template from the pickers (its keepers); its
// versions stay, and so do the checklists made from it. ifMatch (0: any)
// is the version the caller last read. Archiving again changes nothing.
func (s *Service) ArchiveTemplate(ctx context.Context, a tenant.Actor, id uuid.UUID, ifMatch int64) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		r, ar, err := loadTemplate(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := needKeeper(a, ar); err != nil || r.Archived {
			return err
		}
		if ifMatch != 0 && r.Version != ifMatch {
			return errs.Plain(errs.PreconditionFailed)
		}
		if _, err := tx.ExecCount("UPDATE checklist_templates SET archived = ?, updated_at = ? WHERE tenant_id = @tenant AND id = ?", true, s.now(), id); err != nil {
			return fmt.Errorf("tasks: archive template: %w", err)
		}
		return a.Record(ctx, tx, ActionTemplateArchived, templateTarget, id, map[string]string{"name": r.Name})
	})
}

// TemplateVersions reads a template's saved states, newest first: a page
// of at most limit versions below version before (0: from the newest).
// next is the cursor of the following page (0: none).
func (s *Service) TemplateVersions(ctx context.Context, a tenant.Actor, id uuid.UUID, before int64, limit int) (vs []TemplateVersion, next int64, err error) {
	if limit <= 0 {
		limit = DefaultVersionPage
	}
	limit = min(limit, MaxVersionPage)
	err = s.run(ctx, a, func(tx *db.Tx) error {
		if _, _, err := loadTemplate(tx, a, id, false); err != nil {
			return err
		}
		var rows []versionRow
		q := `SELECT v.*, u.display_name AS created_by_name FROM checklist_template_versions v
			LEFT JOIN memberships m ON m.tenant_id = v.tenant_id AND m.id = v.created_by
			LEFT JOIN users u ON u.id = m.user_id
			WHERE v.tenant_id = @tenant AND v.template_id = ?`
		args := []any{id}
		if before > 0 {
			q += " AND v.version < ?"
			args = append(args, before)
		}
		if err := tx.Raw(q+" ORDER BY v.version DESC LIMIT ?", append(args, limit+1)...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("tasks: read template versions: %w", err)
		}
		if len(rows) > limit {
			rows, next = rows[:limit], rows[limit-1].Version
		}
		vs = make([]TemplateVersion, len(rows))
		for i, r := range rows {
			st, err := decodeTemplate(r.Items)
			if err != nil {
				return err
			}
			vs[i] = TemplateVersion{Version: r.Version, Name: r.Name, ChecklistTitle: st.Title, Items: st.items(), CreatedAt: r.CreatedAt,
				CreatedBy: r.CreatedBy, CreatedByName: str(r.CreatedByName)}
		}
		return nil
	})
	return vs, next, err
}
