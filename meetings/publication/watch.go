package publication

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// Scope is the part of a tenant's data a change can take out of the
// publication.
type Scope struct {
	committee, meeting, place, item, folder uuid.UUID
	docs                                    []uuid.UUID
	seatCommittee, seatMembership           uuid.UUID
	body                                    bool
}

// Committee is everything of one committee: the committee, its seats and
// members, meetings, places, agenda items and session papers. (A committee
// made public again needs no watch: everything of it moves its modified.)
func Committee(id uuid.UUID) Scope { return Scope{committee: id} }

// Meeting is one meeting with its place, agenda items and session papers.
func Meeting(id uuid.UUID) Scope { return Scope{meeting: id} }

// Place is one meeting's place (Location), the one thing editing a
// meeting can take out.
func Place(meetingID uuid.UUID) Scope { return Scope{place: meetingID} }

// AgendaItem is one agenda item with its session papers.
func AgendaItem(id uuid.UUID) Scope { return Scope{item: id} }

// Documents are documents as session papers (Paper, File, Consultation).
func Documents(ids ...uuid.UUID) Scope { return Scope{docs: slices.Clone(ids)} }

// Folder is the documents anywhere below a folder, as session papers.
func Folder(id uuid.UUID) Scope { return Scope{folder: id} }

// Seat is a member's seat in a committee, and the member.
func Seat(committeeID, membershipID uuid.UUID) Scope {
	return Scope{seatCommittee: committeeID, seatMembership: membershipID}
}

// Body is the tenant as a body, and its legislative terms (the tenant
// settings).
func Body() Scope { return Scope{body: true} }

// The conditions of each kind's scope, on its source's tables (before any
// grouping: a grouped kind keeps every row of the objects it selects). They
// filter further tenant tables by @tenant (bound by Tx.Raw).

// paperDocs is a subquery of the ids of the documents attached to the
// scope's committee, meeting or item, or below its folder.
func (s Scope) paperDocs() (string, []any) {
	const attached = `SELECT sp.document_id FROM meeting_papers sp
		JOIN agenda_items si ON si.tenant_id = sp.tenant_id AND si.id = sp.agenda_item_id
		JOIN meetings sm ON sm.tenant_id = si.tenant_id AND sm.id = si.meeting_id WHERE sp.tenant_id = @tenant`
	switch {
	case s.committee != uuid.Nil:
		return attached + ` AND sm.committee_id = ?`, []any{s.committee}
	case s.meeting != uuid.Nil:
		return attached + ` AND si.meeting_id = ?`, []any{s.meeting}
	case s.item != uuid.Nil:
		return `SELECT sp.document_id FROM meeting_papers sp WHERE sp.tenant_id = @tenant AND sp.agenda_item_id = ?`, []any{s.item}
	case s.folder != uuid.Nil:
		return `SELECT sd.id FROM documents sd WHERE sd.tenant_id = @tenant AND sd.folder_id IN
			(SELECT sf.descendant_id FROM folder_paths sf WHERE sf.tenant_id = @tenant AND sf.ancestor_id = ?)`, []any{s.folder}
	}
	return "", nil
}

// docsWithin narrows a kind by its document column.
func docsWithin(col string, s Scope) (string, []any) {
	if len(s.docs) > 0 {
		return col + " IN ?", []any{s.docs}
	}
	if sub, args := s.paperDocs(); sub != "" {
		return col + " IN (" + sub + ")", args
	}
	return "", nil
}

func organizationsWithin(s Scope) (string, []any) {
	if s.committee != uuid.Nil {
		return "c.id = ?", []any{s.committee}
	}
	return "", nil
}

func membershipsWithin(s Scope) (string, []any) {
	switch {
	case s.committee != uuid.Nil:
		return "cm.committee_id = ?", []any{s.committee}
	case s.seatCommittee != uuid.Nil:
		return "cm.committee_id = ? AND cm.membership_id = ?", []any{s.seatCommittee, s.seatMembership}
	}
	return "", nil
}

func personsWithin(s Scope) (string, []any) {
	switch {
	case s.committee != uuid.Nil:
		return `ms.id IN (SELECT sc.membership_id FROM committee_members sc WHERE sc.tenant_id = @tenant AND sc.committee_id = ?)`,
			[]any{s.committee}
	case s.seatCommittee != uuid.Nil:
		return "ms.id = ?", []any{s.seatMembership}
	}
	return "", nil
}

func meetingsWithin(s Scope) (string, []any) {
	switch {
	case s.committee != uuid.Nil:
		return "m.committee_id = ?", []any{s.committee}
	case s.meeting != uuid.Nil:
		return "m.id = ?", []any{s.meeting}
	}
	return "", nil
}

