-- 008_delivery_issues.sql - delivery issues of one account without
-- reading every account's events
--
-- The view of 004/005 joined the send counters and the events with a FULL
-- JOIN, through which PostgreSQL cannot push "account_id = N": it
-- aggregated the whole events table first (bench/events-scale: a seq scan
-- of every partition). Now both sides are aggregated per (account, list,
-- day) and added up, so a condition on account_id reaches the index
-- events_account of each partition. mxbounce.delivery_issues(account,
-- since) also bounds received_at, so only the partitions of the period are
-- read.
CREATE OR REPLACE VIEW mxbounce.delivery_issues AS
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
    SET search_path = pg_catalog
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
REVOKE ALL ON FUNCTION mxbounce.delivery_issues(bigint, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mxbounce.delivery_issues(bigint, date) TO mxbounce_app, mxbounce_review;
