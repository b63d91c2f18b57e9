import { DeviceSession } from '../../session/device-session';
import { parseFlags, UsageError, type CliCommand } from '../command';

export const registerCommand: CliCommand = {
  usage: 'NAME URL [--identify]',
  summary: 'give a board a name usable everywhere (kernel, CLI); --identify also records its unique id (stops its code)',
  async run(args, context) {
    const { flags, positional } = parseFlags(args, ['--identify']);
    if (positional.length !== 2) throw new UsageError('register takes a name and a URL');
    const [name, url] = positional;
    let uniqueId: string | undefined;
    if (flags.has('--identify')) {
      const session = await DeviceSession.connect(url);
      try {
        uniqueId = (await session.identify()).uniqueId;
      } finally {
        await session.close();
      }
    }
    context.registry.register(uniqueId ? { name, url, uniqueId } : { name, url });
    context.stdout.write(`registered ${name} → ${context.registry.get(name)?.url}${uniqueId ? ` (uid ${uniqueId})` : ''} in ${context.registry.path}\n`);
    return 0;
  },
};

export const unregisterCommand: CliCommand = {
  usage: 'NAME',
  summary: 'forget a registered name',
  async run(args, context) {
    if (args.length !== 1) throw new UsageError('unregister takes a name');
    if (!context.registry.unregister(args[0])) {
      context.stderr.write(`no device called ${args[0]} in ${context.registry.path}\n`);
      return 1;
    }
    context.stdout.write(`unregistered ${args[0]}\n`);
    return 0;
  },
};
