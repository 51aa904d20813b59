package oparl

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/committees"
	"github.com/kollab/kollab/db"
)

// What is published, and nothing else (every query below starts from it):
//
//   - committees with public = true (Organization);
//   - their seats (Membership) and the people holding one (Person: the
//     display name only);
//   - their meetings (Meeting) and the places of those (Location);
//   - of those meetings' agenda items only the public, accepted ones
//     (AgendaItem): proposed, declined and non-public items never appear;
//   - of those items' session papers only the frozen ones (Consultation),
//     their documents (Paper) and the frozen revisions (File).
//
// Tombstones: a trashed document makes its Paper, its Files and its
// Consultations tombstones (deleted: true, modified = time of trashing);
// restoring it brings them back. Nothing else is deleted in a way OParl
// could show: an ended seat is a Membership with an endDate, a declined
// item was never public, and a purged document, an unpublished committee
// or a tenant that stops publishing leaves no trace (404).
//
// created and modified: every object's modified also moves when its
// committee changes (so that a committee made public shows up in a
// modified_since sync), and a parent's when what it embeds changes
// (Meeting ← its agenda items, AgendaItem ← its papers and poll results).

// reader reads one body's published objects in one tenant transaction.
type reader struct {
	tx  *db.Tx
	tid uuid.UUID
	pg  bool
	u   urls
}

// greatest is the largest of its (non-NULL) arguments.
func (r *reader) greatest(xs ...string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	if r.pg {
		return "GREATEST(" + strings.Join(xs, ", ") + ")"
	}
	return "MAX(" + strings.Join(xs, ", ") + ")"
}

// The joins from a session paper to its committee and document, and the
// condition that makes it public.
const (
	paperJoins = ` meeting_papers mp
		JOIN agenda_items i ON i.tenant_id = mp.tenant_id AND i.id = mp.agenda_item_id
		JOIN meetings m ON m.tenant_id = i.tenant_id AND m.id = i.meeting_id
		JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		JOIN documents d ON d.tenant_id = mp.tenant_id AND d.id = mp.document_id`
	paperPublic = ` mp.tenant_id = ? AND c.public AND i.public AND i.state = 'accepted' AND mp.revision_id IS NOT NULL`
	itemPublic  = ` i.public AND i.state = 'accepted'`
)

// kind is an object type read from SQL: its list path, its OParl type,
// its source (a SELECT with at least id, created and modified, and, when
// it can be a tombstone, deleted_at) and its loader.
type kind struct {
	path, typ string
	source    func(r *reader) string
	load      func(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error)
}

// kinds are the SQL-backed types by list path.
var kinds = map[string]*kind{}

func init() {
	for _, k := range []*kind{
		{"organizations", "Organization", organizationSource, loadOrganizations},
		{"persons", "Person", personSource, loadPersons},
		{"memberships", "Membership", membershipSource, loadMemberships},
		{"meetings", "Meeting", meetingSource, loadMeetings},
		{"agenda-items", "AgendaItem", itemSource, loadItems},
		{"papers", "Paper", paperSource, loadPapers},
		{"files", "File", fileSource, loadFiles},
		{"consultations", "Consultation", consultationSource, loadConsultations},
		{"locations", "Location", locationSource, loadLocations},
	} {
		kinds[k.path] = k
	}
}

// page reads one page of a kind's list: the total and the objects in id
// order. scope, when set, narrows the source ("x.committee_id = ?").
func (r *reader) page(k *kind, p listParams, scope string, scopeArgs ...any) (int, []any, error) {
	filters, fargs := p.sqlFilters()
	if scope != "" {
		filters = " AND " + scope + filters
		fargs = append(slices.Clone(scopeArgs), fargs...)
	}
	src := k.source(r)
	args := append([]any{r.tid}, fargs...)
	var total int64
	if err := r.tx.Global().Raw("SELECT COUNT(*) FROM ("+src+") x WHERE 1 = 1"+filters, args...).Scan(&total).Error; err != nil {
		return 0, nil, fmt.Errorf("oparl: count %s: %w", k.path, err)
	}
	var ids []uuid.UUID
	if err := r.tx.Global().Raw("SELECT x.id FROM ("+src+") x WHERE 1 = 1"+filters+" ORDER BY x.id LIMIT ? OFFSET ?",
		append(args, p.limit, p.offset())...).Scan(&ids).Error; err != nil {
		return 0, nil, fmt.Errorf("oparl: list %s: %w", k.path, err)
	}
	objs, err := r.objects(k, ids)
	return int(total), objs, err
}

