-- Text search (`q=` on the trace list) without scanning the text: every column the search reads gets a
-- text (inverted) index like the ones 0001 put on `input` and `output`. On chDB 26.7 an
-- `ILIKE '%word%'` over an indexed column is answered from the index's token dictionary (a
-- dictionary scan, `use_text_index_like_evaluation_by_dictionary_scan`, on by default) instead of
-- reading the column, and a part whose dictionary holds no matching token is skipped altogether.
-- Patterns the dictionary cannot answer (shorter than 4 characters, or spanning a separator such
-- as a space) are still evaluated exactly on the column: the index never changes a result.
-- Measured on the 200k-span bench data (BENCHMARKS.md, "Text search"): ngrambf_v1 over
-- lowerUTF8(input) skipped 1 granule of 33 for a word in one span of 900 and made every search pay for
-- lowerUTF8 over the whole column; these indexes cut the bytes a search reads by 57% and skip every
-- part for a word no row holds.
ALTER TABLE spans ADD INDEX IF NOT EXISTS idx_name name TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000;
ALTER TABLE spans ADD INDEX IF NOT EXISTS idx_status_message status_message TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000;
ALTER TABLE spans ADD INDEX IF NOT EXISTS idx_tool_arguments tool_arguments TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000;
ALTER TABLE spans ADD INDEX IF NOT EXISTS idx_tool_result tool_result TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000;
ALTER TABLE traces ADD INDEX IF NOT EXISTS idx_name name TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000;
ALTER TABLE traces ADD INDEX IF NOT EXISTS idx_input_preview input_preview TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000;
ALTER TABLE traces ADD INDEX IF NOT EXISTS idx_output_preview output_preview TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000;
ALTER TABLE traces ADD INDEX IF NOT EXISTS idx_failure_reason failure_reason TYPE text(tokenizer = splitByNonAlpha) GRANULARITY 100000000;
-- Parts written before this migration get the indexes by a mutation in the background; until a part
-- has them it is searched by reading the column, as before.
ALTER TABLE spans MATERIALIZE INDEX idx_name;
ALTER TABLE spans MATERIALIZE INDEX idx_status_message;
ALTER TABLE spans MATERIALIZE INDEX idx_tool_arguments;
ALTER TABLE spans MATERIALIZE INDEX idx_tool_result;
ALTER TABLE traces MATERIALIZE INDEX idx_name;
ALTER TABLE traces MATERIALIZE INDEX idx_input_preview;
ALTER TABLE traces MATERIALIZE INDEX idx_output_preview;
ALTER TABLE traces MATERIALIZE INDEX idx_failure_reason;
