import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { Logger } from '../logger.js'

const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
const FORMAT = 'v1'

/**
 * Secrets the server must read back (webhook signing secrets), sealed at rest with AES-256-GCM
 * under one server key. Each value is bound to a context string (its table and row) as
 * additional authenticated data, so a sealed value copied onto another row does not open.
 * Sealed text: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export class SecretBox {
  constructor(private readonly key: Buffer) {
    if (key.length !== KEY_BYTES) throw new Error(`the server key must be ${KEY_BYTES} bytes`)
  }

  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES })
    cipher.setAAD(Buffer.from(context, 'utf8'))
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
    return [FORMAT, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.')
  }

  /** Throws when the value was sealed under another key or context, or was altered. */
  open(sealed: string, context: string): string {
    const [format, iv, tag, ciphertext] = sealed.split('.')
    if (format !== FORMAT || iv === undefined || tag === undefined || ciphertext === undefined)
      throw new Error('not a sealed secret')
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    })
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8')
  }
}

/** `SIGHTLINE_SECRET_KEY` as the env schema accepts it: base64 of exactly 32 bytes. */
export function decodeServerKey(text: string): Buffer | null {
  const trimmed = text.trim()
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) return null
  const key = Buffer.from(trimmed, 'base64')
  return key.length === KEY_BYTES ? key : null
}

/**
 * The server key: `SIGHTLINE_SECRET_KEY` when set, otherwise `<dataDir>/secret.key`, generated
 * on first start (mode 0600, created exclusively so two processes cannot write different keys).
 * Losing the file makes existing webhook secrets unreadable: back it up with the data directory.
 * The key itself is never logged.
 */
export function loadServerKey(configured: string | undefined, dataDir: string, logger: Logger): Buffer {
  if (configured !== undefined) {
    const key = decodeServerKey(configured)
    if (!key) throw new Error('SIGHTLINE_SECRET_KEY must be 32 bytes, base64 (openssl rand -base64 32)')
    return key
  }
  const file = path.join(path.resolve(dataDir), 'secret.key')
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  try {
    fs.writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    logger.info('generated the server key for secrets at rest; back it up with the data directory', { file })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  }
  if ((fs.statSync(file).mode & 0o077) !== 0) {
    fs.chmodSync(file, 0o600)
    logger.warn('the server key file was readable by others; its mode is now 0600', { file })
  }
  const key = decodeServerKey(fs.readFileSync(file, 'utf8'))
  if (!key)
    throw new Error(
      `${file} does not hold a 32-byte base64 key; restore it from a backup or remove it to start with a new key ` +
        `(existing webhook secrets must then be rotated)`,
    )
  return key
}
