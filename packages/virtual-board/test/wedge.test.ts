import { startInRawRepl, type TestBoard } from './board-harness';

describe('a board stuck in a compute loop', () => {
  let t: TestBoard;
  afterEach(() => t?.stop());

  test('is hard-reset when Ctrl-C goes unanswered, says so, and answers again within 5 s', async () => {
    t = await startInRawRepl({ wedgeTimeoutMs: 2000 });
    const resets: string[] = [];
    t.board.onReset((cause) => resets.push(cause));
    await t.send('while True:\n pass\x04');
    await t.out.readUntil('OK');
    const interruptedAt = Date.now();
    await t.send('\x03');
    const recovery = await t.out.readUntil('>>> ', 5000);
    expect(recovery).toContain('Ctrl-C not answered for 2.0 s');
    expect(recovery).toContain('hard reset');
    expect(Date.now() - interruptedAt).toBeLessThan(5000);
    expect(resets).toEqual(['wedged']);
    await t.send('print(6*7)\r');
    expect(await t.out.readUntil('>>> ')).toBe('print(6*7)\r\n42\r\n>>> ');
  });

  test('a program that turned Ctrl-C off (kbd_intr(-1)) and keeps sleeping is left running', async () => {
    t = await startInRawRepl({ wedgeTimeoutMs: 500 });
    const resets: string[] = [];
    t.board.onReset((cause) => resets.push(cause));
    await t.send('import micropython, time\nmicropython.kbd_intr(-1)\nfor i in range(15):\n time.sleep_ms(100)\nprint("done")\x04');
    await t.out.readUntil('OK');
    await t.send('\x03');
    expect(await t.out.readUntil('\x04>', 5000)).toBe('done\r\n\x04\x04>');
    expect(resets).toEqual([]);
  });

  test('bytes written while the board resets reach the new board', async () => {
    t = await startInRawRepl();
    const reset = t.board.hardReset();
    const written = t.board.write(Buffer.from('\r\x03print(123)\r'));
    await reset;
    await written;
    expect(await t.out.readUntil('123\r\n>>> ')).toContain('print(123)\r\n123\r\n>>> ');
  });

  test('stop() during a reset ends everything', async () => {
    t = await startInRawRepl();
    const reset = t.board.hardReset();
    await t.board.stop();
    await reset;
  });

  test('a hard reset request (hardReset) restarts the board with its banner', async () => {
    t = await startInRawRepl();
    await t.send('while True:\n pass\x04');
    await t.out.readUntil('OK');
    await t.board.hardReset();
    expect(await t.out.readUntil('>>> ')).toMatch(/MicroPython v1\.27\.0.*\r\nType "help\(\)" for more information\.\r\n>>> $/);
  });
});
