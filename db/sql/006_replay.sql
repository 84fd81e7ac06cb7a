-- 006_replay.sql - classify stored reports again: `mxbounce replay`
--
-- The policy for one event moves into apply_event(), used both when a
-- report is recorded (apply_policy) and when an address's suppressions
-- are derived again from its events after a report was re-classified
-- (rebuild_address). Recording inserts events through insert_events(),
-- which replay_report() uses too.

-- apply_event - what one verified event does to the suppression list.
-- Events at or before p_cut_account (p_cut_platform) leave the account's
-- (the platform-wide) row alone: a person lifted it since.
CREATE FUNCTION mxbounce.apply_event(e mxbounce.events, p_policy mxbounce.policy, p_who text,
                                     p_cut_account timestamptz DEFAULT NULL,
                                     p_cut_platform timestamptz DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_days integer;
    v_since timestamptz;
    v_account boolean := p_cut_account IS NULL OR e.received_at > p_cut_account;
    v_platform boolean := p_cut_platform IS NULL OR e.received_at > p_cut_platform;
BEGIN
    IF e.match <> 'verified' OR e.account_id IS NULL OR e.recipient_key IS NULL THEN
        RETURN;
    END IF;
    IF e.kind = 'delivered' THEN
        PERFORM mxbounce.delivery_row(e.account_id, e.recipient_key, e.received_at, p_who,
                                      'delivered DSN');
    ELSIF e.kind = 'complaint' THEN
        IF v_account THEN
            PERFORM mxbounce.suppress_row(e.account_id, e.recipient_key, 'complaint', 'complaint',
                                          'complaint', e.id, NULL, p_who, 'complaint');
        END IF;
        IF p_policy.complaint_scope = 'platform' AND e.bound AND v_platform THEN
            PERFORM mxbounce.suppress_row(0, e.recipient_key, 'complaint', 'complaint',
                                          'complaint', e.id, NULL, p_who, 'complaint');
        END IF;
    ELSIF e.kind = 'bounce' AND e.class = 'hard' THEN
        IF v_account THEN
            PERFORM mxbounce.suppress_row(e.account_id, e.recipient_key, 'hard', e.reason,
                                          'bounce', e.id, NULL, p_who, 'hard bounce');
        END IF;
        IF p_policy.hard_scope = 'platform' AND e.bound AND v_platform THEN
            PERFORM mxbounce.suppress_row(0, e.recipient_key, 'hard', e.reason, 'bounce', e.id,
                                          NULL, p_who, 'hard bounce');
        END IF;
    ELSIF e.kind = 'bounce' AND e.class = 'soft' AND v_account THEN
        SELECT greatest(e.received_at - p_policy.soft_window, max(d.last_at)) INTO v_since
          FROM mxbounce.deliveries d
         WHERE d.account_id = e.account_id AND d.address = e.recipient_key;
        SELECT count(DISTINCT (ev.received_at AT TIME ZONE 'UTC')::date) INTO v_days
          FROM mxbounce.events ev
         WHERE ev.recipient_key = e.recipient_key AND ev.account_id = e.account_id
           AND ev.received_at > v_since AND ev.received_at <= e.received_at
           AND ev.match = 'verified' AND ev.kind = 'bounce' AND ev.class = 'soft';
        IF v_days >= p_policy.soft_failures THEN
            PERFORM mxbounce.suppress_row(e.account_id, e.recipient_key, 'soft', e.reason,
                                          'bounce', e.id, e.received_at + p_policy.soft_expiry,
                                          p_who, format('%s soft failures on different days', v_days));
        END IF;
    END IF;
END
$$;

-- apply_policy - the suppressions one recorded report causes (as in 005,
-- through apply_event): rows in address order, so concurrent reports lock
-- suppressions in the same order and cannot deadlock.
CREATE OR REPLACE FUNCTION mxbounce.apply_policy(p_report_id bigint, p_at timestamptz)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_policy mxbounce.policy;
    e mxbounce.events;
BEGIN
    FOR e IN SELECT ev.* FROM mxbounce.events ev
              WHERE ev.report_id = p_report_id AND ev.received_at = p_at
                AND ev.match = 'verified'
                AND ev.account_id IS NOT NULL AND ev.recipient_key IS NOT NULL
                AND (ev.class IN ('hard', 'soft') OR ev.kind IN ('complaint', 'delivered'))
              ORDER BY ev.recipient_key, ev.seq LOOP
        IF v_policy.id IS NULL THEN
            SELECT * INTO v_policy FROM mxbounce.policy;
        END IF;
        PERFORM mxbounce.apply_event(e, v_policy, 'mxbounce-filter');
    END LOOP;
END
$$;

-- insert_events - a report's events from the filter's JSON; events no
-- token tied are matched through the returned Message-ID against
-- mxbounce.messages. Returns the number inserted.
CREATE FUNCTION mxbounce.insert_events(p_report_id bigint, p_at timestamptz, p_report jsonb,
                                       p_events jsonb, p_version text)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_msg mxbounce.messages;
    v_n integer;
BEGIN
    IF p_report->>'orig_message_id' IS NOT NULL
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(p_events) x WHERE x->>'match' = 'none') THEN
        SELECT * INTO v_msg FROM mxbounce.messages m
         WHERE m.message_id = btrim(p_report->>'orig_message_id', '<> ');
    END IF;
    INSERT INTO mxbounce.events (report_id, seq, received_at, queue_id, envelope_recipient,
            recipient, recipient_key, original_recipient, kind, action, status, smtp_code,
            diagnostic, remote_mta, reporting_mta, class, reason, mta, feedback_type,
            classifier_version, match, token, bound, account_id, list_id, message_ref)
    SELECT p_report_id, e.seq, p_at, p_report->>'queue_id', p_report->>'recipient',
           e.recipient, e.recipient_key, e.original_recipient, e.kind, e.action, e.status,
           e.smtp_code, e.diagnostic, e.remote_mta, e.reporting_mta, e.class, e.reason, e.mta,
           e.feedback_type, p_version,
           CASE WHEN e.match = 'none' AND v_msg.message_id IS NOT NULL THEN 'header'
                ELSE coalesce(e.match, 'none') END,
           e.token, coalesce(e.bound, false),
           CASE WHEN e.match = 'none' THEN v_msg.account_id ELSE e.account_id END,
           CASE WHEN e.match = 'none' THEN v_msg.list_id ELSE e.list_id END,
           CASE WHEN e.match = 'none' THEN v_msg.message_ref ELSE e.message_ref END
      FROM jsonb_to_recordset(p_events) AS e(seq integer, recipient text, recipient_key text,
           original_recipient text, kind text, action text, status text, smtp_code smallint,
           diagnostic text, remote_mta text, reporting_mta text, class text, reason text,
           mta text, feedback_type text, match text, token text, bound boolean,
           account_id bigint, list_id bigint, message_ref bigint);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

