import { HypVector, type Cpu } from '../cpu.js';
import type { Instr } from '../decode-table.js';
import { callingSource, Effects, type SemanticsCall } from '../semantics-call.js';
import { HCR_TWE, HCR_TWI } from '../hyp/hcr.js';
import { hsrWaitFor } from '../hyp/syndrome.js';
import { Mode } from '../modes.js';

/**
 * Hints, barriers and IT (ARM ARM A8.8: NOP, WFI, WFE, SEV, YIELD, DBG,
 * DMB, DSB, ISB, IT).
 */

/**
 * NOP, YIELD, DBG, reserved hints, the barriers (one processor with no caches or write buffer) and
 * the memory hints PLD, PLDW, PLI (A8.8.126-130): no architectural effect. As source, nothing.
 */
export function noOperation(): Instr {
  return callingSource('no-operation', () => '', [], Effects.RegistersOnly);
}

/**
 * HCR.TWI / HCR.TWE (B1.14): a WFI or WFE outside Hyp mode that would suspend the processor (no
 * interrupt pending, and for WFE no event) is trapped to Hyp mode, HSR EC 0x01, preferred
 * return the instruction itself (as QEMU helper_wfi, which does not trap when there is work).
 * Returns whether it was trapped.
 */
function trapWait(cpu: Cpu, hcrBit: number, isWfe: boolean): boolean {
  if ((cpu.cp15.hcr & hcrBit) === 0 || cpu.mode === Mode.Hyp || cpu.mode === Mode.Mon || cpu.interruptLines !== 0) return false;
  cpu.takeHypException(HypVector.Trap, hsrWaitFor(isWfe, cpu.nextPc - cpu.pc === 2), cpu.pc);
  return true;
}

/**
 * WFI (B1.8.13): the processor waits for an interrupt; the run loop stops and the machine
 * decides when to resume. Execution continues at the next instruction.
 */
export function waitForInterrupt(cpu: Cpu): void {
  if (trapWait(cpu, HCR_TWI, false)) return;
  cpu.waitingForInterrupt = true;
  cpu.waitingForEvent = false;
}

/**
 * WFE (B1.8.13): consumes a pending event, else waits like WFI, until an interrupt or an event
 * (SEV by any processor) wakes it.
 */
export function waitForEvent(cpu: Cpu): void {
  if (cpu.eventRegister !== 0) {
    cpu.eventRegister = 0;
  } else if (!trapWait(cpu, HCR_TWE, true)) {
    cpu.waitingForInterrupt = true;
    cpu.waitingForEvent = true;
  }
}

/**
 * SEV (A8.8.168): signals an event to every processor, this one included (B1.8.13); the
 * processor's `signalEvent` reaches the others. (QEMU 7.2 treats SEV as a NOP and WFE as a yield.)
 */
export function sendEvent(cpu: Cpu): void {
  cpu.signalEvent();
}

/**
 * IT{x{y{z}}} <firstcond>: ITSTATE = firstcond:mask; the executor must not advance it after this
 * instruction. A 0b1111 condition executes as always (QEMU trans_IT, conditionPassed).
 */
export function ifThen(cpu: Cpu, firstCondAndMask: number): void {
  cpu.itState = firstCondAndMask;
  cpu.itAdvance = false;
}

/** The ITSTATE an IT instruction's call sets (firstcond:mask), or undefined for other calls. */
export function ifThenState(call: SemanticsCall): number | undefined {
  return call.semantics === ifThen ? (call.constants[0] as number) : undefined;
}
