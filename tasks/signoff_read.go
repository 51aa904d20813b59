package tasks

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// GetSignoff reads one request (whoever can see its object).
func (s *Service) GetSignoff(ctx context.Context, a tenant.Actor, id uuid.UUID) (*Signoff, error) {
	var out *Signoff
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, _, err := loadSignoff(tx, a, id, false); err != nil {
			return err
		}
		var err error
		out, err = s.signoffView(tx, a, id)
		return err
	})
	return out, err
}

// TaskSignoffs lists a task's requests, newest first (members of its workspace).
func (s *Service) TaskSignoffs(ctx context.Context, a tenant.Actor, taskID uuid.UUID) ([]Signoff, error) {
	var out []Signoff
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadTask(tx, a, taskID, false); err != nil {
			return err
		}
		var rows []signoffRow
		if err := tx.Table(signoffsTable).Where("task_id = ?", taskID).Order("id DESC").Limit(MaxSignoffList).Scan(&rows).Error; err != nil {
			return fmt.Errorf("tasks: list sign-offs: %w", err)
		}
		var err error
		out, err = buildSignoffs(tx, a, rows)
		return err
	})
	return out, err
}

// DocumentSignoffs lists the requests on a document's revisions, newest
// first (readers of the document).
func (s *Service) DocumentSignoffs(ctx context.Context, a tenant.Actor, docID uuid.UUID) ([]Signoff, error) {
	var out []Signoff
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadDocumentObject(tx, a, docID, false); err != nil {
			return err
		}
		var rows []signoffRow
		if err := tx.Table(signoffsTable).Where("document_id = ?", docID).Order("id DESC").Limit(MaxSignoffList).Scan(&rows).Error; err != nil {
			return fmt.Errorf("tasks: list sign-offs: %w", err)
		}
		var err error
		out, err = buildSignoffs(tx, a, rows)
		return err
	})
	return out, err
}

// SignedOffRevisions reports which revisions of a document are signed off
// (an approved request on them; readers of the document).
func (s *Service) SignedOffRevisions(ctx context.Context, a tenant.Actor, docID uuid.UUID) (map[uuid.UUID]bool, error) {
	out := map[uuid.UUID]bool{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, err := loadDocumentObject(tx, a, docID, false); err != nil {
			return err
		}
		var ids []uuid.UUID
		if err := tx.Table(signoffsTable).Where("document_id = ? AND state = ?", docID, SignoffApproved).
			Distinct("revision_id").Pluck("revision_id", &ids).Error; err != nil {
			return fmt.Errorf("tasks: read signed-off revisions: %w", err)
		}
		for _, id := range ids {
			out[id] = true
		}
		return nil
	})
	return out, err
}

// MySignoffs lists the running requests waiting for the caller's
// decision now: a step whose turn it is names them or a group of theirs,
// they did not ask for it and have not decided in it, and they can see
// its object. Oldest first, at most MaxSignoffList.
func (s *Service) MySignoffs(ctx context.Context, a tenant.Actor) ([]Signoff, error) {
	var out []Signoff
	err := s.run(ctx, a, func(tx *db.Tx) error {
		seeTask := `EXISTS (SELECT 1 FROM tasks t JOIN workspace_members wm ON wm.tenant_id = t.tenant_id AND wm.workspace_id = t.workspace_id
			WHERE t.tenant_id = r.tenant_id AND t.id = r.task_id AND wm.membership_id = ?)`
		args := []any{a.MembershipID, a.MembershipID, a.MembershipID, a.MembershipID, a.MembershipID}
		if a.IsAdmin() {
			seeTask, args = "1 = 1", args[:4]
		}
		var rows []signoffRow
		if err := tx.Raw(`SELECT r.* FROM signoff_requests r WHERE r.tenant_id = @tenant AND r.state = 'running' AND r.requested_by <> ?
			AND EXISTS (SELECT 1 FROM signoff_steps s WHERE s.tenant_id = r.tenant_id AND s.request_id = r.id AND s.state = 'pending'
				AND (s.membership_id = ? OR s.group_id IN (SELECT gm.group_id FROM group_members gm WHERE gm.tenant_id = @tenant AND gm.membership_id = ?))
				AND (r.mode = 'parallel' OR s.position = (SELECT min(f.position) FROM signoff_steps f
					WHERE f.tenant_id = r.tenant_id AND f.request_id = r.id AND f.state = 'pending')))
			AND NOT EXISTS (SELECT 1 FROM signoff_steps d WHERE d.tenant_id = r.tenant_id AND d.request_id = r.id AND d.decided_by = ?)
			AND (r.task_id IS NULL OR `+seeTask+`)
			ORDER BY r.id LIMIT ?`, append(args, MaxSignoffList)...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("tasks: list my sign-offs: %w", err)
		}
		rows, err := readableRows(tx, a, rows)
		if err != nil {
			return err
		}
		all, err := buildSignoffs(tx, a, rows)
		for _, so := range all {
			if so.CanDecide { // not in an archived workspace
				out = append(out, so)
			}
		}
		return err
	})
	return out, err
}

