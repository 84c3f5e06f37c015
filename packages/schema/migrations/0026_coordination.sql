-- Several ingest replicas on one store (apps/ingest/src/coordination, src/resolve).
--
-- (The leases of singleton jobs are a bootstrap table like schema_migrations: apps/ingest/src/db/migrate.ts.)

-- Traces with newly stored spans, by the store's time of the insert (not the spans' ingestion time:
-- a replica replaying its spool after a restart inserts spans acknowledged long before). The
-- resolver's leader follows this queue, so spans stored through any replica are resolved once.
-- A changed price queues the traces it affects with reason 'reprice' (the leader then drops its
-- cached prices of that project first). The rest of the product never reads it.
CREATE TABLE IF NOT EXISTS resolve_queue
(
    inserted_at DateTime64(3, 'UTC'),
    project_id LowCardinality(String),
    trace_id String,
    reason LowCardinality(String) DEFAULT ''
)
ENGINE = MergeTree
ORDER BY (inserted_at, project_id, trace_id)
TTL toDateTime(inserted_at) + INTERVAL 7 DAY;

CREATE MATERIALIZED VIEW IF NOT EXISTS resolve_queue_mv TO resolve_queue AS
SELECT now64(3) AS inserted_at, project_id, trace_id
FROM spans
GROUP BY project_id, trace_id;
