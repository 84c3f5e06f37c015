-- Console sessions. The cookie holds a random id; only its SHA-256 is stored (like api_keys), so
-- a copy of this table opens no session. A session keeps the hashes of the keys it was signed in
-- with, not their projects: a session reaches a project only while that key is not revoked.
-- Sign-out, a switch of project and an added key each write a newer row (ReplacingMergeTree
-- keeps the highest version); expired sessions are dropped a day after expiry.
CREATE TABLE IF NOT EXISTS console_sessions
(
    id_hash String,
    key_hashes Array(String),
    current_project String,
    created_at DateTime64(3, 'UTC'),
    expires_at DateTime64(3, 'UTC'),
    revoked Bool DEFAULT false,
    version UInt64
)
ENGINE = ReplacingMergeTree(version)
ORDER BY id_hash
TTL toDateTime(expires_at) + INTERVAL 1 DAY;
