package tasks

// Who signs: the signers of a new request must be able to read its
// object, and only people who can read it are told about it.

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/notify"
	"github.com/kollab/kollab/tenant"
)

// maxGroupReaders bounds how many members of one group are looked at for
// reading a document (a group of signers is told through its first
// readers; a larger one can still decide, each member for themself).
const maxGroupReaders = 500

// person is an active membership as the sign-off checks it.
type person struct {
	ID      uuid.UUID `gorm:"column:id"`
	UserID  uuid.UUID `gorm:"column:user_id"`
	Role    string    `gorm:"column:role"`
	GroupID uuid.UUID `gorm:"column:group_id"`
}

func (p person) actor(tid uuid.UUID) tenant.Actor {
	return tenant.Actor{TenantID: tid, MembershipID: p.ID, UserID: p.UserID, Role: tenant.Role(p.Role)}
}

// activePeople reads the active memberships among ids.
func activePeople(tx *db.Tx, ids []uuid.UUID) ([]person, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	var ps []person
	if err := tx.Table("memberships").Select("id, user_id, role").Where("id IN ? AND status = ?", ids, tenant.StatusActive).
		Scan(&ps).Error; err != nil {
		return nil, fmt.Errorf("tasks: read signers: %w", err)
	}
	return ps, nil
}

// groupPeople reads the active members of groups (GroupID set), at most
// maxGroupReaders of each.
func groupPeople(tx *db.Tx, groups []uuid.UUID) ([]person, error) {
	if len(groups) == 0 {
		return nil, nil
	}
	var ps []person
	if err := tx.Raw(`SELECT gm.group_id, m.id, m.user_id, m.role FROM group_members gm
		JOIN memberships m ON m.tenant_id = gm.tenant_id AND m.id = gm.membership_id
		WHERE gm.tenant_id = @tenant AND gm.group_id IN ? AND m.status = ? ORDER BY gm.group_id, m.id LIMIT ?`,
		groups, tenant.StatusActive, maxGroupReaders*len(groups)).Scan(&ps).Error; err != nil {
		return nil, fmt.Errorf("tasks: read group signers: %w", err)
	}
	return ps, nil
}

// readers reports which of ps may read obj now: for a task the members of
// its workspace and the tenant's admins, for a document its readers.
func readers(tx *db.Tx, obj *signObject, ps []person) (map[uuid.UUID]bool, error) {
	out := make(map[uuid.UUID]bool, len(ps))
	if obj.task != nil {
		ids := make([]uuid.UUID, len(ps))
		for i, p := range ps {
			ids[i] = p.ID
		}
		in, err := membersOf(tx, obj.task.t.WorkspaceID, ids)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			out[p.ID] = in[p.ID] || tenant.Role(p.Role) == tenant.RoleAdmin
		}
		return out, nil
	}
	for _, p := range ps {
		if _, done := out[p.ID]; done {
			continue
		}
		ok, err := documents.ReadableDocuments(tx, p.actor(tx.TenantID()), []uuid.UUID{obj.docID})
		if err != nil {
			return nil, err
		}
		out[p.ID] = ok[obj.docID]
	}
	return out, nil
}

// checkSigners makes sure no step names the requester and each names a
// person who can read obj, or a group with such a member besides the
// requester. An unknown person or group is told like one who cannot read.
func checkSigners(tx *db.Tx, obj *signObject, requester uuid.UUID, steps []Signer) error {
	var people, groups []uuid.UUID
	for _, st := range steps {
		if st.MembershipID != nil {
			if *st.MembershipID == requester {
				return errs.InvalidField("steps", errs.M("tasks.signoff-requester-in-steps", "Wer um Mitzeichnung bittet, kann nicht selbst mitzeichnen. Bitte nennen Sie andere Personen.",
					"Whoever asks for sign-off cannot sign off themself. Please name other people."))
			}
			people = append(people, *st.MembershipID)
		} else {
			groups = append(groups, *st.GroupID)
		}
	}
	ps, err := activePeople(tx, people)
	if err != nil {
		return err
	}
	rd, err := readers(tx, obj, ps)
	if err != nil {
		return err
	}
	for _, id := range people {
		if !rd[id] {
			return errs.InvalidField("steps", errs.M("tasks.signoff-signer-cannot-read", "Mitzeichnen kann nur, wer die Aufgabe oder das Dokument lesen kann. Eine der genannten Personen kann das nicht.",
				"Only someone who can read the task or document can sign it off. One of the people named cannot."))
		}
	}
	return checkGroupSigners(tx, obj, requester, groups)
}

func checkGroupSigners(tx *db.Tx, obj *signObject, requester uuid.UUID, groups []uuid.UUID) error {
	if len(groups) == 0 {
		return nil
	}
	var n int64
	if err := tx.Table("groups").Where("id IN ?", groups).Count(&n).Error; err != nil {
		return fmt.Errorf("tasks: check groups: %w", err)
	}
	noReader := errs.InvalidField("steps", errs.M("tasks.signoff-group-no-reader", "Eine der genannten Gruppen hat kein Mitglied außer Ihnen, das die Aufgabe oder das Dokument lesen kann.",
		"One of the groups named has no member besides you who can read the task or document."))
	if n != int64(len(groups)) {
		return noReader
	}
	ps, err := groupPeople(tx, groups)
	if err != nil {
		return err
	}
	var others []person
	for _, p := range ps {
		if p.ID != requester {
			others = append(others, p)
		}
	}
	rd, err := readers(tx, obj, others)
	if err != nil {
		return err
	}
	found := map[uuid.UUID]bool{}
	for _, p := range others {
		if rd[p.ID] {
			found[p.GroupID] = true
		}
	}
	for _, g := range groups {
		if !found[g] {
			return noReader
		}
	}
	return nil
}

