import type { ContainerInfo } from 'dockerode';
import type { Engine } from '../engine/connect';
import { containerNameOf, findHostHelper, findService, HOST_PID_LABEL, type Stack } from '../engine/stack';
import type { ServiceArgs } from './service-args';
import { ServiceError } from '../service-error';
import { runShell, type ShellTarget } from '../exec/run-shell';

export interface ResolvedTarget {
  readonly target: ShellTarget;
  /** Said once on the cell's stderr, e.g. that the host shell fell back to the helper container. */
  readonly note?: string;
}

/** Where `%%service NAME` runs: the service's container, or for "host" the host's namespaces through the helper. */
export async function resolveTarget(engine: Engine, stack: Stack, args: ServiceArgs, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedTarget> {
  const common = { user: args.user, workingDir: args.workingDir, env: args.env };
  if (args.service !== 'host') return { target: { containerId: findService(stack, args.service).Id, prefix: [], ...common } };

  const helper = findHostHelper(stack);
  const hostPid = hostPidOf(helper, env);
  const entry = await nsenterProbe(engine, helper.Id, hostPid);
  if (entry.ok) return { target: { containerId: helper.Id, prefix: nsenterPrefix(hostPid, args), env: args.env } };
  return {
    target: { containerId: helper.Id, prefix: [], ...common },
    note:
      `note: cannot enter the host's namespaces through PID ${hostPid} (${entry.reason}); ` +
      `this cell runs in the helper container ${containerNameOf(helper)}, which sees the host's processes but not its files.\n`,
  };
}

/** The host's init unless IDE49_HOST_PID or the helper's ide49.host-pid label says otherwise. */
function hostPidOf(helper: ContainerInfo, env: NodeJS.ProcessEnv): string {
  const pid = env.IDE49_HOST_PID || helper.Labels?.[HOST_PID_LABEL] || '1';
  if (!/^[1-9][0-9]*$/.test(pid)) throw new ServiceError('HostPidError', `"${pid}" is not a process id`, ['Fix IDE49_HOST_PID or the ide49.host-pid label of the host helper.']);
  return pid;
}

/**
 * nsenter into every namespace of the host process, then SHELL -s. In the entered
 * mount namespace, -w must be a `cd` (nsenter's -w resolves the path before entering),
 * and -u becomes nsenter's numeric -S/-G.
 */
function nsenterPrefix(hostPid: string, args: ServiceArgs): string[] {
  const prefix = ['nsenter', '-t', hostPid, '-m', '-u', '-i', '-n', '-p', ...nsenterCredentials(args.user), '--'];
  return args.workingDir ? [...prefix, 'sh', '-c', 'cd "$0" && exec "$@"', args.workingDir] : prefix;
}

function nsenterCredentials(user: string | undefined): string[] {
  if (user === undefined) return [];
  const ids = /^(\d+)(?::(\d+))?$/.exec(user);
  if (!ids) throw new ServiceError('UsageError', `on the host, -u takes a numeric UID[:GID], not "${user}"`, ['Or switch user inside the cell, e.g. su -s /bin/sh USER -c ...']);
  return ['-S', ids[1], '-G', ids[2] ?? ids[1]];
}

/** `definite`: nsenter was refused (permissions), which stays so while the container lives. */
type ProbeResult = { ok: true } | { ok: false; reason: string; definite: boolean };
/** Per helper container and PID: whether nsenter is allowed does not change while the container lives. */
const probes = new Map<string, Promise<ProbeResult>>();

function nsenterProbe(engine: Engine, helperId: string, hostPid: string): Promise<ProbeResult> {
  const key = `${helperId}/${hostPid}`;
  let probe = probes.get(key);
  if (!probe) {
    probe = probeNsenter(engine, helperId, hostPid);
    probes.set(key, probe);
    // only a definite answer is kept: a slow first probe or a passing failure is asked again next time
    probe.then((result) => !result.ok && !result.definite && probes.delete(key), () => probes.delete(key));
  }
  return probe;
}

async function probeNsenter(engine: Engine, helperId: string, hostPid: string): Promise<ProbeResult> {
  let stderr = '';
  const outcome = await runShell(
    engine,
    { containerId: helperId, prefix: ['nsenter', '-t', hostPid, '-m', '-u', '-i', '-n', '-p', '--'], env: [] },
    { shell: 'sh', script: 'exit 0\n', signal: new AbortController().signal, timeoutSeconds: 10, onText: (stream, text) => (stderr += stream === 'stderr' ? text : '') },
  );
  if (outcome.kind === 'exited' && outcome.exitCode === 0) return { ok: true };
  const reason = stderr.trim().split('\n')[0] || `nsenter ${outcome.kind === 'exited' ? `exit code ${outcome.exitCode}` : 'timed out'}`;
  return { ok: false, reason, definite: /Operation not permitted|Permission denied/i.test(stderr) };
}
