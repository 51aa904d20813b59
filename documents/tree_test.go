package documents_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/db/dbtest"
	"github.com/kollab/kollab/internal/errs"
)

func TestFolderNamesAndMoves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		a := w.folder(t, ag.admin, root.ID, "Bauamt")
		b := w.folder(t, ag.admin, a.ID, "Anträge")
		c := w.folder(t, ag.admin, b.ID, "2026")

		_, err := w.svc.CreateFolder(ctx, ag.alice, uuid.Nil, "Eigene Wurzel")
		wantCode(t, err, errs.Forbidden, "non-admin creates a root")
		_, err = w.svc.CreateFolder(ctx, ag.admin, root.ID, "bauamt")
		wantCode(t, err, errs.Conflict, "sibling name differing in case")
		_, err = w.svc.CreateFolder(ctx, ag.admin, uuid.Nil, "AKTEN")
		wantCode(t, err, errs.Conflict, "duplicate root")
		for _, bad := range []string{"", "  ", "a/b", `a\b`, "..", "x\x00y", "a:b"} {
			_, err = w.svc.CreateFolder(ctx, ag.admin, root.ID, bad)
			wantCode(t, err, errs.Invalid, fmt.Sprintf("name %q", bad))
		}
		// The same name is fine in another folder and in another tenant.
		w.folder(t, ag.admin, b.ID, "Bauamt")
		w.folder(t, w.b.admin, uuid.Nil, "Akten")

		// Into itself or its own subtree: refused, tree unchanged.
		for _, dest := range []uuid.UUID{a.ID, b.ID, c.ID} {
			_, err = w.svc.MoveFolder(ctx, ag.admin, a.ID, dest)
			wantCode(t, err, errs.Conflict, "move into own subtree")
		}
		checkScope(t, w, ag.tenant.ID)
		// A name clash at the destination is refused.
		top2026 := w.folder(t, ag.admin, root.ID, "2026")
		_, err = w.svc.MoveFolder(ctx, ag.admin, c.ID, root.ID)
		wantCode(t, err, errs.Conflict, "move onto a sibling's name")
		_, err = w.svc.RenameFolder(ctx, ag.admin, b.ID, "Bauamt") // the child "Bauamt" is not a sibling
		must(t, err)
		_, err = w.svc.RenameFolder(ctx, ag.admin, b.ID, "Anträge")
		must(t, err)
		_, err = w.svc.RenameFolder(ctx, ag.admin, c.ID, "BAUAMT")
		wantCode(t, err, errs.Conflict, "rename onto a sibling's name")
		// Moving the middle of the chain up and to the root.
		moved, err := w.svc.MoveFolder(ctx, ag.admin, b.ID, root.ID)
		must(t, err)
		if *moved.ParentID != root.ID {
			t.Fatalf("moved: %+v", moved)
		}
		_, err = w.svc.MoveFolder(ctx, ag.admin, b.ID, uuid.Nil)
		must(t, err)
		_, err = w.svc.MoveFolder(ctx, ag.admin, a.ID, c.ID) // c is no longer below a
		must(t, err)
		checkScope(t, w, ag.tenant.ID)
		if got := w.auditCount(t, ag.tenant.ID, documents.ActionFolderMoved); got != 3 {
			t.Fatalf("move events: %d", got)
		}
		// Writers may not move folders (manage); non-admins may not make roots.
		w.grant(t, ag.admin, root.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Manage)
		_, err = w.svc.MoveFolder(ctx, ag.alice, top2026.ID, uuid.Nil)
		wantCode(t, err, errs.Forbidden, "non-admin moves to the root level")
	})
}

