import { SerialTransport } from './serial';
import type { Transport } from './transport';
import { parseDeviceUrl } from './url';
import { VirtualTransport } from './virtual';

/** A transport for a device URL (see parseDeviceUrl), not opened yet. */
export function createTransport(url: string): Transport {
  const address = parseDeviceUrl(url);
  switch (address.kind) {
    case 'serial':
      return new SerialTransport(address.url, address.path, address.baud);
    case 'virtual':
      return new VirtualTransport(address.url, address.name, address.link ? { link: address.link } : {});
  }
}
