package meetings

import (
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
)

// Input limits.
const (
	MaxNameLen        = 200
	MaxTitleLen       = 500
	MaxDescriptionLen = 10000
	MaxPlaceLen       = 500
	MaxURLLen         = 2000
	MaxPostLen        = 10000
	MaxReasonLen      = 2000
	MaxWeight         = 1000
	MaxOptions        = 100
	// MaxDenominator bounds the fractions of quorum and custom majorities.
	MaxDenominator = 1000
)

func hasControl(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' }) >= 0
}

// line trims s and checks it is one line of 1 to max characters.
func line(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	return s, utf8.ValidString(s) && n >= 1 && n <= max && strings.IndexFunc(s, unicode.IsControl) < 0
}

// text checks a free text of at most max characters (may be empty).
func text(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	return s, utf8.ValidString(s) && utf8.RuneCountInString(s) <= max && !hasControl(s)
}

func validateName(s string) (string, error) {
	s, err := input.Name("name", s)
	if err != nil {
		return "", err
	}
	s, ok := line(s, MaxNameLen)
	if !ok {
		return "", errs.InvalidField("name", errs.M("tenant.enter-name-1-200-characters", "Bitte einen Namen mit 1 bis 200 Zeichen angeben.", "Please enter a name of 1 to 200 characters."))
	}
	return s, nil
}

func validateTitle(s string) (string, error) {
	s, ok := line(s, MaxTitleLen)
	if !ok {
		return "", errs.InvalidField("title", errs.M("meetings.enter-title-1-500-characters", "Bitte einen Titel mit 1 bis 500 Zeichen angeben.", "Please enter a title of 1 to 500 characters."))
	}
	return s, nil
}

func validateDescription(s string) (string, error) {
	s, ok := text(s, MaxDescriptionLen)
	if !ok {
		return "", errs.InvalidField("description", errs.M("documents.description-may-most-10000-characters", "Die Beschreibung darf höchstens 10000 Zeichen lang sein.", "The description may be at most 10000 characters long."))
	}
	return s, nil
}

// validateQuorum checks a quorum share; the zero value is "more than half".
func validateQuorum(f Fraction) (Fraction, error) {
	if f == (Fraction{}) {
		return Fraction{Num: 1, Den: 2}, nil
	}
	if !f.valid() {
		return f, errs.InvalidField("quorum", errs.M("meetings.quorum-fraction-between-0-1", "Das Quorum ist ein Bruch zwischen 0 und 1, z. B. 1/2.", "The quorum is a fraction between 0 and 1, e.g. 1/2."))
	}
	return f, nil
}

// valid: 0 < Num/Den <= 1, and reachable ("more than all" is not).
func (f Fraction) valid() bool {
	return f.Num >= 1 && f.Den >= f.Num && f.Den <= MaxDenominator && (f.Inclusive || f.Num < f.Den)
}

// validateRule checks a majority rule; the zero value is "simple majority
// of the votes cast".
func validateRule(r Rule) (Rule, error) {
	if r.Majority == "" {
		r.Majority = Simple
	}
	if r.Base == "" {
		r.Base = BaseCast
	}
	if !slices.Contains([]Majority{Simple, Absolute, TwoThirds, Custom}, r.Majority) {
		return r, errs.InvalidField("majority", errs.M("meetings.unknown-majority-rule", "Unbekannte Mehrheitsregel: erlaubt sind simple, absolute, two_thirds und custom.", "Unknown majority rule: allowed are simple, absolute, two_thirds and custom."))
	}
	if !slices.Contains([]Base{BaseCast, BasePresent, BaseMembers}, r.Base) {
		return r, errs.InvalidField("base", errs.M("meetings.unknown-base-allowed-cast-present", "Unbekannte Bezugsgröße: erlaubt sind cast, present und members.", "Unknown base: allowed are cast, present and members."))
	}
	if r.Majority != Custom {
		r.Fraction = Fraction{}
	} else if !r.Fraction.valid() {
		return r, errs.InvalidField("fraction", errs.M("meetings.custom-majority-fraction-between-0", "Die eigene Mehrheit ist ein Bruch zwischen 0 und 1, z. B. 3/5.", "The custom majority is a fraction between 0 and 1, e.g. 3/5."))
	}
	return r, nil
}

func validateRole(r Role) error {
	if !slices.Contains(Roles, r) {
		return errs.InvalidField("role", errs.M("meetings.unknown-committee-role", "Unbekannte Gremienrolle: erlaubt sind chair, deputy_chair, secretary, member, deputy_member und advisory.", "Unknown committee role: allowed are chair, deputy_chair, secretary, member, deputy_member and advisory."))
	}
	return nil
}

// validateOnlineURL accepts an empty link or an absolute http(s) URL.
func validateOnlineURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return s, nil
	}
	u, err := url.Parse(s)
	if err != nil || len(s) > MaxURLLen || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errs.InvalidField("online_url", errs.M("meetings.give-valid-http-https-link", "Bitte einen gültigen http- oder https-Link für die Online-Teilnahme angeben.", "Please give a valid http or https link for online participation."))
	}
	return s, nil
}
