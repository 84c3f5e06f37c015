-- agg_5m: 5-minute rollups of `spans`, per project and per dimension. Dashboards and anomaly
-- detection read this table, not raw spans. Filled by agg_5m_mv on every insert into `spans`.
--
-- CONTRACT (other readers, e.g. src/detect/, rely on these columns; add columns, never rename):
--   key          (project_id, dim_type, dim_value, bucket)
--   dim_type     'total' | 'model' | 'agent' | 'tool' | 'user' | 'release' | 'environment'
--   dim_value    '' for total; model (LLM calls only); agent_name (every span of that agent, names
--                are inherited by descendants); tool_name (tool spans); user_id; service_version;
--                environment. Spans with an empty value are not counted under that dimension.
--   bucket       toStartOfFiveMinutes(start_time), DateTime UTC.
--   Columns are SimpleAggregateFunction(sum) except latency: read them with sum(col) and
--   quantilesTDigestMerge(0.5, 0.95, 0.99)(latency_ms) after GROUP BY; never read rows unmerged.
--   cost_usd              sum of stored (ingest-time) cost_usd, NULL as 0. Price overrides are
--                         applied at query time from the rp_* columns of dim_type='model' rows.
--   input_tokens …        token sums by kind (only provider-call spans carry tokens). input
--                         INCLUDES cached input and cache writes (OTel meaning).
--   spans, span_errors    every span of the dimension / those with status 'error'.
--   calls, errors         the dimension's SUBJECT spans / those that failed. Subject spans are also
--                         the latency population:
--                           model                          -> LLM (provider) calls
--                           tool                           -> tool spans
--                           agent                          -> that agent's own `agent` spans
--                           total, user                    -> root spans (parent_span_id = ''),
--                                                             i.e. trace latency, failed traces
--                           release, environment           -> agent spans and root spans (a
--                                                             canary sub-agent is never a root)
--   tool rows and tool_calls skip the server end of a traced MCP call (flag mcp_server with a
--   parent): it is the same call as its client span.
--   llm_calls, llm_errors, tool_calls, tool_errors   provider calls / tool spans in the dimension.
--   traces                root spans (parent_span_id = '').
--   unpriced_calls, unpriced_input_tokens, unpriced_output_tokens   LLM calls with no price at ingest.
--   rp_*                  the part of cost a project price override re-prices (LLM calls whose cost
--                         was not reported by the client): their stored cost and billable tokens
--                         (rp_uncached_input_tokens = Σ max(input - cached - cache_write, 0)).
--   latency_ms            quantilesTDigestState(0.5, 0.95, 0.99)(duration_ms) over subject spans.
--
-- Duplicates: `spans` drops a re-sent span at merge time, but this MV fires per insert. Repeated
-- span ids are dropped by the writer before they reach the store, and a replayed spool segment
-- carries an insert_deduplication_token: the source block is then skipped, and so is this MV's
-- insert. non_replicated_deduplication_window below also lets the MV's own block be deduplicated
-- when deduplicate_blocks_in_dependent_materialized_views = 1 (a crash between the two writes).
CREATE TABLE IF NOT EXISTS agg_5m
(
    project_id LowCardinality(String),
    dim_type LowCardinality(String),
    dim_value String,
    bucket DateTime('UTC'),
    cost_usd SimpleAggregateFunction(sum, Decimal(38, 10)),
    input_tokens SimpleAggregateFunction(sum, UInt64),
    output_tokens SimpleAggregateFunction(sum, UInt64),
    cached_input_tokens SimpleAggregateFunction(sum, UInt64),
    cache_write_tokens SimpleAggregateFunction(sum, UInt64),
    reasoning_tokens SimpleAggregateFunction(sum, UInt64),
    spans SimpleAggregateFunction(sum, UInt64),
    span_errors SimpleAggregateFunction(sum, UInt64),
    calls SimpleAggregateFunction(sum, UInt64),
    errors SimpleAggregateFunction(sum, UInt64),
    llm_calls SimpleAggregateFunction(sum, UInt64),
    llm_errors SimpleAggregateFunction(sum, UInt64),
    tool_calls SimpleAggregateFunction(sum, UInt64),
    tool_errors SimpleAggregateFunction(sum, UInt64),
    traces SimpleAggregateFunction(sum, UInt64),
    unpriced_calls SimpleAggregateFunction(sum, UInt64),
    unpriced_input_tokens SimpleAggregateFunction(sum, UInt64),
    unpriced_output_tokens SimpleAggregateFunction(sum, UInt64),
    rp_cost_usd SimpleAggregateFunction(sum, Decimal(38, 10)),
    rp_uncached_input_tokens SimpleAggregateFunction(sum, UInt64),
    rp_cached_input_tokens SimpleAggregateFunction(sum, UInt64),
    rp_cache_write_tokens SimpleAggregateFunction(sum, UInt64),
    rp_output_tokens SimpleAggregateFunction(sum, UInt64),
    latency_ms AggregateFunction(quantilesTDigest(0.5, 0.95, 0.99), Float64)
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (project_id, dim_type, dim_value, bucket)
SETTINGS non_replicated_deduplication_window = 10000;

CREATE MATERIALIZED VIEW IF NOT EXISTS agg_5m_mv TO agg_5m AS
SELECT
    s.project_id AS project_id,
    dim.1 AS dim_type,
    dim.2 AS dim_value,
    toStartOfFiveMinutes(s.start_time) AS bucket,
    sum(ifNull(s.cost_usd, toDecimal64(0, 10))) AS cost_usd,
    sum(s.input_tokens) AS input_tokens,
    sum(s.output_tokens) AS output_tokens,
    sum(s.cached_input_tokens) AS cached_input_tokens,
    sum(s.cache_write_tokens) AS cache_write_tokens,
    sum(s.reasoning_tokens) AS reasoning_tokens,
    count() AS spans,
    countIf(s.status = 'error') AS span_errors,
    countIf(dim.3) AS calls,
    countIf(dim.3 AND s.status = 'error') AS errors,
    countIf(s.is_llm_call) AS llm_calls,
    countIf(s.is_llm_call AND s.status = 'error') AS llm_errors,
    countIf(s.kind = 'tool' AND NOT (has(s.flags, 'mcp_server') AND s.parent_span_id != '')) AS tool_calls,
    countIf(s.kind = 'tool' AND NOT (has(s.flags, 'mcp_server') AND s.parent_span_id != '') AND s.status = 'error') AS tool_errors,
    countIf(s.parent_span_id = '') AS traces,
    countIf(s.is_llm_call AND s.is_unpriced) AS unpriced_calls,
    sumIf(s.input_tokens, s.is_llm_call AND s.is_unpriced) AS unpriced_input_tokens,
    sumIf(s.output_tokens, s.is_llm_call AND s.is_unpriced) AS unpriced_output_tokens,
    sumIf(ifNull(s.cost_usd, toDecimal64(0, 10)), s.is_llm_call AND s.cost_source != 'reported') AS rp_cost_usd,
    sumIf(toUInt64(greatest(toInt64(s.input_tokens) - toInt64(s.cached_input_tokens) - toInt64(s.cache_write_tokens), 0)),
          s.is_llm_call AND s.cost_source != 'reported') AS rp_uncached_input_tokens,
    sumIf(s.cached_input_tokens, s.is_llm_call AND s.cost_source != 'reported') AS rp_cached_input_tokens,
    sumIf(s.cache_write_tokens, s.is_llm_call AND s.cost_source != 'reported') AS rp_cache_write_tokens,
    sumIf(s.output_tokens, s.is_llm_call AND s.cost_source != 'reported') AS rp_output_tokens,
    quantilesTDigestStateIf(0.5, 0.95, 0.99)(s.duration_ms, dim.3) AS latency_ms
FROM spans AS s
ARRAY JOIN arrayFilter(d -> d.1 = 'total' OR d.2 != '', [
    ('total', '', s.parent_span_id = ''),
    ('model', if(s.is_llm_call, toString(s.model), ''), true),
    ('agent', toString(s.agent_name), s.kind = 'agent'),
    -- The server end of a traced MCP call (flag mcp_server, with its client span as parent) is the same call.
    ('tool', if(s.kind = 'tool' AND NOT (has(s.flags, 'mcp_server') AND s.parent_span_id != ''), toString(s.tool_name), ''), true),
    ('user', s.user_id, s.parent_span_id = ''),
    -- A release's unit of work is its agent invocations (a canary sub-agent is never a trace root),
    -- or the root span of a service without agent spans.
    ('release', toString(s.service_version), s.kind = 'agent' OR s.parent_span_id = ''),
    ('environment', toString(s.environment), s.kind = 'agent' OR s.parent_span_id = '')
]) AS dim
GROUP BY project_id, dim_type, dim_value, bucket;
