import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { copyFiles, formatSyncReport, syncFolder, TEMP_SUFFIX } from '../src/files';
import { everyByteValue, makeWorkDir, FilesBoard, readTree, removeWorkDir } from './files-fixtures';

// One virtual board on a pty (link preset 'none') for the whole file, as a user's CLI would talk to it.
let work: string;
let board: FilesBoard;

beforeAll(async () => {
  work = makeWorkDir();
  board = await FilesBoard.start(work);
});

afterAll(async () => {
  await board?.stop();
  removeWorkDir(work);
});

function hostFolder(name: string, files: Record<string, string | Buffer>): string {
  const root = path.join(work, name);
  rmSync(root, { recursive: true, force: true });
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  mkdirSync(root, { recursive: true });
  return root;
}

describe('binary round trips', () => {
  const sizes = [0, 1, 255, 256, 257, 65536];
  test.each(sizes)('%i bytes of every byte value, written and read back', async (size) => {
    const data = everyByteValue(size);
    await board.files.write([{ path: `/rt/every-${size}.bin`, data }]);
    expect(readFileSync(path.join(board.flashDir, 'rt', `every-${size}.bin`)).equals(data)).toBe(true);
    expect((await board.files.read(`/rt/every-${size}.bin`)).equals(data)).toBe(true);
  });

  test('64 KiB of random bytes and a compressible source file', async () => {
    const random = randomBytes(65536);
    const source = Buffer.from('def handler(event):\n    return {"ok": True, "n": event}\n'.repeat(1200));
    await board.files.write([
      { path: '/rt/random.bin', data: random },
      { path: '/rt/source.py', data: source },
    ]);
    expect((await board.files.read('/rt/random.bin')).equals(random)).toBe(true);
    expect((await board.files.read('/rt/source.py')).equals(source)).toBe(true);
  });
});

describe('streaming big files through stdin', () => {
  test('every byte value and random data arrive intact; small files still go as literals', async () => {
    const streaming = board.filesWith({ streamLink: board.transport, streamThreshold: 1024 });
    const every = everyByteValue(65536);
    const random = randomBytes(100_000);
    const before = board.execs;
    await streaming.write([
      { path: '/st/every.bin', data: every },
      { path: '/st/random.bin', data: random },
      { path: '/st/small.txt', data: Buffer.from('small') },
    ]);
    expect(board.execs - before).toBeLessThanOrEqual(4);
    expect(readFileSync(path.join(board.flashDir, 'st', 'every.bin')).equals(every)).toBe(true);
    expect(readFileSync(path.join(board.flashDir, 'st', 'random.bin')).equals(random)).toBe(true);
    expect(readFileSync(path.join(board.flashDir, 'st', 'small.txt'), 'utf8')).toBe('small');
  });

  test('a stop mid-stream keeps the previous file and leaves the board usable', async () => {
    const stop = new AbortController();
    const streaming = board.filesWith({ streamLink: board.transport, streamThreshold: 1024, signal: stop.signal });
    const previous = readFileSync(path.join(board.flashDir, 'st', 'random.bin'));
    const write = streaming.write([{ path: '/st/random.bin', data: randomBytes(200_000) }], (p) => {
      if (p.bytesDone > 50_000) stop.abort();
    });
    await expect(write).rejects.toThrow(/stopped/);
    expect(readFileSync(path.join(board.flashDir, 'st', 'random.bin')).equals(previous)).toBe(true);
    expect((await board.repl.exec('print(6 * 7)')).stdout.trim()).toBe('42');
  });
});

test('a stop mid-write (raw-paste) keeps the previous file; the next write completes', async () => {
  await board.files.write([{ path: '/stop/file.bin', data: Buffer.from('previous') }]);
  const stop = new AbortController();
  const stoppable = board.filesWith({ signal: stop.signal });
  const next = randomBytes(120_000);
  const write = stoppable.write([{ path: '/stop/file.bin', data: next }], (p) => {
    if (p.bytesDone > 20_000) stop.abort();
  });
  await expect(write).rejects.toThrow();
  expect(readFileSync(path.join(board.flashDir, 'stop', 'file.bin'), 'utf8')).toBe('previous');
  await board.files.write([{ path: '/stop/file.bin', data: next }]);
  expect(readFileSync(path.join(board.flashDir, 'stop', 'file.bin')).equals(next)).toBe(true);
});

