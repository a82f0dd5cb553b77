/**
 * The options page: Feeds, Labels, Sites, Data and Curator, one column of sections.
 */
import { t } from '../i18n';
import { CuratorSection } from './CuratorSection';
import { DataSection } from './DataSection';
import { FeedsSection } from './FeedsSection';
import { LabelsSection, SitesSection } from './LabelsSection';

export function OptionsPage() {
  return (
    <main class="options">
      <h1>{t('optionsTitle')}</h1>
      <FeedsSection />
      <LabelsSection />
      <SitesSection />
      <DataSection />
      <CuratorSection />
    </main>
  );
}
