/** A reservation in ticks of the system counter (CNTPCT): `budget` ticks of processor time every `period` ticks. */
export interface Reservation {
  readonly priority: number;
  readonly budget: number;
  readonly period: number;
}

interface Server<T> {
  readonly member: T;
  readonly reservation: Reservation | undefined;
  /** Ticks of budget left in the current period. */
  remaining: number;
  /** The counter when the budget is next refilled (the end of the current period). */
  refillAt: number;
  /** The counter when it last got the processor, or began a new quantum on it. */
  lastStart: number;
  /** Which quantum, counted on this processor, it last began: round robin goes to the lowest. */
  lastTurn: number;
}

/** A server's class: a reservation with budget left goes first (by priority), then the background. */
const RESERVED = 1;
const BACKGROUND = 0;
/** A reservation out of budget waits for its refill. */
const EXHAUSTED = -1;

/**
 * The VM scheduler of one physical CPU shared by several vCPUs (the members), after RT-Xen's
 * deferrable server: a member with a reservation gets `budget` ticks in every `period`, at its
 * fixed priority; its budget is only used while it runs (kept while it waits) and refilled at
 * each period boundary, and when it is used up the member waits for the refill even if the
 * processor would be idle (the reservation is a bound as well as a guarantee). Members without a
 * reservation run in the background, when no member with budget left is runnable. Among equals
 * (same priority, or the background) the processor goes round robin, `quantum` ticks at a time.
 *
 * It only decides: the hypervisor asks `pick` at each trap, charges the running member's time
 * with `account`, and arms its Hyp timer for `nextEvent`, when the decision may change.
 */
export class CpuScheduler<T> {
  private readonly servers: Server<T>[] = [];
  /** The counter when the running member's time was last charged. */
  private chargedAt: number;
  /** Quanta begun on this processor. */
  private turns = 0;

  constructor(private readonly quantum: number, now: number) {
    this.chargedAt = now;
  }

  /** A member; its first period starts `now`. */
  add(member: T, reservation: Reservation | undefined, now: number): void {
    const refillAt = reservation === undefined ? Infinity : now + reservation.period;
    this.servers.push({ member, reservation, remaining: reservation?.budget ?? 0, refillAt, lastStart: now, lastTurn: 0 });
  }

  get members(): readonly T[] {
    return this.servers.map((s) => s.member);
  }

  /** Charges `running`'s use of the processor since the last call (none when undefined) and refills the budgets whose period ended by `now`. */
  account(running: T | undefined, now: number): void {
    const used = now - this.chargedAt;
    this.chargedAt = now;
    for (const s of this.servers) {
      if (s.reservation === undefined) continue;
      if (s.member === running) s.remaining = Math.max(0, s.remaining - used);
      if (now >= s.refillAt) {
        s.remaining = s.reservation.budget;
        s.refillAt += Math.ceil((now - s.refillAt + 1) / s.reservation.period) * s.reservation.period;
      }
    }
  }

  /**
   * The member to run from `now` (`current` is the one in the processor, if any), or undefined
   * when none may: `runnable` says whether a member wants the processor (powered on, its VM
   * running, not waiting for an interrupt). Call after `account`.
   */
  pick(current: T | undefined, now: number, runnable: (member: T) => boolean): T | undefined {
    let best: Server<T> | undefined;
    for (const s of this.servers) {
      if (classOf(s) === EXHAUSTED || !runnable(s.member)) continue;
      if (best === undefined || this.before(s, best, current, now)) best = s;
    }
    // A member starts a quantum when it gets the processor, or when it keeps it past its quantum's end.
    if (best !== undefined && (best.member !== current || now - best.lastStart >= this.quantum)) {
      best.lastStart = now;
      best.lastTurn = ++this.turns;
    }
    return best?.member;
  }

  /**
   * When the decision may change without an interrupt of the members' own (the Hyp timer's
   * compare value): the end of the running member's budget, or of its quantum while another
   * runnable member of its class and priority waits, or a refill that makes a runnable
   * exhausted member eligible again. Infinity when nothing can change.
   */
  nextEvent(running: T | undefined, runnable: (member: T) => boolean): number {
    let at = Infinity;
    const current = this.servers.find((s) => s.member === running);
    for (const s of this.servers) {
      if (s === current || !runnable(s.member)) continue;
      if (classOf(s) === EXHAUSTED) at = Math.min(at, s.refillAt);
      else if (current !== undefined && sameRank(s, current)) at = Math.min(at, current.lastStart + this.quantum);
    }
    if (current?.reservation !== undefined) at = Math.min(at, this.chargedAt + current.remaining);
    return at;
  }

  /** Whether `a` goes before `b`: class, then priority, then the running member within its quantum, then the one that waited longest. */
  private before(a: Server<T>, b: Server<T>, current: T | undefined, now: number): boolean {
    if (classOf(a) !== classOf(b)) return classOf(a) > classOf(b);
    const pa = a.reservation?.priority ?? 0;
    const pb = b.reservation?.priority ?? 0;
    if (pa !== pb) return pa > pb;
    const keeps = (s: Server<T>): boolean => s.member === current && now - s.lastStart < this.quantum;
    if (keeps(a) !== keeps(b)) return keeps(a);
    return a.lastTurn < b.lastTurn;
  }
}

function classOf(s: Server<unknown>): number {
  if (s.reservation === undefined) return BACKGROUND;
  return s.remaining > 0 ? RESERVED : EXHAUSTED;
}

function sameRank(a: Server<unknown>, b: Server<unknown>): boolean {
  return classOf(a) === classOf(b) && (a.reservation?.priority ?? 0) === (b.reservation?.priority ?? 0);
}
