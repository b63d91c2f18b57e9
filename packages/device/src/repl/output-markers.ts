/**
 * Messages from board code to the host inside stdout: input() requests and the value of a
 * cell's last expression. Each is `<marker><payload>\x07`; the marker holds a random token
 * made for this connection, so ordinary output cannot look like it. The token need not be
 * secret (the board's code can read it), only unlikely in output: Math.random suffices,
 * and spares every CLI call the load of node:crypto (~3 ms).
 *
 * Two functions are installed on the board once per connection and soft reset (as builtins,
 * or in the user's globals on ports whose builtins cannot be changed):
 * - `input` replaced: writes the marker and the prompt as hex, then reads a line from stdin;
 * - `_ide49s(v)`: writes the marker, `=` and repr(v) unless v is None (a \x07 in the repr
 *   as `\\x07`). Code sent as `_ide49s((EXPR))` costs 11 bytes more than EXPR on the wire.
 */
export class OutputMarkers {
  readonly marker = `\x1b]i49;${randomHex(8)};`;

  /** Python that installs both functions; it leaves no other names behind in the user's globals. */
  installCode(): string {
    const marker = this.marker.replace('\x1b', '\\x1b');
    return [
      'def _ide49i(p="",s=__import__("sys")):',
      ` s.stdout.write("${marker}%s\\x07"%"".join("%02x"%b for b in str(p).encode()))`,
      ' r=getattr(s.stdin,"buffer",s.stdin);l=b""',
      ' while 1:',
      '  c=r.read(1);c=c if type(c)is bytes else c.encode()',
      '  if c in(b"\\n",b""):return l.decode()',
      '  l+=c',
      'def _ide49s(v,s=__import__("sys")):',
      // written in pieces: a big value's repr is not copied twice more in a small board's RAM
      ` if v is not None:r=repr(v);s.stdout.write("${marker}=");s.stdout.write(r.replace("\\x07","\\\\x07") if "\\x07" in r else r);s.stdout.write("\\x07")`,
      'try:',
      ' b=__import__("builtins");b.input=_ide49i;b._ide49s=_ide49s;del b,_ide49i,_ide49s',
      'except AttributeError:',
      ' input=_ide49i;del b,_ide49i',
    ].join('\n');
  }

  /** `expression` wrapped so that its value reaches the host as ExecResult.value (unless it is None). */
  showValueCall(expression: string): string {
    return `_ide49s((${expression}))`; // parenthesised: `a, b` is one tuple
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
  /** How much of `held` (a marker's message) is known to hold no \x07 yet. */
  private searched = 0;

  constructor(private readonly marker: string) {}

  push(text: string): OutputPiece[] {
    let rest = this.held + text;
    let searchFrom = this.searched; // a long value arrives in many chunks: search only what is new
    this.held = '';
    this.searched = 0;
    const pieces: OutputPiece[] = [];
    for (;;) {
      const at = rest.indexOf(this.marker);
      if (at < 0) break;
      const end = rest.indexOf('\x07', Math.max(at + this.marker.length, searchFrom));
      searchFrom = 0;
      if (at > 0) pieces.push({ text: rest.slice(0, at) });
      if (end < 0) {
        this.held = rest.slice(at);
        this.searched = this.held.length;
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
