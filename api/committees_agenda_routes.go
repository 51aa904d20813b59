package api

import (
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/meetings"
)

// Agenda item routes of the committee area: decisions on proposals,
// session papers, discussion and conflicts of interest (see committees_routes.go).

// agendaItemRoutes: decisions on proposals, papers, discussion and conflicts of interest.
func (s *Server) agendaItemRoutes() {
	s.agendaItemDecisionRoutes()
	s.agendaItemPaperRoutes()
	s.agendaItemDiscussionRoutes()
}

// agendaItemDecisionRoutes: deciding on and changing an agenda item.
func (s *Server) agendaItemDecisionRoutes() {
	tags := []string{"Sitzungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "decide-agenda-item", Method: http.MethodPost, Path: tenantBase + "/agenda-items/{id}/decision",
		Tags: tags, Summary: "Accept or decline a proposed agenda item (administrators, chair, secretary)"},
		func(ctx context.Context, in *decideAgendaItemIn) (*agendaItemOut, error) {
			return agendaItemResult(svc.DecideAgendaItem(ctx, actorOf(ctx), in.ID, in.Body.Decision == "accept"))
		})

	register(s, member, huma.Operation{OperationID: "update-agenda-item", Method: http.MethodPut, Path: tenantBase + "/agenda-items/{id}",
		Tags: tags, Summary: "Change an item's title, description and whether it is public (administrators, chair, secretary)",
		Description: "Until the meeting closes; the item's position, decision and frozen papers stay."},
		func(ctx context.Context, in *addAgendaItemIn) (*agendaItemOut, error) {
			b := in.Body
			return agendaItemResult(svc.UpdateAgendaItem(ctx, actorOf(ctx), in.ID, meetings.AgendaItemInput{Title: b.Title,
				Description: b.Description, Public: b.Public}))
		})
}

