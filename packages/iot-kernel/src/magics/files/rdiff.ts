import type { KernelMagic } from '../services';
import { runSync } from './sync-command';

const usage = '%rdiff LOCAL [:REMOTE] [--delete] [--exclude GLOB]...';

export const rdiffMagic: KernelMagic = {
  name: 'rdiff',
  kind: 'line',
  group: 'Files',
  help: 'Show what %rsync would change on the board (compares hashes, copies nothing).',
  usage,
  async run(context, args) {
    await runSync(context, args, usage, true);
  },
};
