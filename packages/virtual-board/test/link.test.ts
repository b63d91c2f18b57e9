import { LINK_PRESETS, LinkDirection, resolveLinkSettings } from '../src/link';
import { startInRawRepl, type TestBoard } from './board-harness';

/** Bytes per second a link of this baud carries (8N1: 10 bits per byte). */
const nominalRate = (baud: number) => baud / 10;

describe('the link model', () => {
  let t: TestBoard;
  afterEach(() => t?.stop());

  test('presets', () => {
    expect(LINK_PRESETS.uart115200).toEqual({ baud: 115200, latencyMs: 1 });
    expect(LINK_PRESETS['usb-cdc']).toEqual({ baud: 8_000_000, latencyMs: 1 });
    expect(LINK_PRESETS.none).toEqual({ baud: 0, latencyMs: 0 });
    expect(resolveLinkSettings('uart115200').bufferBytes).toBe(4096);
    expect(() => resolveLinkSettings('rs485' as never)).toThrow(/unknown link preset/);
  });

  test('write() resolves only once the bytes fit in the in-flight buffer (back-pressure)', async () => {
    const delivered: number[] = [];
    const link = new LinkDirection(resolveLinkSettings({ baud: 115200, latencyMs: 1, bufferBytes: 1000 }), {
      accept: (chunk) => (delivered.push(chunk.length), chunk.length),
      whenReady: () => Promise.resolve(),
    });
    const started = performance.now();
    await link.send(new Uint8Array(3000));
    const acceptedAfterMs = performance.now() - started;
    // 2000 bytes must have crossed the wire (at 11,520 B/s: ~174 ms) before the last 1000 fit.
    expect(acceptedAfterMs).toBeGreaterThan(150);
    expect(delivered.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2000);
    link.close();
  });

  test('an unthrottled link with a latency delivers each chunk whole, never before its latency', async () => {
    const arrivals: number[] = [];
    const link = new LinkDirection(resolveLinkSettings({ baud: 0, latencyMs: 50 }), {
      accept: (chunk) => (arrivals.push(performance.now()), chunk.length),
      whenReady: () => Promise.resolve(),
    });
    const sentAt = [performance.now()];
    await link.send(new Uint8Array(10));
    await new Promise((resolve) => setTimeout(resolve, 60));
    sentAt.push(performance.now());
    await link.send(new Uint8Array(10));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(arrivals).toHaveLength(2);
    arrivals.forEach((at, i) => expect(at - sentAt[i]).toBeGreaterThanOrEqual(49.9));
    expect(arrivals[0]).toBeLessThan(sentAt[1] + 49.9); // the first did not wait for the second
    link.close();
  });

  /**
   * A loaded machine can only make a transfer slower (a starved event loop or worker
   * leaves the wire idle), never faster: so the fastest of a few runs is compared
   * with the nominal rate, which catches a link model that is too slow or too fast.
   */
  async function fastestOf(attempts: number, measureRatio: () => Promise<number>): Promise<number> {
    let fastest = Infinity;
    for (let i = 0; i < attempts && fastest > 1.05; i++) fastest = Math.min(fastest, await measureRatio());
    return fastest;
  }

  /**
   * Board output's duration over its nominal duration. The first delivery may come late
   * with many bytes at once; its bytes started arriving (n - 1) byte times before it,
   * so a late start cannot make the transfer look faster than it was.
   */
  async function outputRatio(code: string, baud: number): Promise<number> {
    const msPerByte = 1000 / nominalRate(baud);
    let received = 0;
    let first = 0;
    let last = 0;
    const unsubscribe = t.board.onData((chunk) => {
      last = performance.now();
      if (!first) first = last - (chunk.length - 1) * msPerByte;
      received += chunk.length;
    });
    await t.send(code);
    await t.out.readUntil('\x04\x04>', 10000);
    unsubscribe();
    return (last - first) / ((received - 1) * msPerByte);
  }

  test('usb-cdc carries 200 KB each way within 5% of its nominal rate', async () => {
    t = await startInRawRepl({ link: 'usb-cdc' });
    const total = 200_000;
    const nominalMs = (total / nominalRate(LINK_PRESETS['usb-cdc'].baud)) * 1000;
    await t.exec('import sys');

    const boardToHost = await fastestOf(5, () =>
      outputRatio(`s = "x" * 1000\nfor i in range(${total / 1000}): sys.stdout.write(s)\n\x04`, LINK_PRESETS['usb-cdc'].baud),
    );
    expect(boardToHost).toBeGreaterThan(0.95);
    expect(boardToHost).toBeLessThan(1.05);

    const hostToBoard = await fastestOf(5, async () => {
      await t.send(`n = 0\nwhile n < ${total}:\n n += len(sys.stdin.buffer.read(${total} - n))\nprint(n)\x04`);
      await t.out.readUntil('OK');
      const started = performance.now();
      await t.board.write(new Uint8Array(total).fill(0x41));
      await t.out.readUntil(`${total}\r\n\x04\x04>`, 10000);
      return (performance.now() - started) / nominalMs;
    });
    expect(hostToBoard).toBeGreaterThan(0.95);
    expect(hostToBoard).toBeLessThan(1.05);
  });

  test('uart115200 carries board output at 11,520 bytes/s within 5%', async () => {
    t = await startInRawRepl({ link: 'uart115200' });
    const total = 12_000;
    await t.exec('import sys');
    const ratio = await fastestOf(5, () => outputRatio(`for i in range(${total / 100}): sys.stdout.write("y" * 100)\n\x04`, 115200));
    expect(ratio).toBeGreaterThan(0.95);
    expect(ratio).toBeLessThan(1.05);
  });
});
