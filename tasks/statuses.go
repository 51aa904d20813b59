package tasks

import (
	"context"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/tenant"
)

// MaxStatuses bounds the statuses of one workspace (the board's columns).
const MaxStatuses = 20

// Status is a column of a workspace's board.
type Status struct {
	ID       uuid.UUID `gorm:"column:id"`
	Name     string    `gorm:"column:name"`
	Category Category  `gorm:"column:category"`
	// Builtin names the built-in status this is ("" for an added one).
	Builtin  *string `gorm:"column:builtin"`
	Position int     `gorm:"column:position"`
	// WorkspaceID is the workspace whose board it is.
	WorkspaceID uuid.UUID `gorm:"column:workspace_id"`
}

// defaultNames are the built-in statuses' names.
var defaultNames = map[Category]string{Open: "Offen", InProgress: "In Bearbeitung", Waiting: "Wartend", Done: "Erledigt", Cancelled: "Abgebrochen"}

// ensureStatuses makes the workspace's five built-in statuses if it has
// none yet (idempotent, also when two writers race).
func ensureStatuses(tx *db.Tx, ws uuid.UUID) error {
	var n int64
	if err := tx.Table(statusesTable).Where("workspace_id = ? AND builtin IS NOT NULL", ws).Count(&n).Error; err != nil {
		return fmt.Errorf("tasks: count statuses: %w", err)
	}
	if n == int64(len(Categories)) {
		return nil
	}
	now := db.Now()
	for i, c := range Categories {
		if _, err := tx.ExecCount(`INSERT INTO task_statuses (tenant_id, id, workspace_id, name, category, builtin, position, created_at)
			VALUES (@tenant, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, db.NewID(), ws, defaultNames[c], string(c), string(c), i*10, now); err != nil {
			return fmt.Errorf("tasks: make statuses: %w", err)
		}
	}
	return nil
}

func listStatuses(tx *db.Tx, ws uuid.UUID) ([]Status, error) {
	if err := ensureStatuses(tx, ws); err != nil {
		return nil, err
	}
	var out []Status
	if err := tx.Table(statusesTable).Select("id, name, category, builtin, position, workspace_id").Where("workspace_id = ?", ws).
		Order("position, id").Limit(MaxStatuses).Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("tasks: list statuses: %w", err)
	}
	return out, nil
}

// statusOf reads status id of workspace ws; another workspace's answers an invalid field.
func statusOf(tx *db.Tx, ws, id uuid.UUID) (*Status, error) {
	var out []Status
	if err := tx.Table(statusesTable).Select("id, name, category, builtin, position, workspace_id").Where("workspace_id = ? AND id = ?", ws, id).
		Scan(&out).Error; err != nil {
		return nil, fmt.Errorf("tasks: read status: %w", err)
	}
	if len(out) == 0 {
		return nil, errs.InvalidField("status_id", errs.M("tasks.status-unknown", "Diesen Status gibt es in diesem Arbeitsraum nicht.", "This status does not exist in this workspace."))
	}
	return &out[0], nil
}

// builtinStatus reads the workspace's built-in status of category c.
func builtinStatus(tx *db.Tx, ws uuid.UUID, c Category) (*Status, error) {
	if err := ensureStatuses(tx, ws); err != nil {
		return nil, err
	}
	var out []Status
	if err := tx.Table(statusesTable).Select("id, name, category, builtin, position, workspace_id").Where("workspace_id = ? AND builtin = ?", ws, string(c)).
		Scan(&out).Error; err != nil || len(out) == 0 {
		return nil, fmt.Errorf("tasks: read built-in status: %v", err)
	}
	return &out[0], nil
}

// Statuses lists a workspace's statuses in board order (its members).
func (s *Service) Statuses(ctx context.Context, a tenant.Actor, ws uuid.UUID) ([]Status, error) {
	var out []Status
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadArea(tx, a, ws); err != nil {
			return err
		}
		var err error
		out, err = listStatuses(tx, ws)
		return err
	})
	return out, err
}

// StatusInput is a status as an owner sets it.
type StatusInput struct {
	Name string
	// Category is required when a status is added; a built-in status keeps its own.
	Category Category
	// Position orders the board's columns (nil: at the end, or unchanged).
	Position *int
}

func (in *StatusInput) validate() error {
	name, err := input.Line("name", in.Name)
	if err != nil {
		return err
	}
	if n := utf8.RuneCountInString(name); n < 1 || n > 60 {
		return errs.InvalidField("name", errs.M("tasks.status-name-length", "Ein Status heißt 1 bis 60 Zeichen lang.", "A status name has 1 to 60 characters."))
	}
	in.Name = name
	if in.Position != nil && (*in.Position < 0 || *in.Position > 10000) {
		return errs.InvalidField("position", errs.M("tasks.status-position", "Die Position liegt zwischen 0 und 10000.", "The position lies between 0 and 10000."))
	}
	return nil
}

func checkStatusName(tx *db.Tx, ws uuid.UUID, name string, except uuid.UUID) error {
	var n int64
	if err := tx.Table(statusesTable).Where("workspace_id = ? AND lower(name) = lower(?) AND id <> ?", ws, name, except).Count(&n).Error; err != nil {
		return fmt.Errorf("tasks: check status name: %w", err)
	}
	if n > 0 {
		return errs.New(errs.Conflict, errs.M("tasks.status-name-taken", "Einen Status dieses Namens gibt es in diesem Arbeitsraum schon.", "A status of this name exists in this workspace already."))
	}
	return nil
}

// AddStatus adds a status to a workspace's board (owners and admins).
func (s *Service) AddStatus(ctx context.Context, a tenant.Actor, ws uuid.UUID, in StatusInput) (*Status, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	if !in.Category.valid() {
		return nil, errs.InvalidField("category", errs.M("tasks.category-unknown", "Unbekannte Kategorie: erlaubt sind open, in_progress, waiting, done und cancelled.", "Unknown category: allowed are open, in_progress, waiting, done and cancelled."))
	}
	var out *Status
	err := s.run(ctx, a, func(tx *db.Tx) error {
		ar, err := loadArea(tx, a, ws)
		if err != nil {
			return err
		}
		if err := ar.needOwner(); err != nil {
			return err
		}
		have, err := listStatuses(tx, ws)
		if err != nil {
			return err
		}
		if len(have) >= MaxStatuses {
			return errs.New(errs.Conflict, errs.M("tasks.too-many-statuses", "Ein Arbeitsraum hat höchstens 20 Status.", "A workspace has at most 20 statuses."))
		}
		if err := checkStatusName(tx, ws, in.Name, uuid.Nil); err != nil {
			return err
		}
		pos := have[len(have)-1].Position + 10
		if in.Position != nil {
			pos = *in.Position
		}
		id := db.NewID()
		if _, err := tx.ExecCount(`INSERT INTO task_statuses (tenant_id, id, workspace_id, name, category, position, created_at)
			VALUES (@tenant, ?, ?, ?, ?, ?, ?)`, id, ws, in.Name, string(in.Category), pos, s.now()); err != nil {
			return fmt.Errorf("tasks: add status: %w", err)
		}
		out = &Status{ID: id, Name: in.Name, Category: in.Category, Position: pos}
		return a.Record(ctx, tx, ActionStatusCreated, "workspace", ws, map[string]string{"name": in.Name, "category": string(in.Category)})
	})
	return out, err
}

// UpdateStatus renames or moves a status (owners and admins); a built-in
// status keeps its category.
func (s *Service) UpdateStatus(ctx context.Context, a tenant.Actor, id uuid.UUID, in StatusInput) (*Status, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	var out *Status
	err := s.run(ctx, a, func(tx *db.Tx) error {
		st, ws, err := loadStatus(tx, a, id)
		if err != nil {
			return err
		}
		if err := checkStatusName(tx, ws, in.Name, id); err != nil {
			return err
		}
		pos := st.Position
		if in.Position != nil {
			pos = *in.Position
		}
		if _, err := tx.ExecCount("UPDATE task_statuses SET name = ?, position = ? WHERE tenant_id = @tenant AND id = ?", in.Name, pos, id); err != nil {
			return fmt.Errorf("tasks: update status: %w", err)
		}
		st.Name, st.Position = in.Name, pos
		out = st
		return a.Record(ctx, tx, ActionStatusUpdated, "workspace", ws, map[string]string{"name": in.Name, "position": strconv.Itoa(pos)})
	})
	return out, err
}

// DeleteStatus removes an added status no task uses (owners and admins).
func (s *Service) DeleteStatus(ctx context.Context, a tenant.Actor, id uuid.UUID) error {
	return s.run(ctx, a, func(tx *db.Tx) error {
		st, ws, err := loadStatus(tx, a, id)
		if err != nil {
			return err
		}
		if st.Builtin != nil {
			return errs.New(errs.Conflict, errs.M("tasks.status-builtin", "Die fünf Grundstatus können umbenannt, aber nicht gelöscht werden.", "The five basic statuses can be renamed but not deleted."))
		}
		var used int64
		if err := tx.Table(tasksTable).Where("status_id = ?", id).Count(&used).Error; err != nil {
			return fmt.Errorf("tasks: count status use: %w", err)
		}
		if used > 0 {
			return errs.New(errs.Conflict, errs.M("tasks.status-in-use", "Aufgaben stehen noch in diesem Status. Bitte verschieben Sie sie zuerst.", "Tasks are still in this status. Please move them first."))
		}
		if _, err := tx.ExecCount("DELETE FROM task_statuses WHERE tenant_id = @tenant AND id = ?", id); err != nil {
			return fmt.Errorf("tasks: delete status: %w", err)
		}
		return a.Record(ctx, tx, ActionStatusDeleted, "workspace", ws, map[string]string{"name": st.Name})
	})
}

// loadStatus reads status id for an owner of its workspace.
func loadStatus(tx *db.Tx, a tenant.Actor, id uuid.UUID) (*Status, uuid.UUID, error) {
	var rows []Status
	if err := tx.Table(statusesTable).Select("id, name, category, builtin, position, workspace_id").Where("id = ?", id).Scan(&rows).Error; err != nil {
		return nil, uuid.Nil, fmt.Errorf("tasks: read status: %w", err)
	}
	if len(rows) == 0 {
		return nil, uuid.Nil, errNotFound()
	}
	ar, err := loadArea(tx, a, rows[0].WorkspaceID)
	if err != nil {
		return nil, uuid.Nil, err
	}
	if err := ar.needOwner(); err != nil {
		return nil, uuid.Nil, err
	}
	return &rows[0], rows[0].WorkspaceID, nil
}
