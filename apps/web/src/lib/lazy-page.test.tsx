// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { lazy, Suspense } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { lazyPage } from './lazy-page'

function Page({ name }: { name: string }) {
  return <p>page {name}</p>
}
const inSuspense = (node: React.ReactNode) => <Suspense fallback={<p>loading</p>}>{node}</Suspense>

afterEach(cleanup)

describe('lazyPage', () => {
  it('draws a preloaded page in the first render, where React.lazy shows its fallback first', async () => {
    const loaded = Promise.resolve({ default: Page })
    const Lazy = lazy(() => loaded)
    const Preloaded = lazyPage(() => loaded)
    await Preloaded.preload()

    render(inSuspense(<Lazy name="lazy" />))
    expect(screen.getByText('loading')).toBeTruthy()
    cleanup()

    render(inSuspense(<Preloaded name="x" />))
    expect(screen.queryByText('loading')).toBeNull()
    expect(screen.getByText('page x')).toBeTruthy()
  })

  it('suspends until the chunk is here when it was not preloaded, loading it once', async () => {
    let resolve!: (module: { default: typeof Page }) => void
    const load = vi.fn(() => new Promise<{ default: typeof Page }>((r) => (resolve = r)))
    const Later = lazyPage(load)
    render(inSuspense(<Later name="y" />))
    expect(screen.getByText('loading')).toBeTruthy()
    const preloaded = Later.preload()
    await act(async () => resolve({ default: Page }))
    await preloaded
    expect(await screen.findByText('page y')).toBeTruthy()
    expect(load).toHaveBeenCalledTimes(1)
  })

  it('loads again after a failed load', async () => {
    const load = vi
      .fn<() => Promise<{ default: typeof Page }>>()
      .mockRejectedValueOnce(new Error('chunk failed'))
      .mockResolvedValue({ default: Page })
    const Retried = lazyPage(load)
    await expect(Retried.preload()).rejects.toThrow('chunk failed')
    await Retried.preload()
    render(inSuspense(<Retried name="z" />))
    expect(screen.getByText('page z')).toBeTruthy()
    expect(load).toHaveBeenCalledTimes(2)
  })
})
