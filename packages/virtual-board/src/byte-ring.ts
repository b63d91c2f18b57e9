/**
 * A single-producer single-consumer byte ring in a SharedArrayBuffer: how bytes cross
 * between the main thread and the board's worker without a message per byte. The
 * worker side blocks with Atomics.wait (like a board's CPU spinning on a UART FIFO);
 * the main thread never blocks and waits with Atomics.waitAsync instead.
 *
 * Indices are free-running int32 counters (wrap-around is fine: only differences are
 * used), so `readIndex` doubles as "how many bytes the consumer has taken so far".
 */
const WRITE = 0;
const READ = 1;
const HEADER_BYTES = 8;

type WaitAsync = (array: Int32Array, index: number, value: number, timeoutMs?: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

export class ByteRing {
  readonly buffer: SharedArrayBuffer;
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly mask: number;

  /** `capacity` is rounded up to a power of two. */
  static create(capacity: number): ByteRing {
    const size = 2 ** Math.ceil(Math.log2(Math.max(capacity, 2)));
    return new ByteRing(new SharedArrayBuffer(HEADER_BYTES + size));
  }

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
    this.header = new Int32Array(buffer, 0, 2);
    this.data = new Uint8Array(buffer, HEADER_BYTES);
    this.mask = this.data.length - 1;
  }

  get capacity(): number {
    return this.data.length;
  }
  get writeIndex(): number {
    return Atomics.load(this.header, WRITE);
  }
  get readIndex(): number {
    return Atomics.load(this.header, READ);
  }
  available(): number {
    return (this.writeIndex - this.readIndex) | 0;
  }
  free(): number {
    return this.capacity - this.available();
  }

  /** Copies as many bytes as fit; returns how many were taken. Never blocks. */
  write(bytes: Uint8Array): number {
    const count = Math.min(bytes.length, this.free());
    const start = this.writeIndex;
    for (let i = 0; i < count; i++) this.data[(start + i) & this.mask] = bytes[i];
    Atomics.store(this.header, WRITE, (start + count) | 0);
    Atomics.notify(this.header, WRITE);
    return count;
  }

  /** Takes up to `max` bytes (possibly none). Never blocks. */
  read(max = Infinity): Uint8Array {
    const count = Math.min(max, this.available());
    const start = this.readIndex;
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.data[(start + i) & this.mask];
    Atomics.store(this.header, READ, (start + count) | 0);
    Atomics.notify(this.header, READ);
    return out;
  }

  /** The byte `offset` places after the read position, without taking it. */
  peek(offset: number): number {
    return this.data[(this.readIndex + offset) & this.mask];
  }

  /** Worker side: sleeps until data arrives or the timeout passes. */
  waitForData(timeoutMs: number): void {
    const seen = this.writeIndex;
    if (((seen - this.readIndex) | 0) === 0) Atomics.wait(this.header, WRITE, seen, timeoutMs);
  }

  /** Worker side: sleeps until more bytes are written (even if unread ones are waiting). */
  waitForNewData(timeoutMs: number): void {
    Atomics.wait(this.header, WRITE, this.writeIndex, timeoutMs);
  }

  /** Worker side: sleeps until the consumer frees space or the timeout passes. */
  waitForSpace(timeoutMs: number): void {
    const seen = this.readIndex;
    if (this.free() === 0) Atomics.wait(this.header, READ, seen, timeoutMs);
  }

  /** Main-thread side: resolves when data may be available. */
  async whenData(timeoutMs = 1000): Promise<void> {
    const seen = this.writeIndex;
    if (((seen - this.readIndex) | 0) !== 0) return;
    const result = waitAsync(this.header, WRITE, seen, timeoutMs);
    if (result.async) await result.value;
  }

  /** Ends a whenData wait at once (its reader has something else to look at). */
  wake(): void {
    Atomics.notify(this.header, WRITE);
  }

  /** Main-thread side: resolves when space may be available. */
  async whenSpace(timeoutMs = 1000): Promise<void> {
    const seen = this.readIndex;
    if (this.free() !== 0) return;
    const result = waitAsync(this.header, READ, seen, timeoutMs);
    if (result.async) await result.value;
  }
}
