-- Evaluators, their runs, human review queues and CI evaluation-gate results (issue 14).
-- Writers: apps/ingest/src/db/repositories/{evaluators,review-queues,eval-runs}.ts.

-- Online evaluators per project (which traces, which evaluator, which score name); an edit writes
-- a newer row with a higher `version`, a delete one with is_deleted = 1.
CREATE TABLE IF NOT EXISTS evaluators
(
    project_id LowCardinality(String),
    id String,
    evaluator_json String,
    version UInt64,
    is_deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(version)
ORDER BY (project_id, id);

-- One row per evaluated trace and evaluator version: what went in, what came out, how long it
-- took, what it cost, and the score it wrote (or the error). The key makes a run idempotent: a
-- trace is evaluated once per evaluator version.
CREATE TABLE IF NOT EXISTS evaluator_runs
(
    project_id LowCardinality(String),
    evaluator_id String,
    evaluator_version UInt64,
    trace_id String,
    run_id String,
    started_at DateTime64(3, 'UTC'),
    latency_ms Float64,
    cost_usd Nullable(Float64),
    status LowCardinality(String),
    input String CODEC(ZSTD(3)),
    output String CODEC(ZSTD(3)),
    error String CODEC(ZSTD(3)),
    score_id String,
    judge_trace_id String,
    INDEX idx_started started_at TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(started_at)
ORDER BY (project_id, evaluator_id, evaluator_version, trace_id)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- Annotation queues and their items, fixed when the queue is built (from an explorer filter or an
-- anomaly's traces). Reviews are human scores carrying the queue's id.
CREATE TABLE IF NOT EXISTS review_queues
(
    project_id LowCardinality(String),
    id String,
    queue_json String,
    created_at DateTime64(3, 'UTC'),
    is_deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY (project_id, id);

CREATE TABLE IF NOT EXISTS review_items
(
    project_id LowCardinality(String),
    queue_id String,
    position UInt32,
    trace_id String
)
ENGINE = ReplacingMergeTree
ORDER BY (project_id, queue_id, position);

-- `sightline eval run` results per suite and release: the gate's verdict and the suite's metrics
-- with their intervals (the per-run values are `ci` scores on each run's trace).
CREATE TABLE IF NOT EXISTS eval_runs
(
    project_id LowCardinality(String),
    run_id String,
    suite String,
    release String,
    verdict LowCardinality(String),
    report_json String CODEC(ZSTD(3)),
    started_at DateTime64(3, 'UTC'),
    reported_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(reported_at)
ORDER BY (project_id, suite, run_id)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;
