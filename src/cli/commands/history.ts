import type { Command } from 'commander';
import type { SetExitCode } from '../context.ts';

// Placeholder until the command is built: registers nothing.
export function registerHistory(_program: Command, _setExitCode: SetExitCode): void {}
