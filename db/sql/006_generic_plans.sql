-- 006_generic_plans.sql - record_report plans its statements once per
-- connection
--
-- PL/pgSQL plans each statement with its parameters' values the first
-- five times, then keeps a generic plan only if it looks no dearer. For
-- most statements of record_report and the functions it calls it did
-- not, so every report was planned again: about a fifth of the backend's
-- CPU. The statements are all index lookups and inserts whose best plan
-- does not depend on the values, so record_report (and, through the
-- setting's scope, every function it calls) now uses generic plans.
--
-- Measured (pgbench, 2 clients, reports in pipelines of 5, fsync on):
-- 0.71 ms of backend CPU per report before, 0.58 ms after.
-- A later CREATE OR REPLACE of record_report drops this setting: such a
-- migration must set it again.
ALTER FUNCTION mxbounce.record_report(integer, bytea, bytea, integer, jsonb, jsonb)
    SET plan_cache_mode = force_generic_plan;
