package documents

import (
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/tenant"
)

// The permission model in SQL.
//
// folder_acl holds each folder's own entries. folder_acl_scope lists, for
// every folder F, the folders whose entries apply to F: F itself and its
// ancestors up to and including the nearest one (F included) that breaks
// inheritance. The actor's effective level on F is therefore
//
//	MAX(level) over folder_acl_scope s JOIN folder_acl a ON a.folder_id = s.source_id
//	WHERE s.folder_id = F AND a grants to the actor,
//
// where "grants to the actor" is: the actor's role, the actor's membership,
// or a group the membership belongs to. Tenant admins have Manage everywhere.
// Every query that returns folders or documents carries one of the two
// fragments below; nothing is ever filtered after the fact in Go.

// principalMatch is the condition "ACL entry a grants to the actor".
// No entry grants to a guest (an external partner): guests reach exactly
// the folders of their workspaces, through the derived grants below, and
// nothing of the tenant besides, whatever a role, person or group entry
// names.
func principalMatch(a tenant.Actor) (string, []any) {
	if a.Role == tenant.RolePartner {
		return "1 = 0", nil
	}
	return `(a.role = ? OR a.membership_id = ? OR a.group_id IN (
		SELECT gm.group_id FROM group_members gm WHERE gm.tenant_id = @tenant AND gm.membership_id = ?))`,
		[]any{string(a.Role), a.MembershipID, a.MembershipID}
}

// Derived grants. A committee's filing folder (committees.filing_folder_id)
// is read by every seat of the committee whose term is running and written
// by its chair, deputy chair and secretary. These grants are no rows of
// folder_acl: they are derived from committee_members whenever a query
// runs, so that they follow every change of a seat (a new member, a new
// role, an ended term) at once and can never drift. They act like entries
// on the filing folder itself: its subfolders inherit them unless they
// break inheritance (folder_acl_scope). Their highest level is Write;
// managing the folder stays with whoever folder_acl names (and admins).

// committeeManagerRoles are the committee roles that write to the filing folder.
const committeeManagerRoles = "('chair', 'deputy_chair', 'secretary')"

// derivedSources is a FROM fragment over folder_acl_scope s joined with the
// committees whose filing folder is an ACL source and the actor's running
// seats in them; its conditions take the actor's membership and the time
// twice, after the tenant condition the caller writes.
const derivedSources = ` folder_acl_scope s
		JOIN committees c ON c.tenant_id = s.tenant_id AND c.filing_folder_id = s.source_id
		JOIN committee_members cm ON cm.tenant_id = c.tenant_id AND cm.committee_id = c.id`

const derivedSeat = ` AND cm.membership_id = ? AND cm.term_start <= ? AND (cm.term_end IS NULL OR cm.term_end > ?)`

// Derived grants of workspaces. A workspace's folder (workspaces.folder_id,
// package workspaces) follows the workspace's membership the same way:
// owners and members write, readers read, derived from workspace_members
// whenever a query runs (hand edits of that folder's entries are refused,
// see refuseOwnedACL). While the workspace is archived it is frozen: every
// member reads only, and nobody (admins included) holds more than Read on
// the folder or anything below it, whatever folder_acl says. The task
// area and wiki space of a workspace decide their access in their own
// modules from the same workspace_members rows.

// workspaceSources is a FROM fragment over folder_acl_scope s joined with
// the workspaces whose folder is an ACL source and the memberships in
// them; its condition (workspaceMember) takes the actor's membership.
const workspaceSources = ` folder_acl_scope s
		JOIN workspaces w ON w.tenant_id = s.tenant_id AND w.folder_id = s.source_id
		JOIN workspace_members wm ON wm.tenant_id = w.tenant_id AND wm.workspace_id = w.id`

const workspaceMember = ` AND wm.membership_id = ?`

// workspaceWrites is the condition under which a workspace member writes.
const workspaceWrites = `w.state = 'active' AND wm.role IN ('owner', 'member')`

// frozenFolders is an uncorrelated subquery of the ids of the folders in
// the subtree of an archived workspace's folder: read-only for everyone.
const frozenFolders = `SELECT fp.descendant_id FROM folder_paths fp
		JOIN workspaces fw ON fw.tenant_id = fp.tenant_id AND fw.folder_id = fp.ancestor_id
		WHERE fp.tenant_id = @tenant AND fw.state = 'archived'`

