import { CellError, type CellContext } from './magic';

/**
 * Runs a script with /bin/bash in the notebook's folder, streaming stdout and stderr as
 * they come. The script gets its own process group so the stop button can end everything
 * it started (and so Jupyter's SIGINT to the kernel's group does not hit it directly).
 */
export function runHostShell(context: CellContext, script: string): Promise<void> {
  // loaded on the first shell command: the kernel's start does not wait for it
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    if (context.signal.aborted) return reject(context.signal.reason);
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
    child.on('close', (code, signal) => {
      context.signal.removeEventListener('abort', stop);
      if (context.signal.aborted) reject(context.signal.reason);
      else if (code === 0) resolve();
      else if (signal) reject(new CellError('CalledProcessError', `Command was killed by ${signal}`));
      else reject(new CellError('CalledProcessError', `Command exited with code ${code}`));
    });
  });
}
