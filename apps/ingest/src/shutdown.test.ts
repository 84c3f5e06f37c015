import { describe, expect, it } from 'vitest'
import { createLogger } from './logger.js'
import { Shutdown, stopWithin } from './shutdown.js'

const logger = createLogger('silent')

describe('Shutdown', () => {
  it('runs the phases in order, once, however often it is asked', async () => {
    const ran: string[] = []
    const shutdown = new Shutdown(
      ['http', 'spool', 'store'].map((name) => ({ name, run: async () => void ran.push(name) })),
      logger,
    )
    await Promise.all([shutdown.run(), shutdown.run()])
    await shutdown.run()
    expect(ran).toEqual(['http', 'spool', 'store'])
    expect(shutdown.current).toBeUndefined()
  })

  it('past the deadline, names the phase that hangs and does not start the next', async () => {
    const ran: string[] = []
    const shutdown = new Shutdown(
      [
        { name: 'http', run: async () => void ran.push('http') },
        { name: 'trace resolver', run: () => new Promise(() => ran.push('trace resolver')) },
        { name: 'store', run: async () => void ran.push('store') },
      ],
      logger,
    )
    expect(await stopWithin(shutdown, 50)).toEqual({ done: false, phase: 'trace resolver' })
    expect(ran).toEqual(['http', 'trace resolver'])
  })

  it('reports a finished stop, and a failed phase as a failure', async () => {
    expect(await stopWithin(new Shutdown([{ name: 'http', run: async () => undefined }], logger), 1_000)).toEqual({
      done: true,
    })
    const failing = new Shutdown([{ name: 'store', run: () => Promise.reject(new Error('disk gone')) }], logger)
    await expect(stopWithin(failing, 1_000)).rejects.toThrow('disk gone')
  })
})
