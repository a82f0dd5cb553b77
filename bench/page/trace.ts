/** A timeline trace of one page over CDP (`Tracing`), for the page bench's measurements. */
import type { CDPSession } from 'playwright-core';
import type { TraceEvent } from './index';

const CATEGORIES = ['devtools.timeline', 'v8', 'disabled-by-default-devtools.timeline'];

/** Starts recording; the function given back ends it and resolves to every event recorded. */
export async function startTrace(
  cdp: CDPSession,
  categories: readonly string[] = CATEGORIES,
): Promise<() => Promise<TraceEvent[]>> {
  const events: TraceEvent[] = [];
  const complete = new Promise<void>((resolve) => {
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
    cdp.on('Tracing.tracingComplete', () => resolve());
  });
  await cdp.send('Tracing.start', {
    transferMode: 'ReportEvents',
    traceConfig: { includedCategories: [...categories] },
  });
  return async () => {
    await cdp.send('Tracing.end');
    await complete;
    return events;
  };
}
