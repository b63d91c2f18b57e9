/**
 * %%service and %services: cell bodies run as shell scripts in the stack's other
 * containers, or on the host, through the Docker Engine API.
 */
import { serviceMagic } from './magics/service';
import { servicesMagic } from './magics/services';

export type { ServiceCellContext, ServiceMagic } from './cell-context';
export { ServiceError } from './service-error';
export { serviceMagic, servicesMagic };

/** Every magic of this package, for the kernel's registry. */
export const serviceMagics = [serviceMagic, servicesMagic];
