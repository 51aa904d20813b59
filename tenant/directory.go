package tenant

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"gorm.io/gorm"
)

// The member directory: who the colleagues are, for every member of a
// tenant who is not an external partner (guests must not browse the
// agency's staff). It answers two questions: "who is behind these
// membership ids" (history, locks, permission entries: deactivated
// members included and marked) and "whom can I pick" (a search over the
// active members by name and e-mail, and over the groups by name).

// MaxDirectoryIDs is how many ids one directory request may resolve.
const MaxDirectoryIDs = 200

// maxDirectoryQuery bounds the search text (in characters).
const maxDirectoryQuery = 200

// DirectoryMember is a member as their colleagues see them: no account
// details beyond name, address and role.
type DirectoryMember struct {
	MembershipID uuid.UUID `gorm:"column:id"`
	DisplayName  string    `gorm:"column:display_name"`
	Email        string    `gorm:"column:email"`
	Role         Role      `gorm:"column:role"`
	Status       string    `gorm:"column:status"`
}

// Active reports whether the membership is active.
func (m *DirectoryMember) Active() bool { return m.Status == StatusActive }

// DirectoryGroup is a group as members see it.
type DirectoryGroup struct {
	ID   uuid.UUID `gorm:"column:id"`
	Name string    `gorm:"column:name"`
}

// DirectoryQuery asks the directory either to resolve ids (IDs and/or
// GroupIDs) or to search (Query, After, Limit); the two do not mix.
type DirectoryQuery struct {
	// Query is part of a name or e-mail address (groups: of the name); empty lists everyone.
	Query string
	// IDs are membership ids to resolve, whatever their status (at most MaxDirectoryIDs).
	IDs []uuid.UUID
	// GroupIDs are group ids to resolve (at most MaxDirectoryIDs).
	GroupIDs []uuid.UUID
	// After pages a search forward: the last member of the previous page.
	After uuid.UUID
	Limit int
}

// Resolving reports whether q resolves ids rather than searching.
func (q DirectoryQuery) Resolving() bool { return len(q.IDs) > 0 || len(q.GroupIDs) > 0 }

// DirectoryPage is the directory's answer. A search orders members by name;
// Groups come with the first page of a search and with resolved group ids.
type DirectoryPage struct {
	Members []DirectoryMember
	Groups  []DirectoryGroup
	// More is true when a search has another page (after the last member).
	More bool
}

// ParseIDList reads a comma-separated list of ids (spaces allowed, empty
// items and duplicates dropped), at most MaxDirectoryIDs of them.
func ParseIDList(field, s string) ([]uuid.UUID, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]uuid.UUID, 0, len(parts))
	seen := make(map[uuid.UUID]bool, len(parts))
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		id, err := uuid.Parse(p)
		if err != nil || len(p) != 36 {
			return nil, errs.InvalidField(field, errs.M("tenant.give-ids-uuids-separated-commas", "Bitte Kennungen (UUIDs) durch Kommas getrennt angeben.", "Please give ids (UUIDs) separated by commas."))
		}
		if seen[id] {
			continue
		}
		seen[id] = true
		out = append(out, id)
		if len(out) > MaxDirectoryIDs {
			return nil, errs.InvalidField(field, errs.M("tenant.give-most-200-ids-once", "Bitte höchstens 200 Kennungen auf einmal angeben.", "Please give at most 200 ids at once."))
		}
	}
	return out, nil
}

