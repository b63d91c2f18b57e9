import { statSync } from 'node:fs';
import type { DeviceRegistry } from '../registry/devices';
import { DeviceSession, type BoardIdentity } from '../session/device-session';
import { findPortUsers } from '../transport/port-users';
import { parseDeviceUrl } from '../transport/url';
import { listSerialPorts, type SerialPortInfo } from './serial-ports';
import { micropythonUsbVendor } from './usb-ids';

/**
 * What discovery knows about a port:
 * - 'identified': we entered the raw REPL (interrupting whatever ran) and read its identity;
 * - 'busy': another process has the port open (`busyPids`); we did not touch it;
 * - 'not-identified': free, but left alone because identifying would stop its code (ask with `interrupt`);
 * - 'no-answer': we tried to identify it and it did not answer as MicroPython (`error`).
 */
export type PortState = 'identified' | 'busy' | 'not-identified' | 'no-answer';

export interface DiscoveredPort extends SerialPortInfo {
  url: string;
  state: PortState;
  /** The USB id table's name for the vendor (undefined for ports outside the table, shown with `all`). */
  usbVendor?: string;
  /** The registry name whose URL or unique id matches this port. */
  registeredName?: string;
  busyPids?: number[];
  identity?: BoardIdentity;
  error?: string;
}

export interface DiscoverOptions {
  /** Every serial port, not only those of MicroPython-capable boards and bridges. */
  all?: boolean;
  /** Identify free ports by entering their raw REPL: stops the code running on them. */
  interrupt?: boolean;
  /** Names to show, and registered serial paths (e.g. ptys) to include. */
  registry?: DeviceRegistry;
  /** Longest wait for each board's raw REPL while identifying (default 3 s). */
  identifyTimeoutMs?: number;
}

/** Serial ports with MicroPython boards, identified as far as the options allow. */
export async function discoverBoards(options: DiscoverOptions = {}): Promise<DiscoveredPort[]> {
  const registered = options.registry?.list() ?? [];
  const registeredPaths = registeredSerialPaths(registered.map((d) => d.url));
  const ports = listSerialPorts(registeredPaths).filter(
    (p) => options.all || registeredPaths.includes(p.path) || micropythonUsbVendor(p.vid, p.pid) !== undefined,
  );
  const found: DiscoveredPort[] = [];
  for (const port of ports) {
    const url = parseDeviceUrl(port.path).url;
    const entry: DiscoveredPort = { ...port, url, usbVendor: micropythonUsbVendor(port.vid, port.pid), state: 'not-identified' };
    const busyPids = findPortUsers(port.path).filter((pid) => pid !== process.pid);
    if (busyPids.length > 0) {
      entry.state = 'busy';
      entry.busyPids = busyPids;
    } else if (options.interrupt) {
      await identifyInto(entry, options.identifyTimeoutMs ?? 3000);
    }
    const uniqueId = entry.identity?.uniqueId ?? (port.serialNumber && hexDigits(port.serialNumber));
    entry.registeredName = registered.find((d) => d.url === url || (d.uniqueId && uniqueId && hexDigits(d.uniqueId) === hexDigits(uniqueId)))?.name;
    found.push(entry);
  }
  return found;
}

export interface FindByUniqueIdOptions {
  /** How long to keep looking (default 10 s): a replugged board takes a moment to appear. */
  timeoutMs?: number;
  /** Registered serial paths (ptys) are searched too. */
  registry?: DeviceRegistry;
  /** More paths to search (e.g. a pty the caller knows of). */
  extraPaths?: string[];
  identifyTimeoutMs?: number;
  /** Kept by a caller that searches again and again: see ProbedPorts. */
  probed?: ProbedPorts;
}

/** A port that gave no MicroPython answer (booting, busy for a moment) is asked again after this. */
const NO_ANSWER_FORGOTTEN_MS = 30_000;

