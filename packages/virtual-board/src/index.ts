export { VirtualBoard, DEFAULT_HEAP_BYTES, DEFAULT_WEDGE_TIMEOUT_MS, type VirtualBoardOptions, type ResetCause } from './virtual-board';
export { LINK_PRESETS, MIN_LINK_BUFFER_BYTES, type LinkPreset, type LinkSettings } from './link';
export { defaultFlashDir } from './flash-dir';
