import type { CliCommand } from '../command';

/**
 * Every `iot-device` subcommand by name, with the module that implements it; add new ones
 * here. A module is required only when its command runs, so that each call loads just
 * what its command needs (the files library for ls/cp/sync, discovery for devices, ...):
 * start-up is most of the time of a short call like `iot-device exec`. `require`, not
 * `await import()`, which would start Node's ESM loader in this CommonJS build.
 */
const COMMAND_MODULES = new Map<string, () => CliCommand>([
  ['exec', () => (require('./exec') as typeof import('./exec')).execCommand],
  ['eval', () => (require('./eval') as typeof import('./eval')).evalCommand],
  ['run', () => (require('./run') as typeof import('./run')).runCommand],
  ['repl', () => (require('./repl') as typeof import('./repl')).replCommand],
  ['devices', () => (require('./devices') as typeof import('./devices')).devicesCommand],
  ['reset', () => (require('./reset') as typeof import('./reset')).resetCommand],
  ['register', () => (require('./register') as typeof import('./register')).registerCommand],
  ['unregister', () => (require('./register') as typeof import('./register')).unregisterCommand],
  ['ls', () => (require('./ls') as typeof import('./ls')).lsCommand],
  ['cat', () => (require('./cat') as typeof import('./cat')).catCommand],
  ['cp', () => (require('./cp') as typeof import('./cp')).cpCommand],
  ['rm', () => (require('./rm') as typeof import('./rm')).rmCommand],
  ['mkdir', () => (require('./mkdir') as typeof import('./mkdir')).mkdirCommand],
  ['sync', () => (require('./sync') as typeof import('./sync')).syncCommand],
  ['diff', () => (require('./sync') as typeof import('./sync')).diffCommand],
  ['cleanup', () => (require('./cleanup') as typeof import('./cleanup')).cleanupCommand],
  ['mip', () => (require('./mip') as typeof import('./mip')).mipCommand],
]);

/** The command names, in the order the usage lists them. */
export const COMMAND_NAMES: readonly string[] = [...COMMAND_MODULES.keys()];

/** Loads the command called `name`; undefined when there is none. */
export function loadCommand(name: string): CliCommand | undefined {
  return COMMAND_MODULES.get(name)?.();
}
