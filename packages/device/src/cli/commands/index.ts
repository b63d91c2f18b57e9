import type { CliCommand } from '../command';
import { devicesCommand } from './devices';
import { evalCommand } from './eval';
import { execCommand } from './exec';
import { registerCommand, unregisterCommand } from './register';
import { replCommand } from './repl';
import { resetCommand } from './reset';
import { runCommand } from './run';
import { catCommand } from './cat';
import { cleanupCommand } from './cleanup';
import { cpCommand } from './cp';
import { lsCommand } from './ls';
import { mipCommand } from './mip';
import { mkdirCommand } from './mkdir';
import { rmCommand } from './rm';
import { diffCommand, syncCommand } from './sync';

/** Every `iot-device` subcommand; add new ones (file commands) here. */
export const COMMANDS: CliCommand[] = [execCommand, evalCommand, runCommand, replCommand, devicesCommand, resetCommand, registerCommand, unregisterCommand,
  lsCommand, catCommand, cpCommand, rmCommand, mkdirCommand, syncCommand, diffCommand, cleanupCommand, mipCommand];
