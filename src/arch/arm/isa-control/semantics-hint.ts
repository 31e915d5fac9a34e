import type { Cpu } from '../cpu.js';

/**
 * Hints, barriers and IT (ARM ARM A8.8: NOP, WFI, WFE, SEV, YIELD, DBG,
 * DMB, DSB, ISB, IT).
 */

/** NOP, YIELD, DBG, reserved hints, and the barriers: one processor with no caches or write buffer. */
export function noOperation(_cpu: Cpu): void {}

/**
 * WFI (B1.8.13): the processor waits for an interrupt; the run loop stops and the machine
 * decides when to resume. Execution continues at the next instruction.
 */
export function waitForInterrupt(cpu: Cpu): void {
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
  } else {
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
