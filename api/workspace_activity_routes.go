package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
)

// ActivityView is one entry of a workspace's activity feed.
type ActivityView struct {
	ID          uuid.UUID  `json:"id"`
	Kind        string     `json:"kind" doc:"workspace.created, workspace.updated, workspace.archived, workspace.restored, member.added, member.role_changed, member.removed, member.joined, member.left, guest.admitted, guest.offboarded, document.created, document.revised, document.trashed, and the consultations' kinds"`
	ActorID     *uuid.UUID `json:"actor_id,omitempty" doc:"Membership id of who did it; absent for the system"`
	ActorName   string     `json:"actor_name"`
	SubjectID   *uuid.UUID `json:"subject_id,omitempty" doc:"Membership id of the person the entry is about"`
	SubjectName string     `json:"subject_name"`
	ObjectType  string     `json:"object_type"`
	ObjectID    *uuid.UUID `json:"object_id,omitempty"`
	ObjectTitle string     `json:"object_title" doc:"The object's title when it happened"`
	CreatedAt   time.Time  `json:"created_at"`
}

type activityIn struct {
	TenantIDPath
	Before string `query:"before" maxLength:"36" doc:"next_before of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"50"`
}

type activityOut struct {
	Body struct {
		Items      []ActivityView `json:"items" nullable:"false"`
		NextBefore string         `json:"next_before,omitempty" doc:"Absent on the last page"`
	}
}

func (s *Server) workspaceActivityRoutes() {
	svc := s.deps.Workspaces
	register(s, member, huma.Operation{OperationID: "list-workspace-activity", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/activity",
		Tags: []string{"Arbeitsräume"}, Summary: "What happened in the workspace, newest first (members, administrators)",
		Description: "Entries about documents appear only to whoever may read their folder now. A page may hold fewer entries than limit; " +
			"next_before continues."},
		func(ctx context.Context, in *activityIn) (*activityOut, error) {
			before := uuid.Nil
			if in.Before != "" {
				id, err := uuid.Parse(in.Before)
				if err != nil {
					return nil, errs.InvalidField("before", errs.M("api.activity-before", "Ungültige Fortsetzungsmarke.", "Invalid continuation mark."))
				}
				before = id
			}
			p, err := svc.Activity(ctx, actorOf(ctx), in.ID, before, in.Limit)
			if err != nil {
				return nil, err
			}
			out := &activityOut{}
			out.Body.Items = make([]ActivityView, len(p.Items))
			for i, it := range p.Items {
				v := ActivityView{ID: it.ID, Kind: it.Kind, ActorID: it.ActorID, SubjectID: it.SubjectID, ObjectType: it.ObjectType,
					ObjectID: it.ObjectID, ObjectTitle: it.ObjectTitle, CreatedAt: it.CreatedAt}
				if it.ActorName != nil {
					v.ActorName = *it.ActorName
				}
				if it.SubjectName != nil {
					v.SubjectName = *it.SubjectName
				}
				out.Body.Items[i] = v
			}
			if p.Next != uuid.Nil {
				out.Body.NextBefore = p.Next.String()
			}
			return out, nil
		})
}
