/**
 * Review queues (`review_queues`, one JSON document each) and their items (`review_items`, fixed
 * when the queue is built), plus the summaries of the queued traces the review screen lists.
 */
import { ReviewQueueSchema, type ReviewQueue, type TraceOutcome } from '@sightline/schema'
import { chTimeToIso } from '@sightline/schema'
import type { Store } from '../client.js'
import { sql, str, strArray, u64 } from '../sql.js'
import { JsonDocuments } from './json-documents.js'

export interface QueuedTrace {
  traceId: string
  name: string
  outcome: TraceOutcome
  failureReason: string
  startTime: string
}

export class ReviewQueueRepository {
  private readonly docs: JsonDocuments

  constructor(private readonly store: Store) {
    this.docs = new JsonDocuments(store, 'review_queues')
  }

  async create(projectId: string, queue: ReviewQueue, traceIds: readonly string[]): Promise<void> {
    const items = traceIds.map((traceId, position) =>
      JSON.stringify({ project_id: projectId, queue_id: queue.id, position, trace_id: traceId }),
    )
    // Items first: a queue document is only visible once its items are stored.
    await this.store.insertJsonEachRow(
      'review_items',
      Buffer.from(items.join('\n')),
      `review_items:${projectId}:${queue.id}`,
    )
    await this.docs.put(projectId, queue.id, JSON.stringify(queue))
  }

  async list(projectId: string): Promise<ReviewQueue[]> {
    return (await this.docs.list(projectId))
      .map((d) => ReviewQueueSchema.parse(JSON.parse(d.json)))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  async get(projectId: string, id: string): Promise<ReviewQueue | undefined> {
    const json = await this.docs.get(projectId, id)
    return json === undefined ? undefined : ReviewQueueSchema.parse(JSON.parse(json))
  }

  async delete(projectId: string, queue: ReviewQueue): Promise<void> {
    await this.docs.delete(projectId, queue.id, JSON.stringify(queue))
  }

  async items(projectId: string, queueId: string): Promise<Array<{ position: number; traceId: string }>> {
    const rows = await this.store.query<{ position: number; trace_id: string }>(sql`
      SELECT DISTINCT position, trace_id FROM review_items WHERE project_id = ${str(projectId)}
        AND queue_id = ${str(queueId)}
      ORDER BY position LIMIT ${u64(1000)}`)
    return rows.map((r) => ({ position: Number(r.position), traceId: r.trace_id }))
  }

  /** The resolved summary of each queued trace (a trace not resolved yet is missing from the map). */
  async traces(projectId: string, traceIds: readonly string[]): Promise<Map<string, QueuedTrace>> {
    if (traceIds.length === 0) return new Map()
    const rows = await this.store.query<{
      trace_id: string
      name: string
      outcome: TraceOutcome
      failure_reason: string
      start_text: string
    }>(sql`
      SELECT trace_id, name, outcome, failure_reason, toString(start_time) AS start_text FROM traces FINAL
      WHERE project_id = ${str(projectId)} AND trace_id IN ${strArray([...traceIds])}`)
    return new Map(
      rows.map((r) => [
        r.trace_id,
        {
          traceId: r.trace_id,
          name: r.name,
          outcome: r.outcome,
          failureReason: r.failure_reason,
          startTime: chTimeToIso(r.start_text),
        },
      ]),
    )
  }
}
