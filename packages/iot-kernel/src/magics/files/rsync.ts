import type { KernelMagic } from '../services';
import { runSync } from './sync-command';

const usage = '%rsync LOCAL [:REMOTE] [--delete] [--exclude GLOB]... [--dry-run]';

export const rsyncMagic: KernelMagic = {
  name: 'rsync',
  kind: 'line',
  group: 'Files',
  help: 'Make a board folder match a host folder, copying only what differs (by hash); --delete removes what the host lacks.',
  usage,
  async run(context, args) {
    await runSync(context, args, usage, false);
  },
};
