import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseEnv } from '../env.js'
import { createLogger } from '../logger.js'
import { loadServerKey, SecretBox } from './secret-box.js'

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'sightline-key-'))

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32))

  it('opens what it sealed, and the sealed text does not contain the secret', () => {
    const sealed = box.seal('whsec_abc', 'alert_webhooks:p:1')
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(sealed).not.toContain('whsec_abc')
    expect(box.open(sealed, 'alert_webhooks:p:1')).toBe('whsec_abc')
    expect(box.seal('whsec_abc', 'alert_webhooks:p:1')).not.toBe(sealed) // fresh IV each time
  })

  it('refuses another context, another key, and any altered byte', () => {
    const sealed = box.seal('whsec_abc', 'alert_webhooks:p:1')
    expect(() => box.open(sealed, 'alert_webhooks:p:2')).toThrow()
    expect(() => new SecretBox(randomBytes(32)).open(sealed, 'alert_webhooks:p:1')).toThrow()
    const [format, iv, tag, ciphertext] = sealed.split('.') as [string, string, string, string]
    const flipped = Buffer.from(ciphertext, 'base64url')
    flipped[0] = flipped[0]! ^ 1
    expect(() => box.open([format, iv, tag, flipped.toString('base64url')].join('.'), 'alert_webhooks:p:1')).toThrow()
    expect(() => box.open('v1.only-two', 'alert_webhooks:p:1')).toThrow('not a sealed secret')
  })
})

describe('loadServerKey', () => {
  const logger = createLogger('silent')

  it('generates the key once into secret.key with mode 0600 and reads it back', () => {
    const dir = path.join(tmpDir(), 'nested', 'data')
    const first = loadServerKey(undefined, dir, logger)
    const file = path.join(dir, 'secret.key')
    expect(first).toHaveLength(32)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
    expect(loadServerKey(undefined, dir, logger).equals(first)).toBe(true)
  })

  it('tightens a key file others can read', () => {
    const dir = tmpDir()
    const file = path.join(dir, 'secret.key')
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o644 })
    fs.chmodSync(file, 0o644)
    loadServerKey(undefined, dir, logger)
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('prefers SIGHTLINE_SECRET_KEY and then writes no file', () => {
    const dir = tmpDir()
    const key = randomBytes(32)
    expect(loadServerKey(key.toString('base64'), dir, logger).equals(key)).toBe(true)
    expect(fs.existsSync(path.join(dir, 'secret.key'))).toBe(false)
  })

  it('refuses a damaged key file instead of replacing it', () => {
    const dir = tmpDir()
    fs.writeFileSync(path.join(dir, 'secret.key'), 'short', { mode: 0o600 })
    expect(() => loadServerKey(undefined, dir, logger)).toThrow('does not hold a 32-byte base64 key')
  })

  it('is validated with the rest of the env, without echoing the value', () => {
    expect(parseEnv({ SIGHTLINE_SECRET_KEY: randomBytes(32).toString('base64') }).SIGHTLINE_SECRET_KEY).toBeDefined()
    const bad = randomBytes(16).toString('base64')
    let message = ''
    try {
      parseEnv({ SIGHTLINE_SECRET_KEY: bad })
    } catch (err) {
      message = (err as Error).message
    }
    expect(message).toContain('SIGHTLINE_SECRET_KEY: must be 32 bytes, base64')
    expect(message).not.toContain(bad)
  })
})
