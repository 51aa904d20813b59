package tenant

import "github.com/google/uuid"

// Membership is the actor's membership (uuid.Nil for the operator): what
// infrastructure that acts for a person (internal/notify) asks of an actor.
func (a Actor) Membership() uuid.UUID { return a.MembershipID }
