import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { Spool, type Segment } from './spool.js'

const HEADER = Buffer.from('["a","b"]\n')
const dirs: string[] = []

function spoolIn(dir: string, sealed: Segment[]): Spool {
  return new Spool({
    dir,
    header: HEADER,
    segmentBytes: 1 << 20,
    segmentMaxAgeMs: 60_000,
    onSealed: (s) => sealed.push(s),
    isLoaderIdle: () => true,
  })
}

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-spool-'))
  dirs.push(dir)
  return dir
}

afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })))

describe('Spool', () => {
  it('starts every segment with the header, which is not counted as a row', async () => {
    const dir = tempDir()
    const sealed: Segment[] = []
    const spool = spoolIn(dir, sealed)
    await spool.open()
    await spool.append(Buffer.from('[1,2]\n[3,4]\n'), 2)
    await spool.append(Buffer.from('[5,6]\n'), 1)
    await spool.close()
    expect(sealed).toHaveLength(1)
    expect(sealed[0]!.rows).toBe(3)
    expect(fs.readFileSync(sealed[0]!.file, 'utf8')).toBe('["a","b"]\n[1,2]\n[3,4]\n[5,6]\n')
  })

  it('keeps its directory and segments owner-only (0700 / 0600), tightening a wider directory', async () => {
    const dir = path.join(tempDir(), 'spool')
    fs.mkdirSync(dir, { mode: 0o755 })
    fs.chmodSync(dir, 0o755)
    const sealed: Segment[] = []
    const spool = spoolIn(dir, sealed)
    await spool.open()
    await spool.append(Buffer.from('[1,2]\n'), 1)
    await spool.close()
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    expect(fs.statSync(sealed[0]!.file).mode & 0o777).toBe(0o600)
  })

  it('on open, cuts a torn tail, counts rows sans header, drops header-only and legacy-empty files', async () => {
    const dir = tempDir()
    fs.writeFileSync(path.join(dir, 'seg-000000000001-0000000a.jsonl'), '["a","b"]\n[1,2]\n[3,')
    fs.writeFileSync(path.join(dir, 'seg-000000000002-0000000b.jsonl'), '["a","b"]\n')
    fs.writeFileSync(path.join(dir, 'seg-000000000003-0000000c.jsonl'), '{"a":1,"b":2}\n{"a":3,"b":4}\n')
    fs.writeFileSync(path.join(dir, 'seg-000000000004-0000000d.jsonl'), '{"a":1,')
    const spool = spoolIn(dir, [])
    const leftovers = await spool.open()
    await spool.close()
    expect(leftovers.map((s) => [s.id, s.rows])).toEqual([
      ['seg-000000000001-0000000a', 1],
      ['seg-000000000003-0000000c', 2],
    ])
    expect(fs.readFileSync(path.join(dir, 'seg-000000000001-0000000a.jsonl'), 'utf8')).toBe('["a","b"]\n[1,2]\n')
    expect(fs.readdirSync(dir).sort()).toEqual(['seg-000000000001-0000000a.jsonl', 'seg-000000000003-0000000c.jsonl'])
  })
})
