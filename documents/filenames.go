package documents

import (
	"fmt"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/input"
)

// File names.
//
// A document has a title (what the web app shows, free text) and a file
// name: the name WebDAV clients see, with its extension. File names follow
// the rules of the strictest file system they end up on, Windows: none of
// \ / : * ? " < > |, no control characters, no trailing dot or space, not a
// device name (CON, NUL, COM1, …, also with an extension), at most 255
// characters. They are stored in Unicode NFC and compare case-insensitively
// (file_name_key): no two live documents of a folder share one, and no
// document shares one with a subfolder (a folder and its documents are one
// namespace in WebDAV). Folder names follow the same rules.
//
// A name a client chooses (WebDAV PUT, MKCOL, MOVE, COPY; a rename) is
// checked with ValidateFileName and refused when it breaks a rule. A name
// derived for the client (an upload's file name in the web app, a title)
// is made safe with SafeFileName and, when taken, numbered.

// windowsForbidden are the characters Windows refuses in a name (besides
// control characters).
const windowsForbidden = `\/:*?"<>|`

// deviceNames are the names Windows reserves for devices, with or without
// an extension, in any case.
var deviceNames = map[string]bool{"con": true, "prn": true, "aux": true, "nul": true,
	"com0": true, "com1": true, "com2": true, "com3": true, "com4": true, "com5": true, "com6": true, "com7": true,
	"com8": true, "com9": true, "com¹": true, "com²": true, "com³": true,
	"lpt0": true, "lpt1": true, "lpt2": true, "lpt3": true, "lpt4": true, "lpt5": true, "lpt6": true, "lpt7": true,
	"lpt8": true, "lpt9": true, "lpt¹": true, "lpt²": true, "lpt³": true}

// isDeviceName reports whether Windows reserves name for a device: its
// part before the first dot, without trailing spaces, is a device name.
func isDeviceName(name string) bool {
	stem, _, _ := strings.Cut(name, ".")
	return deviceNames[strings.ToLower(strings.TrimRight(stem, " "))]
}

// fileNameProblem returns the reason why name is no valid file or folder
// name (the zero Msg when it is one). name is already in NFC.
func fileNameProblem(name string) (detail errs.Msg) {
	n := utf8.RuneCountInString(name)
	switch {
	case !utf8.ValidString(name) || input.CheckName(name) != nil || hasControl(name):
		detail = errs.M("documents.name-contains-control-character", "Der Name enthält ein unzulässiges Zeichen (ein Steuer- oder Richtungszeichen).", "The name contains a character that is not allowed (a control or direction character).")
	case n == 0 || name == "." || name == "..":
		detail = errs.M("documents.name-missing", "Bitte einen Namen angeben.", "Please enter a name.")
	case n > MaxNameLen:
		detail = errs.M("documents.name-too-long", "Der Name ist zu lang (höchstens 255 Zeichen).", "The name is too long (at most 255 characters).")
	case strings.ContainsAny(name, windowsForbidden):
		detail = errs.M("documents.name-windows-forbidden-character", `Der Name darf keines der Zeichen \ / : * ? " < > | enthalten (Windows kann solche Dateien nicht öffnen).`, `The name must not contain any of \ / : * ? " < > | (Windows cannot open such files).`)
	case strings.HasSuffix(name, ".") || strings.HasSuffix(name, " ") || strings.HasPrefix(name, " "):
		detail = errs.M("documents.name-dot-or-space-at-end", "Der Name darf nicht mit einem Punkt oder Leerzeichen enden und nicht mit einem Leerzeichen beginnen.", "The name must not end with a dot or a space, nor begin with a space.")
	case isDeviceName(name):
		detail = errs.M("documents.name-windows-device", "Dieser Name ist unter Windows für Geräte reserviert (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9); bitte einen anderen wählen.", "Windows reserves this name for devices (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9); please choose another.")
	}
	return detail
}

// ValidateFileName checks a file name a client chose and returns it in
// NFC; a name that breaks a rule (see the package's file-name rules) is an
// errs.Invalid for field "file_name" that says which.
func ValidateFileName(name string) (string, error) {
	name = input.NFC(name)
	if p := fileNameProblem(name); !p.IsZero() {
		return "", errs.InvalidField("file_name", p)
	}
	return name, nil
}

// SafeFileName turns any text into a valid file name: forbidden and
// control characters become "_", trailing dots and spaces go, a device
// name gets a "_" in front, a long name is cut to 255 characters keeping
// its extension, and nothing at all becomes "Datei".
func SafeFileName(name string) string {
	name = input.NFC(strings.ToValidUTF8(name, "_"))
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), unicode.Is(unicode.Bidi_Control, r):
			return -1
		case strings.ContainsRune(windowsForbidden, r):
			return '_'
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimRight(name, ". "), " ")
	if name == "" {
		name = "Datei"
	}
	if isDeviceName(name) {
		name = "_" + name
	}
	return cutName(name, MaxNameLen)
}

// cutName shortens name to at most max characters, keeping a short
// extension, without leaving a trailing dot or space.
func cutName(name string, max int) string {
	if utf8.RuneCountInString(name) <= max {
		return name
	}
	ext := path.Ext(name)
	if utf8.RuneCountInString(ext) > 16 {
		ext = ""
	}
	stem := []rune(strings.TrimSuffix(name, ext))
	stem = stem[:max-utf8.RuneCountInString(ext)]
	out := strings.TrimRight(string(stem), ". ") + ext
	if strings.Trim(out, ". ") == "" {
		return "Datei"
	}
	return out
}

