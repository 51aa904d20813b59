package auth

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/kollab/kollab/internal/db"
)

// PrincipalChannel is the PostgreSQL notification channel on which the
// database announces changes behind principals (migration 00008): the
// payload is an account id, or "*" for all.
const PrincipalChannel = "kollab_principal"

// principalCache keeps the principals this instance resolved for a short
// time, so that most requests need no database round trip to know who is
// calling. It is only trusted while the instance listens to
// PrincipalChannel: every change to a session, token, account, membership
// or tenant is announced there by a trigger at commit, and the affected
// entries are dropped, on every instance, within milliseconds. While the
// connection is down nothing is cached or served from the cache.
//
// A load that overlaps a change must not put the old state back: every
// drop bumps gen, and a load stores its result only when gen did not move
// while it read.
type principalCache struct {
	ttl time.Duration
	max int
	now func() time.Time

	up  atomic.Bool
	gen atomic.Uint64

	mu      sync.Mutex
	entries map[string]*cacheEntry
	byUser  map[uuid.UUID]map[string]struct{}
}

type cacheEntry struct {
	cred    credential
	p       Principal
	expires time.Time
}

func newPrincipalCache(ttl time.Duration, max int) *principalCache {
	return &principalCache{ttl: ttl, max: max, now: time.Now,
		entries: map[string]*cacheEntry{}, byUser: map[uuid.UUID]map[string]struct{}{}}
}

func cacheKey(kind string, hash []byte) string { return kind + ":" + string(hash) }

// generation is read before a load and handed to put.
func (c *principalCache) generation() uint64 { return c.gen.Load() }

// get returns copies of a live entry.
func (c *principalCache) get(kind string, hash []byte) (*credential, *Principal, bool) {
	if !c.up.Load() {
		return nil, nil, false
	}
	key := cacheKey(kind, hash)
	c.mu.Lock()
	e, ok := c.entries[key]
	if ok && !c.now().Before(e.expires) {
		c.remove(key, e.p.UserID)
		ok = false
	}
	c.mu.Unlock()
	if !ok {
		return nil, nil, false
	}
	cred, p := e.cred, clonePrincipal(e.p)
	return &cred, &p, true
}

// put stores copies of what a load read, unless something was dropped
// since gen was taken.
func (c *principalCache) put(gen uint64, kind string, hash []byte, cred *credential, p *Principal) {
	if !c.up.Load() {
		return
	}
	key := cacheKey(kind, hash)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen.Load() != gen {
		return
	}
	if len(c.entries) >= c.max {
		clear(c.entries)
		clear(c.byUser)
	}
	c.entries[key] = &cacheEntry{cred: *cred, p: clonePrincipal(*p), expires: c.now().Add(c.ttl)}
	keys := c.byUser[p.UserID]
	if keys == nil {
		keys = map[string]struct{}{}
		c.byUser[p.UserID] = keys
	}
	keys[key] = struct{}{}
}

// notified handles a PrincipalChannel payload: an account id drops that
// account's entries; "*" (or anything unreadable) drops all.
func (c *principalCache) notified(payload string) {
	id, err := uuid.Parse(payload)
	if err != nil {
		c.forgetAll()
		return
	}
	c.forgetUser(id)
}

// forgetUser drops the account's entries.
func (c *principalCache) forgetUser(id uuid.UUID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	for key := range c.byUser[id] {
		delete(c.entries, key)
	}
	delete(c.byUser, id)
}

// forgetAll drops every entry.
func (c *principalCache) forgetAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen.Add(1)
	clear(c.entries)
	clear(c.byUser)
}

// connected switches the cache on once the instance listens, and off (and
// empty) when the connection is lost.
func (c *principalCache) connected(up bool) {
	c.forgetAll()
	c.up.Store(up)
}

// remove deletes one entry; c.mu is held.
func (c *principalCache) remove(key string, user uuid.UUID) {
	delete(c.entries, key)
	if keys := c.byUser[user]; keys != nil {
		delete(keys, key)
		if len(keys) == 0 {
			delete(c.byUser, user)
		}
	}
}

