/**
 * @ide49/device, loaded on first use: it brings the serial port library, which costs a
 * few hundred milliseconds, so kernel_info does not wait for it when no board is used.
 */
export function deviceLibrary(): typeof import('@ide49/device') {
  return require('@ide49/device') as typeof import('@ide49/device');
}
