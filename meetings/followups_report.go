package meetings

// The report back (Beschlusskontrolle): one automatic agenda item
// "Bericht über die Umsetzung von Beschlüssen" on a committee's next
// meeting, listing the committee's follow-up tasks with their state.
//
// The next meeting is the committee's earliest meeting that is planned or
// invited and has not begun (starts after now). The item is made once per
// meeting, when a follow-up task of the committee is closed (done or
// cancelled) while that meeting is next, and rewritten after every later
// change of a follow-up task until the meeting begins; the task module
// computes the lines and calls ReportImplementation in the transaction of
// the change. With no next meeting the report waits: the committee's next
// CreateMeeting (and a CancelMeeting, which hands the report on to the
// meeting after) asks the report source (WithReportSource) for the lines
// and makes the item then.
//
// The lines are every follow-up task of the committee that is open, or was
// closed after the last report was given: after the latest meeting with a
// report began (ReportCutoff). So each closed task is reported once, and
// open ones until they close.
//
// The item's description is the report, so the minutes, made from the
// agenda, carry it. It is made non-public: it names the decisions of
// non-public items too. Should the chair make it public, decisions of
// non-public items are listed without their titles.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// Automatic items.
const (
	// AutomaticReport marks the report on the implementation of decisions.
	AutomaticReport = "implementation_report"
	// ReportTitle is its title.
	ReportTitle = "Bericht über die Umsetzung von Beschlüssen"
	// MaxReportLines bounds the lines a report lists by name.
	MaxReportLines = 200
)

// Audit actions of the report.
const (
	ActionReportCreated = "committees.agenda_item.report_created"
	ActionReportUpdated = "committees.agenda_item.report_updated"
)

// ReportState is a follow-up task's state in the report.
type ReportState string

// The states a report shows.
const (
	ReportDone      ReportState = "done"
	ReportCancelled ReportState = "cancelled"
	ReportOpen      ReportState = "open"
)

// Label is the state in German, as the report writes it.
func (st ReportState) Label() string {
	switch st {
	case ReportDone:
		return "erledigt"
	case ReportCancelled:
		return "abgebrochen"
	}
	return "in Bearbeitung"
}

// ReportLine is one follow-up task in the report.
type ReportLine struct {
	TaskID        uuid.UUID
	Title         string
	WorkspaceName string
	State         ReportState
	// DueOn is the due day (YYYY-MM-DD), "" for none; ClosedAt when it was closed.
	DueOn    string
	ClosedAt *time.Time
	// The decision the task came from.
	ItemID *uuid.UUID
	PollID *uuid.UUID
}

// ReportSource computes a committee's report lines in tx: the follow-up
// tasks that are open or were closed after since (the task module's
// tasks.ReportLines).
type ReportSource func(ctx context.Context, tx *db.Tx, committeeID uuid.UUID, since time.Time) ([]ReportLine, error)

// WithReportSource sets where a new meeting's waiting report comes from.
func WithReportSource(f ReportSource) ServiceOption { return func(s *Service) { s.reportSource = f } }

// ReportCutoff takes the committee's report lock (the committee's row, on
// PostgreSQL: concurrent report changes of one committee run one after
// the other, each seeing the one before) and returns when the last report
// was given: tasks closed until then were reported (zero: never).
func ReportCutoff(tx *db.Tx, committeeID uuid.UUID) (time.Time, error) {
	if err := lockReport(tx, committeeID); err != nil {
		return time.Time{}, err
	}
	var at []struct {
		OpenedAt *time.Time `gorm:"column:opened_at"`
		StartsAt time.Time  `gorm:"column:starts_at"`
	}
	if err := tx.Raw(`SELECT m.opened_at, m.starts_at FROM meetings m
		JOIN agenda_items i ON i.tenant_id = m.tenant_id AND i.meeting_id = m.id AND i.automatic = ?
		WHERE m.tenant_id = @tenant AND m.committee_id = ? AND m.state IN ?
		ORDER BY m.starts_at DESC, m.id DESC LIMIT 1`, AutomaticReport, committeeID,
		[]MeetingState{InSession, Closed, MinutesApproved}).Scan(&at).Error; err != nil {
		return time.Time{}, fmt.Errorf("committees: read last report: %w", err)
	}
	switch {
	case len(at) == 0:
		return time.Time{}, nil
	case at[0].OpenedAt != nil:
		return *at[0].OpenedAt, nil
	}
	return at[0].StartsAt, nil
}

