// Package publication says what Kollab publishes through its OParl 1.1 API
// (package oparl) and keeps the record of what left the publication.
//
// Kinds holds, for every object type read from SQL, the SELECT of its
// published objects (the one place the publication rules live; oparl reads
// through them). An object leaves the publication when it is purged,
// detached, made non-public or its committee is; OParl 1.1 (chapter
// "Gelöschte Objekte") wants it to stay at its URL as deleted: true with
// the time of its deletion as modified, to show up in modified_since lists,
// and the objects embedding it to change their modified too. The domain
// operations that can make objects leave call Watch in their transaction:
// it notes what the scope publishes before the change and, just before the
// commit, what it publishes after. What went becomes a tombstone
// (oparl_tombstones: type, id, created, time of deletion); what embedded
// it, and what came back, is touched (oparl_touches), which moves its
// modified. Both tables are tenant-owned, under row-level security.
//
// A trashed document needs no record: its Paper, Files and Consultations
// stay in the sources with deleted_at set (they come back on restore).
package publication

import (
	"strings"

	"github.com/google/uuid"
)

// The record's tables.
const (
	TombstonesTable = "oparl_tombstones"
	TouchesTable    = "oparl_touches"
)

// The OParl types, as the record names them.
const (
	TypeBody            = "Body"
	TypeLegislativeTerm = "LegislativeTerm"
	TypeOrganization    = "Organization"
	TypePerson          = "Person"
	TypeMembership      = "Membership"
	TypeMeeting         = "Meeting"
	TypeLocation        = "Location"
	TypeAgendaItem      = "AgendaItem"
	TypeConsultation    = "Consultation"
	TypePaper           = "Paper"
	TypeFile            = "File"
)

// CurrentTerm is the id of the one open legislative term a body shows
// while its settings list none.
const CurrentTerm = "current"

// TermUUID is the object_id that stands for a legislative term of a
// tenant in the record (the term's id is its first day, kept beside it).
func TermUUID(tenantID uuid.UUID, term string) uuid.UUID {
	return uuid.NewSHA1(tenantID, []byte("oparl:legislative-term:"+term))
}

// TermIDs are the ids of the legislative terms a body shows, given the
// start dates its settings list.
func TermIDs(starts []string) []string {
	if len(starts) == 0 {
		return []string{CurrentTerm}
	}
	return starts
}

// Kind is an object type read from SQL.
type Kind struct {
	// Type is the OParl type, Path the list path under a body.
	Type, Path string
	// src is the SELECT of Source; cond, when set, is a further condition
	// on its tables (before any grouping).
	src func(pg bool, cond string) string
	// idCol is the column of src that is the object's id.
	idCol string
	// ListParent is the column naming the object whose own list also
	// holds the object (a Meeting's committee: its meetings list); it is
	// kept with the tombstone.
	ListParent string
	// parents embed or name the object: they are touched when it leaves
	// or comes back.
	parents []parent
	// within narrows the source to a scope ("" when the scope holds none).
	within func(s Scope) (string, []any)
}

type parent struct{ typ, column string }

// Kinds are the SQL-backed types.
var Kinds = []*Kind{
	{Type: TypeOrganization, Path: "organizations", src: organizationSource, idCol: "c.id", within: organizationsWithin},
	{Type: TypePerson, Path: "persons", src: personSource, idCol: "ms.id", within: personsWithin},
	{Type: TypeMembership, Path: "memberships", src: membershipSource, idCol: "cm.id", within: membershipsWithin,
		parents: []parent{{TypePerson, "membership_id"}, {TypeOrganization, "committee_id"}}},
	{Type: TypeMeeting, Path: "meetings", src: meetingSource, idCol: "m.id", within: meetingsWithin, ListParent: "committee_id"},
	{Type: TypeAgendaItem, Path: "agenda-items", src: itemSource, idCol: "i.id", within: itemsWithin, parents: []parent{{TypeMeeting, "meeting_id"}}},
	{Type: TypePaper, Path: "papers", src: paperSource, idCol: "d.id", within: papersWithin},
	{Type: TypeFile, Path: "files", src: fileSource, idCol: "v.id", within: filesWithin, parents: []parent{{TypePaper, "document_id"}}},
	{Type: TypeConsultation, Path: "consultations", src: consultationSource, idCol: "mp.id", within: consultationsWithin,
		parents: []parent{{TypePaper, "document_id"}, {TypeAgendaItem, "agenda_item_id"}, {TypeFile, "revision_id"}}},
	{Type: TypeLocation, Path: "locations", src: locationSource, idCol: "m.id", within: locationsWithin, parents: []parent{{TypeMeeting, "id"}}},
}

// Source is a SELECT of the kind's published objects with at least the
// columns id, created, modified and deleted_at (set for a tombstone the
// data still show: a trashed document's paper, files and consultations).
// It filters by @tenant: run it through Tx.Raw.
func (k *Kind) Source(pg bool) string { return k.src(pg, "") }

