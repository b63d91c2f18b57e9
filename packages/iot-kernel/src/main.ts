import type { IotKernel } from './kernel';
import { jupyterRuntimeDir, LOG_KEEP_DAYS, Logger, logFileFor, parseLogLevel, pruneOldLogs } from './log';
import { readConnectionFile, type ConnectionInfo } from './protocol/connection';
import { KernelServer } from './protocol/server';

export interface RunningKernel {
  kernel: IotKernel;
  server: KernelServer;
}

/** Binds the kernel's sockets and starts answering; `cwd` is the notebook folder. */
export async function startKernel(info: ConnectionInfo, log: Logger, cwd = process.cwd()): Promise<RunningKernel> {
  const server = new KernelServer(info, log);
  await server.bind();
  // The kernel's modules (magics, boards) load once the sockets are bound, while clients connect.
  const { IotKernel } = require('./kernel') as typeof import('./kernel');
  const kernel = new IotKernel(log, (msgType, content) => server.publish(msgType, content), cwd);
  server.serve(kernel);
  kernel.boards.restoreLastBoard();
  return { kernel, server };
}

/**
 * Runs the kernel for one connection file until a shutdown_request; the process exits 0
 * afterwards. SIGINT (Jupyter's interrupt_mode "signal") stops the running cell.
 */
export async function runKernel(connectionFile: string): Promise<void> {
  const log = new Logger(parseLogLevel(process.env.IOT_KERNEL_LOG) ?? 'info', logFileFor(connectionFile));
  // Handled from the first moment: an unhandled SIGINT (Jupyter's interrupt) would kill Node.
  let running: RunningKernel | undefined;
  const stopAndExit = (reason: string) => {
    log.warn(`${reason}: stopping`);
    void (running?.kernel.shutdown(false) ?? Promise.resolve()).finally(() => process.exit(0));
  };
  process.on('SIGINT', () => running?.kernel.interrupt());
  process.on('SIGTERM', () => stopAndExit('SIGTERM'));
  running = await startKernel(readConnectionFile(connectionFile), log);
  exitWithParent(() => stopAndExit('the process that started the kernel is gone'));
  log.info(`iot-kernel started (pid ${process.pid}, log file ${log.filePath ?? 'none'})`);
  void pruneOldLogs(jupyterRuntimeDir()).then((removed) => removed.length > 0 && log.info(`removed ${removed.length} kernel log file(s) older than ${LOG_KEEP_DAYS} days`));
  await running.server.stopped;
  await log.close();
  process.exit(0);
}

/**
 * An orphaned kernel would keep the board's serial port busy: when the process that
 * started the kernel dies (the kernel gets a new parent), `stop` is called, as ipykernel does.
 */
function exitWithParent(stop: () => void): void {
  const parent = process.ppid;
  if (parent <= 1) return;
  setInterval(() => {
    if (process.ppid !== parent) stop();
  }, 1000).unref();
}
