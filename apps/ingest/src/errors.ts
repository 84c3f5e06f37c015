/**
 * Errors the server answers on purpose. Anything else is a fault: logged, answered 500 without
 * internals. `expose` messages are written for the caller, so they say what to change.
 */
export class AppError extends Error {
  readonly status: number
  readonly code: string
  readonly retryAfterSeconds: number | undefined

  constructor(
    status: number,
    code: string,
    message: string,
    options?: { retryAfterSeconds?: number; cause?: unknown },
  ) {
    super(message, { cause: options?.cause })
    Object.setPrototypeOf(this, new.target.prototype)
    this.name = new.target.name
    this.status = status
    this.code = code
    this.retryAfterSeconds = options?.retryAfterSeconds
  }
}

export const badRequest = (message: string) => new AppError(400, 'bad_request', message)
export const unauthorized = (message: string) => new AppError(401, 'unauthorized', message)
export const notFound = (message: string) => new AppError(404, 'not_found', message)

/** Overload: OTLP exporters retry 429/503 and honour Retry-After; they drop a batch on 500. */
export const overloaded = (message: string, retryAfterSeconds: number) =>
  new AppError(503, 'overloaded', message, { retryAfterSeconds })
