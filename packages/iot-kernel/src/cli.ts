#!/usr/bin/env node
import { DEFAULT_DISPLAY_NAME, DEFAULT_NAME, defaultLocation, installKernelspec, uninstallKernelspec, type SpecLocation } from './kernelspec/install';

const USAGE = `Usage:
  iot-kernel install [--user | --sys-prefix | --prefix DIR] [--name NAME] [--display-name TEXT]
  iot-kernel uninstall [--user | --sys-prefix | --prefix DIR] [--name NAME]
  iot-kernel CONNECTION_FILE          (what Jupyter runs; also: iot-kernel kernel -f CONNECTION_FILE)

Without a location flag, install uses /usr/local/share/jupyter/kernels as root and --user otherwise;
uninstall removes the kernelspec from every standard location.`;

interface Options {
  location?: SpecLocation;
  name: string;
  displayName: string;
}

function parseOptions(args: string[]): Options {
  const options: Options = { name: DEFAULT_NAME, displayName: DEFAULT_DISPLAY_NAME };
  for (let i = 0; i < args.length; i++) {
    const value = () => args[++i] ?? fail(`${args[i - 1]} needs a value.`);
    switch (args[i]) {
      case '--user':
        options.location = { kind: 'user' };
        break;
      case '--sys-prefix':
        options.location = { kind: 'sys-prefix' };
        break;
      case '--prefix':
        options.location = { kind: 'prefix', dir: value() };
        break;
      case '--name':
        options.name = value();
        break;
      case '--display-name':
        options.displayName = value();
        break;
      default:
        fail(`Unknown option ${args[i]}.`);
    }
  }
  return options;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'install') {
    const options = parseOptions(rest);
    const dir = installKernelspec({ location: options.location ?? defaultLocation(), name: options.name, displayName: options.displayName, entryPoint: __filename });
    console.log(`Installed kernelspec ${options.name} in ${dir}`);
  } else if (command === 'uninstall') {
    const options = parseOptions(rest);
    const removed = uninstallKernelspec(options.name, options.location);
    if (removed.length === 0) fail(`No kernelspec named ${options.name} found.`);
    for (const dir of removed) console.log(`Removed ${dir}`);
  } else if (command === 'kernel' && rest[0] === '-f' && rest[1]) {
    await (await import('./main.js')).runKernel(rest[1]);
  } else if (command && !command.startsWith('-') && rest.length === 0) {
    await (await import('./main.js')).runKernel(command);
  } else {
    fail(command === undefined || command === '--help' || command === '-h' ? '' : `Unknown command ${command}.`);
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`iot-kernel: ${error.message}`);
  process.exit(1);
});
