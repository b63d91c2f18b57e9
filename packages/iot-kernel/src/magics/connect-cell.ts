import { splitArgs } from './args';
import { CellError } from './magic';
import type { KernelMagic } from './services';

const usage = '%%connect NAME [NAME...]';

/** Cell body line 1 is the cell's line 2 (after the %%connect line). */
const BODY_FIRST_LINE = 2;

export const connectCellMagic: KernelMagic = {
  name: 'connect',
  kind: 'cell',
  group: 'Board',
  help: "Run the cell body on each named board in turn, each output under its board's name; the notebook's board stays as it is.",
  usage,
  async run(context, args, body) {
    const targets = splitArgs(args);
    if (targets.length === 0) throw new CellError('UsageError', `Name at least one board. Usage: ${usage}`);
    const failed: string[] = [];
    for (const target of targets) {
      if (context.signal.aborted) throw context.signal.reason;
      context.stdout(`──── ${target} ────\n`);
      try {
        const borrowed = await context.services.boards.borrow({ target });
        try {
          // each board's value (a last expression) is shown under its name, not as the cell's one result
          const value = await borrowed.session.exec(body, context, BODY_FIRST_LINE);
          if (value) context.stdout(`${String(value['text/plain'])}\n`);
        } finally {
          await borrowed.release();
        }
      } catch (error) {
        if (context.signal.aborted) throw error;
        const { traceback, message } = error as CellError;
        context.stderr(`${(traceback ?? [message]).join('\n')}\n`);
        failed.push(target);
      }
    }
    if (failed.length > 0) throw new CellError('BoardError', `The cell failed on ${failed.join(', ')} (tracebacks above).`);
  },
};
