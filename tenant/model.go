// Package tenant holds tenants (agencies), global user accounts, memberships
// with roles, groups and invitations, and the tenant's settings.
package tenant

import (
	"database/sql/driver"
	"encoding/json"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
	"github.com/kollab/kollab/internal/workdays"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Role is a member's role in a tenant.
type Role string

// The roles.
const (
	RoleAdmin     Role = "admin"
	RoleStaff     Role = "staff"
	RoleCommittee Role = "committee"
	RolePartner   Role = "partner"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleStaff, RoleCommittee, RolePartner}

// ParseRole validates a role name.
func ParseRole(s string) (Role, error) {
	r := Role(s)
	if !slices.Contains(Roles, r) {
		return "", errs.InvalidField("role", errs.M("tenant.unknown-role-allowed-admin-staff", "Unbekannte Rolle: erlaubt sind admin, staff, committee und partner.", "Unknown role: allowed are admin, staff, committee and partner."))
	}
	return r, nil
}

// Covers reports whether a member with role r may act with role acting:
// as itself, or an admin as staff (an API token without the admin scope
// acts so, see auth.Principal.Tenant).
func (r Role) Covers(acting Role) bool {
	return r == acting || r == RoleAdmin && acting == RoleStaff
}

// Membership states.
const (
	StatusActive      = "active"
	StatusDeactivated = "deactivated"
)

// Settings are a tenant's policies.
type Settings struct {
	// RequireTOTPRoles lists the roles that must use a second factor.
	RequireTOTPRoles []Role `json:"require_totp_roles"`
	// OParl is the tenant's publication through the OParl 1.1 API.
	OParl OParlSettings `json:"oparl"`
	// Language is the tenant's default language ("de" or "en"; empty is
	// German): the language of mails to people who have no account yet
	// (invitations). A member's own choice (users.locale) wins for them.
	Language string `json:"language,omitempty"`
	// FederalState is the tenant's federal state (Land) as an ISO 3166-2:DE
	// code without the prefix ("BY", "NW", …; see workdays.States); its
	// public holidays are the ones deadlines in working days skip. Empty:
	// the nationwide public holidays only.
	FederalState string `json:"federal_state,omitempty"`
}

// Calendar returns the working-day calendar of the tenant's federal state
// (the nationwide one when none is set).
func (s Settings) Calendar() *workdays.Cal {
	return workdays.Calendar(workdays.State(s.FederalState))
}

// The languages of the web app and of Kollab's mails.
const (
	LangGerman  = "de"
	LangEnglish = "en"
)

// DefaultLanguage is the tenant's default language (German unless set).
func (s Settings) DefaultLanguage() string {
	if s.Language == LangEnglish {
		return LangEnglish
	}
	return LangGerman
}

// OParlSettings say whether and how a tenant publishes its council data
// through the read-only OParl 1.1 API. Off by default: a tenant becomes an
// OParl body only when an admin turns Public on, and even then only its
// public committees, and in them only public, accepted agenda items with
// their frozen session papers, are published.
type OParlSettings struct {
	// Public publishes the tenant as an OParl body.
	Public bool `json:"public"`
	// Website is the agency's own website (absolute http or https URL).
	Website string `json:"website,omitempty"`
	// LegislativeTerms are the body's legislative terms (Wahlperioden),
	// each identified by its start date.
	LegislativeTerms []LegislativeTerm `json:"legislative_terms,omitempty"`
}

// LegislativeTerm is one legislative term (Wahlperiode) of a tenant.
type LegislativeTerm struct {
	Name string `json:"name"`
	// Start is the first day (YYYY-MM-DD); End the last day, empty while open.
	Start string `json:"start"`
	End   string `json:"end,omitempty"`
}

// MaxLegislativeTerms bounds the legislative terms a tenant may list.
const MaxLegislativeTerms = 100

// Validate checks the settings: known roles, an absolute http(s) website,
// and legislative terms with a name, valid dates, an end not before the
// start and distinct start dates.
func (s Settings) Validate() error {
	for _, r := range s.RequireTOTPRoles {
		if _, err := ParseRole(string(r)); err != nil {
			return err
		}
	}

	if s.Language != "" && s.Language != LangGerman && s.Language != LangEnglish {
		return errs.InvalidField("language", errs.M("tenant.choose-language", "Bitte eine Sprache angeben: de oder en.", "Please choose a language: de or en."))
	}
	if !workdays.Valid(workdays.State(s.FederalState)) {
		return errs.InvalidField("federal_state", errs.M("tenant.choose-federal-state", "Bitte ein Bundesland als Kürzel angeben (z. B. BY, NW) oder keines.", "Please give a federal state by its code (e.g. BY, NW), or none."))
	}
	return s.OParl.validate()
}

func (o OParlSettings) validate() error {
	if o.Website != "" {
		u, err := url.Parse(o.Website)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(o.Website) > 2000 {
			return errs.InvalidField("oparl.website", errs.M("tenant.give-website-full-address-http", "Bitte die Website als vollständige Adresse mit http:// oder https:// angeben.", "Please give the website as a full address with http:// or https://."))
		}
	}
	if len(o.LegislativeTerms) > MaxLegislativeTerms {
		return errs.InvalidField("oparl.legislative_terms", errs.M("tenant.most-100-legislative-terms-possible", "Es sind höchstens 100 Wahlperioden möglich.", "At most 100 legislative terms are possible."))
	}
	starts := map[string]bool{}
	for _, lt := range o.LegislativeTerms {
		if n := len([]rune(strings.TrimSpace(lt.Name))); n == 0 || n > 200 || lt.Name != strings.TrimSpace(lt.Name) {
			return errs.InvalidField("oparl.legislative_terms", errs.M("tenant.every-legislative-term-needs-name", "Jede Wahlperiode braucht einen Namen mit 1 bis 200 Zeichen.", "Every legislative term needs a name of 1 to 200 characters."))
		}
		start, err := time.Parse(time.DateOnly, lt.Start)
		if err != nil {
			return errs.InvalidField("oparl.legislative_terms", errs.M("tenant.start-legislative-term-date", "Der Beginn einer Wahlperiode ist ein Datum (JJJJ-MM-TT).", "The start of a legislative term is a date (YYYY-MM-DD)."))
		}
		if lt.End != "" {
			end, err := time.Parse(time.DateOnly, lt.End)
			if err != nil || end.Before(start) {
				return errs.InvalidField("oparl.legislative_terms", errs.M("tenant.end-legislative-term-date", "Das Ende einer Wahlperiode ist ein Datum (JJJJ-MM-TT), nicht vor ihrem Beginn.", "The end of a legislative term is a date (YYYY-MM-DD), not before its start."))
			}
		}
		if starts[lt.Start] {
			return errs.InvalidField("oparl.legislative_terms", errs.M("tenant.two-legislative-terms-cannot-start", "Zwei Wahlperioden können nicht am selben Tag beginnen.", "Two legislative terms cannot start on the same day."))
		}
		starts[lt.Start] = true
	}
	return nil
}

// DefaultSettings require TOTP for admins and partners.
func DefaultSettings() Settings {
	return Settings{RequireTOTPRoles: []Role{RoleAdmin, RolePartner}}
}

// RequiresTOTP reports whether members with role r must enrol a second
// factor. Guests (partners) always must: no setting turns that off.
func (s Settings) RequiresTOTP(r Role) bool {
	return r == RolePartner || slices.Contains(s.RequireTOTPRoles, r)
}

// Scan implements sql.Scanner (JSON text or bytes).
func (s *Settings) Scan(v any) error {
	ok, err := db.ScanJSON(v, s)
	if !ok && err == nil {
		*s = DefaultSettings()
	}
	return err
}

// Value implements driver.Valuer.
func (s Settings) Value() (driver.Value, error) {
	if s.RequireTOTPRoles == nil {
		s.RequireTOTPRoles = []Role{}
	}
	b, err := json.Marshal(s)
	return string(b), err
}

// Tenant is one agency.
type Tenant struct {
	ID        uuid.UUID `gorm:"column:id;primaryKey"`
	Slug      string    `gorm:"column:slug"`
	Name      string    `gorm:"column:name"`
	Settings  Settings  `gorm:"column:settings"`
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// User is a global account; it may be a member of several tenants.
type User struct {
	ID                uuid.UUID  `gorm:"column:id;primaryKey"`
	Email             string     `gorm:"column:email"`
	DisplayName       string     `gorm:"column:display_name"`
	PasswordHash      string     `gorm:"column:password_hash"`
	Locale            string     `gorm:"column:locale"`
	TOTPSecret        []byte     `gorm:"column:totp_secret"`
	TOTPPending       []byte     `gorm:"column:totp_pending"`
	TOTPEnabledAt     *time.Time `gorm:"column:totp_enabled_at"`
	TOTPLastStep      int64      `gorm:"column:totp_last_step"`
	PasswordChangedAt time.Time  `gorm:"column:password_changed_at"`
	// EmailVerifiedAt is when the account's address was proven: by accepting
	// an invitation (its link went to that address) or by the operator who
	// created the account (kollab user create, the first start's admin),
	// who vouches for it. Every way to create an account today sets it; nil
	// marks an address nobody proved (a later self-service address change
	// or single sign-on without a verified address claim must leave it nil),
	// and such an account accepts no invitation (AcceptInvitation).
	EmailVerifiedAt *time.Time `gorm:"column:email_verified_at"`
	CreatedAt       time.Time  `gorm:"column:created_at"`
	UpdatedAt       time.Time  `gorm:"column:updated_at"`
}

// TOTPEnabled reports whether the user has a confirmed second factor.
func (u *User) TOTPEnabled() bool { return u.TOTPEnabledAt != nil && len(u.TOTPSecret) > 0 }

// Membership ties a user to a tenant with a role.
type Membership struct {
	TenantID  uuid.UUID `gorm:"column:tenant_id;primaryKey"`
	ID        uuid.UUID `gorm:"column:id;primaryKey"`
	UserID    uuid.UUID `gorm:"column:user_id"`
	Role      Role      `gorm:"column:role"`
	Status    string    `gorm:"column:status"`
	CreatedAt time.Time `gorm:"column:created_at"`
	UpdatedAt time.Time `gorm:"column:updated_at"`
}

// OwnerTenant implements db.TenantOwned.
func (m *Membership) OwnerTenant() uuid.UUID { return m.TenantID }

// Active reports whether the membership may be used.
func (m *Membership) Active() bool { return m.Status == StatusActive }

// Member is a membership with the account's public fields, for listings.
type Member struct {
	Membership
	Email       string `gorm:"column:email"`
	DisplayName string `gorm:"column:display_name"`
	TOTPEnabled bool   `gorm:"column:totp_enabled"`
}

// UserTenant is one of a user's memberships together with its tenant.
type UserTenant struct {
	Tenant     Tenant
	Membership Membership
}

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)

// ValidateSlug checks a tenant slug (it appears in every URL).
func ValidateSlug(slug string) error {
	if !slugRE.MatchString(slug) {
		return errs.InvalidField("slug", errs.M("tenant.short-name-may-only-contain", "Der Kurzname darf nur Kleinbuchstaben, Ziffern und Bindestriche enthalten (2–63 Zeichen).", "The short name may only contain lower-case letters, digits and hyphens (2–63 characters)."))
	}
	return nil
}

// NormalizeEmail validates an e-mail address and returns the form it is
// stored and mailed in: Unicode NFC, lower case. (Not case-folded: folding
// turns "ß" into "ss", another mailbox and, in a domain, another domain.)
func NormalizeEmail(s string) (string, error) {
	s = norm.NFC.String(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@')+1:], ".") {
		return "", errs.InvalidField("email", errs.M("tenant.enter-valid-mail-address", "Bitte eine gültige E-Mail-Adresse angeben.", "Please enter a valid e-mail address."))
	}
	return norm.NFC.String(strings.ToLower(s)), nil
}

// EmailKey is the form in which two spellings of one address compare equal:
// NFC-normalised, the local part case-folded (Unicode full folding, so
// "JÖRG", "jörg" and a decomposed "jörg" are one), the domain lower-cased
// only (IDNA 2008 keeps "straße.de" and "strasse.de" apart). It decides
// whether an account is the one an invitation was sent to, and keys the
// sign-in throttle per account. It is for comparing, never for storing or
// mailing.
func EmailKey(s string) string {
	s = norm.NFC.String(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return norm.NFC.String(cases.Fold().String(s))
	}
	return norm.NFC.String(cases.Fold().String(s[:at])) + "@" + norm.NFC.String(strings.ToLower(s[at+1:]))
}

// SameEmail reports whether a and b are spellings of one address (EmailKey).
func SameEmail(a, b string) bool { return EmailKey(a) == EmailKey(b) }

// ValidateDisplayName checks a person's name.
func ValidateDisplayName(s string) (string, error) {
	s, err := input.Name("display_name", s)
	if err != nil {
		return "", err
	}
	if s == "" || len([]rune(s)) > 200 {
		return "", errs.InvalidField("display_name", errs.M("tenant.enter-name-1-200-characters", "Bitte einen Namen mit 1 bis 200 Zeichen angeben.", "Please enter a name of 1 to 200 characters."))
	}
	return s, nil
}

// ValidatePassword enforces the password policy (length, per NIST SP 800-63B).
func ValidatePassword(pw string) error {
	n := len([]rune(pw))
	if n < 12 {
		return errs.InvalidField("password", errs.M("tenant.password-must-least-12-characters", "Das Passwort muss mindestens 12 Zeichen lang sein.", "The password must be at least 12 characters long."))
	}
	if len(pw) > 1024 {
		return errs.InvalidField("password", errs.M("tenant.password-may-most-1024-bytes", "Das Passwort darf höchstens 1024 Byte lang sein.", "The password may be at most 1024 bytes long."))
	}
	return nil
}
