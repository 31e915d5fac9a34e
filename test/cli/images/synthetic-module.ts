/**
 * Tiny synthetic ELF32 little-endian relocatable objects with named sections, standing in for
 * kernel modules (a .modinfo section of NUL-separated key=value strings) in tests.
 */
export function syntheticElf(sections: ReadonlyArray<{ name: string; data: Uint8Array }>): Uint8Array {
  const encoder = new TextEncoder();
  // Section name table: "\0" then each name; the table's own name last.
  const names = ['', ...sections.map((s) => s.name), '.shstrtab'];
  const nameOffsets: number[] = [];
  let stringTable = '';
  for (const name of names) {
    nameOffsets.push(stringTable.length);
    stringTable += `${name}\0`;
  }
  const all = [...sections.map((s) => s.data), encoder.encode(stringTable)];
  const headerSize = 52;
  const offsets: number[] = [];
  let at = headerSize;
  for (const data of all) {
    offsets.push(at);
    at += data.length;
  }
  const shoff = (at + 3) & ~3;
  const shnum = all.length + 1;
  const file = new Uint8Array(shoff + shnum * 40);
  const view = new DataView(file.buffer);
  file.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  view.setUint16(16, 1, true); // ET_REL
  view.setUint16(18, 40, true); // EM_ARM
  view.setUint32(20, 1, true);
  view.setUint32(32, shoff, true);
  view.setUint16(40, headerSize, true);
  view.setUint16(46, 40, true);
  view.setUint16(48, shnum, true);
  view.setUint16(50, shnum - 1, true);
  all.forEach((data, i) => {
    file.set(data, offsets[i]!);
    const sh = shoff + (i + 1) * 40;
    view.setUint32(sh, nameOffsets[i + 1]!, true);
    view.setUint32(sh + 4, i === all.length - 1 ? 3 : 1, true); // SHT_STRTAB or SHT_PROGBITS
    view.setUint32(sh + 16, offsets[i]!, true);
    view.setUint32(sh + 20, data.length, true);
  });
  return file;
}

/** A stand-in kernel module whose .modinfo says what it depends on. */
export function syntheticModule(name: string, depends: readonly string[]): Uint8Array {
  const modinfo = `license=GPL\0depends=${depends.join(',')}\0retpoline=Y\0intree=Y\0name=${name}\0vermagic=6.1.0 SMP mod_unload ARMv7 p2v8 \0`;
  return syntheticElf([
    { name: '.text', data: new Uint8Array([0x1e, 0xff, 0x2f, 0xe1]) },
    { name: '.modinfo', data: new TextEncoder().encode(modinfo) },
  ]);
}
