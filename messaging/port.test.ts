import { describe, expect, it } from 'vitest';
import {
  createLookupClient,
  DEFAULT_IDLE_MS,
  LOOKUP_PORT,
  type LookupRequest,
  type PortLike,
  serveLookupPort,
} from './port';
import type { MatchedLabel } from './protocol';

type Listener = (message: unknown) => void;

/** A port with a hand on both ends: what the tab posted, and the background's answers and closing. */
class FakePort implements PortLike {
  posted: unknown[] = [];
  disconnected = false;
  private readonly messageListeners: Listener[] = [];
  private readonly disconnectListeners: Listener[] = [];
  onMessage = { addListener: (l: Listener) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: Listener) => void this.disconnectListeners.push(l) };
  constructor(
    public name: string,
    public sender?: { id?: string },
  ) {}
  postMessage(message: unknown): void {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.posted.push(message);
  }
  disconnect(): void {
    this.disconnected = true;
  }
  /** The other end sends. */
  receive(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }
  /** The other end goes away. */
  lose(): void {
    this.disconnected = true;
    for (const l of this.disconnectListeners) l(undefined);
  }
}

function label(key: string): MatchedLabel {
  return { key, labelId: `l-${key}` } as MatchedLabel;
}

/** `idleMs` null: the client's default. */
function setUp(idleMs: number | null = 1000) {
  const ports: FakePort[] = [];
  const timers: { at: number; run: () => void }[] = [];
  let clock = 0;
  const client = createLookupClient(
    {
      connect: ({ name }) => {
        const port = new FakePort(name);
        ports.push(port);
        return port;
      },
    },
    {
      ...(idleMs === null ? {} : { idleMs }),
      now: () => clock,
      setTimeout: (run, ms) => void timers.push({ at: clock + ms, run }),
    },
  );
  const advance = (ms: number): void => {
    clock += ms;
    for (;;) {
      const due = timers.findIndex((t) => t.at <= clock);
      if (due < 0) return;
      const [timer] = timers.splice(due, 1);
      timer?.run();
    }
  };
  return { client, ports, advance, timers };
}

const requests = (port: FakePort | undefined) => (port?.posted ?? []) as LookupRequest[];

