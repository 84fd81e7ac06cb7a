-- 005_partitions_retention.sql - events partitioned by month; retention
--
-- events becomes a table partitioned by received_at, one partition per
-- UTC month (events_YYYYMM) plus a default partition that catches anything
-- no monthly partition covers, so an insert never fails for want of a
-- partition. `mxbounce retention` (cron, daily) creates the coming months'
-- partitions, moves rows out of the default partition into their month,
-- and drops the months past policy.event_retention; old raw messages,
-- reports and registered messages go with their own settings.

ALTER TABLE mxbounce.policy
    ADD COLUMN event_retention   interval NOT NULL DEFAULT '13 months',
    ADD COLUMN raw_retention     interval NOT NULL DEFAULT '90 days',
    ADD COLUMN message_retention interval NOT NULL DEFAULT '90 days',
    ADD COLUMN months_ahead      integer NOT NULL DEFAULT 3 CHECK (months_ahead BETWEEN 1 AND 24);

DROP VIEW mxbounce.account_events;
DROP VIEW mxbounce.delivery_issues;
ALTER TABLE mxbounce.events RENAME TO events_unpartitioned;
ALTER INDEX mxbounce.events_recipient_key RENAME TO events_unpartitioned_recipient_key;
ALTER INDEX mxbounce.events_received_at RENAME TO events_unpartitioned_received_at;
ALTER INDEX mxbounce.events_account RENAME TO events_unpartitioned_account;

-- The same columns in the same order; the primary key and the report's
-- unique key include the partition key, as PostgreSQL requires.
CREATE TABLE mxbounce.events (
    LIKE mxbounce.events_unpartitioned INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    PRIMARY KEY (id, received_at),
    UNIQUE (report_id, seq, received_at),
    FOREIGN KEY (report_id) REFERENCES mxbounce.reports (id) ON DELETE CASCADE
) PARTITION BY RANGE (received_at);
ALTER SEQUENCE mxbounce.events_id_seq OWNED BY mxbounce.events.id;
CREATE INDEX events_recipient_key ON mxbounce.events (recipient_key, received_at);
CREATE INDEX events_received_at ON mxbounce.events (received_at);
CREATE INDEX events_account ON mxbounce.events (account_id, received_at) WHERE account_id IS NOT NULL;
CREATE TABLE mxbounce.events_default PARTITION OF mxbounce.events DEFAULT;

