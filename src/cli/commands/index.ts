import type { RegisterCommand } from '../context.ts';
import { registerInit } from './init.ts';
import { registerCatalog } from './catalog.ts';

/** Every command, in the order of the yearly cycle. */
export const commands: RegisterCommand[] = [registerInit, registerCatalog];
