-- Scores (issue 14): a value attached to a trace, a span or a session, from the API, the SDK, a
-- human reviewer, an evaluator, CI, or an OpenTelemetry `gen_ai.evaluation.result` event.
-- Writers: apps/ingest/src/db/repositories/scores.ts (the only one).
--
-- One current row per score id (ReplacingMergeTree by `version`; readers use FINAL and skip
-- `is_deleted`). The client's id makes a write idempotent: a re-sent score with the same content
-- writes nothing; a changed one (a human edit) writes a newer version, and every version is also
-- appended to `score_history`. The target of an id never changes (the API answers 409), so the
-- sorting key, which starts with the trace, stays stable for an id.
--   value         numeric: the number; boolean: 1 or 0; categorical and errors: 0 (unused)
--   string_value  categorical: the label; numeric: an optional label; boolean: 'true' | 'false'
--   error         non-empty: the evaluation failed (no value); shown, never averaged
--   time          when the scored thing happened (the trace's start; a session score: when given)
--   release / agent / models: of what was scored, filled when written
CREATE TABLE IF NOT EXISTS scores
(
    project_id LowCardinality(String),
    trace_id String,
    score_id String,
    span_id String,
    session_id String,
    name LowCardinality(String),
    data_type LowCardinality(String),
    value Float64,
    string_value String,
    source LowCardinality(String),
    evaluator LowCardinality(String),
    evaluator_version String,
    comment String CODEC(ZSTD(3)),
    author String,
    error String CODEC(ZSTD(3)),
    release LowCardinality(String),
    agent LowCardinality(String),
    models Array(LowCardinality(String)),
    queue_id String,
    time DateTime64(3, 'UTC'),
    created_at DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC'),
    version UInt64,
    is_deleted UInt8 DEFAULT 0,
    INDEX idx_score_id score_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_session session_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_time time TYPE minmax GRANULARITY 1
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(time)
ORDER BY (project_id, trace_id, score_id)
SETTINGS non_replicated_deduplication_window = 10000, fsync_after_insert = 1, fsync_part_directory = 1;

-- Every version of every score (the first write, each edit, the deletion), for the history view.
CREATE TABLE IF NOT EXISTS score_history
(
    project_id LowCardinality(String),
    score_id String,
    version UInt64,
    data_type LowCardinality(String),
    value Float64,
    string_value String,
    comment String CODEC(ZSTD(3)),
    author String,
    error String CODEC(ZSTD(3)),
    is_deleted UInt8,
    changed_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree
ORDER BY (project_id, score_id, version)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1;

-- The project's rubric: what a score name means and which values it takes. Scores whose name has
-- a config are checked against it on write (wrong type or out of range: 400).
CREATE TABLE IF NOT EXISTS score_configs
(
    project_id LowCardinality(String),
    name String,
    config_json String,
    updated_at DateTime64(3, 'UTC'),
    is_deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (project_id, name);

-- Reference trajectories saved from good traces (the trajectory evaluators compare against them).
CREATE TABLE IF NOT EXISTS reference_trajectories
(
    project_id LowCardinality(String),
    id String,
    reference_json String CODEC(ZSTD(3)),
    updated_at DateTime64(3, 'UTC'),
    is_deleted UInt8 DEFAULT 0
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (project_id, id);
