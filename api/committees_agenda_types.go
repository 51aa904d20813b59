package api

import (
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/meetings"
)

// Request and response types of the agenda item routes (committees_agenda_routes.go)
// and of a meeting's agenda and papers.

// --- views ---

// AgendaItemView is one item of a meeting's agenda (Tagesordnungspunkt).
type AgendaItemView struct {
	ID          uuid.UUID  `json:"id"`
	MeetingID   uuid.UUID  `json:"meeting_id"`
	Position    int        `json:"position" doc:"Place in the whole agenda, proposals included"`
	Number      int        `json:"number" doc:"Number among the accepted items (TOP 1, 2, ...); 0 for proposed or declined ones"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Public      bool       `json:"public" doc:"Discussed in the public part of the meeting"`
	State       string     `json:"state" enum:"proposed,accepted,declined"`
	ProposedBy  uuid.UUID  `json:"proposed_by" doc:"Membership id"`
	DecidedBy   *uuid.UUID `json:"decided_by,omitempty" doc:"Membership id"`
	DecidedAt   *time.Time `json:"decided_at,omitempty"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	Automatic   bool       `json:"automatic" doc:"Kept by the system (the report on the implementation of decisions): its description is rewritten until the meeting begins"`
}

func agendaItemView(it *meetings.AgendaItem) AgendaItemView {
	return AgendaItemView{ID: it.ID, MeetingID: it.MeetingID, Position: it.Position, Number: it.Number, Title: it.Title,
		Description: it.Description, Public: it.Public, State: string(it.State), ProposedBy: it.ProposedBy, DecidedBy: it.DecidedBy,
		DecidedAt: it.DecidedAt, CreatedAt: it.CreatedAt, UpdatedAt: it.UpdatedAt, Automatic: it.Automatic}
}

func agendaView(items []meetings.AgendaItem) []AgendaItemView {
	out := make([]AgendaItemView, len(items))
	for i := range items {
		out[i] = agendaItemView(&items[i])
	}
	return out
}

// PaperView is a session paper: a document attached to an agenda item.
type PaperView struct {
	ID           uuid.UUID  `json:"id"`
	AgendaItemID uuid.UUID  `json:"agenda_item_id"`
	DocumentID   uuid.UUID  `json:"document_id"`
	RevisionID   *uuid.UUID `json:"revision_id,omitempty" doc:"The document's revision frozen when the invitation went out (or when the paper was added after it); absent before"`
	FrozenAt     *time.Time `json:"frozen_at,omitempty"`
	AddedBy      uuid.UUID  `json:"added_by" doc:"Membership id"`
	AddedAt      time.Time  `json:"added_at"`

	// What everyone who sees the item may read of it (committees/papers.go).
	Title           string         `json:"title,omitempty" doc:"The document's title (in lists)"`
	File            *PaperFileView `json:"file,omitempty" doc:"The frozen revision, readable by everyone who sees the item (content: .../agenda-items/{id}/papers/{document}/content); absent before it is frozen"`
	CanOpenDocument bool           `json:"can_open_document" doc:"The caller may also open the document itself (its folder's permissions)"`
}