// objects loads the given ids of a kind in that order.
func (r *reader) objects(k *kind, ids []uuid.UUID) ([]any, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	byID, err := k.load(r, ids)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		if o, ok := byID[id]; ok {
			out = append(out, o)
		}
	}
	return out, nil
}

// one loads a single object; nil when it is not published.
func (r *reader) one(k *kind, id uuid.UUID) (any, error) {
	objs, err := r.objects(k, []uuid.UUID{id})
	if err != nil || len(objs) == 0 {
		return nil, err
	}
	return objs[0], nil
}

// rows reads the given ids from a kind's source into dst.
func (r *reader) rows(k *kind, ids []uuid.UUID, dst any) error {
	if err := r.tx.Global().Raw("SELECT x.* FROM ("+k.source(r)+") x WHERE x.id IN ?", r.tid, ids).Scan(dst).Error; err != nil {
		return fmt.Errorf("oparl: read %s: %w", k.path, err)
	}
	return nil
}

// where runs a query of the source with extra conditions (ordered by id).
func (r *reader) where(k *kind, cond string, dst any, args ...any) error {
	if err := r.tx.Global().Raw("SELECT x.* FROM ("+k.source(r)+") x WHERE "+cond+" ORDER BY x.id",
		append([]any{r.tid}, args...)...).Scan(dst).Error; err != nil {
		return fmt.Errorf("oparl: read %s: %w", k.path, err)
	}
	return nil
}

func (r *reader) tombstone(typ string, id uuid.UUID, path string, created, modified dbTime) Tombstone {
	return Tombstone{ID: r.u.obj(path, id), Type: Schema + typ, Created: stamp(created.T), Modified: stamp(modified.T), Deleted: true}
}

// --- Organization ---------------------------------------------------------

func organizationSource(r *reader) string {
	return `SELECT c.id, c.name, c.created_at AS created, c.updated_at AS modified
		FROM committees c WHERE c.tenant_id = ? AND c.public`
}

type organizationRow struct {
	ID       uuid.UUID `gorm:"column:id"`
	Name     string    `gorm:"column:name"`
	Created  dbTime    `gorm:"column:created"`
	Modified dbTime    `gorm:"column:modified"`
}

