import { BoardFiles } from '../../files';
import { UsageError, type CliContext } from '../command';

/**
 * Splits `--name VALUE` options (repeatable) and boolean flags from positional arguments,
 * for the file commands whose options take values (sync --exclude, mip --index).
 */
export function parseFileOptions(
  args: string[],
  spec: { flags?: string[]; values?: string[] },
): { flags: Set<string>; values: Map<string, string[]>; positional: string[] } {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!/^--?[A-Za-z]/.test(arg)) {
      positional.push(arg);
    } else if (spec.flags?.includes(arg)) {
      flags.add(arg);
    } else if (spec.values?.includes(arg)) {
      const value = args[++i];
      if (value === undefined) throw new UsageError(`${arg} needs a value`);
      values.set(arg, [...(values.get(arg) ?? []), value]);
    } else {
      throw new UsageError(`unknown option ${arg}`);
    }
  }
  return { flags, values, positional };
}

/**
 * The file operations on the chosen device. Big files stream through stdin only on the
 * virtual board: a serial port may be a USB-UART bridge whose UART side has no flow control.
 */
export async function boardFiles(context: CliContext): Promise<BoardFiles> {
  const session = await context.connect();
  return new BoardFiles(session, { streamLink: session.url.startsWith('virtual://') ? session.link : undefined, signal: context.signal });
}

/** A board path given with or without the leading ':'. */
export function boardPathArgument(arg: string): string {
  return arg.startsWith(':') ? arg.slice(1) || '/' : arg;
}