func TestCopy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		src := w.folder(t, ag.admin, uuid.Nil, "Vorlage")
		sub := w.folder(t, ag.admin, src.ID, "Unterlagen")
		secret := w.folder(t, ag.admin, src.ID, "Personal")
		dest := w.folder(t, ag.admin, uuid.Nil, "Projekt")
		w.grant(t, ag.admin, src.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Read)
		w.grant(t, ag.admin, dest.ID, documents.UserPrincipal(ag.alice.MembershipID), documents.Write)
		w.grant(t, ag.admin, dest.ID, documents.GroupPrincipal(ag.group.ID), documents.Read)
		_, err := w.svc.SetInheritance(ctx, ag.admin, secret.ID, false, false)
		must(t, err)
		meta := documents.Metadata{"absender": "Landkreis"}
		orig, err := w.svc.CreateDocument(ctx, ag.admin, sub.ID, documents.DocumentInput{
			Title: "Bauantrag", Description: "Neubau", FilePlanRef: "621.41", Tags: []string{"bau", "2026"}, Metadata: meta})
		must(t, err)
		w.doc(t, ag.admin, secret.ID, "Personalakte")

		// alice copies what she can read into a folder she can write.
		cp, err := w.svc.CopyFolder(ctx, ag.alice, src.ID, dest.ID, "")
		must(t, err)
		if cp.Name != "Vorlage" || *cp.ParentID != dest.ID || !cp.InheritACL || cp.Access != documents.Write {
			t.Fatalf("copy: %+v", cp)
		}
		if names := w.childNames(t, ag.admin, cp.ID); !slices.Equal(names, []string{"Unterlagen"}) {
			t.Fatalf("copied children: %v (the unreadable folder must not be copied)", names)
		}
		found, err := w.svc.FindDocuments(ctx, ag.admin, documents.DocumentFilter{FolderID: cp.ID, Recursive: true})
		must(t, err)
		if len(found.Documents) != 1 {
			t.Fatalf("copied documents: %+v", found.Documents)
		}
		c := found.Documents[0]
		if c.ID == orig.ID || c.Title != "Bauantrag" || c.Description != "Neubau" || c.FilePlanRef != "621.41" ||
			!slices.Equal(c.Tags, []string{"2026", "bau"}) || c.Metadata["absender"] != "Landkreis" || c.Version != 1 {
			t.Fatalf("copied document: %+v", c)
		}
		// The copy inherits the destination's permissions: bob reads it.
		if _, err := w.svc.GetDocument(ctx, ag.bob, c.ID); err != nil {
			t.Fatalf("bob reads the copy: %v", err)
		}
		if _, err := w.svc.GetDocument(ctx, ag.bob, orig.ID); !isNotFound(err) {
			t.Fatalf("bob reads the original: %v", err)
		}
		// Name clash, own subtree, no write on the destination.
		_, err = w.svc.CopyFolder(ctx, ag.alice, src.ID, dest.ID, "")
		wantCode(t, err, errs.Conflict, "copy onto an existing name")
		_, err = w.svc.CopyFolder(ctx, ag.admin, src.ID, sub.ID, "Kopie")
		wantCode(t, err, errs.Conflict, "copy into own subtree")
		_, err = w.svc.CopyFolder(ctx, ag.alice, dest.ID, src.ID, "Kopie")
		wantCode(t, err, errs.Forbidden, "copy without write on the destination")
		_, err = w.svc.CopyFolder(ctx, ag.bob, src.ID, dest.ID, "Kopie")
		wantCode(t, err, errs.NotFound, "copy of an unreadable folder")

		// A document copy: metadata only, new title, version 1.
		dc, err := w.svc.CopyDocument(ctx, ag.alice, orig.ID, dest.ID, "Bauantrag (Kopie)")
		must(t, err)
		if dc.FolderID != dest.ID || dc.Title != "Bauantrag (Kopie)" || dc.FilePlanRef != "621.41" || len(dc.Tags) != 2 || dc.Version != 1 {
			t.Fatalf("document copy: %+v", dc)
		}
		_, err = w.svc.CopyDocument(ctx, ag.alice, orig.ID, src.ID, "")
		wantCode(t, err, errs.Forbidden, "document copy without write")
		// Limits of one deep copy.
		w.configure(documents.WithCopyLimits(1, 10000))
		_, err = w.svc.CopyFolder(ctx, ag.admin, src.ID, dest.ID, "Zu groß")
		wantCode(t, err, errs.TooLarge, "copy over the folder limit")
		w.configure(documents.WithCopyLimits(100, 0))
		_, err = w.svc.CopyFolder(ctx, ag.admin, src.ID, dest.ID, "Zu groß")
		wantCode(t, err, errs.TooLarge, "copy over the document limit")
		checkScope(t, w, ag.tenant.ID)
	})
}

