package oparl

import (
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
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
