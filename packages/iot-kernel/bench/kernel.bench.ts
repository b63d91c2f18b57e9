// Kernel start (spawn to first kernel_info_reply) and the round trip of a trivial cell
// (execute_request to execute_reply plus idle status), for iot-kernel and, as a baseline
// measured in the same run with the same client, Debian's ipykernel.
import { KERNEL_CLI, KernelTestClient } from '../test/client';

const STARTS = 5;
const ROUND_TRIPS = 300;
const WARMUP = 20;

interface Kernel {
  label: string;
  start: () => Promise<KernelTestClient>;
  /** The cheapest cell each kernel runs (an empty cell in both). */
  trivialCell: string;
}

const kernels: Kernel[] = [
  { label: 'iot-kernel', start: () => KernelTestClient.start({ argv: (file) => [KERNEL_CLI, file] }), trivialCell: '' },
  { label: 'ipykernel ', start: () => KernelTestClient.start({ command: '/usr/bin/python3', argv: (file) => ['-m', 'ipykernel_launcher', '-f', file] }), trivialCell: '' },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function measure(kernel: Kernel): Promise<{ startMs: number; roundTripMs: number }> {
  const starts: number[] = [];
  const roundTrips: number[] = [];
  for (let i = 0; i < STARTS; i++) {
    const client = await kernel.start();
    starts.push(client.firstReplyAt! - client.spawnedAt!);
    if (i === 0) {
      for (let j = 0; j < WARMUP + ROUND_TRIPS; j++) {
        const begin = performance.now();
        await client.execute(kernel.trivialCell, { storeHistory: false });
        if (j >= WARMUP) roundTrips.push(performance.now() - begin);
      }
    }
    await client.shutdown().catch(() => client.close());
  }
  return { startMs: median(starts), roundTripMs: median(roundTrips) };
}

async function main(): Promise<void> {
  const results = [];
  for (const kernel of kernels) {
    const result = await measure(kernel);
    results.push(result);
    console.log(`${kernel.label}  start to first kernel_info_reply: ${result.startMs.toFixed(1)} ms (median of ${STARTS})   empty-cell round trip: ${result.roundTripMs.toFixed(2)} ms (median of ${ROUND_TRIPS})`);
  }
  const [iot, ipy] = results;
  console.log(`ratio iot/ipykernel  start: ${(iot.startMs / ipy.startMs).toFixed(2)} (goal < 0.33)   round trip: ${(iot.roundTripMs / ipy.roundTripMs).toFixed(2)} (goal: iot round trip < 2 ms)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