// Folder and trash lists page by keyset: every item once, in order, also
// when several items share a deletion time.
func TestListPaging(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		var want []string
		for i := range 5 {
			want = append(want, fmt.Sprintf("Ordner %d", i))
			w.folder(t, ag.admin, root.ID, want[i])
		}
		var got []string
		p := documents.Page{Limit: 2}
		for {
			page, err := w.svc.ListFolders(ctx, ag.admin, root.ID, p)
			must(t, err)
			for _, f := range page.Folders {
				got = append(got, f.Name)
			}
			if page.NextCursor == "" {
				break
			}
			p.Cursor = page.NextCursor
		}
		if !slices.Equal(got, want) {
			t.Fatalf("paged folders: %v", got)
		}
		// Five documents and one folder trashed at the same instant.
		trashed := map[uuid.UUID]bool{}
		for i := range 5 {
			doc := w.doc(t, ag.admin, root.ID, fmt.Sprintf("Dokument %d", i))
			must(t, w.svc.DeleteDocument(ctx, ag.admin, doc.ID, 0))
			trashed[doc.ID] = true
		}
		sub := w.folder(t, ag.admin, root.ID, "Weg")
		must(t, w.svc.DeleteFolder(ctx, ag.admin, sub.ID))
		trashed[sub.ID] = true
		seen := map[uuid.UUID]bool{}
		p = documents.Page{Limit: 2}
		for pages := 0; ; pages++ {
			page, err := w.svc.ListTrash(ctx, ag.admin, p)
			must(t, err)
			for _, it := range page.Items {
				if seen[it.ID] || !trashed[it.ID] {
					t.Fatalf("page %d: %+v", pages, it)
				}
				seen[it.ID] = true
			}
			if page.NextCursor == "" {
				break
			}
			if pages > 5 {
				t.Fatal("trash paging does not end")
			}
			p.Cursor = page.NextCursor
		}
		if len(seen) != len(trashed) {
			t.Fatalf("paged %d trash items, want %d", len(seen), len(trashed))
		}
	})
}

// Random trees, moves and inheritance toggles: after every step the
// closure and the scope tables equal what the parent pointers imply.
func TestScopeStaysConsistent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		rng := rand.New(rand.NewPCG(4, 2))
		var ids []uuid.UUID
		for i := range 3 {
			ids = append(ids, w.folder(t, ag.admin, uuid.Nil, fmt.Sprintf("Wurzel %d", i)).ID)
		}
		for i := range 25 {
			ids = append(ids, w.folder(t, ag.admin, ids[rng.IntN(len(ids))], fmt.Sprintf("Ordner %d", i)).ID)
		}
		for step := range 60 {
			id := ids[rng.IntN(len(ids))]
			switch rng.IntN(3) {
			case 0, 1:
				dest := ids[rng.IntN(len(ids))]
				_, err := w.svc.MoveFolder(ctx, ag.admin, id, dest)
				if err != nil && !errs.Is(err, errs.Conflict) {
					t.Fatalf("step %d: move: %v", step, err)
				}
			case 2:
				f, err := w.svc.GetFolder(ctx, ag.admin, id)
				must(t, err)
				_, err = w.svc.SetInheritance(ctx, ag.admin, id, !f.InheritACL, false)
				must(t, err)
			}
			checkScope(t, w, ag.tenant.ID)
		}
	})
}

