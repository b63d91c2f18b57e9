/**
 * The magics against a real Docker Engine (started by the shared fixture when none
 * runs) and a throw-away stack. All docker tests of this package live in this one
 * file so they share one stack.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Docker from 'dockerode';
import type { ServiceCellContext } from '../src/cell-context';
import { containerIdFromMountinfo, loadStack } from '../src/engine/stack';
import { connectEngine } from '../src/engine/connect';
import { serviceMagic, servicesMagic, ServiceError } from '../src';
import { acquireDockerDaemon, type DaemonLease } from './docker-fixture';
import { downTestStack, RUN_LABEL, TEST_IMAGE, upTestStack, type TestStack } from './test-stack';

jest.setTimeout(60_000);

let lease: DaemonLease;
let stack: TestStack;
let docker: Docker;

beforeAll(async () => {
  lease = acquireDockerDaemon();
  docker = new Docker({ socketPath: lease.socketPath });
  stack = await upTestStack(docker);
  process.env.IDE49_COMPOSE_PROJECT = stack.project;
  delete process.env.DOCKER_HOST;
  delete process.env.IDE49_HOST_PID;
}, 120_000);

afterAll(async () => {
  if (stack) await downTestStack(stack.project, docker);
  lease?.release();
}, 120_000);

/** A cell: records output in order, merging consecutive text of one stream. */
class RecordingCell implements ServiceCellContext {
  readonly output: ['stdout' | 'stderr', string][] = [];
  readonly displays: { [mime: string]: string }[] = [];
  readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  stdout(text: string) {
    this.append('stdout', text);
  }
  stderr(text: string) {
    this.append('stderr', text);
  }
  display(data: { [mime: string]: string }) {
    this.displays.push(data);
  }
  text(stream: 'stdout' | 'stderr'): string {
    return this.output.filter(([s]) => s === stream).map(([, t]) => t).join('');
  }
  private append(stream: 'stdout' | 'stderr', text: string) {
    const last = this.output[this.output.length - 1];
    if (last?.[0] === stream) last[1] += text;
    else this.output.push([stream, text]);
  }
}

async function runCell(args: string, body: string, cell = new RecordingCell()): Promise<RecordingCell> {
  await serviceMagic.run(cell, args, body);
  return cell;
}

async function cellError(args: string, body: string, cell = new RecordingCell()): Promise<ServiceError> {
  const error = await serviceMagic.run(cell, args, body).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceError);
  return error as ServiceError;
}

async function execIn(containerId: string, command: string): Promise<string> {
  const cell = new RecordingCell();
  process.env.IDE49_COMPOSE_PROJECT = stack.project;
  const name = Object.entries(stack.ids).find(([, id]) => id === containerId)![0];
  await serviceMagic.run(cell, name, command);
  return cell.text('stdout');
}

test('stdout and stderr arrive as separate streams, in order', async () => {
  const cell = await runCell('web', 'echo out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo out2; sleep 0.2; echo err2 >&2');
  expect(cell.output).toEqual([
    ['stdout', 'out1\n'],
    ['stderr', 'err1\n'],
    ['stdout', 'out2\n'],
    ['stderr', 'err2\n'],
  ]);
});

test.each([1, 42])('exit code %i becomes a ServiceExitError', async (code) => {
  const error = await cellError('web', `echo before\nexit ${code}\necho after`);
  expect(error.ename).toBe('ServiceExitError');
  expect(error.evalue).toBe(`exit code ${code}`);
});

