import type { TransportGoneError } from './transport';

/**
 * The `onData`/`onGone` subscriptions every transport keeps (serial, virtual, and later
 * WebREPL and BLE): a transport extends this, implements the rest of `Transport`, and
 * calls `emitData` / `emitGone` when its link delivers bytes or goes away.
 */
export abstract class TransportListeners {
  private readonly dataListeners = new Set<(chunk: Uint8Array) => void>();
  private readonly goneListeners = new Set<(error: TransportGoneError) => void>();

  onData(listener: (chunk: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onGone(listener: (error: TransportGoneError) => void): () => void {
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  protected emitData(chunk: Uint8Array): void {
    for (const listener of this.dataListeners) listener(chunk);
  }

  /** Listeners may unsubscribe while they are called, so they are called from a copy. */
  protected emitGone(error: TransportGoneError): void {
    for (const listener of [...this.goneListeners]) listener(error);
  }
}
