import fs from 'node:fs'

/**
 * Owner-only modes for everything Sightline keeps on disk: spans hold prompts, tool payloads and
 * user ids, and the store holds key hashes. Other users of the machine get no access at all.
 */
const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

/**
 * Creates `dir` (and missing parents) owner-only, and tightens it if it already existed with a
 * wider mode (installs from before this rule). False when the mode cannot be changed (a directory
 * owned by another user): the caller warns, since refusing to start would help no one.
 */
export function ensurePrivateDir(dir: string): boolean {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  if ((fs.statSync(dir).mode & 0o777) === PRIVATE_DIR_MODE) return true
  try {
    fs.chmodSync(dir, PRIVATE_DIR_MODE)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPERM') return false
    throw error
  }
}
