import type { GroundTruth } from '../ground-truth.js'
import type { ScriptedReply } from '../mock/script.js'
import type { ToolRecorder } from './recorder.js'

interface CaptureContext {
  /** Base URL of the capture receiver; exporters post to `${otlpUrl}/v1/traces`. */
  otlpUrl: string
  /** Base URL of the mock model server, without a path. */
  modelUrl: string
  tools: ToolRecorder
}

/** What the app knows about its own run, beside the tool calls it recorded. */
export type RunFacts = Pick<GroundTruth, 'runs' | 'agents' | 'handoffs' | 'sessionId' | 'userId' | 'notes'>

/**
 * One framework's capture scenario. `run` drives the real framework against the mock and must
 * have flushed its exporter when it resolves.
 */
export interface FrameworkCapture {
  /** Fixture directory name. */
  framework: string
  scenario: string
  mock: 'gemini' | 'openai'
  script: readonly ScriptedReply[]
  /** Packages whose installed versions the ground truth lists: `[name]` or `[name, resolvedFrom]`. */
  packages: ReadonlyArray<readonly [string] | readonly [string, string]>
  exporter: { package: string; resolvedFrom?: string; protocol: 'json' | 'protobuf' }
  run(ctx: CaptureContext): Promise<RunFacts>
}
