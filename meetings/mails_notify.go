package meetings

import (
	"context"
	"errors"
	"fmt"

	"github.com/kollab/kollab/internal/notify"
)

// notificationSender sends the notification mails queued in the outbox
// (internal/notify writes them; Mails implements it).
type notificationSender interface {
	SendNotification(ctx context.Context, kind, to, key string, payload []byte) error
}

// SendNotification composes a queued notification or digest mail
// (notify.ComposeMail) and sends it.
func (m *Mails) SendNotification(ctx context.Context, kind, to, key string, payload []byte) error {
	msg, err := notify.ComposeMail(m.publicURL, kind, to, payload)
	if err != nil {
		if errors.Is(err, notify.ErrBadPayload) {
			return fmt.Errorf("%w: %v", errBadPayload, err)
		}
		return err
	}
	msg.Key = key
	return m.sender.Send(ctx, msg)
}

// sendNotification hands a queued notification mail to m, if it sends them.
func sendNotification(ctx context.Context, m Mailer, row *outboxRow) error {
	ns, ok := m.(notificationSender)
	if !ok {
		return fmt.Errorf("%w: no sender for %s", errBadPayload, row.Kind)
	}
	return ns.SendNotification(ctx, row.Kind, row.Recipient, row.ID.String(), []byte(row.Payload))
}
