import type * as z from 'zod';
import { formatYamlPath } from './yaml-path.js';

/** A value as YAML-ish text for a message: strings quoted, numbers as written. */
export const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

const EXPECTED: Record<string, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  // Every number in system.yaml is an integer (z.int() reports 'number' for non-numbers).
  int: 'an integer',
  number: 'an integer',
  boolean: 'true or false',
};

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return show(value);
}

/**
 * Messages for the issues the schema leaves to zod's defaults, in system.yaml's words (an
 * error map given to safeParse; issues with their own message keep it).
 */
export const schemaErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'required';
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${kindOf(issue.input)}`;
    case 'invalid_value':
      return `expected ${issue.values.map(show).join(' or ')}, got ${show(issue.input)}`;
    case 'invalid_union':
      if (issue.discriminator !== undefined) {
        const value = (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
        const expected = (issue.options as unknown[] | undefined)?.map(show).join(', ');
        return value === undefined ? `required (one of ${expected})` : `unknown ${issue.discriminator} ${show(value)} (expected one of ${expected})`;
      }
      return undefined;
    case 'too_small':
      return `must be at least ${issue.minimum}, got ${show(issue.input)}`;
    case 'too_big':
      return `must be at most ${issue.maximum}, got ${show(issue.input)}`;
    default:
      return undefined;
  }
};

/** One line per problem: `path: message`, and one line per unknown key. */
export function schemaProblems(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => `${formatYamlPath([...issue.path, key])}: unknown key`)
      : [`${formatYamlPath(issue.path)}: ${issue.message}`],
  );
}
