package documents_test

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/db/migrations"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/internal/testenv"
	"github.com/pressly/goose/v3"
)

// The file-name rules: what Windows cannot use is refused with the reason,
// a derived name is made safe.
func TestFileNameRules(t *testing.T) {
	for _, bad := range []string{"a:b.txt", "frage?.pdf", `zitat".txt`, "a<b", "a>b", "a|b", "a*b", `a\b`, "a/b",
		"Protokoll.", "Protokoll ", " Protokoll", "CON", "con.txt", "Nul", "COM1.pdf", "lpt9", "COM¹", "aux .txt",
		".", "..", "", strings.Repeat("x", 256), "a\u202eb", "a\tb"} {
		_, err := documents.ValidateFileName(bad)
		if !errs.Is(err, errs.Invalid) {
			t.Errorf("ValidateFileName(%q): %v, want invalid", bad, err)
			continue
		}
		if e := errs.As(err); e.Detail.IsZero() {
			t.Errorf("ValidateFileName(%q): no reason", bad)
		}
		safe := documents.SafeFileName(bad)
		if _, err := documents.ValidateFileName(safe); err != nil {
			t.Errorf("SafeFileName(%q) = %q, still invalid: %v", bad, safe, err)
		}
	}
	for _, good := range []string{"Bericht.pdf", "CONSOLE.txt", "con-2.txt", "Ärger über Ämter.odt", ".hidden", "a.b.c", "ﬁle", strings.Repeat("y", 255)} {
		if n, err := documents.ValidateFileName(good); err != nil || n != good {
			t.Errorf("ValidateFileName(%q) = %q, %v", good, n, err)
		}
	}
	// NFD (macOS) comes back in NFC.
	if n, err := documents.ValidateFileName("A\u0308rger.txt"); err != nil || n != "Ärger.txt" {
		t.Errorf("NFD name: %q %v", n, err)
	}
	if documents.FileNameKey("A\u0308RGER.TXT") != documents.FileNameKey("ärger.txt") {
		t.Error("file name keys differ in normalisation or case")
	}
	for name, want := range map[string]string{"a:b?.txt": "a_b_.txt", "Protokoll. ": "Protokoll", "CON.txt": "_CON.txt",
		"": "Datei", "...": "Datei", "x\x00y": "xy"} {
		if got := documents.SafeFileName(name); got != want {
			t.Errorf("SafeFileName(%q) = %q, want %q", name, got, want)
		}
	}
	for name, want := range map[string]bool{".DS_Store": true, "._Bericht.docx": true, "Thumbs.db": true, "thumbs.DB": true,
		"desktop.ini": true, "Desktop.ini": true, "~$Bericht.docx": true, ".~lock.Bericht.odt#": true,
		"Bericht.docx": false, "._": false, "~$": false, ".~lock.x": false, "DS_Store": false} {
		if documents.IsOSHelperName(name) != want {
			t.Errorf("IsOSHelperName(%q) != %v", name, want)
		}
	}
}

