/**
 * What `send` writes to each unit, by kind: its template (templates/<year>/ as generate-templates wrote it); the
 * feedback copy of its latest refused or warned file, with the reasons; a reminder when it has no file in force. A unit
 * that gets nothing is said with why (no e-mail in the roster, no template generated, no feedback copy found).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { deadlineFor, type Unit, type Workspace } from '../catalog/workspace.ts';
import { fileStamp, formatDayVi, vietnamDay } from '../dates.ts';
import { storedWords } from '../findings/stored.ts';
import { computeStatus } from '../scoring/status.ts';
import type { MailKind, Store, Submission } from '../store/store.ts';
import { templateFileName } from '../templates/naming.ts';
import type { MailWords } from './texts.ts';

/** The reasons listed in a feedback message's body; the rest are in the copy's list sheet. */
const REASONS_LISTED = 15;
const FEEDBACK_SUFFIX = '.kiem-tra';

export interface Attachment { name: string; bytes: Buffer; sha256: string }

/** One message to one unit. */
export interface Letter {
  unitCode: string;
  unitName: string;
  year: number;
  kind: MailKind;
  /** One message per unit, year, kind and key (the outbox's): 'nam' (templates), the file's sha256 (feedback), the day (reminders). */
  dedupKey: string;
  to: string[];
  subject: string;
  body: string;
  attachment: Attachment | null;
}

/** A unit of the selection that gets no message, and why (said, never skipped silently). */
export interface Unsent { unitCode: string; unitName: string; why: string }

export interface Composed { letters: Letter[]; unsent: Unsent[] }

/** The addresses of a roster's e-mail cell: several may be given, separated by ";", "," or spaces. */
export function unitAddresses(cell: string): string[] {
  return cell.split(/[;,\s]+/).map((a) => a.trim()).filter((a) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(a));
}

export interface ComposeInput {
  ws: Workspace;
  db: Store | null;
  kind: MailKind;
  year: number;
  units: Unit[];
  words: MailWords;
  now: Date;
}

export async function composeLetters(input: ComposeInput): Promise<Composed> {
  const { ws, kind, units } = input;
  const common = commonWords(ws, input.year, input.now);
  const out: Composed = { letters: [], unsent: [] };
  const chase = kind === 'reminders' ? await chaseList(input) : null;
  for (const unit of units) {
    const to = unitAddresses(unit.email);
    const no = (why: string) => out.unsent.push({ unitCode: unit.code, unitName: unit.name, why });
    if (!to.length) {
      no(unit.email.trim() ? `e-mail trong danh sách đơn vị không hợp lệ ("${unit.email.trim()}")` : 'chưa có e-mail trong danh sách đơn vị (cột email của roster.csv)');
      continue;
    }
    const made = kind === 'templates' ? templateLetter(input, unit)
      : kind === 'feedback' ? await feedbackLetter(input, unit)
        : reminderLetter(input, unit, chase!);
    if ('why' in made) {
      if (made.why) no(made.why);
      continue;
    }
    const text = input.words(kind, { ...common, unitName: unit.name, unitCode: unit.code, attachment: made.attachment?.name ?? '', ...made.data });
    out.letters.push({ unitCode: unit.code, unitName: unit.name, year: input.year, kind, dedupKey: made.dedupKey, to, ...text, attachment: made.attachment });
  }
  return out;
}

type Made = { dedupKey: string; attachment: Attachment | null; data: Record<string, unknown> } | { why: string | null };

function commonWords(ws: Workspace, year: number, now: Date): Record<string, unknown> {
  const deadline = deadlineFor(ws.profile, year);
  return {
    year, city: ws.profile.city, sender: ws.profile.issuingBody, deadline: formatDayVi(deadline), today: formatDayVi(now), late: now > deadline,
    contact: ws.mail?.contact ?? [ws.profile.submitTo, ws.profile.submitEmail].filter(Boolean).join(', '),
  };
}

function attachmentOf(file: string, name = path.basename(file)): Attachment {
  const bytes = fs.readFileSync(file);
  return { name, bytes, sha256: crypto.createHash('sha256').update(bytes).digest('hex') };
}

/** Where generate-templates wrote a unit's template (its default folder). */
export function templatePath(ws: Workspace, unit: Unit, year: number): string {
  return path.join(ws.dir, 'templates', String(year), templateFileName(unit, year));
}

