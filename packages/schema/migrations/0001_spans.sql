-- One wide, immutable row per span (Langfuse v4's shape). Ordered by project, hour, trace so that
-- opening a trace and aggregating a time range both prune well. ReplacingMergeTree on the ordering
-- key drops a span sent twice (exporters retry after time-outs); readers use FINAL until merges catch up.
CREATE TABLE IF NOT EXISTS spans
(
    project_id LowCardinality(String),
    trace_id String CODEC(ZSTD(1)),
    span_id String CODEC(ZSTD(1)),
    parent_span_id String CODEC(ZSTD(1)),
    trace_state String CODEC(ZSTD(1)),
    name LowCardinality(String),
    kind LowCardinality(String),
    otel_kind UInt8,
    start_time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    end_time DateTime64(9, 'UTC') CODEC(Delta, ZSTD(1)),
    duration_ms Float64,
    status LowCardinality(String),
    status_message String CODEC(ZSTD(3)),
    error_type LowCardinality(String),
    service_name LowCardinality(String),
    service_version LowCardinality(String),
    environment LowCardinality(String),
    scope_name LowCardinality(String),
    scope_version LowCardinality(String),
    agent_name LowCardinality(String),
    operation LowCardinality(String),
    model LowCardinality(String),
    provider LowCardinality(String),
    is_llm_call Bool,
    input_tokens UInt64,
    output_tokens UInt64,
    cached_input_tokens UInt64,
    cache_write_tokens UInt64,
    reasoning_tokens UInt64,
    cost_usd Nullable(Decimal(18, 10)),
    cost_source LowCardinality(String),
    is_unpriced Bool,
    tool_name LowCardinality(String),
    tool_call_id String CODEC(ZSTD(1)),
    tool_arguments String CODEC(ZSTD(3)),
    tool_result String CODEC(ZSTD(3)),
    input String CODEC(ZSTD(3)),
    output String CODEC(ZSTD(3)),
    session_id String CODEC(ZSTD(1)),
    user_id String CODEC(ZSTD(1)),
    attributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    resource_attributes Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    events String CODEC(ZSTD(3)),
    links String CODEC(ZSTD(3)),
    flags Array(LowCardinality(String)),
    ingested_at DateTime64(3, 'UTC') DEFAULT now64(3),
    INDEX idx_trace_id trace_id TYPE bloom_filter(0.001) GRANULARITY 1,
    INDEX idx_session_id session_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_user_id user_id TYPE bloom_filter(0.01) GRANULARITY 1,
    INDEX idx_input input TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000,
    INDEX idx_output output TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000
)
ENGINE = ReplacingMergeTree(ingested_at)
PARTITION BY toYYYYMM(start_time)
ORDER BY (project_id, toStartOfHour(start_time), trace_id, span_id)
-- Replayed spool segments carry their segment id as insert_deduplication_token, so a segment that
-- was stored just before a crash is not stored twice (and materialised views do not count it twice).
SETTINGS non_replicated_deduplication_window = 10000;
