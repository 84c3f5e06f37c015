-- agg_1h: hourly rollups, the same columns and contract as agg_5m (see 0005_rollups.sql), with
-- bucket = toStartOfHour. Filled from agg_5m's inserts by a chained MV, so it sees exactly what
-- agg_5m sees (including its insert deduplication). Needed because merging 5-minute t-digest
-- states dominates latency panels: at 10M spans, p95 latency per agent per hour over 7 days took
-- 634 ms from agg_5m (16k states merged) — see BENCHMARKS.md "Dashboards". Series with a step of
-- 1h or 1d read this table; other reads use agg_5m.
CREATE TABLE IF NOT EXISTS agg_1h AS agg_5m;

CREATE MATERIALIZED VIEW IF NOT EXISTS agg_1h_mv TO agg_1h AS
SELECT
    a.project_id AS project_id,
    a.dim_type AS dim_type,
    a.dim_value AS dim_value,
    toStartOfHour(a.bucket) AS bucket,
    sum(a.cost_usd) AS cost_usd,
    sum(a.input_tokens) AS input_tokens,
    sum(a.output_tokens) AS output_tokens,
    sum(a.cached_input_tokens) AS cached_input_tokens,
    sum(a.cache_write_tokens) AS cache_write_tokens,
    sum(a.reasoning_tokens) AS reasoning_tokens,
    sum(a.spans) AS spans,
    sum(a.span_errors) AS span_errors,
    sum(a.calls) AS calls,
    sum(a.errors) AS errors,
    sum(a.llm_calls) AS llm_calls,
    sum(a.llm_errors) AS llm_errors,
    sum(a.tool_calls) AS tool_calls,
    sum(a.tool_errors) AS tool_errors,
    sum(a.traces) AS traces,
    sum(a.unpriced_calls) AS unpriced_calls,
    sum(a.unpriced_input_tokens) AS unpriced_input_tokens,
    sum(a.unpriced_output_tokens) AS unpriced_output_tokens,
    sum(a.rp_cost_usd) AS rp_cost_usd,
    sum(a.rp_uncached_input_tokens) AS rp_uncached_input_tokens,
    sum(a.rp_cached_input_tokens) AS rp_cached_input_tokens,
    sum(a.rp_cache_write_tokens) AS rp_cache_write_tokens,
    sum(a.rp_output_tokens) AS rp_output_tokens,
    quantilesTDigestMergeState(0.5, 0.95, 0.99)(a.latency_ms) AS latency_ms
FROM agg_5m AS a
GROUP BY project_id, dim_type, dim_value, bucket;

-- Backfill whatever agg_5m already holds (nothing on a fresh install).
INSERT INTO agg_1h
SELECT
    a.project_id AS project_id,
    a.dim_type AS dim_type,
    a.dim_value AS dim_value,
    toStartOfHour(a.bucket) AS bucket,
    sum(a.cost_usd) AS cost_usd,
    sum(a.input_tokens) AS input_tokens,
    sum(a.output_tokens) AS output_tokens,
    sum(a.cached_input_tokens) AS cached_input_tokens,
    sum(a.cache_write_tokens) AS cache_write_tokens,
    sum(a.reasoning_tokens) AS reasoning_tokens,
    sum(a.spans) AS spans,
    sum(a.span_errors) AS span_errors,
    sum(a.calls) AS calls,
    sum(a.errors) AS errors,
    sum(a.llm_calls) AS llm_calls,
    sum(a.llm_errors) AS llm_errors,
    sum(a.tool_calls) AS tool_calls,
    sum(a.tool_errors) AS tool_errors,
    sum(a.traces) AS traces,
    sum(a.unpriced_calls) AS unpriced_calls,
    sum(a.unpriced_input_tokens) AS unpriced_input_tokens,
    sum(a.unpriced_output_tokens) AS unpriced_output_tokens,
    sum(a.rp_cost_usd) AS rp_cost_usd,
    sum(a.rp_uncached_input_tokens) AS rp_uncached_input_tokens,
    sum(a.rp_cached_input_tokens) AS rp_cached_input_tokens,
    sum(a.rp_cache_write_tokens) AS rp_cache_write_tokens,
    sum(a.rp_output_tokens) AS rp_output_tokens,
    quantilesTDigestMergeState(0.5, 0.95, 0.99)(a.latency_ms) AS latency_ms
FROM agg_5m AS a
GROUP BY project_id, dim_type, dim_value, bucket;