func locationsWithin(s Scope) (string, []any) {
	if s.place != uuid.Nil {
		return "m.id = ?", []any{s.place}
	}
	return meetingsWithin(s)
}

func itemsWithin(s Scope) (string, []any) {
	switch {
	case s.committee != uuid.Nil:
		return "m.committee_id = ?", []any{s.committee}
	case s.meeting != uuid.Nil:
		return "i.meeting_id = ?", []any{s.meeting}
	case s.item != uuid.Nil:
		return "i.id = ?", []any{s.item}
	}
	return "", nil
}

func consultationsWithin(s Scope) (string, []any) {
	switch {
	case s.committee != uuid.Nil:
		return "m.committee_id = ?", []any{s.committee}
	case s.meeting != uuid.Nil:
		return "i.meeting_id = ?", []any{s.meeting}
	case s.item != uuid.Nil:
		return "mp.agenda_item_id = ?", []any{s.item}
	}
	return docsWithin("mp.document_id", s)
}

func papersWithin(s Scope) (string, []any) { return docsWithin("d.id", s) }

func filesWithin(s Scope) (string, []any) { return docsWithin("v.document_id", s) }

// --- watching a change ------------------------------------------------------

// entry is one published object as a snapshot saw it.
type entry struct {
	created    time.Time
	deleted    bool // a tombstone the data still show (trashed document)
	parents    []ref
	listParent uuid.NullUUID
}

type ref struct {
	typ string
	id  uuid.UUID
}

// snapshot is what a scope published, by type and id.
type snapshot map[string]map[uuid.UUID]entry

// Watch records what the change about to be made in tx takes out of the
// publication within the scope, or brings back: it notes what the scope
// publishes now, and compares just before tx commits (db.Tx.BeforeCommit).
// Call it before the change, once per scope.
func Watch(tx *db.Tx, s Scope) error {
	if s.body {
		return watchBody(tx)
	}
	if s.committee != uuid.Nil {
		// A committee that is not public has nothing published to lose.
		var public []bool
		if err := tx.Table("committees").Where("id = ?", s.committee).Pluck("public", &public).Error; err != nil {
			return fmt.Errorf("publication: read committee: %w", err)
		}
		if len(public) == 0 || !public[0] {
			return nil
		}
	}
	pg := tx.IsPostgres()
	before, err := take(tx, pg, s, nil)
	if err != nil {
		return err
	}
	tx.BeforeCommit(func() error {
		after, err := take(tx, pg, s, before)
		if err != nil {
			return err
		}
		return settle(tx, before, after)
	})
	return nil
}

// snapRow is a row of a snapshot query.
type snapRow struct {
	ID         uuid.UUID     `gorm:"column:id"`
	Created    Time          `gorm:"column:created"`
	DeletedAt  Time          `gorm:"column:deleted_at"`
	P0         uuid.NullUUID `gorm:"column:p0"`
	P1         uuid.NullUUID `gorm:"column:p1"`
	P2         uuid.NullUUID `gorm:"column:p2"`
	ListParent uuid.NullUUID `gorm:"column:list_parent"`
}

// chunk bounds the ids in one IN list.
const chunk = 500

