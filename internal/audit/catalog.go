package audit

import (
	"slices"
	"strings"
)

// Label is a text for people, in German (the default) and English.
type Label struct {
	DE string `json:"de"`
	EN string `json:"en"`
}

// ModuleInfo is one module of the platform whose actions the log records.
// An action belongs to the module named before the first dot of its key.
type ModuleInfo struct {
	Key   string
	Label Label
}

// ActionInfo describes one action the platform records.
type ActionInfo struct {
	Key   string
	Label Label
	// NameKey is the detail that carries the target's name at the time of
	// the event ("" if none): the last known name of an object that has
	// since been deleted.
	NameKey string
	// Refs names the object types of details that hold an object id, beyond
	// the common ones in refKeys (a detail "to" is a folder only for a move).
	Refs map[string]string
}

// Module is the module the action belongs to.
func (a ActionInfo) Module() string {
	m, _, _ := strings.Cut(a.Key, ".")
	return m
}

// TypeInfo is one kind of object an entry can name (its target type).
type TypeInfo struct {
	Key   string
	Label Label
}

// The catalogue is the one list of what the log can contain: every action
// any package records must be here with its German and English label
// (TestEveryRecordedActionIsCatalogued scans the source for them). An
// action no code records any more stays listed: old entries still carry it.

var modules = []ModuleInfo{
	{"auth", Label{"Anmeldung und Sicherheit", "Sign-in and security"}},
	{"tenant", Label{"Mitglieder und Einstellungen", "Members and settings"}},
	{"documents", Label{"Dokumente", "Documents"}},
	{"committees", Label{"Gremien und Sitzungen", "Committees and meetings"}},
	{"workspaces", Label{"Arbeitsräume", "Workspaces"}},
	{"contacts", Label{"Adressverzeichnis", "Address book"}},
	{"consultations", Label{"Beteiligungsverfahren", "Consultations"}},
	{"notifications", Label{"Benachrichtigungen", "Notifications"}},
	{"tasks", Label{"Aufgaben und Projekte", "Tasks and projects"}},
}

