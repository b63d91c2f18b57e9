import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A serial port and, for USB ones, what its USB descriptors say. */
export interface SerialPortInfo {
  path: string;
  vid?: string;
  pid?: string;
  manufacturer?: string;
  product?: string;
  serialNumber?: string;
}

/**
 * Lists serial ports from sysfs (/sys/class/tty/NAME/device, walking up to the USB
 * device for idVendor/idProduct/manufacturer/product/serial): no udevadm needed.
 * Ports on-board UARTs (ttyS*) are left out unless they sit on USB; `extraPaths`
 * (e.g. ptys the user registered) are added when they exist.
 */
export function listSerialPorts(extraPaths: string[] = [], sysClassTty = '/sys/class/tty'): SerialPortInfo[] {
  const ports: SerialPortInfo[] = [];
  for (const name of safeReaddir(sysClassTty)) {
    const deviceLink = join(sysClassTty, name, 'device');
    if (!existsSync(deviceLink)) continue;
    const usb = findUsbDevice(realpathSync(deviceLink));
    if (!usb && !/^tty(ACM|USB|AMA)\d+$/.test(name)) continue;
    ports.push({ path: `/dev/${name}`, ...(usb ? readUsbDescriptors(usb) : {}) });
  }
  for (const path of extraPaths) {
    if (existsSync(path) && !ports.some((p) => p.path === path)) ports.push({ path });
  }
  return ports.sort((a, b) => a.path.localeCompare(b.path));
}

/** The USB device folder above an interface (the first ancestor holding idVendor). */
function findUsbDevice(start: string): string | undefined {
  for (let dir = start; dir !== '/' && dir !== '.'; dir = dirname(dir)) {
    if (existsSync(join(dir, 'idVendor'))) return dir;
  }
  return undefined;
}

function readUsbDescriptors(dir: string): Omit<SerialPortInfo, 'path'> {
  return {
    vid: readAttribute(dir, 'idVendor'),
    pid: readAttribute(dir, 'idProduct'),
    manufacturer: readAttribute(dir, 'manufacturer'),
    product: readAttribute(dir, 'product'),
    serialNumber: readAttribute(dir, 'serial'),
  };
}

function readAttribute(dir: string, name: string): string | undefined {
  try {
    return readFileSync(join(dir, name), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

function safeReaddir(path: string): string[] {
  try {
    return readdirSync(path);
  } catch {
    return [];
  }
}
