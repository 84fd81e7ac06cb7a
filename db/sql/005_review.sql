-- 005_review.sql - the account-abuse review and the delivery-issue report
--
-- mxbounce review (cron) judges every account and list on rolling windows
-- of send counters and events, escalates their status automatically and
-- writes one audit row per decision; only a person reinstates
-- (reinstate()). account_report() gathers what mxbounce report prints.
-- docs/review.md explains the figures and the defaults.

-- ---------------------------------------------------------------------
-- The thresholds, beside the other policies. A rate is unique recipients
-- over messages sent in the window; a level is reached when the rate is
-- at or above its threshold (NULL: that level is never reached by this
-- rate). Defaults: DESIGN anchors (SES, Gmail sender guidelines).
ALTER TABLE mxbounce.policy
    -- rolling windows in days, ending today (UTC); the worse one decides
    ADD COLUMN review_windows integer[] NOT NULL DEFAULT '{7,30}'
        CHECK (cardinality(review_windows) BETWEEN 1 AND 8 AND 1 <= ALL (review_windows)
               AND 400 >= ALL (review_windows)),
    -- below this many messages sent in a window, that window decides nothing
    ADD COLUMN review_min_sent bigint NOT NULL DEFAULT 200 CHECK (review_min_sent >= 1),
    -- a rate decides only from this many unique recipients on: one
    -- complaint among 300 messages is 0.33%, and says little
    ADD COLUMN review_min_count integer NOT NULL DEFAULT 3 CHECK (review_min_count >= 1),
    ADD COLUMN hard_warn numeric DEFAULT 0.02 CHECK (hard_warn > 0 AND hard_warn <= 1),
    ADD COLUMN hard_review numeric DEFAULT 0.04 CHECK (hard_review > 0 AND hard_review <= 1),
    ADD COLUMN hard_suspend numeric DEFAULT 0.08 CHECK (hard_suspend > 0 AND hard_suspend <= 1),
    ADD COLUMN complaint_warn numeric DEFAULT 0.0008
        CHECK (complaint_warn > 0 AND complaint_warn <= 1),
    ADD COLUMN complaint_review numeric DEFAULT 0.001
        CHECK (complaint_review > 0 AND complaint_review <= 1),
    ADD COLUMN complaint_suspend numeric DEFAULT 0.003
        CHECK (complaint_suspend > 0 AND complaint_suspend <= 1),
    -- blocks are often the platform's reputation, not the account's: they
    -- warn and ask for a review, never suspend by default
    ADD COLUMN block_warn numeric DEFAULT 0.05 CHECK (block_warn > 0 AND block_warn <= 1),
    ADD COLUMN block_review numeric DEFAULT 0.10 CHECK (block_review > 0 AND block_review <= 1),
    ADD COLUMN block_suspend numeric CHECK (block_suspend > 0 AND block_suspend <= 1);

-- After a reinstatement only later events and sends count.
ALTER TABLE mxbounce.accounts
    ADD COLUMN counts_from timestamptz,
    ADD COLUMN status_reason text;

-- Lists of an account, judged on their own (list 0, mail sent outside
-- any list, is judged only as part of the account). A row appears on the
-- first decision; the app may add rows to name its lists.
CREATE TABLE mxbounce.lists (
    account_id        bigint NOT NULL,
    list_id           bigint NOT NULL CHECK (list_id <> 0),
    name              text,
    status            text NOT NULL DEFAULT 'active'
                      CHECK (status IN ('active', 'warned', 'review', 'suspended')),
    status_changed_at timestamptz NOT NULL DEFAULT now(),
    status_reason     text,
    counts_from       timestamptz,
    PRIMARY KEY (account_id, list_id)
);

-- One row per run of mxbounce review that wrote (not per dry run).
CREATE TABLE mxbounce.review_runs (
    id          bigserial PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    who         text NOT NULL,
    accounts    integer NOT NULL,  -- judged: at least review_min_sent in a window
    lists       integer NOT NULL,
    low_volume  integer NOT NULL,  -- accounts that sent, but too little to judge
    changes     integer NOT NULL
);

