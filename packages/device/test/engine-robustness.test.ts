import { BoardTimeoutError } from '../src/repl/types';
import { DeviceSession } from '../src/session/device-session';
import { createTransport } from '../src/transport/open';
import { ChattyBoard } from './helpers/chatty-board';

jest.setTimeout(30_000);

const LARGE_CODE = 'total = 0\n' + Array.from({ length: 200 }, (_, i) => `total += ${i}  # line ${i}`).join('\n') + '\nprint(total)';

// What real boards do that the plain virtual board does not, and ends of runs that go wrong.
describe('the raw REPL engine when boards misbehave', () => {
  test('output printed while idle or just before an answer does not confuse runs (plain raw and raw-paste)', async () => {
    let chatty: ChattyBoard | undefined;
    const session = await DeviceSession.connect(`virtual://chatty-${process.pid}`, {
      createTransport: (url) => (chatty = new ChattyBoard(createTransport(url))),
    });
    try {
      expect((await session.exec('print("first")')).stdout).toBe('first\n');
      chatty!.say('I (1234) wifi: idle log\r\n');
      expect((await session.exec('print("second")')).stdout).toBe('second\n');
      chatty!.chatterOnWrite = 'tick from a Timer\r\n';
      expect((await session.exec('print("third")')).stdout).toBe('third\n');
      expect((await session.exec(LARGE_CODE)).stdout).toBe('19900\n');
      expect(session.repl.rawPasteAvailable).toBe(true);
    } finally {
      await session.close();
    }
  });

  test('a board that left raw mode unnoticed (its echo holds the code) is an error, and the next run works', async () => {
    const session = await DeviceSession.connect(`virtual://echo-${process.pid}`);
    try {
      await session.exec('kept = 3');
      await session.link.write(Uint8Array.of(0x02)); // Ctrl-B behind the engine's back: friendly REPL
      await new Promise((resolve) => setTimeout(resolve, 100));
      await expect(session.exec('print("OK then")')).rejects.toThrow(/echoed the code instead of answering OK/);
      expect(await session.eval('kept')).toBe(3);
    } finally {
      await session.close();
    }
  });

  test('empty code runs as nothing: a lone \\x04 would soft-reset the board', async () => {
    const session = await DeviceSession.connect(`virtual://empty-${process.pid}`);
    try {
      await session.exec('kept = 5');
      expect(await session.exec('')).toEqual({ stdout: '', stderr: '' });
      expect(await session.eval('kept')).toBe(5);
    } finally {
      await session.close();
    }
  });

  test('a stop the board never answers is given up after five Ctrl-C; the board answers afterwards', async () => {
    const session = await DeviceSession.connect(`virtual://deaf-${process.pid}`);
    try {
      // a loop that makes no call ignores Ctrl-C (the virtual board's watchdog resets it after 3 s)
      const stop = new AbortController();
      const run = session.exec('while True:\n    pass', { signal: stop.signal });
      setTimeout(() => stop.abort(), 200);
      const started = Date.now();
      await expect(run).rejects.toThrow(BoardTimeoutError);
      await expect(run).rejects.toThrow(/did not end the run after 5 Ctrl-C/);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(await session.eval('1 + 1')).toBe(2);
    } finally {
      await session.close();
    }
  });

  test('closing the session ends a run in progress with an error', async () => {
    const session = await DeviceSession.connect(`virtual://closing-${process.pid}`);
    const outcome = session.exec('import time\nwhile True:\n    time.sleep(0.05)').then(
      () => 'ended normally',
      (error: Error) => error.message,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    await session.close();
    expect(await outcome).toBe('the connection to the board was closed');
  });

  test('a stop while plain raw code is still going out withdraws it: nothing runs, nothing resets', async () => {
    const session = await DeviceSession.connect(`virtual://withdrawn-${process.pid}?link=uart115200`, { rawPaste: 'never' });
    try {
      await session.exec('marker = 1');
      const stop = new AbortController();
      // ~5 KB in 256-byte pieces at 11.5 KB/s: about half a second on the wire
      const run = session.exec(LARGE_CODE, { signal: stop.signal });
      setTimeout(() => stop.abort(), 100);
      const result = await run;
      expect(result.exception).toMatchObject({ type: 'KeyboardInterrupt', message: 'stopped before the code reached the board' });
      expect(await session.eval('marker')).toBe(1);
      expect(await session.eval('"total" in globals()')).toBe(false);
    } finally {
      await session.close();
    }
  });
});
