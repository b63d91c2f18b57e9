/**
 * Splits the Engine API's multiplexed exec stream (Tty: false) into stdout and
 * stderr text. Each frame is an 8-byte header (stream type: 1 stdout, 2 stderr;
 * 3 zero bytes; u32 big-endian payload length) followed by the payload. Frames and
 * UTF-8 sequences may be cut anywhere by the transport: both are reassembled, and
 * bytes that are not UTF-8 become U+FFFD instead of failing.
 */
export class ExecStreamDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoders = { 1: new TextDecoder('utf-8'), 2: new TextDecoder('utf-8') };

  constructor(private readonly onText: (stream: 'stdout' | 'stderr', text: string) => void) {}

  push(chunk: Buffer): void {
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    let offset = 0;
    while (this.pending.length - offset >= 8) {
      const type = this.pending[offset];
      const length = this.pending.readUInt32BE(offset + 4);
      if (this.pending.length - offset - 8 < length) break;
      if (type === 1 || type === 2) this.emit(type, this.pending.subarray(offset + 8, offset + 8 + length), true);
      offset += 8 + length;
    }
    this.pending = this.pending.subarray(offset);
  }

  /** Flushes the decoders' incomplete sequences (as U+FFFD) at the end of the stream. */
  end(): void {
    this.emit(1, new Uint8Array(), false);
    this.emit(2, new Uint8Array(), false);
  }

  private emit(type: 1 | 2, bytes: Uint8Array, more: boolean): void {
    const text = this.decoders[type].decode(bytes, { stream: more });
    if (text) this.onText(type === 1 ? 'stdout' : 'stderr', text);
  }
}
