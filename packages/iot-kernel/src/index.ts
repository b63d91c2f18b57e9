export * from './magics/magic';
export type { KernelMagic, KernelServices } from './magics/services';
export { MagicRegistry } from './magics/registry';
export { splitArgs } from './magics/args';
export { BoardConnection, NO_BOARD_MESSAGE, type BoardSession, type Completion } from './board/session';
export { CommManager, type Comm, type CommListener, type CommTarget } from './comms';
export { IotKernel, KERNEL_VERSION } from './kernel';
export { runKernel, startKernel, type RunningKernel } from './main';
