/** The Store contract (test/store-contract.ts) on node:sqlite: a database file, and a database in memory. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openStore } from '../src/store/open.ts';
import { describeStoreContract } from './store-contract.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
let n = 0;
beforeAll(() => { root = tempDir('hoctap-store-contract-'); });
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); });

describeStoreContract('node:sqlite, a file', async () => {
  const file = path.join(root, `ws${++n}`, 'hoctap.sqlite');
  let store = await openStore(file);
  return {
    store,
    reopen: async () => {
      await store.close();
      store = await openStore(file);
      return store;
    },
    dispose: () => store.close(),
  };
});

describeStoreContract('node:sqlite, in memory', async () => {
  const store = await openStore(':memory:', { archiveDir: path.join(root, `mem${++n}`, 'archive') });
  return { store, dispose: () => store.close() };
});
