package tasks

// Checklist templates (Prüflisten-Vorlagen): of the tenant (workspace_id
// NULL; admins keep them, staff and admins read them) or of one workspace
// (its owners and admins keep them, its members read them; guests never
// keep templates and never see the tenant's). Every saved state is a row
// of checklist_template_versions with the items as JSON; a task's
// checklist copies the current version's items and names that version,
// so a later change of the template never touches a running task.
// Deleting a template archives it: hidden from pickers, versions kept.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/tenant"
)

// Template limits.
const (
	MaxTemplateNameLen = 200
	MaxTemplateItems   = 100
	// MaxTemplates bounds the active templates of the tenant, and of each workspace.
	MaxTemplates = 200
	// MaxTemplatesPerTask bounds the templates applied when a task is made.
	MaxTemplatesPerTask = 5
	// maxTemplateJSON is the items column's bound.
	maxTemplateJSON = 200000
)

// Audit actions of templates (target: the template).
const (
	ActionTemplateCreated  = "tasks.template.created"
	ActionTemplateUpdated  = "tasks.template.updated"
	ActionTemplateArchived = "tasks.template.archived"
)

// templateTarget is the audit target type of a template.
const templateTarget = "checklist_template"

// TemplateItem is a point of a template.
type TemplateItem struct {
	Text     string
	Required bool
}

// Template is a checklist template as a caller sees it.
type Template struct {
	ID uuid.UUID
	// WorkspaceID: the workspace it belongs to (nil: the tenant's).
	WorkspaceID *uuid.UUID
	Name        string
	// ChecklistTitle is the title of the checklists made from it ("": Name).
	ChecklistTitle string
	// Items of the current version (nil in lists).
	Items     []TemplateItem
	Version   int64
	Archived  bool
	CreatedAt time.Time
	CreatedBy uuid.UUID
	UpdatedAt time.Time
	// CanEdit: the caller may change and archive it.
	CanEdit bool
}

// TemplateVersion is one saved state of a template.
type TemplateVersion struct {
	Version        int64
	Name           string
	ChecklistTitle string
	Items          []TemplateItem
	CreatedAt      time.Time
	CreatedBy      uuid.UUID
	CreatedByName  string
}

// TemplateInput is a template's content as its keeper saves it.
type TemplateInput struct {
	Name           string
	ChecklistTitle string
	Items          []TemplateItem
}

