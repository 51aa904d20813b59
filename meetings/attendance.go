package meetings

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// attendanceRow is a row of meeting_attendance.
type attendanceRow struct {
	TenantID   uuid.UUID        `gorm:"column:tenant_id"`
	ID         uuid.UUID        `gorm:"column:id"`
	MeetingID  uuid.UUID        `gorm:"column:meeting_id"`
	MemberID   uuid.UUID        `gorm:"column:member_id"`
	Status     AttendanceStatus `gorm:"column:status"`
	ArrivedAt  *time.Time       `gorm:"column:arrived_at"`
	DepartedAt *time.Time       `gorm:"column:departed_at"`
	UpdatedAt  time.Time        `gorm:"column:updated_at"`
	UpdatedBy  uuid.UUID        `gorm:"column:updated_by"`
	// MembershipID is read through a join with the member's seat.
	MembershipID uuid.UUID `gorm:"->;column:membership_id"`
}

// OwnerTenant implements db.TenantOwned.
func (r *attendanceRow) OwnerTenant() uuid.UUID { return r.TenantID }

// SetAttendance records a member as present (arrived now, or back after a
// departure; only during the session), excused or absent (admins, chair,
// secretary). The member needs a running seat in the meeting's committee.
func (s *Service) SetAttendance(ctx context.Context, a tenant.Actor, meetingID, membershipID uuid.UUID, status AttendanceStatus) (*Attendance, error) {
	if !slices.Contains([]AttendanceStatus{Present, Excused, Absent}, status) {
		return nil, errs.InvalidField("status", errs.M("meetings.unknown-attendance-status", "Unbekannter Anwesenheitsstatus: erlaubt sind present, excused und absent.", "Unknown attendance status: allowed are present, excused and absent."))
	}
	var out *Attendance
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, meetingID, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		if !m.open() {
			return m.errNotOpen()
		}
		if status == Present && m.State != InSession {
			return errs.New(errs.Conflict, errs.M("meetings.attendance-can-only-recorded-during", "Die Anwesenheit kann nur während der Sitzung festgestellt werden.", "Attendance can only be recorded during the session."))
		}
		seat, err := seatOf(tx, m.CommitteeID, membershipID, now)
		if err != nil {
			return err
		}
		if seat == nil {
			return errs.InvalidField("membership_id", errs.M("meetings.person-not-member-committee", "Diese Person gehört dem Gremium nicht an.", "This person is not a member of the committee."))
		}
		cur, err := loadAttendance(tx, meetingID, seat.ID)
		if err != nil {
			return err
		}
		rec := attendanceRow{TenantID: a.TenantID, ID: db.NewID(), MeetingID: meetingID, MemberID: seat.ID, Status: status,
			UpdatedAt: now, UpdatedBy: a.MembershipID}
		if cur != nil {
			rec.ID = cur.ID
		}
		if status == Present {
			rec.ArrivedAt = &now
			if cur != nil && cur.Status == Present {
				if cur.DepartedAt == nil { // already here
					out = attendance(cur, membershipID)
					return nil
				}
				rec.ArrivedAt = cur.ArrivedAt // back again: the first arrival stays
			}
		}
		if cur == nil {
			if err := tx.Create(attendanceTable, &rec); err != nil {
				return fmt.Errorf("committees: record attendance: %w", err)
			}
		} else if err := tx.Table(attendanceTable).Where("id = ?", cur.ID).Updates(map[string]any{"status": status,
			"arrived_at": rec.ArrivedAt, "departed_at": nil, "updated_at": now, "updated_by": a.MembershipID}).Error; err != nil {
			return fmt.Errorf("committees: record attendance: %w", err)
		}
		out = attendance(&rec, membershipID)
		if err := s.meetingChanged(tx, &meetingID, "attendance"); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionAttendance, "meeting", meetingID,
			map[string]string{"membership_id": membershipID.String(), "status": string(status)})
	})
	return out, err
}

