import type { CliCommand } from '../command';
import { devicesCommand } from './devices';
import { evalCommand } from './eval';
import { execCommand } from './exec';
import { registerCommand, unregisterCommand } from './register';
import { replCommand } from './repl';
import { resetCommand } from './reset';
import { runCommand } from './run';

/** Every `iot-device` subcommand; add new ones (file commands) here. */
export const COMMANDS: CliCommand[] = [execCommand, evalCommand, runCommand, replCommand, devicesCommand, resetCommand, registerCommand, unregisterCommand];
