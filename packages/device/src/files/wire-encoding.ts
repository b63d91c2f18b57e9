/**
 * How file bytes travel over the raw REPL without base64's 33 % overhead.
 *
 * Host → board: a Python bytes literal carrying the bytes themselves. MicroPython's raw
 * REPL (plain and raw-paste) and its lexer are 8-bit clean, so only the bytes the REPL
 * or the lexer would act on are escaped: NUL..0x04 (REPL control bytes; NUL ends the
 * lexer's input), CR and LF (line ends inside a literal), the quote and the backslash.
 * Random data grows by about 4 %.
 *
 * Board → host: raw bytes where 0x1b escapes 0x1b, 0x04 (it would end the raw REPL's
 * output), LF and CR (boards and the virtual board may turn LF into CR LF on the way
 * out), and 0x1b 'E' ends the data; a trailer "<sha256 hex> <size>" follows.
 */

const BACKSLASH = 0x5c;
const OCTAL_DIGITS = new Set([0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37]);
const NAMED_ESCAPES = new Map<number, string>([
  [0x0a, '\\n'],
  [0x0d, '\\r'],
  [0x27, "\\'"],
  [BACKSLASH, '\\\\'],
]);

/** `b'...'` with `data` inside, as bytes to put into the code sent to the board. */
export function bytesLiteral(data: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(data.length * 4 + 3);
  let n = 0;
  out[n++] = 0x62; // b
  out[n++] = 0x27; // '
  for (let i = 0; i < data.length; i++) {
    const byte = data[i];
    const named = NAMED_ESCAPES.get(byte);
    if (named !== undefined) {
      n += out.write(named, n, 'latin1');
    } else if (byte <= 0x04) {
      // shortest octal escape unless an octal digit follows, which would join it
      const escape = OCTAL_DIGITS.has(data[i + 1]) ? `\\00${byte}` : `\\${byte}`;
      n += out.write(escape, n, 'latin1');
    } else {
      out[n++] = byte;
    }
  }
  out[n++] = 0x27;
  return out.subarray(0, n);
}

const ESCAPE = 0x1b;
/** The byte after 0x1b → the byte it stands for. */
const ESCAPED = new Map<number, number>([
  [0x1b, 0x1b],
  [0x44, 0x04], // 'D'
  [0x6e, 0x0a], // 'n'
  [0x72, 0x0d], // 'r'
]);
const END_OF_DATA = 0x45; // 'E'

/**
 * Decodes the board's escaped output of one file read as it arrives, so progress can be
 * shown while it streams.
 */
export class EscapedStreamDecoder {
  private readonly chunks: Buffer[] = [];
  private received = 0;
  private pendingEscape = false;
  private ended = false;
  private trailerBytes: number[] = [];

  /** Bytes of file content decoded so far. */
  get size(): number {
    return this.received;
  }

  push(bytes: Uint8Array): void {
    let start = 0;
    const flush = (end: number) => {
      if (end > start) {
        this.chunks.push(Buffer.from(bytes.subarray(start, end)));
        this.received += end - start;
      }
    };
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      if (this.ended) {
        this.trailerBytes.push(byte);
        start = i + 1;
      } else if (this.pendingEscape) {
        this.pendingEscape = false;
        const original = ESCAPED.get(byte);
        if (byte === END_OF_DATA) this.ended = true;
        else if (original === undefined) throw new Error(`the board sent an unknown escape 0x1b 0x${byte.toString(16)} in file data; is other code printing?`);
        else this.append(original);
        start = i + 1;
      } else if (byte === ESCAPE) {
        flush(i);
        this.pendingEscape = true;
        start = i + 1;
      }
    }
    if (!this.ended && !this.pendingEscape) flush(bytes.length);
  }

  /** The file content and the board's account of it, once the end marker has arrived. */
  finish(): { data: Buffer; sha256: string; size: number } {
    const trailer = Buffer.from(this.trailerBytes).toString('latin1').trim().split(' ');
    if (!this.ended || trailer.length !== 2) {
      throw new Error('the board ended the file read without its end marker (link cut or board reset?); try again');
    }
    return { data: Buffer.concat(this.chunks), sha256: trailer[0], size: Number(trailer[1]) };
  }

  private append(byte: number): void {
    this.chunks.push(Buffer.of(byte));
    this.received++;
  }
}
