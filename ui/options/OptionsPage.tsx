/**
 * The options page: Feeds, Labels, Not on this account, Sites, Data and Curator, one column of sections.
 */
import { t } from '../i18n';
import { CuratorSection } from './CuratorSection';
import { DataSection } from './DataSection';
import { ExceptionsSection } from './ExceptionsSection';
import { FeedsSection } from './FeedsSection';
import { LabelsSection, SitesSection } from './LabelsSection';

export function OptionsPage() {
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <FeedsSection />
      <LabelsSection />
      <ExceptionsSection />
      <SitesSection />
      <DataSection />
      <CuratorSection />
    </main>
  );
}