// Depart records that a present member left the session (admins, chair,
// secretary); they no longer count as present until they are back.
func (s *Service) Depart(ctx context.Context, a tenant.Actor, meetingID, membershipID uuid.UUID) (*Attendance, error) {
	var out *Attendance
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, meetingID, now, "UPDATE")
		if err != nil {
			return err
		}
		if err := sc.needManage(); err != nil {
			return err
		}
		seat, err := seatOfAny(tx, m.CommitteeID, membershipID)
		if err != nil {
			return err
		}
		cur, err := loadAttendance(tx, meetingID, seat.ID)
		if err != nil {
			return err
		}
		if m.State != InSession || cur == nil || cur.Status != Present || cur.DepartedAt != nil {
			return errs.New(errs.Conflict, errs.M("meetings.person-not-present", "Diese Person ist nicht anwesend.", "This person is not present."))
		}
		if err := tx.Table(attendanceTable).Where("id = ?", cur.ID).
			Updates(map[string]any{"departed_at": now, "updated_at": now, "updated_by": a.MembershipID}).Error; err != nil {
			return fmt.Errorf("committees: record departure: %w", err)
		}
		cur.DepartedAt, cur.UpdatedAt, cur.UpdatedBy = &now, now, a.MembershipID
		out = attendance(cur, membershipID)
		if err := s.meetingChanged(tx, &meetingID, "attendance"); err != nil {
			return err
		}
		return record(ctx, tx, a, ActionAttendance, "meeting", meetingID,
			map[string]string{"membership_id": membershipID.String(), "status": "departed"})
	})
	return out, err
}

