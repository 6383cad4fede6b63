/**
 * `hoctap confirm`: the analyst confirms a unit's figures of an indicator that a query found impossible (a total rate
 * outside its parts, more local units than exist, a count above the population), with a reason; not one the unit already
 * answered in Giải trình (refused: nothing to confirm). The indicator gets its verdict again; the confirmation
 * is kept in the store and the journal, tied to the file in force (a later file of the unit is judged afresh).
 */
import type { Workspace } from '../catalog/workspace.ts';
import { findUnit } from '../catalog/workspace.ts';
import { UserError } from '../errors.ts';
import { queriesOfYear } from '../scoring/queries.ts';
import type { QueryNote } from '../scoring/types.ts';
import type { Confirmation, Store } from '../store/store.ts';

export interface ConfirmRequest { unit: string; indicator: string; year: number; reason: string; user: string | null; at?: Date }
export interface ConfirmResult { confirmation: Confirmation; unitName: string; queries: QueryNote[] }

export async function confirmFigures(ws: Workspace, db: Store, r: ConfirmRequest): Promise<ConfirmResult> {
  const unit = findUnit(ws, r.unit);
  if (!unit) throw new UserError(`Không có đơn vị mã "${r.unit.trim()}" trong danh sách đơn vị năm ${r.year}.`);
  const indicator = ws.catalog.indicatorById.get(r.indicator.trim());
  if (!indicator) throw new UserError((run) => `Không có chỉ số "${r.indicator.trim()}" trong danh mục (xem mã chỉ số bằng "${run(['catalog'])}").`);
  const reason = r.reason.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (reason.length < 10) throw new UserError('Cần ghi lý do xác nhận (--reason "…", ít nhất 10 ký tự): vì sao số liệu đúng dù có vẻ không thể đúng.');
  const names = new Map(ws.roster.map((u) => [u.code, u.name]));
  const queries = ((await queriesOfYear(db, r.year, (c) => names.get(c) ?? c)).get(indicator.id) ?? [])
    .filter((q) => q.unitCode === unit.code && q.kind === 'impossibility');
  if (!queries.length) {
    throw new UserError(`Số liệu đang dùng của ${unit.name} năm ${r.year} ở chỉ số ${indicator.id} không có câu hỏi nào về số liệu không thể đúng: không có gì cần xác nhận.`);
  }
  // The unit's Giải trình already answers it: the indicator has its verdict; a confirmation would change nothing.
  if (queries.every((q) => q.answered)) {
    throw new UserError(`${unit.name} đã giải trình số liệu năm ${r.year} ở chỉ số ${indicator.id} trong tệp đang dùng: chỉ số đã được đánh giá, không cần xác nhận.`);
  }
  const confirmation = await db.confirmFigures({
    at: (r.at ?? new Date()).toISOString(), user: r.user, unitCode: unit.code, year: r.year, indicatorId: indicator.id, reason,
  });
  return { confirmation, unitName: unit.name, queries };
}
