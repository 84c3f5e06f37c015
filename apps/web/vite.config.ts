import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'
import { precompress } from './vite-precompress'

// `@sightline/source` resolves @sightline/schema to its TypeScript sources, so the console never needs a
// prebuilt schema package. The ingest server serves `dist/` at `/` with an SPA fallback.
// No source maps by default: the server would publish them with the console. `SIGHTLINE_WEB_SOURCEMAP=1`
// builds them for local debugging.
export default defineConfig({
  base: '/',
  plugins: [react(), precompress()],
  resolve: {
    conditions: ['@sightline/source', ...defaultClientConditions],
  },
  server: { proxy: { '/api': 'http://127.0.0.1:4318' } },
  build: { target: 'es2022', sourcemap: process.env['SIGHTLINE_WEB_SOURCEMAP'] === '1', chunkSizeWarningLimit: 400 },
})
