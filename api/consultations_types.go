package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/workspaces/consultations"
)

// Request and response types of the consultation routes
// (consultations_routes.go): their own structs, never the domain's.

// --- views ---

// ConsultationDocumentView is a document of a consultation at its frozen revision.
type ConsultationDocumentView struct {
	DocumentID  uuid.UUID `json:"document_id"`
	RevisionID  uuid.UUID `json:"revision_id" doc:"The frozen revision; its bytes: GET .../files/{revision}/content"`
	Title       string    `json:"title"`
	Number      int       `json:"number" doc:"The revision's number"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Available   bool      `json:"available" doc:"false while the document is in the trash"`
}

// ConsultationInviteeView is an invited organisation and whether it answered.
type ConsultationInviteeView struct {
	OrganisationID uuid.UUID  `json:"organisation_id"`
	Name           string     `json:"name" doc:"The organisation's name when it was invited"`
	InvitedAt      time.Time  `json:"invited_at"`
	RemindedAt     *time.Time `json:"reminded_at,omitempty" doc:"The last reminder"`
	Versions       int        `json:"versions" doc:"Submitted statement versions; 0: no answer yet"`
	SubmittedAt    *time.Time `json:"submitted_at,omitempty"`
}

// ConsultationView is a consultation (Beteiligungsverfahren) as the caller sees it.
type ConsultationView struct {
	ID               uuid.UUID                  `json:"id"`
	WorkspaceID      uuid.UUID                  `json:"workspace_id"`
	WorkspaceName    string                     `json:"workspace_name"`
	Subject          string                     `json:"subject"`
	Description      string                     `json:"description"`
	Questions        []string                   `json:"questions" nullable:"false"`
	Deadline         time.Time                  `json:"deadline"`
	State            string                     `json:"state" enum:"draft,open,closed"`
	Accepting        bool                       `json:"accepting" doc:"Statements are taken: open and before the deadline"`
	RemindAt         *time.Time                 `json:"remind_at,omitempty" doc:"The automatic reminder, 3 working days before the deadline (staff only)"`
	RemindedAt       *time.Time                 `json:"reminded_at,omitempty" doc:"When the automatic reminder went out (staff only)"`
	FolderID         *uuid.UUID                 `json:"folder_id,omitempty" doc:"The consultation's folder in the workspace folder: statement files, synopsis, imported statements"`
	SynopsisPDFID    *uuid.UUID                 `json:"synopsis_pdf_id,omitempty" doc:"The filed synopsis (document)"`
	SynopsisODTID    *uuid.UUID                 `json:"synopsis_odt_id,omitempty" doc:"The filed synopsis (document)"`
	Documents        []ConsultationDocumentView `json:"documents" nullable:"false" doc:"Empty in lists"`
	Invitees         []ConsultationInviteeView  `json:"invitees" nullable:"false" doc:"A guest sees their own organisation only; empty in lists"`
	Version          int64                      `json:"version" doc:"Sent as ETag and expected in If-Match"`
	CreatedAt        time.Time                  `json:"created_at"`
	CreatedBy        uuid.UUID                  `json:"created_by" doc:"Membership id"`
	UpdatedAt        time.Time                  `json:"updated_at"`
	OpenedAt         *time.Time                 `json:"opened_at,omitempty"`
	ClosedAt         *time.Time                 `json:"closed_at,omitempty"`
	CanManage        bool                       `json:"can_manage" doc:"The caller may change it (staff owners and members of the workspace, administrators)"`
	MyOrganisationID *uuid.UUID                 `json:"my_organisation_id,omitempty" doc:"A guest's invited organisation"`
}

func consultationView(c *consultations.Consultation) ConsultationView {
	v := ConsultationView{ID: c.ID, WorkspaceID: c.WorkspaceID, WorkspaceName: c.WorkspaceName, Subject: c.Subject, Description: c.Description,
		Questions: c.Questions, Deadline: c.Deadline, State: string(c.State), Accepting: c.Accepting, RemindAt: c.RemindAt, RemindedAt: c.RemindedAt,
		FolderID: c.FolderID, SynopsisPDFID: c.SynopsisPDFID, SynopsisODTID: c.SynopsisODTID, Version: c.Version, CreatedAt: c.CreatedAt,
		CreatedBy: c.CreatedBy, UpdatedAt: c.UpdatedAt, OpenedAt: c.OpenedAt, ClosedAt: c.ClosedAt, CanManage: c.CanManage,
		MyOrganisationID: c.MyOrganisationID, Documents: make([]ConsultationDocumentView, len(c.Documents)),
		Invitees: make([]ConsultationInviteeView, len(c.Invitees))}
	for i, d := range c.Documents {
		v.Documents[i] = ConsultationDocumentView{DocumentID: d.DocumentID, RevisionID: d.RevisionID, Title: d.Title, Number: d.Number,
			FileName: d.FileName, ContentType: d.ContentType, Size: d.Size, Available: d.Available}
	}
	for i, n := range c.Invitees {
		v.Invitees[i] = ConsultationInviteeView{OrganisationID: n.OrganisationID, Name: n.Name, InvitedAt: n.InvitedAt, RemindedAt: n.RemindedAt,
			Versions: n.Versions, SubmittedAt: n.SubmittedAt}
	}
	return v
}

// StatementFileView is a file of a statement at the revision it was given with.
type StatementFileView struct {
	DocumentID uuid.UUID `json:"document_id"`
	RevisionID uuid.UUID `json:"revision_id" doc:"Its bytes: GET .../files/{revision}/content"`
	FileName   string    `json:"file_name"`
}

func fileViews(fs []consultations.File) []StatementFileView {
	out := make([]StatementFileView, len(fs))
	for i, f := range fs {
		out[i] = StatementFileView{DocumentID: f.DocumentID, RevisionID: f.RevisionID, FileName: f.FileName}
	}
	return out
}

// StatementVersionView is a submitted, read-only version of a statement.
type StatementVersionView struct {
	Number             int                 `json:"number"`
	Body               string              `json:"body"`
	Answers            []string            `json:"answers" nullable:"false" doc:"One per question, in order"`
	Files              []StatementFileView `json:"files" nullable:"false"`
	Channel            string              `json:"channel" enum:"online,post" doc:"online: submitted by a guest; post: recorded by staff from a letter"`
	AuthorID           uuid.UUID           `json:"author_id" doc:"Membership id of who submitted or recorded it"`
	AuthorName         string              `json:"author_name"`
	ReceivedAt         time.Time           `json:"received_at"`
	CreatedAt          time.Time           `json:"created_at"`
	ImportedRevisionID *uuid.UUID          `json:"imported_revision_id,omitempty" doc:"The case-file revision it was imported as"`
}

func versionView(v *consultations.Version) StatementVersionView {
	return StatementVersionView{Number: v.Number, Body: v.Body, Answers: v.Answers, Files: fileViews(v.Files), Channel: string(v.Channel),
		AuthorID: v.AuthorID, AuthorName: v.AuthorName, ReceivedAt: v.ReceivedAt, CreatedAt: v.CreatedAt, ImportedRevisionID: v.ImportedRevisionID}
}

// StatementDraftView is an organisation's unsubmitted statement (its guests only).
type StatementDraftView struct {
	Body    string              `json:"body"`
	Answers []string            `json:"answers" nullable:"false"`
	Files   []StatementFileView `json:"files" nullable:"false"`
}

// StatementView is an organisation's statement.
type StatementView struct {
	ID                 uuid.UUID             `json:"id"`
	ConsultationID     uuid.UUID             `json:"consultation_id"`
	OrganisationID     uuid.UUID             `json:"organisation_id"`
	OrganisationName   string                `json:"organisation_name"`
	Versions           int                   `json:"versions"`
	SubmittedAt        *time.Time            `json:"submitted_at,omitempty"`
	Latest             *StatementVersionView `json:"latest,omitempty" doc:"The latest submitted version"`
	Draft              *StatementDraftView   `json:"draft,omitempty" doc:"The organisation's unsubmitted draft (its guests only)"`
	ImportedDocumentID *uuid.UUID            `json:"imported_document_id,omitempty" doc:"The case-file document it was imported into"`
	UpdatedAt          time.Time             `json:"updated_at"`
}

func statementView(st *consultations.Statement) StatementView {
	v := StatementView{ID: st.ID, ConsultationID: st.ConsultationID, OrganisationID: st.OrganisationID, OrganisationName: st.OrganisationName,
		Versions: st.Versions, SubmittedAt: st.SubmittedAt, ImportedDocumentID: st.ImportedDocumentID, UpdatedAt: st.UpdatedAt}
	if st.Latest != nil {
		v.Latest = new(versionView(st.Latest))
	}
	if st.Draft != nil {
		v.Draft = &StatementDraftView{Body: st.Draft.Body, Answers: st.Draft.Answers, Files: fileViews(st.Draft.Files)}
	}
	return v
}

type consultationOut struct {
	ETag string `header:"ETag" doc:"The consultation's version, for If-Match"`
	Body ConsultationView
}

type consultationsOut struct {
	Body struct {
		Consultations []ConsultationView `json:"consultations" nullable:"false" doc:"Latest deadline first, at most 200"`
	}
}

type statementOut struct{ Body StatementView }

type statementsOut struct {
	Body struct {
		Statements []StatementView `json:"statements" nullable:"false"`
	}
}

type statementVersionsOut struct {
	Body struct {
		Versions []StatementVersionView `json:"versions" nullable:"false" doc:"Newest first"`
	}
}

type remindOut struct {
	Body struct {
		Organisations int `json:"organisations" doc:"Invited organisations that have not answered"`
		People        int `json:"people" doc:"Their guests in the workspace who were notified"`
	}
}

type synopsisOut struct {
	Body struct {
		PDFDocumentID uuid.UUID `json:"pdf_document_id"`
		ODTDocumentID uuid.UUID `json:"odt_document_id"`
	}
}

type consultationImportOut struct {
	Body struct {
		Statements int         `json:"statements" doc:"Statement versions imported now"`
		Documents  []uuid.UUID `json:"documents" nullable:"false" doc:"The case-file documents they went into"`
	}
}

// --- inputs ---

type createConsultationIn struct {
	TenantIDPath
	Body struct {
		Subject       string      `json:"subject" maxLength:"300"`
		Description   string      `json:"description,omitempty" maxLength:"10000"`
		Questions     []string    `json:"questions,omitempty" maxItems:"30" doc:"Fixed once the consultation is open"`
		Deadline      time.Time   `json:"deadline"`
		Organisations []uuid.UUID `json:"organisations,omitempty" maxItems:"200" doc:"Invited organisations of the address book"`
		Documents     []uuid.UUID `json:"documents,omitempty" maxItems:"50" doc:"Documents the caller may read, frozen at their current revision"`
	}
}

type updateConsultationIn struct {
	TenantIDPath
	IfMatchHeader
	Body struct {
		Subject       *string      `json:"subject,omitempty" maxLength:"300" nullable:"false"`
		Description   *string      `json:"description,omitempty" maxLength:"10000" nullable:"false"`
		Questions     *[]string    `json:"questions,omitempty" maxItems:"30" nullable:"false" doc:"Only while a draft"`
		Deadline      *time.Time   `json:"deadline,omitempty" nullable:"false" doc:"A new deadline ahead; extends an open consultation"`
		Organisations *[]uuid.UUID `json:"organisations,omitempty" maxItems:"200" nullable:"false" doc:"Replaces the list; one that has answered stays"`
		Documents     *[]uuid.UUID `json:"documents,omitempty" maxItems:"50" nullable:"false" doc:"Replaces the list; one already in keeps its frozen revision"`
	}
}

// StatementFields are a statement's text, answers and files.
type StatementFields struct {
	Body    string      `json:"body,omitempty" maxLength:"100000"`
	Answers []string    `json:"answers,omitempty" maxItems:"30" doc:"One per question, in order"`
	Files   []uuid.UUID `json:"files,omitempty" maxItems:"20" doc:"Documents the caller may read (e.g. uploaded to the consultation's folder), frozen at their current revision"`
}

func (f *StatementFields) input() consultations.StatementInput {
	return consultations.StatementInput{Body: f.Body, Answers: f.Answers, Files: f.Files}
}

type saveStatementIn struct {
	TenantIDPath
	Body StatementFields
}

type postalStatementIn struct {
	TenantIDPath
	Body struct {
		StatementFields
		OrganisationID uuid.UUID `json:"organisation_id" doc:"The invited organisation that wrote"`
		ReceivedAt     time.Time `json:"received_at" doc:"When the letter arrived: before the deadline, not in the future"`
	}
}

// StatementPath names a statement of a consultation.
type StatementPath struct {
	TenantIDPath
	StatementID uuid.UUID `path:"statement"`
}

type consultationFileIn struct {
	TenantIDPath
	RevisionID uuid.UUID `path:"revision"`
	ContentQuery
}
