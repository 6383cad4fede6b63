/** The kinds of input a template or CSV file holds, and the limits every value of a kind must keep (data, not code). */
import { DIRECTION_LABELS, RATING_LABELS, type FieldKind, type FieldRole } from '../catalog/types.ts';
import { formatNumberVi } from '../vi/numbers.ts';
import { CONTACT_KIND, EXPLANATION_KIND, NARRATIVE_KIND } from '../catalog/ids.ts';

export type InputKind = FieldKind | typeof NARRATIVE_KIND | typeof CONTACT_KIND | typeof EXPLANATION_KIND;

/** Excel's own limit for one cell: anything longer did not come from a person typing in Excel. */
export const TEXT_MAX_CHARS = 32_767;

/** Ranges per numeric kind. */
export const KIND_RANGES: Record<'percent' | 'count' | 'number' | 'rating', { min: number; max: number | null; integer: boolean }> = {
  percent: { min: 0, max: 100, integer: false },
  count: { min: 0, max: null, integer: true },
  number: { min: 0, max: null, integer: false },
  rating: { min: 1, max: 5, integer: true },
};

/** Kinds that hold text rather than a figure: an empty one is not a missing figure. */
export const TEXT_KINDS: ReadonlySet<string> = new Set<string>(['text', NARRATIVE_KIND, CONTACT_KIND, EXPLANATION_KIND]);

const ratingList = Object.entries(RATING_LABELS).sort((a, b) => Number(b[0]) - Number(a[0])).map(([k, v]) => `${k} ${v}`).join(', ');

/** What each kind of input expects, as a message says it. */
export const EXPECTED: Record<InputKind, string> = {
  percent: 'một tỷ lệ phần trăm từ 0 đến 100, ví dụ 95,5',
  count: 'một số nguyên không âm, ví dụ 1234',
  number: 'một số không âm, ví dụ 1234,5',
  direction: `"${DIRECTION_LABELS.up}" hoặc "${DIRECTION_LABELS.down}"`,
  rating: `một mức từ 1 đến 5 (${ratingList})`,
  text: `văn bản không quá ${formatNumberVi(TEXT_MAX_CHARS, 2)} ký tự`,
  narrative: `văn bản không quá ${formatNumberVi(TEXT_MAX_CHARS, 2)} ký tự`,
  contact: `văn bản không quá ${formatNumberVi(TEXT_MAX_CHARS, 2)} ký tự`,
  explanation: `văn bản không quá ${formatNumberVi(TEXT_MAX_CHARS, 2)} ký tự`,
};

export const ROLE_LABELS: Record<FieldRole, string> = {
  value: 'giá trị', num: 'tử số', den: 'mẫu số', male: 'Nam', female: 'Nữ', total: 'Tổng', rate: 'Tỷ lệ',
  direction: 'Tăng/Giảm', evidence: 'minh chứng',
};
