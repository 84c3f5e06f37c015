/**
 * Small per-project JSON documents kept in ReplacingMergeTree tables (score configs, reference
 * trajectories, evaluators, review queues): the latest row per (project, key) wins, a delete is a
 * newer row marked deleted. The caller parses the JSON with its contract schema.
 */
import type { Store } from '../client.js'
import { chTime, ident, sql, str, u64 } from '../sql.js'

const TABLES = ['score_configs', 'reference_trajectories', 'evaluators', 'review_queues'] as const
type DocTable = (typeof TABLES)[number]

/** Per table: the key column, the JSON column and the version column. */
const LAYOUT: Record<DocTable, { key: string; json: string; version: string; versionIsTime: boolean }> = {
  score_configs: { key: 'name', json: 'config_json', version: 'updated_at', versionIsTime: true },
  reference_trajectories: { key: 'id', json: 'reference_json', version: 'updated_at', versionIsTime: true },
  evaluators: { key: 'id', json: 'evaluator_json', version: 'version', versionIsTime: false },
  review_queues: { key: 'id', json: 'queue_json', version: 'created_at', versionIsTime: true },
}
const COLUMN_NAMES = [
  'name',
  'id',
  'config_json',
  'reference_json',
  'evaluator_json',
  'queue_json',
  'updated_at',
  'version',
  'created_at',
] as const

/** Strictly increasing per process, so two writes in one millisecond still order. */
let last = 0
export function nextVersionMs(): number {
  last = Math.max(Date.now(), last + 1)
  return last
}

export class JsonDocuments {
  private readonly layout: (typeof LAYOUT)[DocTable]

  constructor(
    private readonly store: Store,
    private readonly table: DocTable,
  ) {
    this.layout = LAYOUT[table]
  }

  async list(projectId: string, limit = 10_000): Promise<Array<{ key: string; json: string }>> {
    const { key, json } = this.columns()
    const rows = await this.store.query<{ k: string; j: string }>(sql`
      SELECT ${key} AS k, ${json} AS j FROM ${ident(this.table, TABLES)} FINAL
      WHERE project_id = ${str(projectId)} AND is_deleted = 0 ORDER BY k LIMIT ${u64(limit)}`)
    return rows.map((r) => ({ key: r.k, json: r.j }))
  }

  async get(projectId: string, id: string): Promise<string | undefined> {
    const latest = await this.latest(projectId, id)
    return latest && !latest.isDeleted ? latest.json : undefined
  }

  /** The latest row, deleted or not (a deleted document keeps its last JSON). */
  async latest(projectId: string, id: string): Promise<{ json: string; isDeleted: boolean } | undefined> {
    const { key, json } = this.columns()
    const rows = await this.store.query<{ j: string; is_deleted: number }>(sql`
      SELECT ${json} AS j, is_deleted FROM ${ident(this.table, TABLES)} FINAL
      WHERE project_id = ${str(projectId)} AND ${key} = ${str(id)} LIMIT 1`)
    const row = rows[0]
    return row && { json: row.j, isDeleted: Number(row.is_deleted) === 1 }
  }

  async put(projectId: string, id: string, jsonText: string): Promise<void> {
    await this.write(projectId, id, jsonText, 0)
  }

  /** Marks the document deleted, keeping its last JSON. */
  async delete(projectId: string, id: string, lastJson = ''): Promise<void> {
    await this.write(projectId, id, lastJson, 1)
  }

  private async write(projectId: string, id: string, jsonText: string, isDeleted: number): Promise<void> {
    const l = this.layout
    const row: Record<string, unknown> = {
      project_id: projectId,
      [l.key]: id,
      [l.json]: jsonText,
      is_deleted: isDeleted,
    }
    row[l.version] = l.versionIsTime ? chTime(nextVersionMs()) : nextVersionMs()
    await this.store.insertJsonEachRow(
      this.table,
      Buffer.from(JSON.stringify(row)),
      `${this.table}:${projectId}:${id}:${String(row[l.version])}`,
    )
  }

  private columns() {
    return { key: ident(this.layout.key, COLUMN_NAMES), json: ident(this.layout.json, COLUMN_NAMES) }
  }
}
