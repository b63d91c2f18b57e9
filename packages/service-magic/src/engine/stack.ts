import * as fs from 'node:fs';
import * as os from 'node:os';
import type { ContainerInfo } from 'dockerode';
import { ServiceError } from '../service-error';
import { callEngine, type Engine } from './connect';

/** Labels naming a container's service: Docker Compose's, then balena's. */
const SERVICE_LABELS = ['com.docker.compose.service', 'io.balena.service-name'];
/** Labels naming the stack a container belongs to. */
const PROJECT_LABELS = ['com.docker.compose.project', 'io.balena.app-id'];
/** Label of the helper container that opens shells on the host. */
export const HOST_ROLE_LABEL = 'ide49.role';
/** Optional label on the helper: the host PID whose namespaces `%%service host` enters. */
export const HOST_PID_LABEL = 'ide49.host-pid';

/** The containers `%%service` may reach: those of the kernel's own stack when it runs in one, else all. */
export interface Stack {
  /** Project label value and key restricting the stack, or undefined when unrestricted. */
  readonly project?: { label: string; value: string };
  readonly containers: ContainerInfo[];
}

export function serviceNameOf(container: ContainerInfo): string | undefined {
  return SERVICE_LABELS.map((label) => container.Labels?.[label]).find(Boolean);
}

export function containerNameOf(container: ContainerInfo): string {
  return (container.Names[0] ?? container.Id.slice(0, 12)).replace(/^\//, '');
}

export function isHostHelper(container: ContainerInfo): boolean {
  return container.Labels?.[HOST_ROLE_LABEL] === 'host';
}

export async function loadStack(engine: Engine, env: NodeJS.ProcessEnv = process.env): Promise<Stack> {
  const project = await ownProject(engine, env);
  const all = await callEngine(engine, () => engine.docker.listContainers({ all: true }));
  const containers = project ? all.filter((c) => c.Labels?.[project.label] === project.value) : all;
  return { project, containers };
}

/**
 * The stack of the container the kernel runs in: IDE49_COMPOSE_PROJECT when set, else
 * the project label of our own container (found from /proc/self/mountinfo, else the
 * hostname), else none (the kernel runs on a host: every container is reachable).
 */
async function ownProject(engine: Engine, env: NodeJS.ProcessEnv): Promise<Stack['project']> {
  if (env.IDE49_COMPOSE_PROJECT) return { label: PROJECT_LABELS[0], value: env.IDE49_COMPOSE_PROJECT };
  const ownId = containerIdFromMountinfo(readOrEmpty('/proc/self/mountinfo')) ?? os.hostname();
  const own = await callEngine(engine, () => engine.docker.getContainer(ownId).inspect()).catch((error: unknown) => {
    if (error instanceof ServiceError) throw error;
    return undefined; // not a container this daemon knows: no restriction
  });
  const labels = own?.Config.Labels ?? {};
  const label = PROJECT_LABELS.find((l) => labels[l]);
  return label ? { label, value: labels[label] } : undefined;
}

/** The engine bind-mounts /etc/hostname etc. from its containers/<id>/ folder into every container. */
export function containerIdFromMountinfo(mountinfo: string): string | undefined {
  // the engine bind-mounts the container's own hostname file; other lines may name other
  // containers (a shared IPC namespace brings their /dev/shm)
  const hostnameLine = mountinfo.split('\n').find((line) => line.split(' ')[4] === '/etc/hostname');
  return /\/containers\/([0-9a-f]{64})\//.exec(hostnameLine ?? '')?.[1];
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The running container of service NAME (by service label, else by container name). */
export function findService(stack: Stack, name: string): ContainerInfo {
  // `docker compose run` containers (one-off) are not the service
  const byLabel = stack.containers.filter((c) => serviceNameOf(c) === name && c.Labels?.['com.docker.compose.oneoff'] !== 'True');
  const candidates = byLabel.length > 0 ? byLabel : stack.containers.filter((c) => containerNameOf(c) === name);
  if (candidates.length === 0) {
    throw new ServiceError('UnknownServiceError', `no service named "${name}"; known services: ${knownServices(stack).join(', ') || '(none)'}`, ['%services lists them.']);
  }
  return pickRunning(stack, candidates, `service "${name}"`);
}

/** The helper container labelled ide49.role=host. */
export function findHostHelper(stack: Stack): ContainerInfo {
  const helpers = stack.containers.filter(isHostHelper);
  if (helpers.length === 0) {
    throw new ServiceError('NoHostHelperError', 'no container labelled ide49.role=host in this stack', [
      'Add a small helper service to the stack: any image with a shell and nsenter (busybox, util-linux),',
      'pid: host, cap_add: [SYS_ADMIN, SYS_PTRACE], labels: {ide49.role: host}, command: sleep infinity.',
    ]);
  }
  return pickRunning(stack, helpers, 'the host helper');
}

function pickRunning(stack: Stack, candidates: ContainerInfo[], what: string): ContainerInfo {
  const running = candidates.filter((c) => c.State === 'running');
  if (running.length === 1) return running[0];
  if (running.length > 1) {
    const where = running.map((c) => `${containerNameOf(c)} (project ${projectOf(c) ?? 'none'})`).join(', ');
    const hint = [
      `Name one container instead, e.g. %%service ${containerNameOf(running[0])}.`,
      ...(stack.project ? [] : ['Or set IDE49_COMPOSE_PROJECT in the kernel environment to choose a stack.']),
    ];
    throw new ServiceError('AmbiguousServiceError', `${what} has several running containers: ${where}`, hint);
  }
  const states = candidates.map((c) => `${containerNameOf(c)} is ${c.State}`).join(', ');
  throw new ServiceError('ServiceNotRunningError', `${what} is not running (${states})`, ['Start it, e.g. docker compose up -d, then run the cell again.']);
}

function projectOf(container: ContainerInfo): string | undefined {
  return PROJECT_LABELS.map((label) => container.Labels?.[label]).find(Boolean);
}

export function knownServices(stack: Stack): string[] {
  const names = stack.containers.map((c) => serviceNameOf(c)).filter((n): n is string => Boolean(n));
  if (stack.containers.some(isHostHelper)) names.push('host');
  return [...new Set(names)].sort();
}