-- record_report: as in 005, through insert_events().
CREATE OR REPLACE FUNCTION mxbounce.record_report(p_min_schema integer, p_sha256 bytea, p_raw bytea,
                                       p_raw_size integer, p_report jsonb, p_events jsonb)
    RETURNS TABLE (outcome text, report_id bigint, n_events integer)
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog
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
            orig_message_id, envelope_id, flags, problem, classifier_version, n_events, token)
    VALUES (p_sha256, v_now, p_report->>'queue_id', p_report->>'sender',
            p_report->>'recipient', p_report->>'original_recipient',
            p_report->>'client_address', p_report->>'subject', p_report->>'from',
            p_report->>'orig_message_id', p_report->>'envelope_id',
            coalesce((p_report->>'flags')::integer, 0), p_report->>'problem',
            p_report->>'classifier_version', jsonb_array_length(p_events), p_report->>'token')
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

    v_n := mxbounce.insert_events(v_id, v_now, p_report, p_events,
                                  p_report->>'classifier_version');
    PERFORM mxbounce.apply_policy(v_id, v_now);

    RETURN QUERY SELECT 'recorded'::text, v_id, v_n;
END
$$;

-- rebuild_address - derive the automatic suppressions of one address (all
-- accounts, and platform-wide) again from its verified events, in time
-- order. Manual rows stay; so do automatic rows whose first event is no
-- longer stored (retention dropped it: there is nothing to derive them
-- from) unless it is one of p_replaced (events a replay just replaced).
-- A person's lift (unsuppress, opt_in) still holds: events up to it are
-- not applied again. Only the differences are logged (who p_who).
-- Returns the rows added and removed.
CREATE FUNCTION mxbounce.rebuild_address(p_key text, p_who text, p_replaced bigint[],
                                         OUT added integer, OUT removed integer)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_policy mxbounce.policy;
    v_log bigint;
    e mxbounce.events;
