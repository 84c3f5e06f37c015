import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../command.js'
import { cardUrl, registryCommand } from './registry.js'

const card = {
  name: 'billing-agent',
  description: 'bills',
  version: '2.0.1',
  supportedInterfaces: [{ url: 'http://127.0.0.1:1/a2a', protocolBinding: 'JSONRPC', protocolVersion: '1.0' }],
  capabilities: {},
  defaultInputModes: ['text/plain'],
  defaultOutputModes: ['text/plain'],
  skills: [{ id: 'bill', name: 'Bill', description: 'Bills a customer', tags: ['billing'] }],
}

/** One loopback server playing both an agent (serving its card) and Sightline (taking cards). */
let server: http.Server
let base = ''
const posted: unknown[] = []
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/.well-known/agent-card.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(card))
    if (req.method === 'GET' && req.url === '/broken.json') return void res.writeHead(200).end('{"name": ')
    if (req.method === 'POST' && req.url === '/api/v1/registry/cards') {
      let body = ''
      req.on('data', (c: Buffer) => (body += c.toString()))
      req.on('end', () => {
        posted.push({ auth: req.headers.authorization, body: JSON.parse(body) as unknown })
        res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ agent: 'billing-agent', revision: 1, created: true, protocolVersion: '1.0' }))
      })
      return
    }
    res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: Io = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    env: { SIGHTLINE_URL: base, SIGHTLINE_API_KEY: 'sl_k' },
  }
  return registryCommand.run(args, io).then((code) => ({ code, out, err }))
}

describe('sightline registry add-card', () => {
  it("fetches an agent's well-known card, checks it and sends it with the key", async () => {
    const before = posted.length
    const result = await run(['add-card', base])
    expect(result).toMatchObject({ code: 0, err: '' })
    expect(result.out).toBe(
      `added billing-agent revision 1 (A2A 1.0, 1 skills) from ${base}/.well-known/agent-card.json\n`,
    )
    expect(posted.slice(before)).toEqual([
      { auth: 'Bearer sl_k', body: { card, source: 'cli', sourceUrl: `${base}/.well-known/agent-card.json` } },
    ])
  })

  it('reads a file', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'card-')), 'card.json')
    fs.writeFileSync(file, JSON.stringify(card))
    expect((await run(['add-card', file, '--json'])).out).toContain('"revision": 1')
  })

  it('reports bad JSON, a wrong schema, an unreachable URL and a missing file, and sends nothing', async () => {
    const before = posted.length
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'card-'))
    fs.writeFileSync(path.join(dir, 'wrong.json'), JSON.stringify({ ...card, skills: [{ id: 'x' }] }))
    const broken = await run(['add-card', `${base}/broken.json`])
    expect(broken.code).toBe(1)
    expect(broken.err).toMatch(new RegExp(`add-card: ${base}/broken.json is not JSON: `))
    const wrong = await run(['add-card', path.join(dir, 'wrong.json')])
    expect(wrong.code).toBe(1)
    expect(wrong.err).toContain('not a valid A2A 1.0 Agent Card: skills[0].name')
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const unreachable = await run(['add-card', `http://127.0.0.1:${port}`])
    expect(unreachable.code).toBe(2)
    expect(unreachable.err).toContain(
      `could not fetch the card from http://127.0.0.1:${port}/.well-known/agent-card.json: `,
    )
    expect(unreachable.err).toMatch(/ECONNREFUSED/)
    const missing = await run(['add-card', `${base}/nope.json`])
    expect(missing).toMatchObject({ code: 2, err: expect.stringContaining('404 Not Found') })
    expect((await run(['add-card', path.join(dir, 'absent.json')])).err).toContain('ENOENT')
    expect(posted.length).toBe(before)
  })

  it('keeps a URL with a path as given', () => {
    expect(cardUrl('http://a.example').href).toBe('http://a.example/.well-known/agent-card.json')
    expect(cardUrl('http://a.example/cards/x.json').href).toBe('http://a.example/cards/x.json')
  })
})
