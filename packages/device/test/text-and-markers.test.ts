import { parseBoardException, innermostLine } from '../src/repl/exception';
import { OutputMarkers, OutputMarkerScanner, type OutputPiece } from '../src/repl/output-markers';
import { BoardTextStream } from '../src/repl/text-stream';

describe('BoardTextStream', () => {
  it('decodes UTF-8 fed one byte at a time', () => {
    const text = 'héllo → 世界 🐍\r\nnext';
    const stream = new BoardTextStream();
    let out = '';
    for (const byte of Buffer.from(text, 'utf8')) out += stream.push(Uint8Array.of(byte));
    out += stream.end();
    expect(out).toBe('héllo → 世界 🐍\nnext');
  });

  it('folds \\r\\n split across chunks and keeps a lone \\r', () => {
    const stream = new BoardTextStream();
    expect(stream.push(Buffer.from('a\r'))).toBe('a');
    expect(stream.push(Buffer.from('\nb\rc'))).toBe('\nb\rc');
    expect(stream.push(Buffer.from('\r'))).toBe('');
    expect(stream.end()).toBe('\r');
  });
});

describe('OutputMarkerScanner', () => {
  const marker = new OutputMarkers().marker;
  const request = (prompt: string) => `${marker}${Buffer.from(prompt, 'utf8').toString('hex')}\x07`;

  function feedInPieces(text: string, size: number): OutputPiece[] {
    const scanner = new OutputMarkerScanner(marker);
    const pieces: OutputPiece[] = [];
    for (let i = 0; i < text.length; i += size) pieces.push(...scanner.push(text.slice(i, i + size)));
    const rest = scanner.end();
    if (rest) pieces.push({ text: rest });
    return pieces;
  }

  function joined(pieces: OutputPiece[]): Array<string | { prompt: string } | { value: string }> {
    const out: Array<string | { prompt: string } | { value: string }> = [];
    for (const p of pieces) {
      if ('prompt' in p) out.push({ prompt: p.prompt });
      else if ('value' in p) out.push({ value: p.value });
      else if (typeof out[out.length - 1] === 'string') out[out.length - 1] += p.text;
      else out.push(p.text);
    }
    return out;
  }

  it.each([1, 3, 7, 1000])('finds requests between text, fed in chunks of %i characters', (size) => {
    const stream = `before\n${request('Name? ')}after${request('é: ')}\x1b]not a marker\n`;
    expect(joined(feedInPieces(stream, size))).toEqual(['before\n', { prompt: 'Name? ' }, 'after', { prompt: 'é: ' }, '\x1b]not a marker\n']);
  });

  it.each([1, 5, 1000])('finds a value after the output, fed in chunks of %i characters', (size) => {
    expect(joined(feedInPieces(`out\n${marker}=[1, 'a\\x07']\x07`, size))).toEqual(['out\n', { value: "[1, 'a\\x07']" }]);
  });

  it('gives back a held partial marker when the run ends', () => {
    expect(joined(feedInPieces(`x${marker.slice(0, 5)}`, 2))).toEqual([`x${marker.slice(0, 5)}`]);
  });

  it('uses a different marker per connection', () => {
    expect(new OutputMarkers().marker).not.toBe(new OutputMarkers().marker);
  });
});

describe('parseBoardException', () => {
  it('parses a traceback', () => {
    const stderr = 'Traceback (most recent call last):\r\n  File "<stdin>", line 3, in <module>\r\nZeroDivisionError: divide by zero\r\n';
    const exception = parseBoardException(stderr)!;
    expect(exception).toEqual({
      type: 'ZeroDivisionError',
      message: 'divide by zero',
      traceback: ['Traceback (most recent call last):', '  File "<stdin>", line 3, in <module>', 'ZeroDivisionError: divide by zero'],
    });
    expect(innermostLine(exception)).toBe(3);
  });

  it('parses an exception without message and dotted types', () => {
    expect(parseBoardException('KeyboardInterrupt: \n')).toMatchObject({ type: 'KeyboardInterrupt', message: '' });
    expect(parseBoardException('Traceback:\nmod.CustomError: bad: thing\n')).toMatchObject({ type: 'mod.CustomError', message: 'bad: thing' });
    expect(parseBoardException('')).toBeUndefined();
  });
});