func loadOrganizations(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []organizationRow
	if err := r.rows(kinds["organizations"], ids, &rows); err != nil {
		return nil, err
	}
	var seats []struct {
		ID          uuid.UUID `gorm:"column:id"`
		CommitteeID uuid.UUID `gorm:"column:committee_id"`
	}
	if err := r.tx.Table("committee_members").Select("id, committee_id").Where("committee_id IN ?", ids).
		Order("id").Scan(&seats).Error; err != nil {
		return nil, fmt.Errorf("oparl: read seats: %w", err)
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		o := Organization{ID: r.u.obj("organizations", row.ID), Type: Schema + "Organization", Body: r.u.body, Name: row.Name,
			Membership: []string{}, Meeting: r.u.obj("organizations", row.ID) + "/meetings", OrganizationType: "Gremium",
			Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
		for _, s := range seats {
			if s.CommitteeID == row.ID {
				o.Membership = append(o.Membership, r.u.obj("memberships", s.ID))
			}
		}
		out[row.ID] = o
	}
	return out, nil
}

// --- Membership and Person ------------------------------------------------

func membershipSource(r *reader) string {
	return `SELECT cm.id, cm.membership_id, cm.committee_id, cm.role, cm.voting, cm.term_start, cm.term_end,
			cm.created_at AS created, ` + r.greatest("cm.updated_at", "c.updated_at") + ` AS modified
		FROM committee_members cm JOIN committees c ON c.tenant_id = cm.tenant_id AND c.id = cm.committee_id
		WHERE cm.tenant_id = ? AND c.public`
}

type membershipRow struct {
	ID           uuid.UUID `gorm:"column:id"`
	MembershipID uuid.UUID `gorm:"column:membership_id"`
	CommitteeID  uuid.UUID `gorm:"column:committee_id"`
	Role         string    `gorm:"column:role"`
	Voting       bool      `gorm:"column:voting"`
	TermStart    dbTime    `gorm:"column:term_start"`
	TermEnd      dbTime    `gorm:"column:term_end"`
	Created      dbTime    `gorm:"column:created"`
	Modified     dbTime    `gorm:"column:modified"`
}

// roleNames are the committee roles as OParl shows them.
var roleNames = map[string]string{"chair": "Vorsitz", "deputy_chair": "Stellvertretender Vorsitz", "secretary": "Schriftführung",
	"member": "Mitglied", "deputy_member": "Stellvertretendes Mitglied", "advisory": "Beratendes Mitglied"}

func (r *reader) membership(row membershipRow, embedded bool) Membership {
	m := Membership{ID: r.u.obj("memberships", row.ID), Type: Schema + "Membership", Organization: r.u.obj("organizations", row.CommitteeID),
		Role: roleNames[row.Role], VotingRight: row.Voting, StartDate: dateOf(row.TermStart.T),
		Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
	if m.Role == "" {
		m.Role = row.Role
	}
	if !embedded {
		m.Person = r.u.obj("persons", row.MembershipID)
	}
	if row.TermEnd.Valid {
		// The term ends before term_end: its last day is the day of the last moment before it.
		m.EndDate = dateOf(row.TermEnd.T.Add(-time.Microsecond))
	}
	return m
}

func loadMemberships(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []membershipRow
	if err := r.rows(kinds["memberships"], ids, &rows); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		out[row.ID] = r.membership(row, false)
	}
	return out, nil
}

func personSource(r *reader) string {
	return `SELECT ms.id, u.display_name AS name, MIN(cm.created_at) AS created,
			MAX(` + r.greatest("cm.updated_at", "c.updated_at") + `) AS modified
		FROM committee_members cm
		JOIN committees c ON c.tenant_id = cm.tenant_id AND c.id = cm.committee_id
		JOIN memberships ms ON ms.tenant_id = cm.tenant_id AND ms.id = cm.membership_id
		JOIN users u ON u.id = ms.user_id
		WHERE cm.tenant_id = ? AND c.public
		GROUP BY ms.id, u.display_name`
}

type personRow struct {
	ID       uuid.UUID `gorm:"column:id"`
	Name     string    `gorm:"column:name"`
	Created  dbTime    `gorm:"column:created"`
	Modified dbTime    `gorm:"column:modified"`
}

func loadPersons(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []personRow
	if err := r.rows(kinds["persons"], ids, &rows); err != nil {
		return nil, err
	}
	var seats []membershipRow
	if err := r.where(kinds["memberships"], "x.membership_id IN ?", &seats, ids); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		p := Person{ID: r.u.obj("persons", row.ID), Type: Schema + "Person", Body: r.u.body, Name: row.Name, Membership: []Membership{},
			Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
		for _, s := range seats {
			if s.MembershipID == row.ID {
				p.Membership = append(p.Membership, r.membership(s, true))
			}
		}
		out[row.ID] = p
	}
	return out, nil
}

// --- Meeting, Location and AgendaItem -------------------------------------

// itemModified is the modified of the public agenda item i: its own
// change, its committee's, its frozen papers (frozen, trashed) and its
// published polls (and their annulment, which takes a result back).
func (r *reader) itemModified(i, c string) string {
	return r.greatest(i+".updated_at", c+".updated_at",
		`COALESCE((SELECT MAX(`+r.greatest("pm.frozen_at", "COALESCE(pd.deleted_at, pm.frozen_at)")+`)
			FROM meeting_papers pm JOIN documents pd ON pd.tenant_id = pm.tenant_id AND pd.id = pm.document_id
			WHERE pm.tenant_id = `+i+`.tenant_id AND pm.agenda_item_id = `+i+`.id AND pm.revision_id IS NOT NULL), `+i+`.updated_at)`,
		`COALESCE((SELECT MAX(COALESCE(pp.annulled_at, pp.published_at)) FROM polls pp
			WHERE pp.tenant_id = `+i+`.tenant_id AND pp.agenda_item_id = `+i+`.id AND pp.published_at IS NOT NULL
			  AND pp.state IN ('published', 'annulled')), `+i+`.updated_at)`)
}

func meetingSource(r *reader) string {
	return `SELECT m.id, m.committee_id, m.title, m.starts_at, m.ends_at, m.place, m.state, m.created_at AS created,
			` + r.greatest("m.updated_at", "c.updated_at") + ` AS place_modified,
			` + r.greatest("m.updated_at", "c.updated_at", `COALESCE((SELECT MAX(`+r.itemModified("i", "c")+`) FROM agenda_items i
				WHERE i.tenant_id = m.tenant_id AND i.meeting_id = m.id AND`+itemPublic+`), m.updated_at)`) + ` AS modified
		FROM meetings m JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		WHERE m.tenant_id = ? AND c.public`
}

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
	if err := r.tx.Global().Raw(`SELECT a.meeting_id, cm.membership_id FROM meeting_attendance a
		JOIN committee_members cm ON cm.tenant_id = a.tenant_id AND cm.id = a.member_id
		JOIN meetings m ON m.tenant_id = a.tenant_id AND m.id = a.meeting_id
		WHERE a.tenant_id = ? AND a.meeting_id IN ? AND a.status = 'present' AND m.state IN ('closed', 'minutes_approved')
		ORDER BY cm.membership_id`, r.tid, ids).Scan(&present).Error; err != nil {
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

func locationSource(r *reader) string {
	return `SELECT m.id, m.place, m.created_at AS created, ` + r.greatest("m.updated_at", "c.updated_at") + ` AS modified
		FROM meetings m JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		WHERE m.tenant_id = ? AND c.public AND m.place <> ''`
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

func itemSource(r *reader) string {
	return `SELECT i.id, i.meeting_id, m.committee_id, i.title, i.position,
			(SELECT COUNT(*) FROM agenda_items j WHERE j.tenant_id = i.tenant_id AND j.meeting_id = i.meeting_id
				AND j.state = 'accepted' AND j.position <= i.position) AS number,
			i.created_at AS created, ` + r.itemModified("i", "c") + ` AS modified
		FROM agenda_items i
		JOIN meetings m ON m.tenant_id = i.tenant_id AND m.id = i.meeting_id
		JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		WHERE i.tenant_id = ? AND c.public AND` + itemPublic
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
	if err := r.tx.Global().Raw(`SELECT mp.id, mp.agenda_item_id FROM meeting_papers mp
		JOIN documents d ON d.tenant_id = mp.tenant_id AND d.id = mp.document_id
		WHERE mp.tenant_id = ? AND mp.agenda_item_id IN ? AND mp.revision_id IS NOT NULL AND d.deleted_at IS NULL
		ORDER BY mp.added_at, mp.id`, r.tid, ids).Scan(&papers).Error; err != nil {
		return nil, fmt.Errorf("oparl: read consultations: %w", err)
	}
	var polls []struct {
		AgendaItemID uuid.UUID `gorm:"column:agenda_item_id"`
		Method       string    `gorm:"column:method"`
		Passed       bool      `gorm:"column:passed"`
	}
	// A secret poll with fewer than committees.MinSecretBallots ballots is
	// never published, and is left out here too should one be.
	if err := r.tx.Global().Raw(`SELECT p.agenda_item_id, p.method, pr.passed FROM polls p
		JOIN poll_results pr ON pr.tenant_id = p.tenant_id AND pr.poll_id = p.id
		WHERE p.tenant_id = ? AND p.agenda_item_id IN ? AND p.state = 'published'
		  AND (p.kind <> 'secret' OR pr.ballots >= ?)
		ORDER BY p.published_at, p.id`, r.tid, ids, committees.MinSecretBallots).Scan(&polls).Error; err != nil {
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

// --- Consultation, Paper and File -----------------------------------------

func consultationSource(r *reader) string {
	return `SELECT mp.id, mp.document_id, mp.revision_id, mp.agenda_item_id, i.meeting_id, m.committee_id, d.deleted_at,
			mp.added_at AS created, ` + r.greatest("mp.frozen_at", "c.updated_at", "COALESCE(d.deleted_at, mp.frozen_at)") + ` AS modified
		FROM` + paperJoins + ` WHERE` + paperPublic
}

type consultationRow struct {
	ID           uuid.UUID `gorm:"column:id"`
	DocumentID   uuid.UUID `gorm:"column:document_id"`
	RevisionID   uuid.UUID `gorm:"column:revision_id"`
	AgendaItemID uuid.UUID `gorm:"column:agenda_item_id"`
	MeetingID    uuid.UUID `gorm:"column:meeting_id"`
	CommitteeID  uuid.UUID `gorm:"column:committee_id"`
	DeletedAt    dbTime    `gorm:"column:deleted_at"`
	Created      dbTime    `gorm:"column:created"`
	Modified     dbTime    `gorm:"column:modified"`
}

func (r *reader) consultation(row consultationRow, embedded bool) Consultation {
	c := Consultation{ID: r.u.obj("consultations", row.ID), Type: Schema + "Consultation", AgendaItem: r.u.obj("agenda-items", row.AgendaItemID),
		Meeting: r.u.obj("meetings", row.MeetingID), Organization: []string{r.u.obj("organizations", row.CommitteeID)},
		Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
	if !embedded {
		c.Paper = r.u.obj("papers", row.DocumentID)
	}
	return c
}

func loadConsultations(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []consultationRow
	if err := r.rows(kinds["consultations"], ids, &rows); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		if row.DeletedAt.Valid {
			out[row.ID] = r.tombstone("Consultation", row.ID, "consultations", row.Created, row.Modified)
			continue
		}
		out[row.ID] = r.consultation(row, false)
	}
	return out, nil
}

func paperSource(r *reader) string {
	return `SELECT d.id, d.title, d.file_plan_ref, d.deleted_at, d.created_at AS created, MIN(mp.frozen_at) AS first_frozen,
			` + r.greatest("d.updated_at", "COALESCE(d.deleted_at, d.updated_at)", "MAX(mp.frozen_at)", "MAX(c.updated_at)") + ` AS modified
		FROM` + paperJoins + ` WHERE` + paperPublic + `
		GROUP BY d.id, d.title, d.file_plan_ref, d.deleted_at, d.created_at, d.updated_at`
}

type paperRow struct {
	ID          uuid.UUID `gorm:"column:id"`
	Title       string    `gorm:"column:title"`
	FilePlanRef string    `gorm:"column:file_plan_ref"`
	DeletedAt   dbTime    `gorm:"column:deleted_at"`
	FirstFrozen dbTime    `gorm:"column:first_frozen"`
	Created     dbTime    `gorm:"column:created"`
	Modified    dbTime    `gorm:"column:modified"`
}

func loadPapers(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []paperRow
	if err := r.rows(kinds["papers"], ids, &rows); err != nil {
		return nil, err
	}
	var cons []consultationRow
	if err := r.where(kinds["consultations"], "x.document_id IN ?", &cons, ids); err != nil {
		return nil, err
	}
	slices.SortFunc(cons, func(a, b consultationRow) int { return a.Created.T.Compare(b.Created.T) })
	var files []fileRow
	if err := r.where(kinds["files"], "x.document_id IN ?", &files, ids); err != nil {
		return nil, err
	}
	// Newest revision first: it is the paper's main file.
	slices.SortFunc(files, func(a, b fileRow) int { return b.Number - a.Number })
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		if row.DeletedAt.Valid {
			out[row.ID] = r.tombstone("Paper", row.ID, "papers", row.Created, row.Modified)
			continue
		}
		p := Paper{ID: r.u.obj("papers", row.ID), Type: Schema + "Paper", Body: r.u.body, Name: row.Title, Reference: row.FilePlanRef,
			Date: dateOf(row.FirstFrozen.T), PaperType: "Sitzungsunterlage", Consultation: []Consultation{},
			Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
		for _, c := range cons {
			if c.DocumentID == row.ID {
				p.Consultation = append(p.Consultation, r.consultation(c, true))
			}
		}
		for _, f := range files {
			if f.DocumentID != row.ID {
				continue
			}
			ff := r.file(f, nil)
			if p.MainFile == nil {
				p.MainFile = &ff
			} else {
				p.AuxiliaryFile = append(p.AuxiliaryFile, ff)
			}
		}
		out[row.ID] = p
	}
	return out, nil
}

func fileSource(r *reader) string {
	return `SELECT v.id, v.document_id, v.number, v.file_name, v.content_type, v.size_bytes, d.deleted_at, v.created_at AS created,
			` + r.greatest("v.created_at", "COALESCE(d.deleted_at, v.created_at)", "MAX(mp.frozen_at)", "MAX(c.updated_at)") + ` AS modified
		FROM` + paperJoins + `
		JOIN document_revisions v ON v.tenant_id = mp.tenant_id AND v.id = mp.revision_id
		WHERE` + paperPublic + `
		GROUP BY v.id, v.document_id, v.number, v.file_name, v.content_type, v.size_bytes, d.deleted_at, v.created_at`
}

type fileRow struct {
	ID          uuid.UUID `gorm:"column:id"`
	DocumentID  uuid.UUID `gorm:"column:document_id"`
	Number      int       `gorm:"column:number"`
	FileName    string    `gorm:"column:file_name"`
	ContentType string    `gorm:"column:content_type"`
	SizeBytes   int64     `gorm:"column:size_bytes"`
	DeletedAt   dbTime    `gorm:"column:deleted_at"`
	Created     dbTime    `gorm:"column:created"`
	Modified    dbTime    `gorm:"column:modified"`
}

// file renders a revision; cons, when given, are the public consultations
// that froze it (for the back-references of a file read on its own).
func (r *reader) file(row fileRow, cons []consultationRow) File {
	f := File{ID: r.u.obj("files", row.ID), Type: Schema + "File", Name: row.FileName, FileName: row.FileName, MimeType: row.ContentType,
		Date: dateOf(row.Created.T), Size: row.SizeBytes, AccessURL: r.u.obj("files", row.ID) + "/download",
		DownloadURL: r.u.obj("files", row.ID) + "/download?disposition=attachment", Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
	add := func(list []string, s string) []string {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
		return list
	}
	for _, c := range cons {
		if c.RevisionID == row.ID {
			f.Paper = add(f.Paper, r.u.obj("papers", c.DocumentID))
			f.AgendaItem = add(f.AgendaItem, r.u.obj("agenda-items", c.AgendaItemID))
			f.Meeting = add(f.Meeting, r.u.obj("meetings", c.MeetingID))
		}
	}
	return f
}

func loadFiles(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []fileRow
	if err := r.rows(kinds["files"], ids, &rows); err != nil {
		return nil, err
	}
	var cons []consultationRow
	if err := r.where(kinds["consultations"], "x.revision_id IN ?", &cons, ids); err != nil {
		return nil, err
	}
	slices.SortFunc(cons, func(a, b consultationRow) int { return a.Created.T.Compare(b.Created.T) })
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		if row.DeletedAt.Valid {
			out[row.ID] = r.tombstone("File", row.ID, "files", row.Created, row.Modified)
			continue
		}
		out[row.ID] = r.file(row, cons)
	}
	return out, nil
}
