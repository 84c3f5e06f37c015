/**
 * Calls to another agent over A2A. Each call runs in the SDK's withA2aCall (a CLIENT span shown as a
 * hand-off) and the transport's fetch is the SDK's tracedFetch, so the request carries `traceparent`
 * and the remote agent's span becomes a child of this one.
 */
import type { Task } from '@a2a-js/sdk'
import { TaskState } from '@a2a-js/sdk'
import {
  ClientFactory,
  ClientFactoryOptions,
  JsonRpcTransportFactory,
  type Client,
  type RequestOptions,
} from '@a2a-js/sdk/client'
import { tracedFetch, withA2aCall } from '@sightline/sdk'
import { messageText, toMessage, type TaskRequest } from './messages.js'

class AgentCallError extends Error {
  override name = 'AgentCallError'
}

export class AgentClient {
  private client: Promise<Client> | undefined

  /** `url` is the agent's base URL (its card is at `/.well-known/agent-card.json`). */
  constructor(
    readonly url: string,
    readonly targetAgent: string,
  ) {}

  private connect(): Promise<Client> {
    this.client ??= new ClientFactory(
      ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
        transports: [new JsonRpcTransportFactory({ fetchImpl: tracedFetch() })],
      }),
    )
      .createFromUrl(this.url)
      .catch((err: unknown) => {
        this.client = undefined // the agent may not be up yet: fetch the card again next time
        throw err
      })
    return this.client
  }

  /** Sends without a span of its own: for callers that are not agents (traffic, test harness). */
  async sendRaw(request: TaskRequest, options?: RequestOptions): Promise<Task> {
    const client = await this.connect()
    const result = await client.sendMessage(
      { tenant: '', message: toMessage(request), configuration: undefined, metadata: undefined },
      options,
    )
    if (!('status' in result)) throw new AgentCallError(`${this.targetAgent} answered with a message, expected a task`)
    return result
  }

  /** Delegates a task; resolves to the answer, throws when the agent reports the task failed. */
  send(request: TaskRequest): Promise<string> {
    return withA2aCall({ targetAgent: this.targetAgent, method: 'SendMessage' }, async (call) => {
      const task = await this.sendRaw(request)
      call.recordTask({ taskId: task.id, contextId: task.contextId })
      const text = messageText(task.status?.message)
      if (task.status?.state !== TaskState.TASK_STATE_COMPLETED) {
        throw new AgentCallError(`${this.targetAgent} failed: ${text}`)
      }
      return text
    })
  }
}
