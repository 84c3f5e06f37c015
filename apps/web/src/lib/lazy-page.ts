/**
 * A page whose code loads on demand, like `React.lazy`, but drawn at once when its chunk is already
 * here. React shows a Suspense boundary's content no sooner than 300 ms after it committed the
 * boundary's fallback (react-dom's fallback throttle), and `React.lazy` suspends on its first render
 * even when the module has loaded. So a deep link to the trace view showed "Loading…" and then waited
 * until 300 ms after it, whatever the data: the head's rows were built at 443–600 ms of an open
 * although they were in the browser at 134–464 ms (BENCHMARKS.md, Console). A page that was preloaded
 * renders directly and never suspends.
 */
import { createElement, lazy, type ComponentType, type ReactElement } from 'react'

export interface LazyPage<P extends object> {
  (props: P): ReactElement
  /** Loads the page's chunk (once; again after a failure). Once it has loaded, the page never suspends. */
  preload(): Promise<void>
}

export function lazyPage<P extends object>(load: () => Promise<{ default: ComponentType<P> }>): LazyPage<P> {
  let loaded: ComponentType<P> | undefined
  let loading: Promise<{ default: ComponentType<P> }> | undefined
  const start = () =>
    (loading ??= load().then(
      (module) => {
        loaded = module.default
        return module
      },
      (error: unknown) => {
        loading = undefined
        throw error
      },
    ))
  // Suspends only while the chunk is missing; the retry after it loads renders `loaded` itself.
  const Suspending = lazy(start)
  const page = (props: P) => createElement(loaded ?? Suspending, props)
  return Object.assign(page, { preload: () => start().then(() => undefined) })
}