function templateLetter(input: ComposeInput, unit: Unit): Made {
  const file = templatePath(input.ws, unit, input.year);
  if (!fs.existsSync(file)) return { why: `chưa có biểu mẫu ${path.relative(input.ws.dir, file)} (tạo bằng generate-templates --year ${input.year})` };
  return { dedupKey: 'nam', attachment: attachmentOf(file), data: {} };
}

/** The latest file of a unit and year that was refused or has warnings, with its feedback copy; or why there is none. */
async function feedbackLetter(input: ComposeInput, unit: Unit): Promise<Made> {
  if (!input.db) return { why: null };
  const rows = await input.db.history({ unitCode: unit.code, year: input.year });
  const latest = rows.at(-1);
  if (!latest || (latest.status !== 'rejected' && latest.warningCount === 0)) return { why: null };
  const copy = feedbackCopyOf(input.ws, latest);
  if (!copy) return { why: `không tìm thấy bản kiểm tra của tệp ${latest.fileName} (thư mục feedback/${fileStamp(new Date(latest.ingestedAt))})` };
  const messages = await input.db.messagesOf(latest.id);
  const ordered = [...messages.filter((m) => m.severity === 'error'), ...messages.filter((m) => m.severity === 'warning')];
  const reasons = ordered.slice(0, REASONS_LISTED).map((m) => {
    const w = storedWords(m);
    return w.expected ? `${w.text} (${w.expected})` : w.text;
  });
  return {
    dedupKey: latest.sha256, attachment: attachmentOf(copy),
    data: {
      rejected: latest.status === 'rejected', fileName: latest.fileName, receivedDay: formatDayVi(latest.receivedAt), errorCount: latest.errorCount,
      warningCount: latest.warningCount, reasons, moreReasons: Math.max(0, ordered.length - REASONS_LISTED),
    },
  };
}

/**
 * The feedback copy ingest wrote for a stored file: <workspace>/feedback/<time of ingest>/<name>.kiem-tra.<ext> (the
 * folder ingest writes to by default); null when it is not there (written elsewhere with --feedback-dir, or removed).
 */
export function feedbackCopyOf(ws: Workspace, s: Submission): string | null {
  const dir = path.join(ws.dir, 'feedback', fileStamp(new Date(s.ingestedAt)));
  const base = s.fileName.replace(/\.[^.]+$/, '');
  const ext = s.sourceKind === 'csv' ? '.csv' : '.xlsx';
  const found = [`${base}${FEEDBACK_SUFFIX}${ext}`, ...[2, 3, 4, 5].map((i) => `${base}${FEEDBACK_SUFFIX}-${i}${ext}`)]
    .map((n) => path.join(dir, n)).find((f) => fs.existsSync(f));
  return found ?? null;
}

interface Chase { codes: Set<string>; byUnit: Map<string, { fileName: string | null; receivedAt: string | null; errors: number; rejected: boolean }> }

async function chaseList(input: ComposeInput): Promise<Chase> {
  if (!input.db) return { codes: new Set(input.units.map((u) => u.code)), byUnit: new Map() };
  const report = await computeStatus(input.ws, input.db, input.year);
  return {
    codes: new Set(report.toChase),
    byUnit: new Map(report.units.map((u) => [u.unitCode, { fileName: u.fileName, receivedAt: u.receivedAt, errors: u.errors, rejected: u.state === 'rejected' }])),
  };
}

/** Units without a file in force (none received, or only refused ones): at most one reminder a day (Vietnam time). */
function reminderLetter(input: ComposeInput, unit: Unit, chase: Chase): Made {
  if (!chase.codes.has(unit.code)) return { why: null };
  const s = chase.byUnit.get(unit.code);
  const rejected = s?.rejected === true;
  const template = templatePath(input.ws, unit, input.year);
  const day = vietnamDay(input.now);
  return {
    dedupKey: `${day.year}-${String(day.month).padStart(2, '0')}-${String(day.day).padStart(2, '0')}`,
    attachment: !rejected && fs.existsSync(template) ? attachmentOf(template) : null,
    data: { rejected, fileName: s?.fileName ?? '', receivedDay: s?.receivedAt ? formatDayVi(s.receivedAt) : '', errorCount: s?.errors ?? 0 },
  };
}