-- Every decision: automatic escalations (run_id set) and reinstatements.
-- The app polls it (id > the last one seen) or LISTENs on
-- mxbounce_review, whose payload is the row's id, account, list and
-- statuses as JSON.
CREATE TABLE mxbounce.account_reviews (
    id             bigserial PRIMARY KEY,
    run_id         bigint REFERENCES mxbounce.review_runs (id),
    at             timestamptz NOT NULL DEFAULT now(),
    account_id     bigint NOT NULL,
    list_id        bigint,           -- NULL: the account itself
    old_status     text NOT NULL,
    new_status     text NOT NULL,
    metric         text CHECK (metric IN ('hard', 'complaint', 'block')),
    window_days    integer,
    sent           bigint,
    hard           bigint,
    block          bigint,
    complaints     bigint,
    hard_rate      numeric,
    block_rate     numeric,
    complaint_rate numeric,
    figures        jsonb,            -- every window's figures
    thresholds     jsonb,            -- the policy the decision applied
    why            text NOT NULL,
    who            text NOT NULL
);
CREATE INDEX account_reviews_account ON mxbounce.account_reviews (account_id, at);

-- Status order: a review only ever moves up it.
CREATE FUNCTION mxbounce.status_rank(p_status text) RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT CASE p_status WHEN 'active' THEN 0 WHEN 'warned' THEN 1 WHEN 'review' THEN 2
                         WHEN 'suspended' THEN 3 END
$$;

-- pct - a rate as a short percentage: 0.0912 -> '9.12%'
CREATE FUNCTION mxbounce.pct(p_rate numeric) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT trim_scale(round(p_rate * 100, 3))::text || '%' $$;

-- ---------------------------------------------------------------------
-- review_figures - per account (list_id NULL) and per list (list 0
-- left out), for every window of the policy: messages sent, and unique
-- recipients with a hard bounce, a block, a complaint. A window of N days
-- is the N UTC days ending with p_now's. Only events tied to the account
-- (match verified or header) count; an account's or list's counts_from
-- (its reinstatement) cuts both sends and events.
CREATE FUNCTION mxbounce.review_figures(p_now timestamptz DEFAULT now())
    RETURNS TABLE (account_id bigint, list_id bigint, window_days integer, sent bigint,
                   hard bigint, block bigint, complaints bigint)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
    WITH w AS (
        SELECT DISTINCT d AS days,
               ((p_now AT TIME ZONE 'UTC')::date - d + 1) AS first_day,
               (((p_now AT TIME ZONE 'UTC')::date - d + 1)::timestamp AT TIME ZONE 'UTC') AS first_at
          FROM mxbounce.policy, unnest(review_windows) AS d),
    span AS (SELECT min(first_day) AS first_day, min(first_at) AS first_at FROM w),
    ev AS (
        SELECT e.account_id, coalesce(e.list_id, 0) AS list_id, e.recipient_key, e.received_at,
               e.class, e.kind = 'complaint' AS complaint,
               a.counts_from AS account_from,
               greatest(a.counts_from, l.counts_from) AS list_from
          FROM mxbounce.events e
          LEFT JOIN mxbounce.accounts a ON a.id = e.account_id
          LEFT JOIN mxbounce.lists l ON l.account_id = e.account_id AND l.list_id = e.list_id
         WHERE e.account_id IS NOT NULL AND e.match <> 'none'
           AND e.received_at >= (SELECT first_at FROM span) AND e.received_at <= p_now
           AND (e.class IN ('hard', 'block') OR e.kind = 'complaint')),
    snd AS (
        SELECT s.account_id, s.list_id, s.day, s.sent,
               a.counts_from AS account_from,
               greatest(a.counts_from, l.counts_from) AS list_from
          FROM mxbounce.sends s
          LEFT JOIN mxbounce.accounts a ON a.id = s.account_id
          LEFT JOIN mxbounce.lists l ON l.account_id = s.account_id AND l.list_id = s.list_id
         WHERE s.day >= (SELECT first_day FROM span)
           AND s.day <= (p_now AT TIME ZONE 'UTC')::date),
    acc_ev AS (
        SELECT ev.account_id, w.days,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'hard') AS hard,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'block') AS block,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.complaint) AS complaints
          FROM ev JOIN w ON ev.received_at >= w.first_at
         WHERE ev.account_from IS NULL OR ev.received_at >= ev.account_from
         GROUP BY 1, 2),
    list_ev AS (
        SELECT ev.account_id, ev.list_id, w.days,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'hard') AS hard,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'block') AS block,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.complaint) AS complaints
          FROM ev JOIN w ON ev.received_at >= w.first_at
         WHERE ev.list_id <> 0 AND (ev.list_from IS NULL OR ev.received_at >= ev.list_from)
         GROUP BY 1, 2, 3),
    acc_snd AS (
        SELECT snd.account_id, w.days, sum(snd.sent)::bigint AS sent
          FROM snd JOIN w ON snd.day >= w.first_day
         WHERE snd.account_from IS NULL OR snd.day >= (snd.account_from AT TIME ZONE 'UTC')::date
         GROUP BY 1, 2),
    list_snd AS (
        SELECT snd.account_id, snd.list_id, w.days, sum(snd.sent)::bigint AS sent
          FROM snd JOIN w ON snd.day >= w.first_day
         WHERE snd.list_id <> 0
           AND (snd.list_from IS NULL OR snd.day >= (snd.list_from AT TIME ZONE 'UTC')::date)
         GROUP BY 1, 2, 3)
    SELECT coalesce(s.account_id, e.account_id), NULL::bigint, coalesce(s.days, e.days),
           coalesce(s.sent, 0), coalesce(e.hard, 0), coalesce(e.block, 0), coalesce(e.complaints, 0)
      FROM acc_snd s FULL JOIN acc_ev e ON e.account_id = s.account_id AND e.days = s.days
    UNION ALL
    SELECT coalesce(s.account_id, e.account_id), coalesce(s.list_id, e.list_id),
           coalesce(s.days, e.days), coalesce(s.sent, 0), coalesce(e.hard, 0),
           coalesce(e.block, 0), coalesce(e.complaints, 0)
      FROM list_snd s FULL JOIN list_ev e
        ON e.account_id = s.account_id AND e.list_id = s.list_id AND e.days = s.days
