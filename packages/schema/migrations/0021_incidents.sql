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
