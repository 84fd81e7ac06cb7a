-- 004_correlation_policy.sql - who a report is about, and what the
-- platform does about it: VERP tokens in SQL, address keys, correlation,
-- the suppression policy, the app's API, three roles, monthly partitions
-- of events, retention and replay
--
-- docs/sql-api.md describes what the app calls; docs/verp.md the tokens;
-- docs/schema.md the partitions and retention.

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
-- The policy: one row, changed with UPDATE by the schema's owner
-- (docs/sql-api.md).
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
    -- local parts compared exactly (RFC 5321 leaves their case to the
    -- receiving system); set it on a new database: stored keys keep the
    -- form they were made in
    local_part_case_sensitive boolean NOT NULL DEFAULT false,
    -- retention (mxbounce retention)
    event_retention   interval NOT NULL DEFAULT '13 months',
    raw_retention     interval NOT NULL DEFAULT '90 days',
    message_retention interval NOT NULL DEFAULT '90 days',
    months_ahead      integer NOT NULL DEFAULT 3 CHECK (months_ahead BETWEEN 1 AND 24),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
INSERT INTO mxbounce.policy DEFAULT VALUES;

-- ---------------------------------------------------------------------
-- Addresses: the comparison form (filter/verp.c, mxb_address_key, does
-- the same): domain lower case, IDN domains as A-labels, local part
-- with ASCII letters lower-cased (unless the policy says otherwise).

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

-- address_key(address, fold_local) - the comparison form of an address,
-- NULL when it is none; the local part's ASCII letters lower-cased when
-- fold_local
CREATE FUNCTION mxbounce.address_key(p_address text, p_fold_local boolean) RETURNS text
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
DECLARE
    -- the blanks GLib's g_strstrip() takes off (mxb_address_key)
    v_a text := btrim(p_address, E' \t\r\n\f');
    v_at integer;
    v_local text;
    v_domain text;
    v_label text;
    v_labels text[] := '{}';
