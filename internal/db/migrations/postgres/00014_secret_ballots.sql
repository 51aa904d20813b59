-- Secret ballots that stay secret.
--
-- The serving role may append secret ballots but never read them: it holds
-- INSERT and no SELECT on secret_ballots (db/migrate.go grants it so after
-- every migration). The "already voted" check and the count of ballots cast
-- go through the receipts, never the ballot rows. A secret poll is counted
-- by secret_ballot_tally, a SECURITY DEFINER function owned by the
-- migration (owner) role: it answers for a closed secret poll of the
-- transaction's tenant (app.tenant_id) only, with at least 3 ballots, and
-- only with counts per choice and per option, never a row. The owner is
-- not a superuser, so forced row-level security still applies inside the
-- function; its queries name the tenant as well, in case it is one.
--
-- Secret polls count one ballot per person: every secret ballot has weight
-- 1 (a weight stored beside a choice would name a voter whose weight is
-- unique). Existing weighted secret ballots are set to 1.
--
-- Annulment: a closed poll can be annulled with a reason (kept in the
-- record; an annulled poll is no decision). A secret poll with fewer than 3
-- ballots has no result: its chair may only annul it. Existing secret polls
-- with fewer than 3 ballots lose their stored result; published ones are
-- annulled by this migration (annulled_by NULL: by the system).

-- +goose Up
ALTER TABLE polls DROP CONSTRAINT polls_state_check;
ALTER TABLE polls ADD CONSTRAINT polls_state_check CHECK (state IN ('draft', 'open', 'closed', 'published', 'annulled'));
ALTER TABLE polls ADD COLUMN annulled_at timestamptz;
-- NULL for an annulment by the system (this migration).
ALTER TABLE polls ADD COLUMN annulled_by uuid;
ALTER TABLE polls ADD COLUMN annul_reason text CHECK (length(annul_reason) BETWEEN 1 AND 2000);
ALTER TABLE polls ADD CONSTRAINT polls_annulled_by_fkey FOREIGN KEY (tenant_id, annulled_by) REFERENCES memberships (tenant_id, id);
ALTER TABLE polls ADD CONSTRAINT polls_annulled CHECK ((state = 'annulled') = (annulled_at IS NOT NULL AND annul_reason IS NOT NULL));

-- Existing data, seen by the owner without row-level security for once.
ALTER TABLE polls NO FORCE ROW LEVEL SECURITY;
ALTER TABLE poll_receipts NO FORCE ROW LEVEL SECURITY;
ALTER TABLE poll_results NO FORCE ROW LEVEL SECURITY;
ALTER TABLE secret_ballots NO FORCE ROW LEVEL SECURITY;

UPDATE secret_ballots SET weight = 1 WHERE weight <> 1;

DELETE FROM poll_results pr USING polls p
WHERE p.tenant_id = pr.tenant_id AND p.id = pr.poll_id AND p.kind = 'secret'
  AND (SELECT count(*) FROM poll_receipts r WHERE r.tenant_id = p.tenant_id AND r.poll_id = p.id) < 3;

UPDATE polls p SET state = 'annulled', annulled_at = now(), annul_reason = 'zu wenige Stimmen für eine geheime Auswertung'
WHERE p.kind = 'secret' AND p.state = 'published'
  AND (SELECT count(*) FROM poll_receipts r WHERE r.tenant_id = p.tenant_id AND r.poll_id = p.id) < 3;

ALTER TABLE polls FORCE ROW LEVEL SECURITY;
ALTER TABLE poll_receipts FORCE ROW LEVEL SECURITY;
ALTER TABLE poll_results FORCE ROW LEVEL SECURITY;
ALTER TABLE secret_ballots FORCE ROW LEVEL SECURITY;

ALTER TABLE secret_ballots ADD CONSTRAINT secret_ballots_one_per_person CHECK (weight = 1);

-- The count of a closed secret poll: rows (kind, option_id, votes), kind
-- yes, no, abstain or options (ballots of each choice, option_id NULL),
-- or option (the ballots naming option_id). Anything else raises
-- object_not_in_prerequisite_state and answers nothing.
-- +goose StatementBegin
CREATE FUNCTION secret_ballot_tally(poll uuid)
RETURNS TABLE (kind text, option_id uuid, votes bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public, pg_temp
AS $fn$
DECLARE
    tid uuid := NULLIF(current_setting('app.tenant_id', true), '')::uuid;
    cast_ballots bigint;
BEGIN
    IF tid IS NULL OR NOT EXISTS (SELECT 1 FROM polls p
            WHERE p.tenant_id = tid AND p.id = poll AND p.kind = 'secret' AND p.state = 'closed') THEN
        RAISE EXCEPTION 'secret_ballot_tally: not a closed secret poll' USING ERRCODE = '55000';
    END IF;
    SELECT count(*) INTO cast_ballots FROM secret_ballots b WHERE b.tenant_id = tid AND b.poll_id = poll;
    IF cast_ballots < 3 THEN
        RAISE EXCEPTION 'secret_ballot_tally: fewer than 3 ballots' USING ERRCODE = '55000';
    END IF;
    RETURN QUERY
        SELECT b.choice, NULL::uuid, count(*) FROM secret_ballots b
        WHERE b.tenant_id = tid AND b.poll_id = poll GROUP BY b.choice
        UNION ALL
        SELECT 'option'::text, o.id::uuid, count(*) FROM secret_ballots b
        CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN b.choice = 'options' THEN b.option_ids::jsonb ELSE '[]'::jsonb END) AS o(id)
        WHERE b.tenant_id = tid AND b.poll_id = poll GROUP BY o.id;
END
$fn$;
-- +goose StatementEnd
REVOKE ALL ON FUNCTION secret_ballot_tally(uuid) FROM PUBLIC;

-- +goose Down
DROP FUNCTION secret_ballot_tally(uuid);
ALTER TABLE secret_ballots DROP CONSTRAINT secret_ballots_one_per_person;
ALTER TABLE polls NO FORCE ROW LEVEL SECURITY;
UPDATE polls SET state = 'closed' WHERE state = 'annulled';
ALTER TABLE polls FORCE ROW LEVEL SECURITY;
ALTER TABLE polls DROP CONSTRAINT polls_annulled;
ALTER TABLE polls DROP CONSTRAINT polls_annulled_by_fkey;
ALTER TABLE polls DROP COLUMN annul_reason;
ALTER TABLE polls DROP COLUMN annulled_by;
ALTER TABLE polls DROP COLUMN annulled_at;
ALTER TABLE polls DROP CONSTRAINT polls_state_check;
ALTER TABLE polls ADD CONSTRAINT polls_state_check CHECK (state IN ('draft', 'open', 'closed', 'published'));