var actions = []ActionInfo{
	// auth: account-level events, recorded in every tenant of the account.
	{Key: ActionLoginSucceeded, Label: Label{"Anmeldung erfolgreich", "Signed in"}},
	{Key: ActionLoginFailed, Label: Label{"Anmeldung fehlgeschlagen", "Sign-in failed"}},
	{Key: ActionSecondFactorFailed, Label: Label{"Zweiter Faktor falsch", "Wrong second factor"}},
	{Key: ActionAccountLocked, Label: Label{"Konto vorübergehend gesperrt", "Account locked for a while"}},
	{Key: ActionSignInBraked, Label: Label{"Anmeldung gebremst (Fehlversuche von vielen Adressen)", "Sign-in slowed down (failures from many addresses)"}},
	{Key: ActionRecoveryCodeUsed, Label: Label{"Wiederherstellungscode benutzt", "Recovery code used"}},
	{Key: ActionLogout, Label: Label{"Abmeldung", "Signed out"}},
	{Key: ActionPasswordChanged, Label: Label{"Passwort geändert", "Password changed"}},
	{Key: ActionTOTPEnabled, Label: Label{"Zwei-Faktor-Anmeldung eingerichtet", "Two-factor sign-in set up"}},
	{Key: ActionTOTPReset, Label: Label{"Zwei-Faktor-Anmeldung zurückgesetzt", "Two-factor sign-in reset"}, NameKey: "email"},
	{Key: ActionRecoveryRegenerated, Label: Label{"Wiederherstellungscodes erneuert", "Recovery codes renewed"}},
	{Key: ActionTokenCreated, Label: Label{"API-Token erstellt", "API token created"}, NameKey: "name"},
	{Key: ActionTokenRevoked, Label: Label{"API-Token widerrufen", "API token revoked"}, NameKey: "name"},
	{Key: ActionReauthenticated, Label: Label{"Identität bestätigt", "Identity confirmed"}},

	// tenant
	{Key: ActionTenantCreated, Label: Label{"Mandant angelegt", "Tenant created"}},
	{Key: ActionPolicyChanged, Label: Label{"Einstellungen geändert (2FA-Pflicht, OParl, Sprache)", "Settings changed (2FA requirement, OParl, language)"}},
	{Key: ActionMemberInvited, Label: Label{"Person eingeladen", "Person invited"}, NameKey: "email"},
	{Key: ActionInvitationResent, Label: Label{"Einladung erneut gesendet", "Invitation sent again"}, NameKey: "email"},
	{Key: ActionInvitationRevoked, Label: Label{"Einladung zurückgezogen", "Invitation withdrawn"}, NameKey: "email"},
	{Key: ActionInvitationAccepted, Label: Label{"Einladung angenommen", "Invitation accepted"}},
	{Key: ActionMemberAdded, Label: Label{"Mitglied aufgenommen", "Member added"}},
	{Key: ActionRoleChanged, Label: Label{"Rolle geändert", "Role changed"}, NameKey: "email"},
	{Key: ActionMemberDeactivated, Label: Label{"Mitglied deaktiviert", "Member deactivated"}, NameKey: "email"},
	{Key: ActionMemberReactivated, Label: Label{"Mitglied reaktiviert", "Member reactivated"}, NameKey: "email"},
	{Key: ActionGroupCreated, Label: Label{"Gruppe angelegt", "Group created"}, NameKey: "name"},
	{Key: ActionGroupDeleted, Label: Label{"Gruppe gelöscht", "Group deleted"}, NameKey: "name"},
	{Key: ActionGroupUpdated, Label: Label{"Gruppe umbenannt oder Beschreibung geändert", "Group renamed or description changed"}, NameKey: "to"},
	{Key: ActionGroupMemberAdded, Label: Label{"Gruppenmitglied hinzugefügt", "Group member added"}},
	{Key: ActionGroupMemberRemoved, Label: Label{"Gruppenmitglied entfernt", "Group member removed"}},

	// documents (keys defined in package documents)
	{Key: "documents.folder.created", Label: Label{"Ordner angelegt", "Folder created"}, NameKey: "name"},
	{Key: "documents.folder.renamed", Label: Label{"Ordner umbenannt", "Folder renamed"}, NameKey: "to"},
	{Key: "documents.folder.moved", Label: Label{"Ordner verschoben", "Folder moved"}, Refs: map[string]string{"from": "folder", "to": "folder"}},
	{Key: "documents.folder.copied", Label: Label{"Ordner kopiert", "Folder copied"}, Refs: map[string]string{"source_id": "folder"}},
	{Key: "documents.folder.trashed", Label: Label{"Ordner in den Papierkorb verschoben", "Folder moved to the trash"}, NameKey: "name"},
	{Key: "documents.folder.restored", Label: Label{"Ordner wiederhergestellt", "Folder restored"}, NameKey: "name"},
	{Key: "documents.folder.purged", Label: Label{"Ordner endgültig gelöscht", "Folder deleted for good"}, NameKey: "name"},
	{Key: "documents.folder.acl_changed", Label: Label{"Freigaben eines Ordners geändert", "Folder permissions changed"}},
	{Key: "documents.folder.inheritance_changed", Label: Label{"Vererbung der Freigaben geändert", "Permission inheritance changed"}},
	{Key: "documents.folder.retention_changed", Label: Label{"Aufbewahrungsfrist geändert", "Retention period changed"}},
	{Key: "documents.document.created", Label: Label{"Dokument angelegt", "Document created"}, NameKey: "title"},
	{Key: "documents.document.updated", Label: Label{"Angaben eines Dokuments geändert", "Document details changed"}},
	{Key: "documents.document.moved", Label: Label{"Dokument verschoben", "Document moved"}, Refs: map[string]string{"from": "folder", "to": "folder"}},
	{Key: "documents.document.copied", Label: Label{"Dokument kopiert", "Document copied"}, Refs: map[string]string{"source_id": "document"}},
	{Key: "documents.document.trashed", Label: Label{"Dokument in den Papierkorb verschoben", "Document moved to the trash"}, NameKey: "title"},
	{Key: "documents.document.restored", Label: Label{"Dokument wiederhergestellt", "Document restored"}},
	{Key: "documents.document.purged", Label: Label{"Dokument endgültig gelöscht", "Document deleted for good"}, NameKey: "title"},
	{Key: "documents.document.legal_hold_set", Label: Label{"Löschsperre gesetzt", "Legal hold set"}},
	{Key: "documents.document.legal_hold_cleared", Label: Label{"Löschsperre aufgehoben", "Legal hold lifted"}},
	{Key: "documents.document.checked_out", Label: Label{"Dokument ausgecheckt", "Document checked out"}},
	{Key: "documents.document.checked_in", Label: Label{"Dokument eingecheckt", "Document checked in"}},
	{Key: "documents.document.lock_broken", Label: Label{"Auscheck-Sperre aufgehoben", "Check-out lock broken"}},
	{Key: "documents.document.downloaded", Label: Label{"Dokument heruntergeladen", "Document downloaded"}},
	{Key: "documents.revision.added", Label: Label{"Neue Fassung hochgeladen", "New version uploaded"}},
	{Key: "documents.revision.restored", Label: Label{"Frühere Fassung wiederhergestellt", "Earlier version restored"}},

	// committees (keys defined in package committees)
	{Key: "committees.committee.created", Label: Label{"Gremium angelegt", "Committee created"}, NameKey: "name"},
	{Key: "committees.committee.updated", Label: Label{"Gremium geändert", "Committee changed"}, NameKey: "name"},
	{Key: "committees.member.set", Label: Label{"Gremienmitglied eingetragen oder geändert", "Committee member added or changed"}},
	{Key: "committees.member.removed", Label: Label{"Gremienmitglied ausgetragen", "Committee member removed"}},
	{Key: "committees.meeting.created", Label: Label{"Sitzung angelegt", "Meeting created"}, NameKey: "title"},
	{Key: "committees.meeting.updated", Label: Label{"Sitzung geändert", "Meeting changed"}},
	{Key: "committees.meeting.state_changed", Label: Label{"Sitzungsstand geändert", "Meeting stage changed"}},
	{Key: "committees.meeting.cancelled", Label: Label{"Sitzung abgesagt", "Meeting cancelled"}},
	{Key: "committees.meeting.current_item", Label: Label{"Tagesordnungspunkt aufgerufen", "Agenda item called"},
		Refs: map[string]string{"agenda_item_id": TypeAgendaItem}},
	{Key: "committees.agenda_item.added", Label: Label{"Tagesordnungspunkt hinzugefügt", "Agenda item added"}, NameKey: "title"},
	{Key: "committees.agenda_item.decided", Label: Label{"Über Tagesordnungspunkt entschieden", "Agenda item accepted or declined"}},
	{Key: "committees.agenda_item.updated", Label: Label{"Tagesordnungspunkt geändert", "Agenda item changed"}},
	{Key: "committees.agenda_item.posted", Label: Label{"Beitrag zu einem Tagesordnungspunkt", "Comment on an agenda item"}},
	{Key: "committees.agenda.reordered", Label: Label{"Tagesordnung umsortiert", "Agenda reordered"}},
	{Key: "committees.paper.attached", Label: Label{"Sitzungsunterlage angehängt", "Meeting paper attached"}},
	{Key: "committees.paper.detached", Label: Label{"Sitzungsunterlage entfernt", "Meeting paper removed"}},
	{Key: "committees.attendance.changed", Label: Label{"Anwesenheit erfasst", "Attendance recorded"}},
	{Key: "committees.conflict.declared", Label: Label{"Befangenheit erklärt", "Conflict of interest declared"}},
	{Key: "committees.conflict.withdrawn", Label: Label{"Befangenheit zurückgezogen", "Conflict of interest withdrawn"}},
	{Key: "committees.delegation.created", Label: Label{"Stimmrecht übertragen", "Vote delegated"}},
	{Key: "committees.delegation.revoked", Label: Label{"Stimmrechtsübertragung widerrufen", "Vote delegation revoked"}},
	{Key: "notifications.preferences.updated", Label: Label{"Benachrichtigungseinstellungen geändert", "Notification preferences changed"}},
	{Key: "committees.poll.created", Label: Label{"Abstimmung angelegt", "Poll created"}, NameKey: "title"},
	{Key: "committees.poll.updated", Label: Label{"Abstimmungsentwurf geändert", "Draft poll changed"},
		Refs: map[string]string{"agenda_item_id": TypeAgendaItem, "from_agenda_item_id": TypeAgendaItem}},
	{Key: "committees.poll.deleted", Label: Label{"Abstimmungsentwurf gelöscht", "Draft poll deleted"}, NameKey: "title",
		Refs: map[string]string{"agenda_item_id": TypeAgendaItem}},
	{Key: "committees.poll.opened", Label: Label{"Abstimmung geöffnet", "Poll opened"}},
	{Key: "committees.poll.closed", Label: Label{"Abstimmung beendet und ausgezählt", "Poll closed and counted"}},
	{Key: "committees.poll.published", Label: Label{"Abstimmungsergebnis veröffentlicht", "Poll result published"}},
	{Key: "committees.poll.annulled", Label: Label{"Abstimmung annulliert", "Poll annulled"}},
	{Key: "committees.poll.ballot_cast", Label: Label{"Stimme abgegeben", "Ballot cast"}},
	{Key: "committees.minutes.created", Label: Label{"Entwurf der Niederschrift angelegt", "Draft minutes created"}},
	{Key: "committees.minutes.edited", Label: Label{"Niederschrift bearbeitet", "Minutes edited"},
		Refs: map[string]string{"annulled_poll_id": TypePoll}},
	{Key: "committees.minutes.approved", Label: Label{"Niederschrift genehmigt", "Minutes approved"}},
	{Key: "committees.minutes.filed", Label: Label{"Niederschrift abgelegt", "Minutes filed"}},
	{Key: "committees.extract.filed", Label: Label{"Beschlussauszug abgelegt", "Decision extract filed"}},
	{Key: "committees.paper.read", Label: Label{"Sitzungsunterlage gelesen", "Meeting paper read"}},
	{Key: "committees.committee.filing_folder_set", Label: Label{"Ablageordner des Gremiums angelegt", "Committee's filing folder created"}},

	// workspaces (keys defined in package workspaces)
	{Key: "workspaces.workspace.created", Label: Label{"Arbeitsraum angelegt", "Workspace created"}, NameKey: "name",
		Refs: map[string]string{"responsible_id": TypeMembership}},
	{Key: "workspaces.workspace.updated", Label: Label{"Arbeitsraum geändert", "Workspace changed"}, NameKey: "name",
		Refs: map[string]string{"responsible_id": TypeMembership}},
	{Key: "workspaces.workspace.archived", Label: Label{"Arbeitsraum archiviert", "Workspace archived"}},
	{Key: "workspaces.workspace.restored", Label: Label{"Arbeitsraum reaktiviert", "Workspace restored"}},
	{Key: "workspaces.member.added", Label: Label{"Mitglied in Arbeitsraum aufgenommen", "Workspace member added"}},
	{Key: "workspaces.member.role_changed", Label: Label{"Rolle im Arbeitsraum geändert", "Workspace role changed"}},
	{Key: "workspaces.member.removed", Label: Label{"Mitglied aus Arbeitsraum entfernt", "Workspace member removed"}},
	{Key: "workspaces.member.joined", Label: Label{"Arbeitsraum beigetreten", "Joined a workspace"}},
	{Key: "workspaces.member.left", Label: Label{"Arbeitsraum verlassen", "Left a workspace"}},
	{Key: "workspaces.guest.invited", Label: Label{"Gast in Arbeitsraum eingeladen", "Guest invited into a workspace"}, NameKey: "email"},
	{Key: "workspaces.guest.admitted", Label: Label{"Gast in Arbeitsraum aufgenommen", "Guest admitted to a workspace"}},
	{Key: "workspaces.guest.invitation_withdrawn", Label: Label{"Gasteinladung zurückgezogen", "Guest invitation withdrawn"}},
	{Key: "workspaces.guest.renewed", Label: Label{"Gastzugang verlängert", "Guest access renewed"}, NameKey: "email"},
	{Key: "workspaces.guest.updated", Label: Label{"Gast geändert", "Guest changed"}, NameKey: "email",
		Refs: map[string]string{"sponsor_id": TypeMembership}},
	{Key: "workspaces.guest.offboarded", Label: Label{"Gastzugang beendet", "Guest access ended"}, NameKey: "email"},
	{Key: "workspaces.guest.expired", Label: Label{"Gastzugang abgelaufen", "Guest access ran out"}},
	// contacts: the address book (keys defined in package workspaces/contacts)
	{Key: "contacts.organisation.created", Label: Label{"Organisation angelegt", "Organisation created"}, NameKey: "name"},
	{Key: "contacts.organisation.updated", Label: Label{"Organisation geändert", "Organisation changed"}, NameKey: "name"},
	{Key: "contacts.organisation.deleted", Label: Label{"Organisation gelöscht", "Organisation deleted"}, NameKey: "name"},
	{Key: "contacts.contact.created", Label: Label{"Kontaktperson angelegt", "Contact created"}, NameKey: "name",
		Refs: map[string]string{"organisation_id": TypeOrganisation}},
	{Key: "contacts.contact.updated", Label: Label{"Kontaktperson geändert", "Contact changed"}, NameKey: "name",
		Refs: map[string]string{"organisation_id": TypeOrganisation}},
	{Key: "contacts.contact.deleted", Label: Label{"Kontaktperson gelöscht", "Contact deleted"}, NameKey: "name",
		Refs: map[string]string{"organisation_id": TypeOrganisation}},
	{Key: "contacts.import.applied", Label: Label{"Adressen importiert", "Addresses imported"}},
	{Key: "contacts.export.downloaded", Label: Label{"Adressverzeichnis exportiert", "Address book exported"}},
	// consultations (keys defined in package workspaces/consultations)
	{Key: "consultations.consultation.created", Label: Label{"Beteiligungsverfahren angelegt", "Consultation created"}, NameKey: "subject"},
	{Key: "consultations.consultation.updated", Label: Label{"Beteiligungsverfahren geändert", "Consultation changed"}, NameKey: "subject"},
	{Key: "consultations.consultation.opened", Label: Label{"Beteiligungsverfahren eröffnet", "Consultation opened"}, NameKey: "subject"},
	{Key: "consultations.consultation.extended", Label: Label{"Frist des Beteiligungsverfahrens geändert", "Consultation deadline changed"}, NameKey: "subject"},
	{Key: "consultations.consultation.closed", Label: Label{"Beteiligungsverfahren abgeschlossen", "Consultation closed"}, NameKey: "subject"},
	{Key: "consultations.consultation.reminded", Label: Label{"An Stellungnahme erinnert", "Reminded of the statement"}},
	{Key: "consultations.synopsis.filed", Label: Label{"Synopse abgelegt", "Synopsis filed"},
		Refs: map[string]string{"pdf_document_id": TypeDocument, "odt_document_id": TypeDocument}},
	{Key: "consultations.statement.draft_saved", Label: Label{"Entwurf einer Stellungnahme gespeichert", "Statement draft saved"},
		Refs: map[string]string{"organisation_id": TypeOrganisation}},
	{Key: "consultations.statement.submitted", Label: Label{"Stellungnahme eingereicht", "Statement submitted"},
		Refs: map[string]string{"organisation_id": TypeOrganisation}},
	{Key: "consultations.statement.postal_recorded", Label: Label{"Stellungnahme per Post erfasst", "Postal statement recorded"},
		Refs: map[string]string{"organisation_id": TypeOrganisation}},
	{Key: "consultations.statement.file_attached", Label: Label{"Datei zu einer Stellungnahme hochgeladen", "File attached to a statement"},
		Refs: map[string]string{"organisation_id": TypeOrganisation}},
	{Key: "consultations.statement.imported", Label: Label{"Stellungnahme in die Akte übernommen", "Statement imported into the case file"},
		Refs: map[string]string{"organisation_id": TypeOrganisation}},
	{Key: "consultations.file.read", Label: Label{"Datei eines Beteiligungsverfahrens gelesen", "Consultation file read"}},

	// tasks (keys defined in package tasks)
	{Key: "tasks.task.created", Label: Label{"Aufgabe angelegt", "Task created"}, NameKey: "title",
		Refs: map[string]string{"workspace_id": TypeWorkspace}},
	{Key: "tasks.task.updated", Label: Label{"Aufgabe geändert", "Task changed"}, NameKey: "title"},
	{Key: "tasks.task.deleted", Label: Label{"Aufgabe gelöscht", "Task deleted"}, NameKey: "title",
		Refs: map[string]string{"workspace_id": TypeWorkspace}},
	{Key: "tasks.task.moved", Label: Label{"Aufgabe auf der Tafel verschoben", "Task moved on the board"}, NameKey: "title"},
	{Key: "tasks.comment.created", Label: Label{"Aufgabe kommentiert", "Task commented on"}, NameKey: "title"},
	{Key: "tasks.comment.updated", Label: Label{"Kommentar zu einer Aufgabe geändert", "Task comment changed"}, NameKey: "title"},
	{Key: "tasks.comment.deleted", Label: Label{"Kommentar zu einer Aufgabe zurückgezogen", "Task comment withdrawn"}, NameKey: "title"},
	{Key: "tasks.link.created", Label: Label{"Aufgaben verknüpft", "Tasks linked"}, NameKey: "title"},
	{Key: "tasks.link.deleted", Label: Label{"Verknüpfung von Aufgaben gelöst", "Tasks unlinked"}, NameKey: "title"},
	{Key: "tasks.document.attached", Label: Label{"Dokument an Aufgabe gehängt", "Document attached to a task"}, NameKey: "title"},
	{Key: "tasks.document.detached", Label: Label{"Dokument von Aufgabe gelöst", "Document detached from a task"}, NameKey: "title"},
	{Key: "tasks.status.created", Label: Label{"Aufgabenstatus angelegt", "Task status added"}, NameKey: "name"},
	{Key: "tasks.status.updated", Label: Label{"Aufgabenstatus geändert", "Task status changed"}, NameKey: "name"},
	{Key: "tasks.status.deleted", Label: Label{"Aufgabenstatus gelöscht", "Task status deleted"}, NameKey: "name"},
	{Key: "tasks.settings.updated", Label: Label{"Aufgabeneinstellungen des Arbeitsraums geändert", "Workspace task settings changed"}},
	{Key: "tasks.project.updated", Label: Label{"Projektplan festgelegt", "Project plan set"}, NameKey: "name",
		Refs: map[string]string{"lead_id": TypeMembership}},
	{Key: "tasks.project.ended", Label: Label{"Projekt beendet", "Project ended"}, NameKey: "name"},
	{Key: "tasks.project.reported", Label: Label{"Projektstatus berichtet", "Project status reported"}, NameKey: "name"},

	// tasks: checklists and checklist templates (keys defined in package tasks)
	{Key: "tasks.checklist.created", Label: Label{"Prüfliste zu einer Aufgabe angelegt", "Checklist added to a task"}, NameKey: "title",
		Refs: map[string]string{"template_id": TypeChecklistTemplate}},
	{Key: "tasks.checklist.updated", Label: Label{"Prüfliste einer Aufgabe umbenannt oder verschoben", "Task checklist renamed or moved"}, NameKey: "title"},
	{Key: "tasks.checklist.deleted", Label: Label{"Prüfliste einer Aufgabe gelöscht", "Task checklist deleted"}, NameKey: "title"},
	{Key: "tasks.checklist.item_added", Label: Label{"Punkt einer Prüfliste hinzugefügt", "Checklist item added"}, NameKey: "title"},
	{Key: "tasks.checklist.item_updated", Label: Label{"Punkt einer Prüfliste geändert", "Checklist item changed"}, NameKey: "title"},
	{Key: "tasks.checklist.item_ticked", Label: Label{"Punkt einer Prüfliste abgehakt", "Checklist item ticked"}, NameKey: "title"},
	{Key: "tasks.checklist.item_unticked", Label: Label{"Haken an einem Punkt einer Prüfliste entfernt", "Checklist item unticked"}, NameKey: "title"},
	{Key: "tasks.checklist.item_deleted", Label: Label{"Punkt einer Prüfliste gelöscht", "Checklist item deleted"}, NameKey: "title"},
	{Key: "tasks.template.created", Label: Label{"Prüflisten-Vorlage angelegt", "Checklist template created"}, NameKey: "name",
		Refs: map[string]string{"workspace_id": TypeWorkspace}},
	{Key: "tasks.template.updated", Label: Label{"Prüflisten-Vorlage geändert (neue Version)", "Checklist template changed (new version)"}, NameKey: "name"},
	{Key: "tasks.template.archived", Label: Label{"Prüflisten-Vorlage archiviert", "Checklist template archived"}, NameKey: "name"},

	// tasks: four-eyes sign-off (Mitzeichnung; target: the request)
	{Key: "tasks.signoff.requested", Label: Label{"Um Mitzeichnung gebeten", "Sign-off requested"}, NameKey: "title", Refs: signoffRefs},
	{Key: "tasks.signoff.approved", Label: Label{"Schritt einer Mitzeichnung erteilt", "Sign-off step approved"}, NameKey: "title", Refs: signoffRefs},
	{Key: "tasks.signoff.returned", Label: Label{"Mitzeichnung zurückgegeben", "Sign-off returned"}, NameKey: "title", Refs: signoffRefs},
	{Key: "tasks.signoff.completed", Label: Label{"Mitzeichnung abgeschlossen: mitgezeichnet", "Sign-off completed: approved"}, NameKey: "title", Refs: signoffRefs},
	{Key: "tasks.signoff.withdrawn", Label: Label{"Bitte um Mitzeichnung zurückgezogen", "Sign-off request withdrawn"}, NameKey: "title", Refs: signoffRefs},
	{Key: "tasks.signoff.superseded", Label: Label{"Mitzeichnung durch eine neue Version abgelöst", "Sign-off superseded by a new revision"}, NameKey: "title", Refs: signoffRefs},
	{Key: "tasks.signoff.restarted", Label: Label{"Mitzeichnung für eine neue Version neu gestartet", "Sign-off restarted for a new revision"}, NameKey: "title",
		Refs: map[string]string{"task_id": TypeTask, "restarted_from": TypeSignoff}},

	// decisions become tasks and report back (tasks/decisions*.go, meetings/followups*.go)
	{Key: "tasks.follow_up.created", Label: Label{"Folgeaufgabe aus einem Beschluss angelegt", "Follow-up task created from a decision"}, NameKey: "title",
		Refs: map[string]string{"workspace_id": TypeWorkspace, "agenda_item_id": TypeAgendaItem, "poll_id": TypePoll}},
	{Key: "committees.agenda_item.report_created", Label: Label{"Bericht über die Umsetzung von Beschlüssen auf die Tagesordnung gesetzt",
		"Report on the implementation of decisions put on the agenda"}, NameKey: "title"},
	{Key: "committees.agenda_item.report_updated", Label: Label{"Bericht über die Umsetzung von Beschlüssen fortgeschrieben",
		"Report on the implementation of decisions brought up to date"}},
	// tasks: deadline monitoring (tasks/remind.go, tasks/settings.go)
	{Key: "tasks.reminders.sent", Label: Label{"Erinnerungen, Überfälligkeits- und Eskalationshinweise zu Aufgaben versandt", "Task reminders, overdue notices and escalations sent"}},
	{Key: "tasks.reminder_lead.updated", Label: Label{"Vorlauf der Aufgabenerinnerung geändert", "Task reminder lead changed"}},
}

