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
	b := newDraftBuilder(tx, m, sc, now)
	// The record first, in this order, then the names of all it mentions.
	for _, read := range []func() error{b.readSeats, b.readAgenda, b.readPolls, b.readNames} {
		if err := read(); err != nil {
			return nil, err
		}
	}
	b.buildAttendance()
	if err := b.buildItems(); err != nil {
		return nil, err
	}
	return b.c, nil
}

// draftBuilder makes the draft minutes of a meeting: it reads the record
// (the read methods) and builds the content from it (the build methods).
type draftBuilder struct {
	tx *db.Tx
	m  *meetingRow
	sc *scope
	// ref is when the meeting opened (or was to start): the seats whose
	// term runs then are the committee's.
	ref time.Time
	c   *MinutesContent
	// people are the memberships the draft names; names their names.
	people map[uuid.UUID]bool
	names  map[uuid.UUID]string

	// The record: the register's seats with their attendance, the agenda
	// and, for its accepted items, papers, conflicts, posts and polls.
	listed    []*memberRow
	attOf     map[uuid.UUID]*attendanceRow
	items     []AgendaItem
	papers    []draftPaper
	conflicts []draftConflict
	posts     []postRow
	polls     []pollRow
	options   []optionRow
	results   []resultRow
	receipts  []draftBallots
	votes     []draftVote

	// By poll (labels by option).
	labels    map[uuid.UUID]string
	optionsOf map[uuid.UUID][]optionRow
	resultOf  map[uuid.UUID]*resultRow
	ballotsOf map[uuid.UUID]int
}

// draftPaper is a paper of an agenda item with its frozen revision.
type draftPaper struct {
	ItemID   uuid.UUID `gorm:"column:agenda_item_id"`
	DocID    uuid.UUID `gorm:"column:document_id"`
	Title    string    `gorm:"column:title"`
	Revision *int      `gorm:"column:number"`
}

// draftConflict is a conflict declaration on an agenda item.
type draftConflict struct {
	ItemID       uuid.UUID `gorm:"column:agenda_item_id"`
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	Reason       string    `gorm:"column:reason"`
}

// draftBallots counts a poll's ballots.
type draftBallots struct {
	PollID uuid.UUID `gorm:"column:poll_id"`
	N      int       `gorm:"column:n"`
}

// draftVote is a named poll's vote.
type draftVote struct {
	PollID    uuid.UUID `gorm:"column:poll_id"`
	Voter     uuid.UUID `gorm:"column:voter_membership_id"`
	CastBy    uuid.UUID `gorm:"column:cast_by_membership_id"`
	Choice    string    `gorm:"column:choice"`
	OptionIDs string    `gorm:"column:option_ids"`
	Weight    int       `gorm:"column:weight"`
}

func newDraftBuilder(tx *db.Tx, m *meetingRow, sc *scope, now time.Time) *draftBuilder {
	ref := m.StartsAt
	if m.OpenedAt != nil {
		ref = *m.OpenedAt
	}
	c := &MinutesContent{GeneratedAt: now, Attendance: []MinutesAttendee{}, Items: []MinutesItem{},
		Header: MinutesHeader{CommitteeID: sc.c.ID, CommitteeName: sc.c.Name, MeetingTitle: m.Title, StartsAt: m.StartsAt, EndsAt: m.EndsAt,
			OpenedAt: m.OpenedAt, ClosedAt: m.ClosedAt, Place: m.Place, OnlineURL: m.OnlineURL,
			Chairs: []MinutesPerson{}, Secretaries: []MinutesPerson{}}}
	return &draftBuilder{tx: tx, m: m, sc: sc, ref: ref, c: c, people: map[uuid.UUID]bool{}}
}

// running says whether the seat's term runs at the meeting.
func (b *draftBuilder) running(se *memberRow) bool {
	return !se.TermStart.After(b.ref) && (se.TermEnd == nil || se.TermEnd.After(b.ref))
}

