import type { KernelMagic } from './services';

export const disconnectMagic: KernelMagic = {
  name: 'disconnect',
  kind: 'line',
  group: 'Board',
  help: 'Close the connection to the board (it is left at its >>> prompt) and forget it for this notebook.',
  usage: '%disconnect',
  async run(context) {
    const name = await context.services.boards.disconnect();
    context.stdout(name ? `Disconnected from ${name}\n` : 'No board was connected.\n');
  },
};
