-- Every instance caches the principals it resolved (auth/cache.go) and
-- must forget one as soon as anything behind it changes, whichever instance
-- or tool (CLI, psql) changed it. These triggers announce such changes on
-- the channel kollab_principal: the payload is the account's id, or "*"
-- when a tenant changed (its name, slug or 2FA policy is in every member's
-- principal). NOTIFY is delivered at commit and not at all on rollback.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION notify_principal_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        r := OLD;
    ELSE
        r := NEW;
    END IF;
    IF TG_ARGV[0] = '*' THEN
        PERFORM pg_notify('kollab_principal', '*');
    ELSE
        PERFORM pg_notify('kollab_principal', to_jsonb(r) ->> TG_ARGV[0]);
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER sessions_principal AFTER UPDATE OR DELETE ON sessions
    FOR EACH ROW EXECUTE FUNCTION notify_principal_changed('user_id');
CREATE TRIGGER api_tokens_principal AFTER UPDATE OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION notify_principal_changed('user_id');
CREATE TRIGGER users_principal AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION notify_principal_changed('id');
CREATE TRIGGER memberships_principal AFTER INSERT OR UPDATE OR DELETE ON memberships
    FOR EACH ROW EXECUTE FUNCTION notify_principal_changed('user_id');
CREATE TRIGGER tenants_principal AFTER UPDATE OR DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION notify_principal_changed('*');

-- +goose Down
DROP TRIGGER tenants_principal ON tenants;
DROP TRIGGER memberships_principal ON memberships;
DROP TRIGGER users_principal ON users;
DROP TRIGGER api_tokens_principal ON api_tokens;
DROP TRIGGER sessions_principal ON sessions;
DROP FUNCTION notify_principal_changed();
