package tenant

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/audit"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/meetings/publication"
	"github.com/kollab/kollab/tenant/auth/password"
	"gorm.io/gorm"
)

// Table names.
const (
	tenantsTable      = "tenants"
	usersTable        = "users"
	membershipsTable  = "memberships"
	groupsTable       = "groups"
	groupMembersTable = "group_members"
	invitationsTable  = "invitations"
)

// Service manages tenants, accounts and memberships.
type Service struct {
	db        *db.DB
	passwords *password.Hasher
	// invitationTTL is how long an invitation link stays valid.
	invitationTTL time.Duration
	// groupGrants counts the permission entries that name a group (the
	// documents module's counter, given by the wiring; nil counts none).
	groupGrants GroupGrantCounter
	// admitGuest lets an accepted guest into its workspaces (nil: nothing).
	admitGuest GuestAdmission
}

// An Option sets one of a Service's settings when it is built; a Service
// never changes after NewService.
type Option func(*Service)

// WithGroupGrants sets the counter of the permission entries that name a
// group (the documents module's); without it a group has none.
func WithGroupGrants(count GroupGrantCounter) Option {
	return func(s *Service) { s.groupGrants = count }
}

// NewService returns a tenant service.
func NewService(d *db.DB, passwords *password.Hasher, opts ...Option) *Service {
	s := &Service{db: d, passwords: passwords, invitationTTL: 7 * 24 * time.Hour}
	for _, o := range opts {
		o(s)
	}
	return s
}

// DB returns the database the service works on.
func (s *Service) DB() *db.DB { return s.db }

var errTenantNotFound = errs.Plain(errs.NotFound)

// CreateTenant creates a tenant with default settings.
func (s *Service) CreateTenant(ctx context.Context, slug, name string) (*Tenant, error) {
	if err := ValidateSlug(slug); err != nil {
		return nil, err
	}
	name, err := validateName("name", name)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	t := &Tenant{ID: db.NewID(), Slug: slug, Name: name, Settings: DefaultSettings(), CreatedAt: now, UpdatedAt: now}
	if err := s.db.Global(ctx).Table(tenantsTable).Create(t).Error; err != nil {
		if db.IsUniqueViolation(err) {
			return nil, errs.New(errs.Conflict, errs.M("tenant.tenant-short-name-exists-already", "Ein Mandant mit diesem Kurznamen existiert bereits.", "A tenant with this short name exists already."))
		}
		return nil, fmt.Errorf("tenant: create: %w", err)
	}
	err = s.db.Tenant(ctx, t.ID, func(tx *db.Tx) error {
		_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionTenantCreated, TargetType: "tenant", TargetID: t.ID.String(),
			Details: map[string]string{"slug": slug}})
		return err
	})
	return t, err
}

// TenantBySlug finds a tenant by its slug.
func (s *Service) TenantBySlug(ctx context.Context, slug string) (*Tenant, error) {
	var t Tenant
	err := s.db.Global(ctx).Table(tenantsTable).Where("slug = ?", slug).Take(&t).Error
	if db.IsNotFound(err) {
		return nil, errTenantNotFound
	}
	return &t, err
}

// TenantByID finds a tenant by id.
func (s *Service) TenantByID(ctx context.Context, id uuid.UUID) (*Tenant, error) {
	var t Tenant
	err := s.db.Global(ctx).Table(tenantsTable).Where("id = ?", id).Take(&t).Error
	if db.IsNotFound(err) {
		return nil, errTenantNotFound
	}
	return &t, err
}

// ListTenants returns every tenant, for the operator.
func (s *Service) ListTenants(ctx context.Context) ([]Tenant, error) {
	var ts []Tenant
	err := s.db.Global(ctx).Table(tenantsTable).Order("slug").Find(&ts).Error
	return ts, err
}

