package documents

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// DocumentFilter selects live documents. All set conditions must hold.
type DocumentFilter struct {
	// FolderID limits the search to one folder (uuid.Nil: every folder).
	FolderID uuid.UUID
	// Recursive extends FolderID to its whole subtree.
	Recursive bool
	// TitleContains matches a case-insensitive substring of the title.
	TitleContains string
	// FilePlanRef matches a prefix of the file-plan reference (Aktenzeichen).
	FilePlanRef string
	// Tags must all be present.
	Tags []string
	// Metadata fields must all have exactly these values.
	Metadata map[string]string
	Page
}

// DocumentPage is one page of documents, ordered by title.
type DocumentPage struct {
	Documents  []Document
	NextCursor string
}

// ListDocuments returns one page of the live documents directly in a
// folder the actor can read (NotFound otherwise).
func (s *Service) ListDocuments(ctx context.Context, a tenant.Actor, folderID uuid.UUID, p Page) (*DocumentPage, error) {
	if folderID == uuid.Nil {
		return nil, errNotFound()
	}
	return s.FindDocuments(ctx, a, DocumentFilter{FolderID: folderID, Page: p})
}

// findQuery is a validated DocumentFilter.
type findQuery struct {
	cur   *cursor
	title string
	ref   string
	tags  []string
	keys  []string // the metadata keys, sorted
}

// validateDocumentFilter checks a DocumentFilter and normalizes its
// conditions.
func validateDocumentFilter(f DocumentFilter) (*findQuery, error) {
	cur, err := decodeCursor(f.Cursor)
	if err != nil {
		return nil, err
	}
	if f.Recursive && f.FolderID == uuid.Nil {
		return nil, errs.InvalidField("recursive", errs.M("documents.recursive-search-needs-folder", "Eine rekursive Suche braucht einen Ordner.", "A recursive search needs a folder."))
	}
	title := strings.TrimSpace(f.TitleContains)
	if !utf8.ValidString(title) || utf8.RuneCountInString(title) > MaxTitleLen {
		return nil, errs.InvalidField("title", errs.M("documents.search-text-too-long", "Der Suchtext ist zu lang.", "The search text is too long."))
	}
	ref, err := validateFilePlanRef(f.FilePlanRef)
	if err != nil {
		return nil, err
	}
	var tags []string
	if len(f.Tags) > 0 {
		if tags, err = normalizeTags(f.Tags); err != nil {
			return nil, err
		}
	}
	if len(f.Metadata) > MaxMetadataFields {
		return nil, errs.InvalidField("metadata", errs.M("documents.too-many-metadata-fields-search", "Zu viele Metadatenfelder in der Suche.", "Too many metadata fields in the search."))
	}
	keys := make([]string, 0, len(f.Metadata))
	for k := range f.Metadata {
		if err := validateMetadataKey(k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return &findQuery{cur: cur, title: title, ref: ref, tags: tags, keys: keys}, nil
}

// FindDocuments returns one page of the live documents matching f in the
// folders the actor can read, ordered by title. The permission predicate
// is part of the query, so pages are full and cursors stable however few
// documents the actor may see.
func (s *Service) FindDocuments(ctx context.Context, a tenant.Actor, f DocumentFilter) (*DocumentPage, error) {
	fq, err := validateDocumentFilter(f)
	if err != nil {
		return nil, err
	}
	limit := pageLimit(f.Limit)
	out := &DocumentPage{}
	err = s.run(ctx, a, func(tx *db.Tx) error {
		lvl, largs := accessLevel("documents.folder_id", a)
		acc, aargs := accessFilter("documents.folder_id", a, Read)
		q := tx.Table(documentsTable).Select(documentCols+", ? AS access", tx.Expr(lvl, largs...)).
			Where("documents.deleted_at IS NULL").Where(tx.Expr(acc, aargs...))
		if f.FolderID != uuid.Nil {
			if _, err := loadFolder(tx, a, f.FolderID, live); err != nil {
				return err
			}
			if f.Recursive {
				q = q.Where(tx.Expr("documents.folder_id IN ("+subtree+")", f.FolderID))
			} else {
				q = q.Where("documents.folder_id = ?", f.FolderID)
			}
		}
		if fq.title != "" {
			q = q.Where(`documents.title_key LIKE ? ESCAPE '\'`, "%"+escapeLike(foldKey(fq.title))+"%")
		}
		if fq.ref != "" {
			q = q.Where("substr(documents.file_plan_ref, 1, ?) = ?", utf8.RuneCountInString(fq.ref), fq.ref)
		}
		for _, t := range fq.tags {
			q = q.Where(`EXISTS (SELECT 1 FROM document_tags t
				WHERE t.tenant_id = documents.tenant_id AND t.document_id = documents.id AND t.tag = ?)`, t)
		}
		for _, k := range fq.keys {
			q = q.Where("documents.metadata ->> CAST(? AS text) = ?", k, f.Metadata[k])
		}
		if fq.cur != nil {
			q = q.Where("(documents.title_key, documents.id) > (?, ?)", fq.cur.Key, fq.cur.ID)
		}
		var rows []docRow
		if err := q.Order("documents.title_key, documents.id").Limit(limit + 1).Scan(&rows).Error; err != nil {
			return fmt.Errorf("documents: find: %w", err)
		}
		if len(rows) > limit {
			rows = rows[:limit]
			last := rows[limit-1]
			out.NextCursor = cursor{Key: last.TitleKey, ID: last.ID}.encode()
		}
		ids := make([]uuid.UUID, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
		}
		tagsOf, err := loadTags(tx, ids)
		if err != nil {
			return err
		}
		now := s.now()
		out.Documents = make([]Document, len(rows))
		for i := range rows {
			out.Documents[i] = rows[i].toDocument(now, tagsOf[rows[i].ID])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}
