/**
 * One capture: receiver and mock model up, the framework's app run against them, then the raw
 * request bodies and the ground truth written to `fixtures/<framework>/` (replacing what was there).
 */
import fs from 'node:fs'
import path from 'node:path'
import { GroundTruthSchema, type CapturedFile, type GroundTruth } from '../ground-truth.js'
import { startGeminiMock } from '../mock/gemini-server.js'
import { startOpenAiMock } from '../mock/openai-server.js'
import { ModelScript } from '../mock/script.js'
import type { FrameworkCapture } from './framework.js'
import { startCaptureReceiver, type CapturedRequest } from './receiver.js'
import { ToolRecorder } from './recorder.js'
import { installedVersion } from './versions.js'

const fixturesDir = path.resolve(import.meta.dirname, '../../fixtures')

function fileName(index: number, request: CapturedRequest): string {
  const ext = request.contentType.startsWith('application/json') ? 'json' : 'pb'
  const gz = request.contentEncoding === 'gzip' ? '.gz' : ''
  return `request-${String(index + 1).padStart(3, '0')}.otlp.${ext}${gz}`
}

export async function runCapture(capture: FrameworkCapture): Promise<GroundTruth> {
  const receiver = await startCaptureReceiver()
  const script = new ModelScript(capture.script)
  const mock = capture.mock === 'gemini' ? await startGeminiMock(script) : await startOpenAiMock(script)
  const tools = new ToolRecorder()
  const capturedAt = new Date().toISOString()
  try {
    const facts = await capture.run({ otlpUrl: receiver.url, modelUrl: mock.url, tools })
    script.assertDone()
    if (receiver.requests.length === 0) throw new Error(`${capture.framework}: the exporter sent nothing`)

    const dir = path.join(fixturesDir, capture.framework)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    const requests: CapturedFile[] = receiver.requests.map((request, i) => {
      const file = fileName(i, request)
      fs.writeFileSync(path.join(dir, file), request.body)
      return {
        file,
        contentType: request.contentType,
        contentEncoding: request.contentEncoding,
        bytes: request.body.length,
      }
    })
    const packages = Object.fromEntries(capture.packages.map(([name, from]) => [name, installedVersion(name, from)]))
    const truth = GroundTruthSchema.parse({
      framework: capture.framework,
      scenario: capture.scenario,
      capturedAt,
      node: process.version,
      packages,
      exporter: {
        package: capture.exporter.package,
        version: installedVersion(capture.exporter.package, capture.exporter.resolvedFrom),
        protocol: capture.exporter.protocol,
      },
      requests,
      llmCalls: script.calls,
      toolCalls: tools.calls,
      ...facts,
    } satisfies GroundTruth)
    fs.writeFileSync(path.join(dir, 'ground-truth.json'), `${JSON.stringify(truth, null, 2)}\n`)
    return truth
  } finally {
    await mock.close()
    await receiver.close()
  }
}
