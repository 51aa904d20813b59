package tasks

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
)

// Input limits.
const (
	MaxTitleLen       = 300
	MaxDescriptionLen = 50000
	MaxLabels         = 20
	MaxLabelLen       = 50
	MaxAssignees      = 50
	MaxWatchers       = 200
	// MaxPage bounds every list page; DefaultPage is a page's size when the
	// caller names none.
	MaxPage     = 200
	DefaultPage = 50
	// MaxTasksPerWorkspace bounds a workspace's tasks (the board and the
	// reminder run stay bounded).
	MaxTasksPerWorkspace = 100000
	// MaxDepth bounds the nesting of subtasks.
	MaxDepth = 5
)

// Category is what a status means: the rules read it (a task of a closed
// category needs no reminder; done needs the required checklist items).
type Category string

// The categories, which are also the five built-in statuses.
const (
	Open       Category = "open"
	InProgress Category = "in_progress"
	Waiting    Category = "waiting"
	Done       Category = "done"
	Cancelled  Category = "cancelled"
)

// Categories lists the categories in their board order.
var Categories = []Category{Open, InProgress, Waiting, Done, Cancelled}

func (c Category) valid() bool {
	for _, k := range Categories {
		if c == k {
			return true
		}
	}
	return false
}

// Closed reports whether a task in this category is finished (done or cancelled).
func (c Category) Closed() bool { return c == Done || c == Cancelled }

// Priority is a task's priority, 1 (low) to 4 (urgent).
type Priority int

// The priorities.
const (
	Low    Priority = 1
	Normal Priority = 2
	High   Priority = 3
	Urgent Priority = 4
)

// DateLayout is the form of a day; TimeLayout of a due time.
const (
	DateLayout = "2006-01-02"
	TimeLayout = "15:04"
)

// Task is a task as a caller sees it.
type Task struct {
	ID          uuid.UUID
	WorkspaceID uuid.UUID
	// WorkspaceName is filled where tasks of several workspaces are listed.
	WorkspaceName string
	ParentID      *uuid.UUID
	Title         string
	Description   string
	StatusID      uuid.UUID
	StatusName    string
	Category      Category
	Priority      Priority
	StartOn       string
	DueOn         string
	DueTime       string
	// DueFrom and DueWorkdays: the due day was computed as DueWorkdays
	// working days after DueFrom ("10 Arbeitstage nach Eingang").
	DueFrom     string
	DueWorkdays int
	Milestone   bool
	Rank        float64
	DocumentID  *uuid.UUID
	Labels      []string
	Assignees   []Assignee
	Watchers    []Person
	Version     int64
	CreatedAt   time.Time
	CreatedBy   uuid.UUID
	UpdatedAt   time.Time
	ClosedAt    *time.Time
	// Overdue: open and the due day (and time) has passed.
	Overdue bool
	// Blocked: an open task that blocks this one exists.
	Blocked bool
	// Checklist progress: items done of all, required items still open.
	ChecklistDone, ChecklistTotal, RequiredOpen int
	// SubtasksDone of SubtasksTotal.
	SubtasksDone, SubtasksTotal int
	// CanWrite: the caller may change the task.
	CanWrite bool
	// SignedOff: the latest sign-off of the task that was not withdrawn was approved (signoff.go).
	SignedOff bool
	// Decision is the committee decision a follow-up task comes from, as
	// the caller may see it (decisions.go; read with one task only).
	Decision *Decision
}

// Assignee is a person or a group a task is assigned to.
type Assignee struct {
	MembershipID *uuid.UUID
	GroupID      *uuid.UUID
	Name         string
	Guest        bool
}

// Person is a member named.
type Person struct {
	MembershipID uuid.UUID
	Name         string
}

// Input is a task's fields as a caller sets them on creation.
type Input struct {
	Title       string
	Description string
	// StatusID: uuid.Nil is the workspace's built-in "open" status.
	StatusID    uuid.UUID
	Priority    Priority
	StartOn     string
	DueOn       string
	DueTime     string
	DueFrom     string
	DueWorkdays int
	Milestone   bool
	ParentID    *uuid.UUID
	// DocumentID makes a task about a document of the workspace ("Aufgabe
	// zu diesem Dokument"); the document is attached too.
	DocumentID *uuid.UUID
	Labels     []string
	// Assignees are memberships (members of the workspace) and groups.
	AssigneeIDs []uuid.UUID
	GroupIDs    []uuid.UUID
	WatcherIDs  []uuid.UUID
	// TemplateIDs are checklist templates applied on creation.
	TemplateIDs []uuid.UUID
}