describe('createLookupClient', () => {
  it('asks every look-up over one port and matches answers by id, in any order', async () => {
    const { client, ports } = setUp();
    const a = client.lookup(['account:x:a']);
    const b = client.lookup(['account:x:b']);
    expect(ports).toHaveLength(1);
    expect(ports[0]?.name).toBe(LOOKUP_PORT);
    const [first, second] = requests(ports[0]);
    expect(first?.keys).toEqual(['account:x:a']);
    ports[0]?.receive({ id: second?.id, labels: [label('account:x:b')] });
    ports[0]?.receive({ id: first?.id, labels: [] });
    await expect(a).resolves.toEqual([]);
    await expect(b).resolves.toEqual([label('account:x:b')]);
  });

  it('ignores answers it did not ask for and malformed messages', async () => {
    const { client, ports } = setUp();
    const a = client.lookup(['k']);
    ports[0]?.receive({ id: 999, labels: [label('x')] });
    ports[0]?.receive({ id: requests(ports[0])[0]?.id, labels: 'nope' });
    ports[0]?.receive(null);
    ports[0]?.receive({ id: requests(ports[0])[0]?.id, labels: [label('k')] });
    await expect(a).resolves.toEqual([label('k')]);
  });

  it('asks again on a new port when the background went away, and fails after a second loss', async () => {
    const { client, ports } = setUp();
    const a = client.lookup(['a']);
    ports[0]?.lose();
    expect(ports).toHaveLength(2);
    expect(requests(ports[1])[0]?.keys).toEqual(['a']);
    ports[1]?.receive({ id: requests(ports[1])[0]?.id, labels: [label('a')] });
    await expect(a).resolves.toEqual([label('a')]);

    const b = client.lookup(['b']);
    ports[1]?.lose();
    ports[2]?.lose();
    await expect(b).rejects.toThrow(/did not answer/);
  });

  it('closes the port after idleMs without a look-up, and opens a new one for the next', async () => {
    const { client, ports, advance } = setUp(1000);
    const a = client.lookup(['a']);
    ports[0]?.receive({ id: 1, labels: [] });
    await a;
    advance(600);
    const b = client.lookup(['b']);
    ports[0]?.receive({ id: 2, labels: [] });
    await b;
    advance(600);
    expect(ports[0]?.disconnected).toBe(false);
    advance(600);
    expect(ports[0]?.disconnected).toBe(true);
    void client.lookup(['c']);
    expect(ports).toHaveLength(2);
    expect(requests(ports[1])[0]?.keys).toEqual(['c']);
  });

  it('counts the quiet time from the last answer, so a slow answer does not close the port at once', async () => {
    const { client, ports, advance } = setUp(1000);
    const a = client.lookup(['a']);
    advance(900);
    ports[0]?.receive({ id: 1, labels: [] });
    await a;
    advance(500);
    expect(ports[0]?.disconnected).toBe(false);
    advance(600);
    expect(ports[0]?.disconnected).toBe(true);
  });

  it('closes an idle port after a quarter second by default, before a resting page could notice', () => {
    const { client, ports, advance, timers } = setUp(null);
    void client.lookup(['a']);
    ports[0]?.receive({ id: 1, labels: [] });
    expect(timers.map((t) => t.at)).toEqual([DEFAULT_IDLE_MS]);
    advance(DEFAULT_IDLE_MS);
    expect(ports[0]?.disconnected).toBe(true);
    expect(DEFAULT_IDLE_MS).toBeLessThanOrEqual(250);
  });

  it('keeps the port while an answer is awaited', () => {
    const { client, ports, advance } = setUp(1000);
    void client.lookup(['a']);
    advance(5000);
    expect(ports[0]?.disconnected).toBe(false);
  });

  it('fails waiting look-ups when closed, and when the extension can no longer be reached', async () => {
    const { client } = setUp();
    const a = client.lookup(['a']);
    client.close();
    await expect(a).rejects.toThrow(/stopped/);

    const gone = createLookupClient(
      {
        connect: () => {
          throw new Error('Extension context invalidated.');
        },
      },
      { now: () => 0, setTimeout: () => undefined },
    );
    await expect(gone.lookup(['a'])).rejects.toThrow(/invalidated/);
  });
});

describe('serveLookupPort', () => {
  it('answers each request on the lookup port with its id', async () => {
    const port = new FakePort(LOOKUP_PORT, { id: 'ext' });
    const asked: unknown[] = [];
    serveLookupPort(port, async (sender, keys) => {
      asked.push([sender?.id, keys]);
      return [label(String((keys as string[])[0]))];
    });
    port.receive({ id: 7, keys: ['account:x:a'] });
    port.receive({ keys: ['no id'] });
    port.receive('garbage');
    await new Promise((r) => setTimeout(r, 0));
    expect(asked).toEqual([['ext', ['account:x:a']]]);
    expect(port.posted).toEqual([{ id: 7, labels: [label('account:x:a')] }]);
  });

  it('answers nothing found when the lookup fails, and leaves other ports alone', async () => {
    const port = new FakePort(LOOKUP_PORT);
    serveLookupPort(port, () => Promise.reject(new Error('db closed')));
    port.receive({ id: 1, keys: ['a'] });
    await new Promise((r) => setTimeout(r, 0));
    expect(port.posted).toEqual([{ id: 1, labels: [] }]);

    const other = new FakePort('something-else');
    let called = false;
    serveLookupPort(other, async () => {
      called = true;
      return [];
    });
    other.receive({ id: 1, keys: ['a'] });
    await new Promise((r) => setTimeout(r, 0));
    expect(called).toBe(false);
  });

  it('does not throw when the tab left before its answer', async () => {
    const port = new FakePort(LOOKUP_PORT);
    serveLookupPort(port, async () => []);
    port.receive({ id: 1, keys: ['a'] });
    port.lose();
    await new Promise((r) => setTimeout(r, 0));
    expect(port.posted).toEqual([]);
  });
});
