import type { ServiceCellContext, ServiceMagic } from '../cell-context';
import { connectEngine } from '../engine/connect';
import { loadStack } from '../engine/stack';
import { runShell } from '../exec/run-shell';
import { resolveTarget } from './service-target';
import { ServiceError } from '../service-error';
import { parseServiceArgs, SERVICE_USAGE, type ServiceArgs } from './service-args';

/** `%%service NAME`: the cell body is a shell script run in the container of service NAME (or on the host). */
export const serviceMagic: ServiceMagic = {
  name: 'service',
  kind: 'cell',
  group: 'Services',
  help: "Run the cell as a shell script in another service's container, or on the host with NAME=host.",
  usage: SERVICE_USAGE,
  async run(context: ServiceCellContext, args: string, body: string): Promise<void> {
    const parsed = parseServiceArgs(args);
    const engine = connectEngine();
    const stack = await loadStack(engine);
    const { target, note } = await resolveTarget(engine, stack, parsed);
    if (note) context.stderr(note);
    const outcome = await runShell(engine, target, {
      shell: parsed.shell,
      script: initScriptLine(parsed.service) + body,
      timeoutSeconds: parsed.timeoutSeconds,
      signal: context.signal,
      onText: (stream, text) => (stream === 'stdout' ? context.stdout(text) : context.stderr(text)),
    });
    const fate = (killed: boolean) => (killed ? `the cell's processes in ${where(parsed)} were killed` : `the cell's processes in ${where(parsed)} may still run (the shell had not started yet)`);
    if (outcome.kind === 'lost') {
      throw new ServiceError('ServiceConnectionError', `the connection to the container engine ended while the command still ran in ${where(parsed)}`, [
        'It may still be running there; a proxy in front of the engine may time out long connections.',
      ]);
    }
    if (outcome.kind === 'stopped') throw new ServiceError('KeyboardInterrupt', `stopped: ${fate(outcome.killed)}`);
    if (outcome.kind === 'timedOut') {
      throw new ServiceError('ServiceTimeoutError', `timed out after ${parsed.timeoutSeconds} s: ${fate(outcome.killed)}`);
    }
    if (outcome.exitCode !== 0) throw new ServiceError('ServiceExitError', `exit code ${outcome.exitCode}`, [`The script in ${where(parsed)} exited with code ${outcome.exitCode}.${signalHint(outcome.exitCode)}`]);
  },
};

/** Shells report a command killed by signal N as exit code 128 + N. */
const SIGNALS: Record<number, string> = { 2: 'INT', 6: 'ABRT', 9: 'KILL (out of memory, or killed from outside?)', 11: 'SEGV (the program crashed)', 15: 'TERM' };

function signalHint(exitCode: number): string {
  const name = SIGNALS[exitCode - 128];
  return name ? ` That is how a shell reports a command killed by signal ${name}.` : '';
}

/**
 * Sources ~/.init_NAME.sh (in the target) before the cell when it exists. It is a line
 * of the script the shell reads, so the cell itself is never quoted; NAME was checked
 * to be a plain service name. `if` rather than `&&` so an absent file is not an exit code.
 */
function initScriptLine(service: string): string {
  return `if [ -f ~/.init_${service}.sh ]; then . ~/.init_${service}.sh; fi\n`;
}

function where(args: ServiceArgs): string {
  return args.service === 'host' ? 'the host' : `service ${args.service}`;
}