// Object types an entry can name, as targets or in its details.
const (
	TypeUser       = "user"
	TypeMembership = "membership"
	TypeSession    = "session"
	TypeInvitation = "invitation"
	TypeTenant     = "tenant"
	TypeGroup      = "group"
	TypeAPIToken   = "api_token"
	TypeFolder     = "folder"
	TypeDocument   = "document"
	TypeCommittee  = "committee"
	TypeMeeting    = "meeting"
	TypeAgendaItem = "agenda_item"
	TypePoll       = "poll"
	TypeWorkspace  = "workspace"
	// TypeOrganisation and TypeContact are the address book's (workspaces/contacts).
	TypeOrganisation = "organisation"
	TypeContact      = "contact"
	// TypeConsultation is a consultation (workspaces/consultations).
	TypeConsultation = "consultation"
	// TypeTask is a task (tasks).
	TypeTask = "task"
	// TypeChecklistTemplate is a checklist template (tasks).
	TypeChecklistTemplate = "checklist_template"
	// TypeSignoff is a sign-off request (Mitzeichnung, tasks).
	TypeSignoff = "signoff"
)

// signoffRefs are the details of a sign-off's actions that name objects.
var signoffRefs = map[string]string{"task_id": TypeTask}

var types = []TypeInfo{
	{TypeUser, Label{"Konto", "Account"}},
	{TypeMembership, Label{"Mitglied", "Member"}},
	{TypeSession, Label{"Sitzung im Browser", "Browser session"}},
	{TypeInvitation, Label{"Einladung", "Invitation"}},
	{TypeTenant, Label{"Mandant", "Tenant"}},
	{TypeGroup, Label{"Gruppe", "Group"}},
	{TypeAPIToken, Label{"API-Token", "API token"}},
	{TypeFolder, Label{"Ordner", "Folder"}},
	{TypeDocument, Label{"Dokument", "Document"}},
	{TypeCommittee, Label{"Gremium", "Committee"}},
	{TypeMeeting, Label{"Sitzung", "Meeting"}},
	{TypeAgendaItem, Label{"Tagesordnungspunkt", "Agenda item"}},
	{TypePoll, Label{"Abstimmung", "Poll"}},
	{TypeWorkspace, Label{"Arbeitsraum", "Workspace"}},
	{TypeOrganisation, Label{"Organisation", "Organisation"}},
	{TypeContact, Label{"Kontaktperson", "Contact"}},
	{TypeConsultation, Label{"Beteiligungsverfahren", "Consultation"}},
	{TypeTask, Label{"Aufgabe", "Task"}},
	{TypeChecklistTemplate, Label{"Prüflisten-Vorlage", "Checklist template"}},
	{TypeSignoff, Label{"Mitzeichnung", "Sign-off"}},
}

