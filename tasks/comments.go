package tasks

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// Comment limits.
const (
	MaxCommentLen  = 20000
	MaxMentions    = 50
	MaxCommentPage = 200
)

// Comment is a comment on a task.
type Comment struct {
	ID         uuid.UUID
	TaskID     uuid.UUID
	AuthorID   uuid.UUID
	AuthorName string
	Body       string
	Mentions   []Person
	CreatedAt  time.Time
	EditedAt   *time.Time
	// Deleted: the comment was withdrawn (its body is gone).
	Deleted bool
	// Mine: the caller wrote it (and may edit or withdraw it).
	Mine bool
}

type commentRow struct {
	TenantID  uuid.UUID  `gorm:"column:tenant_id"`
	ID        uuid.UUID  `gorm:"column:id"`
	TaskID    uuid.UUID  `gorm:"column:task_id"`
	AuthorID  uuid.UUID  `gorm:"column:author_id"`
	Body      string     `gorm:"column:body"`
	Mentions  string     `gorm:"column:mentions"`
	CreatedAt time.Time  `gorm:"column:created_at"`
	EditedAt  *time.Time `gorm:"column:edited_at"`
	DeletedAt *time.Time `gorm:"column:deleted_at"`
	// AuthorName is read with the row (never written).
	AuthorName *string `gorm:"column:author_name;->"`
}

// OwnerTenant implements db.TenantOwned.
func (r *commentRow) OwnerTenant() uuid.UUID { return r.TenantID }

// CommentInput is a comment as written: Markdown, and the members it
// mentions (the web app inserts them from the member list; each is told).
type CommentInput struct {
	Body     string
	Mentions []uuid.UUID
}

func (in *CommentInput) validate() error {
	in.Body = strings.TrimSpace(in.Body)
	if err := input.Text("body", in.Body); err != nil {
		return err
	}
	if n := utf8.RuneCountInString(in.Body); n < 1 || n > MaxCommentLen {
		return errs.InvalidField("body", errs.M("tasks.comment-length", "Ein Kommentar hat 1 bis 20000 Zeichen.", "A comment has 1 to 20000 characters."))
	}
	var err error
	in.Mentions, err = uniqueIDs("mentions", in.Mentions, MaxMentions)
	return err
}

// AddComment comments on a task (writers of its workspace) and tells the
// mentioned members (task.mentioned) and the task's assignees and
// watchers (task.commented).
func (s *Service) AddComment(ctx context.Context, a tenant.Actor, task uuid.UUID, in CommentInput) (*Comment, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Comment
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := loadTask(tx, a, task, false)
		if err != nil {
			return err
		}
		if err := sc.ar.needWrite(); err != nil {
			return err
		}
		members, err := membersOf(tx, sc.t.WorkspaceID, in.Mentions)
		if err != nil {
			return err
		}
		for _, id := range in.Mentions {
			if !members[id] {
				return errs.InvalidField("mentions", errs.M("tasks.mention-not-member", "Erwähnen lassen sich nur Mitglieder des Arbeitsraums.", "Only members of the workspace can be mentioned."))
			}
		}
		b, _ := json.Marshal(in.Mentions)
		r := &commentRow{TenantID: tx.TenantID(), ID: db.NewID(), TaskID: task, AuthorID: a.MembershipID, Body: in.Body,
			Mentions: string(b), CreatedAt: s.now()}
		if err := tx.Create(commentsTable, r); err != nil {
			return fmt.Errorf("tasks: comment: %w", err)
		}
		if err := s.notifyComment(ctx, tx, a, sc, in.Mentions); err != nil {
			return err
		}
		if err := a.Record(ctx, tx, ActionCommented, targetType, task, map[string]string{"title": sc.t.Title, "comment_id": r.ID.String()}); err != nil {
			return err
		}
		cs, err := readComments(tx, a, task, []uuid.UUID{r.ID}, 1)
		if err != nil || len(cs) == 0 {
			return fmt.Errorf("tasks: read comment back: %v", err)
		}
		out = &cs[0]
		return nil
	})
	return out, err
}

func (s *Service) notifyComment(ctx context.Context, tx *db.Tx, a tenant.Actor, sc *scope, mentions []uuid.UUID) error {
	if s.notify == nil {
		return nil
	}
	ws := sc.ar.Name
	if err := s.emit(ctx, tx, notify.KindTaskMentioned, a.MembershipID, &sc.t, minus(mentions, []uuid.UUID{a.MembershipID}),
		notify.Text{DE: notify.Clip("Erwähnt in „" + sc.t.Title + "“"), EN: notify.Clip("Mentioned in “" + sc.t.Title + "”")},
		notify.Text{DE: "Arbeitsraum „" + ws + "“.", EN: "Workspace “" + ws + "”."}); err != nil {
		return err
	}
	people, groups, err := assigned(tx, sc.t.ID)
	if err != nil {
		return err
	}
	var watchers []uuid.UUID
	if err := tx.Table(watchersTable).Where("task_id = ?", sc.t.ID).Limit(MaxWatchers).Pluck("membership_id", &watchers).Error; err != nil {
		return fmt.Errorf("tasks: read watchers: %w", err)
	}
	ids, err := recipients(tx, sc.t.WorkspaceID, append(people, watchers...), groups, a.MembershipID)
	if err != nil {
		return err
	}
	return s.emit(ctx, tx, notify.KindTaskCommented, a.MembershipID, &sc.t, minus(ids, mentions),
		notify.Text{DE: notify.Clip("Neuer Kommentar zu „" + sc.t.Title + "“"), EN: notify.Clip("New comment on “" + sc.t.Title + "”")},
		notify.Text{DE: "Arbeitsraum „" + ws + "“.", EN: "Workspace “" + ws + "”."})
}

