package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/tasks"
)

// Types of the task routes around one task: links, documents, comments, history.

// TaskBriefView is another task named from this one.
type TaskBriefView struct {
	ID       uuid.UUID `json:"id"`
	Title    string    `json:"title"`
	Category string    `json:"category" enum:"open,in_progress,waiting,done,cancelled"`
	DueOn    string    `json:"due_on,omitempty"`
	Kind     string    `json:"kind,omitempty" enum:"blocks,blocked_by,relates," doc:"The link seen from this task (links only)"`
}

// TaskDocumentView is a document filed with a task.
type TaskDocumentView struct {
	DocumentID uuid.UUID `json:"document_id"`
	Title      string    `json:"title" doc:"Empty when the caller cannot read the document"`
	Readable   bool      `json:"readable"`
	AddedBy    uuid.UUID `json:"added_by"`
	CreatedAt  time.Time `json:"created_at"`
}

type taskRelatedOut struct {
	Body struct {
		Links     []TaskBriefView    `json:"links" nullable:"false"`
		Subtasks  []TaskBriefView    `json:"subtasks" nullable:"false"`
		Documents []TaskDocumentView `json:"documents" nullable:"false"`
	}
}

func briefViews(bs []tasks.Brief) []TaskBriefView {
	out := make([]TaskBriefView, len(bs))
	for i, b := range bs {
		out[i] = TaskBriefView{ID: b.ID, Title: b.Title, Category: string(b.Category), Kind: string(b.Kind)}
		if b.DueOn != nil {
			out[i].DueOn = *b.DueOn
		}
	}
	return out
}

type linkTaskIn struct {
	TenantIDPath
	Body struct {
		TaskID uuid.UUID `json:"task_id" doc:"Another task of the same workspace"`
		Kind   string    `json:"kind" enum:"blocks,blocked_by,relates"`
	}
}

// TaskOtherPath names a task and another task.
type TaskOtherPath struct {
	TenantIDPath
	Other uuid.UUID `path:"other" doc:"The linked task's id"`
}

type attachTaskDocumentIn struct {
	TenantIDPath
	Body struct {
		DocumentID uuid.UUID `json:"document_id" doc:"A document of the workspace's folder (upload it there first)"`
	}
}

// TaskDocumentPath names a task and a document.
type TaskDocumentPath struct {
	TenantIDPath
	Document uuid.UUID `path:"document" doc:"Document id"`
}

// TaskCommentView is a comment on a task.
type TaskCommentView struct {
	ID         uuid.UUID        `json:"id"`
	AuthorID   uuid.UUID        `json:"author_id"`
	AuthorName string           `json:"author_name"`
	Body       string           `json:"body" doc:"Markdown; empty when withdrawn"`
	Mentions   []TaskPersonView `json:"mentions" nullable:"false"`
	CreatedAt  time.Time        `json:"created_at"`
	EditedAt   *time.Time       `json:"edited_at,omitempty"`
	Deleted    bool             `json:"deleted"`
	Mine       bool             `json:"mine"`
}

func commentView(c *tasks.Comment) TaskCommentView {
	v := TaskCommentView{ID: c.ID, AuthorID: c.AuthorID, AuthorName: c.AuthorName, Body: c.Body, CreatedAt: c.CreatedAt, EditedAt: c.EditedAt,
		Deleted: c.Deleted, Mine: c.Mine, Mentions: make([]TaskPersonView, len(c.Mentions))}
	for i, m := range c.Mentions {
		v.Mentions[i] = TaskPersonView{MembershipID: m.MembershipID, Name: m.Name}
	}
	return v
}

type taskCommentsOut struct {
	Body struct {
		Comments []TaskCommentView `json:"comments" nullable:"false"`
	}
}

type taskCommentOut struct{ Body TaskCommentView }

type addTaskCommentIn struct {
	TenantIDPath
	Body struct {
		Body     string      `json:"body" minLength:"1" maxLength:"20000" doc:"Markdown"`
		Mentions []uuid.UUID `json:"mentions,omitempty" maxItems:"50" doc:"Members of the workspace mentioned; each is told"`
	}
}

// TaskCommentPath names a comment of a task.
type TaskCommentPath struct {
	TenantIDPath
	Comment uuid.UUID `path:"comment" doc:"Comment id"`
}

type editTaskCommentIn struct {
	TaskCommentPath
	Body struct {
		Body string `json:"body" minLength:"1" maxLength:"20000"`
	}
}

// TaskHistoryView is one change of a task.
type TaskHistoryView struct {
	ID        uuid.UUID  `json:"id"`
	ActorID   *uuid.UUID `json:"actor_id,omitempty" doc:"Absent for the system"`
	ActorName string     `json:"actor_name"`
	Field     string     `json:"field" doc:"created, title, description, status, priority, due, start_on, milestone, parent, labels, assignees, link, document, checklist, …"`
	OldValue  string     `json:"old_value"`
	NewValue  string     `json:"new_value"`
	CreatedAt time.Time  `json:"created_at"`
}

type taskHistoryOut struct {
	Body struct {
		Entries []TaskHistoryView `json:"entries" nullable:"false"`
	}
}

// TaskLabelView is a label of a workspace's tasks.
type TaskLabelView struct {
	Label string `json:"label"`
	Count int    `json:"count" doc:"Tasks carrying it"`
}

type taskLabelsOut struct {
	Body struct {
		Labels []TaskLabelView `json:"labels" nullable:"false"`
	}
}
