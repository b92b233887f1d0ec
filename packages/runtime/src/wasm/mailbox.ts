/**
 * A worker's mailbox: words of a SharedArrayBuffer through which the host hands a run
 * to a worker parked in Atomics.wait (worker-source.ts), instead of a message that first
 * goes through the worker's event loop (tens of microseconds, and more on a busy
 * machine, where the parked worker wakes as soon as it is notified).
 *
 * The state word says who may touch the others: a worker parks by storing PARKED; the
 * host claims a parked worker by compare-exchange to CLAIMED (so a worker that just left
 * the mailbox is never claimed), writes the request, stores READY and notifies; the
 * worker copies the request out, stores BUSY and runs it. A worker that has a module's
 * instance gets that module's runs here; anything else (modules, drops, probes, the
 * first run of a module) is a message, counted in MESSAGES before it is posted, which
 * makes a parked worker return to its event loop (the host kicks it out with KICKED).
 */

export const STATE = { busy: 0, parked: 1, claimed: 2, ready: 3, kicked: 4 } as const;

/** Word indexes in a mailbox. */
export const BOX = { state: 0, messages: 1, id: 2, seq: 3, args: 4, begin: 5, end: 6, scratch: 7, status: 8, words: 16 } as const;

/**
 * Longest wait in the mailbox before the worker goes back to its event loop (and parks
 * again once it has run): an engine that cannot interrupt Atomics.wait to terminate the
 * worker waits no longer than this.
 */
export const PARK_MS = 50;

export interface MailRun {
  readonly id: number;
  readonly seq: number;
  readonly args: number;
  readonly begin: number;
  readonly end: number;
  readonly scratch: number;
  readonly status: number;
}

export class Mailbox {
  /** `words`: the mailbox, BOX.words of them. */
  constructor(readonly words: Int32Array) {}

  /** Hands `r` to the worker when it is parked; false when it is not (send a message). */
  tryRun(r: MailRun): boolean {
    const w = this.words;
    if (Atomics.compareExchange(w, BOX.state, STATE.parked, STATE.claimed) !== STATE.parked) return false;
    w[BOX.id] = r.id;
    w[BOX.seq] = r.seq;
    w[BOX.args] = r.args;
    w[BOX.begin] = r.begin;
    w[BOX.end] = r.end;
    w[BOX.scratch] = r.scratch;
    w[BOX.status] = r.status;
    // The store orders the request's words before the worker's load of READY.
    Atomics.store(w, BOX.state, STATE.ready);
    Atomics.notify(w, BOX.state);
    return true;
  }

  /** Before posting a message: counted, so a worker about to park sees it, and a parked one is kicked out. */
  beforeMessage(): void {
    const w = this.words;
    Atomics.add(w, BOX.messages, 1);
    if (Atomics.compareExchange(w, BOX.state, STATE.parked, STATE.kicked) === STATE.parked) Atomics.notify(w, BOX.state);
  }
}
