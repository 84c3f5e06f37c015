import { describe, expect, it } from 'vitest'
import { fixture } from '../../test/otlp-checks.js'
import { main } from '../cli.js'
import type { Io } from '../command.js'

function capture(env: Record<string, string> = {}) {
  const io = {
    out: '',
    err: '',
    env,
    stdout: (t: string) => void (io.out += t),
    stderr: (t: string) => void (io.err += t),
  }
  return io satisfies Io
}

describe('sightline CLI', () => {
  it('lists commands and explains every import flag', async () => {
    const top = capture()
    expect(await main(['--help'], top)).toBe(0)
    expect(top.out).toContain('import')
    const help = capture()
    expect(await main(['import', '--help'], help)).toBe(0)
    for (const flag of [
      '--format',
      '--url',
      '--api-key',
      '--limit',
      '--start',
      '--dry-run',
      'SIGHTLINE_URL',
      'SIGHTLINE_API_KEY',
    ])
      expect(help.out).toContain(flag)
  })

  it('rejects unknown commands, missing files and bad flags with exit code 1', async () => {
    expect(await main(['nope'], capture())).toBe(1)
    const noFiles = capture()
    expect(await main(['import'], noFiles)).toBe(1)
    expect(noFiles.err).toContain('at least one file')
    const badFormat = capture()
    expect(await main(['import', 'x.json', '--format', 'langfuse'], badFormat)).toBe(1)
    expect(badFormat.err).toContain('--format')
    const missing = capture()
    expect(await main(['import', '/nonexistent/run.json', '--dry-run'], missing)).toBe(1)
    expect(missing.err).toContain('cannot read')
  })

  it('detects the format and prints OTLP JSON on --dry-run', async () => {
    const io = capture()
    expect(
      await main(
        [
          'import',
          fixture('swe-agent/gpt4__pydicom__pydicom-1458.traj'),
          fixture('openhands/runtime-trajs-basic.json'),
          '--dry-run',
        ],
        io,
      ),
    ).toBe(0)
    const lines = io.out.trim().split('\n')
    expect(lines).toHaveLength(2)
    for (const line of lines) expect(JSON.parse(line)).toHaveProperty('resourceSpans')
    expect(io.err).toContain('12 LLM calls, 12 tool calls')
    expect(io.err).toContain('tokens 122612 in / 1369 out, cost $1.26719 (reported)')
  })

  it('exits 2 with a clear message when the server cannot be reached', async () => {
    const io = capture({ SIGHTLINE_URL: 'http://127.0.0.1:9' })
    expect(await main(['import', fixture('openhands/runtime-trajs-basic.json')], io)).toBe(2)
    expect(io.err).toContain('cannot reach http://127.0.0.1:9/v1/traces')
  })
})
