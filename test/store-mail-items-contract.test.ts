/** The Store mail and items contract (test/store-mail-items-contract.ts) on the embedded store (node:sqlite, direct). */
import { openStore } from '../src/store/open.ts';
import { describeMailItemsContract } from './store-mail-items-contract.ts';

describeMailItemsContract('node:sqlite, in memory', async () => {
  const store = await openStore(':memory:');
  return { store, dispose: () => store.close() };
});
