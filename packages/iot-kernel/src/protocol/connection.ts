import { readFileSync } from 'node:fs';

/** The connection file Jupyter writes for a kernel (jupyter_client's format). */
export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
}

export type ChannelName = 'shell' | 'iopub' | 'stdin' | 'control' | 'hb';

export function readConnectionFile(path: string): ConnectionInfo {
  let info: Partial<ConnectionInfo>;
  try {
    info = JSON.parse(readFileSync(path, 'utf8')) as Partial<ConnectionInfo>;
  } catch (error) {
    throw new Error(`Cannot read the connection file ${path} (${(error as Error).message}); Jupyter passes it as the kernel's argument.`);
  }
  if (info.signature_scheme && info.signature_scheme !== 'hmac-sha256' && info.key) {
    throw new Error(`Unsupported signature_scheme ${info.signature_scheme} in ${path}: this kernel signs with hmac-sha256.`);
  }
  return { transport: 'tcp', ip: '127.0.0.1', key: '', signature_scheme: 'hmac-sha256', ...info } as ConnectionInfo;
}

/** The ZeroMQ address of one channel: tcp://ip:port, or for ipc the file `ip-port`, as jupyter_client names it. */
export function channelAddress(info: ConnectionInfo, channel: ChannelName): string {
  const port = info[`${channel}_port`];
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip}:${port}`;
}
