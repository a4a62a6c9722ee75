import type { CommandModule } from 'yargs';
import { synthCommand } from './synth';

/** Every `jcrkit` subcommand, in --help order. */
export const COMMANDS: CommandModule<any, any>[] = [synthCommand]; // eslint-disable-line @typescript-eslint/no-explicit-any
