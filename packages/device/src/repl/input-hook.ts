import { randomBytes } from 'node:crypto';

/**
 * input() on the board as a callback on the host. The board's builtins.input is
 * replaced (once per session and soft reset) by a function that writes
 * `<marker><prompt as hex>\x07` to stdout and reads one line from stdin. The marker
 * holds a random token made for this connection, so ordinary output cannot look like it.
 */
export class InputHook {
  readonly marker = `\x1b]ide49-input-${randomBytes(6).toString('hex')};`;

  /** Python run on the board to install the replacement (plain ASCII, no host data but the marker). */
  installCode(): string {
    return [
      'def _ide49_install():',
      ' import builtins, sys',
      ' stdin = getattr(sys.stdin, "buffer", sys.stdin)',
      ' def input(prompt=""):',
      `  sys.stdout.write(${JSON.stringify(this.marker)} + "".join("%02x" % b for b in str(prompt).encode()) + "\\x07")`,
      '  line = b""',
      '  while True:',
      '   c = stdin.read(1)',
      '   if isinstance(c, str): c = c.encode()',
      '   if not c or c == b"\\n": return line.decode()',
      '   line += c',
      ' builtins.input = input',
      '_ide49_install()',
      'del _ide49_install',
    ].join('\n');
  }
}

export type OutputPiece = { text: string } | { prompt: string };

/**
 * Splits decoded stdout into ordinary text and input requests. A tail that could be
 * the start of a marker (or an unfinished request) is held back until more arrives.
 */
export class InputRequestScanner {
  private held = '';

  constructor(private readonly marker: string) {}

  push(text: string): OutputPiece[] {
    let rest = this.held + text;
    this.held = '';
    const pieces: OutputPiece[] = [];
    for (;;) {
      const at = rest.indexOf(this.marker);
      if (at < 0) break;
      const end = rest.indexOf('\x07', at + this.marker.length);
      if (end < 0) {
        if (at > 0) pieces.push({ text: rest.slice(0, at) });
        this.held = rest.slice(at);
        return pieces;
      }
      if (at > 0) pieces.push({ text: rest.slice(0, at) });
      pieces.push({ prompt: Buffer.from(rest.slice(at + this.marker.length, end), 'hex').toString('utf8') });
      rest = rest.slice(end + 1);
    }
    const keep = this.partialMarkerLength(rest);
    this.held = rest.slice(rest.length - keep);
    const plain = rest.slice(0, rest.length - keep);
    if (plain) pieces.push({ text: plain });
    return pieces;
  }

  /** What is still held back when the run ends (it was not a marker after all). */
  end(): string {
    const held = this.held;
    this.held = '';
    return held;
  }

  private partialMarkerLength(text: string): number {
    for (let n = Math.min(this.marker.length - 1, text.length); n > 0; n--) {
      if (this.marker.startsWith(text.slice(text.length - n))) return n;
    }
    return 0;
  }
}
