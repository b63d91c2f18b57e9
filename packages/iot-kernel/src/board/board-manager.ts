import { realpathSync } from 'node:fs';
import { CellError } from '../magics/magic';
import type { DeviceRegistry } from '@ide49/device';
import type { Logger } from '../log';
import { describeBoard, openBoard, resolveTarget, type BoardTarget } from './connect';
import { DeviceBoardSession } from './device-board';
import { deviceLibrary } from './device-library';
import { notebookKey, RememberedBoards } from './remembered';
import type { BoardConnection } from './session';

/**
 * Connecting and disconnecting the notebook's board, and remembering it: the kernel
 * reconnects a notebook's last board when it starts.
 */
export class BoardManager {
  private registryInstance?: DeviceRegistry;

  constructor(
    private readonly connection: BoardConnection,
    private readonly log: Logger,
    private readonly notebook: string = notebookKey(process.env, process.cwd()),
    private readonly remembered = new RememberedBoards(),
  ) {}

  /** The device registry (names → URLs), read from its file at each use. */
  get registry(): DeviceRegistry {
    this.registryInstance ??= new (deviceLibrary().DeviceRegistry)();
    return this.registryInstance;
  }

  /** The connected board, if it is a device board. */
  get current(): DeviceBoardSession | undefined {
    const session = this.connection.current;
    return session instanceof DeviceBoardSession ? session : undefined;
  }

  /**
   * Makes `target` the notebook's board, remembered for the next kernel start when
   * `remember` is set (boards the user named, not defaults). The board already connected at
   * that URL is kept as it is (an in-process virtual board or a port can be open only once).
   * Returns the line that describes it.
   */
  async connect(target: BoardTarget, options: { remember: boolean }): Promise<string> {
    const url = resolveTarget(target, this.registry);
    const current = this.current;
    // the same port under another name (/dev/serial/by-id/…) or at another baud: a port opens once
    if (current && current.name !== url && samePort(current.name, url)) await this.connection.detach();
    const session = current?.name === url ? current : await openBoard(url, this.registry, this.log);
    await this.connection.attach(session);
    if (options.remember) this.remembered.set(this.notebook, { target: target.baud === undefined ? target.target : url, url, uniqueId: session.identity.uniqueId });
    return `Connected to ${describeBoard(session, target.target)}`;
  }

  /** Closes the board and forgets it for this notebook; returns what was connected, if anything. */
  async disconnect(): Promise<string | undefined> {
    const name = this.connection.current?.name;
    await this.connection.detach();
    this.remembered.set(this.notebook, undefined);
    return name;
  }

  /**
   * Opens a board for a moment (%%connect), or lends the connected one when `target` is
   * it; `release` closes what was opened here only.
   */
  async borrow(target: BoardTarget): Promise<{ session: DeviceBoardSession; release: () => Promise<void> }> {
    const url = resolveTarget(target, this.registry);
    const current = this.current;
    if (current?.name === url) return { session: current, release: async () => undefined };
    const session = await openBoard(url, this.registry, this.log);
    return { session, release: () => session.close() };
  }

  /** Reconnects the notebook's last board in the background (kernel start); cells wait for it. */
  restoreLastBoard(): void {
    const last = this.remembered.get(this.notebook);
    if (!last) return;
    this.log.info(`reconnecting ${last.target}, this notebook's last board`);
    const task = (async () => {
      // Loading the device library and opening the port take a while: the requests already
      // waiting (the client's first kernel_info_request) are answered first.
      await new Promise((resolve) => setImmediate(resolve));
      const url = resolveTarget({ target: last.target }, this.registry);
      const session = await openBoard(url, this.registry, this.log);
      if (last.uniqueId && session.identity.uniqueId && session.identity.uniqueId !== last.uniqueId) {
        // another board sits at that port now (boards replugged in another order, say)
        await session.close();
        throw new CellError('ConnectionError', `${url} holds another board now (uid ${session.identity.uniqueId}, this notebook's was ${last.uniqueId}); %connect picks one`);
      }
      await this.connection.attach(session);
      this.log.info(`reconnected ${describeBoard(session, last.target)}`);
    })();
    task.catch((error: Error) => this.log.warn(`could not reconnect ${last.target}, this notebook's last board: ${error.message}`));
    this.connection.connectInBackground(task, `reconnecting ${last.target}, this notebook's last board,`);
  }
}

/** Whether two board URLs name the same serial device (symlinks such as /dev/serial/by-id resolved). */
function samePort(a: string, b: string): boolean {
  const [first, second] = [a, b].map((url) => deviceLibrary().parseDeviceUrl(url));
  if (first.kind !== 'serial' || second.kind !== 'serial') return false;
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  };
  return real(first.path) === real(second.path);
}
