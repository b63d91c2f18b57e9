// Transfers long enough to watch: the virtual board on a pty behind a modelled 115200 baud
// UART (about 11 KiB/s), reached by the kernel as a serial port. Progress shows in the cell,
// and the stop button ends a big copy with no corrupt file under its real name.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { PtyBoard } from '@ide49/device/dist/test/helpers/pty-board';
import { displaysOf, FilesKernel, plainOf } from './files-magics-fixtures';
import type { WireMessage } from './client';

/** About 3 s on the wire at 115200 baud: long enough for progress and for a stop in the middle. */
const BIG = randomBytes(32 * 1024);

let kernel: FilesKernel;
let board: PtyBoard;
let boardDir: string;
let flash: string;

beforeAll(async () => {
  boardDir = mkdtempSync(join(tmpdir(), 'iot-kernel-files-pty-'));
  flash = join(boardDir, 'flash');
  mkdirSync(flash);
  [kernel, board] = await Promise.all([FilesKernel.start(), PtyBoard.start({ dir: boardDir, flashDir: flash, link: 'uart115200' })]);
  await kernel.run(`%connect ${board.path}`);
  mkdirSync(kernel.inNotebook('upload'));
  writeFileSync(kernel.inNotebook('upload', 'big.bin'), BIG);
});

afterAll(async () => {
  await kernel?.close();
  await board?.stop();
  rmSync(boardDir, { recursive: true, force: true });
});

/** Resolves with the first iopub message that `matches`, polling the client's log. */
async function firstIopub(matches: (message: WireMessage) => boolean, timeoutMs = 20_000): Promise<WireMessage> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = kernel.client.iopubLog.find(matches);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('no such iopub message in time');
}

test('stop during a big %cp ends the cell with KeyboardInterrupt, leaves no file under its name, and %rsync then completes the job', async () => {
  const copying = kernel.client.execute('%cp upload/big.bin :/up/', { stopOnError: false, timeoutMs: 30_000 });
  const progress = await firstIopub((m) => m.header.msg_type === 'display_data' && plainOf(m).startsWith('copying /up/big.bin'));
  kernel.client.send('control', 'interrupt_request', {});
  const stopped = await copying;
  expect(stopped.reply.content).toMatchObject({ status: 'error', ename: 'KeyboardInterrupt' });
  expect(plainOf(progress)).toMatch(/^copying \/up\/big\.bin [\d.]+ KiB\/32\.0 KiB \(\d+ %\) [\d.]+ KiB\/s$/);
  expect(existsSync(join(flash, 'up', 'big.bin'))).toBe(false);

  const synced = await kernel.run('%rsync upload :/up');
  const report = plainOf(displaysOf(synced).pop()!);
  expect(report).toContain('added     big.bin');
  expect(report).toMatch(/1 added, 0 updated, 0 deleted, 0 unchanged; 32\.0 KiB sent/);
  expect(readFileSync(join(flash, 'up', 'big.bin')).equals(BIG)).toBe(true);
  expect(readdirSync(join(flash, 'up'))).toEqual(['big.bin']);
});

test('a transfer longer than a second shows progress that updates in place, at most 4 times a second, ending at 100 %', async () => {
  const started = performance.now();
  const copied = await kernel.run('%cp upload/big.bin :/again.bin');
  const seconds = (performance.now() - started) / 1000;
  const displays = displaysOf(copied).filter((m) => plainOf(m).startsWith('copying'));
  const [first, ...updates] = displays;
  expect(first.header.msg_type).toBe('display_data');
  expect(updates.length).toBeGreaterThan(0);
  const displayId = (first.content.transient as { display_id: string }).display_id;
  for (const update of updates) {
    expect(update.header.msg_type).toBe('update_display_data');
    expect(update.content.transient).toEqual({ display_id: displayId });
  }
  // throttled: one per 250 ms after the first second, plus the final 100 %
  expect(displays.length).toBeLessThanOrEqual(Math.ceil(seconds * 4) + 1);
  expect(plainOf(displays[displays.length - 1])).toMatch(/^copying \/again\.bin 32\.0 KiB\/32\.0 KiB \(100 %\)/);
  expect(String((first.content.data as Record<string, unknown>)['text/html'])).toMatch(/^<progress value="\d+" max="32768"><\/progress>/);
  expect(readFileSync(join(flash, 'again.bin')).equals(BIG)).toBe(true);
});
