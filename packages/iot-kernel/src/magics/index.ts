// Every magic of the kernel, registered here and only here: one line per magic module.
import { serviceMagics } from '@ide49/service-magic';
import { bashMagic } from './bash';
import { gettimeMagic, synctimeMagic } from './board-time';
import { connectMagic } from './connect';
import { connectCellMagic } from './connect-cell';
import { disconnectMagic } from './disconnect';
import { discoverMagic } from './discover';
import { infoMagic } from './info';
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
import { registerMagic, unregisterMagic } from './register';
import { hardresetMagic, softresetMagic } from './resets';
import type { KernelMagic } from './services';
import { writefileMagic } from './writefile';

export const magics: KernelMagic[] = [
  lsmagicMagic,
  loglevelMagic,
  bashMagic,
  writefileMagic,
  connectMagic,
  connectCellMagic,
  disconnectMagic,
  discoverMagic,
  registerMagic,
  unregisterMagic,
  softresetMagic,
  hardresetMagic,
  infoMagic,
  synctimeMagic,
  gettimeMagic,
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