BEGIN
    IF octet_length(v_a) > 320 THEN
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
        -- NFKC may have made what was refused above (U+FF20 is "@")
        IF v_domain ~ '[\x01-\x20\x7f@]' THEN
            RETURN NULL;
        END IF;
        FOREACH v_label IN ARRAY string_to_array(v_domain, '.') LOOP
            IF v_label ~ '[^\x01-\x7f]' THEN
                IF v_label ~* '^xn--' THEN
                    RETURN NULL;
                END IF;
                v_label := 'xn--' || mxbounce.punycode(v_label);
                IF length(v_label) > 63 THEN
                    RETURN NULL;
                END IF;
            END IF;
            v_labels := v_labels || v_label;
        END LOOP;
        v_domain := array_to_string(v_labels, '.');
    END IF;
    v_domain := rtrim(v_domain, '.');
    IF v_domain = '' THEN
        RETURN NULL;
    END IF;
    IF p_fold_local THEN
        v_local := translate(v_local, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
    END IF;
    RETURN v_local || '@'
        || translate(v_domain, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
END
$$;

-- address_key(address) - the key under the policy: local parts fold
-- unless policy.local_part_case_sensitive
CREATE FUNCTION mxbounce.address_key(p_address text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT mxbounce.address_key(p_address,
                                NOT coalesce((SELECT local_part_case_sensitive FROM mxbounce.policy), false))
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
    SET search_path = pg_catalog, pg_temp
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
        -- Bound tokens always use the folded key (filter/verp.c does too).
        v_bound := mxbounce.address_key(p_recipient, true);
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
DROP INDEX mxbounce.events_recipient_key;
ALTER TABLE mxbounce.events DROP COLUMN recipient_key;
ALTER TABLE mxbounce.events ADD COLUMN recipient_key text;
UPDATE mxbounce.events SET recipient_key = mxbounce.address_key(recipient, true);

-- events becomes a table partitioned by received_at, one partition per
-- UTC month (events_YYYYMM) plus a default partition that catches anything
-- no monthly partition covers, so an insert never fails for want of a
-- partition. `mxbounce retention` (cron, daily) creates the coming months'
-- partitions, moves rows out of the default partition into their month,
-- and drops the months past policy.event_retention; old raw messages,
-- reports and registered messages go with their own settings.
ALTER TABLE mxbounce.events RENAME TO events_unpartitioned;
ALTER INDEX mxbounce.events_received_at RENAME TO events_unpartitioned_received_at;

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
-- Rows arrive in time order: a BRIN index finds a time range for a
-- fraction of a B-tree's upkeep on every insert.
CREATE INDEX events_received_at ON mxbounce.events USING brin (received_at);
CREATE INDEX events_account ON mxbounce.events (account_id, received_at) WHERE account_id IS NOT NULL;
CREATE TABLE mxbounce.events_default PARTITION OF mxbounce.events DEFAULT;

-- month_partition - the partition of the UTC month that holds p_at,
-- created when missing; rows of that month waiting in the default
-- partition are moved into it. Returns its name when it was created.
CREATE FUNCTION mxbounce.month_partition(p_at timestamptz)
    RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- Give up rather than make the filters queue behind a lock for long.
    SET lock_timeout = '10s'
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
    -- No row may reach the default partition while its rows of the month
    -- move (it receives rows only for months without a partition).
    LOCK TABLE mxbounce.events_default IN EXCLUSIVE MODE;
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
    SET search_path = pg_catalog, pg_temp
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

CREATE INDEX reports_received_at ON mxbounce.reports USING brin (received_at);
CREATE INDEX raw_messages_received_at ON mxbounce.raw_messages USING brin (received_at);

-- drop_old_partitions - drop the monthly partitions that end before
-- now() - policy.event_retention; with p_dry_run only name them.
CREATE FUNCTION mxbounce.drop_old_partitions(p_dry_run boolean DEFAULT false)
    RETURNS SETOF text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    -- Give up rather than make the filters queue behind a lock for long.
    SET lock_timeout = '10s'
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
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_policy mxbounce.policy;
    v_names text[];
    v_n bigint;
    t record;
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
    -- Rows past their retention: events the default partition still
    -- holds (it only has rows no month covered), reports whose events are
    -- gone, raw messages, registered messages.
    FOR t IN SELECT * FROM (VALUES
            ('old events in the default partition', 'mxbounce.events_default', 'received_at',
             v_policy.event_retention),
            ('reports', 'mxbounce.reports', 'received_at', v_policy.event_retention),
            ('raw messages', 'mxbounce.raw_messages', 'received_at', v_policy.raw_retention),
            ('registered messages', 'mxbounce.messages', 'sent_at', v_policy.message_retention))
            AS x(what, tbl, col, keep) LOOP
        IF p_dry_run THEN
            EXECUTE format('SELECT count(*) FROM %s WHERE %I < $1', t.tbl, t.col)
                INTO v_n USING now() - t.keep;
        ELSE
            EXECUTE format('DELETE FROM %s WHERE %I < $1', t.tbl, t.col) USING now() - t.keep;
            GET DIAGNOSTICS v_n = ROW_COUNT;
        END IF;
        RETURN QUERY SELECT t.what, v_n, 'older than ' || t.keep;
    END LOOP;
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
-- Strength: complaint over manual over hard over soft. A stronger class
-- replaces a weaker one unless that would put an end date on a
-- suppression that had none (a manual "cooling off" does not shorten a
-- hard bounce); an expired row is replaced by anything. Otherwise the row
-- only counts the event.
CREATE FUNCTION mxbounce.suppress_row(p_account bigint, p_address text, p_class text,
                                      p_reason text, p_source text, p_event bigint,
                                      p_expires timestamptz, p_who text, p_why text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_old mxbounce.suppressions;
    v_rank_new integer := CASE p_class WHEN 'soft' THEN 1 WHEN 'hard' THEN 2
                                       WHEN 'manual' THEN 3 ELSE 4 END;
    v_rank_old integer;
BEGIN
    LOOP
        -- A report that suppresses an address for the first time while
        -- another does the same waits here for the other to commit.
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
        EXIT WHEN FOUND;
        -- Lifted and committed in between (opt-in, retention): insert again.
    END LOOP;
    v_rank_old := CASE v_old.class WHEN 'soft' THEN 1 WHEN 'hard' THEN 2
                                   WHEN 'manual' THEN 3 ELSE 4 END;
    IF (v_old.expires_at IS NOT NULL AND v_old.expires_at <= now())
       OR (v_rank_new > v_rank_old AND (p_expires IS NULL OR v_old.expires_at IS NOT NULL)) THEN
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

-- delivery_row - a success: remember it, lift a soft suppression
CREATE FUNCTION mxbounce.delivery_row(p_account bigint, p_address text, p_at timestamptz,
                                      p_who text, p_why text)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
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

-- apply_event - what one verified event does to the suppression list.
-- Events at or before p_cut_account (p_cut_platform) leave the account's
-- (the platform-wide) row alone: a person lifted it since.
CREATE FUNCTION mxbounce.apply_event(e mxbounce.events, p_policy mxbounce.policy, p_who text,
                                     p_cut_account timestamptz DEFAULT NULL,
                                     p_cut_platform timestamptz DEFAULT NULL)
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
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

-- apply_policy - the suppressions one recorded report causes: only events
-- whose token verified may suppress (forged bounces must not drop
-- addresses); p_rows come in address order (insert_events), so concurrent
-- reports lock suppressions in the same order and cannot deadlock.
CREATE FUNCTION mxbounce.apply_policy(p_rows mxbounce.events[])
    RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_policy mxbounce.policy;
    e mxbounce.events;
BEGIN
    FOREACH e IN ARRAY p_rows LOOP
        CONTINUE WHEN e.match <> 'verified' OR e.account_id IS NULL OR e.recipient_key IS NULL
                   OR NOT (e.class IN ('hard', 'soft') OR e.kind IN ('complaint', 'delivered'));
        IF v_policy.id IS NULL THEN
            SELECT * INTO v_policy FROM mxbounce.policy;
        END IF;
        PERFORM mxbounce.apply_event(e, v_policy, 'mxbounce-filter');
    END LOOP;
END
$$;

-- insert_events - a report's events from the filter's JSON. Events no
-- token tied are matched through the returned Message-ID against
-- mxbounce.messages. The filter's key folds the local part; under a
-- case-sensitive policy the key is made here instead. Returns the rows
-- inserted, in address order.
CREATE FUNCTION mxbounce.insert_events(p_report_id bigint, p_at timestamptz, p_report jsonb,
                                       p_events jsonb, p_version text)
    RETURNS mxbounce.events[]
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_msg mxbounce.messages;
    v_rows mxbounce.events[];
    v_exact boolean := (SELECT local_part_case_sensitive FROM mxbounce.policy);
BEGIN
    IF p_report->>'orig_message_id' IS NOT NULL
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(p_events) x WHERE x->>'match' = 'none') THEN
        SELECT * INTO v_msg FROM mxbounce.messages m
         WHERE m.message_id = btrim(p_report->>'orig_message_id', '<> ');
    END IF;
    WITH ins AS (
    INSERT INTO mxbounce.events (report_id, seq, received_at, queue_id, envelope_recipient,
            recipient, recipient_key, original_recipient, kind, action, status, smtp_code,
            diagnostic, remote_mta, reporting_mta, class, reason, mta, feedback_type,
            classifier_version, match, token, bound, account_id, list_id, message_ref)
    SELECT p_report_id, e.seq, p_at, p_report->>'queue_id', p_report->>'recipient',
           e.recipient,
           CASE WHEN v_exact THEN mxbounce.address_key(e.recipient, false) ELSE e.recipient_key END,
           e.original_recipient, e.kind, e.action, e.status,
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
           account_id bigint, list_id bigint, message_ref bigint)
    RETURNING *)
    SELECT coalesce(array_agg((ins.*)::mxbounce.events ORDER BY ins.recipient_key, ins.seq),
                    '{}')
      INTO v_rows FROM ins;
    RETURN v_rows;
END
$$;

-- record_report - everything one delivered report produces, in one call
-- (001's, with correlation and the policy).
--
-- p_report adds: token (the envelope token's verdict).
-- p_events add per event: recipient_key, match, token, bound,
-- account_id, list_id, message_ref.
CREATE OR REPLACE FUNCTION mxbounce.record_report(p_min_schema integer, p_sha256 bytea, p_raw bytea,
                                       p_raw_size integer, p_report jsonb, p_events jsonb)
    RETURNS TABLE (outcome text, report_id bigint, n_events integer)
    LANGUAGE plpgsql
    SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_id  bigint;
    v_now timestamptz := now();
    v_n   integer;
    v_rows mxbounce.events[];
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

    v_rows := mxbounce.insert_events(v_id, v_now, p_report, p_events,
                                     p_report->>'classifier_version');
    v_n := cardinality(v_rows);
    PERFORM mxbounce.apply_policy(v_rows);

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
    SET search_path = pg_catalog, pg_temp
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
    DELETE FROM mxbounce.suppression_log WHERE id > v_log AND address = p_key AND who = p_who;
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
    CREATE TEMP TABLE IF NOT EXISTS mxb_replay_new (seq integer, recipient text,
        recipient_key text, kind text, status text, class text, reason text, match text,
        account_id bigint) ON COMMIT DROP;
    TRUNCATE mxb_replay_new;
    -- The new events as the filter sent them, to compare with the old.
    INSERT INTO mxb_replay_new
    SELECT e.seq, e.recipient, e.recipient_key, e.kind, e.status, e.class, e.reason,
           coalesce(e.match, 'none'), e.account_id
      FROM jsonb_to_recordset(v_events) AS e(seq integer, recipient text, recipient_key text,
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

-- ---------------------------------------------------------------------
-- The app's API (docs/sql-api.md). Every function takes the account, so
-- one call answers one question.

-- is_suppressed - must the app not send to this address for this account?
-- One index scan of the suppressions' primary key (the account's row and
-- the platform-wide row).
CREATE FUNCTION mxbounce.is_suppressed(p_account bigint, p_address text)
    RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
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
    SET search_path = pg_catalog, pg_temp
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
    SET search_path = pg_catalog, pg_temp
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
    SET search_path = pg_catalog, pg_temp
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
    SET search_path = pg_catalog, pg_temp
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
    SET search_path = pg_catalog, pg_temp
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
    SET search_path = pg_catalog, pg_temp
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
    SET search_path = pg_catalog, pg_temp
    AS $$
    INSERT INTO mxbounce.messages (message_id, account_id, list_id, message_ref, recipient)
    VALUES (btrim(p_message_id, '<> '), p_account, p_list, p_message_ref, p_recipient)
    ON CONFLICT (message_id) DO NOTHING
$$;

-- delivery_issues - per account, list and day: sent and what came back
-- (verified or header-matched events; one count per recipient and kind).
-- Both sides are aggregated per (account, list, day) and added up, so a
-- condition on account_id reaches the index events_account of each
-- partition (a FULL JOIN would stop it).
CREATE VIEW mxbounce.delivery_issues AS
SELECT x.account_id, x.list_id, x.day,
       sum(x.sent)::bigint AS sent, sum(x.hard)::bigint AS hard, sum(x.soft)::bigint AS soft,
       sum(x.block)::bigint AS block, sum(x.complaints)::bigint AS complaints,
       sum(x.delayed)::bigint AS delayed
  FROM (SELECT s.account_id, s.list_id, s.day, s.sent, 0::bigint AS hard, 0::bigint AS soft,
               0::bigint AS block, 0::bigint AS complaints, 0::bigint AS delayed
          FROM mxbounce.sends s
        UNION ALL
        SELECT e.account_id, coalesce(e.list_id, 0), (e.received_at AT TIME ZONE 'UTC')::date, 0,
               count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'hard'),
               count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'soft'),
               count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'block'),
               count(DISTINCT e.recipient_key) FILTER (WHERE e.kind = 'complaint'),
               count(DISTINCT e.recipient_key) FILTER (WHERE e.kind = 'delayed')
          FROM mxbounce.events e
         WHERE e.account_id IS NOT NULL AND e.match <> 'none'
         GROUP BY 1, 2, 3) x
 GROUP BY 1, 2, 3;

-- delivery_issues(account, since) - the view's rows of one account from a
-- UTC day on (default: the last 7 days), reading only that period
CREATE FUNCTION mxbounce.delivery_issues(p_account bigint, p_since date DEFAULT NULL)
    RETURNS SETOF mxbounce.delivery_issues
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    WITH since AS (
        SELECT coalesce(p_since, (now() AT TIME ZONE 'UTC')::date - 7) AS d)
    SELECT x.account_id, x.list_id, x.day,
           sum(x.sent)::bigint, sum(x.hard)::bigint, sum(x.soft)::bigint, sum(x.block)::bigint,
           sum(x.complaints)::bigint, sum(x.delayed)::bigint
      FROM (SELECT s.account_id, s.list_id, s.day, s.sent, 0::bigint AS hard, 0::bigint AS soft,
                   0::bigint AS block, 0::bigint AS complaints, 0::bigint AS delayed
              FROM mxbounce.sends s, since
             WHERE s.account_id = p_account AND s.day >= since.d
            UNION ALL
            SELECT e.account_id, coalesce(e.list_id, 0), (e.received_at AT TIME ZONE 'UTC')::date, 0,
                   count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'hard'),
                   count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'soft'),
                   count(DISTINCT e.recipient_key) FILTER (WHERE e.class = 'block'),
                   count(DISTINCT e.recipient_key) FILTER (WHERE e.kind = 'complaint'),
                   count(DISTINCT e.recipient_key) FILTER (WHERE e.kind = 'delayed')
              FROM mxbounce.events e, since
             WHERE e.account_id = p_account AND e.match <> 'none'
               AND e.received_at >= (since.d::timestamp AT TIME ZONE 'UTC')
             GROUP BY 1, 2, 3) x
     GROUP BY 1, 2, 3
     ORDER BY 3, 2