// PaperFileView is a session paper's frozen revision.
type PaperFileView struct {
	RevisionID  uuid.UUID `json:"revision_id"`
	Number      int       `json:"number" doc:"The revision's number in the document's history"`
	FileName    string    `json:"file_name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size_bytes"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
	Available   bool      `json:"available" doc:"False while the document is in the trash: the paper is then not served"`
}

func paperView(p *meetings.Paper) PaperView {
	v := PaperView{ID: p.ID, AgendaItemID: p.AgendaItemID, DocumentID: p.DocumentID, RevisionID: p.RevisionID, FrozenAt: p.FrozenAt,
		AddedBy: p.AddedBy, AddedAt: p.AddedAt, Title: p.Title, CanOpenDocument: p.CanOpenDocument}
	if f := p.File; f != nil {
		v.File = &PaperFileView{RevisionID: f.RevisionID, Number: f.Number, FileName: f.FileName, ContentType: f.ContentType, Size: f.Size,
			SHA256: f.SHA256, CreatedAt: f.CreatedAt, Available: f.Available}
	}
	return v
}

// PostView is a contribution to an agenda item's discussion.
type PostView struct {
	ID           uuid.UUID `json:"id"`
	AgendaItemID uuid.UUID `json:"agenda_item_id"`
	AuthorID     uuid.UUID `json:"author_id" doc:"Membership id"`
	Body         string    `json:"body"`
	CreatedAt    time.Time `json:"created_at"`
}

func postView(p *meetings.Post) PostView {
	return PostView{ID: p.ID, AgendaItemID: p.AgendaItemID, AuthorID: p.AuthorID, Body: p.Body, CreatedAt: p.CreatedAt}
}

// ConflictView is a declaration that a member is conflicted (befangen) on an agenda item.
type ConflictView struct {
	ID           uuid.UUID `json:"id"`
	AgendaItemID uuid.UUID `json:"agenda_item_id"`
	MemberID     uuid.UUID `json:"member_id" doc:"The seat's id"`
	MembershipID uuid.UUID `json:"membership_id"`
	Reason       string    `json:"reason"`
	DeclaredAt   time.Time `json:"declared_at"`
	DeclaredBy   uuid.UUID `json:"declared_by" doc:"Membership id"`
}

func conflictView(c *meetings.ConflictDeclaration) ConflictView {
	return ConflictView{ID: c.ID, AgendaItemID: c.AgendaItemID, MemberID: c.MemberID, MembershipID: c.MembershipID, Reason: c.Reason,
		DeclaredAt: c.DeclaredAt, DeclaredBy: c.DeclaredBy}
}

// --- inputs ---

type addAgendaItemIn struct {
	TenantIDPath
	Body struct {
		Title       string `json:"title" maxLength:"500"`
		Description string `json:"description,omitempty" maxLength:"10000"`
		Public      bool   `json:"public,omitempty" doc:"Discussed in the public part of the meeting; default false (non-public)"`
	}
}

type reorderAgendaIn struct {
	TenantIDPath
	Body struct {
		Order []uuid.UUID `json:"order" maxItems:"1000" nullable:"false" doc:"Every item id of the meeting, proposals included, exactly once, in the new order"`
	}
}

type decideAgendaItemIn struct {
	TenantIDPath
	Body struct {
		Decision string `json:"decision" enum:"accept,decline"`
	}
}

type attachPaperIn struct {
	TenantIDPath
	Body struct {
		DocumentID uuid.UUID `json:"document_id" doc:"A document the caller can read"`
	}
}

// PaperPath names a session paper of an agenda item by its document.
type PaperPath struct {
	TenantIDPath
	DocumentID uuid.UUID `path:"document" doc:"The paper's document id"`
}

type paperContentIn struct {
	PaperPath
	ContentQuery
}

type addPostIn struct {
	TenantIDPath
	Body struct {
		Body string `json:"body" maxLength:"10000"`
	}
}

type declareConflictIn struct {
	TenantIDPath
	Body struct {
		MembershipID *uuid.UUID `json:"membership_id,omitempty" nullable:"false" doc:"The conflicted member; default the caller (others: administrators, chair, secretary)"`
		Reason       string     `json:"reason,omitempty" maxLength:"2000"`
	}
}

// --- outputs ---

type agendaItemOut struct{ Body AgendaItemView }

type agendaOut struct {
	Body struct {
		Items []AgendaItemView `json:"items" nullable:"false" doc:"In agenda order, proposals included"`
	}
}

type paperOut struct{ Body PaperView }

type papersOut struct {
	Body struct {
		Papers []PaperView `json:"papers" nullable:"false"`
	}
}

type postOut struct{ Body PostView }

type postsOut struct {
	Body struct {
		Posts []PostView `json:"posts" nullable:"false" doc:"Oldest first"`
	}
}

type conflictOut struct{ Body ConflictView }

type conflictsOut struct {
	Body struct {
		Conflicts []ConflictView `json:"conflicts" nullable:"false"`
	}
}
