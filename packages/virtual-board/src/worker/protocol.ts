/** What the main thread and the board's worker tell each other. */
export type ResetCause = 'power-on' | 'hard-reset' | 'machine.reset' | 'wedged' | 'crashed';

export interface BoardWorkerData {
  name: string;
  flashDir: string;
  heapBytes: number;
  stdinRing: SharedArrayBuffer;
  outputRing: SharedArrayBuffer;
  /** Int32 [heartbeat, waiting]: see BoardActivity. */
  activity: SharedArrayBuffer;
  resetCause: ResetCause;
  /** Printed by the board before it boots, like a reset banner (e.g. why it was reset). */
  resetBanner: string;
  /** Wall-clock offset set through machine.RTC, kept across machine.reset(). */
  timeOffsetMs: number;
  /** Set when this CPU continues a soft reset of the previous one (whose memory had grown too much). */
  softResetIntoRawMode?: boolean;
}

/**
 * What the watchdog needs to tell a wedged board from a busy one: a heartbeat the
 * worker bumps whenever the interpreter calls into JS, and a flag set while it waits
 * (for input, a sleep, or output space) rather than computes.
 */
export const ACTIVITY_HEARTBEAT = 0;
export const ACTIVITY_WAITING = 1;
export const ACTIVITY_SLOTS = 2;

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'reset-request'; timeOffsetMs: number }
  | { type: 'soft-reset-request'; timeOffsetMs: number; rawMode: boolean }
  | { type: 'fatal'; message: string };