$$;

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
    mxbounce.delivery_issues(bigint, date),
    mxbounce.address_key(text), mxbounce.address_key(text, boolean), mxbounce.schema_version()
   TO mxbounce_app;
GRANT SELECT ON mxbounce.events, mxbounce.reports, mxbounce.suppressions,
                mxbounce.suppression_log, mxbounce.sends, mxbounce.delivery_issues,
                mxbounce.account_events, mxbounce.policy, mxbounce.accounts
   TO mxbounce_app;
GRANT INSERT, UPDATE ON mxbounce.accounts TO mxbounce_app;

-- review: reads everything it needs to judge accounts (issue: review)
GRANT EXECUTE ON FUNCTION mxbounce.address_key(text), mxbounce.address_key(text, boolean),
                          mxbounce.delivery_issues(bigint, date), mxbounce.schema_version()
   TO mxbounce_review;
GRANT SELECT ON mxbounce.events, mxbounce.reports, mxbounce.suppressions, mxbounce.sends,
                mxbounce.delivery_issues, mxbounce.account_events, mxbounce.policy,
                mxbounce.accounts, mxbounce.raw_messages, mxbounce.suppression_log
   TO mxbounce_review;
GRANT UPDATE (status, status_changed_at) ON mxbounce.accounts TO mxbounce_review;
