-- A score can arrive before its trace's root span (a user's thumbs-up sent while the exporter still
-- holds the root): its release, agent and models are then those of the spans stored so far, a
-- provisional answer. `target_settled = 0` marks it; when the resolver next resolves that trace with
-- its root (or settles it without one), apps/ingest/src/eval/score-targets.ts writes the score again
-- with the root's release, agent and models and `target_settled = 1`. Rows written before this
-- migration are taken as settled.
ALTER TABLE scores ADD COLUMN IF NOT EXISTS target_settled UInt8 DEFAULT 1;
