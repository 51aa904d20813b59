package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// States of a named object.
const (
	StateLive    = "live"
	StateTrashed = "trashed" // in the document trash, restorable
	StateDeleted = "deleted" // gone (or never of this tenant): Name is the last known name, if any
)

// Link kinds: the page of the web app that shows an object.
const (
	LinkDocument    = "document"
	LinkFolder      = "folder"
	LinkTrash       = "trash"
	LinkCommittee   = "committee"
	LinkMeeting     = "meeting"
	LinkPoll        = "poll"
	LinkMember      = "member"
	LinkInvitations = "invitations"
	LinkTokens      = "tokens"
)

// Link is where the web app shows an object; ID is empty for a list page.
type Link struct {
	Kind string
	ID   string
}

// Ref is an object an entry names, by its current name.
type Ref struct {
	Type string
	ID   string
	// Name is the current name; for a deleted object the last name the log
	// recorded for it ("" if none). Empty for objects without a name
	// (sessions) and ids that are not object ids.
	Name string
	// Email is a person's address (accounts, members, invitations).
	Email string
	// State is StateLive, StateTrashed or StateDeleted; "" when the type has
	// nothing to look up.
	State string
	Link  *Link
}

// Related is an object named in an entry's details.
type Related struct {
	Key string // the detail that names it
	Ref
}

// Names are the objects of one entry, resolved.
type Names struct {
	Actor   *Ref // nil: no actor recorded (the system)
	Target  *Ref // nil: no target recorded
	Related []Related
}

// lastKnownLimit bounds the log entries read for names of deleted objects.
const lastKnownLimit = 500

type refKey struct {
	typ string
	id  uuid.UUID
}

// found is what a lookup learnt about one object.
type found struct {
	name, email string
	trashed     bool
	link        *Link
}

// lookup reads the objects of one type with the given ids, in the tenant of tx.
type lookup func(tx *db.Tx, ids []uuid.UUID, out map[uuid.UUID]found) error

var lookups = map[string]lookup{
	TypeUser:       lookupMembers("memberships.user_id"),
	TypeMembership: lookupMembers("memberships.id"),
	TypeInvitation: lookupInvitations,
	TypeTenant:     lookupTenant,
	TypeGroup:      lookupNamed("groups", "name", nil),
	TypeAPIToken:   lookupTokens,
	TypeFolder:     lookupTrashable("folders", "name", LinkFolder),
	TypeDocument:   lookupTrashable("documents", "title", LinkDocument),
	TypeCommittee:  lookupNamed("committees", "name", func(id uuid.UUID) *Link { return &Link{LinkCommittee, id.String()} }),
	TypeMeeting:    lookupNamed("meetings", "title", func(id uuid.UUID) *Link { return &Link{LinkMeeting, id.String()} }),
	TypeAgendaItem: lookupAgendaItems,
	TypePoll:       lookupNamed("polls", "title", func(id uuid.UUID) *Link { return &Link{LinkPoll, id.String()} }),
	// TypeSession: a session has no name to show.
}

// Resolve names the actors, targets and the objects named in the details of
// one page of entries, within the tenant of tx and by the objects' current
// names. It runs at most one query per object type plus one for the last
// known names of deleted objects, however long the page. An id of another
// tenant's object resolves like a deleted one without a name.
func Resolve(_ context.Context, tx *db.Tx, evs []Event) ([]Names, error) {
	r := resolution{want: map[string][]uuid.UUID{}, seen: map[refKey]bool{}}
	details := r.collect(evs)
	if err := r.fetch(tx); err != nil {
		return nil, err
	}
	out := make([]Names, len(evs))
	for i := range evs {
		out[i] = r.names(&evs[i], details[i])
	}
	return out, nil
}

// resolution gathers the objects a page of events names, one query per
// object type for all of them, and then hands out their references.
type resolution struct {
	want map[string][]uuid.UUID // ids to look up, by type
	seen map[refKey]bool
	got  map[refKey]found  // what exists now
	last map[refKey]string // the last known names of what is gone
}

// need notes the object (typ, id) for the lookup, once, when typ can be
// looked up and id is a real id.
func (r *resolution) need(typ, id string) {
	u, err := uuid.Parse(id)
	if err != nil || u == uuid.Nil {
		return
	}
	if _, ok := lookups[typ]; ok && !r.seen[refKey{typ, u}] {
		r.seen[refKey{typ, u}] = true
		r.want[typ] = append(r.want[typ], u)
	}
}