describe('cp', () => {
  test('a folder with nested folders and non-ASCII names goes to the board and back', async () => {
    const src = hostFolder('cp-src', {
      'main.py': 'print("hi")\n',
      'lib/ünïcödé.py': 'X = "é"\n',
      'lib/deep/er/data.bin': randomBytes(3000),
      'données/日本.txt': 'こんにちは',
    });
    const up = await copyFiles(board.files, [src], ':/cp/', { recursive: true });
    expect(up.written).toHaveLength(4);
    expect(readFileSync(path.join(board.flashDir, 'cp', 'cp-src', 'données', '日本.txt'), 'utf8')).toBe('こんにちは');
    const back = path.join(work, 'cp-back');
    await copyFiles(board.files, [':/cp/cp-src'], back, { recursive: true });
    expect(readTree(back)).toEqual(readTree(src));
  });

  test('a single file to a new name, and a folder without -r is refused', async () => {
    const src = hostFolder('cp-one', { 'a.txt': 'A' });
    await copyFiles(board.files, [path.join(src, 'a.txt')], ':/cp/renamed.txt');
    expect(readFileSync(path.join(board.flashDir, 'cp', 'renamed.txt'), 'utf8')).toBe('A');
    await expect(copyFiles(board.files, [src], ':/cp')).rejects.toThrow(/-r/);
  });
});

