package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/internal/errs"
	"github.com/kollab/kollab/tenant"
)

// The document store's routes: folders, document metadata, permissions,
// check-out locks, legal holds and the trash. Every route is for members
// of the path's tenant; what each member may do is decided by the
// documents service from the folder permissions, never here. (Revisions,
// uploads and downloads are in revision_routes.go.)

const tenantBase = "/api/v1/t/{tenant}"

// actorOf is the caller as the document store knows them: the membership
// that the member guard put into the context.
func actorOf(ctx context.Context) tenant.Actor {
	return tenant.ActorFromMembership(scopeOf(ctx).Membership)
}

// optionalID turns an absent id into uuid.Nil, the services' "none".
func optionalID(id *uuid.UUID) uuid.UUID {
	if id == nil {
		return uuid.Nil
	}
	return *id
}

func documentResult(d *documents.Document, err error) (*documentOut, error) {
	if err != nil {
		return nil, err
	}
	return &documentOut{ETag: etag(d.Version), Body: documentView(d)}, nil
}

func folderResult(f *documents.Folder, err error) (*folderOut, error) {
	if err != nil {
		return nil, err
	}
	return &folderOut{Body: folderView(f)}, nil
}

func folderPage(p *documents.FolderPage, err error) (*foldersOut, error) {
	if err != nil {
		return nil, err
	}
	out := &foldersOut{}
	out.Body.Folders = make([]FolderView, len(p.Folders))
	for i := range p.Folders {
		out.Body.Folders[i] = folderView(&p.Folders[i])
	}
	out.Body.NextCursor = p.NextCursor
	return out, nil
}

func documentPage(p *documents.DocumentPage, err error) (*documentsOut, error) {
	if err != nil {
		return nil, err
	}
	out := &documentsOut{}
	out.Body.Documents = make([]DocumentView, len(p.Documents))
	for i := range p.Documents {
		out.Body.Documents[i] = documentView(&p.Documents[i])
	}
	out.Body.NextCursor = p.NextCursor
	return out, nil
}

func purgeResult(r *documents.PurgeResult, err error) (*purgeOut, error) {
	if err != nil {
		return nil, err
	}
	return &purgeOut{Body: purgeResultView(r)}, nil
}

func aclResult(acl *documents.FolderACL, err error) (*folderACLOut, error) {
	if err != nil {
		return nil, err
	}
	return &folderACLOut{Body: folderACLView(acl)}, nil
}

func (s *Server) folderRoutes() {
	s.folderBrowseRoutes()
	s.folderChangeRoutes()
	s.folderDocumentRoutes()
}

