package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/tasks"
)

// The sign-off routes (Mitzeichnung, package tasks): who sees a request
// follows its object (a task's workspace members, a document's readers);
// for anyone else it answers 404 like an unknown id. The service decides.

func signoffResult(so *tasks.Signoff, err error) (*signoffOut, error) {
	if err != nil {
		return nil, err
	}
	return &signoffOut{Body: signoffView(so)}, nil
}

func signoffsResult(sos []tasks.Signoff, err error) (*signoffsOut, error) {
	if err != nil {
		return nil, err
	}
	out := &signoffsOut{}
	out.Body.Items = make([]SignoffView, len(sos))
	for i := range sos {
		out.Body.Items[i] = signoffView(&sos[i])
	}
	return out, nil
}

var signoffTags = []string{"Mitzeichnung"}

func (s *Server) taskSignoffRoutes() {
	svc := s.deps.Tasks
	register(s, member, huma.Operation{OperationID: "request-task-signoff", Method: http.MethodPost, Path: tenantBase + "/tasks/{id}/signoffs", Tags: signoffTags,
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Summary:     "Ask for the sign-off of a task (writers of its workspace)",
		Description: "Signers must be able to read the task (422 otherwise); the requester is never one. One request runs per task at a time (409)."},
		func(ctx context.Context, in *requestSignoffIn) (*signoffOut, error) {
			return signoffResult(svc.RequestTaskSignoff(ctx, actorOf(ctx), in.ID, in.input()))
		})
	register(s, member, huma.Operation{OperationID: "list-task-signoffs", Method: http.MethodGet, Path: tenantBase + "/tasks/{id}/signoffs", Tags: signoffTags,
		Summary: "A task's sign-off requests, newest first (at most 200)"},
		func(ctx context.Context, in *TenantIDPath) (*signoffsOut, error) {
			return signoffsResult(svc.TaskSignoffs(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "request-document-signoff", Method: http.MethodPost, Path: tenantBase + "/documents/{id}/signoffs", Tags: signoffTags,
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict},
		Summary: "Ask for the sign-off of a document's current revision (write permission)",
		Description: "Signers must be able to read the document (422 otherwise). While it runs, and once it is approved, a new revision of the " +
			"document is only accepted with restart_signoff=true, which restarts the sign-off on the new revision."},
		func(ctx context.Context, in *requestSignoffIn) (*signoffOut, error) {
			return signoffResult(svc.RequestDocumentSignoff(ctx, actorOf(ctx), in.ID, in.input()))
		})
	register(s, member, huma.Operation{OperationID: "list-document-signoffs", Method: http.MethodGet, Path: tenantBase + "/documents/{id}/signoffs", Tags: signoffTags,
		Summary: "The sign-off requests of a document's revisions, newest first (readers; at most 200)"},
		func(ctx context.Context, in *TenantIDPath) (*signoffsOut, error) {
			return signoffsResult(svc.DocumentSignoffs(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "get-signoff", Method: http.MethodGet, Path: tenantBase + "/signoffs/{id}", Tags: signoffTags,
		Summary: "One sign-off request with its steps"},
		func(ctx context.Context, in *TenantIDPath) (*signoffOut, error) {
			return signoffResult(svc.GetSignoff(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "approve-signoff", Method: http.MethodPost, Path: tenantBase + "/signoffs/{id}/approve", Tags: signoffTags,
		Errors:      []int{http.StatusConflict},
		Summary:     "Approve the caller's step (a signer named, or a member of the group named)",
		Description: "The requester never decides (403). In sequence only the first pending step may be decided (409); nobody decides two steps (409)."},
		func(ctx context.Context, in *approveSignoffIn) (*signoffOut, error) {
			return signoffResult(svc.ApproveSignoff(ctx, actorOf(ctx), in.ID, in.Body.Comment))
		})
	register(s, member, huma.Operation{OperationID: "return-signoff", Method: http.MethodPost, Path: tenantBase + "/signoffs/{id}/return", Tags: signoffTags,
		Errors:  []int{http.StatusConflict},
		Summary: "Return the request from the caller's step with a comment: it ends returned and the requester is told"},
		func(ctx context.Context, in *returnSignoffIn) (*signoffOut, error) {
			return signoffResult(svc.ReturnSignoff(ctx, actorOf(ctx), in.ID, in.Body.Comment))
		})
	register(s, member, huma.Operation{OperationID: "withdraw-signoff", Method: http.MethodPost, Path: tenantBase + "/signoffs/{id}/withdraw", Tags: signoffTags,
		Errors:  []int{http.StatusConflict},
		Summary: "Withdraw a running request (its requester)"},
		func(ctx context.Context, in *TenantIDPath) (*signoffOut, error) {
			return signoffResult(svc.WithdrawSignoff(ctx, actorOf(ctx), in.ID))
		})
	register(s, member, huma.Operation{OperationID: "list-my-signoffs", Method: http.MethodGet, Path: tenantBase + "/my-signoffs", Tags: signoffTags,
		Summary: "The running requests waiting for the caller's decision now (named, or through a group; turn-aware), oldest first"},
		func(ctx context.Context, _ *TenantPath) (*signoffsOut, error) {
			return signoffsResult(svc.MySignoffs(ctx, actorOf(ctx)))
		})
}