// readSeats reads the seats and the attendance: the register lists the
// seats whose term runs and those recorded as attending.
func (b *draftBuilder) readSeats() error {
	var seats []memberRow
	if err := b.tx.Table(membersTable).Where("committee_id = ?", b.m.CommitteeID).Order("created_at, id").Scan(&seats).Error; err != nil {
		return fmt.Errorf("committees: read members: %w", err)
	}
	var att []attendanceRow
	if err := b.tx.Table(attendanceTable).Where("meeting_id = ?", b.m.ID).Scan(&att).Error; err != nil {
		return fmt.Errorf("committees: read attendance: %w", err)
	}
	b.attOf = map[uuid.UUID]*attendanceRow{}
	for i := range att {
		b.attOf[att[i].MemberID] = &att[i]
	}
	for i := range seats {
		se := &seats[i]
		if b.running(se) || b.attOf[se.ID] != nil {
			b.listed = append(b.listed, se)
			b.people[se.MembershipID] = true
		}
	}
	return nil
}

// readAgenda reads the agenda and, for its accepted items, their papers,
// conflict declarations, posts and closed (or annulled) polls.
func (b *draftBuilder) readAgenda() error {
	items, err := agenda(b.tx, b.m.ID)
	if err != nil {
		return err
	}
	b.items = items
	itemIDs := []uuid.UUID{}
	for _, it := range items {
		if it.State == Accepted {
			itemIDs = append(itemIDs, it.ID)
		}
	}
	if len(itemIDs) > 0 {
		if err := b.tx.Raw(`SELECT p.agenda_item_id, p.document_id, d.title, r.number
			FROM meeting_papers p
			JOIN documents d ON d.tenant_id = p.tenant_id AND d.id = p.document_id
			LEFT JOIN document_revisions r ON r.tenant_id = p.tenant_id AND r.id = p.revision_id
			WHERE p.tenant_id = @tenant AND p.agenda_item_id IN ? ORDER BY p.added_at, p.id`, itemIDs).Scan(&b.papers).Error; err != nil {
			return fmt.Errorf("committees: read papers: %w", err)
		}
		if err := b.tx.Raw(`SELECT c.agenda_item_id, cm.membership_id, c.reason
			FROM conflict_declarations c
			JOIN committee_members cm ON cm.tenant_id = c.tenant_id AND cm.id = c.member_id
			WHERE c.tenant_id = @tenant AND c.agenda_item_id IN ? ORDER BY c.declared_at, c.id`, itemIDs).Scan(&b.conflicts).Error; err != nil {
			return fmt.Errorf("committees: read conflicts: %w", err)
		}
		if err := b.tx.Table(postsTable).Where("agenda_item_id IN ?", itemIDs).Order("created_at, id").Scan(&b.posts).Error; err != nil {
			return fmt.Errorf("committees: read posts: %w", err)
		}
		if err := b.tx.Table(pollsTable).Where("meeting_id = ? AND agenda_item_id IN ? AND state IN ?", b.m.ID, itemIDs,
			[]PollState{PollClosed, PollPublished, PollAnnulled}).Order("created_at, id").Scan(&b.polls).Error; err != nil {
			return fmt.Errorf("committees: read polls: %w", err)
		}
	}
	for _, x := range b.conflicts {
		b.people[x.MembershipID] = true
	}
	for _, p := range b.posts {
		b.people[p.AuthorID] = true
	}
	return nil
}

// readPolls reads the polls' options, results, ballot counts and votes.
func (b *draftBuilder) readPolls() error {
	pollIDs := make([]uuid.UUID, len(b.polls))
	for i, p := range b.polls {
		pollIDs[i] = p.ID
	}
	if len(pollIDs) > 0 {
		if err := b.tx.Table(optionsTable).Where("poll_id IN ?", pollIDs).Order("position").Scan(&b.options).Error; err != nil {
			return fmt.Errorf("committees: read options: %w", err)
		}
		if err := b.tx.Table(resultsTable).Where("poll_id IN ?", pollIDs).Scan(&b.results).Error; err != nil {
			return fmt.Errorf("committees: read results: %w", err)
		}
		if err := b.tx.Table(receiptsTable).Select("poll_id, count(*) AS n").Where("poll_id IN ?", pollIDs).Group("poll_id").
			Scan(&b.receipts).Error; err != nil {
			return fmt.Errorf("committees: count ballots: %w", err)
		}
		if err := b.tx.Table(votesTable).Select("poll_id, voter_membership_id, cast_by_membership_id, choice, option_ids, weight").
			Where("poll_id IN ?", pollIDs).Order("cast_at, id").Scan(&b.votes).Error; err != nil {
			return fmt.Errorf("committees: read votes: %w", err)
		}
	}
	for _, v := range b.votes {
		b.people[v.Voter], b.people[v.CastBy] = true, true
	}
	return nil
}

