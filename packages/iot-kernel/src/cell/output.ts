import type { MimeBundle } from '../magics/magic';

type Publish = (msgType: string, content: Record<string, unknown>) => void;
type StreamName = 'stdout' | 'stderr';

/** Stream text is coalesced and sent at most every this many milliseconds (and at the end of the cell). */
export const STREAM_FLUSH_MS = 50;

/**
 * The output of one cell on iopub. Stream text is batched (a board or a shell command
 * can print thousands of tiny pieces) while stdout and stderr stay in the order they came;
 * displays flush pending text first so nothing overtakes.
 */
export class CellOutput {
  private pending: { name: StreamName; text: string }[] = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly publish: Publish) {}

  stream(name: StreamName, text: string): void {
    if (!text) return;
    const last = this.pending[this.pending.length - 1];
    if (last?.name === name) last.text += text;
    else this.pending.push({ name, text });
    this.timer ??= setTimeout(() => this.flush(), STREAM_FLUSH_MS);
  }

  display(data: MimeBundle, options: { displayId?: string; update?: boolean } = {}): void {
    this.flush();
    const transient = options.displayId ? { display_id: options.displayId } : {};
    this.publish(options.update ? 'update_display_data' : 'display_data', { data, metadata: {}, transient });
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const pending = this.pending;
    this.pending = [];
    for (const { name, text } of pending) this.publish('stream', { name, text });
  }
}
