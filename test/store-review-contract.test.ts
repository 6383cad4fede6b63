/** The Store review contract (test/store-review-contract.ts) on node:sqlite: a database file, and one in memory. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openStore } from '../src/store/open.ts';
import { describeReviewContract } from './store-review-contract.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
let n = 0;
beforeAll(() => { root = tempDir('hoctap-review-contract-'); });
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); });

describeReviewContract('node:sqlite, a file', async () => {
  const store = await openStore(path.join(root, `ws${++n}`, 'hoctap.sqlite'));
  return { store, dispose: () => store.close() };
});

describeReviewContract('node:sqlite, in memory', async () => {
  const store = await openStore(':memory:', { archiveDir: path.join(root, `mem${++n}`, 'archive') });
  return { store, dispose: () => store.close() };
});
