/**
 * Turns a board's byte stream into text for people: UTF-8 sequences split across reads
 * are held back until complete, and the board's "\r\n" line ends become "\n" (a "\r" at
 * the end of a chunk is held back until the next byte says which it is).
 */
export class BoardTextStream {
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private heldCarriageReturn = false;

  push(bytes: Uint8Array): string {
    return this.normalise(this.decoder.decode(bytes, { stream: true }));
  }

  /** The end of the stream: whatever is held back comes out (a truncated sequence as U+FFFD). */
  end(): string {
    const tail = this.normalise(this.decoder.decode());
    const cr = this.heldCarriageReturn ? '\r' : '';
    this.heldCarriageReturn = false;
    return tail + cr;
  }

  private normalise(text: string): string {
    if (this.heldCarriageReturn) {
      text = '\r' + text;
      this.heldCarriageReturn = false;
    }
    if (text.endsWith('\r')) {
      this.heldCarriageReturn = true;
      text = text.slice(0, -1);
    }
    return text.replace(/\r\n/g, '\n');
  }
}
