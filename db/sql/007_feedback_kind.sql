-- 007_feedback_kind.sql - kind feedback: a feedback report that is no
-- complaint
--
-- RFC 5965 reports of type not-spam (the recipient said the message was
-- wanted) and RFC 6591 reports of type auth-failure (a receiver's
-- SPF/DKIM/DMARC failure report) arrive as message/feedback-report like
-- complaints, but nobody complained: classifier 2026.11.5 gives them the
-- kind feedback. Like auto-replies they are recorded and change nothing:
-- no suppression, no complaint in any rate (the policy and the review
-- count kind complaint only).
--
-- The filter of this version needs this schema (MXB_SCHEMA_VERSION 7):
-- an older schema would refuse the kind.
--
-- NOT VALID: the stored rows passed the narrower check already, and
-- validating them again would scan every partition while the filter
-- waits on the lock. New rows are checked.
ALTER TABLE mxbounce.events DROP CONSTRAINT events_kind_check;
ALTER TABLE mxbounce.events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('bounce', 'delayed', 'delivered', 'complaint', 'feedback', 'auto_reply',
                    'challenge', 'mdn', 'not_bounce', 'unparseable')) NOT VALID;
