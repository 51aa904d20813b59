package oparl

// Loaders of meetings, their places (Location) and agenda items.

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/publication"
)

// --- Meeting, Location and AgendaItem -------------------------------------

type meetingRow struct {
	ID          uuid.UUID `gorm:"column:id"`
	CommitteeID uuid.UUID `gorm:"column:committee_id"`
	Title       string    `gorm:"column:title"`
	StartsAt    dbTime    `gorm:"column:starts_at"`
	EndsAt      dbTime    `gorm:"column:ends_at"`
	Place       string    `gorm:"column:place"`
	PlaceMod    dbTime    `gorm:"column:place_modified"`
	State       string    `gorm:"column:state"`
	Created     dbTime    `gorm:"column:created"`
	Modified    dbTime    `gorm:"column:modified"`
}

// meetingStates maps Kollab's meeting states to the values OParl
// recommends: terminiert (scheduled), eingeladen (from the invitation
// until the minutes are approved), durchgeführt (minutes approved); a
// cancelled meeting stays terminiert, with cancelled true.
var meetingStates = map[string]string{"planned": "terminiert", "invited": "eingeladen", "in_session": "eingeladen",
	"closed": "eingeladen", "minutes_approved": "durchgeführt", "cancelled": "terminiert"}

func loadMeetings(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []meetingRow
	if err := r.rows(kinds["meetings"], ids, &rows); err != nil {
		return nil, err
	}
	var items []itemRow
	if err := r.where(kinds["agenda-items"], "x.meeting_id IN ?", &items, ids); err != nil {
		return nil, err
	}
	slices.SortFunc(items, func(a, b itemRow) int { return a.Position - b.Position })
	embedded, err := r.items(items, true)
	if err != nil {
		return nil, err
	}
	// Who was there: the members present, once the meeting is over.
	var present []struct {
		MeetingID    uuid.UUID `gorm:"column:meeting_id"`
		MembershipID uuid.UUID `gorm:"column:membership_id"`
	}
	if err := r.tx.Raw(`SELECT a.meeting_id, cm.membership_id FROM meeting_attendance a
		JOIN committee_members cm ON cm.tenant_id = a.tenant_id AND cm.id = a.member_id
		JOIN meetings m ON m.tenant_id = a.tenant_id AND m.id = a.meeting_id
		WHERE a.tenant_id = @tenant AND a.meeting_id IN ? AND a.status = 'present' AND m.state IN ('closed', 'minutes_approved')
		ORDER BY cm.membership_id`, ids).Scan(&present).Error; err != nil {
		return nil, fmt.Errorf("oparl: read attendance: %w", err)
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		m := Meeting{ID: r.u.obj("meetings", row.ID), Type: Schema + "Meeting", Name: row.Title, MeetingState: meetingStates[row.State], Cancelled: row.State == "cancelled",
			Start: stamp(row.StartsAt.T), End: stamp(row.EndsAt.T), Organization: []string{r.u.obj("organizations", row.CommitteeID)},
			AgendaItem: []AgendaItem{}, Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
		if row.Place != "" {
			m.Location = &Location{ID: r.u.obj("locations", row.ID), Type: Schema + "Location", Description: row.Place,
				Created: stamp(row.Created.T), Modified: stamp(row.PlaceMod.T)}
		}
		for i, it := range items {
			if it.MeetingID == row.ID {
				m.AgendaItem = append(m.AgendaItem, embedded[i])
			}
		}
		for _, p := range present {
			if p.MeetingID == row.ID {
				m.Participant = append(m.Participant, r.u.obj("persons", p.MembershipID))
			}
		}
		out[row.ID] = m
	}
	return out, nil
}

func loadLocations(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []struct {
		ID       uuid.UUID `gorm:"column:id"`
		Place    string    `gorm:"column:place"`
		Created  dbTime    `gorm:"column:created"`
		Modified dbTime    `gorm:"column:modified"`
	}
	if err := r.rows(kinds["locations"], ids, &rows); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		out[row.ID] = Location{ID: r.u.obj("locations", row.ID), Type: Schema + "Location", Description: row.Place,
			Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
	}
	return out, nil
}

type itemRow struct {
	ID          uuid.UUID `gorm:"column:id"`
	MeetingID   uuid.UUID `gorm:"column:meeting_id"`
	CommitteeID uuid.UUID `gorm:"column:committee_id"`
	Title       string    `gorm:"column:title"`
	Position    int       `gorm:"column:position"`
	Number      int       `gorm:"column:number"`
	Created     dbTime    `gorm:"column:created"`
	Modified    dbTime    `gorm:"column:modified"`
}

// items renders agenda item rows (in their order) with their consultation
// and the result of their last published yes/no poll.
func (r *reader) items(rows []itemRow, embedded bool) ([]AgendaItem, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]uuid.UUID, len(rows))
	for i, row := range rows {
		ids[i] = row.ID
	}
	// The item's consultation: its first live frozen paper (OParl links
	// one; every paper has its own Consultation pointing at the item).
	var papers []struct {
		ID           uuid.UUID `gorm:"column:id"`
		AgendaItemID uuid.UUID `gorm:"column:agenda_item_id"`
	}
	if err := r.tx.Raw(`SELECT mp.id, mp.agenda_item_id FROM meeting_papers mp
		JOIN documents d ON d.tenant_id = mp.tenant_id AND d.id = mp.document_id
		WHERE mp.tenant_id = @tenant AND mp.agenda_item_id IN ? AND mp.revision_id IS NOT NULL AND d.deleted_at IS NULL
		ORDER BY mp.added_at, mp.id`, ids).Scan(&papers).Error; err != nil {
		return nil, fmt.Errorf("oparl: read consultations: %w", err)
	}
	var polls []struct {
		AgendaItemID uuid.UUID `gorm:"column:agenda_item_id"`
		Method       string    `gorm:"column:method"`
		Passed       bool      `gorm:"column:passed"`
	}
	// A secret poll with fewer than committees.MinSecretBallots ballots is
	// never published, and is left out here too should one be
	// (publication.PollResultPublic).
	if err := r.tx.Raw(`SELECT p.agenda_item_id, p.method, pr.passed FROM polls p
		JOIN poll_results pr ON pr.tenant_id = p.tenant_id AND pr.poll_id = p.id
		WHERE p.tenant_id = @tenant AND p.agenda_item_id IN ? AND`+publication.PollResultPublic+`
		ORDER BY p.published_at, p.id`, ids, meetings.MinSecretBallots).Scan(&polls).Error; err != nil {
		return nil, fmt.Errorf("oparl: read results: %w", err)
	}
	out := make([]AgendaItem, len(rows))
	for n, row := range rows {
		it := AgendaItem{ID: r.u.obj("agenda-items", row.ID), Type: Schema + "AgendaItem", Number: strconv.Itoa(row.Number),
			Order: row.Number, Name: row.Title, Public: true, Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
		if !embedded {
			it.Meeting = r.u.obj("meetings", row.MeetingID)
		}
		for _, p := range papers {
			if p.AgendaItemID == row.ID {
				it.Consultation = r.u.obj("consultations", p.ID)
				break
			}
		}
		for _, p := range polls {
			if p.AgendaItemID == row.ID && p.Method == "yes_no_abstain" {
				it.Result = "Abgelehnt"
				if p.Passed {
					it.Result = "Beschlossen"
				}
			}
		}
		out[n] = it
	}
	return out, nil
}

func loadItems(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []itemRow
	if err := r.rows(kinds["agenda-items"], ids, &rows); err != nil {
		return nil, err
	}
	items, err := r.items(rows, false)
	if err != nil {
		return nil, err
	}
	out := map[uuid.UUID]any{}
	for i, row := range rows {
		out[row.ID] = items[i]
	}
	return out, nil
}
