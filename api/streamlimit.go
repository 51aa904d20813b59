package api

import (
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/errs"
)

// maxStreamsPerLogin bounds the live event streams one session or API
// token holds open on this instance at a time.
const maxStreamsPerLogin = 20

// streamSlots counts the open event streams per login (session or token).
type streamSlots struct {
	mu   sync.Mutex
	open map[uuid.UUID]int
}

// acquire takes one of the login's stream slots. It returns the function
// that gives the slot back (call it exactly once, when the stream ends), or
// a RateLimited error when the login already holds maxStreamsPerLogin.
func (s *streamSlots) acquire(login uuid.UUID) (release func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.open[login] >= maxStreamsPerLogin {
		return nil, errs.RetryLater(errs.RateLimited, 5*time.Second,
			errs.M("api.too-many-live-connections-once", "Zu viele gleichzeitige Live-Verbindungen. Bitte schließen Sie nicht benötigte Fenster oder Tabs.", "Too many live connections at once. Please close windows or tabs you do not need."))
	}
	if s.open == nil {
		s.open = make(map[uuid.UUID]int)
	}
	s.open[login]++
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.open[login]--; s.open[login] <= 0 {
				delete(s.open, login)
			}
		})
	}, nil
}
