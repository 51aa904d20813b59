package oparl

// Loaders of session papers: Consultation, Paper and File.

import (
	"slices"

	"github.com/google/uuid"
)

// --- Consultation, Paper and File -----------------------------------------

type consultationRow struct {
	ID           uuid.UUID `gorm:"column:id"`
	DocumentID   uuid.UUID `gorm:"column:document_id"`
	RevisionID   uuid.UUID `gorm:"column:revision_id"`
	AgendaItemID uuid.UUID `gorm:"column:agenda_item_id"`
	MeetingID    uuid.UUID `gorm:"column:meeting_id"`
	CommitteeID  uuid.UUID `gorm:"column:committee_id"`
	DeletedAt    dbTime    `gorm:"column:deleted_at"`
	Created      dbTime    `gorm:"column:created"`
	Modified     dbTime    `gorm:"column:modified"`
}

func (r *reader) consultation(row consultationRow, embedded bool) Consultation {
	c := Consultation{ID: r.u.obj("consultations", row.ID), Type: Schema + "Consultation", AgendaItem: r.u.obj("agenda-items", row.AgendaItemID),
		Meeting: r.u.obj("meetings", row.MeetingID), Organization: []string{r.u.obj("organizations", row.CommitteeID)},
		Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
	if !embedded {
		c.Paper = r.u.obj("papers", row.DocumentID)
	}
	return c
}

func loadConsultations(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []consultationRow
	if err := r.rows(kinds["consultations"], ids, &rows); err != nil {
		return nil, err
	}
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		if row.DeletedAt.Valid {
			out[row.ID] = r.tombstone("Consultation", row.ID, "consultations", row.Created, row.Modified)
			continue
		}
		out[row.ID] = r.consultation(row, false)
	}
	return out, nil
}

type paperRow struct {
	ID          uuid.UUID `gorm:"column:id"`
	Title       string    `gorm:"column:title"`
	FilePlanRef string    `gorm:"column:file_plan_ref"`
	DeletedAt   dbTime    `gorm:"column:deleted_at"`
	FirstFrozen dbTime    `gorm:"column:first_frozen"`
	Created     dbTime    `gorm:"column:created"`
	Modified    dbTime    `gorm:"column:modified"`
}

func loadPapers(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []paperRow
	if err := r.rows(kinds["papers"], ids, &rows); err != nil {
		return nil, err
	}
	var cons []consultationRow
	if err := r.where(kinds["consultations"], "x.document_id IN ?", &cons, ids); err != nil {
		return nil, err
	}
	slices.SortFunc(cons, func(a, b consultationRow) int { return a.Created.T.Compare(b.Created.T) })
	var files []fileRow
	if err := r.where(kinds["files"], "x.document_id IN ?", &files, ids); err != nil {
		return nil, err
	}
	// Newest revision first: it is the paper's main file.
	slices.SortFunc(files, func(a, b fileRow) int { return b.Number - a.Number })
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		if row.DeletedAt.Valid {
			out[row.ID] = r.tombstone("Paper", row.ID, "papers", row.Created, row.Modified)
			continue
		}
		p := Paper{ID: r.u.obj("papers", row.ID), Type: Schema + "Paper", Body: r.u.body, Name: row.Title, Reference: row.FilePlanRef,
			Date: dateOf(row.FirstFrozen.T), PaperType: "Sitzungsunterlage", Consultation: []Consultation{},
			Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
		for _, c := range cons {
			if c.DocumentID == row.ID {
				p.Consultation = append(p.Consultation, r.consultation(c, true))
			}
		}
		for _, f := range files {
			if f.DocumentID != row.ID {
				continue
			}
			ff := r.file(f, nil)
			if p.MainFile == nil {
				p.MainFile = &ff
			} else {
				p.AuxiliaryFile = append(p.AuxiliaryFile, ff)
			}
		}
		out[row.ID] = p
	}
	return out, nil
}

type fileRow struct {
	ID          uuid.UUID `gorm:"column:id"`
	DocumentID  uuid.UUID `gorm:"column:document_id"`
	Number      int       `gorm:"column:number"`
	FileName    string    `gorm:"column:file_name"`
	ContentType string    `gorm:"column:content_type"`
	SizeBytes   int64     `gorm:"column:size_bytes"`
	DeletedAt   dbTime    `gorm:"column:deleted_at"`
	Created     dbTime    `gorm:"column:created"`
	Modified    dbTime    `gorm:"column:modified"`
}

// file renders a revision; cons, when given, are the public consultations
// that froze it (for the back-references of a file read on its own).
func (r *reader) file(row fileRow, cons []consultationRow) File {
	f := File{ID: r.u.obj("files", row.ID), Type: Schema + "File", Name: row.FileName, FileName: row.FileName, MimeType: row.ContentType,
		Date: dateOf(row.Created.T), Size: row.SizeBytes, AccessURL: r.u.obj("files", row.ID) + "/download",
		DownloadURL: r.u.obj("files", row.ID) + "/download?disposition=attachment", Created: stamp(row.Created.T), Modified: stamp(row.Modified.T)}
	add := func(list []string, s string) []string {
		if !slices.Contains(list, s) {
			list = append(list, s)
		}
		return list
	}
	for _, c := range cons {
		if c.RevisionID == row.ID {
			f.Paper = add(f.Paper, r.u.obj("papers", c.DocumentID))
			f.AgendaItem = add(f.AgendaItem, r.u.obj("agenda-items", c.AgendaItemID))
			f.Meeting = add(f.Meeting, r.u.obj("meetings", c.MeetingID))
		}
	}
	return f
}

func loadFiles(r *reader, ids []uuid.UUID) (map[uuid.UUID]any, error) {
	var rows []fileRow
	if err := r.rows(kinds["files"], ids, &rows); err != nil {
		return nil, err
	}
	var cons []consultationRow
	if err := r.where(kinds["consultations"], "x.revision_id IN ?", &cons, ids); err != nil {
		return nil, err
	}
	slices.SortFunc(cons, func(a, b consultationRow) int { return a.Created.T.Compare(b.Created.T) })
	out := map[uuid.UUID]any{}
	for _, row := range rows {
		if row.DeletedAt.Valid {
			out[row.ID] = r.tombstone("File", row.ID, "files", row.Created, row.Modified)
			continue
		}
		out[row.ID] = r.file(row, cons)
	}
	return out, nil
}