// collect notes every actor, target and referring detail of evs and returns
// the events' decoded details.
func (r *resolution) collect(evs []Event) []map[string]string {
	details := make([]map[string]string, len(evs))
	for i := range evs {
		e := &evs[i]
		if e.ActorUserID != nil {
			r.need(TypeUser, e.ActorUserID.String())
		}
		if e.TargetType != "" || e.TargetID != "" {
			r.need(e.TargetType, e.TargetID)
		}
		_ = json.Unmarshal([]byte(e.Details), &details[i])
		for k, v := range details[i] {
			if t := refType(e.Action, k); t != "" {
				r.need(t, v)
			}
		}
	}
	return details
}

// fetch looks the noted objects up in tx, in chunks of 500 per type, and
// the last known names of those that are gone.
func (r *resolution) fetch(tx *db.Tx) error {
	r.got = map[refKey]found{}
	for _, typ := range sortedKeys(r.want) {
		res := map[uuid.UUID]found{}
		for chunk := range slices.Chunk(r.want[typ], 500) {
			if err := lookups[typ](tx, chunk, res); err != nil {
				return fmt.Errorf("audit: names of %s: %w", typ, err)
			}
		}
		for id, f := range res {
			r.got[refKey{typ, id}] = f
		}
	}
	last, err := lastKnownNames(tx, r.want, r.got)
	r.last = last
	return err
}

// ref is the reference to (typ, id): live (with link), trashed, or deleted
// with its last known name.
func (r *resolution) ref(typ, id string) *Ref {
	out := &Ref{Type: typ, ID: id}
	u, err := uuid.Parse(id)
	if _, ok := lookups[typ]; !ok || err != nil {
		return out
	}
	k := refKey{typ, u}
	if f, ok := r.got[k]; ok {
		out.Name, out.Email, out.Link, out.State = f.name, f.email, f.link, StateLive
		if f.trashed {
			out.State, out.Link = StateTrashed, &Link{Kind: LinkTrash}
		}
		return out
	}
	out.State, out.Name = StateDeleted, r.last[k]
	return out
}

// names are the references of one event: actor, target and the details
// that name objects, in the order of their keys.
func (r *resolution) names(e *Event, details map[string]string) Names {
	var n Names
	if e.ActorUserID != nil {
		n.Actor = r.ref(TypeUser, e.ActorUserID.String())
		if n.Actor.State == StateDeleted && n.Actor.Name == "" {
			n.Actor.Name = e.ActorLabel
		}
	}
	if e.TargetType != "" || e.TargetID != "" {
		n.Target = r.ref(e.TargetType, e.TargetID)
	}
	for _, k := range sortedKeys(details) {
		t := refType(e.Action, k)
		if t == "" {
			continue
		}
		if _, err := uuid.Parse(details[k]); err != nil {
			continue
		}
		n.Related = append(n.Related, Related{Key: k, Ref: *r.ref(t, details[k])})
	}
	return n
}

// lastKnownNames reads, for the wanted objects not found, the name the
// newest log entry about them recorded (in one bounded query).
func lastKnownNames(tx *db.Tx, want map[string][]uuid.UUID, got map[refKey]found) (map[refKey]string, error) {
	var ids []string
	missing := map[refKey]bool{}
	for typ, list := range want {
		for _, id := range list {
			if _, ok := got[refKey{typ, id}]; !ok {
				missing[refKey{typ, id}] = true
				ids = append(ids, id.String())
			}
		}
	}
	out := map[refKey]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var named []string
	for _, a := range actions {
		if a.NameKey != "" {
			named = append(named, a.Key)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) > lastKnownLimit {
		ids = ids[:lastKnownLimit]
	}
	var rows []struct {
		TargetType, TargetID, Action, Details string
	}
	err := tx.Table(Table).Select("target_type, target_id, action, details").
		Where("target_id IN ? AND action IN ?", ids, named).
		Order("seq DESC").Limit(lastKnownLimit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("audit: last known names: %w", err)
	}
	for _, r := range rows {
		u, err := uuid.Parse(r.TargetID)
		if err != nil {
			continue
		}
		k := refKey{r.TargetType, u}
		if _, done := out[k]; done || !missing[k] {
			continue
		}
		a, _ := LookupAction(r.Action)
		var d map[string]string
		if json.Unmarshal([]byte(r.Details), &d) == nil && d[a.NameKey] != "" {
			out[k] = d[a.NameKey]
		}
	}
	return out, nil
}

func lookupMembers(column string) lookup {
	return func(tx *db.Tx, ids []uuid.UUID, out map[uuid.UUID]found) error {
		var rows []struct {
			ID, UserID         uuid.UUID
			Email, DisplayName string
		}
		err := tx.Table("memberships").
			Select("memberships.id, memberships.user_id, u.email, u.display_name").
			Joins("JOIN users u ON u.id = memberships.user_id").
			Where(column+" IN ?", ids).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			key := r.ID
			if column == "memberships.user_id" {
				key = r.UserID
			}
			name := r.DisplayName
			if name == "" {
				name = r.Email
			}
			out[key] = found{name: name, email: r.Email, link: &Link{LinkMember, r.ID.String()}}
		}
		return nil
	}
}

