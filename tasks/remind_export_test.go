package tasks

import (
	"context"

	"github.com/google/uuid"
)

// WithRemindFailpoint makes the deadline run call f for each task after
// its notifications were emitted and before its transaction commits; an
// error from f rolls the transaction back (a crash between the send and
// its record).
func WithRemindFailpoint(ctx context.Context, f func(task uuid.UUID) error) context.Context {
	return context.WithValue(ctx, failpointKey{}, f)
}
