/**
 * What travels between the demo agents: a task text plus a little metadata (the scenario knobs the
 * traffic generator chose). External callers (a regression runner) may send the text alone: every
 * field of TaskMeta is optional and the agents fall back to deriving behaviour from the text.
 */
import { randomUUID } from 'node:crypto'
import { Role, TaskState, type Message, type Part, type Task } from '@a2a-js/sdk'

export interface TaskMeta {
  /** Seeds the agents' randomness for this task; defaults to a hash of the text. */
  requestId?: string
  scenario?: string
  sessionId?: string
  userId?: string
  /** Executor route chosen by the traffic split: `canary` goes to EXECUTOR_CANARY_URL. */
  route?: 'stable' | 'canary'
  /** Extra instructions for a sub-agent (order id, expression). */
  orderId?: string
  expression?: string
}

export interface TaskRequest {
  text: string
  meta: TaskMeta
}

const textPart = (value: string): Part => ({
  content: { $case: 'text', value },
  metadata: undefined,
  filename: '',
  mediaType: 'text/plain',
})

export function toMessage(
  request: TaskRequest,
  role: Role = Role.ROLE_USER,
  ids: { taskId?: string; contextId?: string } = {},
): Message {
  return {
    messageId: randomUUID(),
    contextId: ids.contextId ?? '',
    taskId: ids.taskId ?? '',
    role,
    parts: [textPart(request.text)],
    metadata: { ...request.meta },
    extensions: [],
    referenceTaskIds: [],
  }
}

export function messageText(message: Message | undefined): string {
  return (message?.parts ?? [])
    .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
    .filter((text) => text !== '')
    .join('\n')
}

export function fromMessage(message: Message): TaskRequest {
  const raw = message.metadata ?? {}
  const meta: TaskMeta = {}
  for (const key of ['requestId', 'scenario', 'sessionId', 'userId', 'orderId', 'expression'] as const) {
    if (typeof raw[key] === 'string') meta[key] = raw[key]
  }
  if (raw.route === 'canary' || raw.route === 'stable') meta.route = raw.route
  return { text: messageText(message), meta }
}

/** Task metadata key carrying the run's trace id, so the caller (the user's app) can send feedback on it. */
export const TRACE_ID_METADATA = 'sightline.traceId'

/** The final task the agents publish: COMPLETED with the answer, or FAILED with the reason. */
export function finalTask(taskId: string, contextId: string, ok: boolean, answer: string, traceId = ''): Task {
  return {
    id: taskId,
    contextId,
    status: {
      state: ok ? TaskState.TASK_STATE_COMPLETED : TaskState.TASK_STATE_FAILED,
      message: toMessage({ text: answer, meta: {} }, Role.ROLE_AGENT, { taskId, contextId }),
      timestamp: new Date().toISOString(),
    },
    artifacts: [],
    history: [],
    metadata: traceId ? { [TRACE_ID_METADATA]: traceId } : undefined,
  }
}
