/**
 * The chaos run's load: virtual users who sign in as demo residents and make
 * writes whose effect can be checked in the database afterwards. Every write
 * is retried with the same input (and the same client request key) until it
 * is acknowledged, so an answer lost in a fault never does the work twice.
 *
 * - Bookers (older residents, and a son acting for his mother under her
 *   delegation) book a meal slot in 居家养老 with a fresh request key, then
 *   cancel it: each acknowledged booking must exist with its key, each
 *   acknowledged cancellation must have left the order CANCELLED.
 * - Preference users switch the elder-friendly mode (`auth.setElderMode`) on
 *   and off: the last acknowledged value must be the stored one.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { GatewayProcess, LoadBalancer } from './gateways.js';

export type Outcome = 'ok' | 'refused' | 'unavailable' | 'serverError' | 'network';

export interface PhaseCounts {
  requests: number;
  ok: number;
  /** 4xx: an answer about the request itself (a slot just taken), not a failure of the system. */
  refused: number;
  /** 503 (SERVICE_UNAVAILABLE: the database is away). */
  unavailable: number;
  /** 500 and other 5xx: what a fault must never cause. */
  serverError: number;
  /** No answer: connection refused or reset, or a timeout. */
  network: number;
  /** Writes acknowledged (2xx) in this phase. */
  acknowledged: number;
}

export function emptyCounts(): PhaseCounts {
  return { requests: 0, ok: 0, refused: 0, unavailable: 0, serverError: 0, network: 0, acknowledged: 0 };
}

interface Answer {
  outcome: Outcome;
  status: number;
  data?: unknown;
  messageKey?: string;
  setCookie?: string[];
}

/** Where the counts of the current phase go. */
export interface Recorder {
  current(): PhaseCounts;
  /** The phase now: each acknowledged write is filed under the phase of its acknowledgement. */
  phaseName(): string;
  /** 4xx message keys and 5xx messages seen, for the report. */
  notes: Map<string, number>;
}

const REQUEST_TIMEOUT_MS = 15_000;

function call(
  gateway: GatewayProcess,
  method: 'GET' | 'POST',
  procedure: string,
  input: unknown,
  cookie: string | null,
): Promise<Answer> {
  const envelope = JSON.stringify({ json: input });
  const query = method === 'GET' && input !== undefined ? `?input=${encodeURIComponent(envelope)}` : '';
  return new Promise((resolve) => {
    const request = http.request(
      `${gateway.url}/trpc/${procedure}${query}`,
      {
        method,
        agent: gateway.agent,
        timeout: REQUEST_TIMEOUT_MS,
        headers: { 'x-portal-request': '1', 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', () => resolve({ outcome: 'network', status: 0 }));
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          let body: {
            result?: { data?: { json?: unknown } };
            error?: { json?: { message?: string; data?: { messageKey?: string } } };
          } = {};
          try {
            body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
          } catch {
            // not JSON (a plain-text 500)
          }
          const outcome: Outcome =
            status >= 200 && status < 300
              ? 'ok'
              : status === 503
                ? 'unavailable'
                : status >= 500
                  ? 'serverError'
                  : 'refused';
          resolve({
            outcome,
            status,
            data: body.result?.data?.json,
            messageKey: body.error?.json?.data?.messageKey ?? body.error?.json?.message,
            setCookie: response.headers['set-cookie'],
          });
        });
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => resolve({ outcome: 'network', status: 0 }));
    request.end(method === 'POST' ? envelope : undefined);
  });
}

export interface AcknowledgedBooking {
  requestKey: string;
  orderId: string;
  user: string;
  phase: string;
}

/** What the users saw acknowledged: the verification checks each of these in the database. */
export interface Ledger {
  bookings: AcknowledgedBooking[];
  cancellations: { orderId: string; user: string; phase: string }[];
  /** Per preference user: the last value acknowledged, and a later attempt never acknowledged (its outcome unknown). */
  elderMode: Map<
    string,
    { idNumber: string; lastAcknowledged: boolean | null; unsettled: boolean | null; phase: string }
  >;
  /** Every acknowledged elder-mode switch (only each user's last one can be checked: it replaces the ones before). */
  elderModeSwitches: number;
}