-- month_partition - the partition of the UTC month that holds p_at,
-- created when missing; rows of that month waiting in the default
-- partition are moved into it. Returns its name when it was created.
CREATE FUNCTION mxbounce.month_partition(p_at timestamptz)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_month timestamptz := date_trunc('month', p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    v_next timestamptz := v_month + interval '1 month';
    v_name text := 'events_' || to_char(v_month AT TIME ZONE 'UTC', 'YYYYMM');
BEGIN
    -- One at a time: two runs would both try to create the month.
    PERFORM pg_advisory_xact_lock(7236712);
    IF to_regclass('mxbounce.' || v_name) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    EXECUTE format('CREATE TABLE mxbounce.%I (LIKE mxbounce.events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
    EXECUTE format('INSERT INTO mxbounce.%I SELECT * FROM mxbounce.events_default'
                   ' WHERE received_at >= $1 AND received_at < $2', v_name)
        USING v_month, v_next;
    DELETE FROM mxbounce.events_default WHERE received_at >= v_month AND received_at < v_next;
    EXECUTE format('ALTER TABLE mxbounce.events ATTACH PARTITION mxbounce.%I'
                   ' FOR VALUES FROM (%L) TO (%L)', v_name, v_month, v_next);
    RETURN v_name;
END
$$;

-- ensure_partitions - this month's partition and p_months_ahead more
-- (default policy.months_ahead), and one for every month that has rows
-- waiting in the default partition. Returns the names created.
CREATE FUNCTION mxbounce.ensure_partitions(p_months_ahead integer DEFAULT NULL)
    RETURNS SETOF text
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_ahead integer := coalesce(p_months_ahead, (SELECT months_ahead FROM mxbounce.policy));
    v_name text;
    v_at timestamptz;
BEGIN
    FOR v_at IN SELECT DISTINCT date_trunc('month', received_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
                  FROM mxbounce.events_default
                UNION
                SELECT now() + make_interval(months => m) FROM generate_series(0, v_ahead) AS m
                ORDER BY 1 LOOP
        v_name := mxbounce.month_partition(v_at);
        IF v_name IS NOT NULL THEN
            RETURN NEXT v_name;
        END IF;
    END LOOP;
END
$$;

-- The rows (into the default partition), then a partition for each month
-- they span and the months ahead.
INSERT INTO mxbounce.events SELECT * FROM mxbounce.events_unpartitioned;
DROP TABLE mxbounce.events_unpartitioned;
SELECT mxbounce.ensure_partitions();

CREATE INDEX reports_received_at ON mxbounce.reports (received_at);
CREATE INDEX raw_messages_received_at ON mxbounce.raw_messages (received_at);

-- drop_old_partitions - drop the monthly partitions that end before
-- now() - policy.event_retention; with p_dry_run only name them.
CREATE FUNCTION mxbounce.drop_old_partitions(p_dry_run boolean DEFAULT false)
    RETURNS SETOF text
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_cut timestamptz := now() - (SELECT event_retention FROM mxbounce.policy);
    r record;
BEGIN
    PERFORM pg_advisory_xact_lock(7236712);
    FOR r IN SELECT c.relname,
                    (regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']*)''\)'))[1]::timestamptz AS upper_bound
               FROM pg_inherits i
               JOIN pg_class c ON c.oid = i.inhrelid
              WHERE i.inhparent = 'mxbounce.events'::regclass AND c.relname ~ '^events_[0-9]{6}$'
              ORDER BY c.relname LOOP
        IF r.upper_bound <= v_cut THEN
            IF NOT p_dry_run THEN
                EXECUTE format('DROP TABLE mxbounce.%I', r.relname);
            END IF;
            RETURN NEXT r.relname;
        END IF;
    END LOOP;
END
$$;

-- retention - the daily housekeeping `mxbounce retention` runs: partitions
-- ahead, old partitions, and old rows of the other tables. One row per
-- kind of thing with how many went (or would go, with p_dry_run).
CREATE FUNCTION mxbounce.retention(p_dry_run boolean DEFAULT false)
    RETURNS TABLE (what text, n bigint, detail text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_policy mxbounce.policy;
    v_names text[];
    v_n bigint;
BEGIN
    SELECT * INTO v_policy FROM mxbounce.policy;
    IF NOT p_dry_run THEN
        SELECT array_agg(x) INTO v_names FROM mxbounce.ensure_partitions() AS x;
        RETURN QUERY SELECT 'partitions created'::text, coalesce(cardinality(v_names), 0)::bigint,
                            array_to_string(v_names, ' ');
    END IF;
    SELECT array_agg(x) INTO v_names FROM mxbounce.drop_old_partitions(p_dry_run) AS x;
    RETURN QUERY SELECT 'event partitions dropped'::text, coalesce(cardinality(v_names), 0)::bigint,
                        array_to_string(v_names, ' ');
    -- Events in the default partition past retention (it only holds rows
    -- no month covered).
    IF p_dry_run THEN
        SELECT count(*) INTO v_n FROM mxbounce.events_default
         WHERE received_at < now() - v_policy.event_retention;
    ELSE
        DELETE FROM mxbounce.events_default WHERE received_at < now() - v_policy.event_retention;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;
    RETURN QUERY SELECT 'old events in the default partition'::text, v_n, NULL::text;
    -- Reports whose events are gone.
    IF p_dry_run THEN
        SELECT count(*) INTO v_n FROM mxbounce.reports WHERE received_at < now() - v_policy.event_retention;
    ELSE
        DELETE FROM mxbounce.reports WHERE received_at < now() - v_policy.event_retention;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;
    RETURN QUERY SELECT 'reports'::text, v_n, ('older than ' || v_policy.event_retention)::text;
    IF p_dry_run THEN
        SELECT count(*) INTO v_n FROM mxbounce.raw_messages WHERE received_at < now() - v_policy.raw_retention;
    ELSE
        DELETE FROM mxbounce.raw_messages WHERE received_at < now() - v_policy.raw_retention;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;
    RETURN QUERY SELECT 'raw messages'::text, v_n, ('older than ' || v_policy.raw_retention)::text;
    IF p_dry_run THEN
        SELECT count(*) INTO v_n FROM mxbounce.messages WHERE sent_at < now() - v_policy.message_retention;
    ELSE
        DELETE FROM mxbounce.messages WHERE sent_at < now() - v_policy.message_retention;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;
    RETURN QUERY SELECT 'registered messages'::text, v_n, ('older than ' || v_policy.message_retention)::text;
    IF p_dry_run THEN
        SELECT count(*) INTO v_n FROM mxbounce.suppressions WHERE expires_at < now();
    ELSE
        WITH gone AS (
            DELETE FROM mxbounce.suppressions WHERE expires_at < now()
            RETURNING account_id, address, class, reason)
        INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason, who, why)
        SELECT account_id, address, 'unsuppress', class, reason, 'mxbounce retention', 'expired'
          FROM gone;
        GET DIAGNOSTICS v_n = ROW_COUNT;
    END IF;
    RETURN QUERY SELECT 'expired suppressions'::text, v_n, NULL::text;
END
$$;

-- apply_policy reads only the report's own partition: record_report
-- passes the time it recorded the events at.
DROP FUNCTION mxbounce.apply_policy(bigint);
CREATE FUNCTION mxbounce.apply_policy(p_report_id bigint, p_at timestamptz)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_policy mxbounce.policy;
    e record;
    v_days integer;
    v_since timestamptz;
BEGIN
    FOR e IN SELECT ev.id, ev.account_id, ev.recipient_key, ev.kind, ev.class, ev.reason,
                    ev.bound, ev.received_at
               FROM mxbounce.events ev
              WHERE ev.report_id = p_report_id AND ev.received_at = p_at
                AND ev.match = 'verified'
                AND ev.account_id IS NOT NULL AND ev.recipient_key IS NOT NULL
                AND (ev.class IN ('hard', 'soft') OR ev.kind IN ('complaint', 'delivered'))
              ORDER BY ev.recipient_key, ev.seq LOOP
        IF v_policy.id IS NULL THEN
            SELECT * INTO v_policy FROM mxbounce.policy;
        END IF;
        IF e.kind = 'delivered' THEN
            PERFORM mxbounce.delivery_row(e.account_id, e.recipient_key, e.received_at,
                                          'mxbounce-filter', 'delivered DSN');
        ELSIF e.kind = 'complaint' THEN
            PERFORM mxbounce.suppress_row(e.account_id, e.recipient_key, 'complaint',
                                          'complaint', 'complaint', e.id, NULL,
                                          'mxbounce-filter', 'complaint');
            IF v_policy.complaint_scope = 'platform' AND e.bound THEN
                PERFORM mxbounce.suppress_row(0, e.recipient_key, 'complaint', 'complaint',
                                              'complaint', e.id, NULL, 'mxbounce-filter',
                                              'complaint');
            END IF;
        ELSIF e.kind = 'bounce' AND e.class = 'hard' THEN
            PERFORM mxbounce.suppress_row(e.account_id, e.recipient_key, 'hard', e.reason,
                                          'bounce', e.id, NULL, 'mxbounce-filter', 'hard bounce');
            IF v_policy.hard_scope = 'platform' AND e.bound THEN
                PERFORM mxbounce.suppress_row(0, e.recipient_key, 'hard', e.reason, 'bounce',
                                              e.id, NULL, 'mxbounce-filter', 'hard bounce');
            END IF;
        ELSIF e.kind = 'bounce' AND e.class = 'soft' THEN
            SELECT greatest(e.received_at - v_policy.soft_window, max(d.last_at)) INTO v_since
              FROM mxbounce.deliveries d
             WHERE d.account_id = e.account_id AND d.address = e.recipient_key;
            SELECT count(DISTINCT (ev.received_at AT TIME ZONE 'UTC')::date) INTO v_days
              FROM mxbounce.events ev
             WHERE ev.recipient_key = e.recipient_key AND ev.account_id = e.account_id
               AND ev.received_at > v_since AND ev.received_at <= e.received_at
               AND ev.match = 'verified' AND ev.kind = 'bounce' AND ev.class = 'soft';
            IF v_days >= v_policy.soft_failures THEN
                PERFORM mxbounce.suppress_row(e.account_id, e.recipient_key, 'soft', e.reason,
                                              'bounce', e.id, e.received_at + v_policy.soft_expiry,
                                              'mxbounce-filter',
                                              format('%s soft failures on different days', v_days));
            END IF;
        END IF;
    END LOOP;
END
$$;
REVOKE ALL ON FUNCTION mxbounce.apply_policy(bigint, timestamptz) FROM PUBLIC;

-- record_report: as in 004, calling apply_policy with the time.
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
    v_msg mxbounce.messages;
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

    -- The returned Message-ID, for events no token tied (at most one
    -- lookup per report).
    IF p_report->>'orig_message_id' IS NOT NULL
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(p_events) x WHERE x->>'match' = 'none') THEN
        SELECT * INTO v_msg FROM mxbounce.messages m
         WHERE m.message_id = btrim(p_report->>'orig_message_id', '<> ');
    END IF;

    INSERT INTO mxbounce.events (report_id, seq, received_at, queue_id, envelope_recipient,
            recipient, recipient_key, original_recipient, kind, action, status, smtp_code,
            diagnostic, remote_mta, reporting_mta, class, reason, mta, feedback_type,
            classifier_version, match, token, bound, account_id, list_id, message_ref)
    SELECT v_id, e.seq, v_now, p_report->>'queue_id', p_report->>'recipient',
           e.recipient, e.recipient_key, e.original_recipient, e.kind, e.action, e.status,
           e.smtp_code, e.diagnostic, e.remote_mta, e.reporting_mta, e.class, e.reason, e.mta,
           e.feedback_type, p_report->>'classifier_version',
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

    PERFORM mxbounce.apply_policy(v_id, v_now);

    RETURN QUERY SELECT 'recorded'::text, v_id, v_n;
END
$$;

-- The views of 004, on the partitioned table.
CREATE VIEW mxbounce.delivery_issues AS
WITH ev AS (
    SELECT e.account_id, coalesce(e.list_id, 0) AS list_id,
           (e.received_at AT TIME ZONE 'UTC')::date AS day,
           count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'hard') AS hard,
           count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'soft') AS soft,
           count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'block') AS block,
           count(DISTINCT e.recipient_key) FILTER (WHERE e.kind = 'complaint') AS complaints,
           count(DISTINCT e.recipient_key) FILTER (WHERE e.kind = 'delayed') AS delayed
      FROM mxbounce.events e
     WHERE e.account_id IS NOT NULL AND e.match <> 'none'
     GROUP BY 1, 2, 3)