// lockReport takes the committee's report lock: its row, FOR NO KEY
// UPDATE on PostgreSQL (rows that merely reference the committee do not
// wait for it). Whoever also locks a meeting of the committee takes this
// lock first (CancelMeeting does), so the two never wait for each other.
func lockReport(tx *db.Tx, committeeID uuid.UUID) error {
	q := "SELECT id FROM committees WHERE tenant_id = @tenant AND id = ?"
	if isPostgres(tx) {
		q += " FOR NO KEY UPDATE"
	}
	if err := tx.Raw(q, committeeID).Scan(&[]uuid.UUID{}).Error; err != nil {
		return fmt.Errorf("committees: lock report: %w", err)
	}
	return nil
}

// lockReportOfMeeting takes the report lock of a meeting's committee
// (nothing when the meeting is not there).
func lockReportOfMeeting(tx *db.Tx, meetingID uuid.UUID) error {
	var cs []uuid.UUID
	if err := tx.Table(meetingsTable).Where("id = ?", meetingID).Limit(1).Pluck("committee_id", &cs).Error; err != nil {
		return fmt.Errorf("committees: read meeting: %w", err)
	}
	if len(cs) == 0 {
		return nil
	}
	return lockReport(tx, cs[0])
}

// nextMeeting is the committee's next meeting (nil: none), locked: the
// lock orders the report against other changes of the agenda, and a
// meeting that began or was cancelled meanwhile is passed over.
func (s *Service) nextMeeting(tx *db.Tx, committeeID uuid.UUID) (*meetingRow, error) {
	waiting := []MeetingState{Planned, Invited}
	for range 3 {
		var ids []uuid.UUID
		if err := tx.Table(meetingsTable).Where("committee_id = ? AND state IN ? AND starts_at > ?", committeeID, waiting, s.now()).
			Order("starts_at, id").Limit(1).Pluck("id", &ids).Error; err != nil {
			return nil, fmt.Errorf("committees: read next meeting: %w", err)
		}
		if len(ids) == 0 {
			return nil, nil
		}
		var ms []meetingRow
		if err := tx.Raw(forUpdate(tx, "SELECT * FROM meetings WHERE tenant_id = @tenant AND id = ?"), ids[0]).Scan(&ms).Error; err != nil {
			return nil, fmt.Errorf("committees: lock meeting: %w", err)
		}
		if len(ms) == 1 && (ms[0].State == Planned || ms[0].State == Invited) {
			return &ms[0], nil
		}
	}
	return nil, nil
}

