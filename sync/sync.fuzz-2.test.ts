/**
 * Shard 2 of 2 of the fast-check campaign through the real sync path (sync/fuzz-campaign.ts says
 * what it generates and asserts). The campaign is split in two files so the two test workers run
 * it side by side. Replay a failure with FUZZ_SEED=<seed> npx vitest run sync/sync.fuzz-2.test.ts.
 */
import { beforeAll, describe, it, vi } from 'vitest';
import { CAMPAIGN_NAME, runShard, setUpCampaign, shardTimeout } from './fuzz-campaign';

vi.mock('@noble/ed25519', async (importOriginal) =>
  (await import('./fuzz-verify-memo')).rememberVerify(await importOriginal()),
);

beforeAll(setUpCampaign);

describe(`${CAMPAIGN_NAME} (shard 2 of 2)`, () => {
  it(
    'takes only what the verifier takes and keeps the cache intact after every refusal',
    () => runShard(2, 2),
    shardTimeout(2),
  );
});
