import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { DataFileError } from '../errors.ts';

/** Reads a JSON file and checks it; a mistake is reported with its line and column. */
export function readJsonFile<S extends z.ZodType>(file: string, schema: S): z.infer<S> {
  const shown = path.relative(process.cwd(), file) || file;
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const m = /line (\d+) column (\d+)/.exec(String((e as Error).message));
    const pos = /position (\d+)/.exec(String((e as Error).message));
    let line = m ? Number(m[1]) : undefined;
    let col = m ? m[2] : undefined;
    if (!m && pos) {
      const before = text.slice(0, Number(pos[1]));
      line = before.split('\n').length;
      col = String(before.length - before.lastIndexOf('\n'));
    }
    throw new DataFileError(shown, `không phải JSON hợp lệ${col ? ` (ký tự thứ ${col})` : ''}: kiểm tra dấu phẩy, ngoặc và dấu nháy kép`, line);
  }
  const result = schema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path.map(String).join('.');
    const last = issue.path.length ? String(issue.path[issue.path.length - 1]) : '';
    const idx = last ? text.indexOf(`"${last}"`) : -1;
    const line = idx >= 0 ? text.slice(0, idx).split('\n').length : undefined;
    const reason = issue.code === 'unrecognized_keys'
      ? `khóa không được hỗ trợ: ${(issue as { keys: string[] }).keys.join(', ')}`
      : `giá trị của "${key}" không hợp lệ (${issue.message})`;
    const keyLine = issue.code === 'unrecognized_keys' ? lineOf(text, (issue as { keys: string[] }).keys[0]) : line;
    throw new DataFileError(shown, reason, keyLine, key || undefined);
  }
  return result.data;
}

function lineOf(text: string, key: string): number | undefined {
  const idx = text.indexOf(`"${key}"`);
  return idx >= 0 ? text.slice(0, idx).split('\n').length : undefined;
}

