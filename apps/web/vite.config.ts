import react from '@vitejs/plugin-react'
import { defaultClientConditions, defineConfig } from 'vite'

// `@sightline/source` resolves @sightline/schema to its TypeScript sources, so the console never needs a
// prebuilt schema package. The ingest server serves `dist/` at `/` with an SPA fallback.
export default defineConfig({
  base: '/',
  plugins: [react()],
  resolve: {
    conditions: ['@sightline/source', ...defaultClientConditions],
  },
  server: { proxy: { '/api': 'http://127.0.0.1:4318' } },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 400 },
})
