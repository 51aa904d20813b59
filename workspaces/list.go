package workspaces

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// ListScope says which workspaces a list holds.
type ListScope string

// The list scopes.
const (
	// Mine: the workspaces the caller is a member of.
	Mine ListScope = "mine"
	// Directory: the open workspaces (staff), the caller's own among them.
	Directory ListScope = "directory"
	// All: every workspace of the tenant (admins only).
	All ListScope = "all"
)

// Filter selects a page of workspaces.
type Filter struct {
	// Scope is Mine when empty.
	Scope ListScope
	// State is Active, Archived, or "" for both.
	State State
	// Cursor continues a previous page (its NextCursor); empty starts.
	Cursor string
	// Limit is the page size (default 50, at most 200).
	Limit int
}

// Page is one page of workspaces, by name.
type Page struct {
	Workspaces []Workspace
	// NextCursor is empty on the last page.
	NextCursor string
}

// cursor is the opaque position of a keyset page: the last name key and id.
type cursor struct {
	Key string    `json:"k"`
	ID  uuid.UUID `json:"id"`
}

func (c cursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	if s == "" {
		return nil, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err != nil || len(b) > 4096 || json.Unmarshal(b, &c) != nil || c.ID == uuid.Nil {
		return nil, errs.InvalidField("cursor", errs.M("workspaces.page-cursor-invalid", "Die Seitenmarke ist ungültig. Bitte die Liste neu laden.", "The page cursor is invalid. Please reload the list."))
	}
	return &c, nil
}

func (f *Filter) validate() error {
	switch f.Scope {
	case "":
		f.Scope = Mine
	case Mine, Directory, All:
	default:
		return errs.InvalidField("scope", errs.M("workspaces.unknown-scope", "Unbekannte Auswahl: erlaubt sind mine, directory und all.", "Unknown scope: allowed are mine, directory and all."))
	}
	if f.State != "" && f.State != Active && f.State != Archived {
		return errs.InvalidField("state", errs.M("workspaces.unknown-state", "Unbekannter Zustand: erlaubt sind active und archived.", "Unknown state: allowed are active and archived."))
	}
	switch {
	case f.Limit <= 0:
		f.Limit = DefaultPage
	case f.Limit > MaxPage:
		f.Limit = MaxPage
	}
	return nil
}

// List returns a page of workspaces ordered by name: the caller's own
// (Mine), the directory of open ones (staff), or all (admins).
func (s *Service) List(ctx context.Context, a tenant.Actor, f Filter) (*Page, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, err
	}
	out := &Page{Workspaces: []Workspace{}}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		q, args := viewSelect, []any{a.MembershipID}
		switch f.Scope {
		case Mine:
			q += " AND w.id IN (SELECT mm.workspace_id FROM workspace_members mm WHERE mm.tenant_id = @tenant AND mm.membership_id = ?)"
			args = append(args, a.MembershipID)
		case Directory:
			if !isStaff(a) {
				return errForbidden()
			}
			q += " AND w.visibility = 'open'"
		case All:
			if !a.IsAdmin() {
				return errForbidden()
			}
		}
		if f.State != "" {
			q += " AND w.state = ?"
			args = append(args, string(f.State))
		}
		if cur != nil {
			q += " AND (w.name_key > ? OR (w.name_key = ? AND w.id > ?))"
			args = append(args, cur.Key, cur.Key, cur.ID)
		}
		q += " ORDER BY w.name_key, w.id LIMIT ?"
		args = append(args, f.Limit+1)
		var rows []viewRow
		if err := tx.Raw(q, args...).Scan(&rows).Error; err != nil {
			return fmt.Errorf("workspaces: list: %w", err)
		}
		if len(rows) > f.Limit {
			rows = rows[:f.Limit]
			last := rows[f.Limit-1]
			out.NextCursor = cursor{Key: last.R.NameKey, ID: last.R.ID}.encode()
		}
		for i := range rows {
			sc := scope{a: a, w: rows[i]}
			out.Workspaces = append(out.Workspaces, *sc.workspace())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
