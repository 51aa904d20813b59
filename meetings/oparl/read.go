package oparl

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/meetings"
	"github.com/kollab/kollab/meetings/publication"
)

// What is published is decided in package publication (its sources), and
// so is the record of what left the publication (tombstones).
//
// Tombstones (deleted: true, modified = time of deletion, id, type and
// created kept): a trashed document makes its Paper, its Files and its
// Consultations tombstones, and restoring it brings them back; an object
// that left the publication otherwise (committee or agenda item made
// non-public, seat deleted, paper detached, document purged, place
// removed, legislative term deleted, body withdrawn) is a tombstone of the
// record. A tombstone answers at its URL and appears in a list only when
// the list is asked for modified_since (OParl 1.1, "Filter"); embedded
// objects are never tombstones.

// reader reads one body's published objects in one tenant transaction.
type reader struct {
	tx *db.Tx
	pg bool
	u  urls
}

// kind is an object type read from SQL with its loader.
type kind struct {
	*publication.Kind
	load func(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error)
}

// source is the kind's SELECT of published objects (filtered by @tenant).
func (k *kind) source(r *reader) string { return k.Source(r.pg) }

// kinds are the SQL-backed types by list path.
var kinds = map[string]*kind{}

func init() {
	loaders := map[string]func(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error){
		publication.TypeOrganization: loadOrganizations, publication.TypePerson: loadPersons, publication.TypeMembership: loadMemberships,
		publication.TypeMeeting: loadMeetings, publication.TypeAgendaItem: loadItems, publication.TypePaper: loadPapers,
		publication.TypeFile: loadFiles, publication.TypeConsultation: loadConsultations, publication.TypeLocation: loadLocations,
	}
	for _, k := range publication.Kinds {
		if loaders[k.Type] == nil {
			panic("oparl: no loader for " + k.Type)
		}
		kinds[k.Path] = &kind{Kind: k, load: loaders[k.Type]}
		kindTypes[k.Path] = k.Type
	}
}

// page reads one page of a kind's list: the total and the objects in id
// order. scopeCol, when set, narrows the list to the objects whose column
// scopeCol (their ListParent) is scopeVal. The list holds the published
// objects; with modified_since, the tombstones too.
func (r *reader) page(k *kind, p listParams, scopeCol string, scopeVal uuid.UUID) (int, []any, error) {
	filters, fargs := p.sqlFilters()
	src := k.source(r)
	all := "SELECT s0.id, s0.created, s0.modified FROM (" + src + ") s0 WHERE "
	var args []any
	if p.modifiedSince == nil {
		all += "s0.deleted_at IS NULL"
	} else {
		all += "1 = 1"
	}
	if scopeCol != "" {
		all += " AND s0." + scopeCol + " = ?"
		args = append(args, scopeVal)
	}
	if p.modifiedSince != nil {
		all += " UNION ALL SELECT t.object_id, t.created_at, t.deleted_at FROM " + publication.TombstonesTable + ` t
			WHERE t.tenant_id = @tenant AND t.kind = ?`
		args = append(args, k.Type)
		if scopeCol != "" {
			all += " AND t.parent_id = ?"
			args = append(args, scopeVal)
		}
		all += " AND t.object_id NOT IN (SELECT s1.id FROM (" + src + ") s1)"
	}
	args = append(args, fargs...)
	var total int64
	if err := r.tx.Raw("SELECT COUNT(*) FROM ("+all+") x WHERE 1 = 1"+filters, args...).Scan(&total).Error; err != nil {
		return 0, nil, fmt.Errorf("oparl: count %s: %w", k.Path, err)
	}
	var ids []uuid.UUID
	if err := r.tx.Raw("SELECT x.id FROM ("+all+") x WHERE 1 = 1"+filters+" ORDER BY x.id LIMIT ? OFFSET ?",
		append(args, p.limit, p.offset())...).Scan(&ids).Error; err != nil {
		return 0, nil, fmt.Errorf("oparl: list %s: %w", k.Path, err)
	}
	objs, err := r.objects(k, ids)
	return int(total), objs, err
}

