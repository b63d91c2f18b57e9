/**
 * A small compose-like stack for the tests, made through the Engine API with no
 * registry: an image FROM scratch with Debian's static busybox, two services labelled
 * as Compose would label them, and the host helper (host PID namespace, SYS_ADMIN and
 * SYS_PTRACE, ide49.role=host). Names and the project are unique per run; down()
 * removes every container of the run.
 *
 * CLI for the Python suites: `node test-stack.js up` prints the stack as JSON,
 * `node test-stack.js down PROJECT` removes it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Docker from 'dockerode';
import { DEFAULT_SOCKET } from './docker-fixture';

export const TEST_IMAGE = 'ide49-test/busybox:1';
const BUSYBOX = '/bin/busybox';
export const RUN_LABEL = 'ide49.test-run';

export interface TestStack {
  /** com.docker.compose.project of every container: give it to the kernel as IDE49_COMPOSE_PROJECT. */
  readonly project: string;
  /** Container ids by service name ("web", "worker", "hostshell"). */
  readonly ids: Record<string, string>;
  /** PID (in the daemon's namespace) of web's init: an nsenter target that works on sandboxed machines. */
  readonly webInitPid: number;
}

export async function upTestStack(docker = new Docker({ socketPath: DEFAULT_SOCKET })): Promise<TestStack> {
  await buildTestImage(docker);
  const project = `ide49test${process.pid}${Math.random().toString(36).slice(2, 7)}`;
  const service = (name: string, options: Partial<Docker.ContainerCreateOptions> = {}, labels: Record<string, string> = {}) =>
    startContainer(docker, {
      name: `${project}-${name}`,
      Image: TEST_IMAGE,
      Hostname: name,
      // tail -f /dev/null: a PID 1 that is no `sleep`, so tests can look for leftover sleeps.
      Cmd: ['tail', '-f', '/dev/null'],
      Labels: { [RUN_LABEL]: project, 'com.docker.compose.project': project, 'com.docker.compose.service': name, ...labels },
      ...options,
      HostConfig: { Init: true, ...options.HostConfig },
    });
  const [web, worker, hostshell] = await Promise.all([
    // A published port and a health check, for %services.
    service('web', { ExposedPorts: { '8080/tcp': {} }, HostConfig: { PortBindings: { '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }] } } }),
    service('worker', { Healthcheck: { Test: ['CMD', 'true'], Interval: 200_000_000, StartPeriod: 0 } }),
    service('hostshell', { HostConfig: { PidMode: 'host', CapAdd: ['SYS_ADMIN', 'SYS_PTRACE'] } }, { 'ide49.role': 'host' }),
  ]);
  const webInitPid = (await docker.getContainer(web).inspect()).State.Pid;
  return { project, ids: { web, worker, hostshell }, webInitPid };
}

export async function downTestStack(project: string, docker = new Docker({ socketPath: DEFAULT_SOCKET })): Promise<void> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${RUN_LABEL}=${project}`] } });
  await Promise.all(containers.map((c) => docker.getContainer(c.Id).remove({ force: true })));
}

async function startContainer(docker: Docker, options: Docker.ContainerCreateOptions): Promise<string> {
  const container = await docker.createContainer(options);
  await container.start();
  return container.id;
}

/** FROM scratch + static busybox: builds in about a second, needs no registry. */
export async function buildTestImage(docker: Docker): Promise<void> {
  if (await docker.getImage(TEST_IMAGE).inspect().then(() => true, () => false)) return;
  const context = fs.mkdtempSync(path.join(os.tmpdir(), 'ide49-image-'));
  try {
    fs.copyFileSync(BUSYBOX, path.join(context, 'busybox'));
    fs.writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nENV PATH=/bin\n');
    const progress = await docker.buildImage({ context, src: ['Dockerfile', 'busybox'] }, { t: TEST_IMAGE });
    const events = await new Promise<{ error?: string }[]>((resolve, reject) => docker.modem.followProgress(progress, (error, output) => (error ? reject(error) : resolve(output))));
    const failure = events.find((event) => event.error);
    if (failure) throw new Error(`building ${TEST_IMAGE} failed: ${failure.error} (is busybox-static installed?)`);
  } finally {
    fs.rmSync(context, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [action, project] = process.argv.slice(2);
  const done = action === 'up' ? upTestStack().then((stack) => console.log(JSON.stringify(stack))) : action === 'down' && project ? downTestStack(project) : Promise.reject(new Error('usage: test-stack.js up | down PROJECT'));
  done.catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
