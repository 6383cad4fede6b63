/** Phụ lục II (partial appendix-units.hbs): how each unit's report arrived. */
import { UNIT_STATE_LABELS } from '../../scoring/types.ts';
import { viShortDate } from '../format.ts';
import type { ModelContext } from './context.ts';
import type { AppendixUnitsModel, UnitRow } from './types.ts';

export function buildAppendixUnits(ctx: ModelContext): AppendixUnitsModel {
  const { status } = ctx.input;
  const { counts, received, totalUnits } = ctx;
  // Every roster unit (and any unit the status knows beyond it); with many units, those to chase only.
  const listed = [...status.units]
    .sort((a, b) => ctx.byRoster(a.unitCode, b.unitCode))
    .filter((u) => !ctx.separateAnnex || u.state !== 'on_time');
  const rows: UnitRow[] = listed.map((u, k) => ({
    index: k + 1, code: u.unitCode, name: u.unitName, state: UNIT_STATE_LABELS[u.state], stateKey: u.state,
    receivedAt: viShortDate(u.receivedAt), fileName: u.fileName ?? '',
  }));
  return {
    label: 'Phụ lục II',
    title: `TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM ${ctx.year}`,
    attached: ctx.attached,
    summary: [
      `Hạn gửi báo cáo: ngày ${viShortDate(status.deadline)}.`,
      // A unit whose only file is held (it would remove figures) has sent something, not yet in use: counted apart.
      `Đã nhận ${received}/${totalUnits} đơn vị (${counts.on_time} đúng hạn, ${counts.late} trễ hạn); ${counts.held ? `chờ xác nhận: ${counts.held}; ` : ''}bị từ chối: ${counts.rejected}; chưa nộp: ${counts.missing}.`,
    ],
    listTitle: ctx.separateAnnex
      ? (rows.length ? `Các đơn vị gửi trễ hạn, bị từ chối hoặc chưa nộp (${rows.length} đơn vị; ${counts.on_time} đơn vị gửi đúng hạn không liệt kê):` : 'Mọi đơn vị đều gửi báo cáo đúng hạn.')
      : '',
    // Units and the dates their reports came in: a file's name (long, without spaces) only broke across the lines.
    columns: ['STT', 'Đơn vị', 'Tình trạng', 'Ngày nhận'],
    rows,
  };
}
