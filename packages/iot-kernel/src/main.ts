import { IotKernel } from './kernel';
import { Logger, logFileFor, parseLogLevel } from './log';
import { readConnectionFile } from './protocol/connection';
import { KernelServer } from './protocol/server';

/**
 * Runs the kernel for one connection file until a shutdown_request; the process exits 0
 * afterwards. SIGINT (Jupyter's interrupt_mode "signal") stops the running cell.
 */
export async function runKernel(connectionFile: string): Promise<void> {
  const log = new Logger(parseLogLevel(process.env.IOT_KERNEL_LOG) ?? 'info', logFileFor(connectionFile));
  const info = readConnectionFile(connectionFile);
  let server: KernelServer | undefined;
  const kernel = new IotKernel(log, (msgType, content) => server?.publish(msgType, content));
  server = new KernelServer(info, kernel, log);
  process.on('SIGINT', () => kernel.interrupt());
  process.on('SIGTERM', () => {
    log.info('SIGTERM: stopping');
    void kernel.shutdown(false).finally(() => process.exit(0));
  });
  await server.start();
  log.info(`iot-kernel started (pid ${process.pid}, log file ${log.filePath ?? 'none'})`);
  await server.stopped;
  await log.close();
  process.exit(0);
}
