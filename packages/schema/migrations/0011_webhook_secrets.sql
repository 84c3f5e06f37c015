-- Per-webhook signing secret, sealed with the server key (AES-256-GCM, apps/ingest/src/crypto/secret-box.ts);
-- never stored in clear. '' marks a webhook created before signing existed: delivered unsigned and
-- listed as `signed: false` until its secret is rotated.
ALTER TABLE alert_webhooks ADD COLUMN IF NOT EXISTS secret_sealed String DEFAULT '' AFTER url;
