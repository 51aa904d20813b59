package tasks

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/internal/workdays"
)

// assignee is a person a due task reminds, with their reminder lead.
type assignee struct {
	ID   uuid.UUID
	Lead int
}

// plan is what the run owes a task today: whom to remind, whom to tell it
// is overdue, whether to escalate, and the next day anything is pending
// (nil: nothing).
type plan struct {
	Remind, Overdue []uuid.UUID
	Escalate        bool
	Next            *workdays.Date
}

// planFor computes the plan for a task due on due, escalated on
// escalateOn, with its assignees and what the ledger already holds.
func planFor(today, due, escalateOn workdays.Date, people []assignee, sent map[string]map[uuid.UUID]bool) plan {
	var p plan
	later := func(d workdays.Date) {
		if p.Next == nil || d.Before(*p.Next) {
			p.Next = &d
		}
	}
	for _, a := range people {
		if sent[ledgerReminder][a.ID] {
			continue
		}
		from := due.AddDays(-a.Lead)
		switch {
		case today.Before(from):
			later(from)
		case !today.After(due):
			p.Remind = append(p.Remind, a.ID)
		}
	}
	for _, a := range people {
		if sent[ledgerOverdue][a.ID] {
			continue
		}
		if today.After(due) {
			p.Overdue = append(p.Overdue, a.ID)
		} else {
			later(due.AddDays(1))
		}
	}
	if len(sent[ledgerEscalation]) == 0 {
		if today.Before(escalateOn) {
			later(escalateOn)
		} else {
			p.Escalate = true
		}
	}
	return p
}

// wsInfo is what the run reads of a task's workspace.
type wsInfo struct {
	ID                 uuid.UUID `gorm:"column:id"`
	Name               string    `gorm:"column:name"`
	State              string    `gorm:"column:state"`
	ResponsibleID      uuid.UUID `gorm:"column:responsible_id"`
	EscalationWorkdays int       `gorm:"column:escalation_workdays"`
	// targets are whom an escalation reaches (read when first needed).
	targets []uuid.UUID
	read    bool
}

// chunk is what the run reads for the tasks of one transaction at once:
// their workspaces, their assignees and what was already sent.
type chunk struct {
	ws     map[uuid.UUID]*wsInfo
	people map[uuid.UUID][]assignee
	// sent[task][kind][recipient], for the task's due day as it is now.
	sent map[uuid.UUID]map[string]map[uuid.UUID]bool
}

// chunkLimit bounds the rows read for one chunk (assignees, records).
const chunkLimit = remindChunk * 5000

func loadChunk(tx *db.Tx, rows []taskRow) (*chunk, error) {
	c := &chunk{ws: map[uuid.UUID]*wsInfo{}, people: map[uuid.UUID][]assignee{}, sent: map[uuid.UUID]map[string]map[uuid.UUID]bool{}}
	ids, wsIDs := make([]uuid.UUID, len(rows)), []uuid.UUID{}
	due := make(map[uuid.UUID]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
		due[rows[i].ID] = str(rows[i].DueOn)
		if c.ws[rows[i].WorkspaceID] == nil {
			c.ws[rows[i].WorkspaceID] = &wsInfo{}
			wsIDs = append(wsIDs, rows[i].WorkspaceID)
		}
	}
	var wss []wsInfo
	if err := tx.Raw(`SELECT w.id, w.name, w.state, w.responsible_id, COALESCE(a.escalation_workdays, ?) AS escalation_workdays FROM workspaces w
		LEFT JOIN task_areas a ON a.tenant_id = w.tenant_id AND a.workspace_id = w.id WHERE w.tenant_id = @tenant AND w.id IN ?`,
		DefaultEscalationWorkdays, wsIDs).Scan(&wss).Error; err != nil {
		return nil, fmt.Errorf("tasks: read workspaces: %w", err)
	}
	for i := range wss {
		c.ws[wss[i].ID] = &wss[i]
	}
	var people []struct {
		TaskID       uuid.UUID `gorm:"column:task_id"`
		MembershipID uuid.UUID `gorm:"column:membership_id"`
		Lead         int       `gorm:"column:lead_days"`
	}
	if err := tx.Raw(`SELECT x.task_id, x.membership_id, COALESCE(rs.lead_days, ?) AS lead_days FROM (
			SELECT ta.task_id, ta.membership_id FROM task_assignees ta WHERE ta.tenant_id = @tenant AND ta.task_id IN ? AND ta.membership_id IS NOT NULL
			UNION
			SELECT ta.task_id, gm.membership_id FROM task_assignees ta JOIN group_members gm ON gm.tenant_id = ta.tenant_id AND gm.group_id = ta.group_id
			WHERE ta.tenant_id = @tenant AND ta.task_id IN ? AND ta.group_id IS NOT NULL) x
		JOIN tasks t ON t.tenant_id = @tenant AND t.id = x.task_id
		JOIN workspace_members wm ON wm.tenant_id = @tenant AND wm.workspace_id = t.workspace_id AND wm.membership_id = x.membership_id
		JOIN memberships m ON m.tenant_id = @tenant AND m.id = x.membership_id AND m.status = 'active'
		LEFT JOIN task_reminder_settings rs ON rs.tenant_id = @tenant AND rs.membership_id = x.membership_id
		ORDER BY x.task_id, x.membership_id LIMIT ?`, DefaultLeadDays, ids, ids, chunkLimit).Scan(&people).Error; err != nil {
		return nil, fmt.Errorf("tasks: read assignees to remind: %w", err)
	}
	for _, p := range people {
		c.people[p.TaskID] = append(c.people[p.TaskID], assignee{ID: p.MembershipID, Lead: p.Lead})
	}
	var sent []struct {
		TaskID      uuid.UUID `gorm:"column:task_id"`
		Kind        string    `gorm:"column:kind"`
		RecipientID uuid.UUID `gorm:"column:recipient_id"`
		DueOn       string    `gorm:"column:due_on"`
	}
	if err := tx.Table(reminderTable).Select("task_id, kind, recipient_id, due_on").Where("task_id IN ?", ids).
		Limit(chunkLimit).Scan(&sent).Error; err != nil {
		return nil, fmt.Errorf("tasks: read reminders sent: %w", err)
	}
	for _, r := range sent {
		if r.DueOn != due[r.TaskID] {
			continue // of an earlier due day
		}
		if c.sent[r.TaskID] == nil {
			c.sent[r.TaskID] = map[string]map[uuid.UUID]bool{}
		}
		if c.sent[r.TaskID][r.Kind] == nil {
			c.sent[r.TaskID][r.Kind] = map[uuid.UUID]bool{}
		}
		c.sent[r.TaskID][r.Kind][r.RecipientID] = true
	}
	return c, nil
}

