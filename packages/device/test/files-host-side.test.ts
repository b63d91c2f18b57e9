import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { normaliseBoardPath, parseLocation, PathFilter, readHostTree } from '../src/files';
import { bytesLiteral, EscapedStreamDecoder } from '../src/files/wire-encoding';

// Host-only parts of the file machinery; the board side is exercised in files.test.ts.

function escapeLikeTheBoard(data: Buffer): Buffer {
  const out: number[] = [];
  for (const byte of data) {
    if (byte === 0x1b) out.push(0x1b, 0x1b);
    else if (byte === 0x04) out.push(0x1b, 0x44);
    else if (byte === 0x0a) out.push(0x1b, 0x6e);
    else if (byte === 0x0d) out.push(0x1b, 0x72);
    else out.push(byte);
  }
  const sha = createHash('sha256').update(data).digest('hex');
  return Buffer.concat([Buffer.from(out), Buffer.from(`\x1bE${sha} ${data.length}`)]);
}

test('the read decoder undoes the escaping whatever the chunk boundaries', () => {
  const data = Buffer.concat([randomBytes(5000), Buffer.from([0x1b, 0x04, 0x1b, 0x1b, 0x04, 0x0d, 0x0a, 0x0a])]);
  const wire = escapeLikeTheBoard(data);
  for (const chunkSize of [1, 2, 3, 7, 4096]) {
    const decoder = new EscapedStreamDecoder();
    for (let i = 0; i < wire.length; i += chunkSize) decoder.push(wire.subarray(i, i + chunkSize));
    const result = decoder.finish();
    expect(result.data.equals(data)).toBe(true);
    expect(result.size).toBe(data.length);
    expect(result.sha256).toBe(createHash('sha256').update(data).digest('hex'));
  }
});

test('a read cut before the end marker is an error that says what to do', () => {
  const decoder = new EscapedStreamDecoder();
  decoder.push(Buffer.from('partial'));
  expect(() => decoder.finish()).toThrow(/try again/);
});

test('write literals escape only what the REPL or the lexer would act on', () => {
  const literal = bytesLiteral(Buffer.from([0x00, 0x41, 0x04, 0x37, 0x0a, 0x0d, 0x27, 0x5c, 0xff, 0x80, 0x1b]));
  expect(literal.toString('latin1')).toBe("b'\\0A\\0047\\n\\r\\'\\\\\xff\x80\x1b'");
  const random = randomBytes(65536);
  expect(bytesLiteral(random).length / random.length).toBeLessThan(1.06);
});

test('board locations are absolute and normalised', () => {
  expect(parseLocation(':lib/x.py')).toEqual({ side: 'board', path: '/lib/x.py' });
  expect(parseLocation(':/a//b/../c/')).toEqual({ side: 'board', path: '/a/c' });
  expect(parseLocation(':')).toEqual({ side: 'board', path: '/' });
  expect(parseLocation('src/main.py')).toEqual({ side: 'host', path: 'src/main.py' });
  expect(normaliseBoardPath('')).toBe('/');
});

test('exclude patterns follow gitignore rules and cover everything below an excluded folder', () => {
  const filter = new PathFilter(['*.pyc', 'build/', '/top.txt', '!keep.pyc']);
  expect(filter.excludes('a/b/c.pyc', false)).toBe(true);
  expect(filter.excludes('keep.pyc', false)).toBe(false);
  expect(filter.excludes('build', true)).toBe(true);
  expect(filter.excludes('build/x/y.py', false)).toBe(true);
  expect(filter.excludes('build', false)).toBe(false);
  expect(filter.excludes('top.txt', false)).toBe(true);
  expect(filter.excludes('sub/top.txt', false)).toBe(false);
  expect(filter.excludes('.git/config', false)).toBe(true);
  expect(filter.excludes('.ide49ignore', false)).toBe(true);
  expect(filter.excludes('main.py', false)).toBe(false);
});

test('ignore files in subfolders speak of the paths below them, after the rules above', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'ide49-ignore-'));
  try {
    const put = (rel: string, text = 'x') => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    };
    put('.gitignore', '*.log\n');
    put('main.py');
    put('debug.log');
    put('lib/.gitignore', '/cache/\n!wanted.log\n');
    put('lib/wanted.log');
    put('lib/other.log');
    put('lib/cache/x.py');
    put('lib/sub/cache/y.py'); // `/cache/` is anchored to lib/
    put('app/.ide49ignore', '# only a comment\n');
    put('app/cache/z.py');
    const filter = await PathFilter.forFolder(root);
    const tree = await readHostTree(root, filter);
    expect(tree.files.map((f) => f.path).sort()).toEqual(['app/cache/z.py', 'lib/sub/cache/y.py', 'lib/wanted.log', 'main.py']);
    // the same verdicts for board paths (what --delete may remove)
    expect(filter.excludes('lib/cache', true)).toBe(true);
    expect(filter.excludes('lib/other.log', false)).toBe(true);
    expect(filter.excludes('lib/wanted.log', false)).toBe(false);
    expect(filter.excludes('lib/.gitignore', false)).toBe(true);
    // a subfolder's `!pattern` does not undo --exclude or the always-excluded names
    put('sub/.gitignore', '*\n!.gitignore\n!keep.py\n!.git/\n');
    put('sub/keep.py');
    const forced = await PathFilter.forFolder(root, ['*.py']);
    await forced.addFolder(path.join(root, 'sub'), 'sub');
    expect(forced.excludes('sub/keep.py', false)).toBe(true);
    expect(forced.excludes('sub/.gitignore', false)).toBe(true);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
