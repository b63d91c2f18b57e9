// Round trip of a trivial exec (`pass`) on the virtual board's link presets: through the
// engine on an open session, through a one-shot connect+exec+close in this process, and
// through `iot-device exec` as a child process (process start included). Each figure is
// printed next to the link's own floor: bytes on the wire both ways ÷ byte rate +
// latency both ways, with the bytes counted on the wire during the run.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { LINK_PRESETS, VirtualBoard } from '@ide49/virtual-board';
import { DeviceSession } from '../src/session/device-session';
import type { Transport } from '../src/transport/transport';
import { VirtualTransport } from '../src/transport/virtual';
import { ForwardingTransport } from '../test/helpers/forwarding-transport';
import { PtyBoard } from '../test/helpers/pty-board';

type PresetName = 'uart115200' | 'usb-cdc';
const CLI = join(__dirname, '../src/cli/main.js');

/** A transport that counts the bytes crossing it both ways. */
class CountingLink extends ForwardingTransport {
  bytes = 0;
  constructor(inner: Transport) {
    super(inner);
    inner.onData((chunk) => (this.bytes += chunk.length));
  }
  override write(data: Uint8Array): Promise<void> {
    this.bytes += data.length;
    return super.write(data);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(once: () => Promise<unknown> | unknown): Promise<number> {
  const start = performance.now();
  await once();
  return performance.now() - start;
}

async function timeRuns(count: number, once: () => Promise<unknown> | unknown): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await timed(once));
  return median(times);
}

function line(label: string, ms: number, floorMs: number): void {
  console.log(`  ${label.padEnd(44)} ${ms.toFixed(2).padStart(8)} ms   ${(ms / floorMs).toFixed(2)}× floor`);
}

/**
 * The baseline: the least a client can do on the same kind of board (write `pass\x04`
 * at the raw prompt, wait for `\x04\x04>`, nothing else), so the engine's own cost is
 * told apart from the virtual board's turnaround.
 */
async function bareClient(preset: PresetName): Promise<{ once: () => Promise<void>; stop: () => Promise<void> }> {
  const board = await VirtualBoard.start({ name: `bench-bare-${preset}`, link: preset });
  let received = '';
  let check: (() => void) | undefined;
  board.onData((chunk) => {
    received += Buffer.from(chunk).toString('latin1');
    check?.();
  });
  const until = (marker: string) =>
    new Promise<void>((resolve) => {
      check = () => {
        const at = received.indexOf(marker);
        if (at < 0) return;
        received = received.slice(at + marker.length);
        check = undefined;
        resolve();
      };
      check();
    });
  await board.write(Buffer.from('\x03\x03\x01'));
  await until('raw REPL; CTRL-B to exit\r\n>');
  return {
    once: async () => {
      await board.write(Buffer.from('pass\x04'));
      await until('\x04\x04>');
    },
    stop: () => board.stop(),
  };
}

async function benchPreset(preset: PresetName): Promise<void> {
  const { baud, latencyMs } = LINK_PRESETS[preset];
  const byteRate = baud / 10;
  let link: CountingLink | undefined;
  const session = await DeviceSession.connect(`virtual://bench-${preset}`, {
    createTransport: (url) => (link = new CountingLink(new VirtualTransport(url, `bench-${preset}`, { link: preset }))),
  });
  const bare = await bareClient(preset);
  await session.exec('pass'); // enter raw mode once; the engine stays there
  const before = link!.bytes;
  const engineTimes: number[] = [];
  const bareTimes: number[] = [];
  const runs = 100;
  for (let i = 0; i < runs; i++) {
    engineTimes.push(await timed(() => session.exec('pass')));
    bareTimes.push(await timed(bare.once));
  }
  const bytesPerExec = (link!.bytes - before) / runs;
  await session.close();
  await bare.stop();
  const floorMs = (bytesPerExec / byteRate) * 1000 + 2 * latencyMs;
  console.log(`${preset}: ${baud} baud, ${latencyMs} ms latency; ${bytesPerExec} bytes per exec → floor ${floorMs.toFixed(2)} ms`);
  line('baseline: bare protocol client, same board', median(bareTimes), floorMs);
  line('engine exec("pass"), open session', median(engineTimes), floorMs);

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
