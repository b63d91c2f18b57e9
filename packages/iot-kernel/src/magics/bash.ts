import { runHostShell } from './host-shell';
import type { KernelMagic } from './services';

export const bashMagic: KernelMagic = {
  name: 'bash',
  kind: 'cell',
  group: 'Host',
  help: 'Run the cell with /bin/bash on the host, in the notebook folder (lines starting with ! do the same).',
  usage: '%%bash',
  run: (context, _args, body) => runHostShell(context, body),
};
