/**
 * Messages from board code to the host inside stdout: input() requests and the value of a
 * cell's last expression. Each is `<marker><payload>\x07`; the marker holds a random token
 * made for this connection, so ordinary output cannot look like it. The token need not be
 * secret (the board's code can read it), only unlikely in output: Math.random suffices,
 * and spares every CLI call the load of node:crypto (~3 ms).
 *
 * - input(): the board's builtins.input is replaced (once per session and soft reset) by a
 *   function that writes the marker and the prompt as hex, then reads one line from stdin.
 * - a value: the marker, `=`, then its repr (a \x07 in it written as `\\x07`).
 */
export class OutputMarkers {
  readonly marker = `\x1b]i49;${randomHex(8)};`;

  /** Python run on the board to install the input() replacement; it leaves no names behind in the user's globals. */
  installInputCode(): string {
    return [
      'def _ide49i(p="",s=__import__("sys")):',
      ` s.stdout.write("${this.escapedMarker()}%s\\x07"%"".join("%02x"%b for b in str(p).encode()))`,
      ' r=getattr(s.stdin,"buffer",s.stdin);l=b""',
      ' while 1:',
      '  c=r.read(1);c=c if type(c)is bytes else c.encode()',
      '  if c in(b"\\n",b""):return l.decode()',
      '  l+=c',
      '__import__("builtins").input=_ide49i',
      'del _ide49i',
    ].join('\n');
  }

  /**
   * Python lines that send the value of the global `name` to the host unless it is None (as
   * a REPL shows it), then delete the name. ExecResult.value carries it.
   */
  showValueCode(name: string): string {
    return [
      `if ${name} is not None: print("${this.escapedMarker()}=" + repr(${name}).replace("\\x07", "\\\\x07"), end="\\x07")`,
      `del ${name}`,
    ].join('\n');
  }

  private escapedMarker(): string {
    return this.marker.replace('\x1b', '\\x1b');
  }
}

function randomHex(digits: number): string {
  return Array.from({ length: digits }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

export type OutputPiece = { text: string } | { prompt: string } | { value: string };

/**
 * Splits decoded stdout into ordinary text, input requests and values. A tail that could
 * be the start of a marker (or an unfinished message) is held back until more arrives.
 */
export class OutputMarkerScanner {
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
      if (at > 0) pieces.push({ text: rest.slice(0, at) });
      if (end < 0) {
        this.held = rest.slice(at);
        return pieces;
      }
      const payload = rest.slice(at + this.marker.length, end);
      pieces.push(payload.startsWith('=') ? { value: payload.slice(1) } : { prompt: Buffer.from(payload, 'hex').toString('utf8') });
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