$$;

-- review_judge - review_figures with rates and the level each reached,
-- one row per (account, list): the window and rate that reached the
-- highest level (ties: the shorter window; then hard, complaint, block).
-- Windows below review_min_sent reach nothing, nor rates of fewer than
-- review_min_count recipients. level: 0 active, 1
-- warned, 2 review, 3 suspended.
CREATE FUNCTION mxbounce.review_judge(p_now timestamptz DEFAULT now())
    RETURNS TABLE (account_id bigint, list_id bigint, judged boolean, level integer,
                   metric text, window_days integer, sent bigint, hard bigint, block bigint,
                   complaints bigint, hard_rate numeric, block_rate numeric,
                   complaint_rate numeric, threshold numeric, figures jsonb)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
    WITH f AS (
        SELECT f.*, f.sent >= p.review_min_sent AS judged,
               -- exact rates: compared unrounded, rounded only for display
               f.hard::numeric / nullif(f.sent, 0) AS hard_rate,
               f.block::numeric / nullif(f.sent, 0) AS block_rate,
               f.complaints::numeric / nullif(f.sent, 0) AS complaint_rate, p.*
          FROM mxbounce.review_figures(p_now) f, mxbounce.policy p),
    lv AS (
        -- one row per (window, metric) with the level it reached
        SELECT f.account_id, f.list_id, f.judged, f.window_days, f.sent, f.hard, f.block,
               f.complaints, f.hard_rate, f.block_rate, f.complaint_rate, m.metric, m.ord,
               CASE WHEN NOT f.judged OR m.n < f.review_min_count THEN 0
                    WHEN m.rate >= m.t3 THEN 3 WHEN m.rate >= m.t2 THEN 2
                    WHEN m.rate >= m.t1 THEN 1 ELSE 0 END AS level,
               CASE WHEN NOT f.judged OR m.n < f.review_min_count THEN NULL
                    WHEN m.rate >= m.t3 THEN m.t3 WHEN m.rate >= m.t2 THEN m.t2
                    WHEN m.rate >= m.t1 THEN m.t1 END AS threshold
          FROM f, LATERAL (VALUES
              ('hard', 1, f.hard, f.hard_rate, f.hard_warn, f.hard_review, f.hard_suspend),
              ('complaint', 2, f.complaints, f.complaint_rate, f.complaint_warn,
               f.complaint_review, f.complaint_suspend),
              ('block', 3, f.block, f.block_rate, f.block_warn, f.block_review, f.block_suspend))
              AS m(metric, ord, n, rate, t1, t2, t3)),
    fig AS (
        SELECT f.account_id, f.list_id, bool_or(f.judged) AS judged,
               jsonb_agg(jsonb_build_object('window_days', f.window_days, 'sent', f.sent,
                   'hard', f.hard, 'block', f.block, 'complaints', f.complaints,
                   'hard_rate', round(f.hard_rate, 6), 'block_rate', round(f.block_rate, 6),
                   'complaint_rate', round(f.complaint_rate, 6)) ORDER BY f.window_days) AS figures
          FROM f GROUP BY 1, 2)
    SELECT DISTINCT ON (lv.account_id, lv.list_id)
           lv.account_id, lv.list_id, fig.judged, lv.level,
           CASE WHEN lv.level > 0 THEN lv.metric END, lv.window_days, lv.sent, lv.hard,
           lv.block, lv.complaints, round(lv.hard_rate, 6), round(lv.block_rate, 6),
           round(lv.complaint_rate, 6), lv.threshold, fig.figures
      FROM lv JOIN fig ON fig.account_id = lv.account_id
                      AND fig.list_id IS NOT DISTINCT FROM lv.list_id
     ORDER BY lv.account_id, lv.list_id, lv.level DESC, lv.window_days, lv.ord
