import type { EscapeCommands } from '../host/console-input.js';

/** The per-VM control of the hypervisor (PartitionHypervisor's lifecycle methods). */
export interface VmControl {
  readonly vms: readonly { readonly name: string; readonly state: string }[];
  startVm(name: string): boolean;
  stopVm(name: string): boolean;
  resetVm(name: string): boolean;
  pauseVm(name: string): boolean;
  resumeVm(name: string): boolean;
}

/** The VM commands after Ctrl-A, by key. */
const COMMANDS: Readonly<Record<string, { readonly what: string; readonly act: (control: VmControl, vm: string) => boolean }>> = {
  p: { what: 'pause', act: (c, vm) => c.pauseVm(vm) },
  r: { what: 'resume', act: (c, vm) => c.resumeVm(vm) },
  s: { what: 'stop', act: (c, vm) => c.stopVm(vm) },
  b: { what: 'boot (start a stopped VM)', act: (c, vm) => c.startVm(vm) },
  t: { what: 'reset (stop and boot again)', act: (c, vm) => c.resetVm(vm) },
};

/**
 * `partita up`'s Ctrl-A commands, in the manner of QEMU's console multiplexer: `Ctrl-A p` pauses,
 * `r` resumes, `s` stops, `b` boots and `t` resets the focused VM; `Ctrl-A 1`-`9` focus VM 1-9
 * (the order of system.yaml). The focused VM is the `--console` one, else the first.
 */
export class VmControlKeys implements EscapeCommands {
  readonly help: string;
  private focused: number;

  constructor(
    private readonly control: VmControl,
    focused: number,
    /** Shows one message (the terminal is raw: lines end in CR LF). */
    private readonly echo: (text: string) => void,
  ) {
    this.focused = focused;
    this.help =
      Object.entries(COMMANDS).map(([key, c]) => `C-a ${key}      ${c.what} the focused VM\r\n`).join('') +
      `C-a 1-${Math.min(9, control.vms.length)}    focus VM 1-${Math.min(9, control.vms.length)} (${control.vms.map((vm) => vm.name).join(', ')})\r\n`;
  }

  /** The VM the commands act on. */
  get focusedVm(): string {
    return this.control.vms[this.focused]!.name;
  }

  run(key: number): boolean {
    const char = String.fromCharCode(key);
    if (char >= '1' && char <= '9') {
      const index = key - 0x31;
      if (index >= this.control.vms.length) return false;
      this.focused = index;
      this.echo(`partita: commands act on ${this.focusedVm}\r\n`);
      return true;
    }
    const command = COMMANDS[char];
    if (command === undefined) return false;
    if (!command.act(this.control, this.focusedVm)) this.echo(`partita: ${this.focusedVm}: cannot ${command.what.split(' ')[0]} (it is ${this.control.vms[this.focused]!.state})\r\n`);
    return true;
  }
}
