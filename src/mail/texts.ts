/**
 * The words of the messages to the units, kept as data: templates/mail/<kind>.hbs, a subject line ("Tiêu đề: …"), a
 * line "---", then the body (Handlebars, plain text: nothing is escaped). A workspace may keep its own in
 * <workspace>/templates/mail/<kind>.hbs, used instead of the bundled one.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { UserError } from '../errors.ts';
import type { MailKind } from '../store/store.ts';

export const BUNDLED_MAIL_DIR = fileURLToPath(new URL('../../templates/mail/', import.meta.url));
const SUBJECT_PREFIX = 'Tiêu đề:';

export interface MailText { subject: string; body: string }

export type MailWords = (kind: MailKind, data: Record<string, unknown>) => MailText;

/** The words of a workspace: its own templates/mail/<kind>.hbs where it has one, else the bundled one. */
export function mailWords(workspaceDir: string): MailWords {
  const compiled = new Map<MailKind, { subject: Handlebars.TemplateDelegate; body: Handlebars.TemplateDelegate }>();
  return (kind, data) => {
    const file = textFile(workspaceDir, kind);
    let t = compiled.get(kind);
    if (!t) compiled.set(kind, (t = compile(file)));
    try {
      return { subject: t.subject(data).replace(/\s+/g, ' ').trim(), body: tidy(t.body(data)) };
    } catch (e) {
      // Handlebars parses on first use: a broken {{…}} in an edited file shows here.
      throw new UserError(`Tệp lời thư ${file} có lỗi cú pháp Handlebars: ${(e as Error).message.split('\n')[0]}`);
    }
  };
}

function textFile(workspaceDir: string, kind: MailKind): string {
  const own = path.join(workspaceDir, 'templates', 'mail', `${kind}.hbs`);
  return fs.existsSync(own) ? own : path.join(BUNDLED_MAIL_DIR, `${kind}.hbs`);
}

function compile(file: string): { subject: Handlebars.TemplateDelegate; body: Handlebars.TemplateDelegate } {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '').replace(/\r\n/g, '\n');
  const cut = text.indexOf('\n---\n');
  const first = text.slice(0, cut < 0 ? 0 : text.indexOf('\n'));
  if (cut < 0 || !first.startsWith(SUBJECT_PREFIX)) {
    throw new UserError(`Tệp lời thư ${file} không đúng dạng: dòng đầu "${SUBJECT_PREFIX} …", rồi một dòng "---", rồi nội dung thư.`);
  }
  const opts = { noEscape: true, strict: false };
  try {
    return { subject: Handlebars.compile(first.slice(SUBJECT_PREFIX.length).trim(), opts), body: Handlebars.compile(text.slice(cut + 5), opts) };
  } catch (e) {
    throw new UserError(`Tệp lời thư ${file} có lỗi cú pháp Handlebars: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** No run of blank lines left by a block not shown, no trailing spaces; CRLF as mail wants. */
function tidy(body: string): string {
  return body.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\n{3,}/g, '\n\n').trim().replace(/\n/g, '\r\n') + '\r\n';
}
