package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/tasks"
)

// Request and response types of the sign-off routes (tasks_signoff_routes.go).

// SignerInput names a step's signer: a person or a group (exactly one).
type SignerInput struct {
	MembershipID *uuid.UUID `json:"membership_id,omitempty" doc:"A person (membership) who can read the task or document"`
	GroupID      *uuid.UUID `json:"group_id,omitempty" doc:"A group (a role): any one of its members besides the requester decides the step"`
}

// SignoffStepView is one step of a sign-off.
type SignoffStepView struct {
	ID           uuid.UUID  `json:"id"`
	Position     int        `json:"position" doc:"0 is the first step"`
	MembershipID *uuid.UUID `json:"membership_id,omitempty"`
	GroupID      *uuid.UUID `json:"group_id,omitempty"`
	Name         string     `json:"name" doc:"The person's or group's name"`
	State        string     `json:"state" enum:"pending,approved,returned,cancelled" doc:"cancelled: the request ended before this step was decided"`
	DecidedBy    *uuid.UUID `json:"decided_by,omitempty" doc:"Who decided (for a group step: the member)"`
	DeciderName  string     `json:"decider_name,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	Comment      string     `json:"comment,omitempty"`
	Turn         bool       `json:"turn" doc:"Pending and due now (in sequence only the first pending step is)"`
}

// SignoffView is a sign-off request (Mitzeichnung) as the caller sees it.
type SignoffView struct {
	ID             uuid.UUID         `json:"id"`
	ObjectType     string            `json:"object_type" enum:"task,document"`
	TaskID         *uuid.UUID        `json:"task_id,omitempty"`
	DocumentID     *uuid.UUID        `json:"document_id,omitempty"`
	RevisionID     *uuid.UUID        `json:"revision_id,omitempty" doc:"The document revision that is to be signed off"`
	RevisionNumber int               `json:"revision_number,omitempty"`
	WorkspaceID    *uuid.UUID        `json:"workspace_id,omitempty" doc:"A task's workspace"`
	Title          string            `json:"title" doc:"The task's or document's title"`
	Mode           string            `json:"mode" enum:"sequence,parallel"`
	Note           string            `json:"note"`
	State          string            `json:"state" enum:"running,approved,returned,withdrawn,superseded" doc:"superseded: a new revision restarted the sign-off (restarted_from of the new request names this one)"`
	RequestedBy    uuid.UUID         `json:"requested_by"`
	RequesterName  string            `json:"requester_name"`
	RestartedFrom  *uuid.UUID        `json:"restarted_from,omitempty"`
	Version        int64             `json:"version"`
	CreatedAt      time.Time         `json:"created_at"`
	ClosedAt       *time.Time        `json:"closed_at,omitempty"`
	ClosedBy       *uuid.UUID        `json:"closed_by,omitempty"`
	Steps          []SignoffStepView `json:"steps" nullable:"false"`
	CanDecide      bool              `json:"can_decide" doc:"The caller may approve or return a step now"`
	CanWithdraw    bool              `json:"can_withdraw"`
}

func signoffView(so *tasks.Signoff) SignoffView {
	v := SignoffView{ID: so.ID, ObjectType: "document", TaskID: so.TaskID, DocumentID: so.DocumentID, RevisionID: so.RevisionID,
		RevisionNumber: so.RevisionNumber, WorkspaceID: so.WorkspaceID, Title: so.Title, Mode: string(so.Mode), Note: so.Note,
		State: string(so.State), RequestedBy: so.RequestedBy, RequesterName: so.RequesterName, RestartedFrom: so.RestartedFrom,
		Version: so.Version, CreatedAt: so.CreatedAt, ClosedAt: so.ClosedAt, ClosedBy: so.ClosedBy, CanDecide: so.CanDecide,
		CanWithdraw: so.CanWithdraw, Steps: make([]SignoffStepView, len(so.Steps))}
	if so.TaskID != nil {
		v.ObjectType = "task"
	}
	for i, st := range so.Steps {
		v.Steps[i] = SignoffStepView{ID: st.ID, Position: st.Position, MembershipID: st.MembershipID, GroupID: st.GroupID, Name: st.Name,
			State: string(st.State), DecidedBy: st.DecidedBy, DeciderName: st.DeciderName, DecidedAt: st.DecidedAt, Comment: st.Comment, Turn: st.Turn}
	}
	return v
}

type signoffOut struct {
	Body SignoffView
}

type signoffsOut struct {
	Body struct {
		Items []SignoffView `json:"items" nullable:"false"`
	}
}

type requestSignoffIn struct {
	TenantIDPath
	Body struct {
		Mode  string        `json:"mode,omitempty" enum:"sequence,parallel" doc:"Default sequence: only the first pending step may be decided"`
		Note  string        `json:"note,omitempty" maxLength:"2000" doc:"For the signers"`
		Steps []SignerInput `json:"steps" minItems:"1" maxItems:"10" doc:"The signers in order: people or groups, each at most once, never the requester"`
	}
}

func (in *requestSignoffIn) input() tasks.SignoffInput {
	out := tasks.SignoffInput{Mode: tasks.SignoffMode(in.Body.Mode), Note: in.Body.Note, Steps: make([]tasks.Signer, len(in.Body.Steps))}
	for i, st := range in.Body.Steps {
		out.Steps[i] = tasks.Signer{MembershipID: st.MembershipID, GroupID: st.GroupID}
	}
	return out
}

type approveSignoffIn struct {
	TenantIDPath
	Body struct {
		Comment string `json:"comment,omitempty" maxLength:"2000"`
	}
}

type returnSignoffIn struct {
	TenantIDPath
	Body struct {
		Comment string `json:"comment" minLength:"1" maxLength:"2000" doc:"Why it is returned (required)"`
	}
}
