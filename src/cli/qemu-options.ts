import { UserError } from './user-error.js';

/**
 * QEMU's option syntax (util/qemu-option.c): `a=1,b=2`, where a comma inside a value is written
 * twice (`bootargs=console=hvc0 foo=a,,b` gives bootargs "console=hvc0 foo=a,b").
 */

/** Splits a QEMU-style list at single commas; ",," is a comma of the current part. */
export function splitQemuOptions(spec: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i]!;
    if (c !== ',') current += c;
    else if (spec[i + 1] === ',') {
      current += ',';
      i++;
    } else {
      parts.push(current);
      current = '';
    }
  }
  parts.push(current);
  return parts;
}

export type QemuProperties = Map<string, string>;

/**
 * Parses `key=value` properties, each key one of `allowed`. With `first`, a leading part without
 * "=" is the value of that key (a device's driver name). A bad part is a UserError naming `option`.
 */
export function parseQemuProperties(spec: string, option: string, allowed: readonly string[], first?: string): QemuProperties {
  const properties: QemuProperties = new Map();
  splitQemuOptions(spec).forEach((part, index) => {
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (index === 0 && first !== undefined) properties.set(first, part);
      else throw new UserError(`${option} '${spec}': '${part}' is not key=value`);
      return;
    }
    const key = part.slice(0, eq);
    if (!allowed.includes(key)) throw new UserError(`${option} '${spec}': unknown property '${key}' (known: ${allowed.join(', ')})`);
    properties.set(key, part.slice(eq + 1));
  });
  return properties;
}
