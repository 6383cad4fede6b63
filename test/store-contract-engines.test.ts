/**
 * The Store contracts (test/store-contract.ts, test/store-review-contract.ts, test/store-mail-items-contract.ts)
 * through the query layer (src/store/sql, Kysely) on both engines: on node:sqlite (through the adapter of
 * src/store/sql/node-sqlite-dialect.ts) and on a throwaway PostgreSQL cluster.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openPostgresStore } from '../src/store/postgres/open.ts';
import { openSqliteStore } from '../src/store/sqlite/open.ts';
import { FolderArchive } from '../src/store/sqlite/store.ts';
import { nodeSqliteDialect } from '../src/store/sql/node-sqlite-dialect.ts';
import { SqlSession } from '../src/store/sql/session.ts';
import { SqlStore } from '../src/store/sql/store.ts';
import type { Tables } from '../src/store/sql/tables.ts';
import { describeStoreContract, type ContractStore } from './store-contract.ts';
import { describeMailItemsContract } from './store-mail-items-contract.ts';
import { describeReviewContract } from './store-review-contract.ts';
import { havePostgres, startPostgres, type PgCluster } from './helpers/pg.ts';
import { tempDir } from './helpers/tools.ts';

let root: string;
let n = 0;
beforeAll(() => { root = tempDir('hoctap-store-engines-'); });
afterAll(() => { fs.rmSync(root, { recursive: true, force: true }); });

/** Every contract, on one engine. */
function describeContracts(name: string, make: () => Promise<ContractStore>): void {
  describeStoreContract(name, make);
  describeReviewContract(name, make);
  describeMailItemsContract(name, make);
}

describeContracts('query layer on node:sqlite', async () => {
  const file = path.join(root, `ws${++n}`, 'hoctap.sqlite');
  const open = () => {
    // The schema as the embedded store makes it; the queries through Kysely over the same DatabaseSync.
    const db = openSqliteStore(file, { journal: null }).db;
    const k = new Kysely<Tables>({ dialect: nodeSqliteDialect(db) });
    return new SqlStore(new SqlSession(k, 'sqlite'), () => new FolderArchive(path.join(path.dirname(file), 'archive')), async () => {
      await k.destroy();
      db.close();
    });
  };
  let store = open();
  return {
    store,
    reopen: async () => {
      await store.close();
      store = open();
      return store;
    },
    dispose: () => store.close(),
  };
});

const pgHere = havePostgres();
let cluster: PgCluster | null = null;
let dbs = 0;

if (pgHere) {
  beforeAll(() => { cluster = startPostgres(); });
  afterAll(() => cluster?.stop());
  describeContracts('PostgreSQL', async () => {
    const name = `contract_${++dbs}`;
    cluster!.psql(`CREATE DATABASE ${name}`);
    const url = cluster!.url('postgres', name);
    let store = await openPostgresStore(url, { create: true, archiveDir: path.join(root, name, 'archive') });
    return {
      store,
      reopen: async () => {
        await store.close();
        store = await openPostgresStore(url, { archiveDir: path.join(root, name, 'archive') });
        return store;
      },
      dispose: () => store.close(),
    };
  });
} else {
  describe('Store contract: PostgreSQL', () => it.skip('PostgreSQL không có trên máy này', () => undefined));
}
