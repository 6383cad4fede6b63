/**
 * Notes (comments) on cells of a sheet, added as parts of their own: the comments part, the VML drawing Excel needs
 * to show them, their relationships and content types. A sheet that has notes already keeps them; ours are added.
 */
import path from 'node:path';
import { parseA1 } from './a1.ts';
import { CONTENT_TYPE, REL, resolveTarget, type Package } from './package.ts';
import type { SheetPatch } from './patch-cells.ts';
import { xmlText } from './xml.ts';

const MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const AUTHOR = 'hoctap';

/** Elements that come after <legacyDrawing> in a worksheet (CT_Worksheet's order). */
const AFTER_LEGACY_DRAWING = ['legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst'];

export interface Note { address: string; text: string }

/** Adds notes to the cells of one worksheet part, whose patch gets its <legacyDrawing> (before or after its cells). */
export function addNotes(pkg: Package, sheetPart: string, sheet: SheetPatch, notes: Note[]): void {
  if (!notes.length) return;
  const rels = pkg.rels(sheetPart);
  const commentsRel = rels.find((r) => r.type === REL.comments);
  let commentsPart: string;
  if (commentsRel) {
    commentsPart = resolveTarget(sheetPart, commentsRel.target);
  } else {
    // exceljs finds comments by this name only (xl/commentsN.xml): Excel and LibreOffice accept any.
    commentsPart = pkg.freeName((n) => `xl/comments${n}.xml`);
    pkg.set(commentsPart, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="${MAIN_NS}"><authors></authors><commentList></commentList></comments>`);
    pkg.addContentType({ part: commentsPart, type: CONTENT_TYPE.comments });
    pkg.addRel(sheetPart, REL.comments, commentsPart);
  }
  pkg.set(commentsPart, withComments(pkg.text(commentsPart)!, notes));

  const vmlRel = rels.find((r) => r.type === REL.vmlDrawing);
  let vmlPart: string;
  if (vmlRel) {
    vmlPart = resolveTarget(sheetPart, vmlRel.target);
  } else {
    vmlPart = pkg.freeName((n) => `xl/drawings/vmlDrawing${n}.vml`);
    const idmap = Number(/(\d+)\.vml$/.exec(vmlPart)![1]);
    pkg.set(vmlPart, emptyVml(idmap));
    pkg.addContentType({ extension: 'vml', type: CONTENT_TYPE.vml });
    const rid = pkg.addRel(sheetPart, REL.vmlDrawing, vmlPart);
    insertLegacyDrawing(sheet, rid);
  }
  pkg.set(vmlPart, withShapes(pkg.text(vmlPart)!, notes, path.posix.basename(vmlPart)));
}

/** The comments part with our author and one comment per note (a cell's existing comment gets ours after it). */
function withComments(xml: string, notes: Note[]): string {
  let out = xml;
  const authors = [.../<authors\b[^>]*>([\s\S]*?)<\/authors>|<authors\s*\/>/.exec(out)?.[1]?.matchAll(/<author\b[^>]*>([\s\S]*?)<\/author>/g) ?? []].map((m) => m[1]);
  let authorId = authors.indexOf(AUTHOR);
  if (authorId < 0) {
    authorId = authors.length;
    out = /<authors\s*\/>/.test(out) ? out.replace(/<authors\s*\/>/, `<authors><author>${AUTHOR}</author></authors>`) : out.replace('</authors>', `<author>${AUTHOR}</author></authors>`);
  }
  if (/<commentList\s*\/>/.test(out)) out = out.replace(/<commentList\s*\/>/, '<commentList></commentList>');
  for (const n of notes) {
    const run = `<r><t xml:space="preserve">${xmlText(n.text)}</t></r>`;
    const existing = new RegExp(`(<comment\\b[^>]*\\sref="${n.address}"[^>]*>[\\s\\S]*?)(</text>)`).exec(out);
    if (existing) {
      out = out.replace(existing[0], `${existing[1]}<r><t xml:space="preserve">\n\n</t></r>${run}${existing[2]}`);
    } else {
      out = out.replace('</commentList>', `<comment ref="${n.address}" authorId="${authorId}"><text>${run}</text></comment></commentList>`);
    }
  }
  return out;
}

function emptyVml(idmap: number): string {
  return '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">'
    + `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${idmap}"/></o:shapelayout>`
    + '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
    + '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype></xml>';
}

/** One hidden note shape per note, anchored beside its cell, with ids after the drawing's existing ones. */
function withShapes(vml: string, notes: Note[], name: string): string {
  const idmap = Number(/<o:idmap\b[^>]*\sdata="(\d+)/.exec(vml)?.[1] ?? /(\d+)/.exec(name)?.[1] ?? 1);
  const used = [...vml.matchAll(/\sid="_x0000_s(\d+)"/g)].map((m) => Number(m[1]));
  let next = Math.max(idmap * 1024, ...used) + 1;
  const shapes = notes.map((n) => {
    const { row, col } = parseA1(n.address)!;
    const r0 = row - 1;
    const c0 = col - 1;
    return `<v:shape id="_x0000_s${next++}" type="#_x0000_t202" style="position:absolute;margin-left:105pt;margin-top:10pt;width:200pt;height:90pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">`
      + '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/>'
      + '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/></v:textbox>'
      + `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${c0 + 1}, 15, ${Math.max(r0 - 1, 0)}, 10, ${c0 + 4}, 15, ${r0 + 5}, 4</x:Anchor>`
      + `<x:AutoFill>False</x:AutoFill><x:Row>${r0}</x:Row><x:Column>${c0}</x:Column></x:ClientData></v:shape>`;
  }).join('');
  return vml.replace(/<\/xml>\s*$/, `${shapes}</xml>`);
}

/** The root gets the relationships' namespace if it lacks it; the tag goes after the cells, in CT_Worksheet's order. */
function insertLegacyDrawing(sheet: SheetPatch, rid: string): void {
  const tag = `<legacyDrawing r:id="${rid}"/>`;
  if (!/<worksheet\b[^>]*\sxmlns:r=/.test(sheet.head)) {
    sheet.head = sheet.head.replace(/<worksheet\b/, '<worksheet xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"');
  }
  // Looked for after the cells only: a cell may hold an <extLst> of its own.
  for (const name of AFTER_LEGACY_DRAWING) {
    const at = sheet.tail.search(new RegExp(`<${name}[\\s/>]`));
    if (at >= 0) {
      sheet.tail = `${sheet.tail.slice(0, at)}${tag}${sheet.tail.slice(at)}`;
      return;
    }
  }
  sheet.tail = sheet.tail.replace(/<\/worksheet>\s*$/, `${tag}</worksheet>`);
}
