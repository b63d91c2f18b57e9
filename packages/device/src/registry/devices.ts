import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseDeviceUrl } from '../transport/url';

/** A board the user named: the same names work in the kernel, the CLI and the lab. */
export interface RegisteredDevice {
  name: string;
  url: string;
  /** machine.unique_id() as hex: finds the board again when its port name changes. */
  uniqueId?: string;
}

interface RegistryFile {
  version: 1;
  devices: RegisteredDevice[];
}

/** (JUPYTER_CONFIG_DIR or ~/.jupyter)/ide49/devices.json */
export function defaultRegistryPath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.JUPYTER_CONFIG_DIR || join(homedir(), '.jupyter'), 'ide49', 'devices.json');
}

/** Names ↔ unique ids ↔ URLs, kept in one JSON file written atomically (temp + rename). */
export class DeviceRegistry {
  constructor(readonly path: string = defaultRegistryPath()) {}

  /** The usable entries (one edited by hand into something unusable is left out, not fatal for every command). */
  list(): RegisteredDevice[] {
    return this.readAll().filter((d) => typeof d?.name === 'string' && typeof d.url === 'string' && isUsableUrl(d.url));
  }

  /** Every entry of the file, as it is (saving keeps what list() leaves out). */
  private readAll(): RegisteredDevice[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    let parsed: Partial<RegistryFile>;
    try {
      parsed = JSON.parse(text) as Partial<RegistryFile>;
    } catch (error) {
      throw new Error(`the device registry ${this.path} is not valid JSON (${(error as Error).message}); fix it, or delete it and register the boards again`);
    }
    if (!Array.isArray(parsed.devices)) throw new Error(`${this.path} is not a device registry (no "devices" list); fix or delete it`);
    return parsed.devices;
  }

  get(name: string): RegisteredDevice | undefined {
    return this.list().find((d) => d.name === name);
  }

  /** Adds or replaces the entry called `device.name`. */
  register(device: RegisteredDevice): void {
    if (!/^[\w.-]+$/.test(device.name)) throw new Error(`device names use letters, digits, '.', '_' and '-' (got ${JSON.stringify(device.name)})`);
    const url = parseDeviceUrl(device.url).url;
    this.save([...this.readAll().filter((d) => d?.name !== device.name), { ...device, url }]);
  }

  /** Returns false when no such name was registered. */
  unregister(name: string): boolean {
    const devices = this.readAll();
    const kept = devices.filter((d) => d?.name !== name);
    if (kept.length === devices.length) return false;
    this.save(kept);
    return true;
  }

  /**
   * The URL for a registered name or a device URL given as is. Virtual boards need no
   * registration: `virtual://NAME` always resolves.
   */
  resolve(nameOrUrl: string): string {
    // a URL needs no registry (which may be unreadable): names never contain '/' or ':'
    if (nameOrUrl.includes('://') || nameOrUrl.startsWith('/')) return parseDeviceUrl(nameOrUrl).url;
    const registered = this.get(nameOrUrl);
    if (registered) return registered.url;
    const names = this.list().map((d) => d.name);
    throw new Error(
      `unknown device ${JSON.stringify(nameOrUrl)}: ` +
        (names.length > 0 ? `registered names are ${names.join(', ')}` : 'no devices are registered') +
        '; give a URL (serial:///dev/ttyACM0, virtual://NAME) or `iot-device register NAME URL`',
    );
  }

  private save(devices: RegisteredDevice[]): void {
    const file: RegistryFile = { version: 1, devices: devices.sort((a, b) => String(a?.name).localeCompare(String(b?.name))) };
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(file, null, 2) + '\n');
    renameSync(temporary, this.path);
  }
}

function isUsableUrl(url: string): boolean {
  try {
    parseDeviceUrl(url);
    return true;
  } catch {
    return false;
  }
}
