-- 008_replay_no_temp_table.sql - mxbounce replay without temporary
-- tables
--
-- replay_report compared a report's stored events with its new ones
-- through a temporary table, created for each report's transaction and
-- dropped at its commit: catalog rows written and removed, and the
-- caches invalidated, for every report. The new events are now read
-- from the JSON where they are needed (twice), which is what filled the
-- table. rebuild_address, which replay_report calls for each address
-- whose events changed, kept the suppressions it removed in another
-- temporary table: now in an array. Same changes, same output
-- (tests/integration/replay.sh).
--
-- Measured (bench/replay-speed 2: 1,006 reports of the corpus, fsync on,
-- the 2-core reference machine): 419 reports/s before and 932-1,008
-- after with --dry-run; 390 before and 856-972 after, written.
--
-- The filter does not call it: MXB_SCHEMA_VERSION stays 7.
CREATE OR REPLACE FUNCTION mxbounce.replay_report(p_report_id bigint, p_report jsonb, p_events jsonb,
                                       p_version text)
    RETURNS TABLE (change text, detail text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_at timestamptz;
    v_keys text[];
    v_key text;
    v_r record;
    v_log bigint;
    v_replaced bigint[];
    v_events jsonb;
BEGIN
    SELECT r.received_at INTO v_at FROM mxbounce.reports r WHERE r.id = p_report_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    -- A token that no longer verifies (its key retired since, say) or a
    -- registered message retention removed must not undo how an event was
    -- tied: where the new event is tied to nothing, it keeps the old tie.
    SELECT coalesce(jsonb_agg(CASE
               WHEN coalesce(x.n->>'match', 'none') = 'none' AND o.match IN ('verified', 'header')
                    AND o.recipient_key IS NOT DISTINCT FROM x.n->>'recipient_key'
               THEN x.n || jsonb_build_object('match', o.match, 'token', o.token, 'bound', o.bound,
                                              'account_id', o.account_id, 'list_id', o.list_id,
                                              'message_ref', o.message_ref)
               ELSE x.n END ORDER BY x.ord), '[]'::jsonb)
      INTO v_events
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(n, ord)
      LEFT JOIN mxbounce.events o
        ON o.report_id = p_report_id AND o.received_at = v_at
       AND o.seq = (x.n->>'seq')::integer;
    FOR v_r IN
        SELECT coalesce(o.seq, n.seq) AS seq,
               concat_ws('/', o.recipient, o.kind, o.status, o.class, o.reason, o.match) AS was,
               concat_ws('/', n.recipient, n.kind, n.status, n.class, n.reason,
                         CASE WHEN n.match = 'none' AND o.match = 'header' THEN 'header'
                              ELSE n.match END) AS now_
          FROM (SELECT * FROM mxbounce.events ev
                 WHERE ev.report_id = p_report_id AND ev.received_at = v_at) o
          FULL JOIN (SELECT e.seq, e.recipient, e.recipient_key, e.kind, e.status, e.class,
                            e.reason, coalesce(e.match, 'none') AS match, e.account_id
                       FROM jsonb_to_recordset(v_events)
                            AS e(seq integer, recipient text, recipient_key text, kind text,
                                 status text, class text, reason text, match text,
                                 account_id bigint)) n ON n.seq = o.seq
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
            UNION SELECT e.recipient_key FROM jsonb_to_recordset(v_events) AS e(recipient_key text)) x
     WHERE k IS NOT NULL;
    SELECT array_agg(ev.id) INTO v_replaced FROM mxbounce.events ev
     WHERE ev.report_id = p_report_id AND ev.received_at = v_at;
    DELETE FROM mxbounce.events ev WHERE ev.report_id = p_report_id AND ev.received_at = v_at;
    PERFORM mxbounce.insert_events(p_report_id, v_at, p_report, v_events, p_version);
    UPDATE mxbounce.reports r SET classifier_version = p_version,
           n_events = jsonb_array_length(v_events)
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
         WHERE l.id > v_log AND l.who = 'mxbounce replay' ORDER BY l.id;
END
$$;

CREATE OR REPLACE FUNCTION mxbounce.rebuild_address(p_key text, p_who text, p_replaced bigint[],
                                         OUT added integer, OUT removed integer)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_policy mxbounce.policy;
    v_log bigint;
    e mxbounce.events;
    v_before mxbounce.suppressions[];
BEGIN
    SELECT * INTO v_policy FROM mxbounce.policy;
    WITH gone AS (
        DELETE FROM mxbounce.suppressions s
         WHERE s.address = p_key AND s.source IN ('bounce', 'complaint')
           AND (s.first_event_id = ANY (p_replaced)
                OR EXISTS (SELECT 1 FROM mxbounce.events ev WHERE ev.id = s.first_event_id))
        RETURNING s.*)
    SELECT coalesce(array_agg(ROW(g.*)::mxbounce.suppressions), '{}') INTO v_before FROM gone g;
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
    DELETE FROM mxbounce.suppression_log WHERE id > v_log AND address = p_key AND who = p_who;
    INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason, event_id,
                                          who, why)
    SELECT b.account_id, b.address, 'unsuppress', b.class, b.reason, b.last_event_id, p_who,
           'reclassified'
      FROM unnest(v_before) b
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
       AND NOT EXISTS (SELECT 1 FROM unnest(v_before) b
                        WHERE b.account_id = s.account_id AND b.address = s.address
                          AND b.class = s.class);
    GET DIAGNOSTICS added = ROW_COUNT;
END
$$;
