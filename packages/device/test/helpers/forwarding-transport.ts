import type { Transport, TransportGoneError } from '../../src/transport/transport';

/**
 * A transport that hands every call to another one; tests and benchmarks extend it and
 * override only the calls they watch or change (bytes counted, a firmware quirk faked).
 */
export class ForwardingTransport implements Transport {
  constructor(protected readonly inner: Transport) {}

  get url(): string {
    return this.inner.url;
  }
  get maxWriteSize(): number {
    return this.inner.maxWriteSize;
  }
  get isOpen(): boolean {
    return this.inner.isOpen;
  }
  open(): Promise<void> {
    return this.inner.open();
  }
  close(): Promise<void> {
    return this.inner.close();
  }
  write(data: Uint8Array): Promise<void> {
    return this.inner.write(data);
  }
  onData(listener: (chunk: Uint8Array) => void): () => void {
    return this.inner.onData(listener);
  }
  onGone(listener: (error: TransportGoneError) => void): () => void {
    return this.inner.onGone(listener);
  }
}
