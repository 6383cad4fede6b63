/**
 * Runs one ingest batch and kills its own process (SIGKILL: no cleanup, like a pulled power cord) the first time the
 * batch reaches `step` (IngestOptions.onStep). Used by test/ingest-feedback-crash.test.ts:
 *   node test/helpers/ingest-step-kill.ts <workspace> <inbox> <feedback|commit>
 */
import { openWorkspace } from '../../src/catalog/workspace.ts';
import { ingest } from '../../src/ingest/ingest.ts';

const [dir, inbox, step] = process.argv.slice(2);
await ingest(openWorkspace(dir), [inbox], {
  receivedAt: new Date('2024-12-01T03:00:00Z'),
  onStep: (s) => {
    if (s === step) process.kill(process.pid, 'SIGKILL');
  },
});