BEGIN
    SELECT * INTO v_policy FROM mxbounce.policy;
    CREATE TEMP TABLE IF NOT EXISTS mxb_rebuild_before (LIKE mxbounce.suppressions) ON COMMIT DROP;
    TRUNCATE mxb_rebuild_before;
    WITH gone AS (
        DELETE FROM mxbounce.suppressions s
         WHERE s.address = p_key AND s.source IN ('bounce', 'complaint')
           AND (s.first_event_id = ANY (p_replaced)
                OR EXISTS (SELECT 1 FROM mxbounce.events ev WHERE ev.id = s.first_event_id))
        RETURNING s.*)
    INSERT INTO mxb_rebuild_before SELECT * FROM gone;
    SELECT coalesce(max(id), 0) INTO v_log FROM mxbounce.suppression_log;
    FOR e IN SELECT ev.* FROM mxbounce.events ev
              WHERE ev.recipient_key = p_key AND ev.match = 'verified'
                AND ev.account_id IS NOT NULL
                AND (ev.class IN ('hard', 'soft') OR ev.kind IN ('complaint', 'delivered'))
              ORDER BY ev.received_at, ev.report_id, ev.seq LOOP
        PERFORM mxbounce.apply_event(e, v_policy, p_who,
            (SELECT max(l.at) FROM mxbounce.suppression_log l
              WHERE l.address = p_key AND l.account_id = e.account_id AND l.id <= v_log
                AND l.action IN ('unsuppress', 'opt_in')
                AND l.who NOT IN ('mxbounce retention', 'mxbounce replay')),
            (SELECT max(l.at) FROM mxbounce.suppression_log l
              WHERE l.address = p_key AND l.account_id = 0 AND l.id <= v_log
                AND l.action IN ('unsuppress', 'opt_in')
                AND l.who NOT IN ('mxbounce retention', 'mxbounce replay')));
    END LOOP;
    -- The log says what changed, not how it was derived again.
    DELETE FROM mxbounce.suppression_log WHERE id > v_log AND address = p_key;
    INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason, event_id,
                                          who, why)
    SELECT b.account_id, b.address, 'unsuppress', b.class, b.reason, b.last_event_id, p_who,
           'reclassified'
      FROM mxb_rebuild_before b
     WHERE NOT EXISTS (SELECT 1 FROM mxbounce.suppressions s
                        WHERE s.account_id = b.account_id AND s.address = b.address
                          AND s.class = b.class);
    GET DIAGNOSTICS removed = ROW_COUNT;
    INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason, event_id,
                                          who, why)
    SELECT s.account_id, s.address, 'suppress', s.class, s.reason, s.last_event_id, p_who,
           'reclassified'
      FROM mxbounce.suppressions s
     WHERE s.address = p_key AND s.source IN ('bounce', 'complaint')
       AND NOT EXISTS (SELECT 1 FROM mxb_rebuild_before b
                        WHERE b.account_id = s.account_id AND b.address = s.address
                          AND b.class = s.class);
    GET DIAGNOSTICS added = ROW_COUNT;
END
$$;

