import type { RegisterCommand } from '../context.ts';
import { registerInit } from './init.ts';
import { registerCatalog } from './catalog.ts';
import { registerGenerateTemplates } from './generate-templates.ts';
import { registerIngest } from './ingest.ts';
import { registerHistory } from './history.ts';
import { registerRestore } from './restore.ts';
import { registerConfirm } from './confirm.ts';
import { registerRebuild } from './rebuild.ts';
import { registerStatus } from './status.ts';
import { registerScore } from './score.ts';
import { registerReport } from './report.ts';
import { registerDemo } from './demo.ts';
import { registerRoster } from './roster.ts';
import { registerNewYear } from './new-year.ts';
import { registerSend } from './send.ts';
import { registerFetchMail } from './fetch-mail.ts';
import { registerReview } from './review.ts';
import { registerLock } from './lock.ts';
import { registerUsers } from './users.ts';
import { registerStore } from './store.ts';

/** Every command, in the order of the yearly cycle. */
export const commands: RegisterCommand[] = [
  registerInit, registerNewYear, registerRoster, registerCatalog, registerGenerateTemplates, registerSend, registerFetchMail, registerIngest, registerHistory,
  registerRestore, registerConfirm, registerRebuild,
  registerStatus, registerReview, registerLock, registerUsers, registerScore, registerReport, registerDemo, registerStore,
];
