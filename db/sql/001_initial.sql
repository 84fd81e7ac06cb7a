-- 001_initial.sql - the first schema of mxbounce
--
-- Migrations are append-only: never edit a released file, add the next
-- number. `mxbounce migrate` runs each file in one transaction and records
-- it in mxbounce.schema_migrations.

DO $$
BEGIN
    IF current_setting('server_encoding') <> 'UTF8' THEN
        RAISE EXCEPTION 'mxbounce needs a UTF8 database, this one is %',
            current_setting('server_encoding');
    END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS mxbounce;

-- Accounts of the sending platform; written by the app.
CREATE TABLE mxbounce.accounts (
    id                bigint PRIMARY KEY,
    name              text,
    status            text NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'warned', 'review', 'suspended')),
    status_changed_at timestamptz NOT NULL DEFAULT now(),
    created_at        timestamptz NOT NULL DEFAULT now()
);

-- Every report as received, once per content hash. The hash covers the
-- message without the trace fields our own MTA put on top (Received,
-- Return-Path, Delivered-To, X-Original-To), so the same report arriving
-- twice, by any path, is one row.
CREATE TABLE mxbounce.raw_messages (
    sha256      bytea PRIMARY KEY CHECK (length(sha256) = 32),
    size        integer NOT NULL,            -- bytes received
    truncated   boolean NOT NULL DEFAULT false,
    content     bytea NOT NULL,              -- at most the size limit
    received_at timestamptz NOT NULL DEFAULT now()
);

-- One row per delivered report: the envelope Postfix gave us and what the
-- parser made of the whole message. The unique hash is the dedup key.
CREATE TABLE mxbounce.reports (
    id                 bigserial PRIMARY KEY,
    sha256             bytea NOT NULL UNIQUE,
    received_at        timestamptz NOT NULL DEFAULT now(),
    queue_id           text,
    envelope_sender    text,
    envelope_recipient text,
    original_recipient text,
    client_address     text,
    subject            text,
    from_header        text,
    orig_message_id    text,
    envelope_id        text,
    flags              integer NOT NULL DEFAULT 0,
    problem            text,
    classifier_version text NOT NULL,
    n_events           integer NOT NULL
);

-- One row per (report, recipient): the facts the platform acts on.
CREATE TABLE mxbounce.events (
    id                 bigserial PRIMARY KEY,
    report_id          bigint NOT NULL REFERENCES mxbounce.reports (id) ON DELETE CASCADE,
    seq                integer NOT NULL,
    received_at        timestamptz NOT NULL,
    queue_id           text,
    envelope_recipient text,
    account_id         bigint,
    recipient          text,
    recipient_key      text GENERATED ALWAYS AS (lower(recipient)) STORED,
    original_recipient text,
    kind               text NOT NULL CHECK (kind IN ('bounce', 'delayed', 'delivered',
                           'complaint', 'auto_reply', 'challenge', 'mdn', 'not_bounce',
                           'unparseable')),
    action             text,
    status             text,
    smtp_code          smallint,
    diagnostic         text,
    remote_mta         text,
    reporting_mta      text,
    class              text CHECK (class IN ('hard', 'soft', 'block')),
    reason             text,
    mta                text,
    feedback_type      text,
    classifier_version text NOT NULL,
    UNIQUE (report_id, seq)
);
CREATE INDEX events_recipient_key ON mxbounce.events (recipient_key, received_at);
CREATE INDEX events_received_at ON mxbounce.events (received_at);

-- What the app must not send to. account_id 0 is platform-wide.
CREATE TABLE mxbounce.suppressions (
    account_id     bigint NOT NULL DEFAULT 0,
    address        text NOT NULL,            -- lower case
    reason         text NOT NULL,
    class          text NOT NULL,
    source         text NOT NULL DEFAULT 'bounce',
    first_event_id bigint,
    last_event_id  bigint,
    first_at       timestamptz NOT NULL DEFAULT now(),
    last_at        timestamptz NOT NULL DEFAULT now(),
    event_count    integer NOT NULL DEFAULT 1,
    expires_at     timestamptz,
    PRIMARY KEY (account_id, address)
);

-- schema_version - the newest applied migration
CREATE FUNCTION mxbounce.schema_version() RETURNS integer
    LANGUAGE sql STABLE
    AS $$ SELECT coalesce(max(version), 0) FROM mxbounce.schema_migrations $$;

-- record_report - everything one delivered report produces, in one call
--
-- p_min_schema: the schema version the caller was built for; an older
--   schema raises SQLSTATE MXB01 so the filter defers instead of writing
--   rows an old schema cannot hold.
-- p_sha256, p_raw, p_raw_size: dedup hash, stored bytes, bytes received.
-- p_report: envelope and report-level fields (json object).
-- p_events: one json object per recipient.
-- Returns 'recorded' or 'duplicate' with the report id and event count.
CREATE FUNCTION mxbounce.record_report(p_min_schema integer, p_sha256 bytea, p_raw bytea,
                                       p_raw_size integer, p_report jsonb, p_events jsonb)
    RETURNS TABLE (outcome text, report_id bigint, n_events integer)
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_id  bigint;
    v_now timestamptz := now();
    v_n   integer;
BEGIN
    IF mxbounce.schema_version() < p_min_schema THEN
        RAISE EXCEPTION 'mxbounce schema version % is older than %; run mxbounce migrate',
            mxbounce.schema_version(), p_min_schema USING ERRCODE = 'MXB01';
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