// allowedFolders is an uncorrelated subquery returning the ids of the
// folders on which the actor holds at least min, by folder_acl or by a
// derived grant. Written as a set (not a correlated EXISTS) so that both
// planners compute it once per query and join it, however many rows the
// outer query scans.
func allowedFolders(a tenant.Actor, min Level) (string, []any) {
	m, args := principalMatch(a)
	q := `SELECT s.folder_id FROM folder_acl_scope s
		JOIN folder_acl a ON a.tenant_id = s.tenant_id AND a.folder_id = s.source_id
		WHERE s.tenant_id = @tenant AND a.level >= ? AND ` + m
	args = append([]any{int(min)}, args...)
	if min <= Write {
		now := db.Now()
		q += ` UNION SELECT s.folder_id FROM` + derivedSources + ` WHERE s.tenant_id = @tenant` + derivedSeat
		args = append(args, a.MembershipID, now, now)
		if min == Write {
			q += ` AND cm.role IN ` + committeeManagerRoles
		}
		q += ` UNION SELECT s.folder_id FROM` + workspaceSources + ` WHERE s.tenant_id = @tenant` + workspaceMember
		args = append(args, a.MembershipID)
		if min == Write {
			q += ` AND ` + workspaceWrites
		}
	}
	if min >= Write {
		q = `SELECT x.folder_id FROM (` + q + `) x WHERE x.folder_id NOT IN (` + frozenFolders + `)`
	}
	return q, args
}

// accessFilter is a WHERE condition: folderCol names a folder on which the
// actor holds at least min. Admins pass, except for writing in a frozen
// (archived workspace's) folder.
func accessFilter(folderCol string, a tenant.Actor, min Level) (string, []any) {
	if a.IsAdmin() {
		if min >= Write {
			return folderCol + " NOT IN (" + frozenFolders + ")", nil
		}
		return "1 = 1", nil
	}
	sub, args := allowedFolders(a, min)
	return folderCol + " IN (" + sub + ")", args
}

// accessLevel is a scalar SQL expression: the actor's effective level on
// the folder folderCol (0 when none), the highest of its folder_acl entries
// and derived grants, at most Read in a frozen folder.
func accessLevel(folderCol string, a tenant.Actor) (string, []any) {
	if a.IsAdmin() {
		return "(CASE WHEN " + folderCol + " IN (" + frozenFolders + ") THEN 1 ELSE 3 END)", nil
	}
	m, args := principalMatch(a)
	now := db.Now()
	args = append(args, a.MembershipID, now, now, a.MembershipID)
	return `(SELECT CASE WHEN MAX(lv.level) > 1 AND ` + folderCol + ` IN (` + frozenFolders + `) THEN 1
		ELSE COALESCE(MAX(lv.level), 0) END FROM (
		SELECT a.level AS level FROM folder_acl_scope s
		JOIN folder_acl a ON a.tenant_id = s.tenant_id AND a.folder_id = s.source_id
		WHERE s.tenant_id = @tenant AND s.folder_id = ` + folderCol + ` AND ` + m + `
		UNION ALL
		SELECT CASE WHEN cm.role IN ` + committeeManagerRoles + ` THEN 2 ELSE 1 END FROM` + derivedSources + `
		WHERE s.tenant_id = @tenant AND s.folder_id = ` + folderCol + derivedSeat + `
		UNION ALL
		SELECT CASE WHEN ` + workspaceWrites + ` THEN 2 ELSE 1 END FROM` + workspaceSources + `
		WHERE s.tenant_id = @tenant AND s.folder_id = ` + folderCol + workspaceMember + `) lv)`, args
}

// effectiveRetention is a scalar SQL expression: the retention in days of
// the folder folderCol, taken from the nearest ancestor-or-self that sets
// one (0 when none does).
func effectiveRetention(folderCol string) string {
	return `COALESCE((SELECT rf.retention_days FROM folder_paths rp
		JOIN folders rf ON rf.tenant_id = rp.tenant_id AND rf.id = rp.ancestor_id
		WHERE rp.tenant_id = @tenant AND rp.descendant_id = ` + folderCol + `
		  AND rf.retention_days IS NOT NULL
		ORDER BY rp.depth LIMIT 1), 0)`
}

