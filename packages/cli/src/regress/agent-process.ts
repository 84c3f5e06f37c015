/**
 * `--agent-cmd`: starts the agent under test with the replay world in its environment (the
 * handshake: `MCP_URL`, `<AGENT>_URL`… from `replay.env`, plus `PORT` when the runner picked the
 * agent's port), waits until it answers, and stops its whole process group afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { AgentUnreachableError, readAgentCard, type Protocol } from './agent-client.js'

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

export interface AgentProcess {
  stop(): Promise<void>
  output(): string
}

export async function startAgentProcess(
  command: string,
  env: Record<string, string>,
  target: string,
  protocol: Protocol,
  readyTimeoutMs: number,
): Promise<AgentProcess> {
  const child: ChildProcess = spawn(command, {
    shell: true,
    detached: true,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8000)
  }
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  let exited: number | null | undefined
  child.on('exit', (code) => {
    exited = code
  })
  const stop = async () => {
    if (exited !== undefined || child.pid === undefined) return
    const done = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    try {
      process.kill(-child.pid, 'SIGTERM')
    } catch {
      /* already gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL')
      } catch {
        /* gone */
      }
    }, 3000)
    await done
    clearTimeout(timer)
  }
  const deadline = Date.now() + readyTimeoutMs
  for (;;) {
    if (exited !== undefined)
      throw new AgentUnreachableError(`agent command exited (code ${exited}) before answering:\n${output.slice(-2000)}`)
    try {
      if (protocol === 'http') await probeTcp(target)
      else await readAgentCard(target, protocol, 1000)
      return { stop, output: () => output }
    } catch {
      if (Date.now() > deadline) {
        await stop()
        throw new AgentUnreachableError(
          `agent command did not answer at ${target} within ${readyTimeoutMs} ms:\n${output.slice(-2000)}`,
        )
      }
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

function probeTcp(target: string): Promise<void> {
  const url = new URL(target)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port || 80), url.hostname, () => {
      socket.end()
      resolve()
    })
    socket.once('error', reject)
  })
}
