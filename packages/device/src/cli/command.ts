import type { DeviceRegistry } from '../registry/devices';
import type { DeviceSession } from '../session/device-session';

/** What every subcommand gets from main: the chosen device, the registry, the terminal. */
export interface CliContext {
  registry: DeviceRegistry;
  /** The URL of the device chosen by -d, IOT_DEVICE, or the only one there is. */
  deviceUrl(): Promise<string>;
  /** Connects to that device; main closes the session after the command. */
  connect(): Promise<DeviceSession>;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  /** Aborted by the first Ctrl-C (SIGINT): file operations stop cleanly (no half-written file). */
  signal: AbortSignal;
}

/**
 * One `iot-device` subcommand. Each lives in its own module under cli/commands and is
 * listed, under its name, in cli/commands/index.ts.
 */
export interface CliCommand {
  /** Arguments after the name, e.g. "CODE" or "[--soft|--hard]". */
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(args: string[], context: CliContext): Promise<number>;
}

/** A wrong command line: main prints the message and the usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Splits flags (--name, -x) from positional arguments; rejects flags not in `known`. */
export function parseFlags(args: string[], known: string[]): { flags: Set<string>; positional: string[] } {
  const flags = new Set<string>();
  const positional: string[] = [];
  for (const arg of args) {
    if (/^--?[A-Za-z]/.test(arg)) {
      if (!known.includes(arg)) throw new UsageError(`unknown option ${arg}`);
      flags.add(arg);
    } else {
      positional.push(arg);
    }
  }
  return { flags, positional };
}
