/** A malformed or unusable image file: the message is one line a user can act on. */
export class ImageError extends Error {}

export interface LoadSegment {
  readonly physicalAddress: number;
  /** Bytes from the file; the rest of memorySize is zero (.bss). */
  readonly data: Uint8Array;
  readonly memorySize: number;
}

export interface ElfImage {
  /** Entry point; bit 0 set means Thumb. */
  readonly entry: number;
  readonly segments: readonly LoadSegment[];
  /** First physical address after the highest loaded segment. */
  readonly end: number;
}

const PT_LOAD = 1;
const EM_ARM = 40;
const ET_EXEC = 2;

/**
 * Checks the ELF identification of a 32-bit little-endian file (ELF spec, "ELF Identification")
 * and returns a view of it; a file that is not one is an ImageError naming `name`.
 */
export function elf32LittleEndianView(file: Uint8Array, name: string): DataView {
  const fail = (why: string): never => {
    throw new ImageError(`${name}: ${why}`);
  };
  if (file.length < 52) fail(`too short to be an ELF file (${file.length} bytes)`);
  if (file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) fail('not an ELF file (bad magic)');
  if (file[4] !== 1) fail('not a 32-bit ELF file (ARMv7-A images are ELF32)');
  if (file[5] !== 1) fail('not a little-endian ELF file');
  return new DataView(file.buffer, file.byteOffset, file.byteLength);
}

/**
 * Parses a 32-bit little-endian ARM ELF executable (ELF spec, "ELF Header" and "Program Header")
 * into its loadable segments at their physical addresses (p_paddr), as QEMU's -kernel does.
 * Every offset and size is checked against the file so a truncated file is reported, not read
 * past.
 */
export function parseElf(file: Uint8Array, name = 'image'): ElfImage {
  const fail = (why: string): never => {
    throw new ImageError(`${name}: ${why}`);
  };
  const view = elf32LittleEndianView(file, name);
  const type = view.getUint16(16, true);
  const machine = view.getUint16(18, true);
  if (machine !== EM_ARM) fail(`ELF machine is ${machine}, not ARM (40)`);
  if (type !== ET_EXEC) fail(`ELF type is ${type}, not an executable (2)`);
  const entry = view.getUint32(24, true);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  if (phnum === 0) fail('has no program headers');
  if (phentsize < 32) fail(`program header size ${phentsize} is too small`);
  if (phoff + phnum * phentsize > file.length) fail('program headers extend past the end of the file (truncated?)');

  const segments: LoadSegment[] = [];
  let end = 0;
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (view.getUint32(at, true) !== PT_LOAD) continue;
    const offset = view.getUint32(at + 4, true);
    const physicalAddress = view.getUint32(at + 12, true);
    const fileSize = view.getUint32(at + 16, true);
    const memorySize = view.getUint32(at + 20, true);
    if (fileSize > memorySize) fail(`segment ${i} has more file bytes (${fileSize}) than memory bytes (${memorySize})`);
    if (offset + fileSize > file.length) fail(`segment ${i} extends past the end of the file (truncated?)`);
    if (physicalAddress + memorySize > 0x100000000) fail(`segment ${i} wraps past the 4 GiB address space`);
    if (memorySize === 0) continue;
    segments.push({ physicalAddress, data: file.subarray(offset, offset + fileSize), memorySize });
    end = Math.max(end, physicalAddress + memorySize);
  }
  if (segments.length === 0) fail('has no loadable segments');
  return { entry, segments, end };
}