// Directory answers a member's directory request, in the transaction that
// checks the actor (Actor.Run): partners are refused (Forbidden). Ids of
// other tenants and unknown ids simply do not resolve; a search finds
// active members only.
func (s *Service) Directory(ctx context.Context, a Actor, q DirectoryQuery) (*DirectoryPage, error) {
	if a.Role == RolePartner || a.Role == "" {
		return nil, errs.New(errs.Forbidden, errs.M("tenant.member-directory-not-available-external", "Das Mitgliederverzeichnis steht externen Partnerinnen und Partnern nicht zur Verfügung.", "The member directory is not available to external partners."))
	}
	if len(q.IDs) > MaxDirectoryIDs {
		return nil, errs.InvalidField("ids", errs.M("tenant.give-most-200-ids-once", "Bitte höchstens 200 Kennungen auf einmal angeben.", "Please give at most 200 ids at once."))
	}
	if len(q.GroupIDs) > MaxDirectoryIDs {
		return nil, errs.InvalidField("group_ids", errs.M("tenant.give-most-200-ids-once", "Bitte höchstens 200 Kennungen auf einmal angeben.", "Please give at most 200 ids at once."))
	}
	q.Query = strings.TrimSpace(q.Query)
	if utf8.RuneCountInString(q.Query) > maxDirectoryQuery || !utf8.ValidString(q.Query) {
		return nil, errs.InvalidField("q", errs.M("tenant.search-text-may-most-200", "Der Suchbegriff darf höchstens 200 Zeichen lang sein.", "The search text may be at most 200 characters long."))
	}
	if q.Resolving() && (q.Query != "" || q.After != uuid.Nil) {
		return nil, errs.InvalidField("ids", errs.M("tenant.ids-and-search-exclusive", "Kennungen auflösen und suchen geht nicht in einer Anfrage: bitte entweder ids/group_ids oder q/cursor angeben.", "Resolving ids and searching do not go together in one request: please give either ids/group_ids or q/cursor."))
	}
	if q.Limit <= 0 || q.Limit > MaxPage {
		q.Limit = 50
	}
	page := &DirectoryPage{Members: []DirectoryMember{}, Groups: []DirectoryGroup{}}
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		if q.Resolving() {
			return resolveDirectory(tx, q, page)
		}
		return searchDirectory(tx, q, page)
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

func directoryQuery(tx *db.Tx) *gorm.DB {
	return tx.Table(membershipsTable).
		Select("memberships.id, memberships.role, memberships.status, u.email, u.display_name").
		Joins("JOIN users u ON u.id = memberships.user_id")
}

func resolveDirectory(tx *db.Tx, q DirectoryQuery, page *DirectoryPage) error {
	if len(q.IDs) > 0 {
		if err := directoryQuery(tx).Where("memberships.id IN ?", q.IDs).
			Order("lower(u.display_name), memberships.id").Scan(&page.Members).Error; err != nil {
			return err
		}
	}
	if len(q.GroupIDs) > 0 {
		if err := tx.Table(groupsTable).Select("groups.id, groups.name").Where("groups.id IN ?", q.GroupIDs).
			Order("lower(groups.name), groups.id").Scan(&page.Groups).Error; err != nil {
			return err
		}
	}
	return nil
}

func searchDirectory(tx *db.Tx, q DirectoryQuery, page *DirectoryPage) error {
	like := "%" + escapeLike(strings.ToLower(q.Query)) + "%"
	mq := directoryQuery(tx).Where("memberships.status = ?", StatusActive)
	if q.Query != "" {
		mq = mq.Where(`(lower(u.display_name) LIKE ? ESCAPE '\' OR lower(u.email) LIKE ? ESCAPE '\')`, like, like)
	}
	if q.After != uuid.Nil {
		// Keyset paging on (name, id): the cursor is the last member shown,
		// whose name is read again here (an id of another tenant is unknown).
		var names []string
		if err := tx.Table(membershipsTable).Select("lower(u.display_name)").Joins("JOIN users u ON u.id = memberships.user_id").
			Where("memberships.id = ?", q.After).Limit(1).Scan(&names).Error; err != nil {
			return err
		}
		if len(names) == 0 {
			return errs.InvalidField("cursor", errs.M("tenant.cursor-unknown", "Dieser Cursor ist unbekannt: bitte die Suche von vorn beginnen.", "This cursor is unknown: please start the search again."))
		}
		mq = mq.Where("(lower(u.display_name) > ? OR (lower(u.display_name) = ? AND memberships.id > ?))", names[0], names[0], q.After)
	}
	if err := mq.Order("lower(u.display_name), memberships.id").Limit(q.Limit + 1).Scan(&page.Members).Error; err != nil {
		return err
	}
	if len(page.Members) > q.Limit {
		page.Members, page.More = page.Members[:q.Limit], true
	}
	if q.After != uuid.Nil {
		return nil // groups come with the first page
	}
	gq := tx.Table(groupsTable).Select("groups.id, groups.name")
	if q.Query != "" {
		gq = gq.Where(`lower(groups.name) LIKE ? ESCAPE '\'`, like)
	}
	return gq.Order("lower(groups.name), groups.id").Limit(q.Limit).Scan(&page.Groups).Error
}
