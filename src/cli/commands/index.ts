import type { RegisterCommand } from '../context.ts';
import { registerInit } from './init.ts';
import { registerCatalog } from './catalog.ts';
import { registerGenerateTemplates } from './generate-templates.ts';
import { registerIngest } from './ingest.ts';
import { registerHistory } from './history.ts';
import { registerRestore } from './restore.ts';
import { registerRebuild } from './rebuild.ts';
import { registerStatus } from './status.ts';
import { registerScore } from './score.ts';
import { registerReport } from './report.ts';
import { registerDemo } from './demo.ts';
import { registerRoster } from './roster.ts';
import { registerNewYear } from './new-year.ts';
import { registerStore } from './store.ts';

/** Every command, in the order of the yearly cycle. */
export const commands: RegisterCommand[] = [
  registerInit, registerNewYear, registerRoster, registerCatalog, registerGenerateTemplates, registerIngest, registerHistory,
  registerRestore, registerRebuild,
  registerStatus, registerScore, registerReport, registerDemo, registerStore,
];
