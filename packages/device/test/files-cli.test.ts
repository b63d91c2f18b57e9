import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PtyBoard, temporaryDir } from './helpers/pty-board';

const CLI = join(__dirname, '../src/cli/main.js');

// The file commands of `iot-device` as a user runs them, against a board on a pty.
const tmp = temporaryDir('ide49-files-cli-');
const flash = join(tmp.path, 'flash');
let board: PtyBoard;

beforeAll(async () => {
  mkdirSync(flash);
  board = await PtyBoard.start({ dir: tmp.path, flashDir: flash });
});

afterAll(async () => {
  await board?.stop();
  tmp.remove();
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, JUPYTER_CONFIG_DIR: join(tmp.path, 'jupyter'), IOT_DEVICE: '' };
    execFile(process.execPath, [CLI, '-d', board.path, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('sync, diff, ls, cat, cp and rm', async () => {
  const project = join(tmp.path, 'project');
  mkdirSync(join(project, 'lib'), { recursive: true });
  writeFileSync(join(project, 'main.py'), 'import lib.util\n');
  writeFileSync(join(project, 'lib', 'util.py'), 'X = 1\n');
  writeFileSync(join(project, 'scratch.tmp'), 'no');

  const synced = await cli('sync', project, ':/app', '--exclude', '*.tmp');
  expect(synced.code).toBe(0);
  expect(synced.stdout).toMatch(/added {5}lib\/util\.py\nadded {5}main\.py\n3 added, 0 updated, 0 deleted, 0 unchanged; 22 B sent/);
  expect(readFileSync(join(flash, 'app', 'lib', 'util.py'), 'utf8')).toBe('X = 1\n');

  expect((await cli('diff', project, ':/app', '--exclude', '*.tmp')).code).toBe(0);
  writeFileSync(join(project, 'main.py'), 'print("changed")\n');
  const diff = await cli('diff', project, ':/app', '--exclude', '*.tmp');
  expect(diff.code).toBe(1);
  expect(diff.stdout).toMatch(/^updated {3}main\.py$/m);

  expect((await cli('ls', '-r', ':/app')).stdout).toBe(['           lib/', '         6 lib/util.py', '        16 main.py', ''].join('\n'));
  expect((await cli('cat', ':/app/lib/util.py')).stdout).toBe('X = 1\n');
  const copy = join(tmp.path, 'copy.py');
  expect((await cli('cp', ':/app/main.py', copy)).code).toBe(0);
  expect(readFileSync(copy, 'utf8')).toBe('import lib.util\n');

  const refused = await cli('rm', ':/app/lib');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toMatch(/-r/);
  expect((await cli('rm', '-r', ':/app/lib')).code).toBe(0);
  expect((await cli('ls', ':/app')).stdout).toBe('        16 main.py\n');
});

test('wrong command lines say what is expected (exit code 2)', async () => {
  const result = await cli('cp', 'only-one');
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(/source and a destination/);
});

test('rm never empties the board by accident; diff says 2 when it could not compare; mkdir takes no -p', async () => {
  for (const whole of [':', ':/', ':lib/..']) {
    const refused = await cli('rm', '-r', whole);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/is the whole board; to empty it, say rm -r --all :\//);
  }
  expect((await cli('ls', ':/app')).stdout).toBe('        16 main.py\n');
  expect((await cli('diff', join(tmp.path, 'no-such-folder'), ':/app')).code).toBe(2);
  expect((await cli('mkdir', '-p', ':/made')).code).toBe(2);
});
