package documents

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
)

// Input limits.
const (
	MaxNameLen        = 255
	MaxTitleLen       = 500
	MaxDescriptionLen = 10000
	MaxFilePlanRefLen = 200
	MaxTags           = 50
	MaxTagLen         = 100
	MaxMetadataFields = 50
	MaxMetadataValue  = 2000
	// MaxRetentionDays is the longest retention period (100 years).
	MaxRetentionDays = 36500
)

// foldKey is the case-folded form of a name used for uniqueness and sorting.
// It is computed here, not in SQL, so that both engines agree (SQLite's
// lower() folds ASCII only).
func foldKey(s string) string { return strings.ToLower(s) }

func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// validateName checks a folder name: it becomes a path segment in WebDAV
// and in downloads, so it follows the file-name rules (see filenames.go).
func validateName(s string) (string, error) {
	s, err := input.Name("name", s)
	if err != nil {
		return "", err
	}
	if detail := fileNameProblem(s); !detail.IsZero() {
		return "", errs.InvalidField("name", detail)
	}
	return s, nil
}

func validateTitle(s string) (string, error) {
	s, err := input.Name("title", s)
	if err != nil {
		return "", err
	}
	n := utf8.RuneCountInString(s)
	if !utf8.ValidString(s) || n == 0 || n > MaxTitleLen || hasControl(s) || strings.ContainsAny(s, `/\`) || s == "." || s == ".." {
		return "", errs.InvalidField("title", errs.M("documents.enter-title-1-500-characters", `Bitte einen Titel mit 1 bis 500 Zeichen ohne / und \ angeben.`, "Please enter a title of 1 to 500 characters without / and \\."))
	}
	return s, nil
}

func validateDescription(s string) (string, error) {
	if err := input.Text("description", s); err != nil {
		return "", err
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxDescriptionLen {
		return "", errs.InvalidField("description", errs.M("documents.description-may-most-10000-characters", "Die Beschreibung darf höchstens 10000 Zeichen lang sein.", "The description may be at most 10000 characters long."))
	}
	return strings.TrimSpace(s), nil
}

func validateFilePlanRef(s string) (string, error) {
	s, err := input.Line("file_plan_ref", s)
	if err != nil {
		return "", err
	}
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxFilePlanRefLen || hasControl(s) {
		return "", errs.InvalidField("file_plan_ref", errs.M("documents.file-plan-reference-too-long", "Das Aktenzeichen darf höchstens 200 Zeichen lang sein.", "The file-plan reference may be at most 200 characters long."))
	}
	return s, nil
}

// normalizeTags trims, de-duplicates and sorts tags.
func normalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t, err := input.Line("tags", t)
		if err != nil {
			return nil, err
		}
		t = input.NFC(t)
		n := utf8.RuneCountInString(t)
		if !utf8.ValidString(t) || n == 0 || n > MaxTagLen || hasControl(t) {
			return nil, errs.InvalidField("tags", errs.M("documents.each-tag-needs-1-100", "Jedes Schlagwort braucht 1 bis 100 Zeichen.", "Each tag needs 1 to 100 characters."))
		}
		out = append(out, t)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > MaxTags {
		return nil, errs.InvalidField("tags", errs.M("documents.most-50-tags-per-document", "Höchstens 50 Schlagwörter pro Dokument.", "At most 50 tags per document."))
	}
	return out, nil
}

// metadataKeyRE keeps keys usable as JSON object labels in both engines'
// ->> operator without quoting.
var metadataKeyRE = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

func validateMetadataKey(k string) error {
	if !metadataKeyRE.MatchString(k) {
		return errs.InvalidField("metadata", errs.M("documents.field-names-start-letter-contain", "Feldnamen beginnen mit einem Buchstaben und enthalten nur Buchstaben, Ziffern und _ (höchstens 64 Zeichen).", "Field names start with a letter and contain only letters, digits and _ (at most 64 characters)."))
	}
	return nil
}

func validateMetadata(m Metadata) (Metadata, error) {
	if len(m) > MaxMetadataFields {
		return nil, errs.InvalidField("metadata", errs.M("documents.most-50-metadata-fields-per", "Höchstens 50 Metadatenfelder pro Dokument.", "At most 50 metadata fields per document."))
	}
	out := make(Metadata, len(m))
	for k, v := range m {
		if err := validateMetadataKey(k); err != nil {
			return nil, err
		}
		if err := input.Text("metadata", v); err != nil {
			return nil, err
		}
		if !utf8.ValidString(v) || utf8.RuneCountInString(v) > MaxMetadataValue {
			return nil, errs.InvalidField("metadata", errs.M("documents.metadata-value-may-most-2000", "Ein Metadatenwert darf höchstens 2000 Zeichen lang sein.", "A metadata value may be at most 2000 characters long."))
		}
		out[k] = v
	}
	return out, nil
}

func validateRetention(days *int) error {
	if days != nil && (*days < 0 || *days > MaxRetentionDays) {
		return errs.InvalidField("retention_days", errs.M("documents.retention-period-lies-between-0", "Die Aufbewahrungsfrist liegt zwischen 0 und 36500 Tagen.", "The retention period lies between 0 and 36500 days."))
	}
	return nil
}
