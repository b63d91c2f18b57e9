import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { callEngine, type Engine } from '../engine/connect';
import { ExecStreamDecoder } from './demux';

/** Where and how a shell runs: a container, and the command put before the shell (e.g. nsenter … --). */
export interface ShellTarget {
  readonly containerId: string;
  readonly prefix: readonly string[];
  readonly user?: string;
  readonly workingDir?: string;
  readonly env: readonly string[];
}

export interface ShellRun {
  /** The shell, started as `SHELL /proc/self/fd/3`: it reads the script from there. */
  readonly shell: string;
  /** Fed to the shell as it is (no quoting anywhere); the commands' own stdin is /dev/null. */
  readonly script: string;
  readonly timeoutSeconds?: number;
  /** Aborting it ends the shell and every process of its process group. */
  readonly signal: AbortSignal;
  readonly onText: (stream: 'stdout' | 'stderr', text: string) => void;
}

/**
 * How the shell ended. `killed`: whether its process group was killed (false when the stop
 * came before the shell reported its group: its processes may still run). `lost`: the
 * engine's stream ended while the command still ran (a proxy's timeout, a daemon restart).
 */
export type ShellOutcome =
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'stopped'; readonly killed: boolean }
  | { readonly kind: 'timedOut'; readonly killed: boolean }
  | { readonly kind: 'lost' };

/**
 * `sh` prints its PID, which is the exec's process group (the engine starts every exec
 * as a session and group leader), then becomes PREFIX SHELL /proc/self/fd/3. Knowing the
 * group, a stop can kill everything the script started, not only the shell. The script
 * (the exec's stdin) moves to fd 3 and the commands get /dev/null as stdin: a command that
 * reads stdin (`read`, `head`, a prompt) cannot eat the rest of the script. The shell opens
 * fd 3 again by path, possibly as another user (nsenter -S): the pipe is made readable to
 * it (only processes allowed to look into this one's /proc/PID/fd can reach it anyway).
 * /proc/self/fd rather than /dev/fd: a host's /dev may lack the fd link.
 */
const GROUP_REPORTING_WRAPPER = 'echo "$$"; exec 3<&0 </dev/null; chmod 0666 /proc/self/fd/3 2>/dev/null; exec "$@" /proc/self/fd/3';

/** TERM to the group, up to 1 s for it to go, then KILL. `kill -SIG -PGID` works in busybox, dash and bash. */
const KILL_GROUP_SCRIPT = 'kill -TERM -"$1" 2>/dev/null || exit 0; i=0; while [ $i -lt 10 ] && kill -0 -"$1" 2>/dev/null; do sleep 0.1; i=$((i+1)); done; kill -KILL -"$1" 2>/dev/null; exit 0';

/** After a stop, the cell ends by then even if the engine keeps the stream open. */
const STOP_DEADLINE_MS = 1800;

export async function runShell(engine: Engine, target: ShellTarget, run: ShellRun): Promise<ShellOutcome> {
  const container = engine.docker.getContainer(target.containerId);
  const exec = await callEngine(engine, () =>
    container.exec({
      Cmd: ['sh', '-c', GROUP_REPORTING_WRAPPER, 'ide49-service', ...target.prefix, run.shell],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      User: target.user,
      WorkingDir: target.workingDir,
      Env: [...target.env],
    }),
  );
  if (run.signal.aborted) return { kind: 'stopped', killed: true }; // nothing started yet
  const stream = (await callEngine(engine, () => exec.start({ hijack: true, stdin: true }))) as Duplex;
  const group = new GroupReporter(run.onText);
  const ended = streamEnded(stream, group);
  stream.write(run.script);
  stream.end();

  const stop = stopRequest(run);
  const stopReason = await Promise.race([ended.then(() => undefined), stop.reason]);
  stop.cancel();
  if (!stopReason) {
    const exitCode = await callEngine(engine, () => exitCodeOf(exec));
    return exitCode === undefined ? { kind: 'lost' } : { kind: 'exited', exitCode };
  }
  const pgid = await Promise.race([group.pgid, delay(STOP_DEADLINE_MS / 2).then(() => undefined)]);
  const killed = pgid ? killGroup(container, pgid).then(() => true, () => false) : Promise.resolve(false);
  await Promise.race([Promise.all([ended, killed]), delay(STOP_DEADLINE_MS)]);
  stream.destroy();
  return { kind: stopReason, killed: await Promise.race([killed, delay(0).then(() => false)]) };
}

/** Takes the wrapper's first stdout line (the process group) out of the output. */
class GroupReporter {
  readonly pgid: Promise<number>;
  private resolvePgid!: (pgid: number) => void;
  private firstLine: string | undefined = '';
  readonly decoder: ExecStreamDecoder;

  constructor(onText: ShellRun['onText']) {
    this.pgid = new Promise((resolve) => (this.resolvePgid = resolve));
    this.decoder = new ExecStreamDecoder((stream, text) => {
      if (stream === 'stderr' || this.firstLine === undefined) return onText(stream, text);
      this.firstLine += text;
      const newline = this.firstLine.indexOf('\n');
      if (newline < 0) return;
      const line = this.firstLine.slice(0, newline);
      // Not a PID when the engine could not start the wrapper: then it is the engine's message.
      const isPid = /^\d+$/.test(line);
      if (isPid) this.resolvePgid(Number(line));
      const rest = isPid ? this.firstLine.slice(newline + 1) : this.firstLine;
      this.firstLine = undefined;
      if (rest) onText('stdout', rest);
    });
  }
}

function streamEnded(stream: Duplex, group: GroupReporter): Promise<void> {
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer) => group.decoder.push(chunk));
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      group.decoder.end();
      resolve();
    };
    stream.once('end', finish);
    stream.once('close', finish);
    // e.g. EPIPE when the shell exits before reading the whole cell: the exit code tells the rest.
    stream.on('error', finish);
  });
}

/** Resolves on the stop button or at the timeout; cancel() drops the listener and the timer. */
function stopRequest(run: ShellRun): { reason: Promise<'stopped' | 'timedOut'>; cancel(): void } {
  let onAbort = () => {};
  let timer: NodeJS.Timeout | undefined;
  const reason = new Promise<'stopped' | 'timedOut'>((resolve) => {
    onAbort = () => resolve('stopped');
    if (run.signal.aborted) return resolve('stopped');
    run.signal.addEventListener('abort', onAbort, { once: true });
    if (run.timeoutSeconds !== undefined) timer = setTimeout(() => resolve('timedOut'), run.timeoutSeconds * 1000);
  });
  return {
    reason,
    cancel() {
      run.signal.removeEventListener('abort', onAbort);
      clearTimeout(timer);
    },
  };
}

/** The exit code; undefined when the command still runs a second after its stream ended. */
async function exitCodeOf(exec: Docker.Exec): Promise<number | undefined> {
  for (let attempt = 0; ; attempt++) {
    const info = await exec.inspect();
    // The stream can end a moment before the engine records the exit.
    if (!info.Running) return info.ExitCode ?? -1;
    if (attempt >= 50) return undefined;
    await delay(20);
  }
}

async function killGroup(container: Docker.Container, pgid: number): Promise<void> {
  const exec = await container.exec({ Cmd: ['sh', '-c', KILL_GROUP_SCRIPT, 'ide49-stop', String(pgid)], User: '0', AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({});
  await new Promise<void>((resolve) => {
    stream.resume();
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