// Two concurrent opposite moves cannot build a cycle.
func TestConcurrentMovesKeepTree(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		ag := w.a
		root := w.folder(t, ag.admin, uuid.Nil, "Akten")
		for round := range 5 {
			x := w.folder(t, ag.admin, root.ID, fmt.Sprintf("X%d", round))
			y := w.folder(t, ag.admin, root.ID, fmt.Sprintf("Y%d", round))
			var wg sync.WaitGroup
			errsOut := make([]error, 2)
			for i, pair := range [][2]uuid.UUID{{x.ID, y.ID}, {y.ID, x.ID}} {
				wg.Go(func() { _, errsOut[i] = w.svc.MoveFolder(ctx, ag.admin, pair[0], pair[1]) })
			}
			wg.Wait()
			ok := 0
			for _, err := range errsOut {
				if err == nil {
					ok++
				} else if !errs.Is(err, errs.Conflict) {
					t.Fatalf("round %d: %v", round, err)
				}
			}
			if ok != 1 {
				t.Fatalf("round %d: %d moves succeeded: %v", round, ok, errsOut)
			}
			checkScope(t, w, ag.tenant.ID)
		}
	})
}

// checkScope recomputes folder_paths and folder_acl_scope from the parent
// pointers and inheritance flags and compares them with the tables.
func checkScope(t *testing.T, w *world, tenantID uuid.UUID) {
	t.Helper()
	type folder struct {
		ID         uuid.UUID  `gorm:"column:id"`
		ParentID   *uuid.UUID `gorm:"column:parent_id"`
		InheritACL bool       `gorm:"column:inherit_acl"`
	}
	type pair struct {
		A uuid.UUID `gorm:"column:a"`
		B uuid.UUID `gorm:"column:b"`
		N int       `gorm:"column:n"`
	}
	var folders []folder
	var paths, scope []pair
	must(t, w.d.Tenant(ctx, tenantID, func(tx *db.Tx) error {
		if err := tx.Table("folders").Select("id, parent_id, inherit_acl").Scan(&folders).Error; err != nil {
			return err
		}
		if err := tx.Table("folder_paths").Select("descendant_id AS a, ancestor_id AS b, depth AS n").Scan(&paths).Error; err != nil {
			return err
		}
		return tx.Table("folder_acl_scope").Select("folder_id AS a, source_id AS b").Scan(&scope).Error
	}))
	byID := map[uuid.UUID]folder{}
	for _, f := range folders {
		byID[f.ID] = f
	}
	wantPaths, wantScope := map[pair]bool{}, map[pair]bool{}
	for _, f := range folders {
		inScope := true
		cur, depth := f, 0
		for {
			if depth > len(folders) {
				t.Fatalf("cycle through %s", f.ID)
			}
			wantPaths[pair{f.ID, cur.ID, depth}] = true
			if inScope {
				wantScope[pair{f.ID, cur.ID, 0}] = true
			}
			if !cur.InheritACL {
				inScope = false
			}
			if cur.ParentID == nil {
				break
			}
			cur, depth = byID[*cur.ParentID], depth+1
		}
	}
	gotPaths, gotScope := map[pair]bool{}, map[pair]bool{}
	for _, p := range paths {
		gotPaths[p] = true
	}
	for _, p := range scope {
		gotScope[p] = true
	}
	if len(paths) != len(gotPaths) || len(scope) != len(gotScope) {
		t.Fatal("duplicate closure or scope rows")
	}
	for name, sets := range map[string][2]map[pair]bool{"folder_paths": {wantPaths, gotPaths}, "folder_acl_scope": {wantScope, gotScope}} {
		for p := range sets[0] {
			if !sets[1][p] {
				t.Fatalf("%s misses %+v", name, p)
			}
		}
		for p := range sets[1] {
			if !sets[0][p] {
				t.Fatalf("%s has extra %+v", name, p)
			}
		}
	}
}
