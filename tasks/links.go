package tasks

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// LinkKind is how two tasks relate.
type LinkKind string

// The kinds, as the caller's task sees them: it blocks the other, is
// blocked by it, or relates to it.
const (
	Blocks    LinkKind = "blocks"
	BlockedBy LinkKind = "blocked_by"
	Relates   LinkKind = "relates"
)

// MaxLinks bounds the links and attachments of one task.
const MaxLinks = 200

// Brief is another task named from this one.
type Brief struct {
	ID       uuid.UUID `gorm:"column:id"`
	Title    string    `gorm:"column:title"`
	Category Category  `gorm:"column:category"`
	DueOn    *string   `gorm:"column:due_on"`
	// Kind: the link's kind seen from the task asked about (links only).
	Kind LinkKind `gorm:"column:kind"`
}

// Attachment is a document filed with a task.
type Attachment struct {
	DocumentID uuid.UUID `gorm:"column:document_id"`
	Title      string    `gorm:"column:title"`
	AddedBy    uuid.UUID `gorm:"column:added_by"`
	CreatedAt  time.Time `gorm:"column:created_at"`
	// Readable: the caller may open it (the folder may have closed to them).
	Readable bool `gorm:"-"`
}

// Related is what a task is tied to: linked tasks, subtasks, documents.
type Related struct {
	Links     []Brief
	Subtasks  []Brief
	Documents []Attachment
}

// Related reads a task's links, subtasks and documents (members).
func (s *Service) Related(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Related, error) {
	out := &Related{Links: []Brief{}, Subtasks: []Brief{}, Documents: []Attachment{}}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadTask(tx, a, id, false); err != nil {
			return err
		}
		if err := tx.Raw(`SELECT t.id, t.title, t.category, t.due_on, CASE WHEN l.kind = 'relates' THEN 'relates' ELSE 'blocks' END AS kind
			FROM task_links l JOIN tasks t ON t.tenant_id = l.tenant_id AND t.id = l.to_id WHERE l.tenant_id = @tenant AND l.from_id = ?
			UNION ALL SELECT t.id, t.title, t.category, t.due_on, CASE WHEN l.kind = 'relates' THEN 'relates' ELSE 'blocked_by' END AS kind
			FROM task_links l JOIN tasks t ON t.tenant_id = l.tenant_id AND t.id = l.from_id WHERE l.tenant_id = @tenant AND l.to_id = ?
			LIMIT 400`, id, id).Scan(&out.Links).Error; err != nil {
			return fmt.Errorf("tasks: read links: %w", err)
		}
		if err := tx.Table(tasksTable).Select("id, title, category, due_on").Where("parent_id = ?", id).Order("rank, id").
			Limit(MaxLinks).Scan(&out.Subtasks).Error; err != nil {
			return fmt.Errorf("tasks: read subtasks: %w", err)
		}
		if err := tx.Raw(`SELECT td.document_id, d.title, td.added_by, td.created_at FROM task_documents td
			JOIN documents d ON d.tenant_id = td.tenant_id AND d.id = td.document_id
			WHERE td.tenant_id = @tenant AND td.task_id = ? AND d.deleted_at IS NULL ORDER BY td.created_at LIMIT ?`, id, MaxLinks).
			Scan(&out.Documents).Error; err != nil {
			return fmt.Errorf("tasks: read documents: %w", err)
		}
		ids := make([]uuid.UUID, len(out.Documents))
		for i, d := range out.Documents {
			ids[i] = d.DocumentID
		}
		ok, err := documents.ReadableDocuments(tx, a, ids)
		if err != nil {
			return err
		}
		for i := range out.Documents {
			out.Documents[i].Readable = ok[out.Documents[i].DocumentID]
			if !out.Documents[i].Readable {
				out.Documents[i].Title = ""
			}
		}
		return nil
	})
	return out, err
}

// Link ties task id to task other of the same workspace: kind blocks
// (id blocks other), blocked_by, or relates. Linking again replaces the kind.
func (s *Service) Link(ctx context.Context, a tenant.Actor, id, other uuid.UUID, kind LinkKind) error {
	if kind != Blocks && kind != BlockedBy && kind != Relates {
		return errs.InvalidField("kind", errs.M("tasks.link-kind", "Unbekannte Verknüpfung: erlaubt sind blocks, blocked_by und relates.", "Unknown link: allowed are blocks, blocked_by and relates."))
	}
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		if id == other {
			return errs.InvalidField("task_id", errs.M("tasks.link-self", "Eine Aufgabe lässt sich nicht mit sich selbst verknüpfen.", "A task cannot be linked to itself."))
		}
		var n int64
		if err := tx.Table(tasksTable).Where("id = ? AND workspace_id = ?", other, sc.t.WorkspaceID).Count(&n).Error; err != nil {
			return fmt.Errorf("tasks: read linked task: %w", err)
		}
		if n == 0 {
			return errs.InvalidField("task_id", errs.M("tasks.link-other-workspace", "Verknüpfen lassen sich nur Aufgaben desselben Arbeitsraums.", "Only tasks of the same workspace can be linked."))
		}
		if err := tx.Table(linksTable).Where("from_id = ? OR to_id = ?", id, id).Count(&n).Error; err != nil {
			return fmt.Errorf("tasks: count links: %w", err)
		}
		if n >= MaxLinks {
			return errs.New(errs.Conflict, errs.M("tasks.too-many-links", "Eine Aufgabe hat höchstens 200 Verknüpfungen.", "A task has at most 200 links."))
		}
		from, to, k := id, other, string(kind)
		if kind == BlockedBy {
			from, to, k = other, id, string(Blocks)
		}
		if _, err := tx.ExecCount("DELETE FROM task_links WHERE tenant_id = @tenant AND ((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))",
			id, other, other, id); err != nil {
			return fmt.Errorf("tasks: replace link: %w", err)
		}
		if _, err := tx.ExecCount("INSERT INTO task_links (tenant_id, from_id, to_id, kind, created_at, created_by) VALUES (@tenant, ?, ?, ?, ?, ?)",
			from, to, k, s.now(), a.MembershipID); err != nil {
			return fmt.Errorf("tasks: link: %w", err)
		}
		if err := addHistory(tx, id, a.MembershipID, "link", "", string(kind)+" "+other.String(), s.now()); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionLinked, targetType, id, map[string]string{"title": sc.t.Title, "other": other.String(), "kind": string(kind)})
	})
}

