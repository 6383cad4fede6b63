/** Page 1 above the body (partials header.hbs and title.hbs): the two-column header, the title, Căn cứ and the intro. */
import { numberLine, placeDateLine, viUpper } from '../format.ts';
import type { ModelContext } from './context.ts';
import type { HeaderModel } from './types.ts';
import { trimPunct } from './text.ts';

export function buildHeader(ctx: ModelContext): HeaderModel {
  const { profile, date } = ctx.input;
  return {
    parentBodyLines: headerLines(viUpper(profile.parentBody)),
    parentBody: viUpper(profile.parentBody),
    issuingBody: viUpper(profile.issuingBody),
    numberLine: numberLine(profile.documentNumber, profile.issuingBodyAbbreviation),
    nationalTitle: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
    motto: 'Độc lập - Tự do - Hạnh phúc',
    placeDate: placeDateLine(profile.place, date),
  };
}

/**
 * A body's name as the header prints it, broken where officials break it: after "ỦY BAN NHÂN DÂN" / "HỘI ĐỒNG NHÂN
 * DÂN" (then the place: "THÀNH PHỐ HỒ CHÍ MINH"), or where the config's name has a line break; never mid-name.
 */
export function headerLines(name: string): string[] {
  const given = name.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (given.length > 1) return given;
  const m = /^((?:ỦY|UỶ) BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN)\s+(.+)$/u.exec(name.trim());
  return m ? [m[1], m[2]] : [name.trim()];
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