// readableRows keeps the task requests and the document requests whose
// document the caller may read.
func readableRows(tx *db.Tx, a tenant.Actor, rows []signoffRow) ([]signoffRow, error) {
	var docs []uuid.UUID
	for _, r := range rows {
		if r.DocumentID != nil {
			docs = append(docs, *r.DocumentID)
		}
	}
	ok, err := documents.ReadableDocuments(tx, a, docs)
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, r := range rows {
		if r.DocumentID == nil || ok[*r.DocumentID] {
			out = append(out, r)
		}
	}
	return out, nil
}

// signoffView reads request id as the caller sees it (access checked by the caller).
func (s *Service) signoffView(tx *db.Tx, a tenant.Actor, id uuid.UUID) (*Signoff, error) {
	var rows []signoffRow
	if err := tx.Table(signoffsTable).Where("id = ?", id).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("tasks: read sign-off: %w", err)
	}
	out, err := buildSignoffs(tx, a, rows)
	if err != nil || len(out) == 0 {
		return nil, fmt.Errorf("tasks: read sign-off back: %v", err)
	}
	return &out[0], nil
}

// objectFacts are what a list of requests shows of their objects.
type objectFacts struct {
	titles  map[uuid.UUID]string
	ws      map[uuid.UUID]uuid.UUID
	active  map[uuid.UUID]bool
	numbers map[uuid.UUID]int
}

func readObjectFacts(tx *db.Tx, rows []signoffRow) (*objectFacts, error) {
	f := &objectFacts{titles: map[uuid.UUID]string{}, ws: map[uuid.UUID]uuid.UUID{}, active: map[uuid.UUID]bool{}, numbers: map[uuid.UUID]int{}}
	var taskIDs, docIDs, revIDs []uuid.UUID
	for _, r := range rows {
		if r.TaskID != nil {
			taskIDs = append(taskIDs, *r.TaskID)
		} else {
			docIDs, revIDs = append(docIDs, *r.DocumentID), append(revIDs, *r.RevisionID)
		}
	}
	var ts []struct {
		ID          uuid.UUID `gorm:"column:id"`
		Title       string    `gorm:"column:title"`
		WorkspaceID uuid.UUID `gorm:"column:workspace_id"`
		State       string    `gorm:"column:state"`
	}
	if len(taskIDs) > 0 {
		if err := tx.Raw(`SELECT t.id, t.title, t.workspace_id, w.state FROM tasks t JOIN workspaces w ON w.tenant_id = t.tenant_id AND w.id = t.workspace_id
			WHERE t.tenant_id = @tenant AND t.id IN ?`, taskIDs).Scan(&ts).Error; err != nil {
			return nil, fmt.Errorf("tasks: read sign-off tasks: %w", err)
		}
	}
	for _, t := range ts {
		f.titles[t.ID], f.ws[t.ID], f.active[t.ID] = t.Title, t.WorkspaceID, t.State == "active"
	}
	var ds []struct {
		ID    uuid.UUID `gorm:"column:id"`
		Title string    `gorm:"column:title"`
	}
	if len(docIDs) > 0 {
		if err := tx.Table("documents").Select("id, title").Where("id IN ?", docIDs).Scan(&ds).Error; err != nil {
			return nil, fmt.Errorf("tasks: read sign-off documents: %w", err)
		}
	}
	for _, d := range ds {
		f.titles[d.ID], f.active[d.ID] = d.Title, true
	}
	var ns []struct {
		ID     uuid.UUID `gorm:"column:id"`
		Number int       `gorm:"column:number"`
	}
	if len(revIDs) > 0 {
		if err := tx.Table("document_revisions").Select("id, number").Where("id IN ?", revIDs).Scan(&ns).Error; err != nil {
			return nil, fmt.Errorf("tasks: read sign-off revisions: %w", err)
		}
	}
	for _, n := range ns {
		f.numbers[n.ID] = n.Number
	}
	return f, nil
}

// signoffNames reads the names of the memberships and groups the
// requests and steps name.
func signoffNames(tx *db.Tx, rows []signoffRow, steps []stepRow) (people, groups map[uuid.UUID]string, err error) {
	var pids, gids []uuid.UUID
	for _, r := range rows {
		pids = append(pids, r.RequestedBy)
	}
	for _, st := range steps {
		if st.MembershipID != nil {
			pids = append(pids, *st.MembershipID)
		}
		if st.GroupID != nil {
			gids = append(gids, *st.GroupID)
		}
		if st.DecidedBy != nil {
			pids = append(pids, *st.DecidedBy)
		}
	}
	people, groups = map[uuid.UUID]string{}, map[uuid.UUID]string{}
	var ps, gs []struct {
		ID   uuid.UUID `gorm:"column:id"`
		Name *string   `gorm:"column:name"`
	}
	if err := tx.Raw(`SELECT m.id, u.display_name AS name FROM memberships m LEFT JOIN users u ON u.id = m.user_id
		WHERE m.tenant_id = @tenant AND m.id IN ?`, pids).Scan(&ps).Error; err != nil {
		return nil, nil, fmt.Errorf("tasks: read sign-off people: %w", err)
	}
	if len(gids) > 0 {
		if err := tx.Table("groups").Select("id, name").Where("id IN ?", gids).Scan(&gs).Error; err != nil {
			return nil, nil, fmt.Errorf("tasks: read sign-off groups: %w", err)
		}
	}
	for _, p := range ps {
		people[p.ID] = str(p.Name)
	}
	for _, g := range gs {
		groups[g.ID] = str(g.Name)
	}
	return people, groups, nil
}

