/** Builds the Vietnamese sentence of every finding, so that all of them name the same facts in the same order. */
import type { IngestMessage, Location } from './types.ts';
import { numVi, severityOf, type Finding } from './codes.ts';
import { inert } from './inert.ts';

export { numVi };

export interface Subject {
  file: string;
  loc?: Location | null;
  indicator?: string | null;
  field?: string | null;
  /** The field's label in the catalog (what the unit sees in the template). */
  fieldLabel?: string | null;
}

/** A value as shown in a message: long texts are cut (a 10 MB cell must not become a 10 MB message). */
export function shownValue(v: string | null | undefined, max = 80): string | null {
  if (v === null || v === undefined) return null;
  const flat = v.replace(/\s+/g, ' ');
  if (flat.length <= max) return flat;
  return `${flat.slice(0, max)}… (${numVi(v.length)} ký tự)`;
}

export function whereText(s: Subject): string {
  const parts = [s.file];
  if (s.loc?.sheet) parts.push(`trang ${s.loc.sheet}`);
  if (s.loc?.cell) parts.push(`ô ${s.loc.cell}`);
  if (s.loc?.line) parts.push(`dòng ${s.loc.line}`);
  return parts.join(', ');
}

function whatText(s: Subject): string {
  const bits: string[] = [];
  if (s.indicator) bits.push(`chỉ số ${s.indicator}`);
  if (s.field) bits.push(s.fieldLabel ? `"${s.fieldLabel}" (${s.field})` : `ô ${s.field}`);
  return bits.join(', ');
}

/** A finding placed in a file: its severity from the table of codes, and the full sentence. */
export function makeMessage(f: Finding, s: Subject, value: string | null = null): IngestMessage {
  const what = whatText(s);
  const seen = shownValue(value);
  const stop = (t: string) => (/[.?!…]$/.test(t) ? t : `${t}.`);
  let text = `${whereText(s)}${what ? ` — ${what}` : ''}: ${f.reason}`;
  if (seen !== null) text = `${stop(text)} Giá trị nhận được: "${seen}"`;
  if (f.expected) text += `; cần: ${f.expected}`;
  text = stop(text);
  const shown = shownValue(value, 200);
  // Whatever a file carried (a value, a name in `_meta`, a file name) is shown, never sent raw to a terminal.
  return {
    severity: severityOf(f.code), code: f.code, file: inert(s.file),
    sheet: s.loc?.sheet ?? null, cell: s.loc?.cell ?? null, line: s.loc?.line ?? null,
    indicator: s.indicator ?? null, field: s.field == null ? null : inert(s.field),
    value: shown === null ? null : inert(shown), expected: f.expected ? inert(f.expected) : null, text: inert(text),
  };
}

/**
 * What a stored sentence (makeMessage, withAnswer) says was found, for a short note: "chỉ số X, "nhãn": lý do." without
 * where it was found, the field's id, the value received, what the unit was asked for, nor the unit's answer.
 */
export function foundText(text: string): string {
  const found = text.replace(/ Đơn vị đã giải trình: ".*"\.$/su, '');
  const at = found.indexOf(' — ');
  return (at >= 0 ? found.slice(at + 3) : found)
    .replace(/ \((?:[A-Za-z0-9]+[.-])+[A-Za-z0-9]+\)(?=: )/u, '')
    .replace(/(?:\.? Giá trị nhận được: .*|; cần: .*)$/su, '.');
}

/** A finding about the whole file (cannot be read, wrong year, unknown unit…). */
export function fileMessage(f: Finding, file: string, value: string | null = null): IngestMessage {
  return makeMessage(f, { file }, value);
}

/** A query, marked with the unit's answer (or the lack of one): the explanation is said at the end of the sentence. */
export function withAnswer(m: IngestMessage, explanation: string | null): IngestMessage {
  const shown = shownValue(explanation, 200);
  return {
    ...m, answered: explanation !== null, explanation: explanation === null ? null : inert(explanation),
    text: shown === null ? m.text : inert(`${m.text} Đơn vị đã giải trình: "${shown}".`),
  };
}
