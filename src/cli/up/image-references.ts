import { dirname } from 'node:path';
import { ensureDebianImage } from '../images/debian-image.js';
import { ensureXenImage } from '../images/xen-image.js';
import { buildGuests, type GuestElf } from '../guests/guest-build.js';
import { UserError } from '../user-error.js';

/** `images:<set>/<file>` and `guests:<program>` in a system description (see resolve-files.ts). */
const REFERENCE = /\b(images|guests):([A-Za-z0-9._/-]+)/g;

/** The image sets `images:` names, fetched into the cache on first use (as `partita images fetch`). */
const IMAGE_SETS: Readonly<Record<string, (log: (line: string) => void) => Promise<string>>> = {
  debian: async (log) => dirname((await ensureDebianImage({ log })).kernel),
  xen: async (log) => dirname((await ensureXenImage({ log })).xen),
};

export type ImageResolver = (reference: string) => { path: string } | { error: string };

/**
 * Gets ready what the system description's references name, before it is parsed: the image sets
 * it uses are fetched (when not cached yet) and the guest programs built from guests/ (when not
 * up to date, with arm-none-eabi-gcc). Returns the resolver parseSystemDescription is given; a
 * reference to an unknown set or program resolves to a one-line error there.
 */
export async function prepareImageReferences(text: string, log: (line: string) => void): Promise<ImageResolver> {
  const sets = new Map<string, string>();
  const programs = new Set<string>();
  for (const [, kind, name] of text.matchAll(REFERENCE)) {
    if (kind === 'images') {
      const set = name!.split('/')[0]!;
      if (IMAGE_SETS[set] !== undefined && !sets.has(set)) sets.set(set, await IMAGE_SETS[set](log));
    } else {
      programs.add(name!);
    }
  }
  const elfs: GuestElf[] = programs.size === 0 ? [] : await buildGuests({ only: [...programs], log }).catch((error: Error) => {
    // A missing cross compiler or a compile error: the user's to fix, in one line (the compiler's output follows it).
    throw new UserError(`cannot build ${[...programs].join(', ')} from guests/: ${error.message.replace(/^partita: /, '')}`);
  });
  return (reference) => {
    const [kind, name] = [reference.slice(0, reference.indexOf(':')), reference.slice(reference.indexOf(':') + 1)];
    if (kind === 'images') {
      const [set, ...file] = name.split('/');
      const dir = sets.get(set!);
      if (dir === undefined) return { error: `unknown image set '${set}' in '${reference}' (known: ${Object.keys(IMAGE_SETS).join(', ')})` };
      return { path: `${dir}/${file.join('/')}` };
    }
    // A program's first variant is its default (arm-O2 for VM guests).
    const elf = elfs.find((e) => e.program === name);
    return elf === undefined ? { error: `no guest program '${name}' in guests/` } : { path: elf.path };
  };
}
