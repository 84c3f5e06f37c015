/**
 * The catch-up a migration asks for by setting the resolver's `watermark` state (e.g. 0024, when the
 * rollups gained dimensions): every trace that received spans since then is resolved again, by the
 * leader, once. No watermark at all (a store from before the resolver) means every trace. Done, the
 * watermark says so, and no later leader repeats it.
 */
import type { ResolutionRepository } from '../db/repositories/resolution.js'
import type { Logger } from '../logger.js'

const WATERMARK = 'watermark'
const CAUGHT_UP = 'done'

export async function catchUp(
  repository: Pick<ResolutionRepository, 'readState' | 'writeState' | 'activeSince'>,
  resolveBatch: (projectId: string, traceIds: string[]) => Promise<void>,
  options: { batchSize: number; stopped: () => boolean; logger: Logger },
): Promise<void> {
  const since = (await repository.readState(WATERMARK)) ?? '1970-01-01 00:00:00.000'
  if (since === CAUGHT_UP) return
  let after = { projectId: '', traceId: '' }
  let total = 0
  for (;;) {
    const page = await repository.activeSince(since, after, options.batchSize)
    if (page.length === 0) break
    const byProject = new Map<string, Set<string>>()
    for (const { projectId, traceId } of page)
      byProject.set(projectId, (byProject.get(projectId) ?? new Set()).add(traceId))
    for (const [projectId, traceIds] of byProject) await resolveBatch(projectId, [...traceIds])
    total += page.length
    after = page[page.length - 1]!
    if (options.stopped()) return
  }
  await repository.writeState(WATERMARK, CAUGHT_UP)
  if (total > 0) options.logger.info('trace resolver caught up', { since, traces: total })
}
