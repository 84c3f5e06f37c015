/**
 * Where spans the store refuses go: never deleted, never silent. Rows are kept per project under
 * `<spool>/quarantine/<project_id>/<segment>.jsonl` (the segment's header line, then the refused
 * lines) with a sidecar `<segment>.json` naming each span and the reason; directories are 0700 and
 * files 0600 (they hold prompts). Each span is also indexed in the store for its project's API and
 * console, counted in /metrics by reason, and logged by id and reason only: rows are user data.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { QuarantineEntry, QuarantineRepository } from '../db/repositories/quarantine.js'
import type { Logger } from '../logger.js'
import type { Metrics } from '../metrics.js'
import { lineFields, type SegmentLayout } from './segment-format.js'

export interface RefusedRow {
  /** Line number in the segment, after the header (0-based). */
  index: number
  line: Buffer
  /** `NAME (code)` from store-refusal.ts, and its bare name for the metric label. */
  reason: string
  name: string
}

/** Project ids become directory names: anything but a plain id (no dots, no slashes) is filed apart. */
const PROJECT_ID = /^[A-Za-z0-9_-]{1,128}$/
const UNKNOWN_PROJECT = '_unknown'
const TRACE_ID = /^[0-9a-f]{32}$/
const SPAN_ID = /^[0-9a-f]{16}$/
/** How many span ids one log line names. */
const LOGGED_IDS = 20

export class Quarantine {
  constructor(
    private readonly dir: string,
    private readonly index: QuarantineRepository,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  /**
   * Keeps `rows` of segment `segmentId`. Idempotent: a segment replayed after a crash writes the
   * same files and index rows again, which replace the first ones.
   */
  async keep(
    segmentId: string,
    header: Buffer,
    layout: SegmentLayout | undefined,
    rows: readonly RefusedRow[],
  ): Promise<void> {
    const byProject = new Map<string, Array<RefusedRow & { traceId: string; spanId: string }>>()
    for (const row of rows) {
      const id = identify(row.line, layout)
      const list = byProject.get(id.projectId) ?? []
      list.push({ ...row, ...id })
      byProject.set(id.projectId, list)
    }
    const entries: QuarantineEntry[] = []
    for (const [projectId, list] of byProject) {
      await this.writeFiles(projectId, segmentId, header, list)
      for (const row of list)
        entries.push({ projectId, traceId: row.traceId, spanId: row.spanId, reason: row.reason, segment: segmentId })
      this.logger.error('the store refused spans; kept in quarantine', {
        segment: segmentId,
        project: projectId,
        spans: list.length,
        reasons: [...new Set(list.map((r) => r.reason))],
        spanIds: list.slice(0, LOGGED_IDS).map((r) => `${r.traceId}/${r.spanId}`),
      })
    }
    await this.index.record(entries)
    for (const row of rows) this.metrics.quarantinedSpans.inc({ reason: row.name })
  }

  private async writeFiles(
    projectId: string,
    segmentId: string,
    header: Buffer,
    rows: ReadonlyArray<RefusedRow & { traceId: string; spanId: string }>,
  ): Promise<void> {
    const dir = path.join(this.dir, projectId)
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 })
    // mkdir's mode is filtered by the umask and not applied to directories that already exist.
    await fs.promises.chmod(this.dir, 0o700)
    await fs.promises.chmod(dir, 0o700)
    const lines = rows.map((r) => (r.line.at(-1) === 0x0a ? r.line : Buffer.concat([r.line, Buffer.from('\n')])))
    await writeDurably(path.join(dir, `${segmentId}.jsonl`), Buffer.concat([header, ...lines]))
    const sidecar = {
      segment: segmentId,
      quarantinedAt: new Date().toISOString(),
      spans: rows.map((r) => ({ line: r.index, traceId: r.traceId, spanId: r.spanId, reason: r.reason })),
    }
    await writeDurably(path.join(dir, `${segmentId}.json`), Buffer.from(`${JSON.stringify(sidecar, null, 1)}\n`))
    const handle = await fs.promises.open(dir, 'r')
    await handle.sync().finally(() => handle.close())
  }
}

async function writeDurably(file: string, data: Buffer): Promise<void> {
  const handle = await fs.promises.open(file, 'w', 0o600)
  try {
    await handle.chmod(0o600)
    await handle.writeFile(data)
    await handle.datasync()
  } finally {
    await handle.close()
  }
}

/** The project and ids of a spooled line, in its segment's layout (unknown: an unreadable segment). */
function identify(
  line: Buffer,
  layout: SegmentLayout | undefined,
): { projectId: string; traceId: string; spanId: string } {
  const text = line.toString('utf8').replace(/\n$/, '')
  const fields = layout ? lineFields(layout, text, ['project_id', 'trace_id', 'span_id']) : {}
  const pick = (key: string, pattern: RegExp) => {
    const value = fields[key]
    return typeof value === 'string' && pattern.test(value) ? value : ''
  }
  return {
    projectId: pick('project_id', PROJECT_ID) || UNKNOWN_PROJECT,
    traceId: pick('trace_id', TRACE_ID),
    spanId: pick('span_id', SPAN_ID),
  }
}
