/**
 * A request body as it arrived: the chunks copied into pages this module alone owns, so that they
 * can be moved (transferred, not copied) to a worker thread. Pages grow from 16 KiB to 1 MiB, so a
 * small body costs one small page and a large one a page per MiB.
 */
const FIRST_PAGE_BYTES = 16 * 1024
const MAX_PAGE_BYTES = 1024 * 1024

export class ReceivedBody {
  private readonly full: Uint8Array[] = []
  private page: Buffer | undefined
  private used = 0
  private size = 0

  get byteLength(): number {
    return this.size
  }

  append(chunk: Uint8Array): void {
    this.size += chunk.length
    let offset = 0
    while (offset < chunk.length) {
      if (this.page === undefined || this.used === this.page.length) this.nextPage()
      const page = this.page!
      const n = Math.min(chunk.length - offset, page.length - this.used)
      page.set(chunk.subarray(offset, offset + n), this.used)
      this.used += n
      offset += n
    }
  }

  /** Views of the filled part of each page, in order. Each page has an ArrayBuffer of its own. */
  pages(): Uint8Array[] {
    return this.page === undefined ? [...this.full] : [...this.full, this.page.subarray(0, this.used)]
  }

  /** One contiguous array (a view, without copying, when the body fits one page). */
  join(): Uint8Array {
    const pages = this.pages()
    if (pages.length === 1) return pages[0]!
    return Buffer.concat(pages, this.size)
  }

  private nextPage(): void {
    if (this.page !== undefined) this.full.push(this.page)
    const bytes = this.page === undefined ? FIRST_PAGE_BYTES : Math.min(MAX_PAGE_BYTES, this.page.length * 2)
    // allocUnsafeSlow: never a slice of Node's shared pool, whose other users a transfer would break.
    this.page = Buffer.allocUnsafeSlow(bytes)
    this.used = 0
  }
}
