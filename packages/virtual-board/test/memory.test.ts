import { RAW_BANNER, startInRawRepl, type TestBoard } from './board-harness';

describe('memory of the virtual board', () => {
  let t: TestBoard;
  afterEach(() => t?.stop());

  test('a runaway allocation ends in MemoryError, and a soft reset (kept in raw mode) gives the memory back', async () => {
    t = await startInRawRepl();
    const [out, err] = await t.exec('l = []\ntry:\n while True:\n  l.append(bytearray(1_000_000))\nexcept MemoryError:\n print("MemoryError", len(l) > 10)');
    expect([out, err]).toEqual(['MemoryError True\r\n', '']);
    await t.send('\x04');
    expect(await t.out.readUntil(RAW_BANNER.slice(2), 20000)).toBe(`OK\r\nMPY: soft reboot\r\n${RAW_BANNER.slice(2)}`);
    expect(await t.exec('x = bytearray(10_000_000)\nprint(len(x))')).toEqual(['10000000\r\n', '']);
  });

  test('garbage made between REPL inputs is collected', async () => {
    t = await startInRawRepl();
    for (let i = 0; i < 5; i++) {
      expect(await t.exec('x = bytearray(20_000_000)\nprint(len(x))')).toEqual(['20000000\r\n', '']);
    }
  });
});
