/**
 * A failure that the kernel shows as a Jupyter error: it has the same fields as the
 * kernel's CellError (ename, evalue, traceback), so the kernel reports it as such.
 * name and message are ename and evalue too, for code that only knows Error.
 */
export class ServiceError extends Error {
  readonly traceback: string[];

  constructor(
    readonly ename: string,
    readonly evalue: string,
    /** Lines after the first one: what to do next. */
    hints: string[] = [],
  ) {
    super(evalue);
    this.name = ename;
    this.traceback = [`${ename}: ${evalue}`, ...hints];
  }
}
