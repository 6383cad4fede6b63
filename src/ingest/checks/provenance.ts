/**
 * Where the file comes from, as far as hoctap can tell, said as warnings (the figures are judged all the same): an
 * e-mail sent from another address than the unit's, a template generated since the key but not signed.
 */
import { finding } from '../../findings/codes.ts';
import { inert } from '../../findings/inert.ts';
import { fileFinding, type Check } from './state.ts';

export const sender: Check = {
  name: 'sender',
  codes: ['sender_mismatch'],
  stage: 'file',
  run(s) {
    const from = s.ctx.sender;
    const expected = s.ctx.ws.roster.find((u) => u.code === s.identity.unitCode)?.email.trim().toLowerCase();
    if (from && expected && from !== expected) fileFinding(s, finding('sender_mismatch', { sender: inert(from), expected }));
  },
};

export const signature: Check = {
  name: 'signature',
  codes: ['meta_unsigned'],
  stage: 'file',
  run(s) {
    if (s.ctx.unsigned) fileFinding(s, finding('meta_unsigned'));
  },
};