// UpdateSettings replaces a tenant's settings and records the change.
func (s *Service) UpdateSettings(ctx context.Context, a Actor, st Settings) (*Tenant, error) {
	if err := a.requireAdmin(); err != nil {
		return nil, err
	}
	tenantID := a.TenantID
	if err := st.Validate(); err != nil {
		return nil, err
	}
	if !slices.Contains(st.RequireTOTPRoles, RolePartner) { // guests always need a second factor
		st.RequireTOTPRoles = append(slices.Clone(st.RequireTOTPRoles), RolePartner)
	}
	var out Tenant
	err := a.Run(ctx, s.db, func(tx *db.Tx) error {
		if err := publication.Watch(tx, publication.Body()); err != nil { // OParl tombstones
			return err
		}
		res := tx.Unscoped().Table(tenantsTable).Where("id = ?", tenantID).
			Updates(map[string]any{"settings": st, "updated_at": db.Now()})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errTenantNotFound
		}
		if err := tx.Unscoped().Table(tenantsTable).Where("id = ?", tenantID).Take(&out).Error; err != nil {
			return err
		}
		roles := ""
		for i, r := range st.RequireTOTPRoles {
			if i > 0 {
				roles += ","
			}
			roles += string(r)
		}
		_, err := audit.Append(ctx, tx, audit.Entry{Action: audit.ActionPolicyChanged, TargetType: "tenant", TargetID: tenantID.String(),
			Details: map[string]string{"require_totp_roles": roles, "oparl_public": fmt.Sprint(st.OParl.Public), "language": st.DefaultLanguage(),
				"federal_state": st.FederalState}})
		return err
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// CreateUser creates a global account with a password: the operator's way
// (command line, first start), whose address therefore counts as verified.
func (s *Service) CreateUser(ctx context.Context, email, displayName, pw string) (*User, error) {
	return s.createUser(ctx, s.db.Global(ctx), email, displayName, pw)
}

func (s *Service) createUser(ctx context.Context, g *gorm.DB, email, displayName, pw string) (*User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, err
	}
	displayName, err = ValidateDisplayName(displayName)
	if err != nil {
		return nil, err
	}
	if err := ValidatePassword(pw); err != nil {
		return nil, err
	}
	hash, err := s.passwords.Hash(ctx, pw)
	if err != nil {
		return nil, err
	}
	now := db.Now()
	// Both ways here prove the address (see User.EmailVerifiedAt): the
	// operator vouches for it, or the invitation link reached it.
	u := &User{ID: db.NewID(), Email: email, DisplayName: displayName, PasswordHash: hash, Locale: "de",
		PasswordChangedAt: now, EmailVerifiedAt: &now, CreatedAt: now, UpdatedAt: now}
	if err := g.Table(usersTable).Create(u).Error; err != nil {
		if db.IsUniqueViolation(err) {
			return nil, errs.New(errs.Conflict, errs.M("tenant.account-mail-address-exists-already", "Zu dieser E-Mail-Adresse gibt es bereits ein Konto.", "An account with this e-mail address exists already."))
		}
		return nil, fmt.Errorf("tenant: create user: %w", err)
	}
	return u, nil
}

// UserByEmail finds an account by e-mail address (case-insensitive).
func (s *Service) UserByEmail(ctx context.Context, email string) (*User, error) {
	email, err := NormalizeEmail(email)
	if err != nil {
		return nil, errs.Plain(errs.NotFound)
	}
	var u User
	err = s.db.Global(ctx).Table(usersTable).Where("email = ?", email).Take(&u).Error
	if db.IsNotFound(err) {
		return nil, errs.Plain(errs.NotFound)
	}
	return &u, err
}

// UserByID finds an account by id.
func (s *Service) UserByID(ctx context.Context, id uuid.UUID) (*User, error) {
	var u User
	err := s.db.Global(ctx).Table(usersTable).Where("id = ?", id).Take(&u).Error
	if db.IsNotFound(err) {
		return nil, errs.Plain(errs.NotFound)
	}
	return &u, err
}

// MailLanguage is the language of a mail to the address email sent on
// behalf of tenant t: the language its account chose (users.locale), else
// the tenant's default language (German unless an admin chose English).
func (s *Service) MailLanguage(ctx context.Context, t *Tenant, email string) string {
	if u, err := s.UserByEmail(ctx, email); err == nil && (u.Locale == LangGerman || u.Locale == LangEnglish) {
		return u.Locale
	}
	return t.Settings.DefaultLanguage()
}

// AddMember makes a user a member of a tenant (operator tooling and first start).
func (s *Service) AddMember(ctx context.Context, tenantID, userID uuid.UUID, role Role) (*Membership, error) {
	if _, err := ParseRole(string(role)); err != nil {
		return nil, err
	}
	var m *Membership
	err := s.db.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		var err error
		m, err = addMember(tx, userID, role)
		if err != nil {
			return err
		}
		if role == RolePartner { // a guest the operator adds: no sponsor yet, the default term
			exp, _ := GuestExpiry(db.Now(), "")
			if err := insertGuest(tx, m.ID, GuestTerms{ExpiresAt: exp}, m.CreatedAt); err != nil {
				return err
			}
		}
		_, err = audit.Append(ctx, tx, audit.Entry{Action: audit.ActionMemberAdded, TargetType: "membership", TargetID: m.ID.String(),
			Details: map[string]string{"user_id": userID.String(), "role": string(role)}})
		return err
	})
	return m, err
}