// clonePrincipal copies p deeply enough that callers may change the copy.
func clonePrincipal(p Principal) Principal {
	p.Tenants = slices.Clone(p.Tenants)
	for i := range p.Tenants {
		s := &p.Tenants[i].Tenant.Settings
		s.RequireTOTPRoles = slices.Clone(s.RequireTOTPRoles)
		s.OParl.LegislativeTerms = slices.Clone(s.OParl.LegislativeTerms)
	}
	return p
}

// ListenForChanges subscribes the service's principal cache to n (which
// must then Run). Without it, or on SQLite, nothing is cached.
func (s *Service) ListenForChanges(n *db.Notifier) {
	if s.cfg.PrincipalCacheTTL <= 0 {
		return
	}
	s.cache = newPrincipalCache(s.cfg.PrincipalCacheTTL, principalCacheMax)
	n.Subscribe(PrincipalChannel, db.Subscriber{Notify: s.cache.notified, Connected: s.cache.connected})
}

// ForgetPrincipals drops every cached principal of this instance. The API
// calls it after each request that may have changed something, so that the
// instance's own changes apply to the very next request; other instances
// learn of them through PrincipalChannel.
func (s *Service) ForgetPrincipals() {
	if s.cache != nil {
		s.cache.forgetAll()
	}
}

// forget drops the account's cached principals on this instance at once,
// after the service itself revoked something of it (other instances hear of
// it through PrincipalChannel).
func (s *Service) forget(userID uuid.UUID) {
	if s.cache != nil {
		s.cache.forgetUser(userID)
	}
}

// principalCacheMax bounds the cached principals (a full cache starts over).
const principalCacheMax = 50_000

// principal resolves a token hash like loadPrincipal, from the cache when
// it can; cached reports that it did. Callers confirm a refusal they would
// base on cached data (an expired session) with fresh data.
// resolve looks a presented credential of kind ("session" or "token") up:
// a token without the kind's prefix, or too long to be one, is refused
// unread; a cached copy that stale reports as ended is read again from the
// database, because another instance may have moved it on since, so that
// the caller decides on the stored state. It returns nil, nil, errNoSession
// for an unknown credential, and the service's now.
func (s *Service) resolve(ctx context.Context, kind, prefix, token string, stale func(c *credential, now time.Time) bool) (*credential, *Principal, time.Time, error) {
	now := s.now()
	if !strings.HasPrefix(token, prefix) || len(token) > 100 {
		return nil, nil, now, errNoSession
	}
	hash := hashOf(token)
	cred, p, cached, err := s.principal(ctx, kind, hash, false)
	if err != nil {
		return nil, nil, now, err
	}
	if cached && stale(cred, now) {
		if cred, p, _, err = s.principal(ctx, kind, hash, true); err != nil {
			return nil, nil, now, err
		}
	}
	if p == nil {
		return nil, nil, now, errNoSession
	}
	return cred, p, now, nil
}

func (s *Service) principal(ctx context.Context, kind string, hash []byte, fresh bool) (cred *credential, p *Principal, cached bool, err error) {
	if s.cache == nil {
		cred, p, err = s.loadPrincipal(ctx, kind, hash)
		return cred, p, false, err
	}
	if !fresh {
		if cred, p, ok := s.cache.get(kind, hash); ok {
			return cred, p, true, nil
		}
	}
	gen := s.cache.generation()
	cred, p, err = s.loadPrincipal(ctx, kind, hash)
	if err == nil && p != nil {
		s.cache.put(gen, kind, hash, cred, p)
	}
	return cred, p, false, err
}

// PrincipalCacheLive reports whether resolved principals are being cached
// (the cache is on and the instance listens for changes).
func (s *Service) PrincipalCacheLive() bool { return s.cache != nil && s.cache.up.Load() }
