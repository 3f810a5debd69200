import type { RateControl, Start } from "../../provider/kantata/rateControl";

/**
 * A Kantata account simulated on a fake clock, and a client that drives a RateControl exactly as the
 * transport's gate does (start when a slot is free and the pace allows; a refused request goes back to
 * the front of the queue). Discrete events, no timers: minutes of traffic simulate in milliseconds.
 */
export interface SimulatedServer {
  /** Token bucket: accepted requests per second, and its capacity (default one second's worth). */
  perSecond?: number;
  burst?: number;
  /** Requests handled at once; more are refused. */
  maxConcurrent?: number;
  /** Queueing server: it serves this many per second and queues the rest (latency grows, nothing is refused). */
  servesPerSecond?: number;
  /** Time to handle an accepted request. */
  latencyMs: number;
  /** Time for a refusal to come back (a gateway refuses fast). */
  refusalMs?: number;
  /** Every request in this window is refused (an outage that answers 429). */
  stormMs?: [number, number];
  /** From this time on every request takes `slowdown` times as long, whatever the client does (a busy day at Kantata). */
  slowdownAtMs?: number;
  slowdown?: number;
}

export interface SimulationResult {
  /** Accepted requests per second over the steady-state window. */
  acceptedPerSecond: number;
  /** Share of the requests sent in that window that were refused. */
  refusedShare: number;
  maxInFlight: number;
  /** Mean latency of accepted requests in the window. */
  meanLatencyMs: number;
  sent: number;
  refused: number;
}

interface InFlight {
  doneAt: number;
  start: Start;
  refused: boolean;
  latencyMs: number;
}

/** Sends requests for `durationMs` with unbounded demand; measures from `warmUpMs` on. */
export function simulate(control: RateControl, server: SimulatedServer, durationMs: number, warmUpMs: number): SimulationResult {
  const capacity = server.burst ?? Math.max(1, server.perSecond ?? 1);
  let tokens = capacity;
  let refilledAt = 0;
  let queueFreeAt = 0;
  let now = 0;
  let held = false;
  const inFlight: InFlight[] = [];
  const window = { sent: 0, refused: 0, accepted: 0, latency: 0 };
  let maxInFlight = 0;
  /** Accepted requests not yet answered (what a concurrency cap counts). */
  let handling = 0;
  let [sent, refused] = [0, 0];

  const admit = (): boolean => {
    if (server.stormMs !== undefined && now >= server.stormMs[0] && now < server.stormMs[1]) return false;
    if (server.perSecond !== undefined) {
      tokens = Math.min(capacity, tokens + ((now - refilledAt) * server.perSecond) / 1000);
      refilledAt = now;
      if (tokens < 1 - 1e-9) return false;
    }
    if (server.maxConcurrent !== undefined && handling >= server.maxConcurrent) return false;
    if (server.perSecond !== undefined) tokens -= 1;
    return true;
  };

  while (now < durationMs) {
    // Start as many as the ceiling and the pace allow at this instant.
    while (inFlight.length < control.ceiling && control.nextStartAt() <= now) {
      const start = control.started(now, held);
      held = false;
      const accepted = admit();
      let latencyMs = server.latencyMs * (now >= (server.slowdownAtMs ?? Infinity) ? (server.slowdown ?? 1) : 1);
      if (accepted && server.servesPerSecond !== undefined) {
        queueFreeAt = Math.max(queueFreeAt, now) + 1000 / server.servesPerSecond;
        latencyMs = queueFreeAt - now + server.latencyMs;
      }
      const doneAt = now + (accepted ? latencyMs : (server.refusalMs ?? 1));
      inFlight.push({ doneAt, start, refused: !accepted, latencyMs });
      if (accepted) handling++;
      sent++;
      if (!accepted) refused++;
      if (now >= warmUpMs) {
        window.sent++;
        if (!accepted) window.refused++;
      }
      maxInFlight = Math.max(maxInFlight, inFlight.length);
    }
    // The next event: an answer, or the pace releasing the next request while a slot is free.
    const nextAnswer = Math.min(...inFlight.map((r) => r.doneAt));
    const slotFree = inFlight.length < control.ceiling;
    const nextPace = slotFree ? control.nextStartAt() : Infinity;
    if (slotFree && nextPace > now) held = true;
    now = Math.max(now, Math.min(nextAnswer, nextPace));
    for (let i = inFlight.length - 1; i >= 0; i--) {
      const request = inFlight[i];
      if (request.doneAt > now) continue;
      inFlight.splice(i, 1);
      if (!request.refused) handling--;
      control.answered(
        request.start,
        request.refused ? { kind: "refused" } : { kind: "answered", route: "GET /x", latencyMs: request.latencyMs },
        now,
      );
      if (!request.refused && request.start.at >= warmUpMs) {
        window.accepted++;
        window.latency += request.latencyMs;
      }
    }
  }
  const seconds = (durationMs - warmUpMs) / 1000;
  return {
    acceptedPerSecond: window.accepted / seconds,
    refusedShare: window.sent === 0 ? 0 : window.refused / window.sent,
    maxInFlight,
    meanLatencyMs: window.accepted === 0 ? 0 : window.latency / window.accepted,
    sent,
    refused,
  };
}
