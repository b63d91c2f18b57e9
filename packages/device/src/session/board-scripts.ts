/**
 * Python run on the board by DeviceSession. Each defines a throw-away function so the
 * user's global names stay untouched, and prints one JSON line.
 */
function jsonScript(body: string[]): string {
  return ['def _ide49_f():', ...body.map((line) => ' ' + line), 'import json as _ide49_j', 'print(_ide49_j.dumps(_ide49_f()))', 'del _ide49_f, _ide49_j'].join('\n');
}

const IDENTITY_LINES = [
  'import sys, os',
  "d = {'platform': sys.platform, 'version': sys.version}",
  'try:',
  ' import machine',
  " d['uniqueId'] = ''.join('%02x' % b for b in machine.unique_id())",
  'except Exception:',
  ' pass',
  'try:',
  ' u = os.uname()',
  " d['firmware'] = u.version",
  " d['machine'] = u.machine",
  'except Exception:',
  " d['firmware'] = 'MicroPython ' + sys.version",
];

export const IDENTIFY_SCRIPT = jsonScript([...IDENTITY_LINES, 'return d']);

export const INFO_SCRIPT = jsonScript([
  ...IDENTITY_LINES,
  'import gc',
  'gc.collect()',
  "d['memFree'] = gc.mem_free()",
  "d['memAlloc'] = gc.mem_alloc()",
  'try:',
  " s = os.statvfs('/')",
  " d['flashTotal'] = s[1] * s[2]",
  " d['flashFree'] = s[1] * s[3]",
  'except Exception:',
  ' pass',
  'return d',
]);

/** Sets the RTC: machine.RTC().datetime wants (year, month, day, weekday 0=Monday, h, m, s, subseconds). */
export function setTimeScript(when: Date): string {
  const weekday = (when.getDay() + 6) % 7;
  const fields = [when.getFullYear(), when.getMonth() + 1, when.getDate(), weekday, when.getHours(), when.getMinutes(), when.getSeconds(), 0];
  return `import machine\nmachine.RTC().datetime((${fields.join(', ')}))`;
}

export const GET_TIME_EXPRESSION = '__import__("time").localtime()';

/** dir() of a dotted name (or of the globals and builtins), for completion. */
export function namesExpression(base: string | undefined): string {
  return base === undefined ? "dir() + dir(__import__('builtins'))" : `dir(${base})`;
}

export function inspectExpression(name: string): string {
  return `(lambda o: [repr(o), getattr(o, '__doc__', None)])(${name})`;
}
