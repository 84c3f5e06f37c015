import type { PriceOverride } from '@sightline/schema'
import type { Store } from '../client.js'
import { sql, str } from '../sql.js'

interface PriceRow {
  model: string
  effective_from: string
  input_per_mtok: number
  output_per_mtok: number
  cache_read_per_mtok: number | null
  cache_write_per_mtok: number | null
}

/** Prices travel as text so ClickHouse parses them straight into Decimal, never through a float. */
const decimal = (value: number) => sql`toDecimal128(${str(String(value))}, 10)`
const nullableDecimal = (value: number | null) => (value === null ? sql`NULL` : decimal(value))

/** Project price overrides; queries re-price with them (see priced-spans.ts). */
export class PriceOverrideRepository {
  /** Whether a project has any override, cached: every trace query asks. */
  private readonly hasAny = new Map<string, { value: boolean; expiresAt: number }>()

  constructor(private readonly store: Store) {}

  async list(projectId: string): Promise<PriceOverride[]> {
    const rows = await this.store.query<PriceRow>(sql`
      SELECT model, toString(effective_from) AS effective_from, input_per_mtok, output_per_mtok, cache_read_per_mtok,
        cache_write_per_mtok
      FROM model_prices FINAL WHERE project_id = ${str(projectId)} AND NOT is_deleted
      ORDER BY model, effective_from`)
    return rows.map((row) => ({
      model: row.model,
      effectiveFrom: `${row.effective_from.replace(' ', 'T')}Z`,
      inputPerMtok: Number(row.input_per_mtok),
      outputPerMtok: Number(row.output_per_mtok),
      cacheReadPerMtok: row.cache_read_per_mtok === null ? null : Number(row.cache_read_per_mtok),
      cacheWritePerMtok: row.cache_write_per_mtok === null ? null : Number(row.cache_write_per_mtok),
    }))
  }

  async put(projectId: string, override: PriceOverride): Promise<void> {
    await this.store.command(sql`
      INSERT INTO model_prices (project_id, model, effective_from, input_per_mtok, output_per_mtok, cache_read_per_mtok,
        cache_write_per_mtok, is_deleted)
      VALUES (${str(projectId)}, ${str(override.model)}, parseDateTime64BestEffort(${str(override.effectiveFrom)}, 3,
        'UTC'),
              ${decimal(override.inputPerMtok)}, ${decimal(override.outputPerMtok)},
              ${nullableDecimal(override.cacheReadPerMtok)}, ${nullableDecimal(override.cacheWritePerMtok)}, false)`)
    this.hasAny.delete(projectId)
  }

  async remove(projectId: string, model: string, effectiveFrom: string): Promise<void> {
    await this.store.command(sql`
      INSERT INTO model_prices (project_id, model, effective_from, input_per_mtok, output_per_mtok, is_deleted)
      VALUES (${str(projectId)}, ${str(model)}, parseDateTime64BestEffort(${str(effectiveFrom)}, 3, 'UTC'), 0, 0,
        true)`)
    this.hasAny.delete(projectId)
  }

  async hasOverrides(projectId: string): Promise<boolean> {
    const cached = this.hasAny.get(projectId)
    if (cached && cached.expiresAt > Date.now()) return cached.value
    const rows = await this.store.query<{ n: string }>(
      sql`SELECT count() AS n FROM model_prices FINAL WHERE project_id = ${str(projectId)} AND NOT is_deleted`,
    )
    const value = Number(rows[0]?.n ?? 0) > 0
    this.hasAny.set(projectId, { value, expiresAt: Date.now() + 30_000 })
    return value
  }
}
