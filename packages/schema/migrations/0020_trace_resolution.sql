-- Trace resolution (apps/ingest/src/resolve, packages/core/src/trace). Spans stay as they arrived;
-- what needs the whole trace (the agent of every span, which spans are the counted calls, the
-- outcome, the summary) is decided by the resolver after a trace's spans arrive, in any order and in
-- any number of requests, and stored in `traces`. Rollups are fed from `traces`, never from spans.

-- Span-local facts the resolver reads without touching payloads.
ALTER TABLE spans ADD COLUMN IF NOT EXISTS input_preview String CODEC(ZSTD(3));
ALTER TABLE spans ADD COLUMN IF NOT EXISTS output_preview String CODEC(ZSTD(3));
ALTER TABLE spans ADD COLUMN IF NOT EXISTS tool_args_key String CODEC(ZSTD(1));
ALTER TABLE spans ADD COLUMN IF NOT EXISTS reported_tool_errors Array(String) CODEC(ZSTD(1));

-- When a trace last received spans: the resolver's durable work queue after a restart.
DROP VIEW IF EXISTS trace_index_mv;
ALTER TABLE trace_index ADD COLUMN IF NOT EXISTS last_ingested SimpleAggregateFunction(max, DateTime64(3, 'UTC'));
CREATE MATERIALIZED VIEW IF NOT EXISTS trace_index_mv TO trace_index AS
SELECT project_id, trace_id, min(start_time) AS start_min, max(start_time) AS start_max, max(ingested_at) AS last_ingested
FROM spans
GROUP BY project_id, trace_id;

-- One row per trace state. A re-resolution inserts, in one block, the previous row with sign -1 (it
-- cancels) and the new row with sign +1 and a higher version: readers use FINAL (bounded by time),
-- and the rollup view below sums `value * sign`, so a trace re-resolved any number of times is
-- counted exactly once, in its latest state. `contributions` is what the trace adds to the rollups
-- (packages/core/src/trace/contributions.ts), one entry per dimension value.
CREATE TABLE IF NOT EXISTS traces
(
    project_id LowCardinality(String),
    trace_id String CODEC(ZSTD(1)),
    start_time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    end_time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    duration_ms Float64,
    version UInt64,
    sign Int8,
    content_hash String,
    resolved_at DateTime64(3, 'UTC'),
    last_ingested DateTime64(3, 'UTC'),
    root_span_id String,
    name String CODEC(ZSTD(1)),
    outcome LowCardinality(String),
    failure_reason String CODEC(ZSTD(3)),
    failure_span_id String,
    first_error_span_id String,
    first_error String CODEC(ZSTD(3)),
    tags Array(LowCardinality(String)),
    loops String CODEC(ZSTD(3)),
    input_preview String CODEC(ZSTD(3)),
    output_preview String CODEC(ZSTD(3)),
    root_agent LowCardinality(String),
    root_service LowCardinality(String),
    agents Array(LowCardinality(String)),
    models Array(LowCardinality(String)),
    tools Array(LowCardinality(String)),
    services Array(LowCardinality(String)),
    releases Array(LowCardinality(String)),
    environments Array(LowCardinality(String)),
    session_id String CODEC(ZSTD(1)),
    user_id String CODEC(ZSTD(1)),
    span_count UInt32,
    llm_calls UInt32,
    tool_calls UInt32,
    tool_errors UInt32,
    delegations UInt32,
    agent_invocations UInt32,
    error_spans UInt32,
    input_tokens UInt64,
    output_tokens UInt64,
    cached_input_tokens UInt64,
    cache_write_tokens UInt64,
    reasoning_tokens UInt64,
    cost_usd Nullable(Decimal(18, 10)),
    unpriced_calls UInt32,
    is_regression_run Bool,
    contributions Nested
    (
        dim_type LowCardinality(String),
        dim_value String,
        cost_usd Decimal(18, 10),
        input_tokens Int64,
        output_tokens Int64,
        cached_input_tokens Int64,
        cache_write_tokens Int64,
        reasoning_tokens Int64,
        llm_calls Int64,
        llm_errors Int64,
        unpriced_calls Int64,
        unpriced_input_tokens Int64,
        unpriced_output_tokens Int64,
        tool_calls Int64,
        tool_errors Int64,
        delegations Int64,
        units Int64,
        unit_failures Int64,
        unit_recovered Int64,
        traces Int64,
        spans Int64,
        lat_buckets Array(UInt16),
        lat_counts Array(Int64)
    ),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_outcome outcome TYPE set(8) GRANULARITY 4
)
ENGINE = VersionedCollapsingMergeTree(sign, version)
PARTITION BY toYYYYMM(start_time)
ORDER BY (project_id, toStartOfHour(start_time), trace_id)
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

