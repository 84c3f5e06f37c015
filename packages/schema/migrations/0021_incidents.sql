-- Incidents (apps/ingest/src/detect/incidents): the detector's findings (`anomalies` rows) that
-- belong together, grouped into one row people act on (acknowledge, snooze, resolve) and alerts are
-- sent for. One row per incident; every change writes the whole row again with a higher `version`,
-- readers use FINAL (incidents are few: one per event, not one per trace). `alerted_severity` is the
-- alert state that survives a restart: an incident is announced once, escalated once per severity
-- step, and its recovery is announced only if its opening was.
CREATE TABLE IF NOT EXISTS incidents
(
    project_id LowCardinality(String),
    id String,
    group_key String,
    family LowCardinality(String),
    families Array(LowCardinality(String)),
    title String,
    explanation String,
    status LowCardinality(String),
    resolution LowCardinality(String),
    signal LowCardinality(String),
    severity LowCardinality(String),
    severity_score Float64,
    scope_agent String,
    scope_tool String,
    scope_model String,
    scope_release String,
    kind LowCardinality(String),
    dimension LowCardinality(String),
    value String,
    metric LowCardinality(String),
    metrics Array(LowCardinality(String)),
    observed Float64,
    expected Float64,
    first_seen_at DateTime64(3, 'UTC'),
    opened_at DateTime64(3, 'UTC'),
    last_seen_at DateTime64(3, 'UTC'),
    recovered_at Nullable(DateTime64(3, 'UTC')),
    resolved_at Nullable(DateTime64(3, 'UTC')),
    acknowledged_at Nullable(DateTime64(3, 'UTC')),
    snoozed_until Nullable(DateTime64(3, 'UTC')),
    findings UInt32,
    trace_count UInt64,
    trace_ids Array(String),
    alerted_severity LowCardinality(String),
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, id);

-- Each finding names the incident it was grouped into ('' for findings from before incidents), and
-- the series detector that found it (`fast`, `cusum`, `hourly`, `coldstart`; '' for trace and
-- release findings), so a restart resumes an open episode in the detector it came from.
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS incident_id String DEFAULT '';
ALTER TABLE anomalies ADD COLUMN IF NOT EXISTS tier LowCardinality(String) DEFAULT '';

-- Minute rollups for the cold-start tier (apps/ingest/src/detect/cold-start*.ts): what a young
-- series did each minute of the last hours, with what its noise floor needs (Σ of squared per-trace
-- values) and its failures counted per trace (a retry storm in one trace counts once). Fed from
-- `traces` like agg_5m (signed, so a re-resolved trace counts once; `first_start` is a min, which a
-- re-resolution leaves unchanged since the trace keeps its start); users are left out, as the tier
-- leaves them to the seasonal one. Kept two days after their last write (`inserted_at`, not the
-- minute itself, so a backfill of old traces is not dropped on arrival): the tier looks back 3 hours.
CREATE TABLE IF NOT EXISTS agg_1m
(
    project_id LowCardinality(String),
    dim_type LowCardinality(String),
    dim_value String,
    minute DateTime('UTC'),
    first_start SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
    cost_usd SimpleAggregateFunction(sum, Float64),
    cost_sq SimpleAggregateFunction(sum, Float64),
    tokens SimpleAggregateFunction(sum, Int64),
    tokens_sq SimpleAggregateFunction(sum, Float64),
    units SimpleAggregateFunction(sum, Int64),
    unit_failures SimpleAggregateFunction(sum, Int64),
    traces_with SimpleAggregateFunction(sum, Int64),
    traces_failed SimpleAggregateFunction(sum, Int64),
    latency SimpleAggregateFunction(sumMap, Tuple(Array(UInt16), Array(Int64))),
    inserted_at SimpleAggregateFunction(max, DateTime('UTC'))
)
ENGINE = AggregatingMergeTree
PARTITION BY toYYYYMMDD(minute)
ORDER BY (project_id, dim_type, dim_value, minute)
TTL inserted_at + INTERVAL 2 DAY
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

CREATE MATERIALIZED VIEW IF NOT EXISTS agg_1m_mv TO agg_1m AS
SELECT
    t.project_id AS project_id,
    c.dim_type AS dim_type,
    c.dim_value AS dim_value,
    toStartOfMinute(t.start_time) AS minute,
    min(toDateTime64(t.start_time, 3, 'UTC')) AS first_start,
    sum(toFloat64(c.cost_usd) * t.sign) AS cost_usd,
    sum(pow(toFloat64(c.cost_usd), 2) * t.sign) AS cost_sq,
    sum((c.input_tokens + c.output_tokens) * t.sign) AS tokens,
    sum(pow(toFloat64(c.input_tokens + c.output_tokens), 2) * t.sign) AS tokens_sq,
    sum(c.units * t.sign) AS units,
    sum(c.unit_failures * t.sign) AS unit_failures,
    sum((c.units > 0) * t.sign) AS traces_with,
    sum((c.unit_failures > 0) * t.sign) AS traces_failed,
    sumMap(c.lat_buckets, arrayMap(n -> n * t.sign, c.lat_counts)) AS latency,
    max(now('UTC')) AS inserted_at
FROM traces AS t
ARRAY JOIN t.contributions AS c
WHERE c.dim_type NOT IN ('agent_release', 'user')
GROUP BY project_id, dim_type, dim_value, minute;
