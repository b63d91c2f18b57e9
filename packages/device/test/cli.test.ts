import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PtyBoard, temporaryDir } from './helpers/pty-board';

const CLI = join(__dirname, '../src/cli/main.js');

// `iot-device` as a user runs it: a child process against a board on a pty.
describe('iot-device', () => {
  const tmp = temporaryDir('ide49-device-cli-');
  let board: PtyBoard;
  beforeAll(async () => {
    board = await PtyBoard.start({ dir: tmp.path });
  });
  afterAll(async () => {
    await board.stop();
    tmp.remove();
  });

  function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(process.execPath, [CLI, ...args], { env: { ...process.env, JUPYTER_CONFIG_DIR: join(tmp.path, 'jupyter'), IOT_DEVICE: '', ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
    });
  }

  it('exec prints output, and a traceback on stderr with exit code 1', async () => {
    expect(await cli(['-d', board.path, 'exec', 'print("héllo", 1 + 1)'])).toEqual({ code: 0, stdout: 'héllo 2\n', stderr: '' });
    const failed = await cli(['-d', `serial://${board.path}`, 'exec', 'x = 1\n1/0']);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/line 2[\s\S]*ZeroDivisionError: divide by zero/);
  });

  it('eval prints values; run executes a local file', async () => {
    expect((await cli(['-d', board.path, 'eval', '[1, "a", None]'])).stdout).toBe('[1,"a",null]\n');
    const file = join(tmp.path, 'script.py');
    writeFileSync(file, 'for i in range(3):\n    print(i * i)\n');
    expect(await cli(['-d', board.path, 'run', file])).toEqual({ code: 0, stdout: '0\n1\n4\n', stderr: '' });
  });

  it('registers names, uses them and IOT_DEVICE, and lists them in devices', async () => {
    const registered = await cli(['register', 'bench-pty', board.path]);
    expect(registered.code).toBe(0);
    expect((await cli(['-d', 'bench-pty', 'eval', '6 * 7'])).stdout).toBe('42\n');
    expect((await cli(['eval', '"only one registered"'])).stdout).toBe('only one registered\n');
    expect((await cli(['eval', '1'], { IOT_DEVICE: 'virtual://cli-env' })).stdout).toBe('1\n');
    const devices = await cli(['devices']);
    expect(devices.stdout).toMatch(new RegExp(`bench-pty\\s+serial://${board.path}\\s+not-identified`));
    expect((await cli(['unregister', 'bench-pty'])).code).toBe(0);
    const none = await cli(['-d', 'bench-pty', 'eval', '1']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/unknown device "bench-pty"/);
  });

  it('identifies registered boards with devices -i, and resets', async () => {
    await cli(['register', 'probe', board.path]);
    const devices = await cli(['devices', '-i']);
    expect(devices.stdout).toMatch(/probe\s+serial:\S+\s+identified\s+.*uid [0-9a-f]{16}/);
    expect((await cli(['-d', 'probe', 'reset', '--soft'])).code).toBe(0);
    expect((await cli(['-d', 'probe', 'reset', '--hard'])).stdout).toMatch(/MicroPython/);
    await cli(['unregister', 'probe']);
  });

  it.each([[[]], [['-i']]])('repl %j passes keys through until Ctrl-]', async (flags: string[]) => {
    const child = spawn(process.execPath, [CLI, '-d', board.path, 'repl', ...flags], { env: { ...process.env, JUPYTER_CONFIG_DIR: join(tmp.path, 'jupyter') } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let terminal = '';
    const waiting = new Set<() => void>();
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (d) => {
        terminal += d;
        waiting.forEach((check) => check());
      });
    }
    const saw = (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => terminal.includes(text) && (waiting.delete(check), resolve());
        waiting.add(check);
        check();
      });
    try {
      await saw('Ctrl-]');
      child.stdin.write('print(6 * 7)\r');
      await saw('42');
      child.stdin.write('\x1d');
      expect(await exited).toBe(0);
    } finally {
      child.kill();
    }
  });

  it('input() reads one line of a pipe each time; at its end it gets an empty line', async () => {
    const run = spawn(process.execPath, [CLI, '-d', board.path, 'exec', 'a = input()\nb = input()\nc = input()\nprint([a, b, c])'], {
      env: { ...process.env, JUPYTER_CONFIG_DIR: join(tmp.path, 'jupyter') },
    });
    let stdout = '';
    run.stdout.on('data', (d) => (stdout += d));
    run.stdin.end('first\nsecond\n');
    expect(await new Promise((resolve) => run.once('exit', resolve))).toBe(0);
    expect(stdout).toBe("['first', 'second', '']\n");
  });

  it('exec stops the board on Ctrl-C (SIGINT): KeyboardInterrupt, exit 1', async () => {
    const child = spawn(process.execPath, [CLI, '-d', board.path, 'exec', 'import time\nwhile True:\n    print("tick")\n    time.sleep(0.02)'], {
      env: { ...process.env, JUPYTER_CONFIG_DIR: join(tmp.path, 'jupyter') },
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      await new Promise((resolve) => child.stdout.once('data', resolve));
      child.kill('SIGINT');
      expect(await exited).toBe(1);
      expect(stderr).toMatch(/KeyboardInterrupt/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('explains usage errors', async () => {
    const result = await cli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown command "frobnicate"[\s\S]*usage: iot-device/);
  });
});