$$;

-- review_notify - tell LISTENers of mxbounce_review about a decision
CREATE FUNCTION mxbounce.review_notify(p_id bigint, p_account bigint, p_list bigint,
                                       p_old text, p_new text)
    RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT pg_notify('mxbounce_review',
                     json_build_object('id', p_id, 'account_id', p_account, 'list_id', p_list,
                                       'old_status', p_old, 'new_status', p_new)::text)
$$;

-- ---------------------------------------------------------------------
-- review - judge every account and list (mxbounce review). Escalates
-- only: a status moves up to the level its worst window reached, never
-- down. Writes one account_reviews row per change and one review_runs
-- row, unless p_dry_run. One run at a time: a second concurrent run
-- returns {"skipped": ...} at once. Returns what it decided as JSON:
--   {"run": id|null, "dry_run": bool, "at": ..., "accounts": judged,
--    "lists": judged, "low_volume": n, "changes": [{...}, ...]}
CREATE FUNCTION mxbounce.review(p_dry_run boolean DEFAULT false, p_who text DEFAULT NULL,
                                p_now timestamptz DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_now timestamptz := coalesce(p_now, now());
    v_who text := coalesce(nullif(p_who, ''), 'mxbounce review');
    v_policy mxbounce.policy;
    v_thresholds jsonb;
    v_run bigint;
    v_changes jsonb[] := '{}';  -- appended in place (an expanded array)
    v_accounts integer;
    v_lists integer;
    v_low integer;
    v_id bigint;
    v_n integer;
    v_words constant jsonb := '{"hard": "hard-bounce rate", "complaint": "complaint rate",
                                "block": "block rate"}';
    r record;
