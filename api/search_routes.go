package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
)

// SnippetPartView is a piece of a hit's snippet; hit parts match the query.
// Clients render the parts as text (hits highlighted), never as HTML.
type SnippetPartView struct {
	Text string `json:"text"`
	Hit  bool   `json:"hit,omitempty"`
}

// SearchHitView is one document found by a search.
type SearchHitView struct {
	DocumentID  uuid.UUID         `json:"document_id"`
	Title       string            `json:"title"`
	FolderID    uuid.UUID         `json:"folder_id"`
	ContentType *string           `json:"content_type,omitempty"`
	SizeBytes   *int64            `json:"size_bytes,omitempty"`
	UpdatedAt   time.Time         `json:"updated_at"`
	Rank        float64           `json:"rank"`
	Snippet     []SnippetPartView `json:"snippet" nullable:"false"`
}

type searchIn struct {
	TenantPath
	Q              string    `query:"q" required:"true" minLength:"1" maxLength:"200" doc:"Words to find; parts of compound words match too"`
	FolderID       uuid.UUID `query:"folder_id" doc:"Only documents in this folder and below"`
	Tags           []string  `query:"tag,explode" maxItems:"20" doc:"Only documents with every one of these tags (repeat the parameter)"`
	ContentType    string    `query:"content_type" maxLength:"200" doc:"Only this media type (a prefix such as image/ works)"`
	FilePlanRef    string    `query:"file_plan_ref" maxLength:"200"`
	ModifiedAfter  time.Time `query:"modified_after"`
	ModifiedBefore time.Time `query:"modified_before"`
	Cursor         string    `query:"cursor" maxLength:"1000"`
	Limit          int       `query:"limit" minimum:"1" maximum:"200" default:"20"`
}

type searchOut struct {
	Body struct {
		Hits       []SearchHitView `json:"hits" nullable:"false"`
		NextCursor string          `json:"next_cursor,omitempty" doc:"Absent on the last page"`
	}
}

func (s *Server) searchRoutes() {
	docs := s.deps.Documents
	register(s, member, huma.Operation{OperationID: "search-documents", Method: http.MethodGet, Path: tenantBase + "/search", Tags: []string{"Dokumente"},
		Summary:     "Full-text search over title, metadata and content of the documents the caller can read",
		Description: "German stemming (Beschlüsse finds Beschluss) and compound parts (Frist finds Fristverlängerung); ranked, with snippets."},
		func(ctx context.Context, in *searchIn) (*searchOut, error) {
			q := documents.SearchQuery{Text: strings.Clone(in.Q), FolderID: in.FolderID, ContentType: strings.Clone(in.ContentType),
				FilePlanRef: strings.Clone(in.FilePlanRef), ModifiedAfter: in.ModifiedAfter, ModifiedBefore: in.ModifiedBefore,
				Limit: in.Limit, Cursor: strings.Clone(in.Cursor)}
			for _, t := range in.Tags {
				q.Tags = append(q.Tags, strings.Clone(t))
			}
			res, err := docs.Search(ctx, actorOf(ctx), q)
			if err != nil {
				return nil, err
			}
			out := &searchOut{}
			out.Body.Hits = make([]SearchHitView, len(res.Hits))
			for i, h := range res.Hits {
				v := SearchHitView{DocumentID: h.DocumentID, Title: h.Title, FolderID: h.FolderID, ContentType: h.ContentType,
					SizeBytes: h.SizeBytes, UpdatedAt: h.UpdatedAt, Rank: h.Rank, Snippet: make([]SnippetPartView, len(h.Snippet))}
				for j, p := range h.Snippet {
					v.Snippet[j] = SnippetPartView{Text: p.Text, Hit: p.Hit}
				}
				out.Body.Hits[i] = v
			}
			out.Body.NextCursor = res.NextCursor
			return out, nil
		})
}
