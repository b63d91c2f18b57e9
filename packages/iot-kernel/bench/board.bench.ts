// Round trip of a trivial board cell (`pass`) through the kernel process, on the virtual
// board's modelled links (uart115200, usb-cdc), next to the link's own floor: the bytes
// one such exec puts on the wire (both ways, counted on an engine in this process) ÷ the
// byte rate, plus the link latency both ways.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTransport, DeviceSession } from '@ide49/device';
import { LINK_PRESETS } from '@ide49/virtual-board';
import { KernelTestClient } from '../test/client';

const PRESETS = ['uart115200', 'usb-cdc'] as const;
const ROUND_TRIPS = 200;
const WARMUP = 20;
const BITS_PER_BYTE = 10; // 8N1

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Bytes on the wire (both ways) of one `pass` exec by the raw REPL engine, the board already in raw mode. */
async function bytesPerExec(url: string): Promise<number> {
  let bytes = 0;
  const session = await DeviceSession.connect(url, {
    createTransport: (address) => {
      const transport = createTransport(address);
      transport.onData((chunk) => (bytes += chunk.length));
      const write = transport.write.bind(transport);
      transport.write = (data) => ((bytes += data.length), write(data));
      return transport;
    },
  });
  await session.exec('pass');
  bytes = 0;
  const runs = 20;
  for (let i = 0; i < runs; i++) await session.exec('pass');
  await session.close();
  return bytes / runs;
}

async function measure(preset: (typeof PRESETS)[number], env: NodeJS.ProcessEnv): Promise<void> {
  const url = `virtual://bench-${preset}?link=${preset}`;
  const wireBytes = await bytesPerExec(url);
  const { baud, latencyMs } = LINK_PRESETS[preset];
  const floorMs = (wireBytes * BITS_PER_BYTE * 1000) / baud + 2 * latencyMs;
  const client = await KernelTestClient.start({ env });
  try {
    const connected = await client.execute(`%connect ${url}`);
    if (connected.reply.content.status !== 'ok') throw new Error(`%connect failed: ${JSON.stringify(connected.reply.content)}`);
    const roundTrips: number[] = [];
    for (let i = 0; i < WARMUP + ROUND_TRIPS; i++) {
      const begin = performance.now();
      const outcome = await client.execute('pass', { storeHistory: false });
      if (outcome.reply.content.status !== 'ok') throw new Error(`pass failed: ${JSON.stringify(outcome.reply.content)}`);
      if (i >= WARMUP) roundTrips.push(performance.now() - begin);
    }
    const cellMs = median(roundTrips);
    console.log(
      `${preset.padEnd(10)}  board cell \`pass\` round trip: ${cellMs.toFixed(2)} ms (median of ${ROUND_TRIPS})   ` +
        `link floor: ${floorMs.toFixed(2)} ms (${wireBytes} bytes at ${baud} baud + ${latencyMs} ms latency each way)   ratio ${(cellMs / floorMs).toFixed(2)} (goal ≤ 1.5)`,
    );
  } finally {
    await client.shutdown().catch(() => client.close());
  }
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'iot-kernel-board-bench-'));
  const env = { XDG_DATA_HOME: join(root, 'data'), JUPYTER_CONFIG_DIR: join(root, 'jupyter-config') };
  Object.assign(process.env, env); // the byte-counting engine's virtual board keeps its flash there too
  try {
    for (const preset of PRESETS) await measure(preset, env);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
