-- review-history.sql - generated sending histories for review.sh
--
-- mxb_test.history(account, list, days, sent_per_day, hard_per_day,
-- block_per_day, complaints_per_day, first_day_ago) writes, for each of
-- `days` UTC days ending first_day_ago days before today, the send counter
-- and that many distinct recipients with a verified hard bounce, a block
-- and a complaint (one report per event, as the filter would).
CREATE SCHEMA mxb_test;

CREATE FUNCTION mxb_test.history(p_account bigint, p_list bigint, p_days integer,
                                 p_sent integer, p_hard integer, p_block integer,
                                 p_complaints integer, p_ago integer DEFAULT 0)
    RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_day date;
    v_at timestamptz;
    v_kind text;
    v_class text;
    v_n integer;
    v_report bigint;
    v_addr text;
BEGIN
    FOR d IN 0 .. p_days - 1 LOOP
        v_day := (now() AT TIME ZONE 'UTC')::date - p_ago - d;
        -- noon, or a minute ago today (never in the future)
        v_at := least(v_day::timestamp AT TIME ZONE 'UTC' + interval '12 hours',
                      now() - interval '1 minute');
        PERFORM mxbounce.count_sent(p_account, p_list, p_sent, v_day);
        FOREACH v_kind IN ARRAY ARRAY['hard', 'block', 'complaint'] LOOP
            v_n := CASE v_kind WHEN 'hard' THEN p_hard WHEN 'block' THEN p_block
                               ELSE p_complaints END;
            FOR i IN 1 .. v_n LOOP
                v_addr := format('%s-%s-%s-%s-%s@%s.example', v_kind, p_account,
                                 coalesce(p_list, 0), v_day, i,
                                 CASE v_kind WHEN 'block' THEN 'blocking' ELSE 'mail' END);
                INSERT INTO mxbounce.reports (sha256, received_at, classifier_version, n_events)
                VALUES (sha256(convert_to(v_addr || random()::text, 'UTF8')), v_at, 'test', 1)
                RETURNING id INTO v_report;
                v_class := CASE v_kind WHEN 'complaint' THEN NULL ELSE v_kind END;
                INSERT INTO mxbounce.events (report_id, seq, received_at, account_id, list_id,
                                             recipient, recipient_key, kind, class, reason,
                                             status, diagnostic, remote_mta, match,
                                             classifier_version, feedback_type)
                VALUES (v_report, 0, v_at, p_account, nullif(p_list, 0), v_addr, v_addr,
                        CASE v_kind WHEN 'complaint' THEN 'complaint' ELSE 'bounce' END,
                        v_class,
                        CASE v_kind WHEN 'hard' THEN 'user_unknown'
                                    WHEN 'block' THEN 'blocklisted' END,
                        CASE v_kind WHEN 'hard' THEN '5.1.1' WHEN 'block' THEN '5.7.1' END,
                        CASE v_kind WHEN 'hard' THEN '550 5.1.1 <' || v_addr || '>: User unknown'
                                    WHEN 'block' THEN '554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org' END,
                        CASE v_kind WHEN 'complaint' THEN NULL ELSE 'mx.' || split_part(v_addr, '@', 2) END,
                        'verified', 'test',
                        CASE v_kind WHEN 'complaint' THEN 'abuse' END);
            END LOOP;
        END LOOP;
    END LOOP;
END
$$;