// refKeys are the details that name an object by its id in every action.
var refKeys = map[string]string{
	"user_id":               TypeUser,
	"membership_id":         TypeMembership,
	"voter_membership_id":   TypeMembership,
	"cast_by_membership_id": TypeMembership,
	"from_membership_id":    TypeMembership,
	"to_membership_id":      TypeMembership,
	"invitation_id":         TypeInvitation,
	"folder_id":             TypeFolder,
	"parent_id":             TypeFolder,
	"document_id":           TypeDocument,
	"committee_id":          TypeCommittee,
	"meeting_id":            TypeMeeting,
	"workspace_id":          TypeWorkspace,
}

var actionIndex = func() map[string]int {
	m := make(map[string]int, len(actions))
	for i, a := range actions {
		m[a.Key] = i
	}
	return m
}()

// Modules lists the modules, in the order an admin meets them.
func Modules() []ModuleInfo { return slices.Clone(modules) }

// Actions lists every action the platform records.
func Actions() []ActionInfo { return slices.Clone(actions) }

// Types lists the object types entries name.
func Types() []TypeInfo { return slices.Clone(types) }

// LookupAction returns the catalogue entry of an action key.
func LookupAction(key string) (ActionInfo, bool) {
	i, ok := actionIndex[key]
	if !ok {
		return ActionInfo{}, false
	}
	return actions[i], true
}

// refType is the object type a detail of the action names, or "".
func refType(action, key string) string {
	if a, ok := LookupAction(action); ok {
		if t, ok := a.Refs[key]; ok {
			return t
		}
	}
	return refKeys[key]
}
