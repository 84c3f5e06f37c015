import { defineConfig } from 'vitest/config'

// One run covers every package; `source` resolves workspace packages to their TypeScript sources.
export default defineConfig({
  resolve: { conditions: ['@sightline/source'] },
  ssr: { resolve: { conditions: ['@sightline/source'] } },
  test: {
    include: ['scripts/**/*.test.ts', '{apps,packages}/*/{src,test}/**/*.test.{ts,tsx}', 'apps/web/e2e/**/*.e2e.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
