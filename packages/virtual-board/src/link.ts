/**
 * The wire between host and board, one direction at a time: bytes take 10 bit times
 * each (8N1) at the configured baud, arrive after a fixed latency, and at most
 * `bufferBytes` may be in flight, so a sender feels back-pressure as it would from a
 * USB-serial bridge. Arrival times are computed from the cumulative wire time of all
 * bytes accepted so far (not per chunk), so long transfers keep the nominal rate
 * whatever the timer granularity.
 */
export type LinkPreset = 'uart115200' | 'usb-cdc' | 'none';

export interface LinkSettings {
  /** Bits per second; 0 means unthrottled. */
  baud: number;
  latencyMs: number;
  /** Bytes that may be in flight before `send` waits (default: 4096, or 25 ms of wire time if more). */
  bufferBytes?: number;
}

export const LINK_PRESETS: Record<LinkPreset, LinkSettings> = {
  uart115200: { baud: 115200, latencyMs: 1 },
  'usb-cdc': { baud: 8_000_000, latencyMs: 1 },
  none: { baud: 0, latencyMs: 0 },
};

export const MIN_LINK_BUFFER_BYTES = 4096;
/** Enough in flight to ride out event-loop hiccups of this long without idling the wire. */
const BUFFER_WIRE_MS = 25;
const BITS_PER_BYTE = 10;
/** Deliveries closer together than this are batched into one timer. */
const MIN_TIMER_MS = 1;
/** In flight at most this much, the rest of a message is delivered at its exact arrival time. */
const PRECISE_TAIL_BYTES = 256;
/** How long before such an arrival the timer hands over to waiting on the event loop. */
const PRECISE_WAIT_MS = 1.5;

export function resolveLinkSettings(link: LinkPreset | LinkSettings | undefined): Required<LinkSettings> {
  const settings = typeof link === 'string' ? LINK_PRESETS[link] : (link ?? LINK_PRESETS.none);
  if (!settings) throw new Error(`unknown link preset "${String(link)}": use one of ${Object.keys(LINK_PRESETS).join(', ')}`);
  const bufferBytes = Math.max(MIN_LINK_BUFFER_BYTES, Math.ceil((settings.baud / BITS_PER_BYTE) * (BUFFER_WIRE_MS / 1000)));
  return { bufferBytes, ...settings };
}

/** Where a link delivers. `accept` may take fewer bytes than offered (receiver full). */
export interface LinkSink {
  accept(chunk: Uint8Array): number;
  /** Resolves when the receiver may take more bytes after a short `accept`. */
  whenReady(): Promise<void>;
}

interface InFlight {
  bytes: Uint8Array;
  /** ms timestamp (performance.now) at which the first byte has fully crossed the wire. */
  start: number;
  delivered: number;
}

export class LinkDirection {
  private readonly settings: Required<LinkSettings>;
  private readonly msPerByte: number;
  private queue: InFlight[] = [];
  private inFlightBytes = 0;
  private wireFreeAt = 0;
  private cancelTimer: (() => void) | undefined;
  private waitingForSink = false;
  private spaceWaiters: Array<() => void> = [];
  private closed = false;

  constructor(
    settings: Required<LinkSettings>,
    private readonly sink: LinkSink,
  ) {
    this.settings = settings;
    this.msPerByte = settings.baud > 0 ? (BITS_PER_BYTE * 1000) / settings.baud : 0;
  }

  /** Resolves once every byte is accepted into the link (not yet delivered). */
  async send(data: Uint8Array): Promise<void> {
    let offset = 0;
    let heldBack = false;
    while (offset < data.length) {
      if (this.closed) throw new Error('link closed: the virtual board was stopped');
      const room = this.settings.bufferBytes - this.inFlightBytes;
      if (room <= 0) {
        await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
        heldBack = true;
        continue;
      }
      const piece = data.subarray(offset, offset + room);
      offset += piece.length;
      this.enqueue(piece.slice(), heldBack);
    }
  }