// readNames reads the names of everyone the draft names.
func (b *draftBuilder) readNames() error {
	ids := make([]uuid.UUID, 0, len(b.people))
	for id := range b.people {
		ids = append(ids, id)
	}
	var err error
	b.names, err = displayNames(b.tx, ids)
	return err
}

func (b *draftBuilder) person(id uuid.UUID) MinutesPerson {
	return MinutesPerson{MembershipID: id, Name: b.names[id]}
}

// buildAttendance builds the header's chairs and secretaries, the
// attendance register (by role, then name) and the quorum.
func (b *draftBuilder) buildAttendance() {
	c := b.c
	slices.SortStableFunc(b.listed, func(x, y *memberRow) int {
		if d := roleRank[x.Role] - roleRank[y.Role]; d != 0 {
			return d
		}
		return strings.Compare(b.names[x.MembershipID], b.names[y.MembershipID])
	})
	q := MinutesQuorum{Rule: b.sc.c.quorum()}
	for _, se := range b.listed {
		running := b.running(se)
		switch {
		case !running:
		case se.Role == RoleChair:
			c.Header.Chairs = append(c.Header.Chairs, b.person(se.MembershipID))
		case se.Role == RoleSecretary:
			c.Header.Secretaries = append(c.Header.Secretaries, b.person(se.MembershipID))
		}
		at := MinutesAttendee{MinutesPerson: b.person(se.MembershipID), Role: se.Role, Voting: se.Voting, Weight: se.Weight, Status: Absent}
		if r := b.attOf[se.ID]; r != nil {
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
}

// buildItems builds the accepted agenda items in order.
func (b *draftBuilder) buildItems() error {
	b.labels = map[uuid.UUID]string{}
	b.optionsOf = map[uuid.UUID][]optionRow{}
	for _, o := range b.options {
		b.labels[o.ID] = o.Label
		b.optionsOf[o.PollID] = append(b.optionsOf[o.PollID], o)
	}
	b.resultOf = map[uuid.UUID]*resultRow{}
	for i := range b.results {
		b.resultOf[b.results[i].PollID] = &b.results[i]
	}
	b.ballotsOf = map[uuid.UUID]int{}
	for _, r := range b.receipts {
		b.ballotsOf[r.PollID] = r.N
	}
	for i := range b.items {
		if b.items[i].State != Accepted {
			continue
		}
		mi, err := b.item(&b.items[i])
		if err != nil {
			return err
		}
		b.c.Items = append(b.c.Items, mi)
	}
	return nil
}

// item builds an agenda item: its papers, conflicts, the discussion
// summary made from its posts, and its polls.
func (b *draftBuilder) item(it *AgendaItem) (MinutesItem, error) {
	mi := MinutesItem{AgendaItemID: it.ID, Number: it.Number, Title: it.Title, Description: it.Description, Public: it.Public,
		Papers: []MinutesPaper{}, Conflicts: []MinutesConflict{}, Polls: []MinutesPoll{}}
	for _, p := range b.papers {
		if p.ItemID == it.ID {
			mp := MinutesPaper{DocumentID: p.DocID, Title: p.Title}
			if p.Revision != nil {
				mp.RevisionNumber = *p.Revision
			}
			mi.Papers = append(mi.Papers, mp)
		}
	}
	for _, x := range b.conflicts {
		if x.ItemID == it.ID {
			mi.Conflicts = append(mi.Conflicts, MinutesConflict{MinutesPerson: b.person(x.MembershipID), Reason: x.Reason})
		}
	}
	var lines []string
	for _, p := range b.posts {
		if p.AgendaItemID == it.ID {
			lines = append(lines, b.names[p.AuthorID]+": "+p.Body)
		}
	}
	mi.Summary = cut(strings.Join(lines, "\n\n"), MaxMinutesTextLen)
	for i := range b.polls {
		p := &b.polls[i]
		if p.AgendaItemID == nil || *p.AgendaItemID != it.ID {
			continue
		}
		mp, err := b.poll(p)
		if err != nil {
			return MinutesItem{}, err
		}
		mi.Polls = append(mi.Polls, mp)
	}
	return mi, nil
}

// poll builds a poll with its result, verdict and, for a named poll, who
// voted how.
func (b *draftBuilder) poll(p *pollRow) (MinutesPoll, error) {
	// An annulled poll, and a secret poll too small to count, show no
	// tally: only that they decided nothing, and why.
	if p.State == PollAnnulled || tooFewBallots(p, b.ballotsOf[p.ID]) {
		return b.pollWithoutTally(p), nil
	}
	res := b.resultOf[p.ID]
	if res == nil {
		return MinutesPoll{}, fmt.Errorf("committees: closed poll %s has no result", p.ID)
	}
	mp := MinutesPoll{PollID: p.ID, Title: p.Title, Kind: p.Kind, Method: p.Method, Seats: p.Seats, Rule: p.rule(), ClosedAt: p.ClosedAt,
		Ballots: res.Ballots, Yes: res.YesWeight, No: res.NoWeight, Abstain: res.AbstainWeight, Options: []MinutesOptionResult{},
		BaseWeight: res.BaseWeight, PresentWeight: res.PresentWeight, MembersWeight: res.MembersWeight, QuorumReached: res.QuorumReached,
		Passed: res.Passed, TieAtCut: res.TieAtCut, NamedVotes: []MinutesVote{}}
	var elected []string
	if p.Method == Choice {
		var err error
		if mp.Options, elected, err = b.choiceResult(p, res); err != nil {
			return MinutesPoll{}, err
		}
	}
	mp.Verdict = verdict(p.Method, res.Passed, res.TieAtCut, elected)
	if p.Kind == Named {
		var err error
		if mp.NamedVotes, err = b.namedVotes(p); err != nil {
			return MinutesPoll{}, err
		}
	}
	return mp, nil
}

// pollWithoutTally builds an annulled poll, or a secret one with too few
// ballots to count.
func (b *draftBuilder) pollWithoutTally(p *pollRow) MinutesPoll {
	mp := MinutesPoll{PollID: p.ID, Title: p.Title, Kind: p.Kind, Method: p.Method, Seats: p.Seats, Rule: p.rule(),
		ClosedAt: p.ClosedAt, Ballots: b.ballotsOf[p.ID], Options: []MinutesOptionResult{}, NamedVotes: []MinutesVote{}}
	if p.State == PollAnnulled {
		mp.Annulled, mp.Verdict = true, "annulliert"
		if p.AnnulReason != nil {
			mp.AnnulReason = *p.AnnulReason
		}
	} else {
		mp.NoResult, mp.Verdict = true, "nicht ausgewertet: zu wenige Stimmen für eine geheime Auswertung"
	}
	return mp
}

// choiceResult is an election's votes by option and the labels of the
// elected options.
func (b *draftBuilder) choiceResult(p *pollRow, res *resultRow) ([]MinutesOptionResult, []string, error) {
	var ov []OptionVotes
	if err := json.Unmarshal([]byte(res.OptionVotes), &ov); err != nil {
		return nil, nil, fmt.Errorf("committees: decode option votes: %w", err)
	}
	el, err := decodeIDs(res.Elected)
	if err != nil {
		return nil, nil, err
	}
	options := []MinutesOptionResult{}
	for _, o := range b.optionsOf[p.ID] {
		r := MinutesOptionResult{Label: o.Label, Elected: slices.Contains(el, o.ID)}
		for _, v := range ov {
			if v.OptionID == o.ID {
				r.Votes = v.Votes
			}
		}
		options = append(options, r)
	}
	var elected []string
	for _, id := range el {
		elected = append(elected, b.labels[id])
	}
	return options, elected, nil
}

// namedVotes is who voted how in a named poll, by name.
func (b *draftBuilder) namedVotes(p *pollRow) ([]MinutesVote, error) {
	out := []MinutesVote{}
	for _, v := range b.votes {
		if v.PollID != p.ID {
			continue
		}
		mv := MinutesVote{MinutesPerson: b.person(v.Voter), Choice: v.Choice, Options: []string{}, Weight: v.Weight}
		ids, err := decodeIDs(v.OptionIDs)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			mv.Options = append(mv.Options, b.labels[id])
		}
		if v.CastBy != v.Voter {
			by := b.person(v.CastBy)
			mv.CastBy = &by
		}
		out = append(out, mv)
	}
	slices.SortStableFunc(out, func(x, y MinutesVote) int { return strings.Compare(x.Name, y.Name) })
	return out, nil
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
