import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FDT_MAGIC } from '../../src/board/fdt/fdt-format.js';
import { FdtError, parseFdt } from '../../src/board/fdt/fdt-reader.js';
import { FdtNode, propertyCells, propertyStrings } from '../../src/board/fdt/fdt-tree.js';
import { serializeFdt } from '../../src/board/fdt/fdt-writer.js';
import { compileWithDtc, decompileWithDtc, normalizedTree } from '../support/device-tree.js';

function sampleTree(): FdtNode {
  const root = new FdtNode('');
  root.setCells('#address-cells', 2).setCells('#size-cells', 2).setString('compatible', 'test,board');
  const a = root.addChild('device@1000').setCells('reg', 0, 0x1000, 0, 0x100).setStrings('compatible', 'x,y', 'x').setEmpty('dma-coherent');
  a.addChild('sub').setString('label', 'odd length'); // 11 bytes: value needs padding
  root.addChild('chosen').setString('bootargs', 'console=ttyAMA0');
  return root;
}

const u32 = (blob: Uint8Array, at: number): number => new DataView(blob.buffer, blob.byteOffset).getUint32(at, false);

test('fdt writer: header is version 17, last compatible 16, blocks in order and sizes consistent (DT spec 5.2)', () => {
  const blob = serializeFdt(sampleTree(), { reservations: [{ address: 0x48000000, size: 0x1000 }], bootCpuId: 0 });
  assert.equal(u32(blob, 0), FDT_MAGIC);
  assert.equal(u32(blob, 4), blob.length);
  assert.equal(u32(blob, 20), 17);
  assert.equal(u32(blob, 24), 16);
  const [structOff, stringsOff, rsvOff, stringsSize, structSize] = [u32(blob, 8), u32(blob, 12), u32(blob, 16), u32(blob, 32), u32(blob, 36)];
  assert.equal(rsvOff % 8, 0);
  assert.equal(structOff % 4, 0);
  assert.equal(structOff, rsvOff + 32); // one entry + terminator
  assert.equal(stringsOff, structOff + structSize);
  assert.equal(stringsOff + stringsSize, blob.length);
  assert.equal(u32(blob, structOff + structSize - 4), 9, 'FDT_END ends the structure block');
});

test('fdt writer: each property name is stored once in the strings block', () => {
  const root = new FdtNode('');
  for (let i = 0; i < 5; i++) root.addChild(`n@${i}`).setString('compatible', 'a').setCells('reg', i);
  const blob = serializeFdt(root);
  const strings = Buffer.from(blob.subarray(u32(blob, 12), u32(blob, 12) + u32(blob, 32))).toString('latin1');
  assert.equal(strings, 'compatible\0reg\0');
});

test('fdt writer/reader: a tree round-trips, with reservations, boot CPU and padding', () => {
  const blob = serializeFdt(sampleTree(), { reservations: [{ address: 0x1_0000_0000, size: 0x2000 }], bootCpuId: 3, totalSize: 0x4000 });
  assert.equal(blob.length, 0x4000);
  const parsed = parseFdt(blob);
  assert.deepEqual(parsed.reservations, [{ address: 0x1_0000_0000, size: 0x2000 }]);
  assert.equal(parsed.bootCpuId, 3);
  assert.deepEqual(normalizedTree(parsed.root), normalizedTree(sampleTree()));
  assert.ok(Buffer.from(serializeFdt(parsed.root, { reservations: parsed.reservations, bootCpuId: 3, totalSize: 0x4000 })).equals(Buffer.from(blob)));
});

test('fdt writer: dtc decompiles our blob without warnings, to the expected source', () => {
  const { dts, warnings } = decompileWithDtc(serializeFdt(sampleTree()));
  assert.equal(warnings, '');
  assert.match(dts, /device@1000 \{[^}]*reg = <0x00 0x1000 0x00 0x100>;/s);
  assert.match(dts, /compatible = "x,y\\0x";/);
  assert.match(dts, /dma-coherent;/);
  assert.match(dts, /label = "odd length";/);
  assert.match(dts, /bootargs = "console=ttyAMA0";/);
});

test('fdt reader: parses what dtc compiles (including /memreserve/ and phandles dtc allocates)', () => {
  const blob = compileWithDtc(`/dts-v1/;
/memreserve/ 0x48000000 0x10000;
/ {
  #address-cells = <1>; #size-cells = <1>;
  clk: clock { #clock-cells = <0>; };
  uart@9000000 { reg = <0x9000000 0x1000>; clocks = <&clk>; compatible = "arm,pl011", "arm,primecell"; status = "okay"; };
};`);
  const parsed = parseFdt(blob);
  assert.deepEqual(parsed.reservations, [{ address: 0x48000000, size: 0x10000 }]);
  const uart = parsed.root.find('/uart@9000000')!;
  assert.deepEqual(propertyCells(uart.property('reg')!), [0x9000000, 0x1000]);
  assert.deepEqual(propertyStrings(uart.property('compatible')!), ['arm,pl011', 'arm,primecell']);
  assert.equal(normalizedTree(parsed.root)['/uart@9000000']!['clocks'], '&/clock');
});

test('fdt reader: malformed blobs give one-line errors naming the problem', () => {
  const good = serializeFdt(sampleTree());
  const patched = (at: number, value: number): Uint8Array => {
    const copy = new Uint8Array(good);
    new DataView(copy.buffer).setUint32(at, value >>> 0, false);
    return copy;
  };
  const structOff = u32(good, 8);
  const cases: [Uint8Array, RegExp][] = [
    [new Uint8Array(10), /too short to be a device tree blob \(10 bytes\)/],
    [patched(0, 0x7f454c46), /not a device tree blob \(bad magic 0x7f454c46/],
    [good.subarray(0, good.length - 8), /truncated: header says \d+ bytes, file has \d+/],
    [patched(8, 0x100000), /structure block .* lies outside the blob/],
    [patched(12, good.length + 4), /strings block .* lies outside the blob/],
    [patched(36, 8), /structure block ends without FDT_END/],
    [patched(structOff, 7), /unknown structure token 0x7/],
    [patched(20, 3), /version 3 is too old/],
    [patched(structOff + 12, 0x10000), /property value at .* runs past the structure block/],
    [patched(structOff + 16, 0xffff), /property name offset 65535 is outside the strings block/],
  ];
  for (const [blob, message] of cases) {
    assert.throws(
      () => parseFdt(blob, 'x.dtb'),
      (e: unknown) => e instanceof FdtError && message.test(e.message) && !e.message.includes('\n') && e.message.startsWith('x.dtb: '),
      message.source,
    );
  }
});
