import { requireBoard } from '../board/device-board';
import type { KernelMagic } from './services';

export const softresetMagic: KernelMagic = {
  name: 'softreset',
  kind: 'line',
  group: 'Board',
  help: "Soft reset: the board's interpreter restarts and runs boot.py; variables are gone, the connection stays.",
  usage: '%softreset',
  async run(context) {
    const boot = await requireBoard(context.services).run(context, (device) => device.softReset());
    context.stdout(`${boot}${boot && !boot.endsWith('\n') ? '\n' : ''}Soft reset done.\n`);
  },
};

export const hardresetMagic: KernelMagic = {
  name: 'hardreset',
  kind: 'line',
  group: 'Board',
  help: 'Hard reset (machine.reset(), the reset button of a virtual board), then show the boot output until the board is quiet.',
  usage: '%hardreset',
  async run(context) {
    const boot = await requireBoard(context.services).hardReset(context); // streamed into the cell as it came
    context.stdout(`${boot && !boot.endsWith('\n') ? '\n' : ''}Hard reset done.\n`);
  },
};
