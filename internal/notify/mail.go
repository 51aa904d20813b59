package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/kollab/kollab/internal/mail"
)

// ErrBadPayload is returned by ComposeMail for a payload it cannot read.
var ErrBadPayload = errors.New("notify: unreadable queued mail")

// notificationPayload is a queued notification mail (written in SQL by
// queueImmediate).
type notificationPayload struct {
	Kind   string `json:"kind"`
	Event  string `json:"event"`
	Locale string `json:"locale"`
	Name   string `json:"name"`
	Tenant string `json:"tenant"`
	Title  string `json:"title"`
	Text   string `json:"text"`
	Link   string `json:"link"`
}

type mailView struct {
	Lang, Title, Salutation, Intro, Body, LinkLabel, Link, Closing string
	Items                                                          []mailItem
	name                                                           string
	More                                                           string
}

type mailItem struct{ Title, Link string }

var mailHTML = template.Must(template.New("n").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body><p>{{.Salutation}},</p><p>{{.Intro}}</p>{{if .Body}}<p>{{.Body}}</p>{{end}}
{{if .Items}}<ul>{{range .Items}}<li>{{if .Link}}<a href="{{.Link}}">{{.Title}}</a>{{else}}{{.Title}}{{end}}</li>{{end}}</ul>{{end}}
{{if .More}}<p>{{.More}}</p>{{end}}{{if .Link}}<p><a href="{{.Link}}">{{.LinkLabel}}</a></p>{{end}}
<p>{{.Closing}}</p></body></html>
`))

// ComposeMail composes a queued notification or digest mail (kind
// MailNotification or MailDigest) in the recipient's language (German
// unless "en"), with links under publicURL.
func ComposeMail(publicURL, kind, to string, payload []byte) (mail.Message, error) {
	m, err := composeMail(publicURL, kind, payload)
	m.To = to
	return m, err
}

func composeMail(publicURL, kind string, payload []byte) (mail.Message, error) {
	switch kind {
	case MailNotification:
		var p notificationPayload
		if err := json.Unmarshal(payload, &p); err != nil {
			return mail.Message{}, fmt.Errorf("%w: %v", ErrBadPayload, err)
		}
		return composeOne(publicURL, p)
	case MailDigest:
		var p digestPayload
		if err := json.Unmarshal(payload, &p); err != nil {
			return mail.Message{}, fmt.Errorf("%w: %v", ErrBadPayload, err)
		}
		return composeDigest(publicURL, p)
	}
	return mail.Message{}, fmt.Errorf("%w: kind %q", ErrBadPayload, kind)
}

func appLink(publicURL, tenant, link string) string {
	base := strings.TrimRight(publicURL, "/") + "/t/" + tenant + "/"
	if link == "" {
		return base + "notifications"
	}
	return base + strings.TrimLeft(link, "/")
}

func composeOne(publicURL string, p notificationPayload) (mail.Message, error) {
	en := p.Locale == "en"
	v := mailView{Lang: "de", Title: p.Title, Salutation: "Guten Tag " + p.Name, Intro: p.Title, name: p.Name, Body: p.Text,
		LinkLabel: "In Kollab öffnen", Link: appLink(publicURL, p.Tenant, p.Link),
		Closing: "Sie erhalten diese Nachricht, weil Sie für diese Art von Benachrichtigung „sofort“ gewählt haben."}
	if en {
		v.Lang, v.Salutation, v.LinkLabel = "en", "Hello "+p.Name, "Open in Kollab"
		v.Closing = "You receive this message because you chose \"at once\" for this kind of notification."
	}
	return render(v, "Kollab: "+p.Title, []any{"tenant", p.Tenant, "event", p.Event, "kind", p.Kind, "subject", p.Title})
}

func composeDigest(publicURL string, p digestPayload) (mail.Message, error) {
	en := p.Locale == "en"
	v := mailView{Lang: "de", Title: "Ihre Benachrichtigungen vom " + germanDay(p.Day), Salutation: "Guten Tag " + p.Name, name: p.Name,
		Intro: "Ungelesene Benachrichtigungen vom " + germanDay(p.Day) + ":", LinkLabel: "Alle Benachrichtigungen",
		Link:    appLink(publicURL, p.Tenant, "notifications"),
		Closing: "Sie erhalten diese Zusammenfassung, weil Sie „täglich“ gewählt haben."}
	if p.More > 0 {
		v.More = fmt.Sprintf("… und %d weitere.", p.More)
	}
	if en {
		v.Lang, v.Title, v.Salutation = "en", "Your notifications of "+p.Day, "Hello "+p.Name
		v.Intro, v.LinkLabel = "Unread notifications of "+p.Day+":", "All notifications"
		v.Closing = "You receive this digest because you chose \"daily\"."
		if p.More > 0 {
			v.More = fmt.Sprintf("… and %d more.", p.More)
		}
	}
	for _, it := range p.Items {
		v.Items = append(v.Items, mailItem{Title: it.Title, Link: appLink(publicURL, p.Tenant, it.Link)})
	}
	return render(v, "Kollab: "+v.Title, []any{"tenant", p.Tenant, "day", p.Day, "items", len(p.Items) + int(p.More)})
}

func germanDay(d string) string {
	if len(d) != 10 {
		return d
	}
	return d[8:10] + "." + d[5:7] + "." + d[0:4]
}

func render(v mailView, subject string, log []any) (mail.Message, error) {
	var text strings.Builder
	text.WriteString(v.Salutation + ",\n\n" + v.Intro + "\n")
	if v.Body != "" {
		text.WriteString("\n" + v.Body + "\n")
	}
	for _, it := range v.Items {
		text.WriteString("\n- " + it.Title + "\n  " + it.Link)
	}
	if v.More != "" {
		text.WriteString("\n" + v.More + "\n")
	}
	text.WriteString("\n" + v.LinkLabel + ": " + v.Link + "\n\n" + v.Closing + "\n")
	var h bytes.Buffer
	if err := mailHTML.Execute(&h, v); err != nil {
		return mail.Message{}, err
	}
	return mail.Message{ToName: v.name, Subject: subject, Text: text.String(), HTML: h.String(),
		Log: mail.LogEntry{Msg: "notification not mailed", Attrs: log}}, nil
}
