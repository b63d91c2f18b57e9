/**
 * The part of the kernel's magic interface (packages/iot-kernel/src/magics/magic.ts)
 * that this package uses, declared structurally: the kernel depends on this package,
 * never the other way round, and its CellContext/Magic satisfy these types.
 */
export interface ServiceCellContext {
  /** Live output into the cell. */
  stdout(text: string): void;
  stderr(text: string): void;
  /** display_data with a MIME bundle. */
  display(data: { [mime: string]: string }): void;
  /** Aborted when the user presses stop. */
  readonly signal: AbortSignal;
}

export interface ServiceMagic {
  readonly name: string;
  readonly kind: 'line' | 'cell';
  readonly group: string;
  readonly help: string;
  readonly usage: string;
  run(context: ServiceCellContext, args: string, body: string): Promise<void>;
}
