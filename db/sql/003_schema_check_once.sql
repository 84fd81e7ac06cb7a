-- 003_schema_check_once.sql - record_report checks the schema version only
-- when asked
--
-- The filter passes min_schema = 0 on a connection whose first call has
-- already passed the check, so a pooled connection (mxbounced) no longer
-- runs schema_version() for every message. Measured: about 0.1 ms of the
-- backend's CPU per message (pgbench, 2 clients at 100 calls/s in all,
-- fsync on). Otherwise the function is the one of 001_initial.sql.
CREATE OR REPLACE FUNCTION mxbounce.record_report(p_min_schema integer, p_sha256 bytea, p_raw bytea,
                                       p_raw_size integer, p_report jsonb, p_events jsonb)
    RETURNS TABLE (outcome text, report_id bigint, n_events integer)
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_id  bigint;
    v_now timestamptz := now();
    v_n   integer;
BEGIN
    -- 0: the caller has already seen this check pass on its connection.
    IF p_min_schema > 0 THEN
        IF mxbounce.schema_version() < p_min_schema THEN
            RAISE EXCEPTION 'mxbounce schema version % is older than %; run mxbounce migrate',
                mxbounce.schema_version(), p_min_schema USING ERRCODE = 'MXB01';
        END IF;
    END IF;

    -- A concurrent delivery of the same report waits here on the unique
    -- index and then sees the conflict.
    INSERT INTO mxbounce.reports AS r (sha256, received_at, queue_id, envelope_sender,
            envelope_recipient, original_recipient, client_address, subject, from_header,
            orig_message_id, envelope_id, flags, problem, classifier_version, n_events)
    VALUES (p_sha256, v_now, p_report->>'queue_id', p_report->>'sender',
            p_report->>'recipient', p_report->>'original_recipient',
            p_report->>'client_address', p_report->>'subject', p_report->>'from',
            p_report->>'orig_message_id', p_report->>'envelope_id',
            coalesce((p_report->>'flags')::integer, 0), p_report->>'problem',
            p_report->>'classifier_version', jsonb_array_length(p_events))
    ON CONFLICT (sha256) DO NOTHING
    RETURNING r.id INTO v_id;

    IF v_id IS NULL THEN
        RETURN QUERY SELECT 'duplicate'::text, r.id, r.n_events
                       FROM mxbounce.reports r WHERE r.sha256 = p_sha256;
        RETURN;
    END IF;

    INSERT INTO mxbounce.raw_messages (sha256, size, truncated, content, received_at)
    VALUES (p_sha256, p_raw_size, length(p_raw) < p_raw_size, p_raw, v_now)
    ON CONFLICT (sha256) DO NOTHING;

    INSERT INTO mxbounce.events (report_id, seq, received_at, queue_id, envelope_recipient,
            recipient, original_recipient, kind, action, status, smtp_code, diagnostic,
            remote_mta, reporting_mta, class, reason, mta, feedback_type, classifier_version)
    SELECT v_id, e.seq, v_now, p_report->>'queue_id', p_report->>'recipient',
           e.recipient, e.original_recipient, e.kind, e.action, e.status, e.smtp_code,
           e.diagnostic, e.remote_mta, e.reporting_mta, e.class, e.reason, e.mta,
           e.feedback_type, p_report->>'classifier_version'
      FROM jsonb_to_recordset(p_events) AS e(seq integer, recipient text,
           original_recipient text, kind text, action text, status text, smtp_code smallint,
           diagnostic text, remote_mta text, reporting_mta text, class text, reason text,
           mta text, feedback_type text);
    GET DIAGNOSTICS v_n = ROW_COUNT;

    -- Hard bounces suppress the address. Rows are taken in address order
    -- so that concurrent reports lock suppressions in the same order.
    INSERT INTO mxbounce.suppressions AS s (account_id, address, reason, class,
            first_event_id, last_event_id, first_at, last_at)
    SELECT DISTINCT ON (e.recipient_key) coalesce(e.account_id, 0), e.recipient_key,
           e.reason, e.class, e.id, e.id, v_now, v_now
      FROM mxbounce.events e
     WHERE e.report_id = v_id AND e.class = 'hard' AND e.recipient_key IS NOT NULL
     ORDER BY e.recipient_key, e.seq
    ON CONFLICT (account_id, address) DO UPDATE
       SET last_event_id = EXCLUDED.last_event_id, last_at = EXCLUDED.last_at,
           event_count = s.event_count + 1;

    RETURN QUERY SELECT 'recorded'::text, v_id, v_n;
END
$$;
