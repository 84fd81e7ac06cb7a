-- 009_durable_commit.sql - a recorded report survives a crash of the server
--
-- The filter exits 0 when record_report's transaction has committed, and
-- Postfix then deletes the message. With synchronous_commit = off (in
-- postgresql.conf, or set for the database or the role) a commit returns
-- before its WAL is on disk: a crash of the server within
-- wal_writer_delay (200 ms by default) lost reports that Postfix no longer
-- had (5 of 5 in a test). record_report now turns it on for its own
-- transaction when it is off; local, on, remote_write and remote_apply are
-- left as they are. The work stays in the function renamed
-- record_report_body (its grants and its plan setting of 006 go with it);
-- record_report is a wrapper of the same signature, so the filter's call
-- does not change. It needs this: MXB_SCHEMA_VERSION is 9.
ALTER FUNCTION mxbounce.record_report(integer, bytea, bytea, integer, jsonb, jsonb)
    RENAME TO record_report_body;

CREATE FUNCTION mxbounce.record_report(p_min_schema integer, p_sha256 bytea, p_raw bytea,
                                       p_raw_size integer, p_report jsonb, p_events jsonb)
    RETURNS TABLE (outcome text, report_id bigint, n_events integer)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    -- The setting's scope is the transaction (a SET clause of the function
    -- would give it back at the function's end, before the commit).
    IF current_setting('synchronous_commit') = 'off' THEN
        PERFORM set_config('synchronous_commit', 'on', true);
    END IF;
    RETURN QUERY
        SELECT b.outcome, b.report_id, b.n_events
          FROM mxbounce.record_report_body(p_min_schema, p_sha256, p_raw, p_raw_size, p_report,
                                           p_events) b;
END
$$;

REVOKE ALL ON FUNCTION mxbounce.record_report(integer, bytea, bytea, integer, jsonb, jsonb)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mxbounce.record_report(integer, bytea, bytea, integer, jsonb, jsonb)
    TO mxbounce_filter;
