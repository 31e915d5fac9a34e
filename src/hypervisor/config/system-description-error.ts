/**
 * A system description that cannot be used: every problem found, one line each, prefixed by
 * its YAML path (`vms[1].memory[0]: ...`).
 */
export class SystemDescriptionError extends Error {
  override readonly name = 'SystemDescriptionError';

  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}
