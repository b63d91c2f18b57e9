/**
 * One byte-stream link to a board. Serial, the in-process virtual board, and later
 * WebREPL and BLE all implement this; everything above (raw REPL engine, files,
 * discovery) is written once against it, as mpremote does with its transports.
 *
 * Packet-based links (BLE with a 20..244-byte MTU, WebSocket frames) are fine:
 * `maxWriteSize` tells writers how to chunk, and `write` resolves only when the
 * link has accepted the bytes, so senders feel back-pressure on every transport.
 */
export interface Transport {
  /** The URL the transport was opened with, e.g. `serial:///dev/ttyACM0` or `virtual://demo`. */
  readonly url: string;
  /** Largest chunk one `write` call should carry (Infinity for stream links). */
  readonly maxWriteSize: number;
  /** True between a successful `open()` and `close()` or the link going away. */
  readonly isOpen: boolean;

  open(): Promise<void>;
  /** Resolves once the link accepted the bytes (drained); rejects with TransportGoneError if the link is gone. */
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;

  /** Bytes from the board, in order, as they arrive. Returns an unsubscribe function. */
  onData(listener: (chunk: Uint8Array) => void): () => void;
  /**
   * The link went away without `close()` being called (cable pulled, pty removed,
   * worker crashed). Fired once; the transport is closed afterwards.
   */
  onGone(listener: (error: TransportGoneError) => void): () => void;
}

/** The board or its link disappeared; `url` says which one. */
export class TransportGoneError extends Error {
  constructor(
    readonly url: string,
    message: string,
  ) {
    super(message);
    this.name = 'TransportGoneError';
  }
}