  /** Drops everything in flight (the board at the other end was reset). */
  clear(): void {
    this.queue = [];
    this.inFlightBytes = 0;
    this.releaseSpaceWaiters();
  }

  close(): void {
    this.closed = true;
    this.clear();
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /**
   * Bytes a sender had ready while the link held it back, or that join bytes still
   * queued, follow the previous ones on the wire without a gap, even when the event
   * loop got to them late: the wire does not idle because a timer fired late.
   */
  private enqueue(bytes: Uint8Array, heldBack: boolean): void {
    const continuous = heldBack || this.queue.length > 0;
    // (an unthrottled wire takes no time: each chunk leaves when it is sent)
    const start = this.msPerByte === 0 ? performance.now() : (continuous ? this.wireFreeAt : Math.max(performance.now(), this.wireFreeAt)) + this.msPerByte;
    this.wireFreeAt = start + (bytes.length - 1) * this.msPerByte;
    this.queue.push({ bytes, start, delivered: 0 });
    this.inFlightBytes += bytes.length;
    this.schedule();
  }

  /** When the byte at `index` of `chunk` has crossed the wire and the latency. */
  private arrivalOf(chunk: InFlight, index: number): number {
    return chunk.start + index * this.msPerByte + this.settings.latencyMs;
  }

  /**
   * Streams are delivered in timer-sized batches (arrival times stay exact because they
   * are cumulative). The tail of a message (little left in flight) is delivered whole,
   * at its exact arrival time: the last stretch is waited out on the event loop rather
   * than rounded up to the next timer tick, so round trips keep the link's timing.
   */
  private schedule(): void {
    if (this.cancelTimer || this.waitingForSink || this.closed || this.queue.length === 0) return;
    const tail = this.inFlightBytes <= PRECISE_TAIL_BYTES;
    // a tail is delivered message by message, each whole at its last byte's arrival
    const head = this.queue[0];
    const due = this.arrivalOf(head, tail ? head.bytes.length - 1 : head.delivered);
    const delay = due - performance.now();
    if (delay > (tail ? PRECISE_WAIT_MS : 0)) {
      const timeout = setTimeout(() => this.deliver(), Math.max(MIN_TIMER_MS, tail ? delay - PRECISE_WAIT_MS : delay));
      this.cancelTimer = () => clearTimeout(timeout);
      return;
    }
    const immediate = setImmediate(() => (performance.now() >= due ? this.deliver() : this.pollUntil(due)));
    this.cancelTimer = () => clearImmediate(immediate);
  }

  private pollUntil(due: number): void {
    const immediate = setImmediate(() => (performance.now() >= due ? this.deliver() : this.pollUntil(due)));
    this.cancelTimer = () => clearImmediate(immediate);
  }

  private deliver(): void {
    this.cancelTimer = undefined;
    const arrivedBy = performance.now() - this.settings.latencyMs;
    while (this.queue.length > 0) {
      const head = this.queue[0];
      // unthrottled: a chunk arrives whole, once its latency has passed
      const arrived =
        this.msPerByte === 0 ? (arrivedBy >= head.start ? head.bytes.length : 0) : Math.min(head.bytes.length, Math.floor((arrivedBy - head.start) / this.msPerByte + 1e-9) + 1);
      if (arrived <= head.delivered) break;
      const accepted = this.sink.accept(head.bytes.subarray(head.delivered, arrived));
      head.delivered += accepted;
      this.inFlightBytes -= accepted;
      if (head.delivered === head.bytes.length) this.queue.shift();
      if (head.delivered < arrived) {
        this.waitForSink();
        break;
      }
    }
    this.releaseSpaceWaiters();
    this.schedule();
  }

  private waitForSink(): void {
    this.waitingForSink = true;
    void this.sink.whenReady().then(() => {
      this.waitingForSink = false;
      if (!this.closed) this.deliver();
    });
  }

  private releaseSpaceWaiters(): void {
    if (this.inFlightBytes >= this.settings.bufferBytes && !this.closed) return;
    const waiters = this.spaceWaiters;
    this.spaceWaiters = [];
    for (const wake of waiters) wake();
  }
}
