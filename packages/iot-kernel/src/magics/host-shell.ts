import { CellError, type CellContext } from './magic';

/** After the shell exits, output still in the pipes is read for this long; a background job holding them does not keep the cell running. */
const DRAIN_AFTER_EXIT_MS = 200;

/**
 * Runs a script with /bin/bash in the notebook's folder, streaming stdout and stderr as
 * they come. The script gets its own process group so the stop button can end everything
 * it started (and so Jupyter's SIGINT to the kernel's group does not hit it directly).
 * The cell ends when bash exits (`cmd &` jobs may run on).
 */
export function runHostShell(context: CellContext, script: string): Promise<void> {
  // loaded on the first shell command: the kernel's start does not wait for it
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const { existsSync } = require('node:fs') as typeof import('node:fs');
  return new Promise((resolve, reject) => {
    if (context.signal.aborted) return reject(context.signal.reason);
    if (!existsSync(context.cwd)) return reject(new CellError('FileNotFoundError', `The notebook's folder ${context.cwd} is gone (moved or deleted?): shell commands run there. Restart the kernel from the notebook's new place.`));
    const child = spawn('/bin/bash', ['-c', script], { cwd: context.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (text: string) => context.stdout(text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => context.stderr(text));
    const stop = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    context.signal.addEventListener('abort', stop);
    child.on('error', (error) => {
      context.signal.removeEventListener('abort', stop);
      reject(new CellError('OSError', `Cannot run /bin/bash: ${error.message}`));
    });
    let finished = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (finished) return;
      finished = true;
      context.signal.removeEventListener('abort', stop);
      if (context.signal.aborted) reject(context.signal.reason);
      else if (code === 0) resolve();
      else if (signal) reject(new CellError('CalledProcessError', `Command was killed by ${signal}: ${firstLine(script)}`));
      else reject(new CellError('CalledProcessError', `Command exited with code ${code}: ${firstLine(script)}`));
    };
    child.on('close', finish);
    child.on('exit', (code, signal) => {
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(code, signal);
      }, DRAIN_AFTER_EXIT_MS);
    });
  });
}

function firstLine(script: string): string {
  const line = script.trim().split('\n')[0];
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}
