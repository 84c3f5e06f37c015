import { describe, expect, it } from 'vitest'
import type { Store } from './client.js'
import { drainBeforeClose } from './store-gate.js'

/** A store whose one query settles when the test says so, and which records when it was closed. */
function slowStore() {
  const events: string[] = []
  let finish: (rows: unknown[]) => void = () => {}
  const store = {
    kind: 'chdb',
    query: () =>
      new Promise<unknown[]>((resolve) => {
        events.push('query started')
        finish = (rows) => {
          events.push('query settled')
          resolve(rows)
        }
      }),
    close: async () => {
      events.push('closed')
    },
  } as unknown as Store
  return { store, events, finish: (rows: unknown[]) => finish(rows) }
}

describe('drainBeforeClose', () => {
  it('closes the store only after the calls already running have settled', async () => {
    const { store, events, finish } = slowStore()
    const gated = drainBeforeClose(store)
    const running = gated.query({ text: 'SELECT 1', params: {} } as never)
    const closed = gated.close()
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(events).toEqual(['query started'])
    finish([{ one: 1 }])
    await expect(running).resolves.toEqual([{ one: 1 }])
    await closed
    expect(events).toEqual(['query started', 'query settled', 'closed'])
  })

  it('refuses calls made after close started, without reaching the store', async () => {
    const { store, events } = slowStore()
    const gated = drainBeforeClose(store)
    await gated.close()
    await expect(gated.query({ text: 'SELECT 1', params: {} } as never)).rejects.toThrow('the store is closed')
    expect(events).toEqual(['closed'])
  })

  it('closes once, however often close is called', async () => {
    const { store, events } = slowStore()
    const gated = drainBeforeClose(store)
    await Promise.all([gated.close(), gated.close()])
    expect(events).toEqual(['closed'])
  })
})
