import { randomUUID } from 'node:crypto';
import type { TransferProgress } from '@ide49/device';
import { deviceLibrary } from '../../board/device-library';
import type { CellContext } from '../magic';

/** Transfers quicker than this show no progress display at all. */
export const PROGRESS_DELAY_MS = 1000;
/** At most this often an update (4 per second): enough to look live, little iopub traffic. */
export const PROGRESS_INTERVAL_MS = 250;

/**
 * A progress display in the cell for transfers that last longer than a second, e.g.
 * "copying main.py 12.0/64.0 KiB (18 %) 7.9 KiB/s": one display_data, then
 * update_display_data of the same display id, throttled.
 */
export class CellProgress {
  private readonly displayId = randomUUID();
  private readonly started = performance.now();
  private lastShown = -Infinity;
  private shown = false;
  private last?: TransferProgress;

  constructor(
    private readonly context: Pick<CellContext, 'display'>,
    private readonly verb: string,
  ) {}

  /** A progress listener for the file library. */
  readonly update = (progress: TransferProgress): void => {
    this.last = progress;
    const now = performance.now();
    if (now - this.started < PROGRESS_DELAY_MS || now - this.lastShown < PROGRESS_INTERVAL_MS) return;
    this.lastShown = now;
    this.show(progress, now);
  };

  /**
   * The transfer `work`, with its display brought to its end: 100 % when it completed,
   * "stopped at N %" when it failed or was stopped (not left looking like it still runs).
   */
  async around<T>(work: Promise<T>): Promise<T> {
    try {
      const result = await work;
      if (this.shown && this.last) this.show({ ...this.last, bytesDone: this.last.bytesTotal }, performance.now());
      return result;
    } catch (error) {
      if (this.shown && this.last) this.show(this.last, performance.now(), 'stopped at');
      throw error;
    }
  }

  private show(progress: TransferProgress, now: number, state = ''): void {
    const { formatBytes } = deviceLibrary();
    const seconds = (now - this.started) / 1000;
    const percent = progress.bytesTotal ? Math.floor((100 * progress.bytesDone) / progress.bytesTotal) : 100;
    const rate = state ? '' : ` ${formatBytes(progress.bytesDone / seconds)}/s`;
    const text = `${this.verb} ${progress.file} ${state ? `${state} ` : ''}${formatBytes(progress.bytesDone)}/${formatBytes(progress.bytesTotal)} (${percent} %)${rate}`;
    const html = `<progress value="${progress.bytesDone}" max="${progress.bytesTotal}"></progress> <code>${escapeHtml(text)}</code>`;
    this.context.display({ 'text/plain': text, 'text/html': html }, { displayId: this.displayId, update: this.shown });
    this.shown = true;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
