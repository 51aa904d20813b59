package meetings

// Making the draft minutes from the meeting's record.

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// createMinutes makes and stores the draft of a closed meeting.
func createMinutes(ctx context.Context, tx *db.Tx, a tenant.Actor, m *meetingRow, sc *scope, now time.Time) (*minutesRow, error) {
	c, err := generateMinutes(tx, m, sc, now)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, fmt.Errorf("committees: encode minutes: %w", err)
	}
	rec := &minutesRow{TenantID: a.TenantID, ID: db.NewID(), MeetingID: m.ID, State: DraftMinutes, Version: 1, Content: string(b),
		CreatedAt: now, CreatedBy: a.MembershipID, UpdatedAt: now, UpdatedBy: a.MembershipID}
	if err := tx.Create(minutesTable, rec); err != nil {
		return nil, fmt.Errorf("committees: create minutes: %w", err)
	}
	if err := record(ctx, tx, a, ActionMinutesCreated, "meeting", m.ID, map[string]string{"minutes_id": rec.ID.String()}); err != nil {
		return nil, err
	}
	return rec, nil
}

// roleRank orders the attendance register.
var roleRank = map[Role]int{RoleChair: 0, RoleDeputyChair: 1, RoleSecretary: 2, RoleMember: 3, RoleDeputy: 4, RoleAdvisory: 5}

