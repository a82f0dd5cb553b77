/**
 * Every schema version of the label cache (storage/db.ts) and the upgrade between each pair.
 * A schema here is never edited once released: a change adds a version, its upgrade, and a test
 * in migrations.test.ts that opens the previous version with data, upgrades and checks the data.
 * Must never import extension APIs (the upgrade runs inside Dexie's version-change transaction).
 */
import type { Transaction } from 'dexie';

/**
 * v1: the Bloom filter of a version lived inside its `versions` row. Reading definitions or a
 * version's chunk list then also read up to ~1.2 MB of filter.
 */
export const SCHEMA_V1 = {
  feeds: 'id',
  versions: 'id, feedId',
  chunks: '[feedId+sha256]',
  blocks: '[feedId+sha256+block]',
  pages: '[versionId+page]',
};

/** v2: the filter moved to its own `filters` table, read only by lookups. */
export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  filters: 'versionId',
};

interface V1Version {
  id: string;
  filter?: { bits: Uint32Array; hashes: number };
}

export async function upgradeV1toV2(tx: Transaction): Promise<void> {
  const versions: V1Version[] = await tx.table('versions').toArray();
  await tx
    .table('filters')
    .bulkPut(
      versions.flatMap((v) =>
        v.filter ? [{ versionId: v.id, bits: v.filter.bits, hashes: v.filter.hashes }] : [],
      ),
    );
  await tx
    .table('versions')
    .toCollection()
    .modify((version: V1Version) => {
      delete version.filter;
    });
}