// Documents created through the service get a file name apart from their
// title: the upload's name, made safe, with the extension of the content
// type when it has none; numbered when taken. A file name a client chose is
// checked and must be free (case-insensitively, in NFC, also against
// subfolders). Folder names follow the same rules.
func TestFileNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		withStore(t, w)
		a := w.a
		root, err := w.svc.CreateFolder(ctx, a.admin, uuid.Nil, "Akten")
		must(t, err)
		up := func(title, fileName, content string) *documents.Document {
			t.Helper()
			doc, _, err := w.svc.CreateDocumentWithRevision(ctx, a.admin, root.ID, documents.DocumentInput{Title: title},
				documents.Upload{FileName: fileName, Size: int64(len(content))}, strings.NewReader(content))
			must(t, err)
			return doc
		}
		pdf := "%PDF-1.4 Inhalt"
		for _, c := range []struct{ title, file, content, want string }{
			{"Bauantrag Müller", "antrag.pdf", pdf, "antrag.pdf"},
			{"Protokoll", "Protokoll", pdf, "Protokoll.pdf"},
			{"Notiz", "Notiz: Termin?", "Text", "Notiz_ Termin_.txt"},
			{"Zweiter Antrag", "ANTRAG.pdf", pdf, "ANTRAG (2).pdf"},
			{"Gerät", "CON", pdf, "_CON.pdf"},
		} {
			doc := up(c.title, c.file, c.content)
			if doc.FileName != c.want || doc.Title != c.title {
				t.Errorf("upload %q as %q: file name %q, title %q; want %q", c.file, c.title, doc.FileName, doc.Title, c.want)
			}
		}
		// A chosen name: checked, and free only once.
		doc, err := w.svc.CreateDocument(ctx, a.admin, root.ID, documents.DocumentInput{FileName: "A\u0308rger.txt"})
		must(t, err)
		if doc.FileName != "Ärger.txt" || doc.Title != "Ärger.txt" {
			t.Fatalf("chosen name: %q / %q", doc.FileName, doc.Title)
		}
		_, err = w.svc.CreateDocument(ctx, a.admin, root.ID, documents.DocumentInput{FileName: "ÄRGER.TXT", Title: "anders"})
		wantCode(t, err, errs.Conflict, "file name taken in another case")
		_, err = w.svc.CreateDocument(ctx, a.admin, root.ID, documents.DocumentInput{FileName: "Frage?.txt"})
		wantCode(t, err, errs.Invalid, "file name Windows cannot use")
		// The title it would take is taken: numbered, the file name stays.
		doc2, err := w.svc.CreateDocument(ctx, a.admin, root.ID, documents.DocumentInput{FileName: "Bauantrag Müller"})
		must(t, err)
		if doc2.FileName != "Bauantrag Müller" || doc2.Title != "Bauantrag Müller (2)" {
			t.Fatalf("title from a taken name: %q / %q", doc2.FileName, doc2.Title)
		}
		// Folders and documents share the namespace.
		_, err = w.svc.CreateFolder(ctx, a.admin, root.ID, "ärger.TXT")
		wantCode(t, err, errs.Conflict, "folder named like a document")
		sub, err := w.svc.CreateFolder(ctx, a.admin, root.ID, "Anlagen")
		must(t, err)
		name := "anlagen"
		_, err = w.svc.UpdateDocument(ctx, a.admin, doc.ID, doc.Version, documents.DocumentPatch{FileName: &name})
		wantCode(t, err, errs.Conflict, "document renamed like a folder")
		for _, bad := range []string{"Abt.", "NUL", "a:b"} {
			_, err = w.svc.CreateFolder(ctx, a.admin, root.ID, bad)
			wantCode(t, err, errs.Invalid, "folder "+bad)
		}
		// A rename changes the file name only.
		name = "Ärger 2026.txt"
		doc, err = w.svc.UpdateDocument(ctx, a.admin, doc.ID, doc.Version, documents.DocumentPatch{FileName: &name})
		must(t, err)
		if doc.FileName != name || doc.Title != "Ärger.txt" {
			t.Fatalf("rename: %q / %q", doc.FileName, doc.Title)
		}
		// Moving into a folder where the name is taken: conflict.
		up2, _, err := w.svc.CreateDocumentWithRevision(ctx, a.admin, sub.ID, documents.DocumentInput{Title: "Kopie"},
			documents.Upload{FileName: "Ärger 2026.txt", Size: 1}, strings.NewReader("x"))
		must(t, err)
		_, err = w.svc.MoveDocument(ctx, a.admin, doc.ID, sub.ID, 0)
		wantCode(t, err, errs.Conflict, "move onto a taken file name")
		// A copy gets a free name.
		cp, err := w.svc.CopyDocument(ctx, a.admin, up2.ID, sub.ID, "")
		must(t, err)
		if cp.FileName != "Ärger 2026 (Kopie).txt" {
			t.Fatalf("copy's file name: %q", cp.FileName)
		}
	})
}