// dueCondition is a WHERE condition: a row trashed at deletedCol in folder
// folderCol has outlived its retention at the time given as its one argument.
func dueCondition(tx *db.Tx, deletedCol, folderCol string) string {
	ret := effectiveRetention(folderCol)
	if isPostgres(tx) {
		return deletedCol + " + make_interval(days => " + ret + ") <= ?"
	}
	return "julianday(" + deletedCol + ") + " + ret + " <= julianday(?)"
}

// subtree is a subquery of the ids of root and all its descendants.
const subtree = `SELECT sp.descendant_id FROM folder_paths sp WHERE sp.tenant_id = @tenant AND sp.ancestor_id = ?`

// insertPaths adds the closure rows of a new leaf folder.
func insertPaths(tx *db.Tx, id uuid.UUID, parent *uuid.UUID) error {
	if _, err := exec(tx, `INSERT INTO folder_paths (tenant_id, descendant_id, ancestor_id, depth) VALUES (@tenant, ?, ?, 0)`, id, id); err != nil {
		return err
	}
	if parent == nil {
		return nil
	}
	_, err := exec(tx, `INSERT INTO folder_paths (tenant_id, descendant_id, ancestor_id, depth)
		SELECT tenant_id, ?, ancestor_id, depth + 1 FROM folder_paths WHERE tenant_id = @tenant AND descendant_id = ?`, id, *parent)
	return err
}

// reparentPaths moves the subtree of root under newParent (nil: make it a
// root) in the closure table. The caller has refused cycles.
func reparentPaths(tx *db.Tx, root uuid.UUID, newParent *uuid.UUID) error {
	if _, err := exec(tx, `DELETE FROM folder_paths WHERE tenant_id = @tenant
		AND descendant_id IN (`+subtree+`) AND ancestor_id NOT IN (`+subtree+`)`, root, root); err != nil {
		return err
	}
	if newParent == nil {
		return nil
	}
	_, err := exec(tx, `INSERT INTO folder_paths (tenant_id, descendant_id, ancestor_id, depth)
		SELECT sup.tenant_id, sub.descendant_id, sup.ancestor_id, sup.depth + sub.depth + 1
		FROM folder_paths sup JOIN folder_paths sub ON sub.tenant_id = sup.tenant_id
		WHERE sup.tenant_id = @tenant AND sup.descendant_id = ? AND sub.ancestor_id = ?`, *newParent, root)
	return err
}

// rebuildScope recomputes folder_acl_scope for root and all its
// descendants from the closure and the inheritance flags: F's scope holds
// every ancestor-or-self A such that no folder strictly below A on the path
// down to F (F included) breaks inheritance.
func rebuildScope(tx *db.Tx, root uuid.UUID) error {
	if _, err := exec(tx, `DELETE FROM folder_acl_scope WHERE tenant_id = @tenant AND folder_id IN (`+subtree+`)`, root); err != nil {
		return err
	}
	_, err := exec(tx, `INSERT INTO folder_acl_scope (tenant_id, folder_id, source_id)
		SELECT p.tenant_id, p.descendant_id, p.ancestor_id FROM folder_paths p
		WHERE p.tenant_id = @tenant AND p.descendant_id IN (`+subtree+`)
		  AND NOT EXISTS (
			SELECT 1 FROM folder_paths b
			JOIN folders fb ON fb.tenant_id = b.tenant_id AND fb.id = b.ancestor_id
			WHERE b.tenant_id = p.tenant_id AND b.descendant_id = p.descendant_id
			  AND b.depth < p.depth AND fb.inherit_acl = ?)`, root, false)
	return err
}

// isInSubtree reports whether candidate is root or one of its descendants.
func isInSubtree(tx *db.Tx, root, candidate uuid.UUID) (bool, error) {
	var n int64
	err := tx.Table(pathsTable).Where("ancestor_id = ? AND descendant_id = ?", root, candidate).Count(&n).Error
	return n > 0, err
}