-- replay_report - put the events of a report classified again in place of
-- its old ones (same time, same report), and derive the suppressions of
-- every address involved again. Nothing happens when the events are the
-- same in every field that matters (then only the classifier version is
-- updated). One row per change, for the operator:
--   ('event', 'seq N: old -> new') and ('suppressed', ...)/('lifted', ...).
CREATE FUNCTION mxbounce.replay_report(p_report_id bigint, p_report jsonb, p_events jsonb,
                                       p_version text)
    RETURNS TABLE (change text, detail text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_at timestamptz;
    v_keys text[];
    v_key text;
    v_r record;
    v_log bigint;
    v_replaced bigint[];
BEGIN
    SELECT r.received_at INTO v_at FROM mxbounce.reports r WHERE r.id = p_report_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    CREATE TEMP TABLE IF NOT EXISTS mxb_replay_new (seq integer, recipient text,
        recipient_key text, kind text, status text, class text, reason text, match text,
        account_id bigint) ON COMMIT DROP;
    TRUNCATE mxb_replay_new;
    -- The new events as the filter sent them, to compare with the old.
    INSERT INTO mxb_replay_new
    SELECT e.seq, e.recipient, e.recipient_key, e.kind, e.status, e.class, e.reason,
           coalesce(e.match, 'none'), e.account_id
      FROM jsonb_to_recordset(p_events) AS e(seq integer, recipient text, recipient_key text,
           kind text, status text, class text, reason text, match text, account_id bigint);
    FOR v_r IN
        SELECT coalesce(o.seq, n.seq) AS seq,
               concat_ws('/', o.recipient, o.kind, o.status, o.class, o.reason, o.match) AS was,
               concat_ws('/', n.recipient, n.kind, n.status, n.class, n.reason,
                         CASE WHEN n.match = 'none' AND o.match = 'header' THEN 'header'
                              ELSE n.match END) AS now_
          FROM (SELECT * FROM mxbounce.events ev
                 WHERE ev.report_id = p_report_id AND ev.received_at = v_at) o
          FULL JOIN mxb_replay_new n ON n.seq = o.seq
         WHERE o.seq IS NULL OR n.seq IS NULL
            OR (o.recipient_key, o.kind, o.status, o.class, o.reason, o.account_id)
               IS DISTINCT FROM (n.recipient_key, n.kind, n.status, n.class, n.reason,
                                 CASE WHEN n.match = 'none' THEN o.account_id ELSE n.account_id END)
         ORDER BY 1 LOOP
        change := 'event';
        detail := format('seq %s: %s -> %s', v_r.seq, nullif(v_r.was, ''), nullif(v_r.now_, ''));
        RETURN NEXT;
    END LOOP;
    IF NOT FOUND THEN
        UPDATE mxbounce.events ev SET classifier_version = p_version
         WHERE ev.report_id = p_report_id AND ev.received_at = v_at;
        UPDATE mxbounce.reports r SET classifier_version = p_version WHERE r.id = p_report_id;
        RETURN;
    END IF;

    SELECT array_agg(DISTINCT k ORDER BY k) INTO v_keys
      FROM (SELECT ev.recipient_key AS k FROM mxbounce.events ev
             WHERE ev.report_id = p_report_id AND ev.received_at = v_at
            UNION SELECT n.recipient_key FROM mxb_replay_new n) x
     WHERE k IS NOT NULL;
    SELECT array_agg(ev.id) INTO v_replaced FROM mxbounce.events ev
     WHERE ev.report_id = p_report_id AND ev.received_at = v_at;
    DELETE FROM mxbounce.events ev WHERE ev.report_id = p_report_id AND ev.received_at = v_at;
    PERFORM mxbounce.insert_events(p_report_id, v_at, p_report, p_events, p_version);
    UPDATE mxbounce.reports r SET classifier_version = p_version,
           n_events = jsonb_array_length(p_events)
     WHERE r.id = p_report_id;
    SELECT coalesce(max(id), 0) INTO v_log FROM mxbounce.suppression_log;
    FOREACH v_key IN ARRAY coalesce(v_keys, '{}') LOOP
        PERFORM mxbounce.rebuild_address(v_key, 'mxbounce replay', coalesce(v_replaced, '{}'));
    END LOOP;
    RETURN QUERY
        SELECT CASE l.action WHEN 'suppress' THEN 'suppressed' ELSE 'lifted' END,
               format('account %s %s %s%s', l.account_id, l.address, l.class,
                      coalesce(' ' || l.reason, ''))
          FROM mxbounce.suppression_log l
         WHERE l.id > v_log ORDER BY l.id;
END
$$;

REVOKE ALL ON FUNCTION mxbounce.apply_event(mxbounce.events, mxbounce.policy, text, timestamptz, timestamptz),
                       mxbounce.insert_events(bigint, timestamptz, jsonb, jsonb, text),
                       mxbounce.rebuild_address(text, text, bigint[]),
                       mxbounce.replay_report(bigint, jsonb, jsonb, text)
    FROM PUBLIC;
