-- Anomalies found by the detector (apps/ingest/src/detect). One row per episode; every state change
-- writes the whole row again with a higher `version`, readers use FINAL. Alert state (confirmation,
-- hysteresis counters) lives in the detector's memory; only episodes are persisted.
CREATE TABLE IF NOT EXISTS anomalies
(
    project_id LowCardinality(String),
    id String,
    kind LowCardinality(String),
    dimension LowCardinality(String),
    value String,
    metric LowCardinality(String),
    started_at DateTime64(3, 'UTC'),
    last_seen_at DateTime64(3, 'UTC'),
    ended_at Nullable(DateTime64(3, 'UTC')),
    severity LowCardinality(String),
    observed Float64,
    expected Float64,
    score Float64,
    trace_ids Array(String),
    status LowCardinality(String),
    summary String,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, id);

-- Alert webhook targets per project; a delete is a tombstone row with is_deleted = true.
CREATE TABLE IF NOT EXISTS alert_webhooks
(
    project_id String,
    id String,
    url String,
    created_at DateTime64(3, 'UTC'),
    is_deleted Bool DEFAULT false,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, id);
