/** `send`: the letters of a kind to the units chosen, by SMTP or as .eml drafts, through the outbox (send.ts). */
import path from 'node:path';
import { findUnit, type Unit, type Workspace } from '../catalog/workspace.ts';
import { fileStamp } from '../dates.ts';
import { UserError } from '../errors.ts';
import { openStore, openStoreForReading } from '../store/open.ts';
import type { MailKind, Store } from '../store/store.ts';
import { composeLetters, type Unsent } from './compose.ts';
import { sendLetters, type LetterResult } from './send.ts';
import { findCopies, smtpSender } from './servers.ts';
import { mailWords } from './texts.ts';

export const MAIL_KINDS: readonly MailKind[] = ['templates', 'feedback', 'reminders'];

export interface RunSendOptions {
  kind: MailKind;
  year: number;
  units: string[];
  dryRun: boolean;
  /** --drafts DIR: .eml drafts there, even when SMTP is set. */
  draftsDir?: string;
  resendUncertain: boolean;
  now?: () => Date;
  onProgress?: (r: LetterResult) => void;
}

export interface SendReport {
  kind: MailKind;
  year: number;
  dryRun: boolean;
  /** 'smtp host:port', or the drafts folder. */
  way: { smtp: string } | { drafts: string };
  results: LetterResult[];
  unsent: Unsent[];
}

/** The units of --unit (codes as typed; an unknown one refused with the roster's name for it), else the whole roster. */
export function chooseUnits(ws: Workspace, codes: string[]): Unit[] {
  const wanted = codes.flatMap((c) => c.split(',')).map((c) => c.trim()).filter(Boolean);
  if (!wanted.length) return ws.roster;
  return wanted.map((code) => {
    const u = findUnit(ws, code);
    if (!u) throw new UserError(`Không có đơn vị mã "${code}" trong danh sách đơn vị năm ${ws.year} (${path.basename(ws.sources.roster)}).`);
    return u;
  });
}

export async function runSend(ws: Workspace, o: RunSendOptions): Promise<SendReport> {
  const from = ws.mail?.from ?? ws.profile.submitEmail;
  if (!from?.includes('@')) {
    throw new UserError('Chưa có địa chỉ gửi thư: ghi "mail": { "from": "Sở GDĐT <dia-chi@...>" } vào hoctap.config.json (xem docs/mail.md).');
  }
  const units = chooseUnits(ws, o.units);
  const now = o.now ?? (() => new Date());
  const smtpSettings = o.draftsDir === undefined ? ws.mail?.smtp : undefined;
  const draftsDir = smtpSettings ? null : path.resolve(o.draftsDir ?? path.join(ws.dir, 'mail-out', fileStamp(now())));
  const way = smtpSettings ? { smtp: `${smtpSettings.host}:${smtpSettings.port}` } : { drafts: draftsDir! };
  const db = o.dryRun ? await openStoreForReading(ws.dbPath) : await openStore(ws.dbPath);
  try {
    const { letters, unsent } = await composeLetters({ ws, db, kind: o.kind, year: o.year, units, words: mailWords(ws.dir), now: now() });
    if (o.dryRun || !db) {
      const results = db ? await sendLetters(letters, dryOptions(db, from, now)) : letters.map((letter) => ({ letter, state: 'would_send' as const, messageId: null, detail: null, at: null }));
      return { kind: o.kind, year: o.year, dryRun: true, way, results, unsent };
    }
    const imap = ws.mail?.imap;
    const copyToSelf = ws.mail?.copyToSelf ?? true;
    const smtp = smtpSettings && letters.length ? await smtpSender(smtpSettings) : null;
    try {
      const results = await sendLetters(letters, {
        from, db, dryRun: false, now, resendUncertain: o.resendUncertain, parallel: smtpSettings?.connections ?? 2, onProgress: o.onProgress,
        way: smtp ? { smtp, copyToSelf } : { draftsDir: draftsDir! },
        // A message left 'sending' is looked for in the mailbox when its copy would be there; else it cannot be told.
        checkUncertain: imap && copyToSelf ? (ids) => findCopies(imap, ids) : null,
      });
      return { kind: o.kind, year: o.year, dryRun: false, way, results, unsent };
    } finally {
      smtp?.close();
    }
  } finally {
    await db?.close();
  }
}

function dryOptions(db: Store, from: string, now: () => Date) {
  return { from, db, dryRun: true, now, resendUncertain: false, parallel: 1, way: { draftsDir: '' }, checkUncertain: null };
}