func loadAttendance(tx *db.Tx, meetingID, memberID uuid.UUID) (*attendanceRow, error) {
	var rows []attendanceRow
	if err := tx.Table(attendanceTable).Where("meeting_id = ? AND member_id = ?", meetingID, memberID).Limit(1).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("committees: read attendance: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}

func attendance(r *attendanceRow, membershipID uuid.UUID) *Attendance {
	return &Attendance{MeetingID: r.MeetingID, MemberID: r.MemberID, MembershipID: membershipID, Status: r.Status,
		ArrivedAt: r.ArrivedAt, DepartedAt: r.DepartedAt, UpdatedAt: r.UpdatedAt, UpdatedBy: r.UpdatedBy}
}

// ListAttendance returns a meeting's attendance register.
func (s *Service) ListAttendance(ctx context.Context, a tenant.Actor, meetingID uuid.UUID) ([]Attendance, error) {
	out := []Attendance{}
	err := s.run(ctx, a, func(tx *db.Tx) error {
		if _, _, err := loadMeeting(tx, a, meetingID, s.now(), ""); err != nil {
			return err
		}
		var rows []attendanceRow
		if err := tx.Table(attendanceTable).Select("meeting_attendance.*, cm.membership_id").
			Joins("JOIN committee_members cm ON cm.tenant_id = meeting_attendance.tenant_id AND cm.id = meeting_attendance.member_id").
			Where("meeting_attendance.meeting_id = ?", meetingID).Order("cm.created_at, cm.id").Scan(&rows).Error; err != nil {
			return fmt.Errorf("committees: list attendance: %w", err)
		}
		for i := range rows {
			out = append(out, *attendance(&rows[i], rows[i].MembershipID))
		}
		return nil
	})
	return out, err
}

// voter is one voting member as a count or quorum sees them.
type voter struct {
	MemberID     uuid.UUID `gorm:"column:member_id"`
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	Weight       int64     `gorm:"column:weight"`
	// Here: in the meeting's room now; Conflicted: on the agenda item.
	Here       bool
	Conflicted bool
	// Proxy is the member this one delegated to (for the meeting or poll).
	Proxy *uuid.UUID
}

// rosterData is a committee's voting members at one moment, with who is
// in the room and who is conflicted (seats of any role).
type rosterData struct {
	voters     []voter
	here       map[uuid.UUID]bool
	conflicted map[uuid.UUID]bool
}

// roster reads the committee's voting members at now (voting right,
// running term, active membership) with their presence at the meeting,
// their conflicts on the item and their delegations for the meeting or
// poll; uuid.Nil stands for whatever does not apply.
func roster(tx *db.Tx, committeeID, meetingID, itemID, pollID uuid.UUID, now time.Time) (*rosterData, error) {
	r := &rosterData{here: map[uuid.UUID]bool{}, conflicted: map[uuid.UUID]bool{}}
	err := tx.Raw(`SELECT cm.id AS member_id, cm.membership_id, cm.weight
		FROM committee_members cm
		JOIN memberships ms ON ms.tenant_id = cm.tenant_id AND ms.id = cm.membership_id
		WHERE cm.tenant_id = @tenant AND cm.committee_id = ? AND cm.voting AND ms.status = 'active' AND `+termRunning+`
		ORDER BY cm.id`, committeeID, now, now).Scan(&r.voters).Error
	if err != nil {
		return nil, fmt.Errorf("committees: read roster: %w", err)
	}
	var here, conflicted []uuid.UUID
	if err := tx.Table(attendanceTable).Where("meeting_id = ? AND status = ? AND departed_at IS NULL", meetingID, Present).
		Pluck("member_id", &here).Error; err != nil {
		return nil, fmt.Errorf("committees: read attendance: %w", err)
	}
	if err := tx.Table(conflictsTable).Where("agenda_item_id = ?", itemID).Pluck("member_id", &conflicted).Error; err != nil {
		return nil, fmt.Errorf("committees: read conflicts: %w", err)
	}
	for _, id := range here {
		r.here[id] = true
	}
	for _, id := range conflicted {
		r.conflicted[id] = true
	}
	var ds []struct {
		From uuid.UUID `gorm:"column:from_member_id"`
		To   uuid.UUID `gorm:"column:to_member_id"`
	}
	if err := tx.Table(delegationsTable).Select("from_member_id, to_member_id").
		Where("committee_id = ? AND revoked_at IS NULL AND (meeting_id = ? OR poll_id = ?)", committeeID, meetingID, pollID).
		Scan(&ds).Error; err != nil {
		return nil, fmt.Errorf("committees: read delegations: %w", err)
	}
	proxies := map[uuid.UUID]uuid.UUID{}
	for _, d := range ds {
		proxies[d.From] = d.To
	}
	for i := range r.voters {
		v := &r.voters[i]
		v.Here, v.Conflicted = r.here[v.MemberID], r.conflicted[v.MemberID]
		if to, ok := proxies[v.MemberID]; ok {
			v.Proxy = &to
		}
	}
	return r, nil
}

// quorum computes the quorum of the roster for rule f: the voting weight
// in the room against the voting weight of the members not conflicted.
func quorum(vs []voter, f Fraction) Quorum {
	q := Quorum{Rule: f}
	for _, v := range vs {
		if v.Conflicted {
			q.Excluded++
			continue
		}
		q.Members++
		q.MembersWeight += v.Weight
		if v.Here {
			q.Present++
			q.PresentWeight += v.Weight
		}
	}
	q.Reached = f.reaches(q.PresentWeight, q.MembersWeight)
	return q
}

// Quorum computes a meeting's quorum now, for the whole meeting (itemID
// uuid.Nil) or for one of its agenda items, whose conflicted members are
// left out. Proxies do not make anyone present.
func (s *Service) Quorum(ctx context.Context, a tenant.Actor, meetingID, itemID uuid.UUID) (*Quorum, error) {
	var out *Quorum
	err := s.run(ctx, a, func(tx *db.Tx) error {
		now := s.now()
		m, sc, err := loadMeeting(tx, a, meetingID, now, "")
		if err != nil {
			return err
		}
		if itemID != uuid.Nil {
			var n int64
			if err := tx.Table(itemsTable).Where("id = ? AND meeting_id = ?", itemID, meetingID).Count(&n).Error; err != nil {
				return fmt.Errorf("committees: check agenda item: %w", err)
			}
			if n == 0 {
				return errNotFound()
			}
		}
		r, err := roster(tx, m.CommitteeID, meetingID, itemID, uuid.Nil, now)
		if err != nil {
			return err
		}
		q := quorum(r.voters, sc.c.quorum())
		q.MeetingID, q.AgendaItemID, q.At = meetingID, itemID, now
		out = &q
		return nil
	})
	return out, err
}