// ReportImplementation brings the committee's report up to date with
// lines, in tx, on behalf of a (the audit names a): on the next meeting it
// rewrites the automatic item, or makes it when a line is closed. With no
// next meeting, nothing happens (the report waits for one). Callers take
// ReportCutoff before they compute the lines.
func (s *Service) ReportImplementation(ctx context.Context, tx *db.Tx, a tenant.Actor, committeeID uuid.UUID, lines []ReportLine) error {
	m, err := s.nextMeeting(tx, committeeID)
	if err != nil || m == nil {
		return err
	}
	var items []itemRow
	if err := tx.Table(itemsTable).Where("meeting_id = ? AND automatic = ?", m.ID, AutomaticReport).Limit(1).Scan(&items).Error; err != nil {
		return fmt.Errorf("committees: read report: %w", err)
	}
	if len(items) == 0 && !anyClosed(lines) {
		return nil
	}
	public := len(items) == 1 && items[0].Public
	text, err := reportText(tx, lines, public)
	if err != nil {
		return err
	}
	now := s.now()
	if len(items) == 1 {
		if items[0].Description == text {
			return nil
		}
		if _, err := exec(tx, "UPDATE agenda_items SET description = ?, updated_at = ? WHERE tenant_id = @tenant AND id = ?",
			text, now, items[0].ID); err != nil {
			return fmt.Errorf("committees: update report: %w", err)
		}
		if err := s.meetingChanged(tx, &m.ID, "agenda"); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionReportUpdated, "agenda_item", items[0].ID, map[string]string{"meeting_id": m.ID.String(),
			"lines": strconv.Itoa(len(lines))})
	}
	return s.createReport(ctx, tx, a, m, text, len(lines), now)
}

// createReport puts the report at the end of meeting m's agenda, accepted,
// in the name of whoever planned the meeting.
func (s *Service) createReport(ctx context.Context, tx *db.Tx, a tenant.Actor, m *meetingRow, text string, lines int, now time.Time) error {
	var last []int
	if err := tx.Table(itemsTable).Where("meeting_id = ?", m.ID).Select("COALESCE(MAX(position), 0)").Scan(&last).Error; err != nil {
		return fmt.Errorf("committees: read agenda: %w", err)
	}
	auto := AutomaticReport
	rec := &itemRow{TenantID: tx.TenantID(), ID: db.NewID(), MeetingID: m.ID, Position: last[0] + 1, Title: ReportTitle,
		Description: text, State: Accepted, ProposedBy: m.CreatedBy, DecidedBy: &m.CreatedBy, DecidedAt: &now, CreatedAt: now, UpdatedAt: now,
		Automatic: &auto}
	if err := tx.Create(itemsTable, rec); err != nil {
		return fmt.Errorf("committees: add report: %w", err)
	}
	if err := s.meetingChanged(tx, &m.ID, "agenda"); err != nil {
		return err
	}
	return record(ctx, tx, a, ActionReportCreated, "agenda_item", rec.ID, map[string]string{"meeting_id": m.ID.String(),
		"title": ReportTitle, "lines": strconv.Itoa(lines)})
}

// refreshReport asks the report source for the committee's lines and
// brings the report up to date (meeting created or cancelled).
func (s *Service) refreshReport(ctx context.Context, tx *db.Tx, a tenant.Actor, committeeID uuid.UUID) error {
	if s.reportSource == nil {
		return nil
	}
	since, err := ReportCutoff(tx, committeeID)
	if err != nil {
		return err
	}
	lines, err := s.reportSource(ctx, tx, committeeID, since)
	if err != nil {
		return err
	}
	return s.ReportImplementation(ctx, tx, a, committeeID, lines)
}

func anyClosed(lines []ReportLine) bool {
	for _, l := range lines {
		if l.State != ReportOpen {
			return true
		}
	}
	return false
}

// reportText writes the report: one line per task, bounded to an item's
// description. In a public report, decisions of non-public items are not named.
func reportText(tx *db.Tx, lines []ReportLine, public bool) (string, error) {
	refs, err := decisionRefs(tx, lines)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("Stand der Umsetzung der Beschlüsse (automatisch geführt bis zum Beginn der Sitzung):")
	if len(lines) == 0 {
		b.WriteString("\n\nKeine Folgeaufgaben offen oder seit dem letzten Bericht abgeschlossen.")
		return b.String(), nil
	}
	b.WriteString("\n")
	for i, l := range lines {
		ref := refs[l.TaskID]
		var s string
		if public && !ref.public {
			s = "\n- Aufgabe zu einem nichtöffentlichen Beschluss: " + l.State.Label()
		} else {
			s = "\n- „" + l.Title + "“ (Arbeitsraum " + l.WorkspaceName + ")" + ref.text + ": " + l.State.Label()
		}
		if l.ClosedAt != nil && l.State != ReportOpen {
			s += " am " + l.ClosedAt.In(tenant.Berlin).Format("02.01.2006")
		}
		if l.DueOn != "" {
			s += "; fällig am " + dayDE(l.DueOn)
		}
		rest := len(lines) - i
		tail := "\n- … und " + strconv.Itoa(rest) + " weitere Aufgaben"
		if i >= MaxReportLines || utf8.RuneCountInString(b.String())+utf8.RuneCountInString(s)+len(tail) > MaxDescriptionLen {
			b.WriteString(tail)
			break
		}
		b.WriteString(s)
	}
	return b.String(), nil
}