test('a command killed by a signal: the exit code says which', async () => {
  const error = await cellError('web', 'sh -c \'kill -KILL $$\'');
  expect(error.evalue).toBe('exit code 137');
  expect(error.traceback.join('\n')).toMatch(/killed by signal KILL \(out of memory/);
});

test('exit code 0 is success, also for an empty cell', async () => {
  expect((await runCell('web', 'true')).output).toEqual([]);
  expect((await runCell('web', '')).output).toEqual([]);
});

test('the cell reaches the shell untouched: quotes, $, backslashes, heredocs', async () => {
  const body = [
    `echo 'single $HOME "x"'`,
    `echo "double $HOME 'y'"`,
    `printf '%s\\n' 'back\\slash\\\\n'`,
    `cat <<'EOF'`,
    'quoted heredoc $HOME `date` \\t',
    'EOF',
    'cat <<EOF',
    'heredoc $HOME',
    'EOF',
  ].join('\n');
  const cell = await runCell('web -e HOME=/home/cell', body);
  expect(cell.text('stdout')).toBe(
    ['single $HOME "x"', "double /home/cell 'y'", 'back\\slash\\\\n', 'quoted heredoc $HOME `date` \\t', 'heredoc /home/cell', ''].join('\n'),
  );
  expect(cell.text('stderr')).toBe('');
});

test('commands that read stdin get none: the rest of the cell still runs', async () => {
  const filler = Array.from({ length: 400 }, (_, i) => `: line ${i} of filler to make the script longer than a pipe read`).join('\n');
  const body = ['head -c 10', 'read x || echo "read got end of input"', filler, 'cat', 'echo "last line ran"'].join('\n');
  const cell = await runCell('web', body);
  expect(cell.text('stdout')).toBe('read got end of input\nlast line ran\n');
  expect(cell.text('stderr')).toBe('');
});

test('bytes that are not UTF-8 are replaced; UTF-8 split across writes is joined', async () => {
  const cell = await runCell('web', `printf '\\377\\376ok\\n'; printf '\\303'; sleep 0.2; printf '\\251\\n'`);
  expect(cell.text('stdout')).toBe('\uFFFD\uFFFDok\né\n');
});

test('1 MB of output arrives whole', async () => {
  const cell = await runCell('web', `head -c 1048576 /dev/zero | tr '\\0' x; echo; echo done`);
  const stdout = cell.text('stdout');
  expect(stdout.length).toBe(1048576 + 6);
  expect(stdout.slice(0, 1048576)).toBe('x'.repeat(1048576));
  expect(stdout.endsWith('\ndone\n')).toBe(true);
});

test('options: -u, -w, -e and -s reach the exec', async () => {
  const cell = await runCell('web -u 1000:1000 -w /etc -e GREETING="hello there" -s ash', 'id -u; pwd; echo "$GREETING"; tr "\\0" " " < /proc/$$/cmdline; echo');
  expect(cell.text('stdout')).toBe('1000\n/etc\nhello there\nash /proc/self/fd/3 \n');
});

test('~/.init_NAME.sh of the target is sourced first', async () => {
  await runCell('web -e HOME=/', `printf 'export FROM_INIT=yes\\n' > /.init_web.sh`);
  try {
    expect((await runCell('web -e HOME=/', 'echo "$FROM_INIT"')).text('stdout')).toBe('yes\n');
    expect((await runCell('worker -e HOME=/', 'echo "[$FROM_INIT]"')).text('stdout')).toBe('[]\n');
  } finally {
    await runCell('web', 'rm -f /.init_web.sh');
  }
});

test('the stop button ends sleep 100 and every process it started within 2 s', async () => {
  const cell = new RecordingCell();
  const running = cellError('web', 'echo started; sleep 1001 & sleep 1001; echo not reached', cell);
  await waitFor(() => cell.text('stdout') === 'started\n');
  await waitForAsync(async () => (await liveSleeps(stack.ids.web, 1001)).length === 2);
  const stoppedAt = Date.now();
  cell.controller.abort();
  const error = await running;
  expect(Date.now() - stoppedAt).toBeLessThan(2000);
  expect(error.ename).toBe('KeyboardInterrupt');
  expect(await liveSleeps(stack.ids.web, 1001)).toEqual([]);
});

test('--timeout S ends the command after S seconds', async () => {
  const startedAt = Date.now();
  const error = await cellError('web --timeout 1', 'sleep 1002');
  expect(error.ename).toBe('ServiceTimeoutError');
  expect(error.evalue).toMatch(/timed out after 1 s/);
  expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
  expect(Date.now() - startedAt).toBeLessThan(3000);
  expect(await liveSleeps(stack.ids.web, 1002)).toEqual([]);
});

test('an unknown service is an error listing the known ones', async () => {
  const error = await cellError('nosuchservice', 'true');
  expect(error.ename).toBe('UnknownServiceError');
  expect(error.evalue).toBe('no service named "nosuchservice"; known services: host, hostshell, web, worker');
});

test('an unreachable daemon is an error naming the socket and how to grant access', async () => {
  process.env.DOCKER_HOST = 'unix:///nonexistent/ide49-docker.sock';
  try {
    const error = await cellError('web', 'true');
    expect(error.ename).toBe('DockerUnreachableError');
    expect(error.evalue).toMatch('unix:///nonexistent/ide49-docker.sock');
    expect(error.evalue).toMatch(/: start the engine, or mount its socket into the Jupyter container, or point DOCKER_HOST at it$/);
    const listing = await servicesMagic.run(new RecordingCell(), '', '').catch((e: ServiceError) => e);
    expect((listing as ServiceError).ename).toBe('DockerUnreachableError');
  } finally {
    delete process.env.DOCKER_HOST;
  }
});

test('%%service host enters the namespaces of the configured host PID (here: another container)', async () => {
  process.env.IDE49_HOST_PID = String(stack.webInitPid);
  try {
    await runCell('web', 'echo web-marker > /marker');
    const cell = await runCell('host -w /etc', 'hostname; cat /marker; pwd; ps -o pid,args');
    const [hostname, marker, pwd] = cell.text('stdout').split('\n');
    expect([hostname, marker, pwd]).toEqual(['web', 'web-marker', '/etc']);
    expect(cell.text('stdout')).toMatch(/tail -f \/dev\/null/); // web's processes, seen from its PID namespace
    expect(cell.text('stderr')).toBe('');
    // as another user: the shell still reads its script (the pipe is opened again by path)
    expect((await runCell('host -u 1000:1000', 'id -u; echo "as $(id -g)"')).text('stdout')).toBe('1000\nas 1000\n');
  } finally {
    delete process.env.IDE49_HOST_PID;
  }
});

test("%%service host falls back to the helper container when the host's namespaces are refused, and says so once", async () => {
  const cell = await runCell('host', 'ps -o pid,args');
  // The helper shares the host's PID namespace: this test process is in the list.
  expect(cell.text('stdout')).toMatch(new RegExp(`^\\s*${process.pid}\\s`, 'm'));
  const notes = cell.text('stderr').match(/note: cannot enter the host's namespaces/g) ?? [];
  // Where the host's namespaces can be entered (a machine that is not sandboxed), there is no note.
  expect(notes.length).toBeLessThanOrEqual(1);
});

test.each([
  ['through nsenter', () => String(stack.webInitPid)],
  ['in the helper (fallback)', () => undefined],
])('%%%%service host %s stops like any other target', async (_how, hostPid) => {
  const pid = hostPid();
  if (pid) process.env.IDE49_HOST_PID = pid;
  try {
    const cell = new RecordingCell();
    const running = cellError('host', 'echo started; sleep 1003 & sleep 1003', cell);
    await waitFor(() => cell.text('stdout').includes('started'));
    await waitForAsync(async () => (await liveSleeps(pid ? stack.ids.web : stack.ids.hostshell, 1003)).length === 2);
    const stoppedAt = Date.now();
    cell.controller.abort();
    expect((await running).ename).toBe('KeyboardInterrupt');
    expect(Date.now() - stoppedAt).toBeLessThan(2000);
    expect(await liveSleeps(stack.ids.web, 1003)).toEqual([]);
    expect(await liveSleeps(stack.ids.hostshell, 1003)).toEqual([]);
  } finally {
    delete process.env.IDE49_HOST_PID;
  }
});

test("a shell the container lacks is an exit code with the shell's message", async () => {
  const cell = new RecordingCell();
  const error = await cellError('web -s /no/such/shell', 'true', cell);
  expect(error.evalue).toBe('exit code 127');
  expect(cell.text('stderr')).toMatch('/no/such/shell');
});

test('%services shows the stack as text and HTML: state, health, ports', async () => {
  const cell = new RecordingCell();
  // worker's health check runs every 0.2 s: wait for its first result.
  await waitForAsync(async () => {
    cell.displays.length = 0;
    await servicesMagic.run(cell, '', '');
    return cell.displays[0]['text/plain'].includes('healthy');
  });
  const [{ 'text/plain': text, 'text/html': html }] = cell.displays;
  const lines = text.split('\n');
  expect(lines[0]).toMatch(/^SERVICE\s+CONTAINER\s+IMAGE\s+STATE\s+HEALTH\s+PORTS$/);
  expect(lines.slice(1).map((line) => line.split(/\s+/))).toEqual([
    ['host', `${stack.project}-hostshell`, 'ide49-test/busybox:1', 'running'],
    ['web', `${stack.project}-web`, 'ide49-test/busybox:1', 'running', expect.stringMatching(/^127\.0\.0\.1:\d+->8080\/tcp$/)],
    ['worker', `${stack.project}-worker`, 'ide49-test/busybox:1', 'running', 'healthy'],
  ]);
  expect(html).toMatch(/^<table><thead><tr><th>service<\/th>/);
  expect(html).toContain(`<tr><td>worker</td><td>${stack.project}-worker</td><td>ide49-test/busybox:1</td><td>running</td><td>healthy</td><td></td></tr>`);
});

test("the kernel's own container is found from /proc/self/mountinfo", async () => {
  const mountinfo = await execIn(stack.ids.web, 'cat /proc/self/mountinfo');
  expect(containerIdFromMountinfo(mountinfo)).toBe(stack.ids.web);
  // a shared IPC namespace lists another container's /dev/shm first: the hostname line decides
  const other = 'a'.repeat(64);
  const sharedIpc = `1 2 0:50 /var/lib/docker/containers/${other}/mounts/shm /dev/shm rw - tmpfs shm rw\n${mountinfo}`;
  expect(containerIdFromMountinfo(sharedIpc)).toBe(stack.ids.web);
});

test('outside a container and without IDE49_COMPOSE_PROJECT, every container is reachable', async () => {
  delete process.env.IDE49_COMPOSE_PROJECT;
  try {
    const unrestricted = await loadStack(connectEngine());
    expect(unrestricted.project).toBeUndefined();
    expect(unrestricted.containers.map((c) => c.Id)).toEqual(expect.arrayContaining(Object.values(stack.ids)));
  } finally {
    process.env.IDE49_COMPOSE_PROJECT = stack.project;
  }
});

/**
 * Command lines of the live (not zombie) processes of a container running `sleep SECONDS`.
 * The host helper sees every process of the host, hence the unusual durations.
 */
async function liveSleeps(containerId: string, seconds: number): Promise<string[]> {
  const listing = await execIn(containerId, `for p in /proc/[0-9]*; do s=$(cat $p/stat 2>/dev/null) || continue; case "$s" in *") Z "*) continue;; esac; tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done`);
  return listing.split('\n').filter((line) => line.trim() === `sleep ${seconds}`);
}

function waitFor(condition: () => boolean): Promise<void> {
  return waitForAsync(async () => condition());
}

async function waitForAsync(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("balena's service label and plain container names find containers too", async () => {
  const balena = await docker.createContainer({
    name: `${stack.project}-balena`,
    Image: TEST_IMAGE,
    Hostname: 'balena-box',
    Cmd: ['tail', '-f', '/dev/null'],
    Labels: { [RUN_LABEL]: stack.project, 'com.docker.compose.project': stack.project, 'io.balena.service-name': 'balenasvc' },
    HostConfig: { Init: true },
  });
  try {
    await balena.start();
    expect((await runCell('balenasvc', 'hostname')).text('stdout')).toBe('balena-box\n');
    expect((await runCell(`${stack.project}-worker`, 'hostname')).text('stdout')).toBe('worker\n');
  } finally {
    await balena.remove({ force: true });
  }
});

test("a kernel inside a stack's container reaches its own stack's services only", async () => {
  // Another project with a "web" too: without the restriction, "web" would be ambiguous.
  const decoy = await docker.createContainer({
    name: `${stack.project}-decoy-web`,
    Image: TEST_IMAGE,
    Cmd: ['tail', '-f', '/dev/null'],
    Labels: { [RUN_LABEL]: stack.project, 'com.docker.compose.project': `${stack.project}-decoy`, 'com.docker.compose.service': 'web' },
    HostConfig: { Init: true },
  });
  const kernelSide = await docker.createContainer({
    name: `${stack.project}-jupyter`,
    Image: TEST_IMAGE,
    Cmd: [process.execPath, '-e', IN_CONTAINER_SCRIPT, require.resolve('../src')],
    Labels: { [RUN_LABEL]: stack.project, 'com.docker.compose.project': stack.project, 'com.docker.compose.service': 'jupyter' },
    HostConfig: { Binds: [...nodeBinds(), `${REPO}:${REPO}:ro`, `${lease.socketPath}:/var/run/docker.sock`] },
  });
  try {
    await decoy.start();
    await kernelSide.start();
    const { StatusCode } = await kernelSide.wait();
    const logs = (await kernelSide.logs({ stdout: true, stderr: true })).toString('utf8');
    expect({ StatusCode, logs }).toEqual({ StatusCode: 0, logs: expect.stringContaining('hostname: web\n') });
  } finally {
    await Promise.all([decoy.remove({ force: true }), kernelSide.remove({ force: true })]);
  }
});

const REPO = path.resolve(__dirname, '../../../..');

/** Runs %%service web in the container: no IDE49_COMPOSE_PROJECT, so the project comes from its own labels. */
const IN_CONTAINER_SCRIPT = `
const { serviceMagic } = require(process.argv[1]);
const cell = { stdout: (t) => process.stdout.write('hostname: ' + t), stderr: (t) => process.stderr.write(t), display() {}, signal: new AbortController().signal };
serviceMagic.run(cell, 'web', 'hostname').catch((e) => { console.error(e.message); process.exit(1); });
`;

/** Bind mounts that make this machine's node run in a FROM scratch container: the binary and the libraries ldd lists. */
function nodeBinds(): string[] {
  const ldd = execFileSync('ldd', [process.execPath], { encoding: 'utf8' });
  const libraries = [...ldd.matchAll(/(\/\S+) \(0x/g)].map((m) => m[1]);
  return [process.execPath, ...libraries].map((file) => `${fs.realpathSync(file)}:${file}:ro`);
}
