import { it } from 'vitest'
import { register } from 'tsx/esm/api'
it('probe', async () => {
  register()
  const ai = await import('ai')
  const t = await import('ai/test')
  console.log('ai ok', typeof ai.generateText, typeof t.MockLanguageModelV3, import.meta.resolve('ai'))
})
