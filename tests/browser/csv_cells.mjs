// The map's CSV cells (web/app/csv.js), as the page runs them: formulas written as text.
import assert from 'node:assert/strict';
import { cell, csv } from '../../web/app/csv.js';

assert.equal(cell('=HYPERLINK("http://evil.example","点击")'), `"'=HYPERLINK(""http://evil.example"",""点击"")"`);
for (const s of ['+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) {
  const c = cell(s).replace(/^"/, '');
  assert.ok(c.startsWith("'"), `${JSON.stringify(s)} -> ${c}`);
}
assert.equal(cell(-2.5), '-2.5', 'numbers stay numbers');
assert.equal(cell('A-1'), 'A-1');
assert.equal(cell('清远市'), '清远市');
assert.equal(cell('x;=1+1'), '"x;=1+1"', 'quoted for Excel locales that split on ;');
assert.equal(cell(null), '');
assert.equal(csv([['a', 1], ['=b', null]]), "\ufeffa,1\r\n'=b,\r\n");
console.log('csv cells: every check passed');