// objects loads the given ids of a kind in that order: published objects,
// else their tombstones; ids with neither are left out.
func (r *reader) objects(k *kind, ids []uuid.UUID) ([]any, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	byID, err := k.load(r, ids)
	if err != nil {
		return nil, err
	}
	var gone []uuid.UUID
	for _, id := range ids {
		if _, ok := byID[id]; !ok {
			gone = append(gone, id)
		}
	}
	if len(gone) > 0 {
		ts, err := r.tombstones(k.Type, gone)
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			byID[t.id] = r.tombstoneOf(k.Path, t)
		}
	}
	out := make([]any, 0, len(ids))
	for _, id := range ids {
		if o, ok := byID[id]; ok {
			out = append(out, o)
		}
	}
	return out, nil
}

// recorded is a row of the record's tombstones.
type recorded struct {
	id       uuid.UUID
	term     string
	created  dbTime
	modified dbTime
}

// tombstones reads the recorded tombstones of the given ids of a type.
func (r *reader) tombstones(typ string, ids []uuid.UUID) ([]recorded, error) {
	return r.recorded(typ, "object_id IN ?", ids)
}

// recorded reads the recorded tombstones of a type that meet a condition,
// in id order, at most maxTombstones.
func (r *reader) recorded(typ, cond string, args ...any) ([]recorded, error) {
	var rows []struct {
		ObjectID  uuid.UUID `gorm:"column:object_id"`
		Term      *string   `gorm:"column:term"`
		CreatedAt dbTime    `gorm:"column:created_at"`
		DeletedAt dbTime    `gorm:"column:deleted_at"`
	}
	if err := r.tx.Table(publication.TombstonesTable).Select("object_id, term, created_at, deleted_at").
		Where("kind = ?", typ).Where(cond, args...).Order("object_id").Limit(maxTombstones).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("oparl: read tombstones: %w", err)
	}
	out := make([]recorded, len(rows))
	for i, row := range rows {
		out[i] = recorded{id: row.ObjectID, created: row.CreatedAt, modified: row.DeletedAt}
		if row.Term != nil {
			out[i].term = *row.Term
		}
	}
	return out, nil
}

// tombstoneOf renders a recorded tombstone of an object in the list at path.
func (r *reader) tombstoneOf(path string, t recorded) Tombstone {
	id := t.id.String()
	if t.term != "" {
		id = t.term
	}
	return Tombstone{ID: r.u.obj(path, id), Type: Schema + kindTypes[path], Created: stamp(t.created.T), Modified: stamp(t.modified.T), Deleted: true}
}

// kindTypes are the OParl types by list path.
var kindTypes = map[string]string{"legislative-terms": publication.TypeLegislativeTerm}

// maxTombstones bounds the tombstones read at once outside SQL lists
// (legislative terms: a body lists at most tenant.MaxLegislativeTerms at a
// time, and each deleted one leaves one).
const maxTombstones = 10000

// one loads a single object or its tombstone; nil when it has neither.
func (r *reader) one(k *kind, id uuid.UUID) (any, error) {
	objs, err := r.objects(k, []uuid.UUID{id})
	if err != nil || len(objs) == 0 {
		return nil, err
	}
	return objs[0], nil
}

// rows reads the given ids from a kind's source into dst.
func (r *reader) rows(k *kind, ids []uuid.UUID, dst any) error {
	if err := r.tx.Raw("SELECT x.* FROM ("+k.source(r)+") x WHERE x.id IN ?", ids).Scan(dst).Error; err != nil {
		return fmt.Errorf("oparl: read %s: %w", k.Path, err)
	}
	return nil
}

// where runs a query of the source with extra conditions (ordered by id).
func (r *reader) where(k *kind, cond string, dst any, args ...any) error {
	if err := r.tx.Raw("SELECT x.* FROM ("+k.source(r)+") x WHERE "+cond+" ORDER BY x.id",
		args...).Scan(dst).Error; err != nil {
		return fmt.Errorf("oparl: read %s: %w", k.Path, err)
	}
	return nil
}

func (r *reader) tombstone(typ string, id uuid.UUID, path string, created, modified dbTime) Tombstone {
	return Tombstone{ID: r.u.obj(path, id), Type: Schema + typ, Created: stamp(created.T), Modified: stamp(modified.T), Deleted: true}
}

// --- Organization ---------------------------------------------------------

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

// --- Consultation, Paper and File -----------------------------------------

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