type templateRow struct {
	TenantID    uuid.UUID  `gorm:"column:tenant_id"`
	ID          uuid.UUID  `gorm:"column:id"`
	WorkspaceID *uuid.UUID `gorm:"column:workspace_id"`
	Name        string     `gorm:"column:name"`
	Version     int64      `gorm:"column:version"`
	Archived    bool       `gorm:"column:archived"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	CreatedBy   uuid.UUID  `gorm:"column:created_by"`
	UpdatedAt   time.Time  `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (r *templateRow) OwnerTenant() uuid.UUID { return r.TenantID }

func (r *templateRow) template() Template {
	return Template{ID: r.ID, WorkspaceID: r.WorkspaceID, Name: r.Name, Version: r.Version, Archived: r.Archived,
		CreatedAt: r.CreatedAt, CreatedBy: r.CreatedBy, UpdatedAt: r.UpdatedAt}
}

type versionRow struct {
	TenantID   uuid.UUID `gorm:"column:tenant_id"`
	TemplateID uuid.UUID `gorm:"column:template_id"`
	Version    int64     `gorm:"column:version"`
	Name       string    `gorm:"column:name"`
	Items      string    `gorm:"column:items"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	CreatedBy  uuid.UUID `gorm:"column:created_by"`
	// CreatedByName is read with the version, never written.
	CreatedByName *string `gorm:"column:created_by_name;->"`
}

// OwnerTenant implements db.TenantOwned.
func (r *versionRow) OwnerTenant() uuid.UUID { return r.TenantID }

// storedTemplate is a version's items column.
type storedTemplate struct {
	Title string       `json:"title,omitempty"`
	Items []storedItem `json:"items"`
}

type storedItem struct {
	Text     string `json:"text"`
	Required bool   `json:"required,omitempty"`
}

func (st *storedTemplate) items() []TemplateItem {
	out := make([]TemplateItem, len(st.Items))
	for i, it := range st.Items {
		out[i] = TemplateItem{Text: it.Text, Required: it.Required}
	}
	return out
}

func decodeTemplate(s string) (*storedTemplate, error) {
	var st storedTemplate
	if err := json.Unmarshal([]byte(s), &st); err != nil {
		return nil, fmt.Errorf("tasks: decode template items: %w", err)
	}
	return &st, nil
}

// validate checks the input and returns its stored form.
func (in *TemplateInput) validate() (string, error) {
	name, err := input.Line("name", in.Name)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(name); n < 1 || n > MaxTemplateNameLen {
		return "", errs.InvalidField("name", errs.M("tasks.template-name-length", "Bitte einen Namen der Vorlage mit 1 bis 200 Zeichen angeben.", "Please give the template a name of 1 to 200 characters."))
	}
	in.Name = name
	st := storedTemplate{Items: make([]storedItem, 0, len(in.Items))}
	if in.ChecklistTitle != "" {
		if st.Title, err = checkChecklistTitle("checklist_title", in.ChecklistTitle); err != nil {
			return "", err
		}
		in.ChecklistTitle = st.Title
	}
	if len(in.Items) < 1 || len(in.Items) > MaxTemplateItems {
		return "", errs.InvalidField("items", errs.M("tasks.template-items-count", "Eine Vorlage hat 1 bis 100 Punkte.", "A template has 1 to 100 items."))
	}
	for i, it := range in.Items {
		text, err := checkItemText("items", it.Text)
		if err != nil {
			return "", err
		}
		in.Items[i].Text = text
		st.Items = append(st.Items, storedItem{Text: text, Required: it.Required})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(st); err != nil {
		return "", fmt.Errorf("tasks: encode template: %w", err)
	}
	out := string(bytes.TrimSpace(b.Bytes()))
	if utf8.RuneCountInString(out) > maxTemplateJSON {
		return "", errs.InvalidField("items", errs.M("tasks.template-too-long", "Die Vorlage ist zu lang. Bitte kürzen Sie die Punkte.", "The template is too long. Please shorten its items."))
	}
	return out, nil
}

// staff reports whether the caller is agency staff (staff or admin): only
// they see the tenant's templates.
func staff(a tenant.Actor) bool { return a.Role == tenant.RoleStaff || a.Role == tenant.RoleAdmin }

// loadTemplate reads template id for the caller: a tenant template for
// staff and admins, a workspace's for its members and admins; any other
// answers NotFound like an unknown id. ar is the workspace's area (nil for
// a tenant template).
func loadTemplate(tx *db.Tx, a tenant.Actor, id uuid.UUID, lock bool) (*templateRow, *area, error) {
	var rows []templateRow
	q := "SELECT * FROM checklist_templates WHERE tenant_id = @tenant AND id = ?"
	if lock {
		q = forUpdate(tx, q)
	}
	if err := tx.Raw(q, id).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("tasks: read template: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, errNotFound()
	}
	r := &rows[0]
	if r.WorkspaceID == nil {
		if !staff(a) {
			return nil, nil, errNotFound()
		}
		return r, nil, nil
	}
	ar, err := loadArea(tx, a, *r.WorkspaceID)
	if err != nil {
		return nil, nil, err
	}
	return r, ar, nil
}

// canEditTemplate: the tenant's templates are kept by admins, a
// workspace's by its owners (guests never) and admins.
func canEditTemplate(a tenant.Actor, ar *area) bool {
	if ar == nil {
		return a.IsAdmin()
	}
	return ar.owner() && a.Role != tenant.RolePartner
}

// needKeeper: the caller keeps the templates of the scope (ar nil: the
// tenant's), and the workspace is active.
func needKeeper(a tenant.Actor, ar *area) error {
	if !canEditTemplate(a, ar) {
		return errs.New(errs.Forbidden, errs.M("tasks.template-keepers",
			"Vorlagen des Mandanten pflegt die Administration, Vorlagen eines Arbeitsraums pflegen seine Eigentümer.",
			"The tenant's templates are kept by its administrators, a workspace's templates by the workspace's owners."))
	}
	if ar != nil && ar.State != "active" {
		return errArchived()
	}
	return nil
}

// needEditTemplate: the caller keeps template r, which is not archived.
func needEditTemplate(a tenant.Actor, r *templateRow, ar *area) error {
	if err := needKeeper(a, ar); err != nil {
		return err
	}
	if r.Archived {
		return errs.New(errs.Conflict, errs.M("tasks.template-archived", "Die Vorlage ist archiviert und lässt sich nicht mehr ändern.", "The template is archived and can no longer be changed."))
	}
	return nil
}

// readVersion reads version v of template id.
func readVersion(tx *db.Tx, id uuid.UUID, v int64) (*versionRow, *storedTemplate, error) {
	var rows []versionRow
	if err := tx.Table(tplVersionTable).Where("template_id = ? AND version = ?", id, v).Scan(&rows).Error; err != nil {
		return nil, nil, fmt.Errorf("tasks: read template version: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil, fmt.Errorf("tasks: template %s lacks version %d", id, v)
	}
	st, err := decodeTemplate(rows[0].Items)
	return &rows[0], st, err
}

// appliedTemplate is a template's current version, ready to be copied into a task.
type appliedTemplate struct {
	row     *templateRow
	content *storedTemplate
}

func (t *appliedTemplate) checklistTitle() string {
	if t.content.Title != "" {
		return t.content.Title
	}
	return clip(t.row.Name, MaxChecklistTitleLen)
}

// usableTemplate reads template id for a task of workspace ws: active,
// and the workspace's or (for staff) the tenant's. Any other answers an
// invalid field, like an unknown id.
func usableTemplate(tx *db.Tx, a tenant.Actor, ws, id uuid.UUID, field string) (*appliedTemplate, error) {
	var rows []templateRow
	if err := tx.Table(templatesTable).Where("id = ?", id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read template: %w", err)
	}
	bad := errs.InvalidField(field, errs.M("tasks.template-unknown", "Diese Prüflisten-Vorlage gibt es für diesen Arbeitsraum nicht (mehr).", "This checklist template does not exist for this workspace (any more)."))
	if len(rows) == 0 || rows[0].Archived {
		return nil, bad
	}
	r := &rows[0]
	if (r.WorkspaceID == nil && !staff(a)) || (r.WorkspaceID != nil && *r.WorkspaceID != ws) {
		return nil, bad
	}
	_, st, err := readVersion(tx, r.ID, r.Version)
	if err != nil {
		return nil, err
	}
	return &appliedTemplate{row: r, content: st}, nil
}

// applyTemplates copies templates ids into new checklists of the scope's
// task (the task's creation: Input.TemplateIDs).
func (s *Service) applyTemplates(ctx context.Context, tx *db.Tx, sc *scope, ids []uuid.UUID) error {
	for _, id := range ids {
		tpl, err := usableTemplate(tx, sc.a, sc.t.WorkspaceID, id, "template_ids")
		if err != nil {
			return err
		}
		if _, err := s.newChecklist(ctx, tx, sc, "", tpl); err != nil {
			return err
		}
	}
	return nil
}