BEGIN
    IF NOT p_dry_run AND NOT pg_try_advisory_xact_lock(7236713) THEN
        RETURN jsonb_build_object('skipped', 'another review or a reinstatement is running');
    END IF;
    SELECT * INTO v_policy FROM mxbounce.policy;
    v_thresholds := jsonb_build_object(
        'windows', to_jsonb(v_policy.review_windows), 'min_sent', v_policy.review_min_sent,
        'min_count', v_policy.review_min_count,
        'hard', jsonb_build_array(v_policy.hard_warn, v_policy.hard_review, v_policy.hard_suspend),
        'complaint', jsonb_build_array(v_policy.complaint_warn, v_policy.complaint_review,
                                       v_policy.complaint_suspend),
        'block', jsonb_build_array(v_policy.block_warn, v_policy.block_review,
                                   v_policy.block_suspend));
    IF to_regclass('pg_temp.review_verdicts') IS NOT NULL THEN
        DROP TABLE pg_temp.review_verdicts;
    END IF;
    CREATE TEMP TABLE review_verdicts ON COMMIT DROP AS
        SELECT * FROM mxbounce.review_judge(v_now);
    SELECT count(*) FILTER (WHERE list_id IS NULL AND judged),
           count(*) FILTER (WHERE list_id IS NOT NULL AND judged),
           count(*) FILTER (WHERE list_id IS NULL AND NOT judged)
      INTO v_accounts, v_lists, v_low
      FROM review_verdicts;
    IF NOT p_dry_run THEN
        INSERT INTO mxbounce.review_runs (started_at, who, accounts, lists, low_volume, changes)
        VALUES (clock_timestamp(), v_who, v_accounts, v_lists, v_low, 0)
        RETURNING id INTO v_run;
    END IF;

    FOR r IN
        SELECT v.*, coalesce(a.status, l.status, 'active') AS old_status,
               (ARRAY['active', 'warned', 'review', 'suspended'])[v.level + 1] AS new_status,
               format('%s %s over %s days (%s of %s sent) reached the %s threshold %s',
                      v_words ->> v.metric,
                      mxbounce.pct(CASE v.metric WHEN 'hard' THEN v.hard_rate
                                   WHEN 'complaint' THEN v.complaint_rate ELSE v.block_rate END),
                      v.window_days,
                      CASE v.metric WHEN 'hard' THEN v.hard WHEN 'complaint' THEN v.complaints
                                    ELSE v.block END,
                      v.sent, (ARRAY['warn', 'review', 'suspend'])[v.level],
                      mxbounce.pct(v.threshold)) AS why
          FROM review_verdicts v
          LEFT JOIN mxbounce.accounts a ON v.list_id IS NULL AND a.id = v.account_id
          LEFT JOIN mxbounce.lists l ON l.account_id = v.account_id AND l.list_id = v.list_id
         WHERE v.level > mxbounce.status_rank(coalesce(a.status, l.status, 'active'))
         ORDER BY v.account_id, v.list_id NULLS FIRST
    LOOP
        v_id := NULL;
        IF NOT p_dry_run THEN
            -- Only from the status read: a concurrent change by a person wins.
            IF r.list_id IS NULL THEN
                INSERT INTO mxbounce.accounts AS a (id, status, status_changed_at, status_reason)
                VALUES (r.account_id, r.new_status, v_now, r.why)
                ON CONFLICT (id) DO UPDATE
                   SET status = EXCLUDED.status, status_changed_at = EXCLUDED.status_changed_at,
                       status_reason = EXCLUDED.status_reason
                 WHERE a.status = r.old_status;
            ELSE
                INSERT INTO mxbounce.lists AS l (account_id, list_id, status, status_changed_at,
                                                 status_reason)
                VALUES (r.account_id, r.list_id, r.new_status, v_now, r.why)
                ON CONFLICT (account_id, list_id) DO UPDATE
                   SET status = EXCLUDED.status, status_changed_at = EXCLUDED.status_changed_at,
                       status_reason = EXCLUDED.status_reason
                 WHERE l.status = r.old_status;
            END IF;
            GET DIAGNOSTICS v_n = ROW_COUNT;
            CONTINUE WHEN v_n = 0;
            INSERT INTO mxbounce.account_reviews (run_id, at, account_id, list_id, old_status,
                    new_status, metric, window_days, sent, hard, block, complaints, hard_rate,
                    block_rate, complaint_rate, figures, thresholds, why, who)
            VALUES (v_run, v_now, r.account_id, r.list_id, r.old_status, r.new_status, r.metric,
                    r.window_days, r.sent, r.hard, r.block, r.complaints, r.hard_rate,
                    r.block_rate, r.complaint_rate, r.figures, v_thresholds, r.why, v_who)
            RETURNING id INTO v_id;
            PERFORM mxbounce.review_notify(v_id, r.account_id, r.list_id, r.old_status,
                                           r.new_status);
        END IF;
        v_changes := v_changes || jsonb_build_object(
            'review_id', v_id, 'account_id', r.account_id, 'list_id', r.list_id,
            'old_status', r.old_status, 'new_status', r.new_status, 'metric', r.metric,
            'window_days', r.window_days, 'sent', r.sent, 'hard', r.hard, 'block', r.block,
            'complaints', r.complaints, 'hard_rate', r.hard_rate, 'block_rate', r.block_rate,
            'complaint_rate', r.complaint_rate, 'why', r.why);
    END LOOP;

    IF NOT p_dry_run THEN
        UPDATE mxbounce.review_runs SET changes = cardinality(v_changes),
               finished_at = clock_timestamp()
         WHERE id = v_run;
    END IF;
    RETURN jsonb_build_object('run', v_run, 'dry_run', p_dry_run, 'at', v_now,
                              'accounts', v_accounts, 'lists', v_lists, 'low_volume', v_low,
                              'thresholds', v_thresholds, 'changes', to_jsonb(v_changes));
END
$$;

-- reinstate - a person puts a warned, reviewed or suspended account (or
-- one of its lists: p_list) back to active; from now on only later
-- events and sends count toward its rates. Returns the audit row's id.
-- SQLSTATE MXB03: not found or already active.
CREATE FUNCTION mxbounce.reinstate(p_account bigint, p_list bigint, p_who text, p_why text)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_old text;
    v_id bigint;
