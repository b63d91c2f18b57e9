/**
 * A real Docker Engine for the tests, shared by every test process on the machine.
 *
 * When a daemon already answers on /var/run/docker.sock it is used as it is and never
 * stopped. Otherwise the first test process starts `dockerd` (logging to a temp file)
 * and records its PID; every test process takes a lease (a file naming its PID) and the
 * last one to release stops that daemon, and only that one, by its PID. Leases of
 * processes that died are ignored, so a crashed run does not keep the daemon forever.
 * Acquire and release run under `flock` so concurrent jest workers and pytest never
 * start two daemons.
 *
 * Also a CLI for the Python suites: `node docker-fixture.js acquire|release OWNER_PID`.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

export const DEFAULT_SOCKET = '/var/run/docker.sock';
const STATE_DIR = path.join(os.tmpdir(), 'ide49-dockerd');
const LOCK_FILE = path.join(STATE_DIR, 'lock');
const PID_FILE = path.join(STATE_DIR, 'dockerd.pid');
const LOG_FILE = path.join(STATE_DIR, 'dockerd.log');
const LEASES_DIR = path.join(STATE_DIR, 'leases');

export interface DaemonLease {
  readonly socketPath: string;
  release(): void;
}

/** Makes sure a daemon answers on the default socket and holds it until release(). */
export function acquireDockerDaemon(ownerPid = process.pid): DaemonLease {
  const lease = runLocked('acquire', ownerPid);
  let released = false;
  return {
    socketPath: DEFAULT_SOCKET,
    release() {
      if (released) return;
      released = true;
      runLocked('release', ownerPid, lease);
    },
  };
}

/** Runs this file's CLI under the machine-wide lock; returns the lease name it printed. */
function runLocked(action: 'acquire' | 'release', ownerPid: number, lease = ''): string {
  fs.mkdirSync(LEASES_DIR, { recursive: true });
  const result = spawnSync('flock', [LOCK_FILE, process.execPath, __filename, `locked-${action}`, String(ownerPid), lease], {
    encoding: 'utf8',
    timeout: 90_000,
  });
  if (result.status !== 0) {
    throw new Error(`docker fixture ${action} failed (${result.error?.message ?? `exit ${result.status}`}): ${result.stderr}\nSee ${LOG_FILE}.`);
  }
  return result.stdout.trim();
}

async function lockedAcquire(ownerPid: number): Promise<string> {
  if (!(await daemonAnswers(DEFAULT_SOCKET))) {
    await startDaemon();
  }
  const lease = `${ownerPid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  fs.writeFileSync(path.join(LEASES_DIR, lease), String(ownerPid));
  return lease;
}

async function lockedRelease(lease: string): Promise<void> {
  if (lease) fs.rmSync(path.join(LEASES_DIR, lease), { force: true });
  if (liveLeases().length > 0 || !fs.existsSync(PID_FILE)) return;
  const pid = Number(fs.readFileSync(PID_FILE, 'utf8'));
  await stopProcess(pid);
  fs.rmSync(PID_FILE, { force: true });
}

function liveLeases(): string[] {
  return fs.readdirSync(LEASES_DIR).filter((name) => {
    const owner = Number(fs.readFileSync(path.join(LEASES_DIR, name), 'utf8'));
    if (isAlive(owner)) return true;
    fs.rmSync(path.join(LEASES_DIR, name), { force: true });
    return false;
  });
}

async function startDaemon(): Promise<void> {
  const log = fs.openSync(LOG_FILE, 'a');
  const daemon = spawn('dockerd', ['--host', `unix://${DEFAULT_SOCKET}`], { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  daemon.unref();
  fs.writeFileSync(PID_FILE, String(daemon.pid));
  const deadline = Date.now() + 60_000;
  while (!(await daemonAnswers(DEFAULT_SOCKET))) {
    if (!isAlive(daemon.pid!) || Date.now() > deadline) {
      fs.rmSync(PID_FILE, { force: true });
      throw new Error(`dockerd did not start; its log is ${LOG_FILE}. Is docker.io installed (scripts/setup.sh)? Are we root?`);
    }
    await sleep(200);
  }
}

async function stopProcess(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 20_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
}

export function daemonAnswers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/_ping', timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => request.destroy());
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie (exited, not yet reaped) still answers kill 0: look at its state too.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function main(action: string, ownerPid: number, lease: string): Promise<void> {
  switch (action) {
    case 'locked-acquire':
      process.stdout.write(`${await lockedAcquire(ownerPid)}\n`);
      return;
    case 'locked-release':
      await lockedRelease(lease);
      return;
    case 'acquire':
      process.stdout.write(`${runLocked('acquire', ownerPid)}\n`);
      return;
    case 'release':
      runLocked('release', ownerPid, lease);
      return;
    default:
      throw new Error('usage: docker-fixture.js acquire OWNER_PID | release OWNER_PID LEASE');
  }
}

if (require.main === module) {
  const [action = '', owner = String(process.ppid), lease = ''] = process.argv.slice(2);
  main(action, Number(owner), lease).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
