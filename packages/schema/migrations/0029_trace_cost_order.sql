-- Sort by cost without reading the range: a projection of `traces` holding the trace list's columns
-- in cost order, so the list's most (or least) expensive traces are the last (first) rows of each
-- part. Without it, the newest-first windows do not help a cost sort: every current state of the
-- range was read and sorted (1.56M at 10M spans), then the page's 37 columns were read from one
-- granule (~2,600 rows) per trace, since costly traces are scattered over the week (~400 ms at 10M,
-- BENCHMARKS.md). The list's cost query reads this projection in reverse order and stops after a
-- page (apps/ingest/src/db/repositories/trace-page.ts); `contributions`, the heavy rollup input, is
-- not in it, so it costs ~64% of `traces` on disk (+15% for the whole store at 10M spans). The key
-- is the Decimal itself: the engine reads a Float64 key backwards for its first column only (NaN
-- sorts last both ways), which would read the whole range again for the most expensive first.
-- A collapsing table's projection is rebuilt on each merge ('rebuild'; the default refuses to add one).
ALTER TABLE traces MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild';
ALTER TABLE traces ADD PROJECTION IF NOT EXISTS by_cost
(
    SELECT project_id, trace_id, start_time, end_time, duration_ms, version, sign, root_span_id, name, outcome,
        failure_reason, failure_span_id, first_error_span_id, first_error, tags, input_preview, output_preview,
        root_agent, services, releases, environments, agents, models, tools, session_id, user_id, span_count,
        llm_calls, tool_calls, error_spans, tool_errors, delegations, input_tokens, output_tokens,
        cached_input_tokens, cache_write_tokens, reasoning_tokens, cost_usd, unpriced_calls, is_regression_run
    ORDER BY project_id, ifNull(cost_usd, 0), trace_id
);
-- Parts written before this migration get the projection by a mutation in the background; until a
-- part has it, the cost sort reads that part as before.
ALTER TABLE traces MATERIALIZE PROJECTION by_cost;
