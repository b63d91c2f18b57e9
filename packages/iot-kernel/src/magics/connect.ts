import type { BoardTarget } from '../board/connect';
import { deviceLibrary } from '../board/device-library';
import { splitArgs } from './args';
import { CellError } from './magic';
import type { KernelMagic, KernelServices } from './services';

const usage = '%connect [NAME|URL] [--baud N]';

/** The board `%connect` without a name connects to. */
const DEFAULT_BOARD = 'virtual://demo';

export const connectMagic: KernelMagic = {
  name: 'connect',
  kind: 'line',
  group: 'Board',
  help: `Connect the notebook's board (remembered for the next kernel start): a registered name, /dev/ttyACM0 or virtual://NAME. No name: $IOT_BOARD, the board connected, a free USB board, else ${DEFAULT_BOARD}.`,
  usage,
  async run(context, args) {
    const named = parseTarget(splitArgs(args), usage);
    const target = named ?? (await defaultTarget(context.services));
    context.stdout(`${await context.services.boards.connect(target, { remember: named !== undefined })}\n`);
  },
};

/** `[NAME] [--baud N]` → the target; undefined when no name is given. */
export function parseTarget(words: string[], usageText: string): BoardTarget | undefined {
  const baudAt = words.indexOf('--baud');
  let baud: number | undefined;
  if (baudAt >= 0) {
    baud = Number(words[baudAt + 1]);
    if (!Number.isInteger(baud) || baud <= 0) throw new CellError('UsageError', `--baud needs a positive whole number. Usage: ${usageText}`);
    words = [...words.slice(0, baudAt), ...words.slice(baudAt + 2)];
  }
  if (words.length === 1) return { target: words[0], baud };
  if (words.length === 0 && baud === undefined) return undefined;
  throw new CellError('UsageError', `Expected one board name or URL${baud === undefined ? '' : ' with --baud'}. Usage: ${usageText}`);
}

/** $IOT_BOARD, the board already connected, the first free MicroPython USB board, else the demo virtual board. */
async function defaultTarget(services: KernelServices): Promise<BoardTarget> {
  const fromEnv = process.env.IOT_BOARD;
  if (fromEnv) return { target: fromEnv };
  const current = services.boards.current;
  if (current) return { target: current.name };
  const ports = await deviceLibrary().discoverBoards({ registry: services.boards.registry }).catch(() => []);
  const free = ports.find((port) => port.state !== 'busy');
  return { target: free?.registeredName ?? free?.url ?? DEFAULT_BOARD };
}