BEGIN
    IF coalesce(btrim(p_who), '') = '' OR coalesce(btrim(p_why), '') = '' THEN
        RAISE EXCEPTION 'reinstate: who and why are required';
    END IF;
    -- Wait for a running review: it judged on the figures from before
    -- this reinstatement and would escalate the account again.
    PERFORM pg_advisory_xact_lock(7236713);
    IF p_list IS NULL THEN
        SELECT status INTO v_old FROM mxbounce.accounts WHERE id = p_account FOR UPDATE;
    ELSE
        SELECT status INTO v_old FROM mxbounce.lists
         WHERE account_id = p_account AND list_id = p_list FOR UPDATE;
    END IF;
    IF v_old IS NULL OR v_old = 'active' THEN
        RAISE EXCEPTION USING ERRCODE = 'MXB03',
            MESSAGE = format('%s is %s: nothing to reinstate',
                             CASE WHEN p_list IS NULL THEN format('account %s', p_account)
                                  ELSE format('list %s of account %s', p_list, p_account) END,
                             coalesce(v_old, 'not under review'));
    END IF;
    IF p_list IS NULL THEN
        UPDATE mxbounce.accounts SET status = 'active', status_changed_at = now(),
               status_reason = p_why, counts_from = now()
         WHERE id = p_account;
    ELSE
        UPDATE mxbounce.lists SET status = 'active', status_changed_at = now(),
               status_reason = p_why, counts_from = now()
         WHERE account_id = p_account AND list_id = p_list;
    END IF;
    INSERT INTO mxbounce.account_reviews (account_id, list_id, old_status, new_status, why, who)
    VALUES (p_account, p_list, v_old, 'active', 'reinstated: ' || p_why, p_who)
    RETURNING id INTO v_id;
    PERFORM mxbounce.review_notify(v_id, p_account, p_list, v_old, 'active');
    RETURN v_id;
END
$$;

