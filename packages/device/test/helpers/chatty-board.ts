import type { Transport } from '../../src/transport/transport';
import { ForwardingTransport } from './forwarding-transport';

/**
 * A real board whose output also carries lines nobody asked for, as an ESP32 prints IDF
 * log lines or a Timer callback prints between runs: `say(text)` delivers text at once;
 * with `chatterOnWrite` the text arrives whenever code goes out (a \x04 or the raw-paste
 * request), before the board's own answer.
 */
export class ChattyBoard extends ForwardingTransport {
  private readonly listeners = new Set<(chunk: Uint8Array) => void>();
  chatterOnWrite: string | undefined;

  constructor(inner: Transport) {
    super(inner);
  }

  say(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    this.listeners.forEach((listener) => listener(bytes));
  }

  override write(data: Uint8Array): Promise<void> {
    const bytes = Buffer.from(data);
    if (this.chatterOnWrite && (bytes.includes(0x04) || bytes.includes(Buffer.from([0x05, 0x41, 0x01])))) this.say(this.chatterOnWrite);
    return this.inner.write(data);
  }

  override onData(listener: (chunk: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    const off = this.inner.onData(listener);
    return () => {
      this.listeners.delete(listener);
      off();
    };
  }
}
