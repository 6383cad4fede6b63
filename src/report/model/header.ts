/** Page 1 above the body (partials header.hbs and title.hbs): the two-column header, the title, Căn cứ and the intro. */
import { numberLine, placeDateLine, viUpper } from '../format.ts';
import type { ModelContext } from './context.ts';
import type { HeaderModel } from './types.ts';
import { trimPunct } from './text.ts';

export function buildHeader(ctx: ModelContext): HeaderModel {
  const { profile, date } = ctx.input;
  return {
    parentBody: viUpper(profile.parentBody),
    issuingBody: viUpper(profile.issuingBody),
    numberLine: numberLine(profile.documentNumber, profile.issuingBodyAbbreviation),
    nationalTitle: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    placeDate: placeDateLine(profile.place, date),
  };
}

export function buildTitle(ctx: ModelContext): { docType: string; subject: string; canCu: string[]; intro: string } {
  const { profile } = ctx.input;
  return {
    docType: 'BÁO CÁO',
    subject: ctx.subject,
    canCu: profile.canCu.map((c, k) => `${trimPunct(c)}${k === profile.canCu.length - 1 ? '.' : ';'}`),
    intro: `${profile.issuingBody} báo cáo ${profile.reportTo} ${ctx.subjectLower}, cụ thể như sau:`,
  };
}
