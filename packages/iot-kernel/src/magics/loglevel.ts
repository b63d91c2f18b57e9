import { LOG_LEVELS, parseLogLevel } from '../log';
import { CellError } from './magic';
import type { KernelMagic } from './services';

const usage = `%loglevel [${LOG_LEVELS.join('|')}]`;

export const loglevelMagic: KernelMagic = {
  name: 'loglevel',
  kind: 'line',
  group: 'Kernel',
  help: "Set how much the kernel logs (stderr and its log file); without an argument, show the level.",
  usage,
  async run({ services }, args) {
    if (!args.trim()) return { 'text/plain': services.log.level };
    const level = parseLogLevel(args);
    if (!level) throw new CellError('UsageError', `Unknown log level "${args.trim()}". Usage: ${usage}`);
    services.log.level = level;
    services.log.info(`log level set to ${level}`);
  },
};
