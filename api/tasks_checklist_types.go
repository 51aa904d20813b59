package api

import (
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/tasks"
)

// Request and response types of the checklist and template routes
// (tasks_checklist_routes.go): their own structs, never the domain's.

// TaskChecklistItemView is one point of a checklist.
type TaskChecklistItemView struct {
	ID          uuid.UUID  `json:"id"`
	ChecklistID uuid.UUID  `json:"checklist_id"`
	Text        string     `json:"text"`
	Required    bool       `json:"required" doc:"The task cannot be done while this item is open"`
	Position    int        `json:"position"`
	Done        bool       `json:"done"`
	DoneAt      *time.Time `json:"done_at,omitempty"`
	DoneBy      *uuid.UUID `json:"done_by,omitempty" doc:"Membership that ticked it"`
	DoneByName  string     `json:"done_by_name,omitempty"`
}

// TaskChecklistView is one checklist of a task with its items in order.
type TaskChecklistView struct {
	ID              uuid.UUID               `json:"id"`
	Title           string                  `json:"title"`
	Position        int                     `json:"position"`
	TemplateID      *uuid.UUID              `json:"template_id,omitempty" doc:"The template it was copied from (absent: made by hand)"`
	TemplateName    string                  `json:"template_name,omitempty" doc:"The template's name in that version: „Vorlage <name>, Version <template_version>“"`
	TemplateVersion int64                   `json:"template_version,omitempty" doc:"The template version copied; later versions never change this list"`
	CreatedAt       time.Time               `json:"created_at"`
	Items           []TaskChecklistItemView `json:"items" nullable:"false"`
}

func checklistItemView(it *tasks.ChecklistItem) TaskChecklistItemView {
	return TaskChecklistItemView{ID: it.ID, ChecklistID: it.ChecklistID, Text: it.Text, Required: it.Required, Position: it.Position,
		Done: it.DoneAt != nil, DoneAt: it.DoneAt, DoneBy: it.DoneBy, DoneByName: it.DoneByName}
}

func checklistView(c *tasks.Checklist) TaskChecklistView {
	v := TaskChecklistView{ID: c.ID, Title: c.Title, Position: c.Position, TemplateID: c.TemplateID, TemplateName: c.TemplateName,
		TemplateVersion: c.TemplateVersion, CreatedAt: c.CreatedAt, Items: make([]TaskChecklistItemView, len(c.Items))}
	for i := range c.Items {
		v.Items[i] = checklistItemView(&c.Items[i])
	}
	return v
}

type taskChecklistsOut struct {
	Body struct {
		Checklists   []TaskChecklistView `json:"checklists" nullable:"false"`
		Done         int                 `json:"done" doc:"Items ticked"`
		Total        int                 `json:"total"`
		RequiredOpen int                 `json:"required_open" doc:"Required items still open: the task cannot be done before they are ticked"`
		CanWrite     bool                `json:"can_write" doc:"The caller may change the lists and tick items"`
		CanManage    bool                `json:"can_manage" doc:"The caller may also remove required items or make them optional (owners, admins)"`
	}
}

type taskChecklistOut struct{ Body TaskChecklistView }

type taskChecklistItemOut struct{ Body TaskChecklistItemView }

type addTaskChecklistIn struct {
	TenantIDPath
	Body struct {
		Title      string     `json:"title,omitempty" maxLength:"200" doc:"Required unless template_id is given (then the template's checklist title)"`
		TemplateID *uuid.UUID `json:"template_id,omitempty" doc:"A template of the task's workspace or (for staff) of the tenant: its current version's items are copied"`
		Position   *int       `json:"position,omitempty" minimum:"0" maximum:"10000" doc:"Place among the task's lists (absent: at the end)"`
	}
}

// TaskChecklistPath names a checklist of a task.
type TaskChecklistPath struct {
	TenantIDPath
	Checklist uuid.UUID `path:"checklist" doc:"Checklist id"`
}

type updateTaskChecklistIn struct {
	TaskChecklistPath
	Body struct {
		Title    *string `json:"title,omitempty" maxLength:"200" nullable:"false"`
		Position *int    `json:"position,omitempty" minimum:"0" maximum:"10000" nullable:"false" doc:"Moves the list to this place (0: first)"`
	}
}

type addTaskChecklistItemIn struct {
	TaskChecklistPath
	Body struct {
		Text     string `json:"text" minLength:"1" maxLength:"500"`
		Required bool   `json:"required,omitempty"`
		Position *int   `json:"position,omitempty" minimum:"0" maximum:"10000" doc:"Place in the list (absent: at the end)"`
	}
}

// TaskChecklistItemPath names a checklist item of a task.
type TaskChecklistItemPath struct {
	TenantIDPath
	Item uuid.UUID `path:"item" doc:"Checklist item id"`
}

type updateTaskChecklistItemIn struct {
	TaskChecklistItemPath
	Body struct {
		Done     *bool   `json:"done,omitempty" nullable:"false" doc:"Ticks (true) or unticks the item"`
		Text     *string `json:"text,omitempty" maxLength:"500" nullable:"false"`
		Required *bool   `json:"required,omitempty" nullable:"false" doc:"false: owners and admins only"`
		Position *int    `json:"position,omitempty" minimum:"0" maximum:"10000" nullable:"false" doc:"Moves the item to this place in its list (0: first)"`
	}
}