describe('sync', () => {
  test('copies what differs, then nothing in one exec; --delete, --exclude and .ide49ignore', async () => {
    const local = hostFolder('sync-src', {
      'main.py': 'import app\n',
      'app/__init__.py': 'VERSION = 1\n',
      'app/util.py': 'def f(): pass\n',
      'build/out.bin': 'generated',
      'notes.tmp': 'scratch',
      '.ide49ignore': 'build/\n',
    });
    mkdirSync(path.join(local, 'empty'));
    const first = await syncFolder(board.files, local, '/s', { exclude: ['*.tmp'] });
    expect(first.added).toEqual(['app/', 'app/__init__.py', 'app/util.py', 'empty/', 'main.py']);
    expect(Object.keys(Object.fromEntries(readTree(path.join(board.flashDir, 's')))).sort()).toEqual(['app/__init__.py', 'app/util.py', 'main.py']);

    const before = board.execs;
    const second = await syncFolder(board.files, local, '/s', { exclude: ['*.tmp'] });
    expect(board.execs - before).toBe(1);
    expect(second.added.concat(second.updated, second.deleted)).toEqual([]);
    expect(second.unchanged).toHaveLength(5);

    writeFileSync(path.join(local, 'app/__init__.py'), 'VERSION = 2\n');
    rmSync(path.join(local, 'app/util.py'));
    await board.files.write([{ path: '/s/board-only.py', data: Buffer.from('x') }, { path: '/s/keep.tmp', data: Buffer.from('k') }]);
    const dry = await syncFolder(board.files, local, '/s', { exclude: ['*.tmp'], delete: true, dryRun: true });
    expect(dry.updated).toEqual(['app/__init__.py']);
    expect(dry.deleted).toEqual(['app/util.py', 'board-only.py']);
    expect(readFileSync(path.join(board.flashDir, 's/app/__init__.py'), 'utf8')).toBe('VERSION = 1\n');

    const third = await syncFolder(board.files, local, '/s', { exclude: ['*.tmp'], delete: true });
    expect(third.updated).toEqual(['app/__init__.py']);
    expect(third.deleted).toEqual(['app/util.py', 'board-only.py']);
    const onBoard = readTree(path.join(board.flashDir, 's'));
    expect([...onBoard.keys()].sort()).toEqual(['app/__init__.py', 'keep.tmp', 'main.py']);
    expect(onBoard.get('app/__init__.py')?.toString()).toBe('VERSION = 2\n');
  });

  test('--delete keeps the package folder (lib/) unless the host folder has one', async () => {
    await board.files.write([
      { path: '/flash/lib/pkg/__init__.py', data: Buffer.from('installed') },
      { path: '/flash/old.py', data: Buffer.from('old') },
    ]);
    const project = hostFolder('sync-project', { 'main.py': 'print(1)\n' });
    const report = await syncFolder(board.files, project, '/flash', { delete: true });
    expect(report.deleted).toEqual(['old.py']);
    expect(report.kept).toEqual([{ path: 'lib/', why: expect.stringMatching(/^installed packages/) }]);
    expect(formatSyncReport(report)).toMatch(/kept {6}lib\/ \(installed packages/);
    expect([...readTree(path.join(board.flashDir, 'flash')).keys()].sort()).toEqual(['lib/pkg/__init__.py', 'main.py']);

    const withLib = hostFolder('sync-project-lib', { 'main.py': 'print(1)\n', 'lib/mine.py': 'x = 1\n' });
    const mirrored = await syncFolder(board.files, withLib, '/flash', { delete: true });
    expect(mirrored.kept).toEqual([]);
    expect(mirrored.deleted).toEqual(['lib/pkg/', 'lib/pkg/__init__.py']);
    expect([...readTree(path.join(board.flashDir, 'flash')).keys()].sort()).toEqual(['lib/mine.py', 'main.py']);
  });

  test('--delete never removes excluded files, not even inside a board-only folder', async () => {
    await board.files.write([
      { path: '/ex/data/keep.log', data: Buffer.from('log') },
      { path: '/ex/data/x.py', data: Buffer.from('x') },
      { path: '/ex/gone/y.py', data: Buffer.from('y') },
    ]);
    const report = await syncFolder(board.files, hostFolder('sync-ex', { 'main.py': 'm' }), '/ex', { delete: true, exclude: ['*.log'] });
    expect(report.deleted).toEqual(['data/x.py', 'gone/', 'gone/y.py']);
    expect([...readTree(path.join(board.flashDir, 'ex')).keys()].sort()).toEqual(['data/keep.log', 'main.py']);
  });

  test('--delete into / keeps mount points (a pyboard\'s /flash, /sd) with all they hold; a dry run removes nothing', async () => {
    const other = await FilesBoard.start(work);
    try {
      await other.files.write([
        { path: '/flash/main.py', data: Buffer.from('on the flash') },
        { path: '/sd/data.csv', data: Buffer.from('1,2') },
        { path: '/old.py', data: Buffer.from('old') },
      ]);
      writeFileSync(path.join(other.flashDir, 'flash', `.main.py${TEMP_SUFFIX}`), 'partial');
      const local = hostFolder('sync-root', { 'boot.py': 'b' });
      const dry = await syncFolder(other.files, local, '/', { delete: true, dryRun: true });
      expect(dry.staleTemporaries).toEqual([`flash/.main.py${TEMP_SUFFIX}`]);
      expect(formatSyncReport(dry)).toContain(`would remove stale temporary flash/.main.py${TEMP_SUFFIX}`);
      expect(readTree(other.flashDir).has(`flash/.main.py${TEMP_SUFFIX}`)).toBe(true);
      const report = await syncFolder(other.files, local, '/', { delete: true });
      expect(report.deleted).toEqual(['old.py']);
      expect(report.kept).toEqual([
        { path: 'flash/', why: 'a filesystem mount point' },
        { path: 'sd/', why: 'a filesystem mount point' },
      ]);
      expect([...readTree(other.flashDir).keys()].sort()).toEqual(['boot.py', 'flash/main.py', 'sd/data.csv']);
    } finally {
      await other.stop();
    }
  });

  test('a tree whose hashes exceed one exec is compared in pieces (small boards), with the same answers', async () => {
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`pkg/module_${i}.py`, `X = ${i}\n`]));
    const local = hostFolder('sync-many', many);
    const small = board.filesWith({ execBudget: 512 });
    const first = await syncFolder(small, local, '/many');
    expect(first.added).toHaveLength(41);
    const before = board.execs;
    const again = await syncFolder(small, local, '/many');
    expect(again.unchanged).toHaveLength(41);
    expect(again.added.concat(again.updated, again.deleted)).toEqual([]);
    expect(board.execs - before).toBeGreaterThan(2); // several pieces, then the comparison
    writeFileSync(path.join(local, 'pkg/module_7.py'), 'X = "changed"\n');
    await board.files.write([{ path: '/many/pkg/extra.py', data: Buffer.from('e') }]);
    const third = await syncFolder(small, local, '/many', { delete: true });
    expect(third.updated).toEqual(['pkg/module_7.py']);
    expect(third.deleted).toEqual(['pkg/extra.py']);
  });

  test('without --delete, board-only files stay', async () => {
    const local = hostFolder('sync-keep', { 'a.py': 'a' });
    await board.files.write([{ path: '/k/extra.py', data: Buffer.from('e') }]);
    const report = await syncFolder(board.files, local, '/k');
    expect(report.deleted).toEqual([]);
    expect([...readTree(path.join(board.flashDir, 'k')).keys()].sort()).toEqual(['a.py', 'extra.py']);
  });

  test('stale temporary files are removed by sync and by cleanup', async () => {
    writeFileSync(path.join(board.flashDir, 'k', `.a.py${TEMP_SUFFIX}`), 'partial');
    const report = await syncFolder(board.files, hostFolder('sync-keep2', { 'a.py': 'a' }), '/k');
    expect(report.staleTemporaries).toEqual([`.a.py${TEMP_SUFFIX}`]);
    writeFileSync(path.join(board.flashDir, 'k', `.b.py${TEMP_SUFFIX}`), 'partial');
    expect(await board.files.cleanup('/k')).toEqual([`.b.py${TEMP_SUFFIX}`]);
    expect([...readTree(path.join(board.flashDir, 'k')).keys()].sort()).toEqual(['a.py', 'extra.py']);
  });
});