// remindRow sends what task r is owed today and returns the next day
// anything is pending. Closed tasks, tasks without a due day and tasks of
// an archived workspace need nothing.
func (s *Service) remindRow(ctx context.Context, tx *db.Tx, c *chunk, r *taskRow, now time.Time, today workdays.Date, cal *workdays.Cal, rep *DueReport) (*workdays.Date, error) {
	if r.Category.Closed() || r.DueOn == nil {
		return nil, nil
	}
	due, err := workdays.ParseDate(*r.DueOn)
	if err != nil {
		return nil, nil
	}
	ws := c.ws[r.WorkspaceID]
	if ws == nil || ws.State != "active" {
		return nil, nil
	}
	p := planFor(today, due, cal.AddWorkdays(due, ws.EscalationWorkdays), c.people[r.ID], c.sent[r.ID])
	m := message{r: r, ws: ws, due: due, now: now}
	n, err := s.send(ctx, tx, m, ledgerReminder, p.Remind)
	if err != nil {
		return nil, err
	}
	rep.Reminders += n
	if n, err = s.send(ctx, tx, m, ledgerOverdue, p.Overdue); err != nil {
		return nil, err
	}
	rep.Overdue += n
	if p.Escalate {
		if !ws.read {
			if ws.targets, err = escalationTargets(tx, ws.ID, ws.ResponsibleID); err != nil {
				return nil, err
			}
			ws.read = true
		}
		m.overdueDays = cal.WorkdaysBetween(due, today)
		if n, err = s.send(ctx, tx, m, ledgerEscalation, ws.targets); err != nil {
			return nil, err
		}
		rep.Escalations += n
	}
	return p.Next, nil
}

// escalationTargets is whom an escalation reaches: the workspace's
// responsible person while they are an active member of it, else its
// active owners.
func escalationTargets(tx *db.Tx, ws, responsible uuid.UUID) ([]uuid.UUID, error) {
	var ids []uuid.UUID
	if err := tx.Raw(`SELECT wm.membership_id FROM workspace_members wm
		JOIN memberships m ON m.tenant_id = wm.tenant_id AND m.id = wm.membership_id AND m.status = 'active'
		WHERE wm.tenant_id = @tenant AND wm.workspace_id = ? AND (wm.membership_id = ? OR wm.role = 'owner')
		ORDER BY wm.membership_id LIMIT 200`, ws, responsible).Scan(&ids).Error; err != nil {
		return nil, fmt.Errorf("tasks: read escalation recipients: %w", err)
	}
	for _, id := range ids {
		if id == responsible {
			return []uuid.UUID{id}, nil
		}
	}
	return ids, nil
}

// sendRows bounds the records written by one statement.
const sendRows = 1000

