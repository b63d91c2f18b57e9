/**
 * The parts of the MicroPython package's Emscripten runtime that the board uses.
 * The package ships no types; these describe what its 1.27.0 build provides.
 */
export interface FSNode {
  id: number;
  name: string;
  mode: number;
  parent: FSNode;
  mount: { opts: Record<string, unknown> };
  node_ops: Record<string, unknown>;
  stream_ops: Record<string, unknown>;
}

export interface FSStream {
  node: FSNode;
  flags: number;
  position: number;
  hostFd?: number;
}

export interface EmscriptenFS {
  root: FSNode | null;
  ErrnoError: new (errno: number) => Error;
  createNode(parent: FSNode | null, name: string, mode: number, dev: number): FSNode;
  mount(type: { mount(mount: { opts: Record<string, unknown> }): FSNode }, opts: Record<string, unknown>, mountpoint: string): FSNode;
  chdir(path: string): void;
  mkdir(path: string, mode?: number): void;
  writeFile(path: string, data: string | Uint8Array): void;
  isDir(mode: number): boolean;
  isFile(mode: number): boolean;
  lookupNode(parent: FSNode, name: string): FSNode;
  lookupPath(path: string): { node: FSNode };
  hashRemoveNode(node: FSNode): void;
  destroyNode(node: FSNode): void;
}

export interface EmscriptenModule {
  FS: EmscriptenFS;
  ccall(name: string, returnType: string | null, argTypes: string[], args: unknown[]): unknown;
  _mp_hal_get_interrupt_char(): number;
  _mp_sched_keyboard_interrupt(): void;
  _malloc(size: number): number;
}

export interface MicroPythonInstance {
  _module: EmscriptenModule;
  FS: EmscriptenFS;
  replInit(): void;
  replProcessChar(c: number): number;
  runPython(code: string): unknown;
  registerJsModule(name: string, module: object): void;
}

export interface LoadMicroPythonOptions {
  heapsize?: number;
  pystack?: number;
  stdin?: () => number | null | undefined;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
  linebuffer?: boolean;
}

export type LoadMicroPython = (options: LoadMicroPythonOptions) => Promise<MicroPythonInstance>;