// generateMinutes reads the meeting's record into a draft.
func generateMinutes(tx *db.Tx, m *meetingRow, sc *scope, now time.Time) (*MinutesContent, error) {
	ref := m.StartsAt
	if m.OpenedAt != nil {
		ref = *m.OpenedAt
	}
	c := &MinutesContent{GeneratedAt: now, Attendance: []MinutesAttendee{}, Items: []MinutesItem{},
		Header: MinutesHeader{CommitteeID: sc.c.ID, CommitteeName: sc.c.Name, MeetingTitle: m.Title, StartsAt: m.StartsAt, EndsAt: m.EndsAt,
			OpenedAt: m.OpenedAt, ClosedAt: m.ClosedAt, Place: m.Place, OnlineURL: m.OnlineURL,
			Chairs: []MinutesPerson{}, Secretaries: []MinutesPerson{}}}
	people := map[uuid.UUID]bool{}

	// Seats and attendance.
	var seats []memberRow
	if err := tx.Table(membersTable).Where("committee_id = ?", m.CommitteeID).Order("created_at, id").Scan(&seats).Error; err != nil {
		return nil, fmt.Errorf("committees: read members: %w", err)
	}
	var att []attendanceRow
	if err := tx.Table(attendanceTable).Where("meeting_id = ?", m.ID).Scan(&att).Error; err != nil {
		return nil, fmt.Errorf("committees: read attendance: %w", err)
	}
	attOf := map[uuid.UUID]*attendanceRow{}
	for i := range att {
		attOf[att[i].MemberID] = &att[i]
	}
	seatOfMember := map[uuid.UUID]*memberRow{}
	var listed []*memberRow
	for i := range seats {
		se := &seats[i]
		seatOfMember[se.ID] = se
		running := !se.TermStart.After(ref) && (se.TermEnd == nil || se.TermEnd.After(ref))
		if running || attOf[se.ID] != nil {
			listed = append(listed, se)
			people[se.MembershipID] = true
		}
	}

	// Agenda: the accepted items in order, and what belongs to them.
	items, err := agenda(tx, m.ID)
	if err != nil {
		return nil, err
	}
	itemIDs := []uuid.UUID{}
	for _, it := range items {
		if it.State == Accepted {
			itemIDs = append(itemIDs, it.ID)
		}
	}
	var papers []struct {
		ItemID   uuid.UUID `gorm:"column:agenda_item_id"`
		DocID    uuid.UUID `gorm:"column:document_id"`
		Title    string    `gorm:"column:title"`
		Revision *int      `gorm:"column:number"`
	}
	var conflicts []struct {
		ItemID       uuid.UUID `gorm:"column:agenda_item_id"`
		MembershipID uuid.UUID `gorm:"column:membership_id"`
		Reason       string    `gorm:"column:reason"`
	}
	var posts []postRow
	var polls []pollRow
	if len(itemIDs) > 0 {
		if err := tx.Raw(`SELECT p.agenda_item_id, p.document_id, d.title, r.number
			FROM meeting_papers p
			JOIN documents d ON d.tenant_id = p.tenant_id AND d.id = p.document_id
			LEFT JOIN document_revisions r ON r.tenant_id = p.tenant_id AND r.id = p.revision_id
			WHERE p.tenant_id = @tenant AND p.agenda_item_id IN ? ORDER BY p.added_at, p.id`, itemIDs).Scan(&papers).Error; err != nil {
			return nil, fmt.Errorf("committees: read papers: %w", err)
		}
		if err := tx.Raw(`SELECT c.agenda_item_id, cm.membership_id, c.reason
			FROM conflict_declarations c
			JOIN committee_members cm ON cm.tenant_id = c.tenant_id AND cm.id = c.member_id
			WHERE c.tenant_id = @tenant AND c.agenda_item_id IN ? ORDER BY c.declared_at, c.id`, itemIDs).Scan(&conflicts).Error; err != nil {
			return nil, fmt.Errorf("committees: read conflicts: %w", err)
		}
		if err := tx.Table(postsTable).Where("agenda_item_id IN ?", itemIDs).Order("created_at, id").Scan(&posts).Error; err != nil {
			return nil, fmt.Errorf("committees: read posts: %w", err)
		}
		if err := tx.Table(pollsTable).Where("meeting_id = ? AND agenda_item_id IN ? AND state IN ?", m.ID, itemIDs,
			[]PollState{PollClosed, PollPublished, PollAnnulled}).Order("created_at, id").Scan(&polls).Error; err != nil {
			return nil, fmt.Errorf("committees: read polls: %w", err)
		}
	}
	for _, x := range conflicts {
		people[x.MembershipID] = true
	}
	for _, p := range posts {
		people[p.AuthorID] = true
	}
	pollIDs := make([]uuid.UUID, len(polls))
	for i, p := range polls {
		pollIDs[i] = p.ID
	}
	var options []optionRow
	var results []resultRow
	var receipts []struct {
		PollID uuid.UUID `gorm:"column:poll_id"`
		N      int       `gorm:"column:n"`
	}
	var votes []struct {
		PollID    uuid.UUID `gorm:"column:poll_id"`
		Voter     uuid.UUID `gorm:"column:voter_membership_id"`
		CastBy    uuid.UUID `gorm:"column:cast_by_membership_id"`
		Choice    string    `gorm:"column:choice"`
		OptionIDs string    `gorm:"column:option_ids"`
		Weight    int       `gorm:"column:weight"`
	}
	if len(pollIDs) > 0 {
		if err := tx.Table(optionsTable).Where("poll_id IN ?", pollIDs).Order("position").Scan(&options).Error; err != nil {
			return nil, fmt.Errorf("committees: read options: %w", err)
		}
		if err := tx.Table(resultsTable).Where("poll_id IN ?", pollIDs).Scan(&results).Error; err != nil {
			return nil, fmt.Errorf("committees: read results: %w", err)
		}
		if err := tx.Table(receiptsTable).Select("poll_id, count(*) AS n").Where("poll_id IN ?", pollIDs).Group("poll_id").
			Scan(&receipts).Error; err != nil {
			return nil, fmt.Errorf("committees: count ballots: %w", err)
		}
		if err := tx.Table(votesTable).Select("poll_id, voter_membership_id, cast_by_membership_id, choice, option_ids, weight").
			Where("poll_id IN ?", pollIDs).Order("cast_at, id").Scan(&votes).Error; err != nil {
			return nil, fmt.Errorf("committees: read votes: %w", err)
		}
	}
	for _, v := range votes {
		people[v.Voter], people[v.CastBy] = true, true
	}

	ids := make([]uuid.UUID, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	names, err := displayNames(tx, ids)
	if err != nil {
		return nil, err
	}
	person := func(id uuid.UUID) MinutesPerson { return MinutesPerson{MembershipID: id, Name: names[id]} }

	// Header and attendance register.
	slices.SortStableFunc(listed, func(x, y *memberRow) int {
		if d := roleRank[x.Role] - roleRank[y.Role]; d != 0 {
			return d
		}
		return strings.Compare(names[x.MembershipID], names[y.MembershipID])
	})
	q := MinutesQuorum{Rule: sc.c.quorum()}
	for _, se := range listed {
		running := !se.TermStart.After(ref) && (se.TermEnd == nil || se.TermEnd.After(ref))
		switch {
		case !running:
		case se.Role == RoleChair:
			c.Header.Chairs = append(c.Header.Chairs, person(se.MembershipID))
		case se.Role == RoleSecretary:
			c.Header.Secretaries = append(c.Header.Secretaries, person(se.MembershipID))
		}
		at := MinutesAttendee{MinutesPerson: person(se.MembershipID), Role: se.Role, Voting: se.Voting, Weight: se.Weight, Status: Absent}
		if r := attOf[se.ID]; r != nil {
			at.Status, at.ArrivedAt, at.DepartedAt = r.Status, r.ArrivedAt, r.DepartedAt
		}
		c.Attendance = append(c.Attendance, at)
		if se.Voting && running {
			q.Members++
			q.MembersWeight += int64(se.Weight)
			if at.Status == Present {
				q.Present++
				q.PresentWeight += int64(se.Weight)
			}
		}
	}
	q.Reached = q.Rule.reaches(q.PresentWeight, q.MembersWeight)
	c.Quorum = q

	// Items.
	labels := map[uuid.UUID]string{}
	optionsOf := map[uuid.UUID][]optionRow{}
	for _, o := range options {
		labels[o.ID] = o.Label
		optionsOf[o.PollID] = append(optionsOf[o.PollID], o)
	}
	resultOf := map[uuid.UUID]*resultRow{}
	for i := range results {
		resultOf[results[i].PollID] = &results[i]
	}
	ballotsOf := map[uuid.UUID]int{}
	for _, r := range receipts {
		ballotsOf[r.PollID] = r.N
	}
	for _, it := range items {
		if it.State != Accepted {
			continue
		}
		mi := MinutesItem{AgendaItemID: it.ID, Number: it.Number, Title: it.Title, Description: it.Description, Public: it.Public,
			Papers: []MinutesPaper{}, Conflicts: []MinutesConflict{}, Polls: []MinutesPoll{}}
		for _, p := range papers {
			if p.ItemID == it.ID {
				mp := MinutesPaper{DocumentID: p.DocID, Title: p.Title}
				if p.Revision != nil {
					mp.RevisionNumber = *p.Revision
				}
				mi.Papers = append(mi.Papers, mp)
			}
		}
		for _, x := range conflicts {
			if x.ItemID == it.ID {
				mi.Conflicts = append(mi.Conflicts, MinutesConflict{MinutesPerson: person(x.MembershipID), Reason: x.Reason})
			}
		}
		var lines []string
		for _, p := range posts {
			if p.AgendaItemID == it.ID {
				lines = append(lines, names[p.AuthorID]+": "+p.Body)
			}
		}
		mi.Summary = cut(strings.Join(lines, "\n\n"), MaxMinutesTextLen)
		for i := range polls {
			p := &polls[i]
			if p.AgendaItemID == nil || *p.AgendaItemID != it.ID {
				continue
			}
			// An annulled poll, and a secret poll too small to count, show
			// no tally: only that they decided nothing, and why.
			if p.State == PollAnnulled || tooFewBallots(p, ballotsOf[p.ID]) {
				mp := MinutesPoll{PollID: p.ID, Title: p.Title, Kind: p.Kind, Method: p.Method, Seats: p.Seats, Rule: p.rule(),
					ClosedAt: p.ClosedAt, Ballots: ballotsOf[p.ID], Options: []MinutesOptionResult{}, NamedVotes: []MinutesVote{}}
				if p.State == PollAnnulled {
					mp.Annulled, mp.Verdict = true, "annulliert"
					if p.AnnulReason != nil {
						mp.AnnulReason = *p.AnnulReason
					}
				} else {
					mp.NoResult, mp.Verdict = true, "nicht ausgewertet: zu wenige Stimmen für eine geheime Auswertung"
				}
				mi.Polls = append(mi.Polls, mp)
				continue
			}
			res := resultOf[p.ID]
			if res == nil {
				return nil, fmt.Errorf("committees: closed poll %s has no result", p.ID)
			}
			mp := MinutesPoll{PollID: p.ID, Title: p.Title, Kind: p.Kind, Method: p.Method, Seats: p.Seats, Rule: p.rule(), ClosedAt: p.ClosedAt,
				Ballots: res.Ballots, Yes: res.YesWeight, No: res.NoWeight, Abstain: res.AbstainWeight, Options: []MinutesOptionResult{},
				BaseWeight: res.BaseWeight, PresentWeight: res.PresentWeight, MembersWeight: res.MembersWeight, QuorumReached: res.QuorumReached,
				Passed: res.Passed, TieAtCut: res.TieAtCut, NamedVotes: []MinutesVote{}}
			var elected []string
			if p.Method == Choice {
				var ov []OptionVotes
				if err := json.Unmarshal([]byte(res.OptionVotes), &ov); err != nil {
					return nil, fmt.Errorf("committees: decode option votes: %w", err)
				}
				el, err := decodeIDs(res.Elected)
				if err != nil {
					return nil, err
				}
				for _, o := range optionsOf[p.ID] {
					r := MinutesOptionResult{Label: o.Label, Elected: slices.Contains(el, o.ID)}
					for _, v := range ov {
						if v.OptionID == o.ID {
							r.Votes = v.Votes
						}
					}
					mp.Options = append(mp.Options, r)
				}
				for _, id := range el {
					elected = append(elected, labels[id])
				}
			}
			mp.Verdict = verdict(p.Method, res.Passed, res.TieAtCut, elected)
			if p.Kind == Named {
				for _, v := range votes {
					if v.PollID != p.ID {
						continue
					}
					mv := MinutesVote{MinutesPerson: person(v.Voter), Choice: v.Choice, Options: []string{}, Weight: v.Weight}
					ids, err := decodeIDs(v.OptionIDs)
					if err != nil {
						return nil, err
					}
					for _, id := range ids {
						mv.Options = append(mv.Options, labels[id])
					}
					if v.CastBy != v.Voter {
						by := person(v.CastBy)
						mv.CastBy = &by
					}
					mp.NamedVotes = append(mp.NamedVotes, mv)
				}
				slices.SortStableFunc(mp.NamedVotes, func(x, y MinutesVote) int { return strings.Compare(x.Name, y.Name) })
			}
			mi.Polls = append(mi.Polls, mp)
		}
		c.Items = append(c.Items, mi)
	}
	return c, nil
}

// displayNames maps memberships of the transaction's tenant to their
// users' display names.
func displayNames(tx *db.Tx, ids []uuid.UUID) (map[uuid.UUID]string, error) {
	out := make(map[uuid.UUID]string, len(ids))
	for chunk := range slices.Chunk(ids, 500) {
		var rows []struct {
			ID   uuid.UUID `gorm:"column:id"`
			Name string    `gorm:"column:display_name"`
		}
		if err := tx.Raw(`SELECT m.id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.tenant_id = @tenant AND m.id IN ?`, chunk).Scan(&rows).Error; err != nil {
			return nil, fmt.Errorf("committees: read names: %w", err)
		}
		for _, r := range rows {
			out[r.ID] = r.Name
		}
	}
	return out, nil
}

// verdict says a poll's outcome in words.
func verdict(m Method, passed, tie bool, elected []string) string {
	if m != Choice {
		if passed {
			return "angenommen"
		}
		return "abgelehnt"
	}
	var v string
	switch {
	case passed:
		v = "gewählt: " + strings.Join(elected, ", ")
	case len(elected) > 0:
		v = "gewählt: " + strings.Join(elected, ", ") + "; nicht alle Sitze besetzt"
	default:
		v = "niemand gewählt"
	}
	if tie {
		v += " (Stimmengleichheit um den letzten Sitz, nicht entschieden)"
	}
	return v
}
