/**
 * `pnpm --filter @sightline/contract-tests capture [framework...]`: re-captures fixtures live.
 * Each framework runs in its own Node process: several of them register global OpenTelemetry
 * providers or patch modules, which must not leak into the next capture.
 */
import { spawnSync } from 'node:child_process'
import type { FrameworkCapture } from './framework.js'
import { runCapture } from './run-capture.js'

const frameworks: Record<string, () => Promise<FrameworkCapture>> = {
  adk: async () => (await import('../apps/adk.js')).adkCapture,
  langgraph: async () => (await import('../apps/langgraph.js')).langgraphCapture,
  'openai-agents': async () => (await import('../apps/openai-agents.js')).openaiAgentsCapture,
  mastra: async () => (await import('../apps/mastra.js')).mastraCapture,
  'ai-sdk-v4': async () => (await import('../apps/ai-sdk-v4.js')).aiSdkV4Capture,
  'ai-sdk-v5': async () => (await import('../apps/ai-sdk-v5.js')).aiSdkV5Capture,
  'ai-sdk-v6': async () => (await import('../apps/ai-sdk-v6.js')).aiSdkV6Capture,
  'openinference-vercel': async () => (await import('../apps/openinference-vercel.js')).openinferenceVercelCapture,
}

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((name) => !(name in frameworks))
  if (unknown.length > 0)
    throw new Error(`unknown framework(s) ${unknown.join(', ')}; known: ${Object.keys(frameworks).join(', ')}`)
  if (names.length === 1) {
    const truth = await runCapture(await frameworks[names[0]!]!())
    console.log(
      `${truth.framework}: ${truth.requests.length} request(s), ${truth.llmCalls.length} model ` +
        `calls, ${truth.toolCalls.length} tool calls`,
    )
    // Frameworks leave timers and sockets behind (exporters, clients); the capture is written.
    process.exit(0)
  }
  for (const name of names.length === 0 ? Object.keys(frameworks) : names) {
    const child = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, name], { stdio: 'inherit' })
    if (child.status !== 0) throw new Error(`capture of ${name} failed (exit ${child.status ?? child.signal})`)
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