// TaskTemplateItemView is a point of a checklist template.
type TaskTemplateItemView struct {
	Text     string `json:"text" minLength:"1" maxLength:"500"`
	Required bool   `json:"required" required:"false" doc:"Default false"`
}

// TaskTemplateSummaryView is a checklist template as a picker lists it.
type TaskTemplateSummaryView struct {
	ID          uuid.UUID  `json:"id"`
	WorkspaceID *uuid.UUID `json:"workspace_id,omitempty" doc:"The workspace it belongs to; absent: a template of the whole tenant"`
	Name        string     `json:"name"`
	Version     int64      `json:"version"`
	Archived    bool       `json:"archived"`
	UpdatedAt   time.Time  `json:"updated_at"`
	CanEdit     bool       `json:"can_edit" doc:"The caller keeps it (admins the tenant's, owners a workspace's)"`
}

// TaskTemplateView is a checklist template with its current version's items; its version is the ETag.
type TaskTemplateView struct {
	TaskTemplateSummaryView
	ChecklistTitle string                 `json:"checklist_title,omitempty" doc:"Title of the lists made from it (absent: the name)"`
	Items          []TaskTemplateItemView `json:"items" nullable:"false"`
	CreatedAt      time.Time              `json:"created_at"`
	CreatedBy      uuid.UUID              `json:"created_by"`
}

func templateSummaryView(t *tasks.Template) TaskTemplateSummaryView {
	return TaskTemplateSummaryView{ID: t.ID, WorkspaceID: t.WorkspaceID, Name: t.Name, Version: t.Version, Archived: t.Archived,
		UpdatedAt: t.UpdatedAt, CanEdit: t.CanEdit}
}

func templateItemViews(items []tasks.TemplateItem) []TaskTemplateItemView {
	out := make([]TaskTemplateItemView, len(items))
	for i, it := range items {
		out[i] = TaskTemplateItemView{Text: it.Text, Required: it.Required}
	}
	return out
}

func templateResult(t *tasks.Template, err error) (*taskTemplateOut, error) {
	if err != nil {
		return nil, err
	}
	return &taskTemplateOut{ETag: etag(t.Version), Body: TaskTemplateView{TaskTemplateSummaryView: templateSummaryView(t),
		ChecklistTitle: t.ChecklistTitle, Items: templateItemViews(t.Items), CreatedAt: t.CreatedAt, CreatedBy: t.CreatedBy}}, nil
}

func templatesResult(ts []tasks.Template, err error) (*taskTemplatesOut, error) {
	if err != nil {
		return nil, err
	}
	out := &taskTemplatesOut{}
	out.Body.Templates = make([]TaskTemplateSummaryView, len(ts))
	for i := range ts {
		out.Body.Templates[i] = templateSummaryView(&ts[i])
	}
	return out, nil
}

type taskTemplateOut struct {
	ETag string `header:"ETag"`
	Body TaskTemplateView
}

type taskTemplatesOut struct {
	Body struct {
		Templates []TaskTemplateSummaryView `json:"templates" nullable:"false" doc:"Active templates by name (at most 200 of each scope)"`
	}
}

// taskTemplateFields are a template's content as its keeper saves it.
type taskTemplateFields struct {
	Name           string                 `json:"name" minLength:"1" maxLength:"200"`
	ChecklistTitle string                 `json:"checklist_title,omitempty" maxLength:"200" doc:"Title of the lists made from it (absent: the name)"`
	Items          []TaskTemplateItemView `json:"items" minItems:"1" maxItems:"100" nullable:"false"`
}

func (f *taskTemplateFields) input() tasks.TemplateInput {
	in := tasks.TemplateInput{Name: f.Name, ChecklistTitle: f.ChecklistTitle, Items: make([]tasks.TemplateItem, len(f.Items))}
	for i, it := range f.Items {
		in.Items[i] = tasks.TemplateItem{Text: it.Text, Required: it.Required}
	}
	return in
}

type createTaskTemplateIn struct {
	TenantPath
	Body taskTemplateFields
}

type createWorkspaceTaskTemplateIn struct {
	TenantIDPath
	Body taskTemplateFields
}

type updateTaskTemplateIn struct {
	TenantIDPath
	IfMatchHeader
	Body taskTemplateFields
}

type archiveTaskTemplateIn struct {
	TenantIDPath
	IfMatchHeader
}

type taskTemplateVersionsIn struct {
	TenantIDPath
	Cursor string `query:"cursor" maxLength:"20" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"50" default:"20"`
}

// before is the version the page starts below (0: the newest; a malformed cursor starts there too).
func (in *taskTemplateVersionsIn) before() int64 {
	v, err := strconv.ParseInt(in.Cursor, 10, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// TaskTemplateVersionView is one saved state of a template.
type TaskTemplateVersionView struct {
	Version        int64                  `json:"version"`
	Name           string                 `json:"name"`
	ChecklistTitle string                 `json:"checklist_title,omitempty"`
	Items          []TaskTemplateItemView `json:"items" nullable:"false"`
	CreatedAt      time.Time              `json:"created_at"`
	CreatedBy      uuid.UUID              `json:"created_by"`
	CreatedByName  string                 `json:"created_by_name"`
}

type taskTemplateVersionsOut struct {
	Body struct {
		Versions []TaskTemplateVersionView `json:"versions" nullable:"false" doc:"Newest first"`
		Next     string                    `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	}
}
