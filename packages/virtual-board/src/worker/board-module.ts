/**
 * `_board`: the JavaScript half of the board support, imported by the Python modules
 * in python/ (machine, os, time). Values cross as numbers and strings only: the
 * package's proxy turns JS integers into 32-bit ints, so large numbers travel as text.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BoardIo } from './board-io';

/** time.ticks_* wrap at 2**30, as on 32-bit boards (MicroPython's small-int range). */
const TICKS_MASK = 2 ** 30 - 1;
const FLASH_BLOCK = 4096;
const FLASH_BYTES = 2 * 1024 * 1024;
export const MICROPYTHON_RELEASE = '1.27.0';
const MICROPYTHON_VERSION = 'v1.27.0 on 2025-12-10';
export const BOARD_MACHINE = 'ide49 virtual board with wasm';

export interface BoardClock {
  offsetMs: number;
}

export interface BoardModuleContext {
  name: string;
  flashDir: string;
  io: BoardIo;
  clock: BoardClock;
  resetCauseCode: number;
  requestHardReset(): never;
}

export function createBoardModule(context: BoardModuleContext): Record<string, (...args: never[]) => unknown> {
  return {
    sleep_ms: (ms: number) => context.io.sleep(Math.max(0, Number(ms))),
    unique_id: () => uniqueId(context.name),
    hard_reset: () => context.requestHardReset(),
    reset_cause: () => context.resetCauseCode,
    statvfs: () => flashStatvfs(context.flashDir).join(','),
    uname: () => ['virtual', 'virtual', MICROPYTHON_RELEASE, MICROPYTHON_VERSION, BOARD_MACHINE].join('\x00'),
    ticks_us: () => Math.floor(performance.now() * 1000) & TICKS_MASK,
    set_time_ms: (ms: string) => {
      context.clock.offsetMs = Number(ms) - Date.now();
    },
  };
}

/** Stable per board name, 8 bytes like an RP2040's flash id. */
export function uniqueId(name: string): string {
  return createHash('sha256').update(`ide49 virtual board ${name}`).digest('hex').slice(0, 16);
}

/** (bsize, frsize, blocks, bfree, bavail, files, ffree, favail, flag, namemax) of a 2 MiB flash. */
function flashStatvfs(flashDir: string): number[] {
  const usedBlocks = blocksUsed(flashDir);
  const blocks = Math.max(FLASH_BYTES / FLASH_BLOCK, usedBlocks);
  const free = blocks - usedBlocks;
  return [FLASH_BLOCK, FLASH_BLOCK, blocks, free, free, 0, 0, 0, 0, 255];
}

function blocksUsed(dir: string): number {
  let blocks = 1;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    blocks += entry.isDirectory() ? blocksUsed(full) : Math.ceil(fs.statSync(full).size / FLASH_BLOCK);
  }
  return blocks;
}
