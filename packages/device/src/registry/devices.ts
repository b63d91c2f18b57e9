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

  list(): RegisteredDevice[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<RegistryFile>;
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
    this.save([...this.list().filter((d) => d.name !== device.name), { ...device, url }]);
  }

  /** Returns false when no such name was registered. */
  unregister(name: string): boolean {
    const devices = this.list();
    const kept = devices.filter((d) => d.name !== name);
    if (kept.length === devices.length) return false;
    this.save(kept);
    return true;
  }

  /**
   * The URL for a registered name or a device URL given as is. Virtual boards need no
   * registration: `virtual://NAME` always resolves.
   */
  resolve(nameOrUrl: string): string {
    const registered = this.get(nameOrUrl);
    if (registered) return registered.url;
    if (nameOrUrl.includes('://') || nameOrUrl.startsWith('/')) return parseDeviceUrl(nameOrUrl).url;
    const names = this.list().map((d) => d.name);
    throw new Error(
      `unknown device ${JSON.stringify(nameOrUrl)}: ` +
        (names.length > 0 ? `registered names are ${names.join(', ')}` : 'no devices are registered') +
        '; give a URL (serial:///dev/ttyACM0, virtual://NAME) or `iot-device register NAME URL`',
    );
  }

  private save(devices: RegisteredDevice[]): void {
    const file: RegistryFile = { version: 1, devices: devices.sort((a, b) => a.name.localeCompare(b.name)) };
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(file, null, 2) + '\n');
    renameSync(temporary, this.path);
  }
}