// and appends a condition to a source's WHERE.
func and(cond string) string {
	if cond == "" {
		return ""
	}
	return " AND (" + cond + ")"
}

// KindOf returns the kind of an OParl type (nil for Body and TypeLegislativeTerm).
func KindOf(typ string) *Kind {
	for _, k := range Kinds {
		if k.Type == typ {
			return k
		}
	}
	return nil
}

// Greatest is the largest of its (non-NULL) arguments in either dialect.
func Greatest(pg bool, xs ...string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	if pg {
		return "GREATEST(" + strings.Join(xs, ", ") + ")"
	}
	return "MAX(" + strings.Join(xs, ", ") + ")"
}

// touched is when the object of type typ with id idCol was last touched,
// or or.
func touched(typ, idCol, or string) string {
	return `COALESCE((SELECT tt.touched_at FROM ` + TouchesTable + ` tt WHERE tt.tenant_id = @tenant AND tt.kind = '` + typ +
		`' AND tt.object_id = ` + idCol + `), ` + or + `)`
}

// PaperJoins are the joins from a session paper to its committee and
// document (PaperPublic is the condition that makes it public).
const (
	PaperJoins = ` meeting_papers mp
		JOIN agenda_items i ON i.tenant_id = mp.tenant_id AND i.id = mp.agenda_item_id
		JOIN meetings m ON m.tenant_id = i.tenant_id AND m.id = i.meeting_id
		JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		JOIN documents d ON d.tenant_id = mp.tenant_id AND d.id = mp.document_id`
)

// What is published, and nothing else (every source starts from it; the
// rule is in rule.go):
//
//   - committees with public = true (TypeOrganization);
//   - their seats (TypeMembership) and the people holding one (Person: the
//     display name only);
//   - their meetings (TypeMeeting) and the places of those (TypeLocation);
//   - of those meetings' agenda items only the public, accepted ones
//     (TypeAgendaItem): proposed, declined and non-public items never appear;
//   - of those items' session papers only the frozen ones (TypeConsultation),
//     their documents (TypePaper) and the frozen revisions (TypeFile).
//
// created and modified: every object's modified also moves when its
// committee changes (so that a committee made public shows up in a
// modified_since sync), when it is touched, and a parent's when what it
// embeds changes (Meeting ← its agenda items, AgendaItem ← its papers and
// poll results).

func organizationSource(pg bool, cond string) string {
	return `SELECT c.id, c.name, c.created_at AS created,
			` + Greatest(pg, "c.updated_at", touched(TypeOrganization, "c.id", "c.updated_at")) + ` AS modified, NULL AS deleted_at
		FROM committees c WHERE c.tenant_id = @tenant AND` + CommitteePublic + and(cond)
}

func membershipSource(pg bool, cond string) string {
	return `SELECT cm.id, cm.membership_id, cm.committee_id, cm.role, cm.voting, cm.term_start, cm.term_end, cm.created_at AS created,
			` + Greatest(pg, "cm.updated_at", "c.updated_at", touched(TypeMembership, "cm.id", "cm.updated_at")) + ` AS modified,
			NULL AS deleted_at
		FROM committee_members cm JOIN committees c ON c.tenant_id = cm.tenant_id AND c.id = cm.committee_id
		WHERE cm.tenant_id = @tenant AND` + CommitteePublic + and(cond)
}

func personSource(pg bool, cond string) string {
	seats := "MAX(" + Greatest(pg, "cm.updated_at", "c.updated_at") + ")"
	return `SELECT ms.id, u.display_name AS name, MIN(cm.created_at) AS created,
			` + Greatest(pg, seats, touched(TypePerson, "ms.id", seats)) + ` AS modified, NULL AS deleted_at
		FROM committee_members cm
		JOIN committees c ON c.tenant_id = cm.tenant_id AND c.id = cm.committee_id
		JOIN memberships ms ON ms.tenant_id = cm.tenant_id AND ms.id = cm.membership_id
		JOIN users u ON u.id = ms.user_id
		WHERE cm.tenant_id = @tenant AND` + CommitteePublic + and(cond) + `
		GROUP BY ms.tenant_id, ms.id, u.display_name`
}

