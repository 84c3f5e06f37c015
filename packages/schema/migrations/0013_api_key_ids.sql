-- A stable id per key, so an operator can list and revoke keys without holding them. Keys made
-- before this migration get an id derived from their hash (computed on read, so the same id every
-- time); newer keys get the same rule. The hash of a random 256-bit key gives nothing away.
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS id String DEFAULT concat('k_', substring(key_hash, 1, 16));
ALTER TABLE api_keys ADD COLUMN IF NOT EXISTS revoked_at Nullable(DateTime64(3, 'UTC'));
