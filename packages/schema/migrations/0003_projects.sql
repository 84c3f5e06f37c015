-- Projects and their API keys. Only a SHA-256 of each key is stored: keys are 32 random bytes,
-- so a fast hash is enough (no dictionary to attack) and lookups stay O(1).
CREATE TABLE IF NOT EXISTS projects
(
    id String,
    name String,
    created_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(created_at)
ORDER BY id;

CREATE TABLE IF NOT EXISTS api_keys
(
    key_hash String,
    project_id String,
    key_prefix String,
    name String,
    created_at DateTime64(3, 'UTC') DEFAULT now64(3),
    revoked Bool DEFAULT false,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY key_hash;
