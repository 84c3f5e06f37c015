-- The writer deletes a spool segment once its insert returns, so the parts that insert wrote must
-- be on disk by then, not only in the page cache: otherwise a power loss after the delete would
-- lose acknowledged spans. Every table an ingest insert writes (spans and the views' targets)
-- fsyncs its new parts and their directories before the insert returns.
-- It also keeps the page cache from holding a second of unflushed parts, which made the spool's
-- own fdatasync wait behind their writeback (BENCHMARKS.md, "What changed on 2026-12-04", step 5).
ALTER TABLE spans MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1;
ALTER TABLE trace_index MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1;
ALTER TABLE agg_5m MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1;
ALTER TABLE agg_1h MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1;