/**
 * What searches found on each port (its unique id; null: no MicroPython answer), so that a
 * port is probed (which stops the code on it) only once while the same device stays
 * plugged in there: a device node made anew (a replug) is probed again, and a port that
 * did not answer is asked again after NO_ANSWER_FORGOTTEN_MS.
 */
export class ProbedPorts {
  private readonly found = new Map<string, { uniqueId: string | null; device: string; at: number }>();

  /** What was found on `path` when the device now there is the one probed then. */
  get(path: string): string | null | undefined {
    const entry = this.found.get(path);
    const fresh = entry && (entry.uniqueId !== null || Date.now() - entry.at < NO_ANSWER_FORGOTTEN_MS);
    if (entry && fresh && entry.device === deviceOf(path)) return entry.uniqueId;
    this.found.delete(path);
    return undefined;
  }

  has(path: string): boolean {
    return this.get(path) !== undefined;
  }

  set(path: string, uniqueId: string | null): void {
    const device = deviceOf(path);
    if (device) this.found.set(path, { uniqueId: uniqueId?.toLowerCase() ?? null, device, at: Date.now() });
  }
}

/** Which device node `path` is now (a replug makes a new one), or '' when there is none. */
function deviceOf(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat ? `${stat.dev}:${stat.ino}:${stat.rdev}:${stat.ctimeMs}` : '';
}

/**
 * Finds a board again by machine.unique_id() after it came back under another port name.
 * First by USB serial number (native-USB boards report their unique id there: no
 * interruption), then by identifying free ports in the MicroPython USB table and the
 * registered/extra paths (this stops code running on them). Returns the URL, or
 * undefined when the board did not show up in time.
 */
export async function findBoardByUniqueId(uniqueId: string, options: FindByUniqueIdOptions = {}): Promise<string | undefined> {
  const wanted = uniqueId.toLowerCase();
  const extra = [...registeredSerialPaths(options.registry?.list().map((d) => d.url) ?? []), ...(options.extraPaths ?? [])];
  const probed = options.probed ?? new ProbedPorts();
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const ports = listSerialPorts(extra).filter((p) => extra.includes(p.path) || micropythonUsbVendor(p.vid, p.pid) !== undefined);
    const bySerial = ports.find((p) => p.serialNumber !== undefined && hexDigits(p.serialNumber) === hexDigits(wanted));
    if (bySerial) return parseDeviceUrl(bySerial.path).url;
    for (const port of ports) {
      if (probed.has(port.path) || findPortUsers(port.path).some((pid) => pid !== process.pid)) continue;
      const entry: DiscoveredPort = { ...port, url: parseDeviceUrl(port.path).url, state: 'not-identified' };
      await identifyInto(entry, options.identifyTimeoutMs ?? 3000);
      probed.set(port.path, entry.identity?.uniqueId?.toLowerCase() ?? null);
      if (entry.identity?.uniqueId?.toLowerCase() === wanted) return entry.url;
    }
    if (Date.now() >= deadline) return undefined;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A unique id or USB serial number as bare lowercase hex: ESP32 USB-Serial-JTAG reports `AA:BB:…`, unique_id() gives `aabb…`. */
function hexDigits(text: string): string {
  return text.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

async function identifyInto(entry: DiscoveredPort, timeoutMs: number): Promise<void> {
  let session: DeviceSession | undefined;
  try {
    session = await DeviceSession.connect(entry.url, { enterTimeoutMs: timeoutMs });
    entry.identity = await session.identify();
    entry.state = 'identified';
    await session.repl.enterFriendly(); // leave it at >>> as a terminal would find it
  } catch (error) {
    entry.state = 'no-answer';
    entry.error = (error as Error).message;
  } finally {
    await session?.close();
  }
}

function registeredSerialPaths(urls: string[]): string[] {
  return urls.flatMap((url) => {
    const address = parseDeviceUrl(url);
    return address.kind === 'serial' ? [address.path] : [];
  });
}
