import { elf32LittleEndianView, ImageError } from '../../board/elf-image.js';

/**
 * Finds a section by name in a 32-bit little-endian ELF file (any type: a kernel module is a
 * relocatable object, ET_REL), through the section header table and its string table (ELF spec,
 * "Sections"). Returns the section's bytes, or undefined when there is no such section.
 * Platform neutral; every offset is checked so a truncated file is reported, not read past.
 */
export function findElfSection(file: Uint8Array, sectionName: string, fileName = 'ELF file'): Uint8Array | undefined {
  const fail = (why: string): never => {
    throw new ImageError(`${fileName}: ${why}`);
  };
  const view = elf32LittleEndianView(file, fileName);
  const shoff = view.getUint32(32, true);
  const shentsize = view.getUint16(46, true);
  let shnum = view.getUint16(48, true);
  let shstrndx = view.getUint16(50, true);
  if (shoff === 0) return undefined;
  if (shentsize < 40) fail(`section header size ${shentsize} is too small`);
  if (shoff + shentsize > file.length) fail('section headers extend past the end of the file (truncated?)');

  // With 0xff00 or more sections, e_shnum is 0 and e_shstrndx is SHN_XINDEX: the real values are
  // section 0's sh_size and sh_link (ELF spec, "Sections", "Special Section Indexes").
  if (shnum === 0) shnum = view.getUint32(shoff + 20, true);
  if (shstrndx === 0xffff) shstrndx = view.getUint32(shoff + 24, true);
  if (shoff + shnum * shentsize > file.length) fail('section headers extend past the end of the file (truncated?)');
  if (shstrndx >= shnum) fail(`section name table index ${shstrndx} is out of range (${shnum} sections)`);

  const SHT_NOBITS = 8;
  const section = (index: number) => {
    const at = shoff + index * shentsize;
    const type = view.getUint32(at + 4, true);
    const offset = view.getUint32(at + 16, true);
    const size = type === SHT_NOBITS ? 0 : view.getUint32(at + 20, true);
    if (offset + size > file.length) fail(`section ${index} extends past the end of the file (truncated?)`);
    return { name: view.getUint32(at, true), data: file.subarray(offset, offset + size) };
  };

  const names = section(shstrndx).data;
  const wanted = new TextEncoder().encode(sectionName);
  for (let i = 1; i < shnum; i++) {
    const { name, data } = section(i);
    if (name + wanted.length >= names.length) continue;
    let matches = names[name + wanted.length] === 0;
    for (let k = 0; matches && k < wanted.length; k++) matches = names[name + k] === wanted[k];
    if (matches) return data;
  }
  return undefined;
}
