-- Trace-id lookup (the idea of the OTel ClickHouse exporter's *_trace_id_ts table): the spans table
-- is ordered by time first, so opening a trace by id first reads its time bounds here, then prunes
-- the spans table to those hours.
CREATE TABLE IF NOT EXISTS trace_index
(
    project_id LowCardinality(String),
    trace_id String,
    start_min SimpleAggregateFunction(min, DateTime64(9, 'UTC')),
    start_max SimpleAggregateFunction(max, DateTime64(9, 'UTC'))
)
ENGINE = AggregatingMergeTree
ORDER BY (project_id, trace_id);

CREATE MATERIALIZED VIEW IF NOT EXISTS trace_index_mv TO trace_index AS
SELECT project_id, trace_id, min(start_time) AS start_min, max(start_time) AS start_max
FROM spans
GROUP BY project_id, trace_id;