-- The rollups, rebuilt on resolved data (the earlier ones counted spans at insert time, so a span
-- sent again after a restart was counted twice and agents depended on exporter batching). They are
-- refilled by re-resolving every stored trace (the resolver's catch-up on first start).
--
-- CONTRACT (readers: apps/ingest/src/db/repositories/analytics*.ts, src/detect/):
--   key        (project_id, dim_type, dim_value, bucket); bucket = the trace's start, 5 minutes
--   dim_type   total | agent | model | tool | user | service | release | environment |
--              agent_release (value: agent, NUL, release; for comparing an agent's releases)
--   dim_value  '' on total; '' elsewhere = unattributed (the split of every dimension adds up)
--   every number is a signed sum (a re-resolved trace takes its earlier contribution back): read
--   them with sum(col) after GROUP BY, never unmerged rows; rows whose sums are all 0 are leftovers
--   of retracted contributions.
--   units / unit_failures / unit_recovered: traces (total, user), agent invocations (agent,
--   service, release, environment), model calls (model), tool calls (tool); failures use the trace outcome
--   definition of packages/core/src/trace/failures.ts.
--   latency    the units' durations as log-bucket counts (packages/core/src/stats/latency-histogram.ts):
--              (sumMap keys, counts); quantiles are read with the same module.
DROP VIEW IF EXISTS agg_1h_mv;
DROP VIEW IF EXISTS agg_5m_mv;
DROP TABLE IF EXISTS agg_1h;
DROP TABLE IF EXISTS agg_5m;

CREATE TABLE IF NOT EXISTS agg_5m
(
    project_id LowCardinality(String),
    dim_type LowCardinality(String),
    dim_value String,
    bucket DateTime('UTC'),
    cost_usd SimpleAggregateFunction(sum, Decimal(38, 10)),
    input_tokens SimpleAggregateFunction(sum, Int64),
    output_tokens SimpleAggregateFunction(sum, Int64),
    cached_input_tokens SimpleAggregateFunction(sum, Int64),
    cache_write_tokens SimpleAggregateFunction(sum, Int64),
    reasoning_tokens SimpleAggregateFunction(sum, Int64),
    llm_calls SimpleAggregateFunction(sum, Int64),
    llm_errors SimpleAggregateFunction(sum, Int64),
    unpriced_calls SimpleAggregateFunction(sum, Int64),
    unpriced_input_tokens SimpleAggregateFunction(sum, Int64),
    unpriced_output_tokens SimpleAggregateFunction(sum, Int64),
    tool_calls SimpleAggregateFunction(sum, Int64),
    tool_errors SimpleAggregateFunction(sum, Int64),
    delegations SimpleAggregateFunction(sum, Int64),
    units SimpleAggregateFunction(sum, Int64),
    unit_failures SimpleAggregateFunction(sum, Int64),
    unit_recovered SimpleAggregateFunction(sum, Int64),
    traces SimpleAggregateFunction(sum, Int64),
    spans SimpleAggregateFunction(sum, Int64),
    latency SimpleAggregateFunction(sumMap, Tuple(Array(UInt16), Array(Int64)))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMM(bucket)
ORDER BY (project_id, dim_type, dim_value, bucket)
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS agg_5m_mv TO agg_5m AS
SELECT
    t.project_id AS project_id,
    c.dim_type AS dim_type,
    c.dim_value AS dim_value,
    toStartOfFiveMinutes(t.start_time) AS bucket,
    sum(c.cost_usd * t.sign) AS cost_usd,
    sum(c.input_tokens * t.sign) AS input_tokens,
    sum(c.output_tokens * t.sign) AS output_tokens,
    sum(c.cached_input_tokens * t.sign) AS cached_input_tokens,
    sum(c.cache_write_tokens * t.sign) AS cache_write_tokens,
    sum(c.reasoning_tokens * t.sign) AS reasoning_tokens,
    sum(c.llm_calls * t.sign) AS llm_calls,
    sum(c.llm_errors * t.sign) AS llm_errors,
    sum(c.unpriced_calls * t.sign) AS unpriced_calls,
    sum(c.unpriced_input_tokens * t.sign) AS unpriced_input_tokens,
    sum(c.unpriced_output_tokens * t.sign) AS unpriced_output_tokens,
    sum(c.tool_calls * t.sign) AS tool_calls,
    sum(c.tool_errors * t.sign) AS tool_errors,
    sum(c.delegations * t.sign) AS delegations,
    sum(c.units * t.sign) AS units,
    sum(c.unit_failures * t.sign) AS unit_failures,
    sum(c.unit_recovered * t.sign) AS unit_recovered,
    sum(c.traces * t.sign) AS traces,
    sum(c.spans * t.sign) AS spans,
    sumMap(c.lat_buckets, arrayMap(n -> n * t.sign, c.lat_counts)) AS latency
FROM traces AS t
ARRAY JOIN t.contributions AS c
GROUP BY project_id, dim_type, dim_value, bucket;

-- Hourly rollups: the same columns and contract, filled from agg_5m's inserts (so they see exactly
-- what agg_5m sees, deduplication included). Series with a 1h or 1d step read them.
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
    sum(a.llm_calls) AS llm_calls,
    sum(a.llm_errors) AS llm_errors,
    sum(a.unpriced_calls) AS unpriced_calls,
    sum(a.unpriced_input_tokens) AS unpriced_input_tokens,
    sum(a.unpriced_output_tokens) AS unpriced_output_tokens,
    sum(a.tool_calls) AS tool_calls,
    sum(a.tool_errors) AS tool_errors,
    sum(a.delegations) AS delegations,
    sum(a.units) AS units,
    sum(a.unit_failures) AS unit_failures,
    sum(a.unit_recovered) AS unit_recovered,
    sum(a.traces) AS traces,
    sum(a.spans) AS spans,
    sumMap(a.latency) AS latency
FROM agg_5m AS a
GROUP BY project_id, dim_type, dim_value, bucket;

-- The resolver's durable progress: every trace that received spans before `watermark` is resolved.
CREATE TABLE IF NOT EXISTS resolver_state
(
    name String,
    value String,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY name;
