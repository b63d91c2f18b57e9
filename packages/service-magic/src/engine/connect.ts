import * as fs from 'node:fs';
import type Docker from 'dockerode';
import { ServiceError } from '../service-error';

/** Sockets tried in order when DOCKER_HOST is not set. */
export const DEFAULT_SOCKETS = ['/var/run/docker.sock', '/var/run/balena-engine.sock'];

export interface Engine {
  readonly docker: Docker;
  /** Where the daemon was looked for, for error messages, e.g. "unix:///var/run/docker.sock". */
  readonly address: string;
}

/**
 * The daemon named by DOCKER_HOST, else the first socket of DEFAULT_SOCKETS that
 * exists. dockerode is loaded here, not at import, so the kernel starts fast (a
 * require: dockerode is CommonJS, and jest's sandbox has no dynamic import()).
 */
export function connectEngine(env: NodeJS.ProcessEnv = process.env): Engine {
  const DockerClient = require('dockerode') as typeof import('dockerode');
  if (env.DOCKER_HOST) {
    // docker-modem reads DOCKER_HOST (and DOCKER_TLS_VERIFY / DOCKER_CERT_PATH) itself.
    return { docker: new DockerClient(), address: env.DOCKER_HOST };
  }
  const socketPath = DEFAULT_SOCKETS.find((socket) => fs.existsSync(socket)) ?? DEFAULT_SOCKETS[0];
  return { docker: new DockerClient({ socketPath }), address: `unix://${socketPath}` };
}

const CONNECTION_ERRORS = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ENOTSOCK', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

/** Runs one Engine API call; a daemon that does not answer becomes an error saying how to grant access. */
export async function callEngine<T>(engine: Engine, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && CONNECTION_ERRORS.has(code)) throw unreachable(engine, error as Error, code);
    throw error;
  }
}

function unreachable(engine: Engine, error: Error, code: string): ServiceError {
  const denied = code === 'EACCES' || code === 'EPERM';
  const remedy = denied
    ? `add the user running the kernel to the socket's group (usually "docker") or run the kernel as root`
    : 'start the engine, or mount its socket into the Jupyter container, or point DOCKER_HOST at it';
  const hints = [
    denied
      ? 'The socket exists but this user may not use it: usermod -aG docker USER, then restart the kernel.'
      : 'In a compose stack, mount the socket into the Jupyter service only: volumes: ["/var/run/docker.sock:/var/run/docker.sock"].',
    `DOCKER_HOST (e.g. unix:///run/user/1000/docker.sock or tcp://HOST:2375) in the kernel's environment names another daemon. Without it, ${DEFAULT_SOCKETS.join(' then ')} are tried.`,
  ];
  return new ServiceError('DockerUnreachableError', `cannot reach the Docker Engine at ${engine.address} (${error.message}): ${remedy}`, hints);
}