// Unlink removes the link between task id and task other.
func (s *Service) Unlink(ctx context.Context, a tenant.Actor, id, other uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		n, err := tx.ExecCount("DELETE FROM task_links WHERE tenant_id = @tenant AND ((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))",
			id, other, other, id)
		if err != nil {
			return fmt.Errorf("tasks: unlink: %w", err)
		}
		if n == 0 {
			return errNotFound()
		}
		if err := addHistory(tx, id, a.MembershipID, "link", other.String(), "", s.now()); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionUnlinked, targetType, id, map[string]string{"title": sc.t.Title, "other": other.String()})
	})
}

// Attach files a document of the workspace's folder with a task
// (writers who may read the document).
func (s *Service) Attach(ctx context.Context, a tenant.Actor, id, doc uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		if err := checkDocument(tx, a, sc.ar, doc); err != nil {
			return err
		}
		var n int64
		if err := tx.Table(documentsTable).Where("task_id = ?", id).Count(&n).Error; err != nil {
			return fmt.Errorf("tasks: count documents: %w", err)
		}
		if n >= MaxLinks {
			return errs.New(errs.Conflict, errs.M("tasks.too-many-documents", "An einer Aufgabe hängen höchstens 200 Dokumente.", "At most 200 documents hang on a task."))
		}
		if err := attach(tx, id, doc, a.MembershipID, s.now()); err != nil {
			return err
		}
		if err := addHistory(tx, id, a.MembershipID, "document", "", doc.String(), s.now()); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionAttached, targetType, id, map[string]string{"title": sc.t.Title, "document_id": doc.String()})
	})
}

// Detach removes a document from a task (the document stays in its folder).
func (s *Service) Detach(ctx context.Context, a tenant.Actor, id, doc uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, id, true)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		n, err := tx.ExecCount("DELETE FROM task_documents WHERE tenant_id = @tenant AND task_id = ? AND document_id = ?", id, doc)
		if err != nil {
			return fmt.Errorf("tasks: detach: %w", err)
		}
		if n == 0 {
			return errNotFound()
		}
		if err := addHistory(tx, id, a.MembershipID, "document", doc.String(), "", s.now()); err != nil {
			return err
		}
		return a.Record(ctx, tx, ActionDetached, targetType, id, map[string]string{"title": sc.t.Title, "document_id": doc.String()})
	})
}

// DocumentTasks lists the tasks a document is attached to, or that were
// made about it, that the caller sees (a document the caller cannot read
// answers NotFound).
func (s *Service) DocumentTasks(ctx context.Context, a tenant.Actor, doc uuid.UUID) ([]Task, error) {
	var out []Task
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ok, err := documents.ReadableDocuments(tx, a, []uuid.UUID{doc})
		if err != nil {
			return err
		}
		if !ok[doc] {
			return errNotFound()
		}
		q := tx.TableAs(tasksTable, "t").Where(`(t.document_id = ? OR EXISTS (SELECT 1 FROM task_documents td WHERE td.tenant_id = t.tenant_id
			AND td.task_id = t.id AND td.document_id = ?))`, doc, doc)
		if !a.IsAdmin() {
			q = q.Where("EXISTS (SELECT 1 FROM workspace_members wm WHERE wm.tenant_id = t.tenant_id AND wm.workspace_id = t.workspace_id AND wm.membership_id = ?)", a.MembershipID)
		}
		p := &Page{}
		if err := s.page(tx, q, ByDue, nil, MaxPage, p); err != nil {
			return err
		}
		out = p.Items
		return s.placeAll(tx, a, out)
	})
	return out, err
}

// HistoryEntry is one change of a task.
type HistoryEntry struct {
	ID        uuid.UUID  `gorm:"column:id"`
	ActorID   *uuid.UUID `gorm:"column:actor_id"`
	ActorName *string    `gorm:"column:actor_name"`
	Field     string     `gorm:"column:field"`
	OldValue  string     `gorm:"column:old_value"`
	NewValue  string     `gorm:"column:new_value"`
	CreatedAt time.Time  `gorm:"column:created_at"`
}

// MaxHistory bounds the history read at once.
const MaxHistory = 500

// History reads a task's changes, newest first (members).
func (s *Service) History(ctx context.Context, a tenant.Actor, id uuid.UUID) ([]HistoryEntry, error) {
	var out []HistoryEntry
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadTask(tx, a, id, false); err != nil {
			return err
		}
		return tx.Raw(`SELECT h.id, h.actor_id, u.display_name AS actor_name, h.field, h.old_value, h.new_value, h.created_at
			FROM task_history h LEFT JOIN memberships m ON m.tenant_id = h.tenant_id AND m.id = h.actor_id LEFT JOIN users u ON u.id = m.user_id
			WHERE h.tenant_id = @tenant AND h.task_id = ? ORDER BY h.id DESC LIMIT ?`, id, MaxHistory).Scan(&out).Error
	})
	return out, err
}
