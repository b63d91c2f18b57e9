/**
 * Emscripten reports errors with WASI errno numbers (ENOENT is 44); MicroPython's
 * errno module and every tool talking to a board expect the numbers a board uses
 * (Linux's: ENOENT is 2). The wasm imports are wrapped so the interpreter only ever
 * sees board numbers.
 */
const WASI_TO_BOARD_ERRNO: Record<number, number> = {
  1: 7, 2: 13, 3: 98, 4: 99, 5: 97, 6: 11, 7: 114, 8: 9, 9: 74, 10: 16, 11: 125, 12: 10, 13: 103, 14: 111, 15: 104,
  16: 35, 17: 89, 18: 33, 19: 122, 20: 17, 21: 14, 22: 27, 23: 113, 24: 43, 25: 84, 26: 115, 27: 4, 28: 22, 29: 5,
  30: 106, 31: 21, 32: 40, 33: 24, 34: 31, 35: 90, 36: 72, 37: 36, 38: 100, 39: 102, 40: 101, 41: 23, 42: 105, 43: 19,
  44: 2, 45: 8, 46: 37, 47: 67, 48: 12, 49: 42, 50: 92, 51: 28, 52: 38, 53: 107, 54: 20, 55: 39, 56: 131, 57: 88,
  58: 95, 59: 25, 60: 6, 61: 75, 62: 130, 63: 1, 64: 32, 65: 71, 66: 93, 67: 91, 68: 34, 69: 30, 70: 29, 71: 3,
  72: 116, 73: 110, 74: 26, 75: 18,
};

export function boardErrno(wasiErrno: number): number {
  return WASI_TO_BOARD_ERRNO[wasiErrno] ?? wasiErrno;
}

/** Emscripten (WASI) errno numbers that the host filesystem layer raises. */
export const WASI_ERRNO: Record<string, number> = {
  EACCES: 2, EBADF: 8, EBUSY: 10, EEXIST: 20, EFBIG: 22, EINVAL: 28, EIO: 29, EISDIR: 31, ELOOP: 32, EMFILE: 33,
  ENAMETOOLONG: 37, ENOENT: 44, ENOSPC: 51, ENOTDIR: 54, ENOTEMPTY: 55, EPERM: 63, EROFS: 69, EXDEV: 75,
};

type ImportFunction = (...args: number[]) => number;

/**
 * Wraps the syscall imports: `__syscall_*` return -errno, `fd_*` return errno.
 * Success values (>= 0 and 0 respectively) pass through untouched.
 */
export function remapErrnoImports(imports: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(imports)) {
    if (typeof value !== 'function') continue;
    const original = value as ImportFunction;
    if (name.startsWith('__syscall_')) {
      imports[name] = (...args: number[]) => {
        const result = original(...args);
        return result < 0 ? -boardErrno(-result) : result;
      };
    } else if (name.startsWith('fd_')) {
      imports[name] = (...args: number[]) => {
        const result = original(...args);
        return result > 0 ? boardErrno(result) : result;
      };
    }
  }
}