// typeExtensions are the extensions of the media types uploads are sniffed
// as (extract.Sniff), given to a derived file name without one.
var typeExtensions = map[string]string{
	"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif",
	"image/tiff": ".tif", "image/webp": ".webp", "image/bmp": ".bmp", "application/zip": ".zip",
	"application/rtf": ".rtf", "text/plain": ".txt", "text/markdown": ".md", "text/html": ".html",
	"text/xml": ".xml", "text/csv": ".csv",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document":   ".docx",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":         ".xlsx",
	"application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
	"application/vnd.ms-word.document.macroEnabled.12":                          ".docm",
	"application/vnd.ms-excel.sheet.macroEnabled.12":                            ".xlsm",
	"application/vnd.ms-powerpoint.presentation.macroEnabled.12":                ".pptm",
	"application/vnd.oasis.opendocument.text":                                   ".odt",
	"application/vnd.oasis.opendocument.spreadsheet":                            ".ods",
	"application/vnd.oasis.opendocument.presentation":                           ".odp",
}

// withExtension returns name with the extension of contentType appended
// when name has no dot at all and the type has a known extension.
func withExtension(name, contentType string) string {
	if strings.Contains(name, ".") {
		return name
	}
	ct, _, _ := strings.Cut(contentType, ";")
	if ext := typeExtensions[strings.TrimSpace(strings.ToLower(ct))]; ext != "" {
		return cutName(name, MaxNameLen-len(ext)) + ext
	}
	return name
}

// OSHelperTTL is how long a helper file (see IsOSHelperName) lives after
// its last write; the sweeper removes it then.
const OSHelperTTL = 24 * time.Hour

// IsOSHelperName reports whether name is one of the helper files that
// operating systems and office programs write next to a user's files:
// .DS_Store and ._* (macOS Finder), Thumbs.db and desktop.ini (Windows
// Explorer), ~$* (Microsoft Office owner files) and .~lock.*# (LibreOffice
// lock files). WebDAV accepts them but keeps them out of the document
// store: no document, no revision, not in the web app or the search, and
// gone after a day.
func IsOSHelperName(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case lower == ".ds_store", lower == "thumbs.db", lower == "desktop.ini":
		return true
	case strings.HasPrefix(name, "._") && len(name) > 2:
		return true
	case strings.HasPrefix(name, "~$") && len(name) > 2:
		return true
	case strings.HasPrefix(name, ".~lock.") && strings.HasSuffix(name, "#") && len(name) > len(".~lock.#"):
		return true
	}
	return false
}

// FileNameKey is the form in which file and folder names compare: NFC,
// case-folded.
func FileNameKey(name string) string { return foldKey(input.NFC(name)) }

func errFileNameTaken() error {
	return errs.New(errs.Conflict, errs.M("documents.folder-already-contains-document-file", "In diesem Ordner gibt es bereits ein Dokument mit diesem Dateinamen.", "This folder already contains a document with this file name."))
}

// fileNameFree answers errs.Conflict when another live document of the
// folder (except, when not uuid.Nil) or a live subfolder has the name.
func fileNameFree(tx *db.Tx, folderID uuid.UUID, name string, except uuid.UUID) error {
	var ids []uuid.UUID
	err := tx.Table(documentsTable).Where("documents.folder_id = ? AND documents.file_name_key = ? AND documents.deleted_at IS NULL AND documents.id <> ?",
		folderID, foldKey(name), except).Limit(1).Pluck("documents.id", &ids).Error
	if err != nil {
		return fmt.Errorf("documents: check file name: %w", err)
	}
	if len(ids) > 0 {
		return errFileNameTaken()
	}
	return noFolderNamed(tx, folderID, name)
}

// numbered returns name with " (n)" before its extension.
func numbered(name string, n int) string {
	ext := path.Ext(name)
	if utf8.RuneCountInString(ext) > 16 || ext == name {
		ext = ""
	}
	suffix := fmt.Sprintf(" (%d)", n)
	stem := cutName(strings.TrimSuffix(name, ext), MaxNameLen-utf8.RuneCountInString(suffix+ext))
	return stem + suffix + ext
}

// freeFileName returns name, or the first free "name (2).ext", "name
// (3).ext", … of the folder.
func freeFileName(tx *db.Tx, folderID uuid.UUID, name string, except uuid.UUID) (string, error) {
	for i := 1; i <= 100; i++ {
		cand := name
		if i > 1 {
			cand = numbered(name, i)
		}
		err := fileNameFree(tx, folderID, cand, except)
		if err == nil {
			return cand, nil
		}
		if !errs.Is(err, errs.Conflict) {
			return "", err
		}
	}
	// A hundred taken: the id's end makes it unique.
	return numbered(name, int(db.NewID().ID()%1000000)+101), nil
}

// freeTitle returns title, or the first free "title (2)", … of the folder.
func freeTitle(tx *db.Tx, folderID uuid.UUID, title string) (string, error) {
	for i := 1; i <= 100; i++ {
		cand := title
		if i > 1 {
			cand = numbered(title, i)
		}
		err := titleFree(tx, folderID, cand, uuid.Nil)
		if err == nil {
			return cand, nil
		}
		if !errs.Is(err, errs.Conflict) {
			return "", err
		}
	}
	return "", errTitleTaken()
}
