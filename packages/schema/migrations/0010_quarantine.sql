-- Spans the store refused, one row each, so their project can see them (GET /api/v1/quarantine,
-- the console's notice). The rows themselves are kept on disk under
-- $SIGHTLINE_DATA_DIR/spool/quarantine/<project_id>/. Every value written here is ours or checked
-- (hex ids, a project id from the spool, an error name), so this insert can never be refused in turn.
-- A segment replayed after a crash writes the same rows again: the key collapses them.
CREATE TABLE IF NOT EXISTS quarantined_spans
(
    project_id String,
    trace_id String,
    span_id String,
    reason LowCardinality(String),
    segment String,
    quarantined_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(quarantined_at)
ORDER BY (project_id, segment, trace_id, span_id);
