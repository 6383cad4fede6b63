/**
 * Judges one parsed file: read its inputs, run the checks in order (checks/index.ts), normalising the values between
 * the checks of the file and those of the values, and sort the findings. Returns the messages and what may be stored.
 */
import { CONTACT_KIND, ITEM_KIND, NARRATIVE_KIND, explanationFieldId } from '../catalog/ids.ts';
import { deriveComputed, isDerivedInput } from './derived.ts';
import { readItems } from './items.ts';
import type { NewItem } from '../store/store.ts';
import { finding, isQuery } from '../findings/codes.ts';
import { stripHostile, visible } from '../findings/inert.ts';
import { makeMessage, withAnswer } from './messages.ts';
import { parseA1 } from '../xlsx/a1.ts';
import { normaliseValue } from './values.ts';
import { TEXT_KINDS, type InputKind } from '../findings/kinds.ts';
import { CHECKS } from './checks/index.ts';
import { templateShape } from './template-shape.ts';
import { subjectOf, type CheckContext, type Contact, type FileState, type Parsed } from './checks/state.ts';
import type { AcceptedValue, Identity, IngestMessage, Location, RawInput } from './types.ts';

export { BatchMemory, type CheckContext, type Contact, type Parsed } from './checks/state.ts';

export interface FileCheck {
  identity: Identity | null;
  messages: IngestMessage[];
  values: AcceptedValue[];
  narratives: { sectionId: string; text: string }[];
  items: NewItem[];
  contact: Contact | null;
  /** Indicator figures left empty: missing, not zero. */
  missing: { fieldId: string; indicatorId: string; loc: Location | null }[];
  /** The same bytes as an earlier file of the batch (its name): a duplicate, judged once. */
  identicalTo: string | null;
}

export async function checkFile(ctx: CheckContext, parsed: Parsed): Promise<FileCheck> {
  const s: FileState = {
    ctx, parsed, identity: identityOf(parsed), unit: null, template: null, expected: [], inputs: [], filled: new Set(),
    values: new Map(), narratives: new Map(), contact: null, items: [], missing: [], messages: [], identicalTo: null,
  };
  let normalised = false;
  for (const check of CHECKS) {
    if (check.stage === 'values' && !normalised) {
      normalise(s);
      normalised = true;
    }
    if (check.needsTemplate && !s.template && s.unit && parsed.kind === 'xlsx') s.template = await templateShape(ctx.ws, s.unit, s.identity.year);
    if (check.run(s) === 'stop') break;
  }
  answerQueries(s);
  return {
    identity: s.identity,
    messages: sortMessages(s.messages, s.expected.map((e) => e.sheet)),
    values: [...s.values.values()],
    narratives: [...s.narratives].map(([sectionId, n]) => ({ sectionId, text: n.text })),
    items: s.items,
    contact: s.contact,
    missing: s.missing,
    identicalTo: s.identicalTo,
  };
}

/** A CSV line's note, stored like any text: without control characters (said in a warning on the line). */
function noteOf(s: FileState, input: RawInput): string | null {
  if (!input.note) return null;
  const { text, removed } = stripHostile(input.note);
  if (removed.length) s.messages.push(makeMessage(finding('control_chars_removed', { removed: removed.map(visible) }), subjectOf(s, input.entry, input.loc), text));
  return text.trim() || null;
}

/** Every query carries whether the unit answered it: an explanation of the indicator, given in the same file. */
function answerQueries(s: FileState): void {
  s.messages = s.messages.map((m) => {
    if (!isQuery(m.code)) return m;
    const explanation = m.indicator ? s.values.get(explanationFieldId(m.indicator))?.text ?? null : null;
    return withAnswer(m, explanation);
  });
}

function identityOf(parsed: Parsed): Identity {
  if (parsed.kind === 'csv') return { unitCode: parsed.csv.unitCode, year: parsed.csv.year, catalogVersion: null, templateVersion: null };
  const k = parsed.meta.keys;
  return { unitCode: k.unit_code, year: Number(k.year), catalogVersion: k.catalog_version, templateVersion: k.template_version };
}

/** Every input read for its kind (values.ts): accepted values, narratives, contact, missing figures, value findings. */
function normalise(s: FileState): void {
  const contact: Contact = { name: null, position: null, phone: null, email: null };
  let hasContact = false;
  const present = new Set<string>();
  const itemTexts = new Map<string, { text: string; input: RawInput }>();
  for (const input of s.inputs) {
    const e = input.entry;
    present.add(e.fieldId);
    // A computed cell still holding the template's formula: derived below from the unit's own inputs.
    if (isDerivedInput(s.ctx.ws.catalog, input)) continue;
    const n = normaliseValue(input.value, e.kind as InputKind, input.numFmt);
    if (n.status === 'empty') {
      if (!TEXT_KINDS.has(e.kind)) s.missing.push({ fieldId: e.fieldId, indicatorId: e.indicatorId, loc: input.loc });
      continue;
    }
    s.filled.add(e.fieldId);
    const subject = subjectOf(s, e, input.loc);
    if (n.status === 'error') {
      s.messages.push(makeMessage(n.error, subject, n.raw));
      continue;
    }
    for (const w of n.warnings) s.messages.push(makeMessage(w, subject, n.raw));
    if (e.kind === ITEM_KIND) {
      itemTexts.set(e.fieldId, { text: n.text!, input });
    } else if (e.kind === NARRATIVE_KIND) {
      s.narratives.set(e.fieldId.replace(/^narrative\./, ''), { text: n.text!, input });
    } else if (e.kind === CONTACT_KIND) {
      const key = e.fieldId.replace(/^contact\./, '') as keyof Contact;
      if (key in contact) { contact[key] = n.text; hasContact = true; }
    } else {
      s.values.set(e.fieldId, { entry: e, loc: input.loc, raw: n.raw, num: n.num, text: n.text, note: noteOf(s, input) });
    }
  }
  deriveComputed(s.ctx.ws.catalog, s.inputs, s.values);
  const items = readItems(s.ctx.ws.catalog.asks, itemTexts, (input) => subjectOf(s, input.entry, input.loc));
  s.items = items.items;
  s.messages.push(...items.messages);
  // Figures expected but not in the file at all (CSV rows left out) are missing as well.
  for (const e of s.expected) {
    if (!present.has(e.fieldId) && !TEXT_KINDS.has(e.kind)) s.missing.push({ fieldId: e.fieldId, indicatorId: e.indicatorId, loc: null });
  }
  s.contact = hasContact ? contact : null;
}

/** Errors before warnings; within each, file-level first, then in the order of the file (sheet, row, column, line). */
function sortMessages(messages: IngestMessage[], sheets: string[]): IngestMessage[] {
  const sheetOrder = new Map<string, number>();
  for (const sheet of sheets) if (!sheetOrder.has(sheet)) sheetOrder.set(sheet, sheetOrder.size);
  const key = (m: IngestMessage): number[] => {
    const at = m.cell ? parseA1(m.cell) : null;
    return [m.severity === 'error' ? 0 : 1, m.cell || m.line ? 1 : 0, m.sheet ? (sheetOrder.get(m.sheet) ?? 99) : 0, at ? at.row : (m.line ?? 0), at ? at.col : 0];
  };
  return [...messages].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
}