SELECT coalesce(s.account_id, ev.account_id) AS account_id,
       coalesce(s.list_id, ev.list_id) AS list_id,
       coalesce(s.day, ev.day) AS day,
       coalesce(s.sent, 0) AS sent,
       coalesce(ev.hard, 0) AS hard, coalesce(ev.soft, 0) AS soft,
       coalesce(ev.block, 0) AS block, coalesce(ev.complaints, 0) AS complaints,
       coalesce(ev.delayed, 0) AS delayed
  FROM mxbounce.sends s
  FULL JOIN ev ON ev.account_id = s.account_id AND ev.list_id = s.list_id AND ev.day = s.day;

CREATE VIEW mxbounce.account_events AS
SELECT e.id, e.received_at, e.account_id, e.list_id, e.message_ref, e.recipient, e.kind,
       e.class, e.reason, e.status, e.smtp_code, e.diagnostic, e.remote_mta, e.reporting_mta,
       e.mta, e.feedback_type, e.match, e.token, r.id AS report_id, r.queue_id, r.subject,
       r.from_header, r.orig_message_id, e.classifier_version
  FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id;

-- Privileges of the new objects (partitions are reached through the
-- parent's privileges).
REVOKE ALL ON mxbounce.events, mxbounce.events_default, mxbounce.delivery_issues,
              mxbounce.account_events FROM PUBLIC;
REVOKE ALL ON FUNCTION mxbounce.ensure_partitions(integer), mxbounce.month_partition(timestamptz),
                       mxbounce.drop_old_partitions(boolean), mxbounce.retention(boolean)
    FROM PUBLIC;
GRANT SELECT ON mxbounce.events, mxbounce.delivery_issues, mxbounce.account_events
   TO mxbounce_app, mxbounce_review;
