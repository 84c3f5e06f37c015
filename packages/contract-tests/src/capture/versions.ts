import fs from 'node:fs'
import path from 'node:path'

const packageRoot = path.resolve(import.meta.dirname, '../..')

/**
 * The installed version of `name` as Node would resolve it from `fromPackage`'s own directory (or
 * from this package): pnpm gives each package its own dependency tree, so ADK's exporter is not
 * the one this package lists.
 */
export function installedVersion(name: string, fromPackage?: string): string {
  let dir =
    fromPackage === undefined ? packageRoot : fs.realpathSync(path.join(packageRoot, 'node_modules', fromPackage))
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name, 'package.json')
    if (fs.existsSync(candidate)) return (JSON.parse(fs.readFileSync(candidate, 'utf8')) as { version: string }).version
    const parent = path.dirname(dir)
    if (parent === dir) throw new Error(`${name} is not installed${fromPackage ? ` for ${fromPackage}` : ''}`)
    dir = parent
  }
}