// buildSignoffs turns rows into the caller's views: steps with names and
// turns, the object's title, and what the caller may do.
func buildSignoffs(tx *db.Tx, a tenant.Actor, rows []signoffRow) ([]Signoff, error) {
	out := make([]Signoff, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	steps, err := loadSteps(tx, ids)
	if err != nil {
		return nil, err
	}
	facts, err := readObjectFacts(tx, rows)
	if err != nil {
		return nil, err
	}
	people, groups, err := signoffNames(tx, rows, steps)
	if err != nil {
		return nil, err
	}
	var gids []uuid.UUID
	byReq := map[uuid.UUID][]stepRow{}
	for _, st := range steps {
		byReq[st.RequestID] = append(byReq[st.RequestID], st)
		if st.GroupID != nil {
			gids = append(gids, *st.GroupID)
		}
	}
	mine, err := myGroups(tx, a, gids)
	if err != nil {
		return nil, err
	}
	for i := range rows {
		out = append(out, buildSignoff(a, &rows[i], byReq[rows[i].ID], facts, people, groups, mine))
	}
	return out, nil
}

func buildSignoff(a tenant.Actor, r *signoffRow, steps []stepRow, f *objectFacts, people, groups map[uuid.UUID]string, mine map[uuid.UUID]bool) Signoff {
	v := Signoff{ID: r.ID, TaskID: r.TaskID, DocumentID: r.DocumentID, RevisionID: r.RevisionID, Mode: r.Mode, Note: r.Note, State: r.State,
		RequestedBy: r.RequestedBy, RequesterName: people[r.RequestedBy], RestartedFrom: r.RestartedFrom, Version: r.Version,
		CreatedAt: r.CreatedAt, ClosedAt: r.ClosedAt, ClosedBy: r.ClosedBy, Steps: make([]SignoffStep, len(steps))}
	object := r.DocumentID
	if r.TaskID != nil {
		object = r.TaskID
		ws := f.ws[*r.TaskID]
		v.WorkspaceID = &ws
	} else {
		v.RevisionNumber = f.numbers[*r.RevisionID]
	}
	v.Title = f.titles[*object]
	turn := map[uuid.UUID]bool{}
	for _, st := range turnSteps(r, steps) {
		turn[st.ID] = true
	}
	decided, mayDecide := false, false
	for i, st := range steps {
		v.Steps[i] = SignoffStep{ID: st.ID, Position: st.Position, MembershipID: st.MembershipID, GroupID: st.GroupID, State: st.State,
			DecidedBy: st.DecidedBy, DecidedAt: st.DecidedAt, Comment: st.Comment, Turn: turn[st.ID]}
		if st.MembershipID != nil {
			v.Steps[i].Name = people[*st.MembershipID]
		} else {
			v.Steps[i].Name = groups[*st.GroupID]
		}
		if st.DecidedBy != nil {
			v.Steps[i].DeciderName = people[*st.DecidedBy]
			decided = decided || *st.DecidedBy == a.MembershipID
		}
		mayDecide = mayDecide || turn[st.ID] && st.mine(a, mine)
	}
	running := r.State == SignoffRunning && f.active[*object]
	v.CanDecide = running && mayDecide && !decided && r.RequestedBy != a.MembershipID
	v.CanWithdraw = running && r.RequestedBy == a.MembershipID
	return v
}

// hydrateSignedOff marks the tasks whose latest request that was not
// withdrawn ended approved.
func hydrateSignedOff(tx *db.Tx, ids []uuid.UUID, at map[uuid.UUID]*Task) error {
	var done []uuid.UUID
	if err := tx.Raw(`SELECT DISTINCT r.task_id FROM signoff_requests r WHERE r.tenant_id = @tenant AND r.task_id IN ? AND r.state = 'approved'
		AND NOT EXISTS (SELECT 1 FROM signoff_requests n WHERE n.tenant_id = r.tenant_id AND n.task_id = r.task_id AND n.id > r.id
			AND n.state IN ('running', 'returned', 'approved'))`, ids).Scan(&done).Error; err != nil {
		return fmt.Errorf("tasks: read signed-off tasks: %w", err)
	}
	for _, id := range done {
		at[id].SignedOff = true
	}
	return nil
}
