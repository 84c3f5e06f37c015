/**
 * Writes `.br` and `.gz` next to each compressible file of the build, once, at maximum compression:
 * the server sends them as they are (serveStatic `precompressed`), so no request pays for
 * compression and the client gets brotli's smaller files. Files under 1 KiB are not worth a second copy.
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import type { Plugin } from 'vite'

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|map)$/
const MIN_BYTES = 1024

export function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'sightline-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir)
    },
    writeBundle(_options, bundle) {
      for (const fileName of Object.keys(bundle)) {
        if (!COMPRESSIBLE.test(fileName)) continue
        const file = path.join(outDir, fileName)
        const data = fs.readFileSync(file)
        if (data.length < MIN_BYTES) continue
        fs.writeFileSync(
          `${file}.br`,
          zlib.brotliCompressSync(data, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
            },
          }),
        )
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }))
      }
    },
  }
}
