/**
 * `name?` alone in a cell asks for help, as in IPython (`%%writefile?`, `machine.Pin?`):
 * returns the name without the `?`, or undefined when the cell is not a help request.
 */
export function helpTarget(code: string): string | undefined {
  return /^\s*(%{0,2}[A-Za-z_][\w.]*)\?\s*$/.exec(code)?.[1];
}
