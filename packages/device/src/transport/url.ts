/** A board address, parsed once for everything that opens or lists boards. */
export type DeviceAddress =
  | { kind: 'serial'; path: string; baud: number; url: string }
  | { kind: 'virtual'; name: string; url: string; link?: VirtualLink };

/** The virtual board's link models (see @ide49/virtual-board LINK_PRESETS): `virtual://NAME?link=uart115200`. */
const VIRTUAL_LINKS = ['none', 'uart115200', 'usb-cdc'] as const;
export type VirtualLink = (typeof VIRTUAL_LINKS)[number];

export const DEFAULT_BAUD = 115200;

/** Thrown for an address this version cannot open; the message says what works. */
export class UnsupportedDeviceUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDeviceUrlError';
  }
}

/**
 * Parses `serial:///dev/ttyACM0`, a bare `/dev/...` path, `virtual://NAME`, each with an
 * optional `?baud=N` (serial) or `?link=uart115200|usb-cdc|none` (virtual: the wire it models). `ws://` and `ble://` are recognised and refused (a later version
 * adds them). The returned `url` is the canonical spelling.
 */
export function parseDeviceUrl(text: string): DeviceAddress {
  const [base, query = ''] = splitOnce(text.trim(), '?');
  const params = new URLSearchParams(query);
  const baud = parseBaud(params.get('baud'), text);
  if (base.startsWith('/')) return serial(base, baud);
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(base);
  if (!scheme) {
    throw new UnsupportedDeviceUrlError(`not a device address: ${JSON.stringify(text)}; use serial:///dev/ttyACM0, /dev/ttyUSB0 or virtual://NAME`);
  }
  const [, protocol, rest] = scheme;
  switch (protocol.toLowerCase()) {
    case 'serial':
      if (!rest.startsWith('/')) throw new UnsupportedDeviceUrlError(`serial URLs need an absolute device path, e.g. serial:///dev/ttyACM0 (got ${JSON.stringify(text)})`);
      return serial(rest, baud);
    case 'virtual':
      if (!/^[\w.-]+$/.test(rest)) throw new UnsupportedDeviceUrlError(`virtual board names use letters, digits, '.', '_' and '-' (got ${JSON.stringify(rest)})`);
      return virtual(rest, params.get('link'));
    case 'ws':
    case 'wss':
      throw new UnsupportedDeviceUrlError(`WebREPL (${protocol}://) is not supported yet; connect the board by USB (serial:///dev/ttyACM0)`);
    case 'ble':
      throw new UnsupportedDeviceUrlError('Bluetooth (ble://) is not supported yet; connect the board by USB (serial:///dev/ttyACM0)');
    default:
      throw new UnsupportedDeviceUrlError(`unknown device URL scheme ${JSON.stringify(protocol)}; use serial:///dev/..., /dev/... or virtual://NAME`);
  }
}

function serial(path: string, baud: number): DeviceAddress {
  return { kind: 'serial', path, baud, url: baud === DEFAULT_BAUD ? `serial://${path}` : `serial://${path}?baud=${baud}` };
}

function virtual(name: string, link: string | null): DeviceAddress {
  if (link === null) return { kind: 'virtual', name, url: `virtual://${name}` };
  if (!(VIRTUAL_LINKS as readonly string[]).includes(link)) throw new UnsupportedDeviceUrlError(`unknown link ${JSON.stringify(link)} for virtual://${name}: use one of ${VIRTUAL_LINKS.join(', ')}`);
  return { kind: 'virtual', name, url: `virtual://${name}?link=${link}`, link: link as VirtualLink };
}

function parseBaud(value: string | null, text: string): number {
  if (value === null) return DEFAULT_BAUD;
  const baud = Number(value);
  if (!Number.isInteger(baud) || baud <= 0) throw new UnsupportedDeviceUrlError(`baud must be a positive integer (got ${JSON.stringify(value)} in ${text})`);
  // 1200 baud is the "touch" that sends many USB boards (rp2, samd, nrf) to their bootloader.
  if (baud === 1200) throw new UnsupportedDeviceUrlError('refusing 1200 baud: opening a USB board at 1200 baud makes many of them reboot into their bootloader');
  return baud;
}

function splitOnce(text: string, separator: string): [string, string?] {
  const at = text.indexOf(separator);
  return at < 0 ? [text] : [text.slice(0, at), text.slice(at + 1)];
}
