import { UserError } from '../user-error.js';
import { findElfSection } from './elf-sections.js';

/**
 * Kernel module dependencies without modules.dep (Debian's 6.1 armmp package ships none): each
 * module's ELF `.modinfo` section holds NUL-separated `key=value` strings, one of which is
 * `depends=a,b` (scripts/mod/modpost.c writes it). Platform neutral.
 */

/** The kernel treats '-' and '_' in module names as the same; we use '_'. */
export function moduleName(fileOrName: string): string {
  const base = fileOrName.slice(fileOrName.lastIndexOf('/') + 1).replace(/\.ko$/, '');
  return base.replace(/-/g, '_');
}

/** The `key=value` strings of a module's .modinfo section, in file order. */
export function readModinfo(ko: Uint8Array, fileName = 'module'): string[] {
  const section = findElfSection(ko, '.modinfo', fileName);
  if (section === undefined) throw new UserError(`${fileName}: not a kernel module (no .modinfo section)`);
  return new TextDecoder('latin1')
    .decode(section)
    .split('\0')
    .filter((field) => field.length > 0);
}

/** The modules a module needs loaded first, from `depends=` (empty when it needs none). */
export function modinfoDependencies(ko: Uint8Array, fileName = 'module'): string[] {
  const depends = readModinfo(ko, fileName).find((field) => field.startsWith('depends='));
  if (depends === undefined) return [];
  return depends
    .slice('depends='.length)
    .split(',')
    .filter((name) => name.length > 0)
    .map(moduleName);
}

/** The module names listed in modules.builtin (one `kernel/…/name.ko` path a line). */
export function parseModulesBuiltin(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0)
      .map(moduleName),
  );
}

export interface ModuleCatalog {
  /** Built into the kernel image: nothing to load. */
  isBuiltin(name: string): boolean;
  /** The module's dependencies, or undefined when there is no such module file. */
  dependencies(name: string): readonly string[] | undefined;
}

/**
 * The modules to insmod, each after everything it depends on, for the wanted modules in order
 * (a depth-first walk, dependencies first, each module once). Built-in modules are skipped;
 * an unknown module or a dependency cycle is an error naming the chain.
 */
export function moduleLoadOrder(wanted: readonly string[], catalog: ModuleCatalog): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (name: string, chain: readonly string[]): void => {
    if (done.has(name) || catalog.isBuiltin(name)) return;
    if (chain.includes(name)) throw new UserError(`kernel modules depend on each other in a cycle: ${[...chain, name].join(' -> ')}`);
    const dependencies = catalog.dependencies(name);
    if (dependencies === undefined) {
      const neededBy = chain.length > 0 ? ` (needed by ${chain[chain.length - 1]})` : '';
      throw new UserError(`kernel module ${name}${neededBy} is neither a module file nor built in`);
    }
    for (const dependency of dependencies) visit(dependency, [...chain, name]);
    done.add(name);
    order.push(name);
  };
  for (const name of wanted) visit(moduleName(name), []);
  return order;
}
