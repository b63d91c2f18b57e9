// Every magic of the kernel, registered here and only here: one line per magic module.
import { serviceMagics } from '@ide49/service-magic';
import { bashMagic } from './bash';
import { loglevelMagic } from './loglevel';
import { lsmagicMagic } from './lsmagic';
import type { KernelMagic } from './services';
import { writefileMagic } from './writefile';

export const magics: KernelMagic[] = [
  lsmagicMagic,
  loglevelMagic,
  bashMagic,
  writefileMagic,
  ...serviceMagics,
];
