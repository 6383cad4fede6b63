/**
 * Runs one ingest batch and kills its own process (SIGKILL: no cleanup, like a pulled power cord) in the middle of a
 * write batch: once at least one batch is committed and `open` more files are stored in the transaction still open.
 * Before dying it prints, on one line of JSON, how many files were committed then. Used by test/pg-crash.test.ts:
 *   node test/helpers/ingest-kill-mid-batch.ts <workspace> <inbox> <open>
 * Each file is one part (no e-mail, no large file), so the files committed are the files reported at the commit.
 */
import fs from 'node:fs';
import { openWorkspace } from '../../src/catalog/workspace.ts';
import { ingest } from '../../src/ingest/ingest.ts';

const [dir, inbox, open] = process.argv.slice(2);
let reported = 0;
let committed = 0;
await ingest(openWorkspace(dir), [inbox], {
  receivedAt: new Date('2024-12-01T03:00:00Z'),
  // A commit comes after a file is stored and before it is reported: that file is committed with the ones before it.
  onStep: (s) => {
    if (s === 'commit') committed = reported + 1;
  },
  onProgress: (done) => {
    reported = done;
    if (committed > 0 && done - committed >= Number(open)) {
      fs.writeSync(1, `${JSON.stringify({ committed, reported })}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
  },
});
