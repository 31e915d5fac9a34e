/** What parseSystemDescription needs from its host: file lookups and the hypervisor's own RAM. */
export interface SystemDescriptionContext {
  /** Resolves "images:..."/"guests:..." refs to a path, or returns an error line. */
  resolveImage(ref: string): { path: string } | { error: string };
  /** Resolves a plain path relative to the YAML file (the CLI joins with the yaml's directory). */
  resolvePath(path: string): string;
  fileExists(path: string): boolean;
  /** Board RAM the hypervisor keeps for itself (stage-2 tables etc.), counted against board.memory. */
  hypervisorReserveBytes: number;
}
