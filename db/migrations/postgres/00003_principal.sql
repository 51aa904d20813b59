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
    c_id uuid; uid uuid; pending boolean; seen timestamptz; expires timestamptz;
    u_email text; u_name text; u_locale text; u_totp timestamptz; recovery bigint;
BEGIN
    IF p_kind = 'session' THEN
        SELECT s.id, s.user_id, s.mfa_pending, s.last_seen_at, s.expires_at
          INTO c_id, uid, pending, seen, expires
          FROM sessions s WHERE s.token_hash = p_hash;
    ELSIF p_kind = 'token' THEN
        SELECT k.id, k.user_id, false, k.last_used_at, k.expires_at
          INTO c_id, uid, pending, seen, expires
          FROM api_tokens k WHERE k.token_hash = p_hash;
    ELSE
        RAISE EXCEPTION 'kollab_principal: unknown kind %', p_kind;
    END IF;
    IF uid IS NULL THEN
        RETURN;
    END IF;
    SELECT u.email, u.display_name, u.locale, u.totp_enabled_at,
           (SELECT count(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL)
      INTO u_email, u_name, u_locale, u_totp, recovery
      FROM users u WHERE u.id = uid;
    PERFORM set_config('app.user_id', uid::text, true);
    RETURN QUERY
    SELECT c_id, uid, pending, seen, expires, u_email, u_name, u_locale, u_totp, recovery,
           t.id, t.slug, t.name, t.settings, t.created_at, t.updated_at,
           m.id, m.role, m.status, m.created_at, m.updated_at
      FROM (SELECT 1) AS one
      LEFT JOIN memberships m ON m.user_id = uid
      LEFT JOIN tenants t ON t.id = m.tenant_id
     ORDER BY m.created_at;
END
$$;
-- +goose StatementEnd

-- +goose Down
DROP FUNCTION kollab_principal(text, bytea);
