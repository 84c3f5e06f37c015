/**
 * Raised when an OTLP body cannot be decoded at all. The route answers 400 with a google.rpc.Status
 * carrying `message`, and the exporter drops the batch without retrying, so the message must name the
 * exact field path and what was wrong with it: it is the only clue the sender's operator gets.
 */
export class OtlpDecodeError extends Error {
  /**
   * Dotted path of the offending field, e.g. `resourceSpans[0].scopeSpans[0].spans[3].traceId`; '' for the
   * whole body.
   */
  readonly path: string

  constructor(message: string, path = '') {
    super(message)
    this.name = 'OtlpDecodeError'
    this.path = path
    Object.setPrototypeOf(this, new.target.prototype)
  }

  static at(path: string, problem: string): OtlpDecodeError {
    return new OtlpDecodeError(path === '' ? problem : `${path}: ${problem}`, path)
  }
}