// turnSteps are the steps of a running request that may be decided now:
// every pending one in parallel, the first pending one in sequence.
func turnSteps(r *signoffRow, steps []stepRow) []stepRow {
	if r.State != SignoffRunning {
		return nil
	}
	var out []stepRow
	for _, st := range steps {
		if st.State != StepPending {
			continue
		}
		out = append(out, st)
		if r.Mode == Sequence {
			break
		}
	}
	return out
}

// notifyTurn tells the signers whose turn it is (the members of a group
// that can read the object) that their sign-off is asked for.
func (s *Service) notifyTurn(ctx context.Context, tx *db.Tx, actor uuid.UUID, r *signoffRow, obj *signObject, steps []stepRow) error {
	if s.notify == nil {
		return nil
	}
	var people, groups []uuid.UUID
	for _, st := range turnSteps(r, steps) {
		if st.MembershipID != nil {
			people = append(people, *st.MembershipID)
		} else {
			groups = append(groups, *st.GroupID)
		}
	}
	ps, err := activePeople(tx, people)
	if err != nil {
		return err
	}
	gs, err := groupPeople(tx, groups)
	if err != nil {
		return err
	}
	ids, err := told(tx, obj, append(ps, gs...), r.RequestedBy, actor)
	if err != nil {
		return err
	}
	text := notify.Text{DE: "Bitte prüfen und mitzeichnen oder mit Begründung zurückgeben.", EN: "Please review it and sign it off, or return it with a reason."}
	if r.Note != "" {
		text = notify.Text{DE: notify.Clip(r.Note), EN: notify.Clip(r.Note)}
	}
	return s.emitSignoff(ctx, tx, notify.KindSignoffRequested, actor, obj, ids,
		notify.Text{DE: notify.Clip("Bitte um Mitzeichnung: „" + obj.title + "“"), EN: notify.Clip("Sign-off requested: “" + obj.title + "”")}, text)
}

// notifyDecided tells the requester that the request ended approved or returned.
func (s *Service) notifyDecided(ctx context.Context, tx *db.Tx, actor uuid.UUID, r *signoffRow, obj *signObject, comment string) error {
	if s.notify == nil {
		return nil
	}
	ps, err := activePeople(tx, []uuid.UUID{r.RequestedBy})
	if err != nil {
		return err
	}
	ids, err := told(tx, obj, ps, actor, actor)
	if err != nil {
		return err
	}
	title := notify.Text{DE: notify.Clip("Mitgezeichnet: „" + obj.title + "“"), EN: notify.Clip("Signed off: “" + obj.title + "”")}
	text := notify.Text{DE: "Alle Schritte der Mitzeichnung sind erteilt.", EN: "Every step of the sign-off was approved."}
	if r.State == SignoffReturned {
		title = notify.Text{DE: notify.Clip("Mitzeichnung zurückgegeben: „" + obj.title + "“"), EN: notify.Clip("Sign-off returned: “" + obj.title + "”")}
		text = notify.Text{DE: notify.Clip(comment), EN: notify.Clip(comment)}
	}
	return s.emitSignoff(ctx, tx, notify.KindSignoffDecided, actor, obj, ids, title, text)
}

// told are the distinct readers of obj among ps, leaving out two people
// (the requester and whoever acts).
func told(tx *db.Tx, obj *signObject, ps []person, skip1, skip2 uuid.UUID) ([]uuid.UUID, error) {
	seen := map[uuid.UUID]bool{skip1: true, skip2: true}
	var cand []person
	for _, p := range ps {
		if !seen[p.ID] {
			seen[p.ID] = true
			cand = append(cand, p)
		}
	}
	rd, err := readers(tx, obj, cand)
	if err != nil {
		return nil, err
	}
	var ids []uuid.UUID
	for _, p := range cand {
		if rd[p.ID] {
			ids = append(ids, p.ID)
		}
	}
	return ids, nil
}

// emitSignoff sends one notification about obj to ids (none: nothing).
func (s *Service) emitSignoff(ctx context.Context, tx *db.Tx, kind string, actor uuid.UUID, obj *signObject, ids []uuid.UUID, title, text notify.Text) error {
	if len(ids) == 0 {
		return nil
	}
	e := notify.Event{Kind: kind, ObjectType: "document", ObjectID: obj.docID, Actor: actor, At: s.now(),
		Link: "documents/d/" + obj.docID.String(), Title: title, Text: text, Recipients: notify.To(ids...)}
	if obj.task != nil {
		ws := obj.task.t.WorkspaceID
		e.ObjectType, e.ObjectID, e.WorkspaceID, e.Link = "task", obj.task.t.ID, &ws, "tasks/"+obj.task.t.ID.String()
	}
	if _, err := s.notify.Emit(ctx, tx, e); err != nil {
		return fmt.Errorf("tasks: notify %s: %w", kind, err)
	}
	return nil
}
