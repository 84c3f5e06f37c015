-- Regression cases saved from traces, grouped in named suites per project, and the runs the CLI
-- reports for them. The case is stored whole as JSON text (its format is versioned by
-- `schemaVersion`); a delete is a newer row with is_deleted = 1 (ReplacingMergeTree keeps the latest).
CREATE TABLE IF NOT EXISTS regression_cases
(
    project_id String,
    case_id String,
    suite String,
    title String,
    source_trace_id String,
    agent String,
    case_json String,
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3),
    is_deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (project_id, case_id);

-- One row per run (one trace) of a case. Runs are kept after their case is deleted: history.
CREATE TABLE IF NOT EXISTS regression_runs
(
    project_id String,
    case_id String,
    run_id String,
    release String,
    verdict LowCardinality(String),
    trace_id String,
    started_at DateTime64(3, 'UTC'),
    duration_ms Float64,
    attempt UInt32,
    summary String,
    reported_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(reported_at)
ORDER BY (project_id, case_id, run_id);