-- ---------------------------------------------------------------------
-- account_report - the delivery-issue report of one account (or one of
-- its lists) from a UTC day on (default: 7 days ago), as JSON:
--   account, status, since, until, lists[] and total (sent, unique
--   recipients hard/soft/block/complaints/delayed, rates), days[],
--   domains[] (top p_top receiving domains by failed recipients),
--   reasons[] (top p_top with the last remote server's words),
--   suppressed[] (newly suppressed addresses, at most 1000, and
--   suppressed_total), reviews[] (the last 10 decisions).
-- Rates are unique recipients over messages sent; only events tied to
-- the account (match verified or header) count.
CREATE FUNCTION mxbounce.account_report(p_account bigint, p_list bigint DEFAULT NULL,
                                        p_since date DEFAULT NULL, p_top integer DEFAULT 10)
    RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    v_since date := coalesce(p_since, (now() AT TIME ZONE 'UTC')::date - 7);
    v_from timestamptz := v_since::timestamp AT TIME ZONE 'UTC';
    v_top integer := least(greatest(coalesce(p_top, 10), 1), 100);
    v jsonb;
BEGIN
    WITH ev AS MATERIALIZED (
        SELECT e.id, e.received_at, coalesce(e.list_id, 0) AS list_id, e.recipient_key, e.kind,
               e.class, e.reason, e.diagnostic, e.remote_mta, e.feedback_type,
               split_part(e.recipient_key, '@', 2) AS domain,
               (e.received_at AT TIME ZONE 'UTC')::date AS day
          FROM mxbounce.events e
         WHERE e.account_id = p_account AND e.match <> 'none' AND e.received_at >= v_from
           AND (p_list IS NULL OR coalesce(e.list_id, 0) = p_list)),
    snd AS (
        SELECT s.list_id, s.day, sum(s.sent)::bigint AS sent
          FROM mxbounce.sends s
         WHERE s.account_id = p_account AND s.day >= v_since
           AND (p_list IS NULL OR s.list_id = p_list)
         GROUP BY 1, 2),
    tot AS (SELECT coalesce(sum(snd.sent), 0)::bigint AS sent FROM snd),
    counts AS (
        -- GROUPING SETS: per list, per day, and the total
        SELECT ev.list_id, ev.day, grouping(ev.list_id, ev.day) AS g,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'hard') AS hard,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'soft') AS soft,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'block') AS block,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.kind = 'complaint') AS complaints,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.kind = 'delayed') AS delayed
          FROM ev GROUP BY GROUPING SETS ((ev.list_id), (ev.day), ())),
    lists AS (
        SELECT coalesce(s.list_id, c.list_id) AS list_id, coalesce(s.sent, 0) AS sent,
               coalesce(c.hard, 0) AS hard, coalesce(c.soft, 0) AS soft,
               coalesce(c.block, 0) AS block, coalesce(c.complaints, 0) AS complaints,
               coalesce(c.delayed, 0) AS delayed
          FROM (SELECT list_id, sum(sent)::bigint AS sent FROM snd GROUP BY 1) s
          FULL JOIN (SELECT * FROM counts WHERE g = 1) c ON c.list_id = s.list_id),
    days AS (
        SELECT d.day::date AS day, coalesce(s.sent, 0) AS sent, coalesce(c.hard, 0) AS hard,
               coalesce(c.soft, 0) AS soft, coalesce(c.block, 0) AS block,
               coalesce(c.complaints, 0) AS complaints, coalesce(c.delayed, 0) AS delayed
          FROM generate_series(v_since, (now() AT TIME ZONE 'UTC')::date, interval '1 day') d(day)
          LEFT JOIN (SELECT day, sum(sent)::bigint AS sent FROM snd GROUP BY 1) s
                 ON s.day = d.day::date
          LEFT JOIN (SELECT * FROM counts WHERE g = 2) c ON c.day = d.day::date),
    domains AS (
        SELECT ev.domain, count(DISTINCT ev.recipient_key) AS failures,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'hard') AS hard,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'soft') AS soft,
               count(DISTINCT ev.recipient_key) FILTER (WHERE ev.class = 'block') AS block,
               mode() WITHIN GROUP (ORDER BY ev.reason) AS top_reason
          FROM ev WHERE ev.class IS NOT NULL AND ev.kind = 'bounce'
         GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT v_top),
    reasons AS (
        SELECT CASE WHEN ev.kind = 'complaint' THEN 'complaint' ELSE ev.class END AS class,
               CASE WHEN ev.kind = 'complaint' THEN coalesce(ev.feedback_type, 'abuse')
                    ELSE coalesce(ev.reason, 'other') END AS reason,
               count(DISTINCT ev.recipient_key) AS recipients, count(*) AS events,
               (array_agg(ev.diagnostic ORDER BY ev.received_at DESC)
                    FILTER (WHERE ev.diagnostic IS NOT NULL))[1] AS sample,
               (array_agg(ev.remote_mta ORDER BY ev.received_at DESC)
                    FILTER (WHERE ev.remote_mta IS NOT NULL))[1] AS remote_mta
          FROM ev WHERE (ev.class IS NOT NULL AND ev.kind = 'bounce') OR ev.kind = 'complaint'
         GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT v_top),
    sup AS (
        SELECT l.at, l.address, l.class, l.reason,
               CASE WHEN l.account_id = 0 THEN 'platform' ELSE 'account' END AS scope
          FROM mxbounce.suppression_log l
         WHERE l.action = 'suppress' AND l.at >= v_from
           AND ((l.account_id = p_account AND p_list IS NULL)
                OR l.event_id IN (SELECT ev.id FROM ev))),
    rev AS (
        SELECT r.id, r.at, r.list_id, r.old_status, r.new_status, r.why, r.who
          FROM mxbounce.account_reviews r
         WHERE r.account_id = p_account AND (p_list IS NULL OR r.list_id IS NULL
                                             OR r.list_id = p_list)
         ORDER BY r.at DESC, r.id DESC LIMIT 10)
    SELECT jsonb_build_object(
        'account_id', p_account,
        'name', (SELECT a.name FROM mxbounce.accounts a WHERE a.id = p_account),
        'list_id', p_list,
        'since', v_since,
        'until', now(),
        'status', coalesce((SELECT jsonb_build_object('status', a.status,
                                'changed_at', a.status_changed_at, 'reason', a.status_reason,
                                'counts_from', a.counts_from)
                              FROM mxbounce.accounts a WHERE a.id = p_account),
                           jsonb_build_object('status', 'active')),
        'lists', coalesce((SELECT jsonb_agg(jsonb_build_object(
                    'list_id', x.list_id, 'name', ls.name,
                    'status', coalesce(ls.status, 'active'), 'sent', x.sent,
                    'hard', x.hard, 'soft', x.soft, 'block', x.block,
                    'complaints', x.complaints, 'delayed', x.delayed,
                    'hard_rate', round(x.hard::numeric / nullif(x.sent, 0), 6),
                    'soft_rate', round(x.soft::numeric / nullif(x.sent, 0), 6),
                    'block_rate', round(x.block::numeric / nullif(x.sent, 0), 6),
                    'complaint_rate', round(x.complaints::numeric / nullif(x.sent, 0), 6))
                    ORDER BY x.list_id)
                  FROM lists x
                  LEFT JOIN mxbounce.lists ls ON ls.account_id = p_account
                                             AND ls.list_id = x.list_id), '[]'),
        'total', (SELECT jsonb_build_object(
                    'sent', t.sent,
                    'hard', coalesce(c.hard, 0), 'soft', coalesce(c.soft, 0),
                    'block', coalesce(c.block, 0), 'complaints', coalesce(c.complaints, 0),
                    'delayed', coalesce(c.delayed, 0),
                    'hard_rate', round(c.hard::numeric / nullif(t.sent, 0), 6),
                    'soft_rate', round(c.soft::numeric / nullif(t.sent, 0), 6),
                    'block_rate', round(c.block::numeric / nullif(t.sent, 0), 6),
                    'complaint_rate', round(c.complaints::numeric / nullif(t.sent, 0), 6))
                  FROM tot t LEFT JOIN counts c ON c.g = 3),
        'days', (SELECT jsonb_agg(to_jsonb(d) ORDER BY d.day) FROM days d),
        'domains', coalesce((SELECT jsonb_agg(to_jsonb(d) ORDER BY d.failures DESC, d.domain)
                               FROM domains d), '[]'),
        'reasons', coalesce((SELECT jsonb_agg(to_jsonb(r) ORDER BY r.recipients DESC, r.class,
                                              r.reason)
                               FROM reasons r), '[]'),
        'suppressed', coalesce((SELECT jsonb_agg(to_jsonb(s) ORDER BY s.at, s.address, s.scope)
                                  FROM (SELECT * FROM sup ORDER BY at, address, scope LIMIT 1000) s),
                               '[]'),
        'suppressed_total', (SELECT count(*) FROM sup),
        'reviews', coalesce((SELECT jsonb_agg(to_jsonb(r) ORDER BY r.at DESC, r.id DESC)
                               FROM rev r), '[]'))
      INTO v;
    RETURN v;
