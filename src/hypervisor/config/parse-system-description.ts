import { LineCounter, parseDocument } from 'yaml';
import { checkConsolePorts } from './console-port-check.js';
import { checkCpuAssignment } from './cpu-assignment-check.js';
import { checkGuestAddressSpaces } from './guest-address-space-check.js';
import { checkHostAddressSpace } from './host-address-space-check.js';
import { checkInterruptAssignment } from './interrupt-assignment-check.js';
import { checkNames } from './names-check.js';
import { checkRamCommitment } from './ram-commitment-check.js';
import { resolveFiles } from './resolve-files.js';
import { schemaErrorMap, schemaProblems } from './schema-problems.js';
import type { SystemDescription } from './system-description.js';
import type { SystemDescriptionContext } from './system-description-context.js';
import { SystemDescriptionError } from './system-description-error.js';
import { systemSchema } from './system-schema.js';

/** The YAML document as plain data, or its syntax problems with line:column. */
function parseYaml(text: string): { value: unknown } | { problems: string[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { prettyErrors: false, lineCounter });
  const problems = [...document.errors, ...document.warnings].map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return `line ${line}:${col}: ${error.message}`;
  });
  if (problems.length > 0) return { problems };
  try {
    return { value: document.toJS() };
  } catch (error) {
    // toJS throws for what only shows when values are built (an alias to no anchor).
    return { problems: [`YAML: ${(error as Error).message}`] };
  }
}

/**
 * Reads system.yaml: checks it completely and returns the resolved description, or throws a
 * SystemDescriptionError listing every problem (values on their own first; how they relate to
 * each other is checked once each value is valid).
 */
export function parseSystemDescription(text: string, context: SystemDescriptionContext): SystemDescription {
  const yaml = parseYaml(text);
  if ('problems' in yaml) throw new SystemDescriptionError(yaml.problems);
  const parsed = systemSchema.safeParse(yaml.value, { error: schemaErrorMap, reportInput: true });
  if (!parsed.success) throw new SystemDescriptionError(schemaProblems(parsed.error.issues));
  const problems: string[] = [];
  const system = resolveFiles(parsed.data, context, problems);
  checkNames(system, problems);
  checkCpuAssignment(system, problems);
  checkConsolePorts(system, problems);
  checkGuestAddressSpaces(system, problems);
  checkHostAddressSpace(system, problems);
  checkRamCommitment(system, context.hypervisorReserveBytes, problems);
  checkInterruptAssignment(system, problems);
  if (problems.length > 0) throw new SystemDescriptionError(problems);
  return system;
}