// ItemModified is the modified of the public agenda item i of committee
// c: its own change, its committee's, its frozen papers (frozen, trashed),
// its published polls (and their annulment, which takes a result back) and
// its touches.
func ItemModified(pg bool, i, c string) string {
	return Greatest(pg, i+".updated_at", c+".updated_at",
		`COALESCE((SELECT MAX(`+Greatest(pg, "pm.frozen_at", "COALESCE(pd.deleted_at, pm.frozen_at)")+`)
			FROM meeting_papers pm JOIN documents pd ON pd.tenant_id = pm.tenant_id AND pd.id = pm.document_id
			WHERE pm.tenant_id = @tenant AND pm.agenda_item_id = `+i+`.id AND pm.revision_id IS NOT NULL), `+i+`.updated_at)`,
		`COALESCE((SELECT MAX(COALESCE(pp.annulled_at, pp.published_at)) FROM polls pp
			WHERE pp.tenant_id = @tenant AND pp.agenda_item_id = `+i+`.id AND pp.published_at IS NOT NULL
			  AND pp.state IN ('published', 'annulled')), `+i+`.updated_at)`,
		touched(TypeAgendaItem, i+".id", i+".updated_at"))
}

func meetingSource(pg bool, cond string) string {
	return `SELECT m.id, m.committee_id, m.title, m.starts_at, m.ends_at, m.place, m.state, m.created_at AS created,
			` + Greatest(pg, "m.updated_at", "c.updated_at", touched(TypeLocation, "m.id", "m.updated_at")) + ` AS place_modified,
			` + Greatest(pg, "m.updated_at", "c.updated_at", `COALESCE((SELECT MAX(`+ItemModified(pg, "i", "c")+`) FROM agenda_items i
				WHERE i.tenant_id = @tenant AND i.meeting_id = m.id AND`+ItemPublicSQL+`), m.updated_at)`,
		touched(TypeMeeting, "m.id", "m.updated_at")) + ` AS modified, NULL AS deleted_at
		FROM meetings m JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		WHERE m.tenant_id = @tenant AND` + CommitteePublic + and(cond)
}

func locationSource(pg bool, cond string) string {
	return `SELECT m.id, m.committee_id, m.place, m.created_at AS created,
			` + Greatest(pg, "m.updated_at", "c.updated_at", touched(TypeLocation, "m.id", "m.updated_at")) + ` AS modified,
			NULL AS deleted_at
		FROM meetings m JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		WHERE m.tenant_id = @tenant AND` + CommitteePublic + ` AND m.place <> ''` + and(cond)
}

func itemSource(pg bool, cond string) string {
	return `SELECT i.id, i.meeting_id, m.committee_id, i.title, i.position,
			(SELECT COUNT(*) FROM agenda_items j WHERE j.tenant_id = i.tenant_id AND j.meeting_id = i.meeting_id
				AND j.state = 'accepted' AND j.position <= i.position) AS number,
			i.created_at AS created, ` + ItemModified(pg, "i", "c") + ` AS modified, NULL AS deleted_at
		FROM agenda_items i
		JOIN meetings m ON m.tenant_id = i.tenant_id AND m.id = i.meeting_id
		JOIN committees c ON c.tenant_id = m.tenant_id AND c.id = m.committee_id
		WHERE i.tenant_id = @tenant AND` + CommitteePublic + ` AND` + ItemPublicSQL + and(cond)
}

func consultationSource(pg bool, cond string) string {
	return `SELECT mp.id, mp.document_id, mp.revision_id, mp.agenda_item_id, i.meeting_id, m.committee_id, d.deleted_at,
			mp.added_at AS created, ` + Greatest(pg, "mp.frozen_at", "c.updated_at", "COALESCE(d.deleted_at, mp.frozen_at)",
		touched(TypeConsultation, "mp.id", "mp.frozen_at")) + ` AS modified
		FROM` + PaperJoins + ` WHERE` + PaperPublic + and(cond)
}

func paperSource(pg bool, cond string) string {
	return `SELECT d.id, d.title, d.file_plan_ref, d.deleted_at, d.created_at AS created, MIN(mp.frozen_at) AS first_frozen,
			` + Greatest(pg, "d.updated_at", "COALESCE(d.deleted_at, d.updated_at)", "MAX(mp.frozen_at)", "MAX(c.updated_at)",
		touched(TypePaper, "d.id", "d.updated_at")) + ` AS modified
		FROM` + PaperJoins + ` WHERE` + PaperPublic + and(cond) + `
		GROUP BY d.tenant_id, d.id, d.title, d.file_plan_ref, d.deleted_at, d.created_at, d.updated_at`
}

func fileSource(pg bool, cond string) string {
	return `SELECT v.id, v.document_id, v.number, v.file_name, v.content_type, v.size_bytes, d.deleted_at, v.created_at AS created,
			` + Greatest(pg, "v.created_at", "COALESCE(d.deleted_at, v.created_at)", "MAX(mp.frozen_at)", "MAX(c.updated_at)",
		touched(TypeFile, "v.id", "v.created_at")) + ` AS modified
		FROM` + PaperJoins + `
		JOIN document_revisions v ON v.tenant_id = mp.tenant_id AND v.id = mp.revision_id
		WHERE` + PaperPublic + and(cond) + `
		GROUP BY v.tenant_id, v.id, v.document_id, v.number, v.file_name, v.content_type, v.size_bytes, d.deleted_at, v.created_at`
}
