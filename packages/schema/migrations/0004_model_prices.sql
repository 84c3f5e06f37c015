-- Project-level price overrides with effective dates. Spans are never rewritten: queries re-price
-- LLM spans with the override in force at each span's start time (ASOF join on effective_from).
CREATE TABLE IF NOT EXISTS model_prices
(
    project_id String,
    model String,
    effective_from DateTime64(3, 'UTC'),
    -- Decimals, so that re-priced costs add up exactly (no float noise in a bill).
    input_per_mtok Decimal(18, 10),
    output_per_mtok Decimal(18, 10),
    cache_read_per_mtok Nullable(Decimal(18, 10)),
    cache_write_per_mtok Nullable(Decimal(18, 10)),
    is_deleted Bool DEFAULT false,
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(updated_at)
ORDER BY (project_id, model, effective_from);