// Comments reads a task's comments, oldest first (members of its workspace).
func (s *Service) Comments(ctx context.Context, a tenant.Actor, task uuid.UUID) ([]Comment, error) {
	var out []Comment
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadTask(tx, a, task, false); err != nil {
			return err
		}
		var err error
		out, err = readComments(tx, a, task, nil, MaxCommentPage)
		return err
	})
	return out, err
}

func readComments(tx *db.Tx, a tenant.Actor, task uuid.UUID, only []uuid.UUID, limit int) ([]Comment, error) {
	var rows []commentRow
	q := tx.TableAs(commentsTable, "c").Select("c.*, u.display_name AS author_name").
		Joins("LEFT JOIN memberships m ON m.tenant_id = c.tenant_id AND m.id = c.author_id").
		Joins("LEFT JOIN users u ON u.id = m.user_id").Where("c.task_id = ?", task)
	if only != nil {
		q = q.Where("c.id IN ?", only)
	}
	if err := q.Order("c.id DESC").Limit(limit).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read comments: %w", err)
	}
	names, err := mentionNames(tx, rows)
	if err != nil {
		return nil, err
	}
	out := make([]Comment, len(rows))
	for i := range rows {
		r := rows[len(rows)-1-i]
		c := Comment{ID: r.ID, TaskID: r.TaskID, AuthorID: r.AuthorID, AuthorName: str(r.AuthorName), Body: r.Body,
			CreatedAt: r.CreatedAt, EditedAt: r.EditedAt, Deleted: r.DeletedAt != nil, Mine: r.AuthorID == a.MembershipID, Mentions: []Person{}}
		if c.Deleted {
			c.Body = ""
		} else {
			var ids []uuid.UUID
			_ = json.Unmarshal([]byte(r.Mentions), &ids)
			for _, id := range ids {
				c.Mentions = append(c.Mentions, Person{MembershipID: id, Name: names[id]})
			}
		}
		out[i] = c
	}
	return out, nil
}

func mentionNames(tx *db.Tx, rows []commentRow) (map[uuid.UUID]string, error) {
	var ids []uuid.UUID
	for _, r := range rows {
		var m []uuid.UUID
		_ = json.Unmarshal([]byte(r.Mentions), &m)
		ids = append(ids, m...)
	}
	out := map[uuid.UUID]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var ns []struct {
		ID   uuid.UUID `gorm:"column:id"`
		Name string    `gorm:"column:display_name"`
	}
	if err := tx.Raw(`SELECT m.id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.tenant_id = @tenant AND m.id IN ?`, ids).
		Scan(&ns).Error; err != nil {
		return nil, fmt.Errorf("tasks: read mention names: %w", err)
	}
	for _, n := range ns {
		out[n.ID] = n.Name
	}
	return out, nil
}

// EditComment changes the body of one's own comment.
func (s *Service) EditComment(ctx context.Context, a tenant.Actor, task, id uuid.UUID, body string) (*Comment, error) {
	in := CommentInput{Body: body}
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Comment
	err := s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := s.ownComment(tx, a, task, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecCount("UPDATE task_comments SET body = ?, edited_at = ? WHERE tenant_id = @tenant AND id = ?", in.Body, s.now(), id); err != nil {
			return fmt.Errorf("tasks: edit comment: %w", err)
		}
		if err := a.Record(ctx, tx, ActionCommentEdited, targetType, task, map[string]string{"title": sc.t.Title, "comment_id": id.String()}); err != nil {
			return err
		}
		cs, err := readComments(tx, a, task, []uuid.UUID{id}, 1)
		if err != nil || len(cs) == 0 {
			return fmt.Errorf("tasks: read comment back: %v", err)
		}
		out = &cs[0]
		return nil
	})
	return out, err
}

// DeleteComment withdraws one's own comment (its place in the thread stays).
func (s *Service) DeleteComment(ctx context.Context, a tenant.Actor, task, id uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		sc, err := s.ownComment(tx, a, task, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecCount("UPDATE task_comments SET body = '-', mentions = '[]', deleted_at = ? WHERE tenant_id = @tenant AND id = ?", s.now(), id); err != nil {
			return fmt.Errorf("tasks: withdraw comment: %w", err)
		}
		return a.Record(ctx, tx, ActionCommentDeleted, targetType, task, map[string]string{"title": sc.t.Title, "comment_id": id.String()})
	})
}

// ownComment loads comment id of task for its author (writers only).
func (s *Service) ownComment(tx *db.Tx, a tenant.Actor, task, id uuid.UUID) (*scope, error) {
	sc, err := loadTask(tx, a, task, false)
	if err != nil {
		return nil, err
	}
	var rows []commentRow
	if err := tx.Table(commentsTable).Where("task_id = ? AND id = ?", task, id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read comment: %w", err)
	}
	if len(rows) == 0 || rows[0].DeletedAt != nil {
		return nil, errNotFound()
	}
	if err := sc.ar.needWrite(); err != nil {
		return nil, err
	}
	if rows[0].AuthorID != a.MembershipID {
		return nil, errs.New(errs.Forbidden, errs.M("tasks.comment-not-yours", "Ändern und zurückziehen kann einen Kommentar nur, wer ihn geschrieben hat.", "Only whoever wrote a comment can change or withdraw it."))
	}
	return sc, nil
}