func addMember(tx *db.Tx, userID uuid.UUID, role Role) (*Membership, error) {
	now := db.Now()
	m := &Membership{TenantID: tx.TenantID(), ID: db.NewID(), UserID: userID, Role: role, Status: StatusActive, CreatedAt: now, UpdatedAt: now}
	if err := tx.Create(membershipsTable, m); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, errs.New(errs.Conflict, errs.M("tenant.person-already-member", "Diese Person ist bereits Mitglied.", "This person is already a member."))
		}
		return nil, fmt.Errorf("tenant: add member: %w", err)
	}
	return m, nil
}

// TenantsOfUser lists the tenants the user is a member of (any status),
// in one query under the user's own membership policy.
func (s *Service) TenantsOfUser(ctx context.Context, userID uuid.UUID) ([]UserTenant, error) {
	var rows []membershipRow
	err := s.db.AsUser(ctx, userID, func(g *gorm.DB) error {
		return g.Raw(membershipSelect+` WHERE m.user_id = ? ORDER BY m.created_at`, userID).Scan(&rows).Error
	})
	if err != nil {
		return nil, err
	}
	out := make([]UserTenant, len(rows))
	for i := range rows {
		out[i] = rows[i].split(userID)
	}
	return out, nil
}

// membershipRow is a tenant joined with one of its memberships.
type membershipRow struct {
	Tenant
	MID        uuid.UUID `gorm:"column:m_id"`
	MRole      Role      `gorm:"column:m_role"`
	MStatus    string    `gorm:"column:m_status"`
	MCreatedAt time.Time `gorm:"column:m_created_at"`
	MUpdatedAt time.Time `gorm:"column:m_updated_at"`
}

const membershipSelect = `SELECT t.id, t.slug, t.name, t.settings, t.created_at, t.updated_at,
	m.id AS m_id, m.role AS m_role, m.status AS m_status, m.created_at AS m_created_at, m.updated_at AS m_updated_at
	FROM tenants t JOIN memberships m ON m.tenant_id = t.id`

func (r *membershipRow) split(userID uuid.UUID) UserTenant {
	return UserTenant{Tenant: r.Tenant, Membership: Membership{TenantID: r.ID, ID: r.MID, UserID: userID, Role: r.MRole,
		Status: r.MStatus, CreatedAt: r.MCreatedAt, UpdatedAt: r.MUpdatedAt}}
}

func validateName(field, s string) (string, error) {
	s, err := input.Name(field, s)
	if err != nil {
		return "", err
	}
	n, err := ValidateDisplayName(s)
	if err != nil {
		return "", errs.InvalidField(field, errs.M("tenant.enter-name-1-200-characters", "Bitte einen Namen mit 1 bis 200 Zeichen angeben.", "Please enter a name of 1 to 200 characters."))
	}
	return n, nil
}

// UpdateProfile changes a user's own display name and language (nil: unchanged).
func (s *Service) UpdateProfile(ctx context.Context, userID uuid.UUID, displayName, locale *string) (*User, error) {
	set := map[string]any{"updated_at": db.Now()}
	if displayName != nil {
		n, err := ValidateDisplayName(*displayName)
		if err != nil {
			return nil, err
		}
		set["display_name"] = n
	}
	if locale != nil {
		if *locale != LangGerman && *locale != LangEnglish {
			return nil, errs.InvalidField("locale", errs.M("tenant.choose-language", "Bitte eine Sprache angeben: de oder en.", "Please choose a language: de or en."))
		}
		set["locale"] = *locale
	}
	res := s.db.Global(ctx).Table(usersTable).Where("id = ?", userID).Updates(set)
	if res.Error != nil {
		return nil, res.Error
	}
	if res.RowsAffected == 0 {
		return nil, errs.Plain(errs.NotFound)
	}
	return s.UserByID(ctx, userID)
}

// SettingsOf reads the settings of tx's own tenant (for a module that
// follows one of them, e.g. the federal state's working days).
func SettingsOf(tx *db.Tx) (Settings, error) {
	var rows []struct {
		Settings Settings `gorm:"column:settings"`
	}
	if err := tx.Unscoped().Table(tenantsTable).Select("settings").Where("id = ?", tx.TenantID()).Scan(&rows).Error; err != nil {
		return Settings{}, fmt.Errorf("tenant: read settings: %w", err)
	}
	if len(rows) == 0 {
		return DefaultSettings(), nil
	}
	return rows[0].Settings, nil
}
