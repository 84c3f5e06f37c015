import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { z } from 'zod'

const PackageJsonSchema = z.object({ version: z.string().min(1) })

// Read from the installed package rather than pinned, so `cost_source` cannot drift from the price
// data actually used. The package's `exports` hide package.json, so go via its resolved entry.
function readInstalledVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@pydantic/genai-prices')
  const packageJson = path.join(path.dirname(entry), '..', 'package.json')
  return PackageJsonSchema.parse(JSON.parse(readFileSync(packageJson, 'utf8'))).version
}

/** Installed `@pydantic/genai-prices` version, e.g. `0.1.8`. */
const GENAI_PRICES_VERSION = readInstalledVersion()

/**
 * The `cost_source` written on spans priced from the bundled table.
 *
 * @example
 * GENAI_PRICES_SOURCE // 'genai-prices@0.1.8'
 */
export const GENAI_PRICES_SOURCE = `genai-prices@${GENAI_PRICES_VERSION}`
