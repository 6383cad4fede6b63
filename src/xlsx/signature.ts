/**
 * A signature of a template's `_meta` map: HMAC-SHA256, with a key kept in the workspace, of the map's keys (who,
 * which year, which catalog…) and of every input row (field, indicator, kind, sheet, cell).
 *
 * What it proves: the map was written by generate-templates of the workspace holding the key, and no key or row of it
 * was changed, added or removed since (a unit_code or a cell address edited in `_meta` no longer verifies). What it
 * does not prove: anything about the figures the unit typed (they are not covered), who sent the file, or that a
 * signed template of unit A was filled by unit A; and anyone who can read the key file can sign.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors.ts';
import { META_KEYS, type MetaEntry, type MetaKey, type TemplateMeta } from './meta.ts';

/** The key's file in the workspace folder (hidden: ingest never picks it up as a submission). */
export const KEY_FILE = '.hoctap-key';
const PREFIX = 'hmac-sha256:';

export type SignatureStatus = 'valid' | 'invalid' | 'absent';

/**
 * The workspace's key as it is, never created: null when the workspace has none (ingest verifies with it and must not
 * make a new key, which every template sent out would fail).
 */
export function readWorkspaceKey(dir: string): Buffer | null {
  const file = path.join(dir, KEY_FILE);
  try {
    return keyFrom(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/**
 * When the workspace's key was made (the key file is never written again; a copy of the workspace makes it later): a
 * template generated before then could not be signed. Null without a key.
 */
export function keyMadeAt(dir: string): Date | null {
  try {
    return fs.statSync(path.join(dir, KEY_FILE)).mtime;
  } catch {
    return null;
  }
}

/** The workspace's key, created (32 random bytes, readable by its owner only) on first use (generate-templates). */
export function workspaceKey(dir: string): Buffer {
  const file = path.join(dir, KEY_FILE);
  try {
    return keyFrom(fs.readFileSync(file, 'utf8'), file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  fs.mkdirSync(dir, { recursive: true });
  try {
    // 'wx': two runs creating it at once keep one key (the second reads the first's).
    fs.writeFileSync(file, `${crypto.randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return keyFrom(fs.readFileSync(file, 'utf8'), file);
}

function keyFrom(text: string, file: string): Buffer {
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new UserError(`Tệp ${file} không phải khóa ký của hoctap (cần 64 chữ số hex): chép lại tệp này từ bản sao lưu của thư mục làm việc, không sửa nó.`);
  return Buffer.from(hex, 'hex');
}

/** The signed text: one line per key in contract order, then one per row, fields separated by a tab. */
function canonical(keys: Record<MetaKey, string>, entries: MetaEntry[]): string {
  const lines = META_KEYS.map((k) => `${k}\t${keys[k]}`);
  lines.push('');
  for (const e of entries) lines.push([e.fieldId, e.indicatorId, e.kind, e.sheet, e.cell].join('\t'));
  return lines.join('\n');
}

/**
 * The key as a KeyObject, made once per key: an HMAC keyed with a plain Buffer imports the key again every time, which
 * cost ingest more than the hash itself (about 35 µs of every file's read, docs/benchmarks.md).
 */
const keyObjects = new WeakMap<Buffer, crypto.KeyObject>();

function keyObject(key: Buffer): crypto.KeyObject {
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = crypto.createSecretKey(key)));
  return k;
}

/** The signature to write in `_meta`. */
export function signMap(keys: Record<MetaKey, string>, entries: MetaEntry[], key: Buffer): string {
  return PREFIX + crypto.createHmac('sha256', keyObject(key)).update(canonical(keys, entries), 'utf8').digest('hex');
}

/** Whether a map read back carries a signature, and whether it is this workspace's signature of this very map. */
export function signatureStatus(meta: TemplateMeta, key: Buffer): SignatureStatus {
  if (!meta.signature) return 'absent';
  const want = Buffer.from(signMap(meta.keys, meta.entries, key));
  const got = Buffer.from(meta.signature);
  return got.length === want.length && crypto.timingSafeEqual(got, want) ? 'valid' : 'invalid';
}
