/** A YAML path as problems name it: `vms[1].memory[0]`, or `top level` for the document itself. */
export function formatYamlPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
  return text === '' ? 'top level' : text;
}
