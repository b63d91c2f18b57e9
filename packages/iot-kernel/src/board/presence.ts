import type { BoardIdentity, DeviceRegistry, DeviceSession, ProbedPorts } from '@ide49/device';
import type { Logger } from '../log';
import { CellError, type CellContext } from '../magics/magic';
import { deviceLibrary } from './device-library';

/** How long a cell waits for a board that went away before it fails (a replugged board takes a moment). */
const RETURN_WAIT_MS = 5000;
/** How often the board's URL is tried again, and every how many tries it is also looked for by unique id under another port name. */
const RETRY_EVERY_MS = 500;
const SEARCH_BY_UNIQUE_ID_EVERY = 10;

/**
 * Whether a device session's board is there. When its link goes away (unplugged, USB
 * re-enumeration), operations fail with a clean BoardGoneError and the board is looked
 * for in the background (its URL reopened, or found by unique id under a new name); the
 * next cell waits a little for it and is told when it is back.
 */
export class BoardPresence {
  /** Set while the board is away. */
  private lost?: { error: Error; back: Promise<void> };
  /** Said at the start of the next cell that uses the board ("reconnected to ..."). */
  private notices: string[] = [];
  private linkMayDrop = false;
  private closed = false;

  constructor(
    private readonly device: DeviceSession,
    private readonly identity: () => BoardIdentity,
    private readonly onBack: (identity: BoardIdentity) => void,
    private readonly registry: DeviceRegistry,
    private readonly log: Logger,
  ) {
    device.on('gone', (error) => this.onGone(error));
  }

  get isAway(): boolean {
    return this.lost !== undefined;
  }

  /** Before a cell uses the board: says pending notices; when the board is away, waits a little for it, else fails the cell. */
  async ensure(context: CellContext): Promise<void> {
    const lost = this.lost;
    if (lost) {
      await waitAtMost(RETURN_WAIT_MS, lost.back, context.signal);
      if (context.signal.aborted) throw context.signal.reason;
      if (this.lost) throw new CellError('BoardGoneError', `board ${this.device.url} is still away (${lost.error.message}); it will be reconnected when it comes back, or %connect another board.`);
    }
    for (const notice of this.notices.splice(0)) context.stdout(`${notice}\n`);
  }

  /** Runs `operation`; a link that goes away meanwhile fails it cleanly. */
  async guard<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      if ((error as Error).name !== 'TransportGoneError' && !this.lost) throw error;
      this.onGone(error as Error);
      throw new CellError('BoardGoneError', `board ${this.device.url} disappeared: ${this.lost?.error.message ?? (error as Error).message}; it will be reconnected when it comes back.`);
    }
  }

  /** Runs `operation` during which the link may drop and come back by itself (a hard reset of a USB board). */
  async expectingLinkLoss<T>(operation: () => Promise<T>): Promise<T> {
    this.linkMayDrop = true;
    try {
      return await this.guard(operation);
    } finally {
      this.linkMayDrop = false;
    }
  }

  /** Stops looking for the board; true when the session's link is open and must be closed by the caller. */
  stop(): boolean {
    this.closed = true;
    return !this.lost;
  }

  private onGone(error: Error): void {
    if (this.linkMayDrop || this.closed || this.lost) return;
    this.log.warn(`board ${this.device.url} went away: ${error.message}`);
    this.lost = { error, back: this.waitForReturn(this.device.url) };
  }

  /**
   * Reopens the board's URL every RETRY_EVERY_MS, and now and then looks for its unique id
   * on other ports. `probed` remembers what sits on each port (another board, or no answer),
   * so no port is opened again, and no other board interrupted again, while it stays plugged in.
   */
  private async waitForReturn(url: string): Promise<void> {
    const probed = new (deviceLibrary().ProbedPorts)();
    for (let attempt = 1; !this.closed; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_EVERY_MS));
      if (this.closed) return;
      const candidate = attempt % SEARCH_BY_UNIQUE_ID_EVERY === 0 ? await this.searchByUniqueId(url, probed) : url;
      // a port known to hold another board is left alone (not interrupted again) while it stays
      const path = serialPath(candidate);
      const there = path === undefined ? undefined : probed.get(path);
      if (there && there !== this.identity().uniqueId?.toLowerCase()) continue;
      if (await this.reopen(candidate, url, probed)) return;
    }
  }

  private async searchByUniqueId(url: string, probed: ProbedPorts): Promise<string> {
    const uniqueId = this.identity().uniqueId;
    if (!uniqueId) return url;
    const extraPaths = [serialPath(url)].filter((path): path is string => path !== undefined);
    return (await deviceLibrary().findBoardByUniqueId(uniqueId, { timeoutMs: 0, registry: this.registry, extraPaths, probed }).catch(() => undefined)) ?? url;
  }

  private async reopen(url: string, previousUrl: string, probed: ProbedPorts): Promise<boolean> {
    let identity: BoardIdentity;
    try {
      await this.device.reconnect(url);
      identity = await this.device.identify();
    } catch (error) {
      this.log.debug(`board ${url} not back yet: ${(error as Error).message}`);
      return false;
    }
    const expected = this.identity().uniqueId;
    if (expected && identity.uniqueId && identity.uniqueId !== expected) {
      // another board took the port (replugged in another order, say): not ours
      this.log.info(`${url} now holds another board (uid ${identity.uniqueId}, looking for ${expected})`);
      const path = serialPath(url);
      if (path !== undefined) probed.set(path, identity.uniqueId);
      await this.device.close().catch(() => undefined);
      return false;
    }
    if (this.closed) {
      await this.device.close().catch(() => undefined);
      return true;
    }
    this.lost = undefined;
    this.onBack(identity);
    const moved = url === previousUrl ? '' : ` (was ${previousUrl})`;
    this.notices.push(`reconnected to ${url}${moved}; variables on the board are gone if it was reset.`);
    this.log.info(`board reconnected at ${url}`);
    return true;
  }
}

/** The device path of a serial URL; undefined for other kinds (virtual boards). */
function serialPath(url: string): string | undefined {
  const address = deviceLibrary().parseDeviceUrl(url);
  return address.kind === 'serial' ? address.path : undefined;
}

/** Resolves when `promise` settles, `ms` pass or `signal` aborts, whichever comes first. */
function waitAtMost(ms: number, promise: Promise<void>, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    if (signal.aborted) done();
    void promise.then(done);
  });
}
