#!/usr/bin/env node
import { DeviceRegistry } from '../registry/devices';
import { DeviceSession } from '../session/device-session';
import { UsageError, type CliCommand, type CliContext } from './command';
import { COMMAND_NAMES, loadCommand } from './commands';

const PROGRAM = 'iot-device';

function usage(): string {
  const lines = COMMAND_NAMES.map((name) => {
    const command = loadCommand(name)!;
    return `  ${`${name} ${command.usage}`.trim().padEnd(34)} ${command.summary}`;
  });
  return [
    `usage: ${PROGRAM} [-d NAME|URL] COMMAND [ARGS]`,
    '',
    'commands:',
    ...lines,
    '',
    'The device: -d NAME|URL, else $IOT_DEVICE, else the only registered or discovered board.',
    'URLs: serial:///dev/ttyACM0[?baud=N], /dev/ttyUSB0, virtual://NAME',
    '',
  ].join('\n');
}

/** -d / --device before the command; everything from the command on belongs to it. */
function splitArguments(argv: string[]): { device?: string; command?: string; args: string[] } {
  let device: string | undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    if (argv[i] === '-d' || argv[i] === '--device') {
      device = argv[++i];
      if (device === undefined) throw new UsageError(`${argv[i - 1]} needs a device name or URL`);
    } else if (argv[i] === '-h' || argv[i] === '--help') {
      return { args: [] };
    } else {
      break;
    }
  }
  return { device, command: argv[i], args: argv.slice(i + 1) };
}

/** -d, else IOT_DEVICE, else the one registered device, else the one discovered board. */
async function chooseDevice(spec: string | undefined, registry: DeviceRegistry): Promise<string> {
  const chosen = spec ?? process.env.IOT_DEVICE;
  if (chosen) return registry.resolve(chosen);
  const registered = registry.list();
  if (registered.length === 1) return registered[0].url;
  // Required here, not at the top: only calls without a chosen device pay for discovery.
  const { discoverBoards } = require('../discovery/discover') as typeof import('../discovery/discover');
  const discovered = await discoverBoards({ registry });
  if (registered.length === 0 && discovered.length === 1) return discovered[0].url;
  const options = [...registered.map((d) => `${d.name} (${d.url})`), ...discovered.filter((p) => !p.registeredName).map((p) => p.url)];
  throw new UsageError(
    (options.length === 0 ? 'no board found' : `several boards: ${options.join(', ')}`) +
      '; choose one with -d NAME|URL or IOT_DEVICE (e.g. -d virtual://demo for the virtual board)',
  );
}

async function main(argv: string[]): Promise<number> {
  const { device, command: name, args } = splitArguments(argv);
  if (!name) {
    process.stdout.write(usage());
    return argv.length === 0 ? 2 : 0;
  }
  const command: CliCommand | undefined = loadCommand(name);
  if (!command) throw new UsageError(`unknown command ${JSON.stringify(name)}`);
  const registry = new DeviceRegistry();
  let session: DeviceSession | undefined;
  // Ctrl-C: the first stops what runs (code on the board, a transfer), cleanly; a second quits.
  const stop = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(130);
    stop.abort(new Error('stopped (Ctrl-C)'));
    session?.interrupt();
  };
  process.on('SIGINT', onSigint);
  // A reader that went away (`| head`): stop the board's output and leave quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    stop.abort(error);
    void (session?.close() ?? Promise.resolve()).finally(() => process.exit(0));
  });
  const context: CliContext = {
    registry,
    deviceUrl: () => chooseDevice(device, registry),
    connect: async () => (session ??= await DeviceSession.connect(await chooseDevice(device, registry))),
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    signal: stop.signal,
  };
  try {
    return await command.run(args, context);
  } finally {
    process.off('SIGINT', onSigint);
    await session?.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error & { exitCode?: number }) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${PROGRAM}: ${error.message}\n\n${usage()}`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`${PROGRAM}: ${error.message}\n`);
      process.exitCode = error.exitCode ?? 1;
    }
  },
);
