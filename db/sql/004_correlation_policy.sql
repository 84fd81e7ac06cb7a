-- 004_correlation_policy.sql - who a report is about, and what the
-- platform does about it: VERP tokens in SQL, address keys, correlation,
-- the suppression policy, the app's API and three roles
--
-- docs/sql-api.md describes what the app calls; docs/verp.md the tokens.

-- pgcrypto gives hmac(). Installed into this schema when the database has
-- none yet (it is a trusted extension: the database owner may create it);
-- verp_hmac() below reaches it wherever it lives.
DO $$
DECLARE
    v_schema text;
BEGIN
    SELECT n.nspname INTO v_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pgcrypto';
    IF v_schema IS NULL THEN
        CREATE EXTENSION pgcrypto WITH SCHEMA mxbounce;
        v_schema := 'mxbounce';
    END IF;
    EXECUTE format($f$
        CREATE FUNCTION mxbounce.verp_hmac(p_data bytea, p_key bytea) RETURNS bytea
            LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
            AS 'SELECT %I.hmac(p_data, p_key, ''sha256'')'$f$, v_schema);
END
$$;

-- The three roles (NOLOGIN groups: grant them to login roles). Creating
-- them needs CREATEROLE; a DBA may create them beforehand instead.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['mxbounce_filter', 'mxbounce_app', 'mxbounce_review'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------
-- Addresses: the comparison form (filter/verp.c, mxb_address_key, does
-- the same): domain lower case, IDN domains as A-labels, local part
-- with ASCII letters lower-cased.

-- punycode - RFC 3492 encoding of one label (the part after "xn--").
-- PostgreSQL has no IDNA function; this is the RFC's algorithm as written.
CREATE FUNCTION mxbounce.punycode(p_label text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
DECLARE
    c_base constant integer := 36;
    c_tmin constant integer := 1;
    c_tmax constant integer := 26;
    v_cps integer[];
    v_len integer;
    v_out text := '';
    v_n integer := 128;
    v_delta bigint := 0;
    v_bias integer := 72;
    v_h integer;
    v_b integer;
    v_m integer;
    v_q bigint;
    v_k integer;
    v_t integer;
    v_d bigint;
    v_first boolean := true;
BEGIN
    SELECT array_agg(ascii(ch) ORDER BY ord) INTO v_cps
      FROM regexp_split_to_table(p_label, '') WITH ORDINALITY AS x(ch, ord);
    v_len := coalesce(array_length(v_cps, 1), 0);
    FOR i IN 1 .. v_len LOOP
        IF v_cps[i] < 128 THEN
            v_out := v_out || chr(v_cps[i]);
        END IF;
    END LOOP;
    v_b := length(v_out);
    v_h := v_b;
    IF v_b > 0 THEN
        v_out := v_out || '-';
    END IF;
    WHILE v_h < v_len LOOP
        SELECT min(c) INTO v_m FROM unnest(v_cps) AS c WHERE c >= v_n;
        v_delta := v_delta + (v_m - v_n)::bigint * (v_h + 1);
        v_n := v_m;
        FOR i IN 1 .. v_len LOOP
            IF v_cps[i] < v_n THEN
                v_delta := v_delta + 1;
            END IF;
            IF v_cps[i] = v_n THEN
                v_q := v_delta;
                v_k := c_base;
                LOOP
                    v_t := CASE WHEN v_k <= v_bias THEN c_tmin
                                WHEN v_k >= v_bias + c_tmax THEN c_tmax
                                ELSE v_k - v_bias END;
                    EXIT WHEN v_q < v_t;
                    v_d := v_t + (v_q - v_t) % (c_base - v_t);
                    v_out := v_out || chr((CASE WHEN v_d < 26 THEN 97 ELSE 22 END + v_d)::integer);
                    v_q := (v_q - v_t) / (c_base - v_t);
                    v_k := v_k + c_base;
                END LOOP;
                v_out := v_out || chr((CASE WHEN v_q < 26 THEN 97 ELSE 22 END + v_q)::integer);
                -- adapt(delta, h + 1, first)
                v_d := CASE WHEN v_first THEN v_delta / 700 ELSE v_delta / 2 END;
                v_d := v_d + v_d / (v_h + 1);
                v_k := 0;
                WHILE v_d > ((c_base - c_tmin) * c_tmax) / 2 LOOP
                    v_d := v_d / (c_base - c_tmin);
                    v_k := v_k + c_base;
                END LOOP;
                v_bias := v_k + ((c_base - c_tmin + 1) * v_d) / (v_d + 38);
                v_first := false;
                v_delta := 0;
                v_h := v_h + 1;
            END IF;
        END LOOP;
        v_delta := v_delta + 1;
        v_n := v_n + 1;
    END LOOP;
    RETURN v_out;
END
$$;

-- address_key - the comparison form of an address, NULL when it is none
CREATE FUNCTION mxbounce.address_key(p_address text) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
DECLARE
    v_a text := btrim(p_address, E' \t\r\n');
    v_at integer;
    v_local text;
    v_domain text;
    v_label text;
    v_labels text[] := '{}';
BEGIN
    IF length(v_a) > 320 THEN
        RETURN NULL;
    END IF;
    IF left(v_a, 1) = '<' AND right(v_a, 1) = '>' THEN
        v_a := substr(v_a, 2, length(v_a) - 2);
    END IF;
    v_at := length(v_a) - strpos(reverse(v_a), '@') + 1;
    IF strpos(v_a, '@') = 0 OR v_at = 1 OR v_at = length(v_a) THEN
        RETURN NULL;
    END IF;
    v_local := left(v_a, v_at - 1);
    v_domain := substr(v_a, v_at + 1);
    IF v_local ~ '[\x01-\x1f\x7f]' OR v_domain ~ '[\x01-\x20\x7f@]'
       OR (v_local ~ ' ' AND NOT (v_local ~ '^".*"$' AND length(v_local) >= 2)) THEN
        RETURN NULL;
    END IF;
    IF v_domain ~ '[^\x01-\x7f]' THEN
        -- IDNA: the full stops of other scripts, NFKC, lower case, A-labels
        v_domain := lower(normalize(translate(v_domain, U&'\3002\FF0E\FF61', '...'), NFKC));
        FOREACH v_label IN ARRAY string_to_array(v_domain, '.') LOOP
            IF v_label ~ '[^\x01-\x7f]' THEN
                v_label := 'xn--' || mxbounce.punycode(v_label);
            END IF;
            v_labels := v_labels || v_label;
        END LOOP;
        v_domain := array_to_string(v_labels, '.');
    END IF;
    v_domain := rtrim(v_domain, '.');
    IF v_domain = '' THEN
        RETURN NULL;
    END IF;
    RETURN translate(v_local, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')
        || '@' || translate(v_domain, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
END
$$;

-- ---------------------------------------------------------------------
-- VERP tokens in SQL. The keys are those of the [verp] group of
-- mxbounce.conf, copied here by `mxbounce verp sync-keys`; nobody but the
-- owner reads this table (verp_token() is SECURITY DEFINER).
CREATE TABLE mxbounce.verp_keys (
    id         integer PRIMARY KEY CHECK (id BETWEEN 0 AND 255),
    secret     bytea NOT NULL CHECK (length(secret) BETWEEN 16 AND 64),
    signing    boolean NOT NULL DEFAULT false,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX verp_keys_one_signing ON mxbounce.verp_keys (signing) WHERE signing;

-- base32 - RFC 4648, lower case, no padding, of a multiple of 5 bytes
CREATE FUNCTION mxbounce.base32(p bytea) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
DECLARE
    c_alphabet constant text := 'abcdefghijklmnopqrstuvwxyz234567';
    v_out text := '';
    v bigint;
BEGIN
    FOR g IN 0 .. length(p) / 5 - 1 LOOP
        v := 0;
        FOR j IN 0 .. 4 LOOP
            v := (v << 8) | get_byte(p, g * 5 + j);
        END LOOP;
        FOR j IN REVERSE 7 .. 0 LOOP
            v_out := v_out || substr(c_alphabet, ((v >> (j * 5)) & 31)::integer + 1, 1);
        END LOOP;
    END LOOP;
    RETURN v_out;
END
$$;

-- verp_token - the same token as `mxbounce verp make` (filter/verp.c):
-- p_ref is a message id, or a list id when p_is_list; p_recipient binds
-- the token to that address; p_key_id defaults to the signing key,
-- p_day to today (UTC).
CREATE FUNCTION mxbounce.verp_token(p_account bigint, p_ref bigint,
                                    p_is_list boolean DEFAULT false,
                                    p_recipient text DEFAULT NULL,
                                    p_key_id integer DEFAULT NULL,
                                    p_day integer DEFAULT NULL)
    RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_key mxbounce.verp_keys;
    v_day integer := coalesce(p_day, floor(extract(epoch FROM now()) / 86400)::integer);
    v_payload bytea;
    v_bound text;
BEGIN
    IF p_account IS NULL OR p_account < 1 OR p_ref IS NULL OR p_ref < 0 THEN
        RAISE EXCEPTION 'verp_token: account must be 1 or more, the id 0 or more';
    END IF;
    IF v_day NOT BETWEEN 0 AND 65535 THEN
        RAISE EXCEPTION 'verp_token: day % is outside 0..65535', v_day;
    END IF;
    IF p_key_id IS NULL THEN
        SELECT * INTO v_key FROM mxbounce.verp_keys WHERE signing;
    ELSE
        SELECT * INTO v_key FROM mxbounce.verp_keys WHERE id = p_key_id;
    END IF;
    IF v_key.id IS NULL THEN
        RAISE EXCEPTION 'verp_token: no such key (run mxbounce verp sync-keys)';
    END IF;
    IF p_recipient IS NOT NULL THEN
        v_bound := mxbounce.address_key(p_recipient);
        IF v_bound IS NULL THEN
            RAISE EXCEPTION 'verp_token: % is not an address', p_recipient;
        END IF;
    END IF;
    v_payload := set_byte('\x00'::bytea, 0,
                          16 | CASE WHEN p_is_list THEN 1 ELSE 0 END
                             | CASE WHEN v_bound IS NOT NULL THEN 2 ELSE 0 END)
                 || set_byte('\x00'::bytea, 0, v_key.id)
                 || int8send(p_account) || int8send(p_ref)
                 || substr(int4send(v_day), 3, 2);
    RETURN mxbounce.base32(v_payload || substr(mxbounce.verp_hmac(
        v_payload || convert_to(coalesce(v_bound, ''), 'UTF8'), v_key.secret), 1, 10));
END
$$;

-- ---------------------------------------------------------------------
-- The policy: one row, changed with UPDATE (docs/sql-api.md).
CREATE TABLE mxbounce.policy (
    id               boolean PRIMARY KEY DEFAULT true CHECK (id),
    -- soft: suppress after soft_failures failures on as many different
    -- days within soft_window, with no success since; lifted after
    -- soft_expiry (NULL: never)
    soft_failures    integer NOT NULL DEFAULT 3 CHECK (soft_failures >= 1),
    soft_window      interval NOT NULL DEFAULT '30 days',
    soft_expiry      interval DEFAULT '30 days',
    -- hard: 'platform' also suppresses platform-wide (account 0), when the
    -- token was bound to the recipient; 'account' only for the account
    hard_scope       text NOT NULL DEFAULT 'platform' CHECK (hard_scope IN ('platform', 'account')),
    -- complaint: suppressed for the account; 'platform' also for all
    complaint_scope  text NOT NULL DEFAULT 'account'
                     CHECK (complaint_scope IN ('platform', 'account')),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
INSERT INTO mxbounce.policy DEFAULT VALUES;

-- Correlation: how each event was tied to its message.
ALTER TABLE mxbounce.reports
    ADD COLUMN token text;                       -- verdict on the envelope's token
ALTER TABLE mxbounce.events
    ADD COLUMN match text NOT NULL DEFAULT 'none' CHECK (match IN ('verified', 'header', 'none')),
    ADD COLUMN token text,                       -- verdict on the token that was tried
    ADD COLUMN bound boolean NOT NULL DEFAULT false, -- the token named this recipient
    ADD COLUMN list_id bigint,
    ADD COLUMN message_ref bigint;
-- The key is now the address key computed by the filter (IDN domains as
-- A-labels), not lower(recipient).
ALTER TABLE mxbounce.events DROP COLUMN recipient_key;
ALTER TABLE mxbounce.events ADD COLUMN recipient_key text;
UPDATE mxbounce.events SET recipient_key = mxbounce.address_key(recipient);
CREATE INDEX events_recipient_key ON mxbounce.events (recipient_key, received_at);
CREATE INDEX events_account ON mxbounce.events (account_id, received_at) WHERE account_id IS NOT NULL;

-- Messages the app registers so that reports without a valid token can be
-- matched through the returned Message-ID (optional for the app).
CREATE TABLE mxbounce.messages (
    message_id  text PRIMARY KEY,                -- without < >
    account_id  bigint NOT NULL,
    list_id     bigint,
    message_ref bigint,
    recipient   text,
    sent_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_sent_at ON mxbounce.messages (sent_at);

-- Per-day send counters, the denominator of every rate; list 0 = none.
CREATE TABLE mxbounce.sends (
    account_id bigint NOT NULL,
    list_id    bigint NOT NULL DEFAULT 0,
    day        date NOT NULL,
    sent       bigint NOT NULL DEFAULT 0 CHECK (sent >= 0),
    PRIMARY KEY (account_id, list_id, day)
);

-- The last success per (account, address): resets the soft count.
CREATE TABLE mxbounce.deliveries (
    account_id bigint NOT NULL,
    address    text NOT NULL,
    last_at    timestamptz NOT NULL,
    PRIMARY KEY (account_id, address)
);

-- Suppressions: source bounce|complaint|manual; class hard|soft|complaint|manual.
ALTER TABLE mxbounce.suppressions
    ADD COLUMN note text;
CREATE INDEX suppressions_expires ON mxbounce.suppressions (expires_at) WHERE expires_at IS NOT NULL;

-- Every change of the suppression list, automatic or manual: who and why.
CREATE TABLE mxbounce.suppression_log (
    id         bigserial PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    account_id bigint NOT NULL,
    address    text NOT NULL,
    action     text NOT NULL CHECK (action IN ('suppress', 'unsuppress', 'opt_in', 'reset')),
    class      text,
    reason     text,
    event_id   bigint,
    who        text NOT NULL,
    why        text
);
CREATE INDEX suppression_log_address ON mxbounce.suppression_log (address, at);

-- ---------------------------------------------------------------------
-- suppress_row - insert or strengthen one suppression; logs a change.
-- Strength: complaint and manual beat hard, hard beats soft; a weaker
-- class never replaces a stronger one, only counts.
CREATE FUNCTION mxbounce.suppress_row(p_account bigint, p_address text, p_class text,
                                      p_reason text, p_source text, p_event bigint,
                                      p_expires timestamptz, p_who text, p_why text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_old mxbounce.suppressions;
    v_rank_new integer := CASE p_class WHEN 'soft' THEN 1 WHEN 'hard' THEN 2 ELSE 3 END;
    v_rank_old integer;
BEGIN
    -- A report that suppresses an address for the first time while another
    -- does the same waits here for the other to commit, then updates.
    INSERT INTO mxbounce.suppressions (account_id, address, reason, class, source,
            first_event_id, last_event_id, first_at, last_at, event_count, expires_at, note)
    VALUES (p_account, p_address, coalesce(p_reason, p_class), p_class, p_source, p_event,
            p_event, now(), now(), 1, p_expires, p_why)
    ON CONFLICT (account_id, address) DO NOTHING;
    IF FOUND THEN
        INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason,
                event_id, who, why)
        VALUES (p_account, p_address, 'suppress', p_class, p_reason, p_event, p_who, p_why);
        RETURN;
    END IF;
    SELECT * INTO v_old FROM mxbounce.suppressions
     WHERE account_id = p_account AND address = p_address FOR UPDATE;
    v_rank_old := CASE v_old.class WHEN 'soft' THEN 1 WHEN 'hard' THEN 2 ELSE 3 END;
    IF v_rank_new > v_rank_old OR (v_old.expires_at IS NOT NULL AND v_old.expires_at <= now()) THEN
        UPDATE mxbounce.suppressions
           SET class = p_class, reason = coalesce(p_reason, p_class), source = p_source,
               last_event_id = coalesce(p_event, last_event_id), last_at = now(),
               event_count = event_count + 1, expires_at = p_expires, note = p_why
         WHERE account_id = p_account AND address = p_address;
        INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason,
                event_id, who, why)
        VALUES (p_account, p_address, 'suppress', p_class, p_reason, p_event, p_who, p_why);
    ELSE
        UPDATE mxbounce.suppressions
           SET last_event_id = coalesce(p_event, last_event_id), last_at = now(),
               event_count = event_count + 1,
               expires_at = CASE WHEN v_old.class = 'soft' AND p_class = 'soft'
                                 THEN p_expires ELSE expires_at END
         WHERE account_id = p_account AND address = p_address;
    END IF;
END
$$;

-- apply_policy - the suppressions one recorded report causes. Only events
-- whose token verified may suppress (forged bounces must not drop
-- addresses); rows in address order so concurrent reports cannot deadlock.
CREATE FUNCTION mxbounce.apply_policy(p_report_id bigint)
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
              WHERE ev.report_id = p_report_id AND ev.match = 'verified'
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

-- delivery_row - a success: remember it, lift a soft suppression
CREATE FUNCTION mxbounce.delivery_row(p_account bigint, p_address text, p_at timestamptz,
                                      p_who text, p_why text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
BEGIN
    INSERT INTO mxbounce.deliveries AS d (account_id, address, last_at)
    VALUES (p_account, p_address, p_at)
    ON CONFLICT (account_id, address) DO UPDATE SET last_at = greatest(d.last_at, EXCLUDED.last_at);
    WITH gone AS (
        DELETE FROM mxbounce.suppressions
         WHERE account_id = p_account AND address = p_address AND class = 'soft'
        RETURNING account_id, address)
    INSERT INTO mxbounce.suppression_log (account_id, address, action, class, who, why)
    SELECT account_id, address, 'reset', 'soft', p_who, p_why FROM gone;
END
$$;

-- ---------------------------------------------------------------------
-- record_report - everything one delivered report produces, in one call
-- (the version of 003, plus correlation and the policy).
--
-- p_report adds: token (the envelope token's verdict).
-- p_events add per event: recipient_key, match, token, bound,
-- account_id, list_id, message_ref.
-- Events the filter could not tie to a token are matched here through
-- the returned Message-ID against mxbounce.messages (match 'header').
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

    PERFORM mxbounce.apply_policy(v_id);

    RETURN QUERY SELECT 'recorded'::text, v_id, v_n;
END
$$;

-- ---------------------------------------------------------------------
-- The app's API (docs/sql-api.md). Every function takes the account, so
-- one call answers one question.

-- is_suppressed - must the app not send to this address for this account?
-- One index scan of the suppressions' primary key (the account's row and
-- the platform-wide row).
CREATE FUNCTION mxbounce.is_suppressed(p_account bigint, p_address text)
    RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
    SELECT EXISTS (SELECT 1 FROM mxbounce.suppressions s
                    WHERE s.account_id IN (p_account, 0)
                      AND s.address = mxbounce.address_key(p_address)
                      AND (s.expires_at IS NULL OR s.expires_at > now()))
$$;

-- suppression - why an address is suppressed (no rows: it is not)
CREATE FUNCTION mxbounce.suppression(p_account bigint, p_address text)
    RETURNS TABLE (account_id bigint, address text, class text, reason text, source text,
                   first_at timestamptz, last_at timestamptz, event_count integer,
                   expires_at timestamptz, last_event_id bigint, note text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
    SELECT s.account_id, s.address, s.class, s.reason, s.source, s.first_at, s.last_at,
           s.event_count, s.expires_at, s.last_event_id, s.note
      FROM mxbounce.suppressions s
     WHERE s.account_id IN (p_account, 0) AND s.address = mxbounce.address_key(p_address)
       AND (s.expires_at IS NULL OR s.expires_at > now())
     ORDER BY s.account_id DESC
$$;

-- suppress - manual suppression (an abuse desk, a user's request)
CREATE FUNCTION mxbounce.suppress(p_account bigint, p_address text, p_who text, p_why text,
                                  p_expires timestamptz DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_key text := mxbounce.address_key(p_address);
BEGIN
    IF v_key IS NULL OR p_account IS NULL OR p_account < 0 THEN
        RAISE EXCEPTION 'suppress: % is not an address', p_address;
    END IF;
    IF coalesce(p_who, '') = '' OR coalesce(p_why, '') = '' THEN
        RAISE EXCEPTION 'suppress: who and why are required';
    END IF;
    PERFORM mxbounce.suppress_row(p_account, v_key, 'manual', 'manual', 'manual', NULL,
                                  p_expires, p_who, p_why);
END
$$;

-- unsuppress - lift a suppression of the account (not a complaint: only
-- opt_in lifts those). Returns whether a row was removed.
CREATE FUNCTION mxbounce.unsuppress(p_account bigint, p_address text, p_who text, p_why text)
    RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_key text := mxbounce.address_key(p_address);
    v_old mxbounce.suppressions;
BEGIN
    IF coalesce(p_who, '') = '' OR coalesce(p_why, '') = '' THEN
        RAISE EXCEPTION 'unsuppress: who and why are required';
    END IF;
    SELECT * INTO v_old FROM mxbounce.suppressions
     WHERE account_id = p_account AND address = v_key FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    IF v_old.class = 'complaint' THEN
        RAISE EXCEPTION 'unsuppress: % complained; only mxbounce.opt_in() lifts that', v_key
            USING ERRCODE = 'MXB02';
    END IF;
    DELETE FROM mxbounce.suppressions WHERE account_id = p_account AND address = v_key;
    INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason, who, why)
    VALUES (p_account, v_key, 'unsuppress', v_old.class, v_old.reason, p_who, p_why);
    RETURN true;
END
$$;

-- opt_in - the recipient asked for mail again: lifts every suppression of
-- the account for the address, complaints included. Returns the count.
CREATE FUNCTION mxbounce.opt_in(p_account bigint, p_address text, p_who text, p_why text)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_key text := mxbounce.address_key(p_address);
    v_n integer;
BEGIN
    IF coalesce(p_who, '') = '' OR coalesce(p_why, '') = '' THEN
        RAISE EXCEPTION 'opt_in: who and why are required';
    END IF;
    WITH gone AS (
        DELETE FROM mxbounce.suppressions
         WHERE account_id = p_account AND address = v_key
        RETURNING account_id, address, class, reason)
    INSERT INTO mxbounce.suppression_log (account_id, address, action, class, reason, who, why)
    SELECT account_id, address, 'opt_in', class, reason, p_who, p_why FROM gone;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

-- record_delivery - the app learned the address works (a reply, a click,
-- a 250 from the receiving server): resets the soft count
CREATE FUNCTION mxbounce.record_delivery(p_account bigint, p_address text)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_key text := mxbounce.address_key(p_address);
BEGIN
    IF v_key IS NULL THEN
        RAISE EXCEPTION 'record_delivery: % is not an address', p_address;
    END IF;
    PERFORM mxbounce.delivery_row(p_account, v_key, now(), session_user, 'record_delivery');
END
$$;

-- count_sent - add n sent messages to the account's (and list's) day
CREATE FUNCTION mxbounce.count_sent(p_account bigint, p_list bigint, p_n bigint,
                                    p_day date DEFAULT NULL)
    RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
    INSERT INTO mxbounce.sends AS s (account_id, list_id, day, sent)
    VALUES (p_account, coalesce(p_list, 0), coalesce(p_day, (now() AT TIME ZONE 'UTC')::date), p_n)
    ON CONFLICT (account_id, list_id, day) DO UPDATE SET sent = s.sent + EXCLUDED.sent
$$;

-- register_message - remember a sent message for Message-ID matching
CREATE FUNCTION mxbounce.register_message(p_message_id text, p_account bigint, p_list bigint,
                                          p_message_ref bigint, p_recipient text)
    RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
    AS $$
    INSERT INTO mxbounce.messages (message_id, account_id, list_id, message_ref, recipient)
    VALUES (btrim(p_message_id, '<> '), p_account, p_list, p_message_ref, p_recipient)
    ON CONFLICT (message_id) DO NOTHING
$$;

-- delivery_issues - per account, list and day: sent and what came back
-- (verified or header-matched events; one count per recipient and kind)
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

-- account_events - what a support person looks at: every event of an
-- account with the report it came in
CREATE VIEW mxbounce.account_events AS
SELECT e.id, e.received_at, e.account_id, e.list_id, e.message_ref, e.recipient, e.kind,
       e.class, e.reason, e.status, e.smtp_code, e.diagnostic, e.remote_mta, e.reporting_mta,
       e.mta, e.feedback_type, e.match, e.token, r.id AS report_id, r.queue_id, r.subject,
       r.from_header, r.orig_message_id, e.classifier_version
  FROM mxbounce.events e JOIN mxbounce.reports r ON r.id = e.report_id;

-- schema_version() reads schema_migrations, which the roles cannot.
ALTER FUNCTION mxbounce.schema_version() SECURITY DEFINER SET search_path = pg_catalog;

-- ---------------------------------------------------------------------
-- Privileges. Functions are executable by PUBLIC unless revoked.
REVOKE ALL ON ALL TABLES IN SCHEMA mxbounce FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA mxbounce FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA mxbounce FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA mxbounce REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
GRANT USAGE ON SCHEMA mxbounce TO mxbounce_filter, mxbounce_app, mxbounce_review;

-- filter: records reports, nothing else (record_report is SECURITY DEFINER)
GRANT EXECUTE ON FUNCTION mxbounce.record_report(integer, bytea, bytea, integer, jsonb, jsonb),
                          mxbounce.schema_version()
   TO mxbounce_filter;

-- app: asks and tells through the API; reads, never writes, the facts
GRANT EXECUTE ON FUNCTION
    mxbounce.is_suppressed(bigint, text), mxbounce.suppression(bigint, text),
    mxbounce.suppress(bigint, text, text, text, timestamptz),
    mxbounce.unsuppress(bigint, text, text, text), mxbounce.opt_in(bigint, text, text, text),
    mxbounce.record_delivery(bigint, text), mxbounce.count_sent(bigint, bigint, bigint, date),
    mxbounce.register_message(text, bigint, bigint, bigint, text),
    mxbounce.verp_token(bigint, bigint, boolean, text, integer, integer),
    mxbounce.address_key(text), mxbounce.schema_version()
   TO mxbounce_app;
GRANT SELECT ON mxbounce.events, mxbounce.reports, mxbounce.suppressions,
                mxbounce.suppression_log, mxbounce.sends, mxbounce.delivery_issues,
                mxbounce.account_events, mxbounce.policy, mxbounce.accounts
   TO mxbounce_app;
GRANT INSERT, UPDATE ON mxbounce.accounts TO mxbounce_app;

-- review: reads everything it needs to judge accounts (issue: review)
GRANT EXECUTE ON FUNCTION mxbounce.address_key(text), mxbounce.schema_version() TO mxbounce_review;
GRANT SELECT ON mxbounce.events, mxbounce.reports, mxbounce.suppressions, mxbounce.sends,
                mxbounce.delivery_issues, mxbounce.account_events, mxbounce.policy,
                mxbounce.accounts, mxbounce.raw_messages, mxbounce.suppression_log
   TO mxbounce_review;
GRANT UPDATE (status, status_changed_at) ON mxbounce.accounts TO mxbounce_review;