END
$$;

-- ---------------------------------------------------------------------
-- Privileges (see 004 for the scheme).
REVOKE ALL ON mxbounce.lists, mxbounce.review_runs, mxbounce.account_reviews FROM PUBLIC;
REVOKE ALL ON FUNCTION mxbounce.status_rank(text), mxbounce.pct(numeric),
    mxbounce.review_figures(timestamptz), mxbounce.review_judge(timestamptz),
    mxbounce.review_notify(bigint, bigint, bigint, text, text),
    mxbounce.review(boolean, text, timestamptz), mxbounce.reinstate(bigint, bigint, text, text),
    mxbounce.account_report(bigint, bigint, date, integer)
  FROM PUBLIC;

-- The status of accounts belongs to the review: the app names accounts
-- and lists, and learns of decisions from account_reviews and NOTIFY.
REVOKE INSERT, UPDATE ON mxbounce.accounts FROM mxbounce_app;
GRANT INSERT (id, name), UPDATE (name) ON mxbounce.accounts TO mxbounce_app;
GRANT INSERT (account_id, list_id, name), UPDATE (name) ON mxbounce.lists TO mxbounce_app;
GRANT SELECT ON mxbounce.lists, mxbounce.account_reviews, mxbounce.review_runs TO mxbounce_app;
GRANT EXECUTE ON FUNCTION mxbounce.account_report(bigint, bigint, date, integer) TO mxbounce_app;

-- review: judges (review is SECURITY DEFINER and does its own writing),
-- reinstates, reports; it no longer writes accounts directly, nor reads
-- the raw messages, which it never needs.
REVOKE UPDATE ON mxbounce.accounts FROM mxbounce_review;
REVOKE SELECT ON mxbounce.raw_messages FROM mxbounce_review;
GRANT SELECT ON mxbounce.lists, mxbounce.account_reviews, mxbounce.review_runs
   TO mxbounce_review;
GRANT EXECUTE ON FUNCTION mxbounce.review(boolean, text, timestamptz),
                          mxbounce.review_figures(timestamptz),
                          mxbounce.review_judge(timestamptz),
                          mxbounce.reinstate(bigint, bigint, text, text),
                          mxbounce.account_report(bigint, bigint, date, integer),
                          mxbounce.status_rank(text), mxbounce.pct(numeric)
   TO mxbounce_review;
