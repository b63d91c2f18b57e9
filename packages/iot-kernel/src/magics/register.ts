import { splitArgs } from './args';
import { CellError } from './magic';
import type { KernelMagic } from './services';

const registerUsage = '%register NAME URL';

export const registerMagic: KernelMagic = {
  name: 'register',
  kind: 'line',
  group: 'Board',
  help: 'Name a board for %connect, %%connect and iot-device (the connected board also records its unique id, to be found under another port name).',
  usage: registerUsage,
  async run(context, args) {
    const words = splitArgs(args);
    if (words.length !== 2) throw new CellError('UsageError', `Expected a name and a URL. Usage: ${registerUsage}`);
    const [name, url] = words;
    const { boards } = context.services;
    const current = boards.current;
    try {
      const uniqueId = current?.name === boards.registry.resolve(url) ? current.identity.uniqueId : undefined;
      boards.registry.register({ name, url, uniqueId });
    } catch (error) {
      throw new CellError('UsageError', (error as Error).message);
    }
    const saved = boards.registry.get(name)!;
    context.stdout(`Registered ${name} → ${saved.url}${saved.uniqueId ? ` (uid ${saved.uniqueId})` : ''}\n`);
  },
};

export const unregisterMagic: KernelMagic = {
  name: 'unregister',
  kind: 'line',
  group: 'Board',
  help: 'Forget a board name given with %register.',
  usage: '%unregister NAME',
  async run(context, args) {
    const words = splitArgs(args);
    if (words.length !== 1) throw new CellError('UsageError', 'Expected one name. Usage: %unregister NAME');
    if (!context.services.boards.registry.unregister(words[0])) {
      const names = context.services.boards.registry.list().map((device) => device.name);
      throw new CellError('KeyError', `No board is registered as ${words[0]}${names.length ? `; registered: ${names.join(', ')}` : ''}.`);
    }
    context.stdout(`Unregistered ${words[0]}\n`);
  },
};
