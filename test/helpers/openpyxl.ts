/** Edits of a workbook made with openpyxl (Debian's python), as a unit's script or another program would make them. */

/** Applies edits (JSON list) to a workbook with openpyxl, as a unit's script or another program would. */
export const OPENPYXL_EDIT = `
import json, sys, openpyxl
src, out, ops = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
wb = openpyxl.load_workbook(src)
meta = wb['_meta']
def meta_row(first):
    for row in meta.iter_rows():
        if row[0].value == first:
            return row
    raise SystemExit('no _meta row ' + first)
for op in ops:
    kind = op['op']
    if kind == 'delete_cols': wb[op['sheet']].delete_cols(op['idx'])
    elif kind == 'insert_cols': wb[op['sheet']].insert_cols(op['idx'])
    elif kind == 'set': wb[op['sheet']][op['cell']].value = op['value']
    elif kind == 'meta': meta_row(op['first'])[op['col']].value = op['value']
    elif kind == 'meta_delete': meta.delete_rows(meta_row(op['first'])[0].row)
    elif kind == 'meta_append': meta.append(op['row'])
    elif kind == 'explain':
        # A "Giải trình" row added below the sheet's rows, mapped in _meta like any input.
        sheet = wb[op['sheet']]
        row = sheet.max_row + 2
        sheet.cell(row=row, column=1).value = 'Giải trình ' + op['indicator']
        sheet.cell(row=row, column=2).value = op['text']
        meta.append([op['indicator'] + '.giaitrinh', op['indicator'], 'explanation', op['sheet'], 'B' + str(row)])
wb.save(out)
`;
