/**
 * Limits the wasm memory of the interpreter. The WebAssembly build cannot have a
 * board's fixed heap: it adds heap areas on demand and collects garbage only when
 * control returns to the REPL (it cannot scan the wasm stack mid-run), so a bound of a
 * board's size would raise MemoryError in ordinary loops that make garbage. A cap far
 * above that still turns a runaway allocation into a MemoryError instead of exhausting
 * the host, and tells a soft reset when to start from a fresh memory.
 */
export const MEMORY_CAP_BYTES = 128 * 1024 * 1024;
/** Above this, a soft reset starts a fresh interpreter instance (old heap areas leak). */
export const FRESH_MEMORY_THRESHOLD_BYTES = 32 * 1024 * 1024;

export class MemoryCap {
  private memory: { buffer: ArrayBuffer } | undefined;

  attach(memory: { buffer: ArrayBuffer }): void {
    this.memory = memory;
  }

  /** For the wasm import emscripten_resize_heap. */
  mayGrowTo(bytes: number): boolean {
    return bytes <= MEMORY_CAP_BYTES;
  }

  needsFreshInstance(): boolean {
    return (this.memory?.buffer.byteLength ?? 0) > FRESH_MEMORY_THRESHOLD_BYTES;
  }
}
