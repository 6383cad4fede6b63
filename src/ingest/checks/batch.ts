/**
 * One file per unit and year in a batch: the first (in file order) is judged; another one is refused and waits for a
 * run of its own (where, valid, it replaces the first); the very same bytes again are a duplicate, not judged at all.
 */
import { finding } from '../../findings/codes.ts';
import { fileFinding, type Check } from './state.ts';

export const batchDuplicate: Check = {
  name: 'batch',
  codes: ['duplicate_in_batch'],
  stage: 'file',
  run(s) {
    const { batch, sha256, file } = s.ctx;
    const { unitCode, year } = s.identity;
    if (!batch || sha256 === undefined) return undefined;
    const first = batch.claim(unitCode, year, file, sha256);
    if (!first) return undefined;
    if (first.sha256 === sha256) s.identicalTo = first.file;
    else fileFinding(s, finding('duplicate_in_batch', { unit: unitCode, year, first: first.file, file }));
    return 'stop';
  },
};
