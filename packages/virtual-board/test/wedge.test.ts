import { startInRawRepl, type TestBoard } from './board-harness';

describe('a board stuck in a compute loop', () => {
  let t: TestBoard;
  afterEach(() => t?.stop());

  test('is hard-reset when Ctrl-C goes unanswered, says so, and answers again within 5 s', async () => {
    t = await startInRawRepl({ wedgeTimeoutMs: 2000 });
    const resets: string[] = [];
    t.board.onReset((cause) => resets.push(cause));
    await t.send('x = 0\nwhile True:\n x += 1\x04');
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

  test('a hard reset request (hardReset) restarts the board with its banner', async () => {
    t = await startInRawRepl();
    await t.send('while True:\n pass\x04');
    await t.out.readUntil('OK');
    await t.board.hardReset();
    expect(await t.out.readUntil('>>> ')).toMatch(/MicroPython v1\.27\.0.*\r\nType "help\(\)" for more information\.\r\n>>> $/);
  });
});
