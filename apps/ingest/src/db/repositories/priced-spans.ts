import { sql, str, type SqlFragment } from '../sql.js'

/**
 * The spans of one project, each seen once (FINAL: a retried span may still sit in two parts
 * before merges), with the cost re-priced by the project's price overrides.
 *
 * Overrides are applied at query time with an ASOF join on the span's start time, so setting a
 * price never rewrites spans. A cost the client reported wins over any price. When the project has
 * no overrides the join is left out: it is the common case and the join is not free at scale.
 */
export function pricedSpans(projectId: string, conditions: SqlFragment, hasOverrides: boolean, final = true): SqlFragment {
  // Without FINAL a span sent twice and not merged yet is seen twice: only for choosing which
  // traces make a page, whose totals are then computed with FINAL.
  const dedup = final ? sql`FINAL` : sql``
  if (!hasOverrides) {
    return sql`(SELECT *, cost_usd AS eff_cost, is_unpriced AS eff_unpriced
      FROM spans ${dedup} WHERE project_id = ${str(projectId)} AND ${conditions})`
  }
  return sql`(SELECT s.*,
      if(s.is_llm_call AND s.cost_source != 'reported' AND mp.model != '',
         toNullable(toDecimal128(
           (toDecimal128(greatest(toInt64(s.input_tokens) - toInt64(s.cached_input_tokens) - toInt64(s.cache_write_tokens), 0), 0) * mp.input_per_mtok
            + toDecimal128(s.cached_input_tokens, 0) * ifNull(mp.cache_read_per_mtok, mp.input_per_mtok)
            + toDecimal128(s.cache_write_tokens, 0) * ifNull(mp.cache_write_per_mtok, mp.input_per_mtok)
            + toDecimal128(s.output_tokens, 0) * mp.output_per_mtok) / 1000000, 10)),
         s.cost_usd) AS eff_cost,
      s.is_unpriced AND mp.model = '' AS eff_unpriced
    FROM spans AS s ${dedup}
    ASOF LEFT JOIN (
      SELECT model, toDateTime64(effective_from, 9, 'UTC') AS effective_from, input_per_mtok, output_per_mtok,
             cache_read_per_mtok, cache_write_per_mtok
      FROM model_prices FINAL
      WHERE project_id = ${str(projectId)} AND NOT is_deleted
    ) AS mp ON s.model = mp.model AND s.start_time >= mp.effective_from
    WHERE s.project_id = ${str(projectId)} AND ${conditions})`
}
