// CSV for spreadsheets, as parkland's own exports write it (src/csv.rs): a byte-order mark
// so Excel reads the Chinese names as UTF-8, CRLF line ends, RFC 4180 quoting (also for
// `;`, Excel's separator in many locales), and text a spreadsheet would take for a formula
// (`=`, `+`, `-`, `@`, a tab or carriage return first) with a leading apostrophe, so a
// park's or a user's name typed by anyone does not run in an official's Excel.

/** One cell: empty for null, text escaped and quoted as needed, numbers as they are. */
export function cell(v) {
  let s = v === null || v === undefined ? '' : String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** A whole file from rows of cells. */
export function csv(rows) {
  return `\ufeff${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}
