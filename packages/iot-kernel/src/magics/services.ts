import type { BoardManager } from '../board/board-manager';
import type { BoardConnection } from '../board/session';
import type { Logger } from '../log';
import type { Magic } from './magic';
import type { MagicRegistry } from './registry';

/** What the kernel offers its own magics (through `context.services`). */
export interface KernelServices {
  readonly magics: MagicRegistry<KernelServices>;
  readonly log: Logger;
  readonly board: BoardConnection;
  /** Connecting, disconnecting and remembering the notebook's board (board magics). */
  readonly boards: BoardManager;
}

export type KernelMagic = Magic<KernelServices>;
