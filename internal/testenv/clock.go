package testenv

import (
	"sync"
	"time"
)

// Clock is a test's clock: it stands still until the test moves it, and
// is safe to read from the goroutines of the service under test. Services
// take its Now method as their clock (WithClock, SetClock).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock that shows t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set puts the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
