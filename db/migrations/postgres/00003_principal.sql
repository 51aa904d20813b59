-- kollab_principal resolves a session or API token to its account, its
-- memberships (with their tenants) and its unused recovery codes in one
-- round trip. It reads the memberships under the account's own member_self
-- policy: app.user_id is set for the current transaction only.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION kollab_principal(p_kind text, p_hash bytea)
RETURNS TABLE (
    cred_id uuid, user_id uuid, mfa_pending boolean, seen_at timestamptz, expires_at timestamptz,
    email text, display_name text, locale text, totp_enabled_at timestamptz, recovery_left bigint,
    t_id uuid, t_slug text, t_name text, t_settings jsonb, t_created_at timestamptz, t_updated_at timestamptz,
    m_id uuid, m_role text, m_status text, m_created_at timestamptz, m_updated_at timestamptz)
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
AS $$
DECLARE
    uid uuid;
BEGIN
    IF p_kind = 'session' THEN
        SELECT s.user_id INTO uid FROM sessions s WHERE s.token_hash = p_hash;
    ELSIF p_kind = 'token' THEN
        SELECT k.user_id INTO uid FROM api_tokens k WHERE k.token_hash = p_hash;
    ELSE
        RAISE EXCEPTION 'kollab_principal: unknown kind %', p_kind;
    END IF;
    IF uid IS NULL THEN
        RETURN;
    END IF;
    PERFORM set_config('app.user_id', uid::text, true);
    RETURN QUERY
    WITH cred AS (
        SELECT s.id, s.user_id, s.mfa_pending, s.last_seen_at AS seen_at, s.expires_at
          FROM sessions s WHERE p_kind = 'session' AND s.token_hash = p_hash
        UNION ALL
        SELECT k.id, k.user_id, false, k.last_used_at, k.expires_at
          FROM api_tokens k WHERE p_kind = 'token' AND k.token_hash = p_hash
    )
    SELECT c.id, c.user_id, c.mfa_pending, c.seen_at, c.expires_at,
           u.email, u.display_name, u.locale, u.totp_enabled_at,
           (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL),
           t.id, t.slug, t.name, t.settings, t.created_at, t.updated_at,
           m.id, m.role, m.status, m.created_at, m.updated_at
      FROM cred c
      JOIN users u ON u.id = c.user_id
      LEFT JOIN memberships m ON m.user_id = u.id
      LEFT JOIN tenants t ON t.id = m.tenant_id
     ORDER BY m.created_at;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION kollab_principal(text, bytea);
