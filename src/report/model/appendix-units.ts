/** Phụ lục II (partial appendix-units.hbs): how each unit's report arrived, and whether its figures are approved. */
import { UNIT_STATE_LABELS } from '../../scoring/types.ts';
import { viShortDate } from '../format.ts';
import type { ModelContext } from './context.ts';
import type { AppendixUnitsModel, ReportReview, UnitRow } from './types.ts';

const APPROVAL_WORDS = { received: 'số liệu chưa duyệt', returned: 'đã trả lại đơn vị', approved: 'số liệu đã duyệt' } as const;
/** How many units whose figures are not approved the summary names. */
const UNAPPROVED_NAMED = 10;

export function buildAppendixUnits(ctx: ModelContext): AppendixUnitsModel {
  const { status } = ctx.input;
  const { counts, received, totalUnits } = ctx;
  // Every roster unit (and any unit the status knows beyond it); with many units, those to chase only.
  const listed = [...status.units]
    .sort((a, b) => ctx.byRoster(a.unitCode, b.unitCode))
    .filter((u) => !ctx.separateAnnex || u.state !== 'on_time');
  const rows: UnitRow[] = listed.map((u, k) => ({
    index: k + 1, code: u.unitCode, name: u.unitName, state: UNIT_STATE_LABELS[u.state], stateKey: u.state,
    receivedAt: viShortDate(u.receivedAt), fileName: u.fileName ?? '', approval: approvalOf(ctx.input.review, u.unitCode, u.state),
  }));
  return {
    label: 'Phụ lục II',
    title: `TÌNH HÌNH GỬI BÁO CÁO CỦA CÁC ĐƠN VỊ NĂM ${ctx.year}`,
    attached: ctx.attached,
    summary: [
      `Hạn gửi báo cáo: ngày ${viShortDate(status.deadline)}.`,
      // A unit whose only file is held (it would remove figures) has sent something, not yet in use: counted apart.
      `Đã nhận ${received}/${totalUnits} đơn vị (${counts.on_time} đúng hạn, ${counts.late} trễ hạn); ${counts.held ? `chờ xác nhận: ${counts.held}; ` : ''}bị từ chối: ${counts.rejected}; chưa nộp: ${counts.missing}.`,
      ...approvalSummary(ctx.input.review, status.units, ctx.year),
    ],
    listTitle: ctx.separateAnnex
      ? (rows.length ? `Các đơn vị gửi trễ hạn, bị từ chối hoặc chưa nộp (${rows.length} đơn vị; ${counts.on_time} đơn vị gửi đúng hạn không liệt kê):` : 'Mọi đơn vị đều gửi báo cáo đúng hạn.')
      : '',
    // Units and the dates their reports came in: a file's name (long, without spaces) only broke across the lines.
    columns: ['STT', 'Đơn vị', 'Tình trạng', 'Ngày nhận'],
    rows,
  };
}

/** A unit's figures in review: only a unit with figures in force has any ('' otherwise, or without review). */
function approvalOf(review: ReportReview | undefined, unitCode: string, state: string): string {
  if (!review || (state !== 'on_time' && state !== 'late')) return '';
  const s = review.states.find((r) => r.unitCode === unitCode)?.state ?? 'received';
  return APPROVAL_WORDS[s];
}

/** Which units' figures are approved, the ones not yet named, and whether the year's figures are final. */
function approvalSummary(review: ReportReview | undefined, units: { unitCode: string; unitName: string; state: string }[], year: number): string[] {
  if (!review) return [];
  const inForce = units.filter((u) => u.state === 'on_time' || u.state === 'late');
  const approved = inForce.filter((u) => approvalOf(review, u.unitCode, u.state) === APPROVAL_WORDS.approved);
  const others = inForce.filter((u) => !approved.includes(u)).map((u) => u.unitName);
  const named = others.slice(0, UNAPPROVED_NAMED).join(', ') + (others.length > UNAPPROVED_NAMED ? ` và ${others.length - UNAPPROVED_NAMED} đơn vị khác` : '');
  return [
    `Số liệu đã được duyệt: ${approved.length}/${inForce.length} đơn vị có số liệu${others.length ? ` (chưa duyệt: ${named})` : ''}.`,
    review.locked ? `Số liệu năm ${year} đã khóa: là số liệu chính thức.` : `Số liệu năm ${year} chưa khóa: báo cáo này là dự thảo.`,
  ];
}