// take reads what the scope publishes; with was, also what of was's
// objects is still published (the scope may no longer find a deleted row).
func take(tx *db.Tx, pg bool, s Scope, was snapshot) (snapshot, error) {
	out := snapshot{}
	for _, k := range Kinds {
		cond, args := k.within(s)
		if cond == "" {
			continue
		}
		cols := "x.id, x.created, x.deleted_at"
		for i := range 3 {
			if i < len(k.parents) {
				cols += fmt.Sprintf(", x.%s AS p%d", k.parents[i].column, i)
			} else {
				cols += fmt.Sprintf(", NULL AS p%d", i)
			}
		}
		if k.ListParent != "" {
			cols += ", x." + k.ListParent + " AS list_parent"
		} else {
			cols += ", NULL AS list_parent"
		}
		got := map[uuid.UUID]entry{}
		read := func(cond string, args ...any) error {
			q := "SELECT " + cols + " FROM (" + k.src(pg, cond) + ") x"
			var rows []snapRow
			if err := tx.Raw(q, args...).Scan(&rows).Error; err != nil {
				return fmt.Errorf("publication: read %s: %w", k.Path, err)
			}
			for _, r := range rows {
				e := entry{created: r.Created.T, deleted: r.DeletedAt.Valid, listParent: r.ListParent}
				for i, p := range []uuid.NullUUID{r.P0, r.P1, r.P2} {
					if p.Valid {
						e.parents = append(e.parents, ref{k.parents[i].typ, p.UUID})
					}
				}
				got[r.ID] = e
			}
			return nil
		}
		if err := read(cond, args...); err != nil {
			return nil, err
		}
		var missing []uuid.UUID
		for id := range was[k.Type] {
			if _, ok := got[id]; !ok {
				missing = append(missing, id)
			}
		}
		slices.SortFunc(missing, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
		for ids := range slices.Chunk(missing, chunk) {
			if err := read(k.idCol+" IN ?", ids); err != nil {
				return nil, err
			}
		}
		out[k.Type] = got
	}
	return out, nil
}

// tombstone is a row of oparl_tombstones.
type tombstone struct {
	TenantID  uuid.UUID
	Kind      string
	ObjectID  uuid.UUID
	Term      *string
	ParentID  *uuid.UUID
	CreatedAt time.Time
	DeletedAt time.Time
}

// settle records the difference between two snapshots of one scope: what
// went becomes a tombstone and touches its parents; what came back (out
// of a tombstone or the trash) loses its tombstone and is touched with its
// parents, so that its modified moves past the deletion.
func settle(tx *db.Tx, before, after snapshot) error {
	now := db.Now()
	var gone []tombstone
	touch := map[ref]bool{}
	back := map[string][]uuid.UUID{} // type → ids, to lift tombstones from
	for _, k := range Kinds {
		was, is := before[k.Type], after[k.Type]
		for _, id := range sortedIDs(was) {
			b := was[id]
			if _, ok := is[id]; ok {
				continue
			}
			t := tombstone{TenantID: tx.TenantID(), Kind: k.Type, ObjectID: id, CreatedAt: b.created, DeletedAt: now}
			if b.listParent.Valid {
				t.ParentID = &b.listParent.UUID
			}
			gone = append(gone, t)
			for _, p := range b.parents {
				touch[p] = true
			}
		}
		var maybe []uuid.UUID
		for _, id := range sortedIDs(is) {
			a := is[id]
			if a.deleted {
				continue
			}
			b, ok := was[id]
			switch {
			case ok && !b.deleted:
				continue // published before and after
			case ok && b.deleted: // restored from the trash
				touch[ref{k.Type, id}] = true
				for _, p := range a.parents {
					touch[p] = true
				}
			default: // newly published, or back from a tombstone
				maybe = append(maybe, id)
			}
		}
		if len(maybe) == 0 {
			continue
		}
		// Only what was deleted before is touched: the rest is simply new.
		was2, err := tombstoned(tx, k.Type, maybe)
		if err != nil {
			return err
		}
		for _, id := range maybe {
			if !was2[id] {
				continue
			}
			back[k.Type] = append(back[k.Type], id)
			touch[ref{k.Type, id}] = true
			for _, p := range is[id].parents {
				touch[p] = true
			}
		}
	}
	for typ, ids := range back {
		if err := lift(tx, typ, ids); err != nil {
			return err
		}
	}
	if err := bury(tx, gone); err != nil {
		return err
	}
	refs := make([]ref, 0, len(touch))
	for r := range touch {
		refs = append(refs, r)
	}
	return touchAll(tx, refs, now)
}

func sortedIDs(m map[uuid.UUID]entry) []uuid.UUID {
	ids := make([]uuid.UUID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	return ids
}

// tombstoned returns which of the ids of a type have a tombstone.
func tombstoned(tx *db.Tx, typ string, ids []uuid.UUID) (map[uuid.UUID]bool, error) {
	out := map[uuid.UUID]bool{}
	for c := range slices.Chunk(ids, chunk) {
		var got []uuid.UUID
		if err := tx.Table(TombstonesTable).Where("kind = ? AND object_id IN ?", typ, c).Pluck("object_id", &got).Error; err != nil {
			return nil, fmt.Errorf("publication: read tombstones: %w", err)
		}
		for _, id := range got {
			out[id] = true
		}
	}
	return out, nil
}

// lift removes the tombstones of objects that are published again.
func lift(tx *db.Tx, typ string, ids []uuid.UUID) error {
	for c := range slices.Chunk(ids, chunk) {
		if err := tx.Exec("DELETE FROM "+TombstonesTable+" WHERE tenant_id = @tenant AND kind = ? AND object_id IN ?",
			typ, c).Error; err != nil {
			return fmt.Errorf("publication: lift tombstones: %w", err)
		}
	}
	return nil
}

// bury writes tombstones of the transaction's tenant (a later deletion
// replaces an earlier one).
func bury(tx *db.Tx, ts []tombstone) error {
	for c := range slices.Chunk(ts, 100) {
		q := "INSERT INTO " + TombstonesTable + " (tenant_id, kind, object_id, term, parent_id, created_at, deleted_at) VALUES (@tenant, ?, ?, ?, ?, ?, ?)" +
			strings.Repeat(", (@tenant, ?, ?, ?, ?, ?, ?)", len(c)-1)
		var args []any
		for _, t := range c {
			args = append(args, t.Kind, t.ObjectID, t.Term, t.ParentID, t.CreatedAt, t.DeletedAt)
		}
		q += ` ON CONFLICT (tenant_id, kind, object_id) DO UPDATE SET term = excluded.term, parent_id = excluded.parent_id,
			created_at = excluded.created_at, deleted_at = excluded.deleted_at`
		if err := tx.Exec(q, args...).Error; err != nil {
			return fmt.Errorf("publication: write tombstones: %w", err)
		}
	}
	return nil
}

// touchAll moves the modified of the objects to at.
func touchAll(tx *db.Tx, refs []ref, at time.Time) error {
	slices.SortFunc(refs, func(a, b ref) int {
		if a.typ != b.typ {
			if a.typ < b.typ {
				return -1
			}
			return 1
		}
		return slices.Compare(a.id[:], b.id[:])
	})
	for c := range slices.Chunk(refs, 100) {
		q := "INSERT INTO " + TouchesTable + " (tenant_id, kind, object_id, touched_at) VALUES (@tenant, ?, ?, ?)" +
			strings.Repeat(", (@tenant, ?, ?, ?)", len(c)-1)
		var args []any
		for _, r := range c {
			args = append(args, r.typ, r.id, at)
		}
		q += " ON CONFLICT (tenant_id, kind, object_id) DO UPDATE SET touched_at = excluded.touched_at"
		if err := tx.Exec(q, args...).Error; err != nil {
			return fmt.Errorf("publication: touch: %w", err)
		}
	}
	return nil
}

// --- the body and its legislative terms ----------------------------------

// bodyState is what a tenant's row says about its publication.
type bodyState struct {
	public           bool
	created, updated time.Time
	terms            []string
}

func readBody(tx *db.Tx) (*bodyState, error) {
	var rows []struct {
		Created  Time   `gorm:"column:created_at"`
		Updated  Time   `gorm:"column:updated_at"`
		Settings string `gorm:"column:settings"`
	}
	if err := tx.Unscoped().Raw("SELECT created_at, updated_at, settings FROM tenants WHERE id = ?", tx.TenantID()).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("publication: read tenant: %w", err)
	}
	if len(rows) != 1 {
		return nil, nil // no such tenant: the change fails on its own
	}
	// The part of tenant.Settings that decides the publication.
	var st struct {
		OParl struct {
			Public bool `json:"public"`
			Terms  []struct {
				Start string `json:"start"`
			} `json:"legislative_terms"`
		} `json:"oparl"`
	}
	if err := json.Unmarshal([]byte(rows[0].Settings), &st); err != nil {
		return nil, fmt.Errorf("publication: read settings: %w", err)
	}
	b := &bodyState{public: st.OParl.Public, created: rows[0].Created.T, updated: rows[0].Updated.T}
	var starts []string
	for _, t := range st.OParl.Terms {
		starts = append(starts, t.Start)
	}
	b.terms = TermIDs(starts)
	return b, nil
}

// watchBody records a body that stops publishing (its own tombstone; what
// it published answers 404 from then on) and legislative terms that
// leave a publishing body. Their deletion time is the tenant's new
// updated_at, the modified of the body and its terms.
func watchBody(tx *db.Tx) error {
	before, err := readBody(tx)
	if err != nil || before == nil {
		return err
	}
	tx.BeforeCommit(func() error {
		after, err := readBody(tx)
		if err != nil || after == nil {
			return err
		}
		tid := tx.TenantID()
		if !after.public {
			if !before.public {
				return nil
			}
			return bury(tx, []tombstone{{TenantID: tid, Kind: TypeBody, ObjectID: tid, CreatedAt: before.created, DeletedAt: after.updated}})
		}
		if err := lift(tx, TypeBody, []uuid.UUID{tid}); err != nil {
			return err
		}
		var live []uuid.UUID
		for _, id := range after.terms {
			live = append(live, TermUUID(tid, id))
		}
		if err := lift(tx, TypeLegislativeTerm, live); err != nil {
			return err
		}
		if !before.public {
			return nil
		}
		var gone []tombstone
		for _, id := range before.terms {
			if !slices.Contains(after.terms, id) {
				gone = append(gone, tombstone{TenantID: tid, Kind: TypeLegislativeTerm, ObjectID: TermUUID(tid, id), Term: &id,
					CreatedAt: before.created, DeletedAt: after.updated})
			}
		}
		return bury(tx, gone)
	})
	return nil
}
