import { ExecStreamDecoder } from '../src/exec/demux';

function frame(type: number, payload: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

const wire = Buffer.concat([
  frame(1, Buffer.from('out é\n')),
  frame(2, Buffer.from('err\n')),
  frame(1, Buffer.from([0xff, 0x41, 0xe2, 0x82])), // invalid byte, "A", first 2 bytes of "€"
  frame(1, Buffer.from([0xac, 0x0a])), // last byte of "€", newline
  frame(2, Buffer.from([0xc3])), // a sequence that never completes
]);

function decode(chunks: Buffer[]): [string, string][] {
  const output: [string, string][] = [];
  const decoder = new ExecStreamDecoder((stream, text) => {
    const last = output[output.length - 1];
    if (last?.[0] === stream) last[1] += text;
    else output.push([stream, text]);
  });
  chunks.forEach((chunk) => decoder.push(chunk));
  decoder.end();
  return output;
}

const expected = [
  ['stdout', 'out é\n'],
  ['stderr', 'err\n'],
  ['stdout', '\uFFFDA€\n'],
  ['stderr', '\uFFFD'],
];

test('frames in one chunk', () => {
  expect(decode([wire])).toEqual(expected);
});

test('frames cut at every possible byte', () => {
  for (let cut = 1; cut < wire.length; cut++) {
    expect(decode([wire.subarray(0, cut), wire.subarray(cut)])).toEqual(expected);
  }
});

test('one byte at a time', () => {
  expect(decode([...wire].map((byte) => Buffer.from([byte])))).toEqual(expected);
});