// Patch changes some of a task's fields; nil leaves a field as it is.
type Patch struct {
	Title       *string
	Description *string
	StatusID    *uuid.UUID
	Priority    *Priority
	StartOn     *string
	// DueOn, DueTime, DueFrom, DueWorkdays: the due date; "" and 0 clear.
	DueOn       *string
	DueTime     *string
	DueFrom     *string
	DueWorkdays *int
	Milestone   *bool
	ParentID    *uuid.UUID
	// ClearParent makes a subtask a task of its own.
	ClearParent bool
	Labels      *[]string
	AssigneeIDs *[]uuid.UUID
	GroupIDs    *[]uuid.UUID
	WatcherIDs  *[]uuid.UUID
}

func checkTitle(s string) (string, error) {
	t, err := input.Line("title", s)
	if err != nil {
		return "", err
	}
	if n := utf8.RuneCountInString(t); n < 1 || n > MaxTitleLen {
		return "", errs.InvalidField("title", errs.M("tasks.title-length", "Bitte einen Titel mit 1 bis 300 Zeichen angeben.", "Please enter a title of 1 to 300 characters."))
	}
	return t, nil
}

func checkDescription(s string) (string, error) {
	s = strings.TrimSpace(s)
	if err := input.Text("description", s); err != nil {
		return "", err
	}
	if utf8.RuneCountInString(s) > MaxDescriptionLen {
		return "", errs.InvalidField("description", errs.M("tasks.description-too-long", "Die Beschreibung darf höchstens 50000 Zeichen lang sein.", "The description may be at most 50000 characters long."))
	}
	return s, nil
}

func checkPriority(p Priority) error {
	if p < Low || p > Urgent {
		return errs.InvalidField("priority", errs.M("tasks.priority-range", "Die Priorität ist 1 (niedrig) bis 4 (dringend).", "The priority is 1 (low) to 4 (urgent)."))
	}
	return nil
}

func checkDate(field, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil || t.Format(DateLayout) != s || t.Year() < 1900 || t.Year() > 2200 {
		return "", errs.InvalidField(field, errs.M("tasks.date-invalid", "Bitte ein Datum in der Form JJJJ-MM-TT angeben.", "Please give a date in the form YYYY-MM-DD."))
	}
	return s, nil
}

func checkTime(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	t, err := time.Parse(TimeLayout, s)
	if err != nil || t.Format(TimeLayout) != s {
		return "", errs.InvalidField("due_time", errs.M("tasks.time-invalid", "Bitte eine Uhrzeit in der Form HH:MM angeben.", "Please give a time in the form HH:MM."))
	}
	return s, nil
}

// checkLabels trims, de-duplicates and bounds labels.
func checkLabels(in []string) ([]string, error) {
	if len(in) > MaxLabels {
		return nil, errs.InvalidField("labels", errs.M("tasks.too-many-labels", "Eine Aufgabe trägt höchstens 20 Schlagworte.", "A task carries at most 20 labels."))
	}
	seen := map[string]bool{}
	out := make([]string, 0, len(in))
	for _, l := range in {
		l, err := input.Line("labels", l)
		if err != nil {
			return nil, err
		}
		if n := utf8.RuneCountInString(l); n < 1 || n > MaxLabelLen {
			return nil, errs.InvalidField("labels", errs.M("tasks.label-length", "Ein Schlagwort hat 1 bis 50 Zeichen.", "A label has 1 to 50 characters."))
		}
		k := strings.ToLower(l)
		if !seen[k] {
			seen[k] = true
			out = append(out, l)
		}
	}
	return out, nil
}

func uniqueIDs(field string, ids []uuid.UUID, limit int) ([]uuid.UUID, error) {
	if len(ids) > limit {
		return nil, errs.InvalidField(field, errs.M("tasks.too-many-people", "Zu viele Einträge in dieser Liste.", "Too many entries in this list."))
	}
	seen := map[uuid.UUID]bool{}
	out := make([]uuid.UUID, 0, len(ids))
	for _, id := range ids {
		if id == uuid.Nil {
			return nil, errs.InvalidField(field, errs.M("tasks.empty-id", "Die Liste enthält eine leere Kennung.", "The list holds an empty id."))
		}
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out, nil
}
