import { BoardError, BoardTimeoutError } from '../src/repl/types';
import { innermostLine } from '../src/repl/exception';
import { DeviceSession } from '../src/session/device-session';
import { createTransport } from '../src/transport/open';
import { FirmwareWithoutRawPaste } from './helpers/firmware-without-raw-paste';

const LARGE_CODE = 'total = 0\n' + Array.from({ length: 200 }, (_, i) => `total += ${i}  # line ${i}`).join('\n') + '\nprint(total)';

// The raw REPL engine against the in-process virtual board (real MicroPython).
describe('RawRepl on virtual://', () => {
  let session: DeviceSession;
  beforeAll(async () => {
    session = await DeviceSession.connect(`virtual://engine-test-${process.pid}`);
  });
  afterAll(async () => {
    await session.close();
  });

  it('streams output as it arrives, including non-ASCII text', async () => {
    const chunks: string[] = [];
    const result = await session.exec('import time\nfor i in range(3):\n    print("ünïcode ✓ 🐍", i)\n    time.sleep(0.05)', {
      onStdout: (text) => chunks.push(text),
    });
    expect(result.stdout).toBe('ünïcode ✓ 🐍 0\nünïcode ✓ 🐍 1\nünïcode ✓ 🐍 2\n');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.join('')).toBe(result.stdout);
    expect(result.exception).toBeUndefined();
  });

  it('parses a board exception with its line number', async () => {
    const stderr: string[] = [];
    const result = await session.exec('a = 1\nb = 0\nprint(a / b)', { onStderr: (t) => stderr.push(t) });
    expect(result.exception).toMatchObject({ type: 'ZeroDivisionError', message: 'divide by zero' });
    expect(innermostLine(result.exception!)).toBe(3);
    expect(stderr.join('')).toContain('Traceback');
  });

  it('evaluates expressions as JSON, with repr as fallback, and raises BoardError', async () => {
    expect(await session.eval('{"a": [1, 2.5, None, "é"]}')).toEqual({ a: [1, 2.5, null, 'é'] });
    expect(await session.eval('b"\\x00ab"')).toBe("b'\\x00ab'");
    await expect(session.eval('undefined_name')).rejects.toThrow(BoardError);
  });

  it('answers input() through onInput', async () => {
    const prompts: string[] = [];
    const result = await session.exec('name = input("Name? ")\nprint("hello", name)\nprint(input())', {
      onInput: async (prompt) => {
        prompts.push(prompt);
        return prompts.length === 1 ? 'Zoë' : 'second';
      },
    });
    expect(prompts).toEqual(['Name? ', '']);
    expect(result.stdout).toBe('Name? hello Zoë\nsecond\n');
  });

  it('sends large code by raw-paste and by forced plain raw alike', async () => {
    const code = LARGE_CODE;
    expect(Buffer.byteLength(code)).toBeGreaterThan(1024);
    expect((await session.exec(code)).stdout).toBe('19900\n');
    expect(session.repl.rawPasteAvailable).toBe(true);
    const plain = await DeviceSession.connect(`virtual://engine-plain-${process.pid}`, { rawPaste: 'never' });
    try {
      expect((await plain.exec(code)).stdout).toBe('19900\n');
      expect(plain.repl.rawPasteAvailable).toBeUndefined();
    } finally {
      await plain.close();
    }
  });

  it.each(['disabled', 'old'] as const)('falls back to plain raw for good when the firmware has raw-paste %s', async (behaviour) => {
    const old = await DeviceSession.connect(`virtual://engine-${behaviour}-${process.pid}`, {
      rawPaste: 'always',
      createTransport: (url) => new FirmwareWithoutRawPaste(createTransport(url), behaviour),
    });
    try {
      expect((await old.exec(LARGE_CODE)).stdout).toBe('19900\n');
      expect(old.repl.rawPasteAvailable).toBe(false);
      expect((await old.exec('print("again")')).stdout).toBe('again\n');
    } finally {
      await old.close();
    }
  });

  it('interrupts a printing loop within a second and keeps the board state', async () => {
    await session.exec('kept = 42');
    const controller = new AbortController();
    let started = 0;
    const run = session.exec('import time\nwhile True:\n    print("tick")\n    time.sleep(0.01)', {
      signal: controller.signal,
      onStdout: () => {
        if (!started) {
          started = Date.now();
          controller.abort();
        }
      },
    });
    const result = await run;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(result.exception?.type).toBe('KeyboardInterrupt');
    expect(await session.eval('kept')).toBe(42);
  });

  it('says what it waited for when a run times out, and recovers', async () => {
    await expect(session.exec('import time\nwhile True:\n    time.sleep(0.01)', { timeoutMs: 300 })).rejects.toThrow(
      new BoardTimeoutError('timed out after 0.3 s waiting for the end of the run (\\x04 after stdout) (the exec timeout)'),
    );
    expect(await session.eval('1 + 1')).toBe(2);
  });

  it('identifies the board and reports info, completions and inspection', async () => {
    const identity = await session.identify();
    expect(identity.platform).toBeTruthy();
    expect(identity.version).toMatch(/MicroPython/);
    const info = await session.info();
    expect(info.memFree).toBeGreaterThan(0);
    await session.exec('import json\nmy_value = 7');
    expect(await session.completions('my_v')).toEqual(['my_value']);
    expect(await session.completions('json.du')).toEqual(['json.dump', 'json.dumps']);
    expect(await session.inspect('my_value')).toBe('7');
  });

  it('sets and reads the board clock', async () => {
    const when = new Date(2030, 4, 17, 12, 34, 56);
    await session.synctime(when);
    const read = await session.gettime();
    expect(Math.abs(read.getTime() - when.getTime())).toBeLessThan(3000);
  });

  it('hard resets: the board boots again, state is gone, it answers', async () => {
    await session.exec('gone_after_hard_reset = 1');
    const boot = await session.hardReset();
    expect(boot).toMatch(/MicroPython/);
    await expect(session.eval('gone_after_hard_reset')).rejects.toMatchObject({ exception: { type: 'NameError' } });
  });

  it('soft resets: variables are gone, the board answers again', async () => {
    await session.exec('gone_after_reset = 1');
    await session.softReset();
    await expect(session.eval('gone_after_reset')).rejects.toMatchObject({ exception: { type: 'NameError' } });
  });
});
