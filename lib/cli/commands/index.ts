import type { CommandModule } from 'yargs';
import { fnCommand } from './fn';
import { mirrorCommand } from './mirror';
import { refreshCommand } from './refresh';
import { synthCommand } from './synth';

/** Every `jcrkit` subcommand, in --help order. */
export const COMMANDS: CommandModule<any, any>[] = [synthCommand, fnCommand, refreshCommand, mirrorCommand]; // eslint-disable-line @typescript-eslint/no-explicit-any