func lookupInvitations(tx *db.Tx, ids []uuid.UUID, out map[uuid.UUID]found) error {
	var rows []struct {
		ID    uuid.UUID
		Email string
	}
	if err := tx.Table("invitations").Select("id, email").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		out[r.ID] = found{name: r.Email, email: r.Email, link: &Link{Kind: LinkInvitations}}
	}
	return nil
}

// lookupTenant names only the tenant of tx itself.
func lookupTenant(tx *db.Tx, ids []uuid.UUID, out map[uuid.UUID]found) error {
	if !slices.Contains(ids, tx.TenantID()) {
		return nil
	}
	var name string
	res := tx.Unscoped().Table("tenants").Select("name").Where("id = ?", tx.TenantID()).Scan(&name)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected > 0 {
		out[tx.TenantID()] = found{name: name}
	}
	return nil
}

// lookupTokens names API tokens of the tenant's members. Tokens are
// account-level rows; the join with this tenant's memberships keeps
// another tenant's tokens out.
func lookupTokens(tx *db.Tx, ids []uuid.UUID, out map[uuid.UUID]found) error {
	var rows []struct {
		ID   uuid.UUID
		Name string
	}
	err := tx.Raw(`SELECT api_tokens.id, api_tokens.name FROM api_tokens
		JOIN memberships m ON m.user_id = api_tokens.user_id AND m.tenant_id = @tenant
		WHERE api_tokens.id IN ?`, ids).Scan(&rows).Error
	if err != nil {
		return err
	}
	for _, r := range rows {
		out[r.ID] = found{name: r.Name, link: &Link{Kind: LinkTokens}}
	}
	return nil
}

func lookupNamed(table, column string, link func(uuid.UUID) *Link) lookup {
	return func(tx *db.Tx, ids []uuid.UUID, out map[uuid.UUID]found) error {
		var rows []struct {
			ID   uuid.UUID
			Name string
		}
		err := tx.Table(table).Select(table+".id, "+table+"."+column+" AS name").Where(table+".id IN ?", ids).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			f := found{name: r.Name}
			if link != nil {
				f.link = link(r.ID)
			}
			out[r.ID] = f
		}
		return nil
	}
}

// lookupTrashable names folders and documents, which may lie in the trash.
func lookupTrashable(table, column, kind string) lookup {
	return func(tx *db.Tx, ids []uuid.UUID, out map[uuid.UUID]found) error {
		var rows []struct {
			ID        uuid.UUID
			Name      string
			DeletedAt *time.Time
		}
		err := tx.Table(table).Select(table+".id, "+table+"."+column+" AS name, "+table+".deleted_at").
			Where(table+".id IN ?", ids).Scan(&rows).Error
		if err != nil {
			return err
		}
		for _, r := range rows {
			out[r.ID] = found{name: r.Name, trashed: r.DeletedAt != nil, link: &Link{kind, r.ID.String()}}
		}
		return nil
	}
}

// lookupAgendaItems names agenda items; their page is their meeting's.
func lookupAgendaItems(tx *db.Tx, ids []uuid.UUID, out map[uuid.UUID]found) error {
	var rows []struct {
		ID, MeetingID uuid.UUID
		Title         string
	}
	if err := tx.Table("agenda_items").Select("id, title, meeting_id").Where("id IN ?", ids).Scan(&rows).Error; err != nil {
		return err
	}
	for _, r := range rows {
		out[r.ID] = found{name: r.Title, link: &Link{LinkMeeting, r.MeetingID.String()}}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
