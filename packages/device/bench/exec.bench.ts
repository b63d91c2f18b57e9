// Round trip of a trivial exec (`pass`) on the virtual board's link presets: through the
// engine on an open session, through a one-shot connect+exec+close in this process, and
// through `iot-device exec` as a child process (process start included). Each figure is
// printed next to the link's own floor: bytes on the wire both ways ÷ byte rate +
// latency both ways, with the bytes counted on the wire during the run.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { LINK_PRESETS } from '@ide49/virtual-board';
import { DeviceSession } from '../src/session/device-session';
import type { Transport } from '../src/transport/transport';
import { VirtualTransport } from '../src/transport/virtual';
import { PtyBoard } from '../test/helpers/pty-board';

type PresetName = 'uart115200' | 'usb-cdc';
const CLI = join(__dirname, '../src/cli/main.js');

/** Counts the bytes that cross a transport both ways. */
function counting(inner: Transport): Transport & { bytes(): number } {
  let bytes = 0;
  inner.onData((chunk) => (bytes += chunk.length));
  return Object.assign(Object.create(inner) as Transport, {
    write: (data: Uint8Array) => {
      bytes += data.length;
      return inner.write(data);
    },
    bytes: () => bytes,
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeRuns(count: number, once: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await once();
    times.push(performance.now() - start);
  }
  return median(times);
}

function line(label: string, ms: number, floorMs: number): void {
  console.log(`  ${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms   ${(ms / floorMs).toFixed(2)}× floor`);
}

async function benchPreset(preset: PresetName): Promise<void> {
  const { baud, latencyMs } = LINK_PRESETS[preset];
  const byteRate = baud / 10;
  let link: (Transport & { bytes(): number }) | undefined;
  const session = await DeviceSession.connect(`virtual://bench-${preset}`, {
    createTransport: (url) => (link = counting(new VirtualTransport(url, `bench-${preset}`, { link: preset }))),
  });
  await session.exec('pass'); // enter raw mode once; the engine stays there
  const before = link!.bytes();
  const runs = 100;
  const engineMs = await timeRuns(runs, () => session.exec('pass'));
  const bytesPerExec = (link!.bytes() - before) / runs;
  await session.close();
  const floorMs = (bytesPerExec / byteRate) * 1000 + 2 * latencyMs;
  console.log(`${preset}: ${baud} baud, ${latencyMs} ms latency; ${bytesPerExec} bytes per exec → floor ${floorMs.toFixed(2)} ms`);
  line('engine exec("pass"), open session', engineMs, floorMs);

  const board = await PtyBoard.start({ link: preset, name: `bench-pty-${preset}` });
  try {
    const oneShotMs = await timeRuns(10, async () => {
      const s = await DeviceSession.connect(board.path);
      await s.exec('pass');
      await s.close();
    });
    line('connect + exec + close in-process (pty)', oneShotMs, floorMs);
    const cliMs = await timeRuns(5, () => execFileSync(process.execPath, [CLI, '-d', board.path, 'exec', 'pass']));
    line('iot-device exec pass (child process, pty)', cliMs, floorMs);
  } finally {
    await board.stop();
  }
}

async function main(): Promise<void> {
  for (const preset of ['uart115200', 'usb-cdc'] as const) await benchPreset(preset);
  console.log('goal: engine within 1.5× of the floor');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
