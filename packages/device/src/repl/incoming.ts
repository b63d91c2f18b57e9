import type { Transport } from '../transport/transport';
import { BoardTimeoutError } from './types';

/** How often `quiet` looks at what arrived (and hands it on). */
const QUIET_POLL_MS = 100;
/**
 * Output a board prints while nobody reads it (a program printing between cells) is kept
 * up to this size, its newest part: runs and raw REPL entry drop it anyway, and each new
 * chunk copies what is kept.
 */
const MAX_UNREAD_BYTES = 64 * 1024;

/**
 * What a reader does with the bytes waiting so far: `consumed` bytes are dropped from
 * the front; `done` ends the wait with its value. Called again on every arrival.
 */
export type Scan<T> = (pending: Buffer) => { consumed: number; done?: { value: T } };

export interface TakeOptions {
  /** Said in the timeout message: "timed out after 5 s waiting for <what>". */
  what: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * The bytes a board sent that nobody has read yet, and one reader at a time waiting on
 * them. Every wait has a timeout that names what it expected, and ends at once with
 * TransportGoneError when the link goes away.
 */
export class IncomingBytes {
  private pending = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private goneError: Error | undefined;
  private divertedTo: ((chunk: Uint8Array) => void) | undefined;
  /** quiet() is collecting (it polls instead of waiting as a reader): nothing is dropped. */
  private collecting = false;
  private readonly unsubscribe: Array<() => void>;

  constructor(transport: Transport) {
    this.unsubscribe = [
      transport.onData((chunk) => {
        if (this.divertedTo) return this.divertedTo(chunk);
        this.pending = this.pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.pending, chunk]);
        if (this.wake) this.wake();
        else if (!this.collecting && this.pending.length > MAX_UNREAD_BYTES) this.pending = Buffer.from(this.pending.subarray(this.pending.length - MAX_UNREAD_BYTES / 4));
      }),
      transport.onGone((error) => {
        this.goneError = error;
        this.wake?.();
      }),
    ];
  }

  get gone(): Error | undefined {
    return this.goneError;
  }

  /** Drop everything received so far (stale banners, boot logs). */
  discard(): Buffer {
    const dropped = this.pending;
    this.pending = Buffer.alloc(0);
    return dropped;
  }

  take<T>(scan: Scan<T>, options: TakeOptions): Promise<T> {
    if (this.wake) throw new Error(`internal: two readers on one board link (while waiting for ${options.what})`);
    return new Promise<T>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (settle: () => void) => {
        this.wake = undefined;
        if (timer) clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        settle();
      };
      const onAbort = () => finish(() => reject(options.signal?.reason ?? new Error('aborted')));
      const step = () => {
        if (this.pending.length > 0) {
          let outcome: ReturnType<Scan<T>>;
          try {
            outcome = scan(this.pending);
          } catch (error) {
            // a reader's callback failed: the wait ends with its error, the link stays usable
            return finish(() => reject(error));
          }
          const { consumed, done } = outcome;
          if (consumed > 0) this.pending = this.pending.subarray(consumed);
          if (done) return finish(() => resolve(done.value));
        }
        if (this.goneError) {
          const gone = this.goneError;
          finish(() => reject(gone));
        }
      };
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(
          () => finish(() => reject(new BoardTimeoutError(`timed out after ${formatSeconds(options.timeoutMs!)} waiting for ${options.what}`))),
          options.timeoutMs,
        );
      }
      if (options.signal?.aborted) return onAbort();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.wake = step;
      step();
    });
  }

  /**
   * Wait for `marker`; resolves with the bytes before it (the marker is consumed).
   * Bytes that cannot be part of the marker are consumed as they come, so a board
   * printing without end does not make each look-up slower.
   */
  until(marker: string | Uint8Array, options: TakeOptions): Promise<Buffer> {
    const needle = Buffer.from(marker);
    const before: Buffer[] = [];
    return this.take((pending) => {
      const at = pending.indexOf(needle);
      if (at >= 0) {
        before.push(Buffer.from(pending.subarray(0, at)));
        return { consumed: at + needle.length, done: { value: Buffer.concat(before) } };
      }
      const safe = Math.max(0, pending.length - (needle.length - 1));
      if (safe > 0) before.push(Buffer.from(pending.subarray(0, safe)));
      return { consumed: safe };
    }, options);
  }

  /** Wait for exactly `count` bytes. */
  exactly(count: number, options: TakeOptions): Promise<Buffer> {
    return this.take((pending) => (pending.length < count ? { consumed: 0 } : { consumed: count, done: { value: Buffer.from(pending.subarray(0, count)) } }), options);
  }

  /**
   * Resolves once nothing arrived for `quietMs` after the last byte (or after `maxMs`, or
   * when the link goes away); returns what came meanwhile, also handed to `onChunk` as it
   * comes (boot logs shown live). Before the first byte it waits `firstOutputMs`: a board
   * that is resetting can be silent for a while before its banner.
   */
  async quiet(quietMs: number, maxMs: number, onChunk?: (chunk: Buffer) => void, firstOutputMs = quietMs): Promise<Buffer> {
    const start = Date.now();
    const deadline = start + maxMs;
    const received: Buffer[] = [];
    this.collecting = true;
    let lastArrival: number | undefined;
    let seen = this.pending.length; // bytes already waiting are not arrivals
    const waitingFor = () => (lastArrival === undefined ? firstOutputMs - (Date.now() - start) : quietMs - (Date.now() - lastArrival));
    while (waitingFor() > 0 && Date.now() < deadline && !this.goneError) {
      await new Promise((r) => setTimeout(r, Math.min(QUIET_POLL_MS, quietMs)));
      if (this.pending.length > seen) lastArrival = Date.now();
      if (onChunk && this.pending.length > 0) {
        received.push(this.discard());
        onChunk(received[received.length - 1]);
      }
      seen = this.pending.length;
    }
    this.collecting = false;
    received.push(this.discard());
    return Buffer.concat(received);
  }

  /** Hand every arriving byte to `listener` instead (an interactive terminal); returns the undo. */
  divert(listener: (chunk: Uint8Array) => void): () => void {
    const waiting = this.discard();
    this.divertedTo = listener;
    if (waiting.length > 0) listener(waiting);
    return () => {
      this.divertedTo = undefined;
    };
  }

  /** Stops listening; a wait in progress ends with an error. */
  dispose(): void {
    for (const off of this.unsubscribe) off();
    this.goneError ??= new Error('the connection to the board was closed');
    this.wake?.();
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}
