package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
)

// The tenant's storage as its admins see it, and a folder's retention.

// StorageView is the tenant's storage use against its quota.
type StorageView struct {
	UsedBytes           int64  `json:"used_bytes" doc:"Bytes of every stored revision, trashed documents included"`
	ReservedBytes       int64  `json:"reserved_bytes" doc:"Bytes booked by uploads in progress"`
	QuotaBytes          *int64 `json:"quota_bytes,omitempty" doc:"The quota the operator set; absent: unlimited"`
	Documents           int64  `json:"documents" doc:"Documents not in the trash"`
	Revisions           int64  `json:"revisions" doc:"Stored revisions, those of trashed documents included"`
	TrashDocuments      int64  `json:"trash_documents"`
	TrashBytes          int64  `json:"trash_bytes" doc:"Size of the trashed documents' revisions (counted against the quota until purged)"`
	TrashPurgeableBytes int64  `json:"trash_purgeable_bytes" doc:"Part of trash_bytes whose retention has passed and that no legal hold keeps"`
}

type storageOut struct{ Body StorageView }

// RetentionView is a folder's retention of trashed documents.
type RetentionView struct {
	Own        *int       `json:"own_days,omitempty" doc:"The folder's own setting in days; absent: inherited"`
	Effective  int        `json:"effective_days" doc:"Days in force: own, else the nearest folder above that sets one, else 0 (purgeable at once)"`
	SourceID   *uuid.UUID `json:"source_folder_id,omitempty" doc:"The folder effective_days comes from; absent when no folder sets one"`
	SourceName string     `json:"source_folder_name,omitempty" doc:"Its name, when the caller may read it"`
	CanChange  bool       `json:"can_change" doc:"Whether the caller may set it (tenant admins)"`
}

type retentionOut struct{ Body RetentionView }

func (s *Server) storageRoutes() {
	register(s, tenantAdmin, huma.Operation{OperationID: "get-storage", Method: http.MethodGet, Path: "/api/v1/t/{tenant}/storage",
		Tags: []string{"Mandantenverwaltung"}, Summary: "Storage use against the quota, documents, revisions and trash",
		Description: "The quota is set by the operator (kollab tenant quota). At the quota, uploads, new revisions, restores and copies " +
			"are refused (413; 507 over WebDAV); everything stored stays readable. Purging trashed documents frees their bytes."},
		func(ctx context.Context, _ *TenantPath) (*storageOut, error) {
			r, err := s.deps.Documents.StorageReport(ctx, scopeOf(ctx).Tenant.ID)
			if err != nil {
				return nil, err
			}
			return &storageOut{Body: storageView(r)}, nil
		})

	register(s, member, huma.Operation{OperationID: "get-folder-retention", Method: http.MethodGet, Path: tenantBase + "/folders/{id}/retention",
		Tags: []string{"Ordner"}, Summary: "How long trashed documents in the folder are kept, and where that setting comes from"},
		func(ctx context.Context, in *TenantIDPath) (*retentionOut, error) {
			r, err := s.deps.Documents.FolderRetention(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			return &retentionOut{Body: RetentionView{Own: r.Own, Effective: r.Effective, SourceID: r.SourceID, SourceName: r.SourceName, CanChange: r.CanChange}}, nil
		})
}

func storageView(r *documents.UsageReport) StorageView {
	return StorageView{UsedBytes: r.UsedBytes, ReservedBytes: r.ReservedBytes, QuotaBytes: r.QuotaBytes, Documents: r.Documents,
		Revisions: r.Revisions, TrashDocuments: r.TrashDocuments, TrashBytes: r.TrashBytes, TrashPurgeableBytes: r.TrashPurgeableBytes}
}
