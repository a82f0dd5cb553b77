// The options page: mounts ui/options (all logic lives there).
import { render } from 'preact';
import { OptionsPage } from '../../ui/options/OptionsPage';
import { preparePage } from '../../ui/page';
import '../../ui/theme.css';
import '../../ui/options/options.css';

preparePage('optionsTitle');
render(<OptionsPage />, document.getElementById('app') as HTMLElement);
