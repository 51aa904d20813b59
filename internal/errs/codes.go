package errs

// codeText is the public form of a Code: its HTTP status (a plain number:
// this package knows no transport), title and default detail.
type codeText struct {
	status        int
	title, detail Msg
}

// codes is the one table of the error classes: the JSON API answers each
// with this status, title and (unless the error carries its own) detail;
// WebDAV and OParl take their statuses from it too (their few deviations
// are listed there, by code).
var codes = map[Code]codeText{
	Invalid:              {422, M("errs.invalid-input.title", "Ungültige Eingabe", "Invalid input"), M("errs.invalid-input", "Bitte die markierten Angaben prüfen.", "Please check the highlighted input.")},                                                                                                                                                                                  // UnprocessableEntity
	NotFound:             {404, M("errs.not-found.title", "Nicht gefunden", "Not found"), M("errs.not-found", "Das angefragte Objekt gibt es nicht oder Sie haben keinen Zugriff darauf.", "The requested object does not exist or you have no access to it.")},                                                                                                                               // NotFound
	Conflict:             {409, M("errs.conflict.title", "Konflikt", "Conflict"), M("errs.conflict", "Die Aktion passt nicht zum aktuellen Zustand.", "The action conflicts with the current state.")},                                                                                                                                                                                        // Conflict
	Unauthenticated:      {401, M("errs.unauthenticated.title", "Nicht angemeldet", "Not signed in"), M("errs.unauthenticated", "Bitte melden Sie sich an.", "Please sign in.")},                                                                                                                                                                                                              // Unauthorized
	InvalidCredentials:   {401, M("errs.invalid-credentials.title", "Anmeldung fehlgeschlagen", "Sign-in failed"), M("errs.invalid-credentials", "E-Mail-Adresse oder Passwort ist falsch.", "E-mail address or password is wrong.")},                                                                                                                                                         // Unauthorized
	SecondFactor:         {401, M("errs.second-factor-required.title", "Zweiter Faktor erforderlich", "Second factor required"), M("errs.second-factor-required", "Bitte den Code aus der Authenticator-App eingeben.", "Please enter the code from your authenticator app.")},                                                                                                                // Unauthorized
	InvalidCode:          {401, M("errs.invalid-code.title", "Code ungültig", "Invalid code"), M("errs.invalid-code", "Der Code ist falsch, abgelaufen oder wurde bereits verwendet. Bitte den nächsten Code abwarten.", "The code is wrong, expired or already used. Please wait for the next code.")},                                                                                       // Unauthorized
	EnrolmentRequired:    {403, M("errs.totp-enrolment-required.title", "Zwei-Faktor-Anmeldung erforderlich", "Two-factor sign-in required"), M("errs.totp-enrolment-required", "Dieser Mandant verlangt für Ihre Rolle eine Zwei-Faktor-Anmeldung. Bitte richten Sie sie in Ihrem Profil ein.", "This tenant requires two-factor sign-in for your role. Please set it up in your profile.")}, // Forbidden
	Forbidden:            {403, M("errs.forbidden.title", "Keine Berechtigung", "Forbidden"), M("errs.forbidden", "Für diese Aktion fehlt Ihnen die Berechtigung.", "You are not allowed to do this.")},                                                                                                                                                                                       // Forbidden
	ReauthRequired:       {403, M("errs.reauth-required.title", "Bestätigung erforderlich", "Confirmation required"), M("errs.reauth-required", "Bitte bestätigen Sie diese Aktion mit Ihrem Passwort und, falls eingerichtet, Ihrem zweiten Faktor.", "Please confirm this action with your password and, if set up, your second factor.")},                                                  // Forbidden
	Deactivated:          {403, M("errs.membership-deactivated.title", "Mitgliedschaft deaktiviert", "Membership deactivated"), M("errs.membership-deactivated", "Ihre Mitgliedschaft in diesem Mandanten ist deaktiviert. Wenden Sie sich an die Administration.", "Your membership in this tenant is deactivated. Please contact its administrators.")},                                     // Forbidden
	RateLimited:          {429, M("errs.rate-limited.title", "Zu viele Versuche", "Too many attempts"), M("errs.rate-limited", "Bitte warten Sie einen Moment und versuchen Sie es erneut.", "Please wait a moment and try again.")},                                                                                                                                                          // TooManyRequests
	Locked:               {423, M("errs.account-locked.title", "Vorübergehend gesperrt", "Temporarily locked"), M("errs.account-locked", "Die Anmeldung ist nach wiederholten Fehlversuchen vorübergehend gesperrt.", "Sign-in is temporarily locked after repeated failures.")},                                                                                                              // Locked
	Expired:              {410, M("errs.expired.title", "Abgelaufen", "Expired"), M("errs.expired", "Der Link ist abgelaufen.", "The link has expired.")},                                                                                                                                                                                                                                     // Gone
	PreconditionFailed:   {412, M("errs.precondition-failed.title", "Inzwischen geändert", "Changed meanwhile"), M("errs.precondition-failed", "Das Objekt wurde inzwischen geändert. Bitte neu laden.", "The object changed meanwhile. Please reload.")},                                                                                                                                     // PreconditionFailed
	TooLarge:             {413, M("errs.too-large.title", "Zu groß", "Too large"), M("errs.too-large", "Die Anfrage ist zu groß.", "The request is too large.")},                                                                                                                                                                                                                              // RequestEntityTooLarge
	ResourceLocked:       {423, M("errs.resource-locked.title", "Gesperrt", "Locked"), M("errs.resource-locked", "Das Dokument ist von einer anderen Person ausgecheckt.", "The document is checked out by someone else.")},                                                                                                                                                                   // Locked
	LengthRequired:       {411, M("errs.length-required.title", "Länge fehlt", "Length required"), M("errs.length-required", "Bitte die Dateigröße (Content-Length) mitschicken.", "Please send the file size (Content-Length).")},                                                                                                                                                            // LengthRequired
	RangeNotSatisfiable:  {416, M("errs.range-not-satisfiable.title", "Bereich ungültig", "Range not satisfiable"), M("errs.range-not-satisfiable", "Der angefragte Bereich liegt außerhalb der Datei.", "The requested range lies outside the file.")},                                                                                                                                       // RequestedRangeNotSatisfiable
	Unavailable:          {503, M("errs.unavailable.title", "Dienst vorübergehend nicht erreichbar", "Service temporarily unavailable"), M("errs.unavailable", "Der Dienst ist gerade nicht erreichbar. Bitte in einigen Sekunden erneut versuchen.", "The service is unavailable. Please try again in a few seconds.")},                                                                      // ServiceUnavailable
	SessionExpired:       {401, M("errs.session-expired.title", "Sitzung abgelaufen", "Session expired"), M("errs.session-expired", "Ihre Sitzung ist abgelaufen. Bitte melden Sie sich erneut an.", "Your session has expired. Please sign in again.")},                                                                                                                                      // Unauthorized
	CSRFFailed:           {403, M("errs.csrf-failed.title", "Sicherheitsprüfung fehlgeschlagen", "Security check failed"), M("errs.csrf-failed", "Die Seite ist veraltet: bitte neu laden und erneut versuchen.", "The page is out of date: please reload and try again.")},                                                                                                                   // Forbidden
	OtherAccount:         {403, M("errs.invitation-other-account.title", "Einladung für eine andere Adresse", "Invitation for another address"), M("errs.invitation-other-account", "Diese Einladung gilt für eine andere E-Mail-Adresse als die Ihres Kontos.", "This invitation is for another e-mail address than your account's.")},                                                       // Forbidden
	Internal:             {500, M("errs.internal.title", "Interner Fehler", "Internal error"), M("errs.internal", "Ein unerwarteter Fehler ist aufgetreten. Bitte später erneut versuchen.", "An unexpected error occurred. Please try again later.")},                                                                                                                                        // InternalServerError
	UnsupportedMediaType: {415, M("errs.unsupported-media-type.title", "Format nicht unterstützt", "Unsupported media type"), M("errs.unsupported-media-type", "Bitte die Daten als JSON senden (Content-Type: application/json).", "Please send the data as JSON (Content-Type: application/json).")},                                                                                        // UnsupportedMediaType
	MethodNotAllowed:     {405, M("errs.method-not-allowed.title", "Methode nicht erlaubt", "Method not allowed"), M("errs.method-not-allowed", "Diese Adresse unterstützt die Methode nicht; der Allow-Header nennt die möglichen.", "This address does not support the method; the Allow header lists those it does.")},                                                                     // MethodNotAllowed
}

// Status is the HTTP status of the code; an unknown code is Internal's 500.
func (c Code) Status() int { return c.text().status }

// Title is the code's short summary.
func (c Code) Title() Msg { return c.text().title }

// Detail is the code's default detail, shown when an error carries none.
func (c Code) Detail() Msg { return c.text().detail }

// Known reports whether the code is in the table.
func (c Code) Known() bool {
	_, ok := codes[c]
	return ok
}

func (c Code) text() codeText {
	if t, ok := codes[c]; ok {
		return t
	}
	return codes[Internal]
}
