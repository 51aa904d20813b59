package tasks

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// The personal iCalendar feed of due dates: the tasks assigned to a
// person (directly or through a group) in the workspaces they belong to,
// across their tenants, read with the personal feed token of the meetings
// feed (the API resolves the token to FeedMembers). Calendar apps get
// VTODO entries (RFC 5545 §3.6.2), or all-day / timed VEVENTs for apps
// that show no tasks.

// FeedMember is a membership a feed reads for.
type FeedMember struct {
	TenantID     uuid.UUID
	MembershipID uuid.UUID
	TenantSlug   string
}

// FeedTask is a task of a feed with its tenant.
type FeedTask struct {
	Task
	TenantSlug string
}

// Feed bounds.
const (
	// MaxFeedTasks bounds the tasks of one tenant in a feed.
	MaxFeedTasks = 1000
	// FeedClosedFor is how long a closed task stays in the feed (as completed).
	FeedClosedFor = 30 * 24 * time.Hour
)

// Feed reads the tasks with a due day assigned to each member, open ones
// and those closed in the last FeedClosedFor, by due day.
func (s *Service) Feed(ctx context.Context, members []FeedMember) ([]FeedTask, error) {
	out := []FeedTask{}
	since := s.now().Add(-FeedClosedFor)
	for _, m := range members {
		err := s.db.Tenant(ctx, m.TenantID, func(tx *db.Tx) error {
			q := mineQuery(tx, m.MembershipID).Where("t.due_on IS NOT NULL AND (t.closed_at IS NULL OR t.closed_at >= ?)", since)
			p := &Page{}
			if err := s.page(tx, q, ByDue, nil, MaxFeedTasks, p); err != nil {
				return err
			}
			names := map[uuid.UUID]string{}
			for i := range p.Items {
				t := &p.Items[i]
				if _, ok := names[t.WorkspaceID]; !ok {
					var n []string
					if err := tx.Table("workspaces").Where("id = ?", t.WorkspaceID).Pluck("name", &n).Error; err != nil {
						return fmt.Errorf("tasks: read workspace name: %w", err)
					}
					names[t.WorkspaceID] = strings.Join(n, "")
				}
				t.WorkspaceName = names[t.WorkspaceID]
				out = append(out, FeedTask{Task: *t, TenantSlug: m.TenantSlug})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// FeedOptions shape a feed's calendar.
type FeedOptions struct {
	PublicURL string
	Name      string
	// Events writes VEVENTs instead of VTODOs.
	Events bool
	// Stamp is the DTSTAMP (default: each task's last change).
	Stamp time.Time
}

// TaskUID is a task's iCalendar UID, the same for its whole life.
func TaskUID(id uuid.UUID) string { return "task-" + id.String() + "@kollab" }

// TaskURL is a task's page in the web app.
func TaskURL(publicURL, slug string, id uuid.UUID) string {
	return strings.TrimRight(publicURL, "/") + "/t/" + slug + "/tasks/" + id.String()
}

// WriteCalendar writes the feed's tasks as an iCalendar document.
func WriteCalendar(w io.Writer, ts []FeedTask, o FeedOptions) error {
	cal := ics.NewCalendarFor("Kollab")
	cal.SetProductId("-//Kollab//Kollab Aufgaben//DE")
	cal.SetCalscale("GREGORIAN")
	if o.Name != "" {
		cal.SetXWRCalName(o.Name)
		cal.SetName(o.Name)
		cal.SetRefreshInterval("PT1H")
		cal.SetXPublishedTTL("PT1H")
	}
	for i := range ts {
		t := &ts[i]
		due, timed, err := dueInstant(&t.Task)
		if err != nil {
			return err
		}
		stamp := o.Stamp
		if stamp.IsZero() {
			stamp = t.UpdatedAt
		}
		summary := t.Title
		if t.WorkspaceName != "" {
			summary += " (" + t.WorkspaceName + ")"
		}
		desc := "Arbeitsraum: " + t.WorkspaceName + "\nStatus: " + t.StatusName
		url := ""
		if o.PublicURL != "" {
			url = TaskURL(o.PublicURL, t.TenantSlug, t.ID)
			desc += "\n" + url
		}
		if o.Events {
			e := cal.AddEvent(TaskUID(t.ID))
			e.SetDtStampTime(stamp)
			e.SetModifiedAt(t.UpdatedAt)
			if timed {
				e.SetStartAt(due.Add(-30 * time.Minute))
				e.SetEndAt(due)
			} else {
				e.SetAllDayStartAt(due)
				e.SetAllDayEndAt(due.AddDate(0, 0, 1))
			}
			prefix := "Fällig: "
			if t.Category.Closed() {
				prefix = "Erledigt: "
				if t.Category == Cancelled {
					prefix = "Abgebrochen: "
				}
			}
			e.SetSummary(prefix + summary)
			e.SetDescription(desc)
			e.SetClass(ics.ClassificationPrivate)
			e.SetProperty(ics.ComponentPropertyTransp, "TRANSPARENT")
			if url != "" {
				e.SetURL(url)
			}
			continue
		}
		td := cal.AddTodo(TaskUID(t.ID))
		td.SetDtStampTime(stamp)
		td.SetCreatedTime(t.CreatedAt)
		td.SetModifiedAt(t.UpdatedAt)
		if timed {
			td.SetDueAt(due)
		} else {
			td.SetAllDayDueAt(due)
		}
		if t.StartOn != "" && t.StartOn <= t.DueOn {
			if st, err := time.Parse(DateLayout, t.StartOn); err == nil {
				td.SetAllDayStartAt(st)
			}
		}
		td.SetSummary(summary)
		td.SetDescription(desc)
		td.SetPriority(map[Priority]int{Urgent: 1, High: 3, Normal: 5, Low: 9}[t.Priority])
		td.SetClass(ics.ClassificationPrivate)
		td.SetStatus(map[Category]ics.ObjectStatus{Open: ics.ObjectStatusNeedsAction, InProgress: ics.ObjectStatusInProcess,
			Waiting: ics.ObjectStatusNeedsAction, Done: ics.ObjectStatusCompleted, Cancelled: ics.ObjectStatusCancelled}[t.Category])
		if t.Category == Done && t.ClosedAt != nil {
			td.SetCompletedAt(*t.ClosedAt)
			td.SetPercentComplete(100)
		}
		if url != "" {
			td.SetURL(url)
		}
	}
	return cal.SerializeTo(w)
}

// dueInstant is a task's due moment: the day (all-day), or the day and
// time in Berlin (timed, as UTC).
func dueInstant(t *Task) (time.Time, bool, error) {
	day, err := time.Parse(DateLayout, t.DueOn)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("tasks: due day of %s: %w", t.ID, err)
	}
	if t.DueTime == "" {
		return day, false, nil
	}
	hm, err := time.Parse(TimeLayout, t.DueTime)
	if err != nil {
		return day, false, nil
	}
	local := time.Date(day.Year(), day.Month(), day.Day(), hm.Hour(), hm.Minute(), 0, 0, tenant.Berlin)
	return local.UTC(), true, nil
}