// dayDE writes a day YYYY-MM-DD as DD.MM.YYYY.
func dayDE(day string) string {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		return day
	}
	return t.Format("02.01.2006")
}

// decisionRef is how a report line names its decision.
type decisionRef struct {
	text   string
	public bool
}

// decisionRefs names each line's decision: ", aus TOP n „…“ der Sitzung vom
// …" or ", aus dem Umlaufverfahren „…“".
func decisionRefs(tx *db.Tx, lines []ReportLine) (map[uuid.UUID]decisionRef, error) {
	out := make(map[uuid.UUID]decisionRef, len(lines))
	var itemIDs, pollIDs []uuid.UUID
	for _, l := range lines {
		if l.ItemID != nil {
			itemIDs = append(itemIDs, *l.ItemID)
		} else if l.PollID != nil {
			pollIDs = append(pollIDs, *l.PollID)
		}
	}
	items := map[uuid.UUID]decisionRef{}
	if len(itemIDs) > 0 {
		var rows []struct {
			ID        uuid.UUID `gorm:"column:id"`
			MeetingID uuid.UUID `gorm:"column:meeting_id"`
			Title     string    `gorm:"column:title"`
			Public    bool      `gorm:"column:public"`
			StartsAt  time.Time `gorm:"column:starts_at"`
		}
		if err := tx.Raw(`SELECT i.id, i.meeting_id, i.title, i.public, m.starts_at FROM agenda_items i
			JOIN meetings m ON m.tenant_id = i.tenant_id AND m.id = i.meeting_id
			WHERE i.tenant_id = @tenant AND i.id IN ?`, itemIDs).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("committees: read decided items: %w", err)
		}
		numbers := map[uuid.UUID][]AgendaItem{}
		for _, r := range rows {
			if _, ok := numbers[r.MeetingID]; !ok {
				ag, err := agenda(tx, r.MeetingID)
				if err != nil {
					return nil, err
				}
				numbers[r.MeetingID] = ag
			}
			top := "TOP"
			if it := findItem(numbers[r.MeetingID], r.ID); it != nil && it.Number > 0 {
				top += " " + strconv.Itoa(it.Number)
			}
			items[r.ID] = decisionRef{text: ", aus " + top + " „" + r.Title + "“ der Sitzung vom " + r.StartsAt.In(tenant.Berlin).Format("02.01.2006"),
				public: r.Public}
		}
	}
	polls := map[uuid.UUID]string{}
	if len(pollIDs) > 0 {
		var rows []struct {
			ID    uuid.UUID `gorm:"column:id"`
			Title string    `gorm:"column:title"`
		}
		if err := tx.Table(pollsTable).Select("id, title").Where("id IN ?", pollIDs).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("committees: read decided polls: %w", err)
		}
		for _, r := range rows {
			polls[r.ID] = r.Title
		}
	}
	for _, l := range lines {
		switch {
		case l.ItemID != nil:
			out[l.TaskID] = items[*l.ItemID]
		case l.PollID != nil:
			out[l.TaskID] = decisionRef{text: ", aus dem Umlaufverfahren „" + polls[*l.PollID] + "“"}
		}
	}
	return out, nil
}
