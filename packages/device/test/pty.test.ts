import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findBoardByUniqueId } from '../src/discovery/discover';
import { DeviceSession } from '../src/session/device-session';
import { TransportGoneError } from '../src/transport/transport';
import { PtyBoard, temporaryDir } from './helpers/pty-board';

const SILENT_PTY = [
  'import os, pty, sys',
  'master, slave = pty.openpty()',
  'os.symlink(os.ttyname(slave), sys.argv[1])',
  'print("ready", flush=True)',
  'while True:',
  '    os.read(master, 1024)',
].join('\n');

// The serial transport and the engine against a virtual board on a real pty (child process).
describe('a board on a pty', () => {
  const tmp = temporaryDir('ide49-device-pty-test-');
  const boards: PtyBoard[] = [];
  const sessions: DeviceSession[] = [];
  afterAll(async () => {
    for (const s of sessions) await s.close().catch(() => undefined);
    for (const b of boards) await b.stop();
    tmp.remove();
  });

  async function startBoard(options: Parameters<typeof PtyBoard.start>[0] = {}): Promise<PtyBoard> {
    const board = await PtyBoard.start({ dir: tmp.path, ...options });
    boards.push(board);
    return board;
  }

  async function connect(url: string): Promise<DeviceSession> {
    const session = await DeviceSession.connect(url);
    sessions.push(session);
    return session;
  }

  it('runs code through serial:// and finds the board busy for a second opener', async () => {
    const board = await startBoard({ ptyName: 'plain' });
    const session = await connect(`serial://${board.path}`);
    expect((await session.exec('print("über", 6 * 7)')).stdout).toBe('über 42\n');
    await expect(DeviceSession.connect(board.path)).rejects.toThrow(/^port busy: \S+ is used by PID \d+ \(this process\); close that program/);
  });

  it('hard resets a serial board with machine.reset() and collects its boot output', async () => {
    const board = await startBoard({ ptyName: 'hard-reset', name: `hard-reset-${process.pid}` });
    const session = await connect(board.path);
    await session.exec('before_reset = 1');
    expect(await session.hardReset()).toMatch(/MicroPython/);
    await expect(session.eval('before_reset')).rejects.toMatchObject({ exception: { type: 'NameError' } });
  });

  it('says what it waited for when a port never answers', async () => {
    // A pty whose other end reads and never answers, like a board that is not MicroPython.
    const path = join(tmp.path, 'silent');
    const silent = spawn('/usr/bin/python3', ['-c', SILENT_PTY, path], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => silent.stdout!.once('data', resolve));
      const session = await DeviceSession.connect(path, { enterTimeoutMs: 1000 });
      sessions.push(session);
      await expect(session.exec('pass')).rejects.toThrow(/^timed out after 1 s waiting for the raw REPL banner/);
    } finally {
      silent.kill();
    }
  });

  it('gets into the raw REPL while main.py prints without end', async () => {
    const flash = join(tmp.path, 'flash-printing');
    mkdirSync(flash, { recursive: true });
    writeFileSync(join(flash, 'main.py'), 'n = 0\nwhile True:\n    n += 1\n    print("busy", n)\n');
    const board = await startBoard({ ptyName: 'printing', name: 'printing', flashDir: flash });
    const session = await connect(board.path);
    expect(await session.eval('n > 0')).toBe(true);
    expect((await session.exec('print("quiet now")')).stdout).toBe('quiet now\n');
  });

  it('reports an unplug during an exec at once, and finds the board again by unique id at a new path', async () => {
    const name = `replug-${process.pid}`;
    const board = await startBoard({ ptyName: 'replug-a', name });
    const session = await connect(board.path);
    const { uniqueId } = await session.identify();
    expect(uniqueId).toMatch(/^[0-9a-f]+$/);
    const gone = new Promise<TransportGoneError>((resolve) => session.once('gone', resolve));
    const outcome = session.exec('import time\nwhile True:\n    print(".")\n    time.sleep(0.05)').then(
      () => 'finished',
      (error: unknown) => error,
    );
    await new Promise((r) => setTimeout(r, 300));
    const unplugged = Date.now();
    await board.stop('SIGKILL');
    expect(await outcome).toBeInstanceOf(TransportGoneError);
    expect(Date.now() - unplugged).toBeLessThan(2000);
    expect(await gone).toBeInstanceOf(TransportGoneError);
    // Unplugging removes a device node; a killed pty server leaves its symlink behind.
    rmSync(board.path, { force: true });

    const again = await startBoard({ ptyName: 'replug-b', name });
    const url = await findBoardByUniqueId(uniqueId!, { extraPaths: [board.path, again.path], timeoutMs: 10_000 });
    expect(url).toBe(`serial://${again.path}`);
    await session.reconnect(url);
    expect(await session.eval('"back"')).toBe('back');
  });

  // TIOCVHANGUP needs CAP_SYS_ADMIN: the suite runs as root (setup and CI do).
  (process.getuid?.() === 0 ? it : it.skip)('an unplugged USB port (its reads give end of file) is reported at once; the port works again afterwards', async () => {
    const board = await startBoard({ ptyName: 'hangup' });
    try {
      const session = await connect(board.path);
      expect((await session.exec('print("before")')).stdout).toBe('before\n');
      const outcome = session.exec('import time\nwhile True:\n    time.sleep(0.05)').then(
        () => 'finished',
        (error: unknown) => error,
      );
      await new Promise((r) => setTimeout(r, 200));
      const cpuBefore = process.cpuUsage();
      const unplugged = Date.now();
      board.hangUp();
      expect(await outcome).toBeInstanceOf(TransportGoneError);
      expect(Date.now() - unplugged).toBeLessThan(2000);
      await new Promise((r) => setTimeout(r, 500));
      const cpu = process.cpuUsage(cpuBefore);
      expect((cpu.user + cpu.system) / 1000).toBeLessThan(400); // no read loop spinning on end of file
      await session.reconnect(`serial://${board.path}`);
      expect(await session.eval('"back"')).toBe('back');
      await session.close();
    } finally {
      await board.stop();
    }
  });
});
