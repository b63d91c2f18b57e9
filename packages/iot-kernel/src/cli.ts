#!/usr/bin/env node
import type { SpecLocation } from './kernelspec/install';

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

function parseOptions(args: string[], defaults: Omit<Options, 'location'>): Options {
  const options: Options = { ...defaults };
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

// Each command loads only its own modules (with require: plain CommonJS, no ESM loader): the
// kernel's start does not pay for the kernelspec code (logo drawing, zlib), nor the reverse.
async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command === 'install' || command === 'uninstall') {
    manageKernelspec(command, rest);
  } else if (command === 'kernel' && rest[0] === '-f' && rest[1]) {
    await runKernel(rest[1]);
  } else if (command && !command.startsWith('-') && rest.length === 0) {
    await runKernel(command);
  } else {
    fail(command === undefined || command === '--help' || command === '-h' ? '' : `Unknown command ${command}.`);
  }
}

function runKernel(connectionFile: string): Promise<void> {
  return (require('./main') as typeof import('./main')).runKernel(connectionFile);
}

function manageKernelspec(command: 'install' | 'uninstall', args: string[]): void {
  const kernelspec = require('./kernelspec/install') as typeof import('./kernelspec/install');
  const options = parseOptions(args, { name: kernelspec.DEFAULT_NAME, displayName: kernelspec.DEFAULT_DISPLAY_NAME });
  if (command === 'install') {
    const dir = kernelspec.installKernelspec({ location: options.location ?? kernelspec.defaultLocation(), name: options.name, displayName: options.displayName, entryPoint: __filename });
    console.log(`Installed kernelspec ${options.name} in ${dir}`);
  } else {
    const removed = kernelspec.uninstallKernelspec(options.name, options.location);
    if (removed.length === 0) fail(`No kernelspec named ${options.name} found.`);
    for (const dir of removed) console.log(`Removed ${dir}`);
  }
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`iot-kernel: ${error.message}`);
  process.exit(1);
});