// agendaItemPaperRoutes: an item's session papers and their frozen revisions.
func (s *Server) agendaItemPaperRoutes() {
	tags := []string{"Sitzungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "attach-paper", Method: http.MethodPost, Path: tenantBase + "/agenda-items/{id}/papers",
		Tags: tags, Summary: "Make a document a session paper of the item", DefaultStatus: http.StatusCreated,
		Description: "Administrators, the chair or the secretary, or the member who proposed the item while it is a proposal; the caller " +
			"must be able to read the document. After the invitation went out the paper is frozen at once at the document's current revision."},
		func(ctx context.Context, in *attachPaperIn) (*paperOut, error) {
			p, err := svc.AttachPaper(ctx, actorOf(ctx), in.ID, in.Body.DocumentID)
			if err != nil {
				return nil, err
			}
			return &paperOut{Body: paperView(p)}, nil
		})

	register(s, member, huma.Operation{OperationID: "list-item-papers", Method: http.MethodGet, Path: tenantBase + "/agenda-items/{id}/papers",
		Tags: tags, Summary: "The session papers of an agenda item with their frozen revisions",
		Description: "Administrators and the committee's seats see every paper; on a public, accepted item of a meeting whose invitation " +
			"went out, every member of the tenant except external partners sees the frozen ones. Anyone else: 404."},
		func(ctx context.Context, in *TenantIDPath) (*papersOut, error) {
			ps, err := svc.ItemPapers(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &papersOut{}
			out.Body.Papers = make([]PaperView, len(ps))
			for i := range ps {
				out.Body.Papers[i] = paperView(&ps[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "download-paper", Method: http.MethodGet, Path: tenantBase + "/agenda-items/{id}/papers/{document}/content",
		Tags: tags, Summary: "The frozen revision of a session paper, for everyone who may see the item (Range, ETag; audited)",
		Description: "Attaching a paper grants its frozen revision to everyone who sees the agenda item (see list-item-papers), whatever " +
			"the permissions of the document's folder; later revisions are not served here. Not frozen yet: 409; document in the trash: 404. " +
			"disposition=inline shows PDFs and images in the browser (the meeting page's preview).",
		Responses: contentResponses()},
		func(ctx context.Context, in *paperContentIn) (*huma.StreamResponse, error) {
			a := actorOf(ctx)
			rev, err := svc.PaperRevision(ctx, a, in.ID, in.DocumentID)
			if err != nil {
				return nil, err
			}
			// The URL names the paper, not the revision: detached and attached
			// again, it may serve another one; and the grant can end.
			return serveRevision(rev, &in.ContentQuery, false, func(offset, length int64) (*documents.Revision, io.ReadCloser, error) {
				return svc.OpenPaper(ctx, a, in.ID, in.DocumentID, offset, length)
			})
		})

	register(s, member, huma.Operation{OperationID: "detach-paper", Method: http.MethodDelete, Path: tenantBase + "/agenda-items/{id}/papers/{document}",
		Tags: tags, Summary: "Remove a session paper from the item while the meeting is not closed (administrators, chair, secretary)",
		DefaultStatus: http.StatusNoContent},
		func(ctx context.Context, in *PaperPath) (*struct{}, error) {
			return nil, svc.DetachPaper(ctx, actorOf(ctx), in.ID, in.DocumentID)
		})
}

// agendaItemDiscussionRoutes: an item's discussion and conflicts of interest.
func (s *Server) agendaItemDiscussionRoutes() {
	tags := []string{"Sitzungen"}
	svc := s.deps.Committees
	register(s, member, huma.Operation{OperationID: "list-posts", Method: http.MethodGet, Path: tenantBase + "/agenda-items/{id}/posts",
		Tags: tags, Summary: "The item's discussion, oldest first"},
		func(ctx context.Context, in *TenantIDPath) (*postsOut, error) {
			ps, err := svc.ListPosts(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &postsOut{}
			out.Body.Posts = make([]PostView, len(ps))
			for i := range ps {
				out.Body.Posts[i] = postView(&ps[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "add-post", Method: http.MethodPost, Path: tenantBase + "/agenda-items/{id}/posts",
		Tags: tags, Summary: "Contribute to the item's discussion until the meeting is closed", DefaultStatus: http.StatusCreated},
		func(ctx context.Context, in *addPostIn) (*postOut, error) {
			p, err := svc.AddPost(ctx, actorOf(ctx), in.ID, in.Body.Body)
			if err != nil {
				return nil, err
			}
			return &postOut{Body: postView(p)}, nil
		})

	register(s, member, huma.Operation{OperationID: "list-conflicts", Method: http.MethodGet, Path: tenantBase + "/agenda-items/{id}/conflicts",
		Tags: tags, Summary: "The declarations of conflict of interest (Befangenheit) on the item"},
		func(ctx context.Context, in *TenantIDPath) (*conflictsOut, error) {
			cs, err := svc.ListConflicts(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &conflictsOut{}
			out.Body.Conflicts = make([]ConflictView, len(cs))
			for i := range cs {
				out.Body.Conflicts[i] = conflictView(&cs[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "declare-conflict", Method: http.MethodPost, Path: tenantBase + "/agenda-items/{id}/conflicts",
		Tags: tags, Summary: "Declare a member conflicted on the item: excluded from its votes and its quorum",
		Description: "The member themself, or administrators, the chair or the secretary; not while a poll on the item is open. " +
			"Declaring again answers the existing declaration."},
		func(ctx context.Context, in *declareConflictIn) (*conflictOut, error) {
			a := actorOf(ctx)
			who := optionalID(in.Body.MembershipID)
			if who == uuid.Nil {
				who = a.MembershipID
			}
			c, err := svc.DeclareConflict(ctx, a, in.ID, who, in.Body.Reason)
			if err != nil {
				return nil, err
			}
			return &conflictOut{Body: conflictView(c)}, nil
		})

	register(s, member, huma.Operation{OperationID: "withdraw-conflict", Method: http.MethodDelete,
		Path: tenantBase + "/agenda-items/{id}/conflicts/{membership}", Tags: tags, DefaultStatus: http.StatusNoContent,
		Summary: "Withdraw a member's conflict declaration on the item (the member, administrators, chair, secretary)"},
		func(ctx context.Context, in *MeetingMemberPath) (*struct{}, error) {
			return nil, svc.WithdrawConflict(ctx, actorOf(ctx), in.ID, in.MembershipID)
		})
}
