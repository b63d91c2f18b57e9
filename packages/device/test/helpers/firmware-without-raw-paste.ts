import type { Transport } from '../../src/transport/transport';
import { ForwardingTransport } from './forwarding-transport';

const RAW_PASTE_REQUEST = Buffer.from([0x05, 0x41, 0x01]);

/**
 * A real board seen through a filter that makes it behave like firmware without
 * raw-paste: 'disabled' answers the request with `R\x00` (understood, turned off);
 * 'old' passes only the Ctrl-A on, as firmware before 1.14 sees it (it re-prints the
 * raw banner). Everything else goes through unchanged.
 */
export class FirmwareWithoutRawPaste extends ForwardingTransport {
  private readonly replies = new Set<(chunk: Uint8Array) => void>();

  constructor(
    inner: Transport,
    private readonly behaviour: 'disabled' | 'old',
  ) {
    super(inner);
  }

  override async write(data: Uint8Array): Promise<void> {
    const bytes = Buffer.from(data);
    const at = bytes.indexOf(RAW_PASTE_REQUEST);
    if (at < 0) return this.inner.write(data);
    if (at > 0) await this.inner.write(bytes.subarray(0, at));
    if (this.behaviour === 'old') await this.inner.write(Uint8Array.of(0x01));
    else setImmediate(() => this.replies.forEach((l) => l(Buffer.from('R\x00', 'latin1'))));
    const rest = bytes.subarray(at + RAW_PASTE_REQUEST.length);
    if (rest.length > 0) await this.write(rest);
  }

  override onData(listener: (chunk: Uint8Array) => void): () => void {
    this.replies.add(listener);
    const off = this.inner.onData(listener);
    return () => {
      this.replies.delete(listener);
      off();
    };
  }
}
