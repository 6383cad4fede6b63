/**
 * Is hoctap.sqlite a database of hoctap, and readable? A damaged file (garbage, cut short) or another application's
 * database gets one line saying what is wrong and that `hoctap rebuild` recreates it, instead of an internal error.
 */
import type { DatabaseSync } from 'node:sqlite';
import { type HintWriter, UserError } from '../../errors.ts';

/** PRAGMA application_id of a hoctap database: "hoct". Set from schema 3 on. */
export const APPLICATION_ID = 0x686f6374;

const rebuildHint = (run: HintWriter) => `Chạy "${run(['rebuild'])}" để dựng lại cơ sở dữ liệu từ kho lưu trữ archive/ (tệp hiện có được giữ lại dưới tên khác).`;

/** SQLite's "file is not a database" (26) and "database disk image is malformed" (11), extended codes included. */
export function isDamaged(e: unknown): boolean {
  const code = (e as { errcode?: unknown })?.errcode;
  return typeof code === 'number' && [11, 26].includes(code & 0xff);
}

export function damagedError(file: string, e: unknown): UserError {
  const notADatabase = ((e as { errcode: number }).errcode & 0xff) === 26;
  const what = notADatabase
    ? `không phải tệp cơ sở dữ liệu SQLite (nội dung hỏng hoặc bị ghi đè)`
    : `bị hỏng (có thể bị cắt cụt hoặc ghi dở)`;
  return new UserError((run) => `Cơ sở dữ liệu ${file} ${what}. ${rebuildHint(run)}`);
}

/**
 * Refuses a valid SQLite database that is not hoctap's: one with another application id, or with tables but no
 * version of ours, or a version of ours without our tables. Returns the schema version. Reads only: nothing is written
 * to a database that is not ours.
 */
export function schemaVersionOf(db: DatabaseSync, file: string, known: number): number {
  const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
  const appId = Number((db.prepare('PRAGMA application_id').get() as { application_id: number }).application_id);
  const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name`).all() as { name: string }[]).map((t) => t.name);
  const ours = appId === APPLICATION_ID || (appId === 0 && (tables.length === 0 ? true : version > 0 && tables.includes('submissions')));
  if (!ours) {
    const shown = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', …' : '');
    throw new UserError((run) => `${file} là cơ sở dữ liệu của một chương trình khác, không phải của hoctap (${tables.length ? `có các bảng ${shown}` : 'mã ứng dụng khác'}). ${rebuildHint(run)}`);
  }
  if (version > known) {
    throw new UserError(`Cơ sở dữ liệu ${file} được tạo bởi phiên bản hoctap mới hơn (lược đồ ${version}, phiên bản này hiểu tới ${known}). Hãy cập nhật hoctap.`);
  }
  return version;
}