// recordSQL writes the first record of a send; recordRow each further one.
const (
	recordSQL = "INSERT INTO task_reminders (tenant_id, task_id, kind, recipient_id, due_on, sent_at) VALUES (@tenant, ?, ?, ?, ?, ?)"
	recordRow = ", (@tenant, ?, ?, ?, ?, ?)"
)

// send records kind for each of ids (once per task, kind, recipient and
// due day: INSERT … ON CONFLICT DO NOTHING) and notifies those whose
// record this statement wrote, in the transaction; it returns how many.
func (s *Service) send(ctx context.Context, tx *db.Tx, m message, kind string, ids []uuid.UUID) (int, error) {
	var to []uuid.UUID
	for lo := 0; lo < len(ids); lo += sendRows {
		part := ids[lo:min(lo+sendRows, len(ids))]
		q := strings.Builder{}
		q.WriteString(recordSQL)
		args := make([]any, 0, 5*len(part))
		for i, id := range part {
			if i > 0 {
				q.WriteString(recordRow)
			}
			args = append(args, m.r.ID, kind, id, *m.r.DueOn, m.now)
		}
		q.WriteString(" ON CONFLICT DO NOTHING RETURNING recipient_id")
		var wrote []struct {
			RecipientID uuid.UUID `gorm:"column:recipient_id"`
		}
		if err := tx.Raw(q.String(), args...).Scan(&wrote).Error; err != nil {
			return 0, fmt.Errorf("tasks: record %s: %w", kind, err)
		}
		for _, w := range wrote {
			to = append(to, w.RecipientID)
		}
	}
	if len(to) == 0 {
		return 0, nil
	}
	ev := m.event(kind)
	ev.Recipients = notify.To(to...)
	if _, err := s.notify.Emit(ctx, tx, ev); err != nil {
		return 0, fmt.Errorf("tasks: notify %s: %w", kind, err)
	}
	return len(to), nil
}

// message is what the notifications about one due task say.
type message struct {
	r           *taskRow
	ws          *wsInfo
	due         workdays.Date
	now         time.Time
	overdueDays int
}

var weekdaysDE = [...]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"}

// dueText is "Fällig am 14.12.2026 (Montag)" in both languages, with the
// time when the task has one.
func (m message) dueText(de, en string) notify.Text {
	t := m.due.Time()
	out := notify.Text{DE: de + " " + t.Format("02.01.2006") + " (" + weekdaysDE[t.Weekday()] + ")",
		EN: en + " " + t.Format("2 January 2006") + " (" + t.Weekday().String() + ")"}
	if m.r.DueTime != nil {
		out.DE += ", " + *m.r.DueTime + " Uhr"
		out.EN += ", " + *m.r.DueTime
	}
	return out
}

func (m message) event(kind string) notify.Event {
	ws := m.r.WorkspaceID
	e := notify.Event{ObjectType: "task", ObjectID: m.r.ID, WorkspaceID: &ws, At: m.now, Link: "tasks/" + m.r.ID.String()}
	title := m.r.Title
	in := notify.Text{DE: " Arbeitsraum „" + m.ws.Name + "“.", EN: " Workspace “" + m.ws.Name + "”."}
	var text notify.Text
	switch kind {
	case ledgerReminder:
		e.Kind = notify.KindTaskDue
		e.Title = notify.Text{DE: notify.Clip("Erinnerung: „" + title + "“"), EN: notify.Clip("Reminder: “" + title + "”")}
		text = m.dueText("Fällig am", "Due on")
	case ledgerOverdue:
		e.Kind = notify.KindTaskOverdue
		e.Title = notify.Text{DE: notify.Clip("Überfällig: „" + title + "“"), EN: notify.Clip("Overdue: “" + title + "”")}
		text = m.dueText("Fällig war die Aufgabe am", "It was due on")
	default:
		e.Kind = notify.KindTaskEscalated
		e.Title = notify.Text{DE: notify.Clip("Eskalation: „" + title + "“ ist überfällig"), EN: notify.Clip("Escalation: “" + title + "” is overdue")}
		de, en := strconv.Itoa(m.overdueDays)+" Arbeitstagen", strconv.Itoa(m.overdueDays)+" working days"
		if m.overdueDays == 1 {
			de, en = "einem Arbeitstag", "one working day"
		}
		text = m.dueText("Seit "+de+" überfällig, fällig am", "Overdue for "+en+", due on")
	}
	e.Text = notify.Text{DE: text.DE + "." + in.DE, EN: text.EN + "." + in.EN}
	return e
}

// failpointKey carries a test's failpoint in the context (remind_export_test.go).
type failpointKey struct{}

// failpoint lets a test fail a task's transaction after its
// notifications were emitted and before the commit (a crash between the
// send and its record).
func failpoint(ctx context.Context, task uuid.UUID) error {
	if f, ok := ctx.Value(failpointKey{}).(func(uuid.UUID) error); ok {
		return f(task)
	}
	return nil
}
