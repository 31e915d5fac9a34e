import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest directory above this module that holds package.json. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('partita: cannot find the repository root (package.json)');
    dir = parent;
  }
}

export const ROOT = repoRoot();
export const GUESTS_DIR = join(ROOT, 'guests');
export const BUILD_DIR = join(ROOT, 'build');
export const GUEST_BUILD_DIR = join(BUILD_DIR, 'guests');
