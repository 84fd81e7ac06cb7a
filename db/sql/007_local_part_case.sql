-- 007_local_part_case.sql - local parts compared case-sensitively, if
-- the platform wants it
--
-- By default the local part of an address is compared without regard to
-- the case of its ASCII letters, as mail systems do in practice.
-- policy.local_part_case_sensitive = true compares it exactly (RFC 5321
-- leaves the local part's case to the receiving system). Set it when the
-- database is new: keys already stored keep the form they were made in.
ALTER TABLE mxbounce.policy
    ADD COLUMN local_part_case_sensitive boolean NOT NULL DEFAULT false;

-- address_key(address, fold_local) - the key with or without folding the
-- local part (the body of 004's address_key)
CREATE FUNCTION mxbounce.address_key(p_address text, p_fold_local boolean) RETURNS text
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
    IF p_fold_local THEN
        v_local := translate(v_local, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
    END IF;
    RETURN v_local || '@'
        || translate(v_domain, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz');
END
$$;

-- address_key(address) - the key under the policy
CREATE OR REPLACE FUNCTION mxbounce.address_key(p_address text) RETURNS text
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog
    AS $$
    SELECT mxbounce.address_key(p_address,
                                NOT coalesce((SELECT local_part_case_sensitive FROM mxbounce.policy), false))
$$;

-- insert_events (as in 006): the filter's key folds the local part; under
-- a case-sensitive policy the key is made here instead.
CREATE OR REPLACE FUNCTION mxbounce.insert_events(p_report_id bigint, p_at timestamptz, p_report jsonb,
                                       p_events jsonb, p_version text)
    RETURNS integer
    LANGUAGE plpgsql
    SET search_path = pg_catalog
    AS $$
DECLARE
    v_msg mxbounce.messages;
    v_n integer;
    v_exact boolean := (SELECT local_part_case_sensitive FROM mxbounce.policy);
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
           account_id bigint, list_id bigint, message_ref bigint);
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN v_n;
END
$$;

REVOKE ALL ON FUNCTION mxbounce.address_key(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION mxbounce.address_key(text, boolean)
   TO mxbounce_app, mxbounce_review;
