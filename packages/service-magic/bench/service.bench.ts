// Round trip of a `%%service` cell (lookup of the service + exec + exit code) and its
// output throughput, next to a baseline measured in the same run on the same daemon:
// the bare Engine API exec that `docker exec` does (create, start, read, inspect).
import Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { ServiceCellContext } from '../src/cell-context';
import { serviceMagic } from '../src';
import { acquireDockerDaemon } from '../test/docker-fixture';
import { downTestStack, upTestStack } from '../test/test-stack';

const ROUND_TRIPS = 40;
const WARMUP = 5;
const MEGABYTES = 8;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function timeMedian(run: () => Promise<unknown>, count = ROUND_TRIPS): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < WARMUP + count; i++) {
    const begin = performance.now();
    await run();
    if (i >= WARMUP) times.push(performance.now() - begin);
  }
  return median(times);
}

/** The baseline: one exec through the Engine API, output drained, exit code read. */
async function bareExec(docker: Docker, containerId: string, command: string): Promise<number> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: ['sh', '-c', command], AttachStdout: true, AttachStderr: true });
  const stream = (await exec.start({})) as Duplex;
  let bytes = 0;
  await new Promise<void>((resolve) => {
    stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    stream.once('end', resolve);
  });
  if ((await exec.inspect()).ExitCode !== 0) throw new Error(`${command} failed`);
  return bytes;
}

const quietCell: ServiceCellContext = { stdout: () => {}, stderr: () => {}, display: () => {}, signal: new AbortController().signal };

async function main(): Promise<void> {
  const lease = acquireDockerDaemon();
  const docker = new Docker({ socketPath: lease.socketPath });
  const stack = await upTestStack(docker);
  process.env.IDE49_COMPOSE_PROJECT = stack.project;
  try {
    const bare = await timeMedian(() => bareExec(docker, stack.ids.web, 'true'));
    const cell = await timeMedian(() => serviceMagic.run(quietCell, 'web', 'true'));
    const host = await timeMedian(() => serviceMagic.run(quietCell, 'host', 'true'));
    console.log(`exec round trip, median of ${ROUND_TRIPS}:  bare Engine API exec ${bare.toFixed(1)} ms   %%service web ${cell.toFixed(1)} ms   %%service host ${host.toFixed(1)} ms`);

    const output = `head -c ${MEGABYTES * 1048576} /dev/zero | tr '\\0' x`;
    const bareBulk = await timeMedian(() => bareExec(docker, stack.ids.web, output), 5);
    const cellBulk = await timeMedian(() => serviceMagic.run(quietCell, 'web', output), 5);
    const rate = (ms: number) => `${((MEGABYTES / ms) * 1000).toFixed(0)} MB/s`;
    console.log(`${MEGABYTES} MB of output, median of 5:  bare exec ${bareBulk.toFixed(0)} ms (${rate(bareBulk)})   %%service web, demultiplexed and decoded ${cellBulk.toFixed(0)} ms (${rate(cellBulk)})`);

    const stops: number[] = [];
    for (let i = 0; i < 5; i++) {
      const controller = new AbortController();
      let started!: () => void;
      const startedOutput = new Promise<void>((resolve) => (started = resolve));
      const running = serviceMagic.run({ ...quietCell, stdout: started, signal: controller.signal }, 'web', 'echo started; sleep 1000').catch(() => undefined);
      await startedOutput;
      const begin = performance.now();
      controller.abort();
      await running;
      stops.push(performance.now() - begin);
    }
    console.log(`stop button to cell end (sleep 1000), median of 5: ${median(stops).toFixed(0)} ms (goal < 2000 ms)`);
  } finally {
    await downTestStack(stack.project, docker);
    lease.release();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
