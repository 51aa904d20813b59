package api

import (
	"context"
	"io"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/kollab/kollab/documents"
	"github.com/kollab/kollab/workspaces/consultations"
)

// The consultation routes (Beteiligungsverfahren, package
// workspaces/consultations). Every route is for members of the path's
// tenant; who sees and does what is decided by the service from the
// workspace's membership (staff owners and members manage, staff readers
// read, guests of an invited organisation see an open consultation and
// their own organisation's statement; anyone else gets 404 like for an
// unknown id), never here.

func consultationResult(c *consultations.Consultation, err error) (*consultationOut, error) {
	if err != nil {
		return nil, err
	}
	return &consultationOut{ETag: etag(c.Version), Body: consultationView(c)}, nil
}

func statementResult(st *consultations.Statement, err error) (*statementOut, error) {
	if err != nil {
		return nil, err
	}
	return &statementOut{Body: statementView(st)}, nil
}

func (s *Server) consultationRoutes() {
	if s.deps.Consultations == nil {
		return
	}
	s.consultationRecordRoutes()
	s.consultationStaffRoutes()
	s.consultationStatementRoutes()
}

// consultationRecordRoutes: list, create, read and change consultations.
func (s *Server) consultationRecordRoutes() {
	tags := []string{"Beteiligungsverfahren"}
	svc := s.deps.Consultations
	register(s, member, huma.Operation{OperationID: "list-consultations", Method: http.MethodGet, Path: tenantBase + "/workspaces/{id}/consultations",
		Tags: tags, Summary: "The workspace's consultations the caller sees (latest deadline first, at most 200)",
		Description: "Staff of the workspace see all, guests the open and closed ones that invite their organisation."},
		func(ctx context.Context, in *TenantIDPath) (*consultationsOut, error) {
			cs, err := svc.List(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &consultationsOut{}
			out.Body.Consultations = make([]ConsultationView, len(cs))
			for i := range cs {
				out.Body.Consultations[i] = consultationView(&cs[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "create-consultation", Errors: []int{http.StatusConflict}, Method: http.MethodPost,
		Path: tenantBase + "/workspaces/{id}/consultations", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary:     "Prepare a consultation (draft) with its folder in the workspace folder (staff owners and members of the workspace)",
		Description: "The documents are frozen at their current revision: every reader of the consultation reads exactly that revision."},
		func(ctx context.Context, in *createConsultationIn) (*consultationOut, error) {
			b := in.Body
			return consultationResult(svc.Create(ctx, actorOf(ctx), in.ID, consultations.Input{Subject: b.Subject, Description: b.Description,
				Questions: b.Questions, Deadline: b.Deadline, Organisations: b.Organisations, Documents: b.Documents}))
		})

	register(s, member, huma.Operation{OperationID: "get-consultation", Method: http.MethodGet, Path: tenantBase + "/consultations/{id}", Tags: tags,
		Summary: "One consultation with its frozen documents and invited organisations; its version is the ETag"},
		func(ctx context.Context, in *TenantIDPath) (*consultationOut, error) {
			return consultationResult(svc.Get(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "update-consultation", Errors: []int{http.StatusConflict}, Method: http.MethodPatch,
		Path: tenantBase + "/consultations/{id}", Tags: tags,
		Summary: "Change a consultation that is not closed; a new deadline extends it (managers; If-Match optional)",
		Description: "Questions change only while it is a draft (409). An organisation that has begun a statement stays invited (409). " +
			"A new deadline takes statements again until then and makes the automatic reminder due anew."},
		func(ctx context.Context, in *updateConsultationIn) (*consultationOut, error) {
			b := in.Body
			return consultationResult(svc.Update(ctx, actorOf(ctx), in.ID, in.version, consultations.Patch{Subject: b.Subject,
				Description: b.Description, Questions: b.Questions, Deadline: b.Deadline, Organisations: b.Organisations, Documents: b.Documents}))
		})

	register(s, member, huma.Operation{OperationID: "download-consultation-file", Method: http.MethodGet,
		Path: tenantBase + "/consultations/{id}/files/{revision}/content", Tags: tags, Responses: contentResponses(),
		Summary: "A revision the consultation grants: a frozen document, or a file of a statement the caller sees (Range, ETag; audited)",
		Description: "Granted whatever the permissions of the document's folder: the consultation's documents at their frozen revision to " +
			"everyone who sees the consultation; a statement's files to staff and to the organisation's guests. Anything else: 404."},
		func(ctx context.Context, in *consultationFileIn) (*huma.StreamResponse, error) {
			a := actorOf(ctx)
			rev, err := svc.FileRevision(ctx, a, in.ID, in.RevisionID)
			if err != nil {
				return nil, err
			}
			return serveRevision(rev, &in.ContentQuery, true, func(offset, length int64) (*documents.Revision, io.ReadCloser, error) {
				return svc.OpenFile(ctx, a, in.ID, in.RevisionID, offset, length)
			})
		})
}

// consultationStaffRoutes: open, close, remind, synopsis, import.
func (s *Server) consultationStaffRoutes() {
	tags := []string{"Beteiligungsverfahren"}
	svc := s.deps.Consultations
	state := func(id, path, summary, desc string, do func(ctx context.Context, in *TenantIDPath) (*consultations.Consultation, error)) {
		register(s, member, huma.Operation{OperationID: id, Errors: []int{http.StatusConflict}, Method: http.MethodPost,
			Path: tenantBase + "/consultations/{id}/" + path, Tags: tags, Summary: summary, Description: desc},
			func(ctx context.Context, in *TenantIDPath) (*consultationOut, error) {
				return consultationResult(do(ctx, in))
			})
	}
	state("open-consultation", "open", "Open a draft for statements (managers)",
		"It needs at least one invited organisation and a deadline ahead (409).",
		func(ctx context.Context, in *TenantIDPath) (*consultations.Consultation, error) {
			return svc.Open(ctx, actorOf(ctx), in.ID)
		})
	state("close-consultation", "close", "Close an open consultation: no statement is taken any more (managers)", "",
		func(ctx context.Context, in *TenantIDPath) (*consultations.Consultation, error) {
			return svc.Close(ctx, actorOf(ctx), in.ID)
		})

	register(s, member, huma.Operation{OperationID: "remind-consultation", Errors: []int{http.StatusConflict}, Method: http.MethodPost,
		Path: tenantBase + "/consultations/{id}/remind", Tags: tags,
		Summary:     "Remind the invited organisations that have not answered (managers, while statements are taken)",
		Description: "Their guests in the workspace are notified. The automatic reminder goes out 3 working days before the deadline."},
		func(ctx context.Context, in *TenantIDPath) (*remindOut, error) {
			r, err := svc.Remind(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &remindOut{}
			out.Body.Organisations, out.Body.People = r.Organisations, r.People
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "file-consultation-synopsis", Errors: []int{http.StatusConflict}, Method: http.MethodPost,
		Path: tenantBase + "/consultations/{id}/synopsis", Tags: tags,
		Summary:     "File the synopsis (PDF and ODT) into the consultation's folder (managers)",
		Description: "One row per statement and question, from each organisation's latest version. Filed again: new revisions of the same documents."},
		func(ctx context.Context, in *TenantIDPath) (*synopsisOut, error) {
			f, err := svc.FileSynopsis(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &synopsisOut{}
			out.Body.PDFDocumentID, out.Body.ODTDocumentID = f.PDF.ID, f.ODT.ID
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "import-consultation-statements", Errors: []int{http.StatusConflict}, Method: http.MethodPost,
		Path: tenantBase + "/consultations/{id}/import", Tags: tags,
		Summary: "Import the statements into the case file (managers)",
		Description: "Each organisation's latest version not imported yet becomes a revision of its document \"Stellungnahme <organisation>\" " +
			"in the consultation's folder, with its provenance (organisation, person, time, channel, consultation) in the revision comment and the document's metadata."},
		func(ctx context.Context, in *TenantIDPath) (*consultationImportOut, error) {
			r, err := svc.Import(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &consultationImportOut{}
			out.Body.Statements, out.Body.Documents = r.Statements, r.Documents
			return out, nil
		})
}

// consultationStatementRoutes: statements, drafts, submitting, postal statements, versions.
func (s *Server) consultationStatementRoutes() {
	tags := []string{"Beteiligungsverfahren"}
	svc := s.deps.Consultations
	register(s, member, huma.Operation{OperationID: "list-consultation-statements", Method: http.MethodGet,
		Path: tenantBase + "/consultations/{id}/statements", Tags: tags,
		Summary: "The statements the caller sees: staff every submitted one, a guest their organisation's (with its draft)"},
		func(ctx context.Context, in *TenantIDPath) (*statementsOut, error) {
			sts, err := svc.Statements(ctx, actorOf(ctx), in.ID)
			if err != nil {
				return nil, err
			}
			out := &statementsOut{}
			out.Body.Statements = make([]StatementView, len(sts))
			for i := range sts {
				out.Body.Statements[i] = statementView(&sts[i])
			}
			return out, nil
		})

	register(s, member, huma.Operation{OperationID: "save-consultation-statement", Errors: []int{http.StatusConflict}, Method: http.MethodPut,
		Path: tenantBase + "/consultations/{id}/statements", Tags: tags,
		Summary:     "Save the caller's organisation's statement draft (guests of an invited organisation)",
		Description: "Seen by the organisation's guests only until submitted. After the deadline or once closed: 409."},
		func(ctx context.Context, in *saveStatementIn) (*statementOut, error) {
			return statementResult(svc.SaveDraft(ctx, actorOf(ctx), in.ID, in.Body.input()))
		})

	register(s, member, huma.Operation{OperationID: "submit-consultation-statement", Errors: []int{http.StatusConflict}, Method: http.MethodPost,
		Path: tenantBase + "/consultations/{id}/statements/submit", Tags: tags,
		Summary: "Submit the draft as the statement's next version, read-only from then on (guests of an invited organisation)",
		Description: "A revised draft can be submitted again until the deadline; every version is kept. The workspace's staff are notified. " +
			"No draft, after the deadline or once closed: 409."},
		func(ctx context.Context, in *TenantIDPath) (*statementOut, error) {
			return statementResult(svc.Submit(ctx, actorOf(ctx), in.ID))
		})

	register(s, member, huma.Operation{OperationID: "record-postal-statement", Errors: []int{http.StatusConflict}, Method: http.MethodPost,
		Path: tenantBase + "/consultations/{id}/statements/postal", Tags: tags, DefaultStatus: http.StatusCreated,
		Summary:     "Record a statement received by post as the organisation's next version (managers, until closed)",
		Description: "The letter must have arrived by the deadline (422 otherwise)."},
		func(ctx context.Context, in *postalStatementIn) (*statementOut, error) {
			b := in.Body
			si := b.input()
			si.ReceivedAt = b.ReceivedAt
			return statementResult(svc.RecordPostal(ctx, actorOf(ctx), in.ID, b.OrganisationID, si))
		})

	register(s, member, huma.Operation{OperationID: "list-statement-versions", Method: http.MethodGet,
		Path: tenantBase + "/consultations/{id}/statements/{statement}/versions", Tags: tags,
		Summary: "A statement's submitted versions, newest first (staff; the organisation's guests)"},
		func(ctx context.Context, in *StatementPath) (*statementVersionsOut, error) {
			vs, err := svc.Versions(ctx, actorOf(ctx), in.ID, in.StatementID)
			if err != nil {
				return nil, err
			}
			out := &statementVersionsOut{}
			out.Body.Versions = make([]StatementVersionView, len(vs))
			for i := range vs {
				out.Body.Versions[i] = versionView(&vs[i])
			}
			return out, nil
		})
}