// folderBrowseRoutes: entry folders, subfolders, a folder and its breadcrumb; creating one.
func (s *Server) folderBrowseRoutes() {
	tags := []string{"Ordner"}
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "list-root-folders", Method: http.MethodGet, Path: tenantBase + "/folders", Tags: tags,
		Summary:     "The caller's entry folders, by name, cursor-paginated",
		Description: "The readable folders whose parent the caller cannot read (for admins: the roots), so a folder shared deep in the tree appears here."},
		func(ctx context.Context, in *foldersIn) (*foldersOut, error) {
			return folderPage(docs.ListFolders(ctx, actorOf(ctx), uuid.Nil, in.page()))
		})

	register(s, member, huma.Operation{OperationID: "create-folder", Method: http.MethodPost, Path: tenantBase + "/folders", Tags: tags,
		Summary: "Create a folder (write permission on the parent; a root folder: admins only)", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createFolderIn) (*folderOut, error) {
			return folderResult(docs.CreateFolder(ctx, actorOf(ctx), optionalID(in.Body.ParentID), in.Body.Name))
		})

	register(s, member, huma.Operation{OperationID: "get-folder", Method: http.MethodGet, Path: tenantBase + "/folders/{id}", Tags: tags,
		Summary: "One folder"},
		func(ctx context.Context, in *TenantIDPath) (*folderOut, error) {
			return folderResult(docs.GetFolder(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "get-folder-path", Method: http.MethodGet, Path: tenantBase + "/folders/{id}/path", Tags: tags,
		Summary: "The folder's breadcrumb, from the caller's entry point down to the folder"},
		func(ctx context.Context, in *TenantIDPath) (*folderPathOut, error) {
			refs, err := docs.FolderPath(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &folderPathOut{}
			out.Body.Path = make([]FolderRefView, len(refs))
			for i, r := range refs {
				out.Body.Path[i] = FolderRefView{ID: r.ID, Name: r.Name}
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "list-subfolders", Method: http.MethodGet, Path: tenantBase + "/folders/{id}/children", Tags: tags,
		Summary: "Subfolders the caller can read, by name, cursor-paginated"},
		func(ctx context.Context, in *childrenIn) (*foldersOut, error) {
			return folderPage(docs.ListFolders(ctx, actorOf(ctx), in.ID, in.page()))
		})
}

// folderChangeRoutes: renaming, moving, copying, trashing, restoring and purging a folder, its retention and permissions.
func (s *Server) folderChangeRoutes() {
	tags := []string{"Ordner"}
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "rename-folder", Method: http.MethodPatch, Path: tenantBase + "/folders/{id}", Tags: tags,
		Summary: "Rename a folder (write permission)"},
		func(ctx context.Context, in *renameFolderIn) (*folderOut, error) {
			return folderResult(docs.RenameFolder(ctx, actorOf(ctx), in.ID, in.Body.Name))
		})

	register(s, member, huma.Operation{OperationID: "move-folder", Method: http.MethodPost, Path: tenantBase + "/folders/{id}/move", Tags: tags,
		Summary:     "Move a folder with its subtree (manage permission on it, write on the destination)",
		Description: "Permissions below change with the new ancestors. parent_id null makes the folder a root (admins only)."},
		func(ctx context.Context, in *moveFolderIn) (*folderOut, error) {
			return folderResult(docs.MoveFolder(ctx, actorOf(ctx), in.ID, optionalID(in.Body.ParentID)))
		})

	register(s, member, huma.Operation{OperationID: "copy-folder", Method: http.MethodPost, Path: tenantBase + "/folders/{id}/copy", Tags: tags,
		Summary: "Deep-copy a folder (what the caller can read) into another folder", DefaultStatus: http.StatusCreated,
		Description: "The copy carries names and document metadata, not permissions, retention, holds, locks or revisions."},
		func(ctx context.Context, in *copyFolderIn) (*folderOut, error) {
			return folderResult(docs.CopyFolder(ctx, actorOf(ctx), in.ID, optionalID(in.Body.ParentID), in.Body.Name))
		})

	register(s, member, huma.Operation{OperationID: "trash-folder", Method: http.MethodDelete, Path: tenantBase + "/folders/{id}", Tags: tags,
		Summary: "Move a folder with its subtree to the trash (manage permission)", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *TenantIDPath) (*struct{}, error) {
			return nil, docs.DeleteFolder(ctx, actorOf(ctx), in.ID)
		})

	register(s, member, huma.Operation{OperationID: "restore-folder", Method: http.MethodPost, Path: tenantBase + "/folders/{id}/restore", Tags: tags,
		Summary: "Take a folder and everything trashed with it out of the trash (manage permission)"},
		func(ctx context.Context, in *TenantIDPath) (*folderOut, error) {
			return folderResult(docs.RestoreFolder(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "purge-folder", Method: http.MethodPost, Path: tenantBase + "/folders/{id}/purge", Tags: tags,
		Summary:     "Delete a trashed folder and its subtree for good",
		Description: "Needs manage permission on every folder inside, every document past its retention and none under legal hold."},
		func(ctx context.Context, in *TenantIDPath) (*purgeOut, error) {
			return purgeResult(docs.PurgeFolder(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "set-folder-retention", Method: http.MethodPut, Path: tenantBase + "/folders/{id}/retention", Tags: tags,
		Summary: "Set how long trashed documents in the folder are kept (admins only)"},
		func(ctx context.Context, in *retentionIn) (*folderOut, error) {
			return folderResult(docs.SetFolderRetention(ctx, actorOf(ctx), in.ID, in.Body.RetentionDays))
		})

	s.permissionRoutes(tags)
}

// folderDocumentRoutes: the documents in a folder.
func (s *Server) folderDocumentRoutes() {
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "list-folder-documents", Method: http.MethodGet, Path: tenantBase + "/folders/{id}/documents",
		Tags: []string{"Dokumente"}, Summary: "Documents in a folder, by title, cursor-paginated"},
		func(ctx context.Context, in *childrenIn) (*documentsOut, error) {
			return documentPage(docs.ListDocuments(ctx, actorOf(ctx), in.ID, in.page()))
		})

	register(s, member, huma.Operation{OperationID: "create-document", Method: http.MethodPost, Path: tenantBase + "/folders/{id}/documents",
		Tags: []string{"Dokumente"}, Summary: "Create a document without content (write permission on the folder)", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *createDocumentIn) (*documentOut, error) {
			b := in.Body
			return documentResult(docs.CreateDocument(ctx, actorOf(ctx), in.ID, documents.DocumentInput{
				Title: b.Title, Description: b.Description, FilePlanRef: b.FilePlanRef, Tags: b.Tags, Metadata: b.Metadata}))
		})
}

func (s *Server) permissionRoutes(tags []string) {
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "get-folder-permissions", Method: http.MethodGet, Path: tenantBase + "/folders/{id}/permissions",
		Tags: tags, Summary: "A folder's permission entries, own and inherited (manage permission)"},
		func(ctx context.Context, in *TenantIDPath) (*folderACLOut, error) {
			return aclResult(docs.Permissions(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "set-folder-permission", Method: http.MethodPut, Path: tenantBase + "/folders/{id}/permissions",
		Tags: tags, Summary: "Grant a role, group or member a level on a folder, replacing their previous entry there (manage permission)"},
		func(ctx context.Context, in *setPermissionIn) (*aclEntryOut, error) {
			lvl, err := documents.ParseLevel(in.Body.Level)
			if err != nil {
				return nil, err
			}
			e, err := docs.SetPermission(ctx, actorOf(ctx), in.ID, in.Body.Principal.principal(), lvl)
			if err != nil {
				return nil, err
			}
			return &aclEntryOut{Body: aclEntryView(e)}, nil
		})

	register(s, member, huma.Operation{OperationID: "remove-folder-permission", Method: http.MethodDelete,
		Path: tenantBase + "/folders/{id}/permissions/{entry}", Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary:     "Remove one of a folder's own permission entries (manage permission)",
		Description: "Inherited entries are changed on the folder that holds them (source_folder_id)."},
		func(ctx context.Context, in *permissionEntryPath) (*struct{}, error) {
			a := actorOf(ctx)
			acl, err := docs.Permissions(ctx, a, in.ID)
			if err != nil {
				return nil, err
			}
			for _, e := range acl.Entries {
				if e.ID != in.EntryID {
					continue
				}
				if e.Inherited {
					return nil, errs.New(errs.Conflict, errs.M("api.grant-inherited", "Diese Freigabe ist geerbt. Bitte ändern Sie sie an dem Ordner, der sie vergibt.", "This grant is inherited. Please change it on the folder that grants it."))
				}
				return nil, docs.RemovePermission(ctx, a, in.ID, e.Principal)
			}
			return nil, errs.Plain(errs.NotFound)
		})

	register(s, member, huma.Operation{OperationID: "set-folder-inheritance", Method: http.MethodPut, Path: tenantBase + "/folders/{id}/inheritance",
		Tags: tags, Summary: "Inherit the parent's permissions, or break inheritance (manage permission)"},
		func(ctx context.Context, in *inheritanceIn) (*folderACLOut, error) {
			return aclResult(docs.SetInheritance(ctx, actorOf(ctx), in.ID, in.Body.Inherit, in.Body.CopyInherited))
		})
}

func (s *Server) documentRoutes() {
	s.documentMetadataRoutes()
	s.documentLifecycleRoutes()
}

// documentMetadataRoutes: finding documents; reading, changing, trashing, moving and copying one.
func (s *Server) documentMetadataRoutes() {
	tags := []string{"Dokumente"}
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "find-documents", Method: http.MethodGet, Path: tenantBase + "/documents", Tags: tags,
		Summary: "Documents the caller can read that match every given condition, by title, cursor-paginated"},
		func(ctx context.Context, in *findDocumentsIn) (*documentsOut, error) {
			f := documents.DocumentFilter{FolderID: in.FolderID, Recursive: in.Recursive, TitleContains: strings.Clone(in.Title),
				FilePlanRef: strings.Clone(in.FilePlanRef), Metadata: in.Metadata, Page: in.page()}
			for _, t := range in.Tags {
				f.Tags = append(f.Tags, strings.Clone(t))
			}
			return documentPage(docs.FindDocuments(ctx, actorOf(ctx), f))
		})

	register(s, member, huma.Operation{OperationID: "get-document", Method: http.MethodGet, Path: tenantBase + "/documents/{id}", Tags: tags,
		Summary: "A document's metadata; its version is the ETag"},
		func(ctx context.Context, in *TenantIDPath) (*documentOut, error) {
			return documentResult(docs.GetDocument(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-document", Method: http.MethodPatch, Path: tenantBase + "/documents/{id}", Tags: tags,
		Summary: "Change a document's metadata (write permission; If-Match required)",
		Description: "Absent fields stay; tags and metadata replace the whole set. A stale If-Match answers 412, " +
			"a check-out by someone else 423."},
		func(ctx context.Context, in *documentPatchIn) (*documentOut, error) {
			b := in.Body
			return documentResult(docs.UpdateDocument(ctx, actorOf(ctx), in.ID, in.version, documents.DocumentPatch{
				Title: b.Title, Description: b.Description, FilePlanRef: b.FilePlanRef, Tags: b.Tags, Metadata: b.Metadata}))
		})

	register(s, member, huma.Operation{OperationID: "trash-document", Method: http.MethodDelete, Path: tenantBase + "/documents/{id}", Tags: tags,
		Summary: "Move a document to the trash (write permission; If-Match optional)", DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *documentWriteIn) (*struct{}, error) {
			return nil, docs.DeleteDocument(ctx, actorOf(ctx), in.ID, in.version)
		})

	register(s, member, huma.Operation{OperationID: "move-document", Method: http.MethodPost, Path: tenantBase + "/documents/{id}/move", Tags: tags,
		Summary: "Move a document into another folder (write permission on both; If-Match optional)"},
		func(ctx context.Context, in *moveDocumentIn) (*documentOut, error) {
			return documentResult(docs.MoveDocument(ctx, actorOf(ctx), in.ID, in.Body.FolderID, in.version))
		})

	register(s, member, huma.Operation{OperationID: "copy-document", Method: http.MethodPost, Path: tenantBase + "/documents/{id}/copy", Tags: tags,
		Summary: "Copy a document's metadata into a folder (read permission on it, write on the folder)", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *copyDocumentIn) (*documentOut, error) {
			return documentResult(docs.CopyDocument(ctx, actorOf(ctx), in.ID, in.Body.FolderID, in.Body.Title))
		})
}

// documentLifecycleRoutes: restoring and purging a document, check-out locks and legal holds.
func (s *Server) documentLifecycleRoutes() {
	tags := []string{"Dokumente"}
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "restore-document", Method: http.MethodPost, Path: tenantBase + "/documents/{id}/restore", Tags: tags,
		Summary: "Take a document out of the trash (write permission)"},
		func(ctx context.Context, in *TenantIDPath) (*documentOut, error) {
			return documentResult(docs.RestoreDocument(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "purge-document", Method: http.MethodPost, Path: tenantBase + "/documents/{id}/purge", Tags: tags,
		Summary: "Delete a trashed document for good (manage permission; retention passed; no legal hold)"},
		func(ctx context.Context, in *TenantIDPath) (*purgeOut, error) {
			return purgeResult(docs.PurgeDocument(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "check-out-document", Method: http.MethodPost, Path: tenantBase + "/documents/{id}/lock", Tags: tags,
		Summary:     "Check a document out (write permission); again to extend",
		Description: "While someone else holds the check-out the answer is 423."},
		func(ctx context.Context, in *checkOutIn) (*documentOut, error) {
			var ttl time.Duration
			if in.Body != nil {
				ttl = time.Duration(in.Body.TTLSeconds) * time.Second
			}
			return documentResult(docs.CheckOut(ctx, actorOf(ctx), in.ID, ttl))
		})

	register(s, member, huma.Operation{OperationID: "check-in-document", Method: http.MethodDelete, Path: tenantBase + "/documents/{id}/lock", Tags: tags,
		Summary: "Release a check-out (the holder; a manager of the folder breaks someone else's)"},
		func(ctx context.Context, in *TenantIDPath) (*documentOut, error) {
			return documentResult(docs.CheckIn(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "set-legal-hold", Method: http.MethodPut, Path: tenantBase + "/documents/{id}/legal-hold", Tags: tags,
		Summary: "Put a legal hold on a document, live or trashed (manage permission)"},
		func(ctx context.Context, in *legalHoldIn) (*documentOut, error) {
			return documentResult(docs.SetLegalHold(ctx, actorOf(ctx), in.ID, in.Body.Reason))
		})

	register(s, member, huma.Operation{OperationID: "clear-legal-hold", Method: http.MethodDelete, Path: tenantBase + "/documents/{id}/legal-hold", Tags: tags,
		Summary: "Lift a document's legal hold (manage permission)"},
		func(ctx context.Context, in *TenantIDPath) (*documentOut, error) {
			return documentResult(docs.ClearLegalHold(ctx, actorOf(ctx), in.ID))
		})
}

func (s *Server) trashRoutes() {
	tags := []string{"Papierkorb"}
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "list-trash", Method: http.MethodGet, Path: tenantBase + "/trash", Tags: tags,
		Summary: "Trashed folders the caller manages and trashed documents they may write, newest first"},
		func(ctx context.Context, in *trashIn) (*trashOut, error) {
			p, err := docs.ListTrash(ctx, actorOf(ctx), in.page())
			if err != nil {
				return nil, err
			}
			out := &trashOut{}
			out.Body.Items = make([]TrashItemView, len(p.Items))
			for i := range p.Items {
				out.Body.Items[i] = trashItemView(&p.Items[i])
			}
			out.Body.NextCursor = p.NextCursor
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "empty-trash", Method: http.MethodPost, Path: tenantBase + "/trash/empty", Tags: tags,
		Summary:     "Delete for good everything in the trash the caller manages whose retention passed",
		Description: "Works in batches: while more is true, call again."},
		func(ctx context.Context, _ *TenantPath) (*purgeOut, error) {
			return purgeResult(docs.EmptyTrash(ctx, actorOf(ctx)))
		})
}