// Migration 00017 gives every existing document a file name: its title,
// made safe, with the extension of its content type when it has none, and
// distinct among its folder's live documents; the key is the case-folded
// name, as the application computes it.
func TestMigrationGivesFileNames(t *testing.T) {
	for _, dialect := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(dialect), func(t *testing.T) {
			var (
				raw    *sql.DB
				open   db.Options
				mig    db.MigrateOptions
				gd     goose.Dialect
				folder string
				err    error
			)
			if dialect == db.Postgres {
				ownerURL, appURL := testenv.PostgresURLs(t)
				raw, err = sql.Open("pgx", ownerURL)
				open, mig, gd, folder = db.Options{URL: appURL}, db.MigrateOptions{OwnerURL: ownerURL, AppRole: testenv.PostgresAppRole(t)}, goose.DialectPostgres, "postgres"
			} else {
				path := filepath.Join(t.TempDir(), "kollab.db")
				raw, err = sql.Open("sqlite", db.SQLiteDSN(path))
				open, mig, gd, folder = db.Options{SQLitePath: path}, db.MigrateOptions{SQLitePath: path}, goose.DialectSQLite3, "sqlite"
			}
			must(t, err)
			defer raw.Close()
			sub, err := fs.Sub(migrations.FS, folder)
			must(t, err)
			p, err := goose.NewProvider(gd, raw, sub, goose.WithDisableGlobalRegistry(true))
			must(t, err)
			_, err = p.UpTo(ctx, 16)
			must(t, err)
			conn, err := raw.Conn(ctx)
			must(t, err)
			q := func(s string) string {
				if dialect == db.Postgres {
					for n := 1; strings.Contains(s, "?"); n++ {
						s = strings.Replace(s, "?", "$"+strconv.Itoa(n), 1)
					}
				}
				return s
			}
			exec := func(s string, args ...any) {
				t.Helper()
				if _, err := conn.ExecContext(ctx, q(s), args...); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			now := db.Now()
			tid, uid, mid, fid := db.NewID(), db.NewID(), db.NewID(), db.NewID()
			if dialect == db.Postgres {
				exec(`SELECT set_config('app.tenant_id', ?, false)`, tid.String())
			}
			exec(`INSERT INTO tenants (id, slug, name, created_at, updated_at) VALUES (?, 'alt', 'Alt', ?, ?)`, tid, now, now)
			exec(`INSERT INTO users (id, email, display_name, password_hash, password_changed_at, created_at, updated_at) VALUES (?, 'alt@example.org', 'Alt', 'x', ?, ?, ?)`,
				uid, now, now, now)
			exec(`INSERT INTO memberships (tenant_id, id, user_id, role, status, created_at, updated_at) VALUES (?, ?, ?, 'admin', 'active', ?, ?)`,
				tid, mid, uid, now, now)
			exec(`INSERT INTO folders (tenant_id, id, name, name_key, created_at, created_by, updated_at) VALUES (?, ?, 'Akten', 'akten', ?, ?, ?)`,
				tid, fid, now, mid, now)
			type doc struct {
				title, ct, want string
				deleted         bool
			}
			docs := []doc{
				{"Bericht.pdf", "application/pdf", "Bericht.pdf", false},
				{"Bericht", "application/pdf", "", false}, // collides with the one above: gets an id prefix
				{"Ärger", "text/plain; charset=utf-8", "Ärger.txt", false},
				{"Frage: wann?", "", "Frage_ wann_", false},
				{"Abt.", "", "Abt", false},
				{"con", "application/pdf", "_con.pdf", false},
				{"Version 1.2", "application/pdf", "Version 1.2", false},
				{"Bericht", "application/pdf", "Bericht.pdf", true}, // in the trash: no collision counted
				{strings.Repeat("lang ", 60) + "Ende", "", strings.TrimRight(strings.Repeat("lang ", 40), " "), false},
			}
			ids := make([]uuid.UUID, len(docs))
			for i, dc := range docs {
				ids[i] = db.NewID()
				var ct any
				if dc.ct != "" {
					ct = dc.ct
				}
				var del, root any
				if dc.deleted {
					del, root = now, ids[i]
				}
				exec(`INSERT INTO documents (tenant_id, id, folder_id, title, title_key, content_type, created_at, created_by, updated_at, updated_by, deleted_at, trash_root_id)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, tid, ids[i], fid, dc.title, strings.ToLower(dc.title), ct, now, mid, now, mid, del, root)
			}
			must(t, conn.Close())
			must(t, db.Migrate(ctx, mig))
			d, err := db.Open(ctx, open)
			must(t, err)
			defer d.Close()
			type row struct {
				ID          uuid.UUID `gorm:"column:id"`
				FileName    string    `gorm:"column:file_name"`
				FileNameKey string    `gorm:"column:file_name_key"`
			}
			got := map[uuid.UUID]row{}
			must(t, d.Tenant(ctx, tid, func(tx *db.Tx) error {
				var rows []row
				err := tx.Table("documents").Select("id, file_name, file_name_key").Find(&rows).Error
				for _, r := range rows {
					got[r.ID] = r
				}
				return err
			}))
			for i, dc := range docs {
				r := got[ids[i]]
				want := dc.want
				if want == "" {
					want = r.ID.String()[28:] + " Bericht.pdf"
				}
				if r.FileName != want || r.FileNameKey != documents.FileNameKey(want) {
					t.Errorf("%q: file name %q (key %q), want %q", dc.title, r.FileName, r.FileNameKey, want)
				}
			}
		})
	}
}