export interface UserSpec {
  name: string;
  idNumber: string;
  kind: 'booker' | 'preference';
  /** Book for the resident who delegated elderly care to this user. */
  asDelegate?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class VirtualUser {
  private cookie: string | null = null;
  private delegationId: string | undefined;

  constructor(
    readonly spec: UserSpec,
    private readonly balancer: LoadBalancer,
    private readonly recorder: Recorder,
    private readonly ledger: Ledger,
    /** True while the load runs; writes already started are still settled after it turns false. */
    private readonly running: () => boolean,
    /** Retries of a started write end here, acknowledged or not. */
    private readonly settleUntil: () => number,
  ) {}

  private async request(method: 'GET' | 'POST', procedure: string, input: unknown, write: boolean): Promise<Answer> {
    const answer = await call(this.balancer.pick(), method, procedure, input, this.cookie);
    // Counted in the phase in which the answer came.
    const counts = this.recorder.current();
    counts.requests += 1;
    counts[answer.outcome] += 1;
    if (write && answer.outcome === 'ok') counts.acknowledged += 1;
    if (answer.outcome === 'refused' || answer.outcome === 'serverError') {
      const note = `${answer.status} ${procedure}: ${answer.messageKey ?? 'no message'}`;
      this.recorder.notes.set(note, (this.recorder.notes.get(note) ?? 0) + 1);
    }
    return answer;
  }

  /** Sends one write again and again (same input) until it is answered: acknowledged, or refused for its own reasons. */
  private async settle(procedure: string, input: unknown): Promise<Answer | null> {
    for (let attempt = 0; ; attempt += 1) {
      const answer = await this.request('POST', procedure, input, true);
      if (answer.outcome === 'ok' || answer.outcome === 'refused') return answer;
      if (Date.now() > this.settleUntil()) return null;
      await sleep(Math.min(1_000, 50 * 2 ** Math.min(attempt, 5)));
    }
  }

  async signIn(): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const answer = await this.request(
        'POST',
        'auth.signInResident',
        { idNumber: this.spec.idNumber, password: 'Shanwei@2026' },
        false,
      );
      const cookie = answer.setCookie?.find((value) => value.startsWith('sw_session='));
      if (answer.outcome === 'ok' && cookie) {
        this.cookie = cookie.split(';')[0]!;
        break;
      }
      await sleep(100);
    }
    if (!this.cookie) throw new Error(`${this.spec.name} could not sign in`);
    if (this.spec.asDelegate) {
      const received = await this.request('GET', 'delegation.received', undefined, false);
      const live = (received.data as { id: string; service: string; state: string }[] | undefined)?.find(
        (grant) => grant.service === 'ELDERCARE' && grant.state === 'LIVE',
      );
      if (!live) throw new Error(`${this.spec.name} holds no live elderly-care delegation`);
      this.delegationId = live.id;
    }
  }

  async run(): Promise<void> {
    if (this.spec.kind === 'booker') await this.bookAndCancel();
    else await this.switchElderMode();
  }

  private subject() {
    return this.delegationId ? { delegationId: this.delegationId } : {};
  }

  private async bookAndCancel(): Promise<void> {
    while (this.running()) {
      const catalogue = await this.request('GET', 'eldercare.catalogue', { kind: 'MEAL', ...this.subject() }, false);
      const items =
        (catalogue.data as { items?: { slots: { id: string; remaining: number }[] }[] } | undefined)?.items ?? [];
      const slots = items.flatMap((item) => item.slots).filter((slot) => slot.remaining > 0);
      if (!slots.length) {
        await sleep(200);
        continue;
      }
      const slot = slots[Math.floor(Math.random() * slots.length)]!;
      const requestKey = randomUUID();
      const booked = await this.settle('eldercare.book', { slotId: slot.id, requestKey, ...this.subject() });
      if (booked?.outcome !== 'ok') continue;
      const orderId = (booked.data as { id: string }).id;
      this.ledger.bookings.push({ requestKey, orderId, user: this.spec.name, phase: this.recorder.phaseName() });
      await sleep(20);
      const cancelled = await this.settle('eldercare.cancel', { orderId, ...this.subject() });
      if (cancelled?.outcome === 'ok')
        this.ledger.cancellations.push({ orderId, user: this.spec.name, phase: this.recorder.phaseName() });
      await sleep(20);
    }
  }

  private async switchElderMode(): Promise<void> {
    const state = {
      idNumber: this.spec.idNumber,
      lastAcknowledged: null as boolean | null,
      unsettled: null as boolean | null,
      phase: '',
    };
    this.ledger.elderMode.set(this.spec.name, state);
    let on = true;
    while (this.running()) {
      state.unsettled = on;
      const answer = await this.settle('auth.setElderMode', { on });
      if (answer?.outcome === 'ok') {
        state.lastAcknowledged = on;
        state.unsettled = null;
        state.phase = this.recorder.phaseName();
        this.ledger.elderModeSwitches += 1;
        on = !on;
      } else if (answer) {
        // Refused: nothing was changed.
        state.unsettled = null;
      }
      // A read between writes, as the shell makes.
      await this.request('GET', 'messages.unreadCount', undefined, false);
      await sleep(30);
    }
  }
}
