import fs from 'node:fs';
import os from 'node:os';

/**
 * The background thread's work can wait; the acknowledgements cannot (Slack gives 3 s, and a
 * burst of 50 people waits on each other's acks). On Linux each thread has its own nice value,
 * so this thread asks the kernel to give the main thread the CPU first whenever both want it.
 * Elsewhere (or if refused) it runs at the normal priority: a cost in latency, not in safety.
 */
export const BACKGROUND_NICE = 10;

export function lowerThisThreadsPriority(nice = BACKGROUND_NICE): boolean {
  try {
    // "<pid>/task/<tid>": this thread's kernel id, which setpriority(PRIO_PROCESS) takes on Linux.
    const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
    if (!Number.isSafeInteger(tid) || tid <= 0) return false;
    os.setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
