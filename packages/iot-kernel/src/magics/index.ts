// Every magic of the kernel, registered here and only here: one line per magic module.
import { serviceMagics } from '@ide49/service-magic';
import { bashMagic } from './bash';
import { catMagic } from './files/cat';
import { cpMagic } from './files/cp';
import { mipMagic } from './files/mip';
import { mkdirsMagic } from './files/mkdirs';
import { rdiffMagic } from './files/rdiff';
import { rlistMagic } from './files/rlist';
import { rmMagic } from './files/rm';
import { rsyncMagic } from './files/rsync';
import { loglevelMagic } from './loglevel';
import { lsmagicMagic } from './lsmagic';
import type { KernelMagic } from './services';
import { writefileMagic } from './writefile';

export const magics: KernelMagic[] = [
  lsmagicMagic,
  loglevelMagic,
  bashMagic,
  writefileMagic,
  rlistMagic,
  catMagic,
  cpMagic,
  rmMagic,
  mkdirsMagic,
  rdiffMagic,
  rsyncMagic,
  mipMagic,
  ...serviceMagics,
];
