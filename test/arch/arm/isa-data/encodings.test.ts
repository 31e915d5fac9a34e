import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DecodeTable, OUTSIDE_IT, type Encoding } from '../../../../src/arch/arm/decode-table.js';
import { a32DataEncodings, t16DataEncodings, t32DataEncodings } from '../../../../src/arch/arm/isa-data/index.js';

const LISTS: [string, readonly Encoding[], boolean][] = [
  ['A32', a32DataEncodings, false],
  ['T16', t16DataEncodings, true],
  ['T32', t32DataEncodings, false],
];

let seed = 0x2545f491;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

for (const [name, list, halfword] of LISTS) {
  test(`isa-data ${name} encodings: no duplicate patterns, unique names`, () => {
    assert.deepEqual(DecodeTable.duplicates(list), []);
    const names = list.map((e) => e.name);
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
  });

  test(`isa-data ${name} encodings: every encoding is reachable (not shadowed by a more specific one)`, () => {
    const table = new DecodeTable(name, list, halfword ? 10 : 20, 6);
    const shadowed: string[] = [];
    for (const e of list) {
      let reached = false;
      for (let k = 0; k < 2000 && !reached; k++) {
        let word = (random() & ~e.mask) | e.value;
        if (halfword) word &= 0xffff;
        // A32: a condition other than 0b1111 (the unconditional space is another table).
        if (!halfword && name === 'A32') word = (word & 0x0fffffff) | 0xe0000000;
        reached = table.encodingName(word | 0, OUTSIDE_IT) === e.name;
      }
      if (!reached) shadowed.push(e.name);
    }
    assert.deepEqual(shadowed, []);
  });
}
